/*
 * libembedsvc — SWIG interface of the Python binding: evaluation without result JSON.
 * SPDX-License-Identifier: MIT
 *
 * Included by embedsvc.i. The package's Result objects are built here, in C, from the result
 * accessors of embedsvc.h (eligible, counts, per-class amounts, the cap, functions, checks,
 * finding codes) as one flat tuple per result (the layout is decoded by embedsvc/_result.py,
 * `_T_*`). No JSON is written for them: the `embedsvc.result/1` document with its messages is
 * made only when asked for (`Result.to_dict()`, `.json`, `.findings`), by evaluating the record
 * again from the input the Result keeps.
 *
 * esv_py_run_records() evaluates a JSON Lines buffer or a sequence of documents with the pool of
 * worker threads of src/pool.c (one embedsvc_project and embedsvc_result per worker; the
 * policy is immutable and shared). The records are cut into blocks that the workers claim in
 * turn; each worker writes what the accessors return into its block as 64-bit words; the calling
 * thread, which also evaluates blocks, turns the finished blocks into Python objects in input
 * order. The GIL is released while C evaluates and while waiting.
 *
 * Scenarios, classes and severities are stored as their indexes (decoded in Python); the rules
 * and cites of the checks, the same for every result, are read once (esv_py_check_table). The
 * codes and cites of findings and the text value of a check are the library's static strings
 * (see esv_py_cstr), so the workers store their addresses and the calling thread turns them into
 * Python strings through a small cache keyed by address. The project id is copied.
 *
 * Results of bytes or str input are left out of the cyclic GC (esv_py_new_result): they cannot
 * be part of a cycle, and tracking millions of them made the collector a fifth of the cost.
 */

%{
#include <stdint.h>
#include <stdlib.h>
#include <structmember.h>

#include "pool.h"

/* ---- Python strings of the library's static texts ---------------------------------------- */

#define ESV_PY_CACHE_BITS 10
static struct {
    const char *p; /* the library's address */
    PyObject *s;
} esv_py_cache[1u << ESV_PY_CACHE_BITS];

/* A new reference to the str of one of the library's static texts (a code, rule or cite: never
 * freed, never changed), None for NULL. Needs the GIL. */
static PyObject *esv_py_cstr(const char *p)
{
    if (!p) {
        Py_INCREF(Py_None);
        return Py_None;
    }
    size_t h = (size_t)(((uint64_t)(uintptr_t)p * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - ESV_PY_CACHE_BITS));
    for (size_t k = 0; k < 4; k++) {
        size_t i = (h + k) & ((1u << ESV_PY_CACHE_BITS) - 1);
        if (esv_py_cache[i].p == p) {
            Py_INCREF(esv_py_cache[i].s);
            return esv_py_cache[i].s;
        }
        if (!esv_py_cache[i].p || k == 3) {
            PyObject *s = PyUnicode_DecodeUTF8(p, (Py_ssize_t)strlen(p), "replace");
            if (!s)
                return NULL;
            Py_XDECREF(esv_py_cache[i].s);
            esv_py_cache[i].p = p;
            esv_py_cache[i].s = s;
            Py_INCREF(s);
            return s;
        }
    }
    return NULL; /* not reached */
}

/* ---- the Result and RecordError classes of embedsvc/_result.py --------------------------- */

enum { ESV_PY_SLOT_T, ESV_PY_SLOT_JSON, ESV_PY_SLOT_DOC, ESV_PY_SLOT_SOURCE, ESV_PY_SLOT_TEXT, ESV_PY_SLOT_POLICY,
       ESV_PY_SLOT_LINE, ESV_PY_SLOTS };
static const char *const esv_py_slot_names[ESV_PY_SLOTS] = {"_t", "_json", "_doc", "_source", "_text", "_policy",
                                                            "_line"};
static PyTypeObject *esv_py_result_type = NULL;
static Py_ssize_t esv_py_slot_offset[ESV_PY_SLOTS];
static PyObject *esv_py_record_error = NULL;

/* A new Result with its slots set (steals t, and the other references are new). */
static PyObject *esv_py_new_result(PyObject *t, PyObject *source, PyObject *text, PyObject *policy, long long line)
{
    PyObject *values[ESV_PY_SLOTS] = {t, Py_None, Py_None, source, text, policy, NULL};
    PyObject *r = NULL;
    values[ESV_PY_SLOT_LINE] = PyLong_FromLongLong(line);
    if (values[ESV_PY_SLOT_LINE])
        r = esv_py_result_type->tp_alloc(esv_py_result_type, 0);
    if (!r) {
        Py_DECREF(t);
        Py_XDECREF(values[ESV_PY_SLOT_LINE]);
        return NULL;
    }
    for (int k = 0; k < ESV_PY_SLOTS; k++) {
        PyObject **slot = (PyObject **)(void *)((char *)r + esv_py_slot_offset[k]);
        if (k != ESV_PY_SLOT_T && k != ESV_PY_SLOT_LINE)
            Py_INCREF(values[k]);
        *slot = values[k];
    }
    /* Like CPython for a tuple or dict of atomic values: a Result that refers to nothing that can
     * refer back to it (its input is bytes or str; the tuple is untracked; the Policy holds no
     * results) is left out of the cyclic GC. Result.project, which may cache a dict in _source,
     * tracks it again (esv_py_gc_track). */
    if (PyBytes_CheckExact(source) || PyUnicode_CheckExact(source))
        PyObject_GC_UnTrack(r);
    return r;
}

/* ---- evaluated records as words ----------------------------------------------------------- */

enum { ESV_PY_RESULT = 0, ESV_PY_ERROR = 1, ESV_PY_BLANK = 2, ESV_PY_SKIP = 3, ESV_PY_NOMEM = 4 };

typedef struct esv_py_block {
    int64_t *w;   /* the records of the block, one after the other */
    size_t len, cap;
} esv_py_block;

static int esv_py_reserve(esv_py_block *b, size_t n)
{
    if (b->len + n <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n)
        cap *= 2;
    int64_t *w = PyMem_RawRealloc(b->w, cap * sizeof(*w)); /* no GIL needed */
    if (!w)
        return 0;
    b->w = w;
    b->cap = cap;
    return 1;
}

#define ESV_PY_PTR(p) ((int64_t)(intptr_t)(p))
#define ESV_PY_STR(x) ((const char *)(intptr_t)(x))

static int64_t *esv_py_put_text(int64_t *w, const char *s, size_t n)
{
    *w++ = (int64_t)n;
    if (n)
        memcpy(w, s, n);
    return w + (n + 7) / 8;
}

/* Appends what the accessors of @p r return. 0 when out of memory. */
static int esv_py_put_result(esv_py_block *b, const embedsvc_result *r)
{
    int counts[5];
    for (int k = 0; k < 5; k++)
        counts[k] = embedsvc_result_count(r, (embedsvc_count)k);
    size_t nf = counts[0] > 0 ? (size_t)counts[0] : 0;
    size_t nc = embedsvc_result_check_count(r), nx = embedsvc_result_finding_count(r);
    const char *id = embedsvc_result_project_id(r);
    size_t idn = id ? strlen(id) : 0;
    if (!esv_py_reserve(b, 32 + 4 * nf + 5 * nc + 4 * nx + idn / 8 + 2))
        return 0;
    int64_t *w = b->w + b->len;
    int64_t cap = 0, headroom = 0;
    int has_cap = embedsvc_result_cap_fen(r, &cap) == 1;
    int has_headroom = embedsvc_result_cap_headroom_fen(r, &headroom) == 1;
    *w++ = ESV_PY_RESULT;
    *w++ = (embedsvc_result_eligible(r) ? 1 : 0) | (embedsvc_result_subsidy_eligible(r) ? 2 : 0) |
           (embedsvc_result_capped(r) ? 4 : 0) | (has_cap ? 8 : 0) | (has_headroom ? 16 : 0);
    *w++ = embedsvc_result_total_fen(r);
    for (int k = 0; k < 5; k++)
        *w++ = counts[k];
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        *w++ = embedsvc_result_class_base_fen(r, (embedsvc_class)c);
        *w++ = embedsvc_result_class_rate_bp(r, (embedsvc_class)c);
        *w++ = embedsvc_result_class_amount_fen(r, (embedsvc_class)c);
    }
    *w++ = embedsvc_result_uncapped_fen(r);
    *w++ = cap;
    *w++ = headroom;
    *w++ = (int64_t)nf;
    for (size_t i = 0; i < nf; i++) {
        int s = embedsvc_result_function_scenario(r, i);
        int c = (int)embedsvc_result_function_class(r, i);
        *w++ = s;
        *w++ = c;
        *w++ = embedsvc_result_function_investment_fen(r, i);
        *w++ = embedsvc_result_function_subsidy_fen(r, i);
    }
    *w++ = (int64_t)nc;
    for (size_t i = 0; i < nc; i++) {
        int64_t number = 0, threshold = 0;
        const char *text = NULL;
        int kind = embedsvc_result_check_value(r, i, &number, &text);
        *w++ = embedsvc_result_check_passed(r, i);
        *w++ = kind;
        *w++ = kind == 2 ? ESV_PY_PTR(text) : number;
        *w++ = embedsvc_result_check_threshold(r, i, &threshold);
        *w++ = threshold;
    }
    *w++ = (int64_t)nx;
    for (size_t i = 0; i < nx; i++) {
        *w++ = ESV_PY_PTR(embedsvc_result_finding_code(r, i));
        *w++ = embedsvc_result_finding_severity(r, i);
        *w++ = embedsvc_result_finding_function(r, i);
        *w++ = ESV_PY_PTR(embedsvc_result_finding_cite(r, i));
    }
    w = esv_py_put_text(w, id ? id : "", idn);
    b->len = (size_t)(w - b->w);
    return 1;
}

static int esv_py_put_error(esv_py_block *b, const embedsvc_error *e)
{
    size_t nc = strlen(e->code), nm = strlen(e->message), np = strlen(e->path);
    if (!esv_py_reserve(b, 16 + (nc + nm + np) / 8))
        return 0;
    int64_t *w = b->w + b->len;
    *w++ = ESV_PY_ERROR;
    *w++ = e->line;
    *w++ = e->column;
    w = esv_py_put_text(w, e->code, nc);
    w = esv_py_put_text(w, e->message, nm);
    w = esv_py_put_text(w, e->path, np);
    b->len = (size_t)(w - b->w);
    return 1;
}

static int esv_py_put_kind(esv_py_block *b, int kind)
{
    if (!esv_py_reserve(b, 1))
        return 0;
    b->w[b->len++] = kind;
    return 1;
}

/* Parses and evaluates one record into words. 0 when out of memory (the block is then unusable). */
static int esv_py_eval_record(esv_py_block *b, const embedsvc_policy *policy, embedsvc_project *project,
                              embedsvc_result *result, const char *data, size_t len, int jsonl)
{
    if (!data)
        return esv_py_put_kind(b, ESV_PY_SKIP);
    /* the rules of reference §7 (embedsvc_line_examine(), as embedsvc_batch_line()): a trailing \r
     * goes; a blank line is skipped in a file (jsonl), while a blank record of a sequence is parsed
     * as given (an empty document: parse.syntax); a line over the limit is parse.limit */
    size_t n;
    embedsvc_line_kind kind = embedsvc_line_examine(data, len, 0, &n);
    if (kind == EMBEDSVC_LINE_BLANK) {
        if (jsonl)
            return esv_py_put_kind(b, ESV_PY_BLANK);
        n = len;
        kind = EMBEDSVC_LINE_TEXT;
    }
    embedsvc_error err;
    memset(&err, 0, sizeof(err));
    err.size = sizeof(err);
    int rc = kind == EMBEDSVC_LINE_OVER_LIMIT ? embedsvc_line_limit_error(&err)
                                              : embedsvc_project_parse(project, data, n, &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(policy, project, result, &err);
    if (rc == EMBEDSVC_OK)
        return esv_py_put_result(b, result);
    if (rc == EMBEDSVC_ENOMEM)
        return esv_py_put_kind(b, ESV_PY_NOMEM);
    return esv_py_put_error(b, &err);
}

/* ---- words to Python objects (with the GIL) ----------------------------------------------- */

/* The flat tuple of a result (see _T_* in embedsvc/_result.py); *pos moves past its words. */
static PyObject *esv_py_result_tuple(const int64_t *w0, size_t *pos)
{
    const int64_t *w = w0 + *pos + 1;
    int64_t flags = *w++;
    const int64_t *nfp = w + 1 + 5 + 9 + 3;
    size_t nf = (size_t)*nfp;
    size_t nc = (size_t)nfp[1 + 4 * nf];
    size_t nx = (size_t)nfp[1 + 4 * nf + 1 + 5 * nc];
    Py_ssize_t size = (Py_ssize_t)(23 + 4 * nf + 1 + 3 * nc + 1 + 4 * nx);
    PyObject *t = PyTuple_New(size);
    if (!t)
        return NULL;
    Py_ssize_t k = 0;
#define ESV_PY_SET(expr)                      \
    do {                                      \
        PyObject *v_ = (expr);                \
        if (!v_)                              \
            goto fail;                        \
        PyTuple_SET_ITEM(t, k++, v_);         \
    } while (0)
#define ESV_PY_INT(x) PyLong_FromLongLong((long long)(x))
    const int64_t *idw = nfp + 1 + 4 * nf + 1 + 5 * nc + 1 + 4 * nx;
    ESV_PY_SET(PyUnicode_DecodeUTF8((const char *)(idw + 1), (Py_ssize_t)*idw, "replace"));
    ESV_PY_SET(PyBool_FromLong(flags & 1));
    ESV_PY_SET(PyBool_FromLong(flags & 2));
    ESV_PY_SET(ESV_PY_INT(*w++));            /* total_fen */
    for (int i = 0; i < 5 + 9 + 1; i++)     /* counts, classes, uncapped_fen */
        ESV_PY_SET(ESV_PY_INT(*w++));
    if (flags & 8)
        ESV_PY_SET(ESV_PY_INT(*w));
    else
        ESV_PY_SET((Py_INCREF(Py_None), Py_None));
    w++;
    ESV_PY_SET(PyBool_FromLong(flags & 4));
    if (flags & 16)
        ESV_PY_SET(ESV_PY_INT(*w));
    else
        ESV_PY_SET((Py_INCREF(Py_None), Py_None));
    w++;
    ESV_PY_SET(ESV_PY_INT(*w++));            /* functions */
    for (size_t i = 0; i < nf; i++) { /* scenario and class as indexes (-1: none) */
        ESV_PY_SET(ESV_PY_INT(*w++));
        ESV_PY_SET(ESV_PY_INT(*w++));
        ESV_PY_SET(ESV_PY_INT(*w++));
        ESV_PY_SET(ESV_PY_INT(*w++));
    }
    ESV_PY_SET(ESV_PY_INT(*w++));            /* checks (their rules and cites: esv_py_check_table) */
    for (size_t i = 0; i < nc; i++) {
        int64_t passed = *w++;
        ESV_PY_SET(passed < 0 ? (Py_INCREF(Py_None), Py_None) : PyBool_FromLong((long)passed));
        int64_t kind = *w++;
        ESV_PY_SET(kind == 1 ? ESV_PY_INT(*w) : kind == 2 ? esv_py_cstr(ESV_PY_STR(*w)) : (Py_INCREF(Py_None), Py_None));
        w++;
        int64_t has = *w++;
        ESV_PY_SET(has == 1 ? ESV_PY_INT(*w) : (Py_INCREF(Py_None), Py_None));
        w++;
    }
    ESV_PY_SET(ESV_PY_INT(*w++));            /* findings */
    for (size_t i = 0; i < nx; i++) { /* severity as an embedsvc_severity */
        ESV_PY_SET(esv_py_cstr(ESV_PY_STR(*w++)));
        ESV_PY_SET(ESV_PY_INT(*w++));
        int64_t function = *w++;
        ESV_PY_SET(function < 0 ? (Py_INCREF(Py_None), Py_None) : ESV_PY_INT(function));
        ESV_PY_SET(esv_py_cstr(ESV_PY_STR(*w++)));
    }
#undef ESV_PY_SET
#undef ESV_PY_INT
    *pos = (size_t)(idw + 1 + (*idw + 7) / 8 - w0);
    PyObject_GC_UnTrack(t); /* only str, int, bool and None in it: as CPython untracks such tuples */
    return t;
fail:
    Py_DECREF(t); /* the unset items are NULL: tuple_dealloc skips them */
    return NULL;
}

static PyObject *esv_py_take_text(const int64_t **w)
{
    size_t n = (size_t)**w;
    PyObject *s = PyUnicode_DecodeUTF8((const char *)(*w + 1), (Py_ssize_t)n, "replace");
    *w += 1 + (n + 7) / 8;
    return s;
}

/* The error dict of reference §7 (code, message, path, line, column) of an error record. */
static PyObject *esv_py_error_dict(const int64_t *w0, size_t *pos)
{
    const int64_t *w = w0 + *pos + 1;
    long long line = *w++, column = *w++;
    PyObject *code = esv_py_take_text(&w);
    PyObject *message = esv_py_take_text(&w);
    PyObject *path = esv_py_take_text(&w);
    *pos = (size_t)(w - w0);
    if (!code || !message || !path) {
        Py_XDECREF(code);
        Py_XDECREF(message);
        Py_XDECREF(path);
        return NULL;
    }
    return Py_BuildValue("{s:N,s:N,s:N,s:L,s:L}", "code", code, "message", message, "path", path, "line", line,
                         "column", column);
}

/* ---- the input: a buffer of lines or a sequence of documents ------------------------------ */

typedef struct esv_py_input {
    size_t n;
    const char **data; /* each record's bytes; NULL: left to Python */
    size_t *len;
    PyObject *items;   /* a sequence's items (a tuple, so that their bytes stay put), or NULL */
    PyObject *texts;   /* the document of each item (a dict's JSON), or NULL */
    Py_buffer blob, *views;
    size_t nviews;
    int have_blob;
} esv_py_input;

static void esv_py_input_free(esv_py_input *in)
{
    for (size_t k = 0; k < in->nviews; k++)
        PyBuffer_Release(&in->views[k]);
    PyMem_Free(in->views);
    PyMem_Free(in->data);
    PyMem_Free(in->len);
    if (in->have_blob)
        PyBuffer_Release(&in->blob);
    Py_XDECREF(in->items);
    Py_XDECREF(in->texts);
    memset(in, 0, sizeof(*in));
}

/* Cuts in->blob into its physical lines with the library's line reader (embedsvc/lines.h), fed
 * the one piece and finished first, so that every line but one longer than the limit is handed out
 * in place. A record is a whole line as in the input (its '\r' kept: the Result's source is the
 * line as given); esv_py_eval_record() applies the line rules to it. 0 with a Python error set. */
static int esv_py_input_lines(esv_py_input *in)
{
    const char *base = in->blob.buf ? in->blob.buf : "";
    size_t size = (size_t)in->blob.len, cap = 0;
    embedsvc_lines *reader = NULL;
    embedsvc_line ln;
    int rc = embedsvc_lines_new(0, NULL, &reader);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_lines_feed(reader, base, size);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_lines_finish(reader);
    while (rc == EMBEDSVC_OK && (rc = embedsvc_lines_next(reader, &ln)) == 1) {
        rc = EMBEDSVC_OK;
        if (in->n == cap) {
            cap = cap ? 2 * cap : 1024;
            const char **d = PyMem_Realloc(in->data, sizeof(*d) * cap);
            if (d)
                in->data = d;
            size_t *l = d ? PyMem_Realloc(in->len, sizeof(*l) * cap) : NULL;
            if (!l) {
                rc = EMBEDSVC_ENOMEM;
                break;
            }
            in->len = l;
        }
        size_t end = (size_t)ln.offset + ln.len;
        in->data[in->n] = base + ln.offset;
        in->len[in->n++] = ln.len + (end < size && base[end] == '\r');
    }
    embedsvc_lines_free(reader);
    if (rc < 0) {
        PyErr_NoMemory();
        return 0;
    }
    return 1;
}

/* Reads @p data (GIL held): a bytes-like buffer cut into lines when @p lines is 1 and it is not a
 * list or tuple, else a sequence of records: bytes, str (UTF-8; NULL when it cannot be encoded),
 * other bytes-like objects, and with @p dicts exact dicts written by esv_py_dumps() (NULL when it
 * leaves them to the json module). Anything else is NULL. 0 with a Python error set. */
static int esv_py_input_init(esv_py_input *in, PyObject *data, int lines, int dicts)
{
    memset(in, 0, sizeof(*in));
    if (lines && !PyList_Check(data) && !PyTuple_Check(data) && PyObject_CheckBuffer(data)) {
        if (PyObject_GetBuffer(data, &in->blob, PyBUF_SIMPLE) < 0)
            return 0;
        in->have_blob = 1;
        return esv_py_input_lines(in);
    }
    in->items = PySequence_Tuple(data);
    if (!in->items)
        return 0;
    in->n = (size_t)PyTuple_GET_SIZE(in->items);
    in->texts = PyTuple_New((Py_ssize_t)in->n);
    in->data = PyMem_Malloc(sizeof(*in->data) * (in->n + 1));
    in->len = PyMem_Malloc(sizeof(*in->len) * (in->n + 1));
    in->views = PyMem_Malloc(sizeof(*in->views) * (in->n + 1));
    if (!in->texts || !in->data || !in->len || !in->views) {
        if (in->texts)
            PyErr_NoMemory();
        return 0;
    }
    for (size_t i = 0; i < in->n; i++) {
        PyObject *o = PyTuple_GET_ITEM(in->items, (Py_ssize_t)i);
        in->data[i] = NULL;
        in->len[i] = 0;
        if (dicts && PyDict_CheckExact(o)) {
            PyObject *text = esv_py_dumps(o);
            if (!text)
                return 0;
            PyTuple_SET_ITEM(in->texts, (Py_ssize_t)i, text);
            if (text != Py_None) {
                in->data[i] = PyBytes_AS_STRING(text);
                in->len[i] = (size_t)PyBytes_GET_SIZE(text);
            }
            continue;
        }
        Py_INCREF(o);
        PyTuple_SET_ITEM(in->texts, (Py_ssize_t)i, o);
        if (PyBytes_Check(o)) {
            in->data[i] = PyBytes_AS_STRING(o);
            in->len[i] = (size_t)PyBytes_GET_SIZE(o);
        } else if (PyUnicode_Check(o)) {
            Py_ssize_t n;
            in->data[i] = PyUnicode_AsUTF8AndSize(o, &n);
            if (in->data[i])
                in->len[i] = (size_t)n;
            else
                PyErr_Clear(); /* an unpaired surrogate: Python reports it */
        } else if (o != Py_None && PyObject_CheckBuffer(o)) {
            if (PyObject_GetBuffer(o, &in->views[in->nviews], PyBUF_SIMPLE) < 0) {
                PyErr_Clear();
                continue;
            }
            in->data[i] = in->views[in->nviews].buf ? in->views[in->nviews].buf : "";
            in->len[i] = (size_t)in->views[in->nviews].len;
            in->nviews++;
        }
    }
    return 1;
}

/* ---- the job: records, blocks and workers ------------------------------------------------- */

typedef struct esv_py_job {
    const embedsvc_policy *policy;
    size_t n;             /* records */
    const char **data;    /* each record's bytes; NULL: left to Python */
    size_t *len;
    int jsonl;
    size_t bsize, nblocks;
    esv_py_block *blocks;
    embedsvc_project *projects[ESV_POOL_MAX_WORKERS]; /* per worker of the pool */
    embedsvc_result *results[ESV_POOL_MAX_WORKERS];
} esv_py_job;

/* A task of the pool: evaluates block @p k with the scratch objects of @p worker. */
static void esv_py_block_task(void *ctx, size_t k, size_t worker)
{
    esv_py_job *job = ctx;
    esv_py_block *b = &job->blocks[k];
    size_t end = (k + 1) * job->bsize < job->n ? (k + 1) * job->bsize : job->n;
    for (size_t i = k * job->bsize; i < end; i++) {
        if (!esv_py_eval_record(b, job->policy, job->projects[worker], job->results[worker], job->data[i],
                                job->len[i], job->jsonl)) {
            PyMem_RawFree(b->w);
            b->w = NULL;
            b->len = b->cap = 0;
            break; /* an empty block: the caller raises MemoryError */
        }
    }
}

/* Turns block @p k into objects appended to @p out. 0 with a Python error set. */
static int esv_py_convert_block(esv_py_job *job, size_t k, PyObject *out, PyObject *fix, PyObject *items,
                                PyObject *texts, PyObject *owner, long long first_line)
{
    esv_py_block *b = &job->blocks[k];
    size_t start = k * job->bsize, end = (k + 1) * job->bsize < job->n ? (k + 1) * job->bsize : job->n;
    if (!b->w && end > start) {
        esv_py_raise(EMBEDSVC_ENOMEM, NULL);
        return 0;
    }
    size_t pos = 0;
    for (size_t i = start; i < end; i++) {
        int64_t kind = b->w[pos];
        PyObject *obj = NULL;
        if (kind == ESV_PY_BLANK || kind == ESV_PY_SKIP) {
            pos++;
            if (kind == ESV_PY_BLANK)
                continue;
            /* left to Python: the input's index in place of the result, the place in `fix` */
            PyObject *place = PyLong_FromSsize_t(PyList_GET_SIZE(out));
            int rc = place ? PyList_Append(fix, place) : -1;
            Py_XDECREF(place);
            if (rc < 0)
                return 0;
            obj = PyLong_FromSize_t(i);
        } else if (kind == ESV_PY_NOMEM) {
            esv_py_raise(EMBEDSVC_ENOMEM, NULL);
            return 0;
        } else {
            PyObject *text, *source;
            if (items) {
                text = PyTuple_GET_ITEM(texts, (Py_ssize_t)i);
                Py_INCREF(text);
            } else {
                text = PyBytes_FromStringAndSize(job->data[i], (Py_ssize_t)job->len[i]);
                if (!text)
                    return 0;
            }
            source = items ? PyTuple_GET_ITEM(items, (Py_ssize_t)i) : text;
            long long line = first_line + (long long)i;
            if (kind == ESV_PY_RESULT) {
                PyObject *t = esv_py_result_tuple(b->w, &pos);
                obj = t ? esv_py_new_result(t, source, text, owner, line) : NULL;
            } else {
                PyObject *error = esv_py_error_dict(b->w, &pos);
                obj = error ? PyObject_CallFunction(esv_py_record_error, "LNO", line, error, source) : NULL;
            }
            Py_DECREF(text);
        }
        if (!obj)
            return 0;
        int rc = PyList_Append(out, obj);
        Py_DECREF(obj);
        if (rc < 0)
            return 0;
    }
    PyMem_RawFree(b->w);
    b->w = NULL;
    return 1;
}
/* One evaluation (and first a parse when data is not NULL) without the GIL: (json bytes, tuple). */
static PyObject *esv_py_one(const embedsvc_policy *policy, embedsvc_project *project, embedsvc_result *result,
                            const char *data, size_t len)
{
    embedsvc_error err;
    memset(&err, 0, sizeof(err));
    err.size = sizeof(err);
    const char *json = NULL;
    size_t json_len = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = data ? embedsvc_project_parse(project, data, len, &err) : EMBEDSVC_OK;
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(policy, project, result, &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_to_json(result, &json, &json_len, &err);
    Py_END_ALLOW_THREADS
    if (rc != EMBEDSVC_OK) {
        esv_py_raise(rc, &err);
        return NULL;
    }
    esv_py_block b;
    memset(&b, 0, sizeof(b));
    if (!esv_py_put_result(&b, result)) {
        esv_py_raise(EMBEDSVC_ENOMEM, NULL);
        return NULL;
    }
    size_t pos = 0;
    PyObject *t = esv_py_result_tuple(b.w, &pos);
    PyMem_RawFree(b.w);
    return t ? Py_BuildValue("(y#N)", json, (Py_ssize_t)json_len, t) : NULL;
}
%}

%nothread;
%inline %{
/** The rule and cite of each check, in table order ((rule, cite), ...): the same for every result
 *  (reference §3.2), so the results' tuples leave them out. */
PyObject *esv_py_check_table(void)
{
    static const char doc[] = "{\"id\":\"x\",\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":[{\"label\":\"x\"}]}";
    embedsvc_policy *policy = NULL;
    embedsvc_project *project = NULL;
    embedsvc_result *result = NULL;
    PyObject *out = NULL;
    int rc = embedsvc_policy_default(NULL, &policy, NULL);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_project_new(NULL, &project);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_new(NULL, &result);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_project_parse(project, doc, sizeof(doc) - 1, NULL);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(policy, project, result, NULL);
    if (rc == EMBEDSVC_OK) {
        size_t n = embedsvc_result_check_count(result);
        out = PyTuple_New((Py_ssize_t)n);
        for (size_t i = 0; out && i < n; i++) {
            PyObject *pair = Py_BuildValue("(NN)", esv_py_cstr(embedsvc_result_check_rule(result, i)),
                                           esv_py_cstr(embedsvc_result_check_cite(result, i)));
            if (!pair)
                Py_CLEAR(out);
            else
                PyTuple_SET_ITEM(out, (Py_ssize_t)i, pair);
        }
    } else {
        esv_py_raise(rc, NULL);
    }
    embedsvc_result_free(result);
    embedsvc_project_free(project);
    embedsvc_policy_free(policy);
    return out;
}

/** Puts an object back under the cyclic GC (a Result that now refers to a dict). */
PyObject *esv_py_gc_track(PyObject *obj)
{
    if (PyObject_IS_GC(obj) && !PyObject_GC_IsTracked(obj))
        PyObject_GC_Track(obj);
    Py_RETURN_NONE;
}

/** Registers the Result and RecordError classes of embedsvc/_result.py; Result must have the
 *  writable slots _t, _json, _doc, _source, _text, _policy and _line. */
PyObject *esv_py_set_classes(PyObject *result_class, PyObject *record_error_class)
{
    if (!PyType_Check(result_class) || !PyCallable_Check(record_error_class)) {
        PyErr_SetString(PyExc_TypeError, "expected the Result class and the RecordError class");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)result_class;
    for (int k = 0; k < ESV_PY_SLOTS; k++) {
        PyObject *d = PyObject_GetAttrString(result_class, esv_py_slot_names[k]);
        if (!d)
            return NULL;
        int ok = Py_IS_TYPE(d, &PyMemberDescr_Type) && ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX &&
                 !(((PyMemberDescrObject *)d)->d_member->flags & READONLY) &&
                 ((PyMemberDescrObject *)d)->d_member->offset + (Py_ssize_t)sizeof(PyObject *) <= type->tp_basicsize;
        if (ok)
            esv_py_slot_offset[k] = ((PyMemberDescrObject *)d)->d_member->offset;
        Py_DECREF(d);
        if (!ok) {
            PyErr_Format(PyExc_TypeError, "Result.%s must be a slot", esv_py_slot_names[k]);
            return NULL;
        }
    }
    Py_INCREF(result_class);
    Py_XSETREF(esv_py_result_type, type);
    Py_INCREF(record_error_class);
    Py_XSETREF(esv_py_record_error, record_error_class);
    Py_RETURN_NONE;
}

/**
 * Evaluates records under @p policy with the GIL released while C works and `workers` threads
 * (the caller's included). Returns (results, fix, count): `results` holds a Result or a
 * RecordError per record in input order, except the records left to Python, whose place holds
 * the index of the record in @p data; `fix` lists those places; `count` is the number of records
 * (lines) read.
 *
 * @p data is a bytes-like JSON Lines buffer when @p jsonl is 1 (lines without their '\n'; a
 * trailing '\r' removed; blank lines skipped; the record's `line` counts the lines from
 * @p first_line), or a sequence of records: dicts (written as JSON by esv_py_dumps()), str, bytes
 * or other bytes-like objects. A sequence with @p jsonl 1 gives the line semantics above to each
 * item; with 0 each item is a whole document and its `line` is its position plus @p first_line.
 * Left to Python: items of other types, dicts esv_py_dumps() leaves to the json module, and str
 * that are not valid UTF-8. Every Result keeps @p owner (the Policy object), its input as given
 * (`_source`) and the document it was evaluated from (`_text`), to re-evaluate on demand.
 */
PyObject *esv_py_run_records(const embedsvc_policy *policy, PyObject *owner, PyObject *data, long long first_line,
                             int jsonl, int workers)
{
    esv_py_job job;
    memset(&job, 0, sizeof(job));
    job.policy = policy;
    job.jsonl = jsonl;
    PyObject *items, *texts, *out = NULL, *fix = NULL, *result_obj = NULL;
    esv_py_input in;
    esv_pool *pool = NULL;

    memset(&in, 0, sizeof(in));
    if (!policy || !esv_py_result_type) {
        PyErr_SetString(PyExc_RuntimeError, "no policy, or the Result class is not registered");
        return NULL;
    }
    if (workers < 1)
        workers = 1;
    if (workers > ESV_POOL_MAX_WORKERS)
        workers = ESV_POOL_MAX_WORKERS;

    if (!esv_py_input_init(&in, data, jsonl, 1))
        goto done;
    job.n = in.n;
    job.data = in.data;
    job.len = in.len;
    items = in.items;
    texts = in.texts;

    /* Blocks: at least 8 per worker for balance, 16 to 256 records each. */
    job.bsize = job.n / ((size_t)workers * 8);
    job.bsize = job.bsize < 16 ? 16 : job.bsize > 256 ? 256 : job.bsize;
    job.nblocks = (job.n + job.bsize - 1) / job.bsize;
    job.blocks = PyMem_Calloc(job.nblocks + 1, sizeof(*job.blocks));
    out = PyList_New(0);
    fix = PyList_New(0);
    if (!job.blocks || !out || !fix) {
        if (!job.blocks)
            PyErr_NoMemory();
        goto done;
    }
    /* Workers beyond the caller only when there are blocks for them and enough records to pay for
     * a thread. */
    size_t nworkers = job.n >= 256 ? (size_t)workers : 1;
    if (nworkers > job.nblocks)
        nworkers = job.nblocks ? job.nblocks : 1;
    for (size_t w = 0; w < nworkers; w++) {
        if (embedsvc_project_new(NULL, &job.projects[w]) != EMBEDSVC_OK ||
            embedsvc_result_new(NULL, &job.results[w]) != EMBEDSVC_OK) {
            esv_py_raise(EMBEDSVC_ENOMEM, NULL);
            goto done;
        }
    }
    pool = esv_pool_start(job.nblocks, nworkers, esv_py_block_task, &job);
    if (!pool) {
        PyErr_NoMemory();
        goto done;
    }
    /* The caller converts block k while the workers evaluate the next ones. */
    for (size_t k = 0; k < job.nblocks; k++) {
        Py_BEGIN_ALLOW_THREADS
        esv_pool_wait(pool, k);
        Py_END_ALLOW_THREADS
        if (!esv_py_convert_block(&job, k, out, fix, items, texts, owner, first_line))
            goto done;
    }
    {
        PyObject *count = PyLong_FromSize_t(job.n);
        result_obj = count ? PyTuple_Pack(3, out, fix, count) : NULL;
        Py_XDECREF(count);
    }

done:
    /* Stop the workers (after an error: the blocks left are not claimed) and join them. */
    if (pool) {
        Py_BEGIN_ALLOW_THREADS
        esv_pool_finish(pool);
        Py_END_ALLOW_THREADS
    }
    if (job.blocks) {
        for (size_t k = 0; k < job.nblocks; k++)
            PyMem_RawFree(job.blocks[k].w);
        PyMem_Free(job.blocks);
    }
    for (size_t w = 0; w < ESV_POOL_MAX_WORKERS; w++) {
        embedsvc_result_free(job.results[w]);
        embedsvc_project_free(job.projects[w]);
    }
    esv_py_input_free(&in);
    Py_XDECREF(out);
    Py_XDECREF(fix);
    return result_obj;
}

/**
 * Adds JSON Lines to a comparison, with the GIL released: @p data is a bytes-like buffer (cut into
 * lines, as embedsvc_compare_line() expects them) or a sequence of bytes-like objects or str (one
 * line each). Returns a list of (line, code, message, path, error_line, error_column, text) for
 * the lines that are errors (`text` the line). Raises on ENOMEM or ERANGE (the line that caused
 * it is not added), and TypeError for an item that is neither bytes nor valid UTF-8 str. With
 * @p log (or None), the HTML report's log of report/ records each line too.
 */
PyObject *esv_py_compare_feed(embedsvc_compare *compare, esv_report_compare_log *log, PyObject *data)
{
    esv_py_input in;
    esv_py_block errors;
    embedsvc_error err;
    PyObject *out = NULL;
    int rc = 0, nomem = 0;
    memset(&errors, 0, sizeof(errors));
    memset(&err, 0, sizeof(err));
    err.size = sizeof(err);
    if (!compare) {
        esv_py_raise(EMBEDSVC_EINVAL, NULL);
        return NULL;
    }
    if (!esv_py_input_init(&in, data, 1, 0))
        goto done;
    for (size_t i = 0; i < in.n; i++) {
        if (!in.data[i]) {
            PyErr_SetString(PyExc_TypeError, "each line must be bytes or str (valid UTF-8)");
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    for (size_t i = 0; i < in.n; i++) {
        /* with a log (report/): the error lines and the reasons of the changed projects too */
        rc = log ? esv_report_compare_line(log, compare, in.data[i], in.len[i], &err)
                 : embedsvc_compare_line(compare, in.data[i], in.len[i], &err);
        if (rc < 0)
            break;
        if (rc == 1) {
            int64_t line = embedsvc_compare_stat(compare, EMBEDSVC_COMPARE_STAT_LINES);
            if (!esv_py_put_error(&errors, &err) || !esv_py_reserve(&errors, 2)) {
                nomem = 1;
                break;
            }
            /* the error record, then its line and the item's index */
            errors.w[errors.len++] = line;
            errors.w[errors.len++] = (int64_t)i;
        }
        memset(&err, 0, sizeof(err));
        err.size = sizeof(err);
    }
    Py_END_ALLOW_THREADS
    if (rc < 0 || nomem) {
        esv_py_raise(nomem ? EMBEDSVC_ENOMEM : rc, nomem ? NULL : &err);
        goto done;
    }
    out = PyList_New(0);
    for (size_t pos = 0; out && pos < errors.len;) {
        PyObject *e = esv_py_error_dict(errors.w, &pos);
        long long line = errors.w[pos++];
        size_t i = (size_t)errors.w[pos++];
        PyObject *text = in.items ? (Py_INCREF(PyTuple_GET_ITEM(in.items, (Py_ssize_t)i)),
                                     PyTuple_GET_ITEM(in.items, (Py_ssize_t)i))
                                  : PyBytes_FromStringAndSize(in.data[i], (Py_ssize_t)in.len[i]);
        PyObject *row = e && text ? Py_BuildValue("(LOOOOOO)", line, PyDict_GetItemString(e, "code"),
                                                  PyDict_GetItemString(e, "message"),
                                                  PyDict_GetItemString(e, "path"), PyDict_GetItemString(e, "line"),
                                                  PyDict_GetItemString(e, "column"), text)
                                  : NULL;
        Py_XDECREF(e);
        Py_XDECREF(text);
        if (!row || PyList_Append(out, row) < 0)
            Py_CLEAR(out);
        Py_XDECREF(row);
    }
done:
    PyMem_RawFree(errors.w);
    esv_py_input_free(&in);
    return out;
}

/** Evaluates a parsed project into @p result: (json bytes, the flat tuple of a Result); raises on an error. */
PyObject *esv_py_evaluate(const embedsvc_policy *policy, const embedsvc_project *project, embedsvc_result *result)
{
    return esv_py_one(policy, (embedsvc_project *)project, result, NULL, 0);
}

/** Parses a project document into @p project and evaluates it, as esv_py_evaluate(). */
PyObject *esv_py_parse_evaluate(const embedsvc_policy *policy, embedsvc_project *project, embedsvc_result *result,
                                const char *data, size_t len)
{
    return esv_py_one(policy, project, result, data ? data : "", len);
}

/** Parses a project document into @p project without the GIL; raises on an error. */
PyObject *esv_py_parse(embedsvc_project *project, const char *data, size_t len)
{
    embedsvc_error err;
    memset(&err, 0, sizeof(err));
    err.size = sizeof(err);
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = embedsvc_project_parse(project, data ? data : "", len, &err);
    Py_END_ALLOW_THREADS
    if (rc != EMBEDSVC_OK) {
        esv_py_raise(rc, &err);
        return NULL;
    }
    Py_RETURN_NONE;
}
%}
