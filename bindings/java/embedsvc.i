/*
 * SWIG interface of libembedsvc for Java (package org.embedsvc).
 * SPDX-License-Identifier: MIT
 *
 * This generates the package-private raw layer (EmbedsvcNative, EmbedsvcNativeJNI,
 * EmbedsvcNativeConstants) from the real header; the public API is the hand-written
 * classes in src/ (Policy, Project, Result, Classification, Batch ...).
 *
 * Conventions of the raw layer:
 * - handles (any pointer to a library type) are Java longs;
 * - "const char *data, size_t len" pairs (and text/line) are byte[] holding UTF-8;
 * - other "const char *" arguments are Strings sent as NUL-terminated UTF-8 bytes,
 *   and "const char *" results are Strings decoded from UTF-8 bytes: nothing goes
 *   through JNI's modified UTF-8;
 * - the embedsvc_error argument is hidden: a negative status throws
 *   org.embedsvc.EmbedsvcException filled from it;
 * - allocators are hidden (always the C library's);
 * - enums and #defines are int constants in EmbedsvcNativeConstants.
 * These typemaps are generic, so functions added to the header later are wrapped
 * (in the raw layer, for the hand-written classes to expose) and the set of generated
 * .java files stays fixed (meson lists them; run_swig.py checks).
 */
%module EmbedsvcNative

%pragma(java) jniclassclassmodifiers = "final class"
%pragma(java) moduleclassmodifiers = "final class"
%pragma(java) jniclasscode = %{
  static {
    NativeLoader.load();
  }

  private EmbedsvcNativeJNI() {
  }
%}
%pragma(java) modulecode = %{
  private EmbedsvcNative() {
  }
%}

%{
#include <embedsvc.h>
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Copies n bytes into a new byte[]; NULL text gives null. */
static jbyteArray esvj_bytes(JNIEnv *jenv, const char *s, size_t n)
{
    jbyteArray a;
    if (!s)
        return NULL;
    a = (*jenv)->NewByteArray(jenv, (jsize)n);
    if (a && n)
        (*jenv)->SetByteArrayRegion(jenv, a, 0, (jsize)n, (const jbyte *)s);
    return a;
}

static jbyteArray esvj_cstring(JNIEnv *jenv, const char *s)
{
    return s ? esvj_bytes(jenv, s, strlen(s)) : NULL;
}

/* Makes (does not throw) the org.embedsvc.EmbedsvcException subclass of a negative status, from err
 * when the library filled it; NULL with a pending Java exception when that fails. */
static jobject esvj_exception(JNIEnv *jenv, int status, const embedsvc_error *err)
{
    jclass cls;
    jmethodID make;
    jbyteArray code, message, path;
    int filled = err && err->code[0] != '\0';

    cls = (*jenv)->FindClass(jenv, "org/embedsvc/EmbedsvcException");
    if (!cls)
        return NULL;
    make = (*jenv)->GetStaticMethodID(jenv, cls, "fromNative",
                                      "(I[B[BIIJ[B)Lorg/embedsvc/EmbedsvcException;");
    if (!make)
        return NULL;
    code = esvj_cstring(jenv, filled ? err->code : embedsvc_status_name(status));
    message = esvj_cstring(jenv, filled ? err->message : "");
    path = esvj_cstring(jenv, filled ? err->path : "");
    if ((*jenv)->ExceptionCheck(jenv))
        return NULL;
    return (*jenv)->CallStaticObjectMethod(jenv, cls, make, (jint)status, code, message,
                                           (jint)(filled ? err->line : 0), (jint)(filled ? err->column : 0),
                                           (jlong)(filled ? err->offset : 0), path);
}

/* Throws that exception for a negative status. */
static void esvj_throw(JNIEnv *jenv, int status, const embedsvc_error *err)
{
    jobject ex;
    if ((*jenv)->ExceptionCheck(jenv))
        return; /* e.g. an OutOfMemoryError from the JVM: keep it */
    ex = esvj_exception(jenv, status, err);
    if (ex && !(*jenv)->ExceptionCheck(jenv))
        (*jenv)->Throw(jenv, (jthrowable)ex);
}

static void esvj_throw_status(JNIEnv *jenv, int status)
{
    esvj_throw(jenv, status, NULL);
}

#define ESVJ_ERROR(name) embedsvc_error name; name.size = sizeof name; name.status = 0; name.code[0] = '\0'
%}

%include <typemaps.i>
%include <stdint.i>
%include <enumsimple.swg>
%javaconst(1);

/* ---- the JNI environment, for the helpers below ---- */
%typemap(in, numinputs=0) JNIEnv *jenv %{
  $1 = jenv;
%}

/* ---- errors: hidden argument, negative status throws ---- */
/* Only what esvj_throw() reads before the library fills it: clearing all 800 bytes would cost each call. */
%typemap(in, numinputs=0) embedsvc_error *err (embedsvc_error tmp) %{
  tmp.size = sizeof tmp;
  tmp.status = 0;
  tmp.code[0] = '\0';
  $1 = &tmp;
%}
/* No early return here: the freearg typemaps still run, and the JVM raises the pending exception. */
%typemap(argout) embedsvc_error *err %{
  if ((int)result < 0)
    esvj_throw(jenv, (int)result, $1);
%}

/* ---- allocators: hidden, always NULL (the C library's) ---- */
%typemap(in, numinputs=0) const embedsvc_allocator *alloc %{
  $1 = NULL;
%}

/* ---- handles: every pointer to a library type is a long ---- */
%typemap(jni) SWIGTYPE * "jlong"
%typemap(jtype) SWIGTYPE * "long"
%typemap(jstype) SWIGTYPE * "long"
%typemap(javain) SWIGTYPE * "$javainput"
%typemap(javaout) SWIGTYPE * {
    return $jnicall;
  }
%typemap(in) SWIGTYPE * %{
  $1 = ($1_ltype)(intptr_t)$input;
%}
%typemap(out) SWIGTYPE * %{
  $result = (jlong)(intptr_t)$1;
%}

/* ---- handle out-parameters (named "out" throughout the header): a long[1] receives the handle ---- */
%typemap(jni) SWIGTYPE **out "jlongArray"
%typemap(jtype) SWIGTYPE **out "long[]"
%typemap(jstype) SWIGTYPE **out "long[]"
%typemap(javain) SWIGTYPE **out "$javainput"
%typemap(in) SWIGTYPE **out ($*1_ltype tmp = NULL) {
  if (!$input || JCALL1(GetArrayLength, jenv, $input) < 1) {
    SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "a long[1] is needed for a handle");
    return $null;
  }
  $1 = &tmp;
}
%typemap(argout) SWIGTYPE **out {
  jlong handle = (jlong)(intptr_t)tmp$argnum;
  JCALL4(SetLongArrayRegion, jenv, $input, 0, 1, &handle);
}

/* ---- text in with a length: UTF-8 byte[] (copied, so the GC is never held up while the library parses) ---- */
%typemap(jni) (const char *data, size_t len), (const char *text, size_t len), (const char *line, size_t len) "jbyteArray"
%typemap(jtype) (const char *data, size_t len), (const char *text, size_t len), (const char *line, size_t len) "byte[]"
%typemap(jstype) (const char *data, size_t len), (const char *text, size_t len), (const char *line, size_t len) "byte[]"
%typemap(javain) (const char *data, size_t len), (const char *text, size_t len), (const char *line, size_t len) "$javainput"
%typemap(in) (const char *data, size_t len), (const char *text, size_t len), (const char *line, size_t len) {
  if (!$input) {
    SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "null text");
    return $null;
  }
  $2 = (size_t)JCALL1(GetArrayLength, jenv, $input);
  if ($2 == 0) {
    $1 = (char *)"";
  } else {
    $1 = (char *)JCALL2(GetByteArrayElements, jenv, $input, NULL);
    if (!$1)
      return $null;
  }
}
%typemap(freearg) (const char *data, size_t len), (const char *text, size_t len), (const char *line, size_t len) {
  if ($2 != 0)
    JCALL3(ReleaseByteArrayElements, jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* ---- NUL-terminated text in, and text out: String <-> UTF-8 byte[] (Utf8.cstring appends the NUL) ---- */
%typemap(jni) const char * "jbyteArray"
%typemap(jtype) const char * "byte[]"
%typemap(jstype) const char * "String"
%typemap(javain) const char * "Utf8.cstring($javainput)"
%typemap(javaout) const char * {
    return Utf8.decode($jnicall);
  }
%typemap(in) const char * {
  $1 = NULL;
  if ($input) {
    $1 = (char *)JCALL2(GetByteArrayElements, jenv, $input, NULL);
    if (!$1)
      return $null;
  }
}
%typemap(freearg) const char * {
  if ($1)
    JCALL3(ReleaseByteArrayElements, jenv, $input, (jbyte *)$1, JNI_ABORT);
}
%typemap(out) const char * %{
  $result = esvj_cstring(jenv, $1);
%}

/* ---- numeric out-parameters (every numeric pointer of the header is one): a one-element array
 * receives the value; without this the generic handle typemap above would take them ---- */
%apply long long *OUTPUT { int64_t * };
%apply int *OUTPUT { int * };
%apply unsigned long *OUTPUT { size_t * };
%apply long long *INOUT { int64_t *position }; /* embedsvc_java_compare_to_json_next(): a long[1] */

/* ---- structs are not wrapped (errors and allocators are handled above) ---- */
%rename("$ignore", %$isclass) "";
%ignore embedsvc_error;
%ignore embedsvc_allocator;

/* Functions whose out-parameters do not map well; the helpers below replace them. */
%ignore embedsvc_policy_default;
%ignore embedsvc_policy_default_json;
%ignore embedsvc_policy_load_buffer;
%ignore embedsvc_policy_load_file;
%ignore embedsvc_policy_to_json;
%ignore embedsvc_project_new;
%ignore embedsvc_result_new;
%ignore embedsvc_classification_new;
%ignore embedsvc_batch_new;
%ignore embedsvc_result_to_json;
%ignore embedsvc_result_check_value;
%ignore embedsvc_result_finding_message;
%ignore embedsvc_batch_line;
%ignore embedsvc_batch_framed;
%ignore embedsvc_compare_framed;
%ignore embedsvc_lines_new;
%ignore embedsvc_lines_next;
%ignore embedsvc_lines_feed;
%ignore embedsvc_lines_finish;
%ignore embedsvc_line_examine;
%ignore embedsvc_line_limit_error;
%ignore embedsvc_stage_report_new;
%ignore embedsvc_stage_report_message;
%ignore embedsvc_compare_new;
%ignore embedsvc_compare_line;
%ignore embedsvc_compare_to_json;
%ignore embedsvc_compare_to_json_next;
%ignore embedsvc_policy_derive;

/* SWIG does not follow #include: the umbrella embedsvc.h is spelled out, one topic header each. */
%include "embedsvc/export.h"
%include "embedsvc/version.h"
%include "embedsvc/error.h"
%include "embedsvc/memory.h"
%include "embedsvc/vocabulary.h"
%include "embedsvc/policy.h"
%include "embedsvc/classify.h"
%include "embedsvc/project.h"
%include "embedsvc/result.h"
%include "embedsvc/process.h"
%include "embedsvc/lines.h"
%include "embedsvc/batch.h"
%include "embedsvc/compare.h"

/* ---- helpers: constructors return the handle, text comes back as UTF-8 bytes ---- */
%inline %{
static jlong embedsvc_java_policy_default(JNIEnv *jenv)
{
    embedsvc_policy *p = NULL;
    ESVJ_ERROR(err);
    int rc = embedsvc_policy_default(NULL, &p, &err);
    if (rc < 0)
        esvj_throw(jenv, rc, &err);
    return (jlong)(intptr_t)p;
}

static jbyteArray embedsvc_java_policy_default_json(JNIEnv *jenv)
{
    size_t len = 0;
    const char *json = embedsvc_policy_default_json(&len);
    return esvj_bytes(jenv, json, len);
}

static jlong embedsvc_java_policy_load_buffer(JNIEnv *jenv, const char *data, size_t len)
{
    embedsvc_policy *p = NULL;
    ESVJ_ERROR(err);
    int rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
    if (rc < 0)
        esvj_throw(jenv, rc, &err);
    return (jlong)(intptr_t)p;
}

static jbyteArray embedsvc_java_policy_to_json(JNIEnv *jenv, const embedsvc_policy *policy)
{
    size_t needed = 0;
    char *buf;
    jbyteArray out;
    int rc = embedsvc_policy_to_json(policy, NULL, 0, &needed);
    if (rc < 0 && rc != EMBEDSVC_ERANGE) {
        esvj_throw_status(jenv, rc);
        return NULL;
    }
    buf = malloc(needed + 1);
    if (!buf) {
        esvj_throw_status(jenv, EMBEDSVC_ENOMEM);
        return NULL;
    }
    rc = embedsvc_policy_to_json(policy, buf, needed + 1, &needed);
    out = rc < 0 ? NULL : esvj_bytes(jenv, buf, needed);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    free(buf);
    return out;
}

static jlong embedsvc_java_project_new(JNIEnv *jenv)
{
    embedsvc_project *p = NULL;
    int rc = embedsvc_project_new(NULL, &p);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)p;
}

static jlong embedsvc_java_result_new(JNIEnv *jenv)
{
    embedsvc_result *r = NULL;
    int rc = embedsvc_result_new(NULL, &r);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)r;
}

static jlong embedsvc_java_classification_new(JNIEnv *jenv)
{
    embedsvc_classification *c = NULL;
    int rc = embedsvc_classification_new(NULL, &c);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)c;
}

static jlong embedsvc_java_batch_new(JNIEnv *jenv, const embedsvc_policy *policy)
{
    embedsvc_batch *b = NULL;
    int rc = embedsvc_batch_new(policy, NULL, &b);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)b;
}

static jbyteArray embedsvc_java_result_to_json(JNIEnv *jenv, embedsvc_result *result)
{
    const char *json = NULL;
    size_t len = 0;
    ESVJ_ERROR(err);
    int rc = embedsvc_result_to_json(result, &json, &len, &err);
    if (rc < 0) {
        esvj_throw(jenv, rc, &err);
        return NULL;
    }
    return esvj_bytes(jenv, json, len);
}

/* The text of a check's value, or null when the value is a number or null. */
static jbyteArray embedsvc_java_check_value_text(JNIEnv *jenv, const embedsvc_result *result, size_t index)
{
    const char *text = NULL;
    return embedsvc_result_check_value(result, index, NULL, &text) == 2 ? esvj_cstring(jenv, text) : NULL;
}

/* The kind of a check's value: 1 numeric (into number[0]), 2 text, 0 null, -1 bad index. */
static int embedsvc_java_check_value(const embedsvc_result *result, size_t index, int64_t *number)
{
    return embedsvc_result_check_value(result, index, number, NULL);
}

static jbyteArray embedsvc_java_finding_message(JNIEnv *jenv, const embedsvc_result *result, size_t index,
                                                const char *lang)
{
    char small[512];
    char *buf = small;
    jbyteArray out;
    int n = embedsvc_result_finding_message(result, index, lang, small, sizeof small);
    if (n < 0) {
        esvj_throw_status(jenv, n);
        return NULL;
    }
    if ((size_t)n >= sizeof small) {
        buf = malloc((size_t)n + 1);
        if (!buf) {
            esvj_throw_status(jenv, EMBEDSVC_ENOMEM);
            return NULL;
        }
        n = embedsvc_result_finding_message(result, index, lang, buf, (size_t)n + 1);
    }
    out = n < 0 ? NULL : esvj_bytes(jenv, buf, (size_t)n);
    if (n < 0)
        esvj_throw_status(jenv, n);
    if (buf != small)
        free(buf);
    return out;
}

static jlong embedsvc_java_stage_report_new(JNIEnv *jenv)
{
    embedsvc_stage_report *r = NULL;
    int rc = embedsvc_stage_report_new(NULL, &r);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)r;
}

static jbyteArray embedsvc_java_stage_report_message(JNIEnv *jenv, const embedsvc_stage_report *report,
                                                     size_t index, const char *lang)
{
    char small[512];
    char *buf = small;
    jbyteArray out;
    int n = embedsvc_stage_report_message(report, index, lang, small, sizeof small);
    if (n < 0) {
        esvj_throw_status(jenv, n);
        return NULL;
    }
    if ((size_t)n >= sizeof small) {
        buf = malloc((size_t)n + 1);
        if (!buf) {
            esvj_throw_status(jenv, EMBEDSVC_ENOMEM);
            return NULL;
        }
        n = embedsvc_stage_report_message(report, index, lang, buf, (size_t)n + 1);
    }
    out = n < 0 ? NULL : esvj_bytes(jenv, buf, (size_t)n);
    if (n < 0)
        esvj_throw_status(jenv, n);
    if (buf != small)
        free(buf);
    return out;
}

/* One line of a batch: the output line, or null for a skipped blank line; kind[0] receives 0/1/2. */
static jbyteArray embedsvc_java_batch_line(JNIEnv *jenv, embedsvc_batch *batch, const char *line, size_t len,
                                           int *kind)
{
    const char *out = NULL;
    size_t out_len = 0;
    int rc = embedsvc_batch_line(batch, line, len, &out, &out_len);
    *kind = rc;
    if (rc < 0) {
        esvj_throw_status(jenv, rc);
        return NULL;
    }
    return out ? esvj_bytes(jenv, out, out_len) : NULL;
}

/* ---- Batch.run(): JSON Lines from a stream, framed by the library's line reader ---- */
static jlong embedsvc_java_lines_new(JNIEnv *jenv)
{
    embedsvc_lines *r = NULL;
    int rc = embedsvc_lines_new(0, NULL, &r);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)r;
}

/* Feeds a piece of the input to the reader (finish 1: the input ended; data is then empty) and
 * gives every line it completes to the batch, numbered from base + 1. Returns the output lines,
 * each followed by '\n', as one array (empty when none); status[0] receives 0, or the negative
 * status that stopped the batch at that line (the lines before it are in the array). */
static jbyteArray embedsvc_java_batch_feed(JNIEnv *jenv, embedsvc_batch *batch, embedsvc_lines *lines,
                                           const char *data, size_t len, int finish, int64_t base, int *status)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = finish ? embedsvc_lines_finish(lines) : embedsvc_lines_feed(lines, data, len);
    embedsvc_line line;
    while (rc == EMBEDSVC_OK && (rc = embedsvc_lines_next(lines, &line)) == 1) {
        const char *out = NULL;
        size_t out_len = 0;
        line.number += base;
        rc = embedsvc_batch_framed(batch, &line, &out, &out_len);
        if (rc < 0)
            break;
        rc = EMBEDSVC_OK;
        if (!out)
            continue;
        if (n + out_len + 1 > cap) {
            size_t c = cap ? cap : 65536;
            while (c < n + out_len + 1)
                c *= 2;
            char *nb = realloc(buf, c);
            if (!nb) {
                rc = EMBEDSVC_ENOMEM;
                break;
            }
            buf = nb;
            cap = c;
        }
        memcpy(buf + n, out, out_len);
        n += out_len;
        buf[n++] = '\n';
    }
    *status = rc < 0 ? rc : 0;
    jbyteArray arr = (*jenv)->NewByteArray(jenv, (jsize)n);
    if (arr && n)
        (*jenv)->SetByteArrayRegion(jenv, arr, 0, (jsize)n, (const jbyte *)buf);
    free(buf);
    return arr;
}

/* ---- policy derivation (contract 1): the changes are UTF-8 JSON bytes ---- */
static jlong embedsvc_java_policy_derive(JNIEnv *jenv, const embedsvc_policy *base, const char *data, size_t len)
{
    embedsvc_policy *p = NULL;
    ESVJ_ERROR(err);
    int rc = embedsvc_policy_derive(base, data, len, NULL, &p, &err);
    if (rc < 0)
        esvj_throw(jenv, rc, &err);
    return (jlong)(intptr_t)p;
}

/* ---- comparison ---- */
/* A comparison of the policies whose handles are given, the first the baseline. */
static jlong embedsvc_java_compare_new(JNIEnv *jenv, jlongArray handles)
{
    const embedsvc_policy *policies[EMBEDSVC_COMPARE_MAX_POLICIES];
    jlong h[EMBEDSVC_COMPARE_MAX_POLICIES];
    embedsvc_compare *c = NULL;
    jsize i, n = handles ? (*jenv)->GetArrayLength(jenv, handles) : 0;
    int rc;
    if (n < 1 || n > EMBEDSVC_COMPARE_MAX_POLICIES) {
        esvj_throw_status(jenv, EMBEDSVC_EINVAL);
        return 0;
    }
    (*jenv)->GetLongArrayRegion(jenv, handles, 0, n, h);
    for (i = 0; i < n; i++)
        policies[i] = (const embedsvc_policy *)(intptr_t)h[i];
    rc = embedsvc_compare_new(policies, (size_t)n, NULL, &c);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)c;
}

/* What report/'s HTML shows beyond the aggregates (error lines, why each changed project changed). */
static jlong embedsvc_java_compare_log_new(JNIEnv *jenv)
{
    esv_report_compare_log *log = NULL;
    int rc = esv_report_compare_log_new(&log);
    if (rc < 0)
        esvj_throw_status(jenv, rc);
    return (jlong)(intptr_t)log;
}

static void embedsvc_java_compare_log_free(jlong log)
{
    esv_report_compare_log_free((esv_report_compare_log *)(intptr_t)log);
}

/* One physical line of a portfolio, also noted in the report's log: kind[0] receives 0 added,
 * 1 error, 2 blank; for an error the EmbedsvcException describing it is returned (not thrown),
 * else null. */
static jobject embedsvc_java_compare_line(JNIEnv *jenv, embedsvc_compare *compare, jlong log, const char *line,
                                          size_t len, int *kind)
{
    ESVJ_ERROR(err);
    int rc = esv_report_compare_line((esv_report_compare_log *)(intptr_t)log, compare, line, len, &err);
    *kind = rc;
    if (rc < 0) {
        esvj_throw(jenv, rc, err.code[0] ? &err : NULL);
        return NULL;
    }
    return rc == 1 ? esvj_exception(jenv, err.status < 0 ? err.status : EMBEDSVC_EPARSE, &err) : NULL;
}

static jbyteArray embedsvc_java_compare_to_json(JNIEnv *jenv, embedsvc_compare *compare)
{
    const char *json = NULL;
    size_t len = 0;
    ESVJ_ERROR(err);
    int rc = embedsvc_compare_to_json(compare, &json, &len, &err);
    if (rc < 0) {
        esvj_throw(jenv, rc, &err);
        return NULL;
    }
    return esvj_bytes(jenv, json, len);
}

/* The piece of embedsvc_compare_to_json_next() at *position (the bits of its uint64_t), moving
 * *position past it: empty after the last. */
static jbyteArray embedsvc_java_compare_to_json_next(JNIEnv *jenv, embedsvc_compare *compare, int64_t *position)
{
    const char *piece = NULL;
    size_t len = 0;
    uint64_t at = (uint64_t)*position;
    ESVJ_ERROR(err);
    int rc = embedsvc_compare_to_json_next(compare, &at, &piece, &len, &err);
    if (rc < 0) {
        esvj_throw(jenv, rc, &err);
        return NULL;
    }
    *position = (int64_t)at;
    return esvj_bytes(jenv, piece, len);
}

/* The HTML report of report/ (esv_report_compare_html_string). sources holds, per policy, its file
 * name as NUL-terminated UTF-8 bytes or null (compiled-in or made in memory). */
static jbyteArray embedsvc_java_compare_to_html(JNIEnv *jenv, embedsvc_compare *compare, jlong log, const char *lang,
                                                const char *caption, const char *source, const char *generated,
                                                jobjectArray sources)
{
    const char *files[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    jbyteArray arrays[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    jsize i, n = sources ? (*jenv)->GetArrayLength(jenv, sources) : 0;
    esv_report_html_options o;
    char *html;
    size_t len = 0;
    jbyteArray out = NULL;
    if (n > EMBEDSVC_COMPARE_MAX_POLICIES)
        n = EMBEDSVC_COMPARE_MAX_POLICIES;
    for (i = 0; i < n; i++) {
        arrays[i] = (jbyteArray)(*jenv)->GetObjectArrayElement(jenv, sources, i);
        if (arrays[i])
            files[i] = (const char *)(*jenv)->GetByteArrayElements(jenv, arrays[i], NULL);
    }
    o.lang = lang;
    o.caption = caption;
    o.source = source;
    o.generated = generated;
    o.policy_sources = files;
    html = esv_report_compare_html_string(compare, (const esv_report_compare_log *)(intptr_t)log, &o, &len);
    for (i = 0; i < n; i++) {
        if (arrays[i] && files[i])
            (*jenv)->ReleaseByteArrayElements(jenv, arrays[i], (jbyte *)files[i], JNI_ABORT);
        if (arrays[i])
            (*jenv)->DeleteLocalRef(jenv, arrays[i]);
    }
    if (!html) {
        esvj_throw_status(jenv, EMBEDSVC_ENOMEM);
        return NULL;
    }
    out = esvj_bytes(jenv, html, len);
    free(html);
    return out;
}
%}
