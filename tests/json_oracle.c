/* A differential check of the JSON reader (lib/json.c) against jansson, for tests and fuzzing.
 *
 *   int esv_json_oracle_check(const char *data, size_t len, char *why, size_t why_size);
 *
 * Parses data with esv_json_parse() and with jansson (json_loadb with JSON_DECODE_ANY |
 * JSON_REJECT_DUPLICATES, after removing a leading BOM, which jansson does not skip; a document with
 * a NUL byte, which jansson mishandles, must only be rejected by us) and returns:
 *   0  they agree: both reject, or both accept the same tree (types, string bytes, members in the
 *      same order, numbers: integer tokens equal to jansson's integer, other tokens strtod-equal
 *      to jansson's real); also 0, with why = "skipped: ...", when only our limits (depth 32,
 *      4096-byte strings, 16 MiB) or only jansson's number range reject the document;
 *   1  they disagree, or our tree or error breaks an invariant of json.h; why says where;
 *  -1  the check could not be made (out of memory).
 * why (may be NULL when why_size is 0) is "" on plain agreement. */
#include "json.h"

#include <jansson.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int esv_json_oracle_check(const char *data, size_t len, char *why, size_t why_size);

typedef struct oracle {
    const char *data;
    size_t len;
    char *why;
    size_t why_size;
    char path[1024];
} oracle;

__attribute__((format(printf, 2, 3))) static int say(oracle *o, const char *fmt, ...)
{
    if (o->why && o->why_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(o->why, o->why_size, fmt, ap);
        va_end(ap);
    }
    return 1;
}

static const char *type_name(esv_jtype t)
{
    static const char *const names[] = {"null", "false", "true", "number", "string", "array", "object"};
    return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static bool jansson_type_matches(const esv_jval *v, const json_t *j)
{
    switch (v->type) {
    case ESV_JNULL: return json_is_null(j);
    case ESV_JFALSE: return json_is_false(j);
    case ESV_JTRUE: return json_is_true(j);
    case ESV_JNUMBER: return json_is_number(j);
    case ESV_JSTRING: return json_is_string(j);
    case ESV_JARRAY: return json_is_array(j);
    case ESV_JOBJECT: return json_is_object(j);
    }
    return false;
}

/* Appends "/key" or "/index" to o->path for messages; returns the previous length. */
static size_t path_push(oracle *o, const char *key, size_t key_len, size_t index)
{
    size_t n = strlen(o->path);
    if (key)
        snprintf(o->path + n, sizeof(o->path) - n, "/%.*s", (int)(key_len > 64 ? 64 : key_len), key);
    else
        snprintf(o->path + n, sizeof(o->path) - n, "/%zu", index);
    return n;
}

static int compare_number(oracle *o, const esv_jval *v, const json_t *j)
{
    if (v->len == 0)
        return say(o, "empty number token at '%s'", o->path);
    char *tok = malloc(v->len + 1);
    if (!tok)
        return say(o, "out of memory");
    memcpy(tok, v->str, v->len);
    tok[v->len] = '\0';
    int result = 0;
    bool is_int = strpbrk(tok, ".eE") == NULL;
    if (is_int != (bool)json_is_integer(j)) {
        result = say(o, "number %.40s at '%s': jansson has %s", tok, o->path,
                     json_is_integer(j) ? "an integer" : "a real");
    } else if (is_int) {
        errno = 0;
        long long x = strtoll(tok, NULL, 10);
        if (errno || x != json_integer_value(j))
            result = say(o, "integer %.40s at '%s': jansson has %lld", tok, o->path, (long long)json_integer_value(j));
    } else if (strtod(tok, NULL) != json_real_value(j)) {
        result = say(o, "real %.40s at '%s': jansson has %.17g", tok, o->path, json_real_value(j));
    }
    free(tok);
    return result;
}

/* Checks the invariants of json.h on one node. */
static int check_node(oracle *o, const esv_jval *v)
{
    if (v->offset >= o->len)
        return say(o, "offset %zu out of the document at '%s'", v->offset, o->path);
    char first = o->data[v->offset];
    switch (v->type) {
    case ESV_JNULL:
    case ESV_JFALSE:
    case ESV_JTRUE:
        if (first != "nft"[v->type])
            return say(o, "offset of %s at '%s' does not point at it", type_name(v->type), o->path);
        break;
    case ESV_JNUMBER:
        if (v->str != o->data + v->offset || v->len > o->len - v->offset)
            return say(o, "number at '%s' does not point into the document at its offset", o->path);
        break;
    case ESV_JSTRING:
        if (first != '"' || !v->str || v->str[v->len] != '\0' || strlen(v->str) != v->len ||
            v->len > ESV_JSON_MAX_STRING || esv_utf8_valid_prefix(v->str, v->len) != v->len)
            return say(o, "string at '%s' is not NUL-terminated valid UTF-8 within the limit", o->path);
        break;
    case ESV_JARRAY:
    case ESV_JOBJECT: {
        if (first != (v->type == ESV_JARRAY ? '[' : '{'))
            return say(o, "offset of %s at '%s' does not point at it", type_name(v->type), o->path);
        size_t n = 0;
        for (const esv_jval *c = v->child; c; c = c->next) {
            n++;
            bool member = c->key != NULL;
            if (member != (v->type == ESV_JOBJECT))
                return say(o, "child %zu of '%s' has %s key", n - 1, o->path, member ? "a" : "no");
            if (member && (c->key[c->key_len] != '\0' || strlen(c->key) != c->key_len ||
                           c->key_len > ESV_JSON_MAX_STRING || c->key_offset <= v->offset ||
                           c->key_offset >= c->offset || o->data[c->key_offset] != '"'))
                return say(o, "bad key of member %zu of '%s'", n - 1, o->path);
            if (c->offset <= v->offset)
                return say(o, "child %zu of '%s' is not after its container", n - 1, o->path);
        }
        if (n != v->len)
            return say(o, "'%s' has %zu children but len %zu", o->path, n, v->len);
        break;
    }
    default:
        return say(o, "bad type %d at '%s'", (int)v->type, o->path);
    }
    return 0;
}

static int compare(oracle *o, const esv_jval *v, const json_t *j, size_t depth)
{
    if (depth > ESV_JSON_MAX_DEPTH)
        return say(o, "accepted a value deeper than %d at '%s'", ESV_JSON_MAX_DEPTH, o->path);
    if (check_node(o, v))
        return 1;
    if (!jansson_type_matches(v, j))
        return say(o, "%s at '%s': jansson has another type (%d)", type_name(v->type), o->path, (int)json_typeof(j));
    switch (v->type) {
    case ESV_JNUMBER:
        return compare_number(o, v, j);
    case ESV_JSTRING:
        if (v->len != json_string_length(j) || memcmp(v->str, json_string_value(j), v->len) != 0)
            return say(o, "string at '%s' differs from jansson's", o->path);
        return 0;
    case ESV_JARRAY: {
        if (v->len != json_array_size(j))
            return say(o, "array at '%s' has %zu elements, jansson %zu", o->path, v->len, json_array_size(j));
        size_t i = 0;
        for (const esv_jval *c = v->child; c; c = c->next, i++) {
            size_t mark = path_push(o, NULL, 0, i);
            if (compare(o, c, json_array_get(j, i), depth + 1))
                return 1;
            o->path[mark] = '\0';
        }
        return 0;
    }
    case ESV_JOBJECT: {
        if (v->len != json_object_size(j))
            return say(o, "object at '%s' has %zu members, jansson %zu", o->path, v->len, json_object_size(j));
        void *it = json_object_iter((json_t *)j);
        for (const esv_jval *c = v->child; c; c = c->next) {
            size_t mark = path_push(o, c->key, c->key_len, 0);
            if (!it || json_object_iter_key_len(it) != c->key_len ||
                memcmp(json_object_iter_key(it), c->key, c->key_len) != 0)
                return say(o, "member '%s' is not jansson's member in that place", o->path);
            if (compare(o, c, json_object_iter_value(it), depth + 1))
                return 1;
            o->path[mark] = '\0';
            it = json_object_iter_next((json_t *)j, it);
        }
        return 0;
    }
    default:
        return 0;
    }
}

static bool known_code(const char *code)
{
    return strcmp(code, "parse.syntax") == 0 || strcmp(code, "parse.encoding") == 0 ||
           strcmp(code, "parse.limit") == 0 || strcmp(code, "parse.duplicate_key") == 0;
}

int esv_json_oracle_check(const char *data, size_t len, char *why, size_t why_size)
{
    oracle o = {data ? data : "", len, why, why_size, ""};
    if (why && why_size)
        why[0] = '\0';
    esv_json *p = esv_json_new(NULL);
    if (!p) {
        say(&o, "out of memory");
        return -1;
    }
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const esv_jval *root = NULL;
    int rc = esv_json_parse(p, o.data, len, &root, &err);
    if (rc == EMBEDSVC_ENOMEM) {
        esv_json_free(p);
        say(&o, "out of memory");
        return -1;
    }

    size_t skip = len >= 3 && memcmp(o.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_error_t jerr;
    json_t *j = json_loadb(o.data + skip, len - skip, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    enum json_error_code jcode = j ? json_error_unknown : json_error_code(&jerr);

    int result = 0;
    if (memchr(o.data, '\0', len)) {
        /* jansson's reader takes a NUL byte for the end of its buffer (it accepts "1\0"); a raw NUL is
         * never valid JSON, so we must reject and there is nothing to compare. */
        if (rc == EMBEDSVC_OK)
            result = say(&o, "accepted a document with a NUL byte");
        else if (rc != EMBEDSVC_EPARSE || !known_code(err.code))
            result = say(&o, "bad failure: rc %d, %s", rc, err.code);
    } else if (rc == EMBEDSVC_OK) {
        if (!root) {
            result = say(&o, "accepted without a root");
        } else if (!j && jcode == json_error_numeric_overflow) {
            say(&o, "skipped: jansson's number range (%s)", jerr.text);
        } else if (!j) {
            result = say(&o, "accepted; jansson rejects at %d:%d: %s", jerr.line, jerr.column, jerr.text);
        } else {
            result = compare(&o, root, j, 1);
        }
    } else if (rc != EMBEDSVC_EPARSE || err.status != EMBEDSVC_EPARSE || !known_code(err.code) || err.line < 1 ||
               err.column < 1 || err.offset > len || err.message[0] == '\0' || root) {
        result = say(&o, "bad failure: rc %d, %s at %u:%u offset %llu: %s", rc, err.code, err.line, err.column,
                     (unsigned long long)err.offset, err.message);
    } else if (j) {
        if (strcmp(err.code, "parse.limit") == 0)
            say(&o, "skipped: our limits (%s)", err.message);
        else
            result = say(&o, "rejected (%s at %u:%u path '%s': %s); jansson accepts", err.code, err.line, err.column,
                          err.path, err.message);
    } else if (strcmp(err.code, "parse.duplicate_key") == 0 && jcode != json_error_duplicate_key &&
               jcode != json_error_numeric_overflow) {
        result = say(&o, "duplicate key at '%s'; jansson reports: %s", err.path, jerr.text);
    }
    json_decref(j);
    esv_json_free(p);
    return result;
}
