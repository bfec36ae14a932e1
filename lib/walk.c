/* Reading JSON trees into models: typed values and errors with position and JSON path. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static size_t render(const esv_path *p, char *buf, size_t size, size_t at)
{
    if (!p)
        return at;
    at = render(p->parent, buf, size, at);
    char tmp[32];
    const char *s;
    size_t n;
    if (p->key) {
        s = p->key;
        n = p->key_len;
    } else {
        n = (size_t)snprintf(tmp, sizeof(tmp), "%zu", p->index);
        s = tmp;
    }
    if (at + 1 < size)
        buf[at] = '/';
    at++;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        if (p->key && s[i] == '~')
            rep = "~0";
        else if (p->key && s[i] == '/')
            rep = "~1";
        if (rep) {
            for (int k = 0; k < 2; k++, at++)
                if (at + 1 < size)
                    buf[at] = rep[k];
        } else {
            if (at + 1 < size)
                buf[at] = s[i];
            at++;
        }
    }
    return at;
}

__attribute__((format(printf, 6, 0))) static int vfail(const esv_walk *w, int status, const esv_path *path,
                                                     size_t offset, const char *code,
                 const char *fmt, va_list ap)
{
    char msg[EMBEDSVC_ERROR_MESSAGE_SIZE];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    esv_error_set(w->err, status, code, "%s", msg);
    if (w->doc) /* a value given through the builder API has no position */
        esv_error_position(w->err, w->doc, w->doc_len, offset);
    /* Render generously, then let esv_error_path truncate with "...". */
    char buf[EMBEDSVC_ERROR_PATH_SIZE * 2];
    size_t n = render(path, buf, sizeof(buf), 0);
    esv_error_path(w->err, buf, n < sizeof(buf) ? n : sizeof(buf));
    return status;
}

int esv_walk_fail(const esv_walk *w, const esv_path *path, size_t offset, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(w, EMBEDSVC_EPARSE, path, offset, code, fmt, ap);
    va_end(ap);
    return rc;
}

int esv_walk_fail_status(const esv_walk *w, int status, const esv_path *path, size_t offset, const char *code,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(w, status, path, offset, code, fmt, ap);
    va_end(ap);
    return rc;
}

static const char *type_name(esv_jtype t)
{
    switch (t) {
    case ESV_JNULL:
        return "null";
    case ESV_JFALSE:
    case ESV_JTRUE:
        return "a boolean";
    case ESV_JNUMBER:
        return "a number";
    case ESV_JSTRING:
        return "a string";
    case ESV_JARRAY:
        return "an array";
    case ESV_JOBJECT:
        return "an object";
    }
    return "?";
}

int esv_walk_type_error(const esv_walk *w, const esv_path *path, const esv_jval *v, const char *what)
{
    return esv_walk_fail(w, path, v->offset, "parse.type", "expected %s, found %s", what, type_name(v->type));
}

int esv_walk_expect(const esv_walk *w, const esv_path *path, const esv_jval *v, esv_jtype type, const char *what)
{
    bool ok = v->type == type || (type == ESV_JTRUE && v->type == ESV_JFALSE);
    return ok ? EMBEDSVC_OK : esv_walk_type_error(w, path, v, what);
}

int esv_walk_integer(const esv_walk *w, const esv_path *path, const esv_jval *v, int64_t min, int64_t max,
                     int64_t *out)
{
    if (v->type != ESV_JNUMBER)
        return esv_walk_fail(w, path, v->offset, "parse.type", "expected an integer, found %s", type_name(v->type));
    if (!esv_integer_parse(v->str, v->len, min, max, out))
        return esv_walk_fail(w, path, v->offset, "parse.value", "expected an integer from %lld to %lld",
                             (long long)min, (long long)max);
    return EMBEDSVC_OK;
}

int esv_walk_enum(const esv_walk *w, const esv_path *path, const esv_jval *v, embedsvc_enum kind, int64_t *out)
{
    if (v->type != ESV_JSTRING)
        return esv_walk_fail(w, path, v->offset, "parse.type", "expected a string, found %s", type_name(v->type));
    int e = embedsvc_enum_parse(kind, v->str, v->len);
    if (e < 0) {
        char codes[200] = "";
        size_t n = 0;
        for (int i = 0; embedsvc_enum_code(kind, i) && n < sizeof(codes); i++)
            n += (size_t)snprintf(codes + n, sizeof(codes) - n, "%s%s", i ? ", " : "", embedsvc_enum_code(kind, i));
        return esv_walk_fail(w, path, v->offset, "parse.value", "unknown value (expected one of: %s)", codes);
    }
    *out = e;
    return EMBEDSVC_OK;
}

int esv_walk_date(const esv_walk *w, const esv_path *path, const esv_jval *v)
{
    if (v->type != ESV_JSTRING)
        return esv_walk_fail(w, path, v->offset, "parse.type", "expected a date string, found %s", type_name(v->type));
    if (!esv_date_valid(v->str, v->len))
        return esv_walk_fail(w, path, v->offset, "parse.value", "expected a calendar date YYYY-MM-DD");
    return EMBEDSVC_OK;
}

int esv_walk_unknown(const esv_walk *w, const esv_path *path, const esv_jval *member)
{
    return esv_walk_fail(w, path, member->key_offset, "parse.unknown_field", "unknown field \"%.64s\"", member->key);
}

int esv_walk_missing(const esv_walk *w, const esv_path *object_path, size_t object_offset, const char *key)
{
    esv_path p = {object_path, key, strlen(key), 0};
    return esv_walk_fail(w, &p, object_offset, "parse.missing_field", "required field \"%s\" is missing", key);
}
