/* Fuzzes the library's JSON reader (lib/json.h esv_json_parse).
 *
 * Invariants: a failure is EMBEDSVC_EPARSE with one of the reader's codes, a well-formed position
 * and path, the same on a second parser, and parse.encoding at the first invalid UTF-8 byte when
 * there is one; an accepted tree keeps the promises of json.h (types, offsets, NUL-terminated
 * valid UTF-8 strings within the limit, child counts, depth <= 32, no duplicate key); written back
 * as compact JSON it parses again to a tree that writes the same bytes. */
#include "fuzz.h"

#include <string.h>

static esv_alloc std_al;

static void check_tree(const esv_jval *v, const char *doc, size_t len, size_t depth)
{
    FUZZ_CHECK(depth <= ESV_JSON_MAX_DEPTH);
    FUZZ_CHECK(v->offset < len);
    const char first = doc[v->offset];
    switch (v->type) {
    case ESV_JNULL:
        FUZZ_CHECK(len - v->offset >= 4 && memcmp(doc + v->offset, "null", 4) == 0);
        break;
    case ESV_JFALSE:
        FUZZ_CHECK(len - v->offset >= 5 && memcmp(doc + v->offset, "false", 5) == 0);
        break;
    case ESV_JTRUE:
        FUZZ_CHECK(len - v->offset >= 4 && memcmp(doc + v->offset, "true", 4) == 0);
        break;
    case ESV_JNUMBER:
        FUZZ_CHECK(v->str == doc + v->offset && v->len >= 1 && v->len <= len - v->offset);
        FUZZ_CHECK(first == '-' || (first >= '0' && first <= '9'));
        for (size_t i = 0; i < v->len; i++)
            FUZZ_CHECK(strchr("0123456789+-.eE", v->str[i]) != NULL && v->str[i] != '\0');
        break;
    case ESV_JSTRING:
        FUZZ_CHECK(first == '"' && v->str && v->str[v->len] == '\0' && strlen(v->str) == v->len);
        FUZZ_CHECK(v->len <= ESV_JSON_MAX_STRING && esv_utf8_valid_prefix(v->str, v->len) == v->len);
        break;
    case ESV_JARRAY:
    case ESV_JOBJECT: {
        FUZZ_CHECK(first == (v->type == ESV_JARRAY ? '[' : '{'));
        size_t n = 0, prev = v->offset;
        for (const esv_jval *c = v->child; c; c = c->next, n++) {
            FUZZ_CHECK(c->offset > prev);
            prev = c->offset;
            if (v->type == ESV_JOBJECT) {
                FUZZ_CHECK(c->key && c->key[c->key_len] == '\0' && strlen(c->key) == c->key_len);
                FUZZ_CHECK(c->key_len <= ESV_JSON_MAX_STRING);
                FUZZ_CHECK(esv_utf8_valid_prefix(c->key, c->key_len) == c->key_len);
                FUZZ_CHECK(c->key_offset > v->offset && c->key_offset < c->offset && doc[c->key_offset] == '"');
                if (v->len <= 256) /* duplicates: the quadratic check on objects of a sensible size */
                    for (const esv_jval *d = c->next; d; d = d->next)
                        FUZZ_CHECK(d->key_len != c->key_len || memcmp(d->key, c->key, c->key_len) != 0);
            } else {
                FUZZ_CHECK(c->key == NULL);
            }
            check_tree(c, doc, len, depth + 1);
        }
        FUZZ_CHECK(n == v->len);
        break;
    }
    default:
        fuzz_fail(__FILE__, __LINE__, "unknown value type");
    }
}

static void write_value(esv_buf *b, const esv_jval *v)
{
    static const char *const literals[] = {"null", "false", "true"};
    switch (v->type) {
    case ESV_JNULL:
    case ESV_JFALSE:
    case ESV_JTRUE:
        FUZZ_CHECK(esv_buf_append(b, &std_al, literals[v->type], strlen(literals[v->type])));
        break;
    case ESV_JNUMBER:
        FUZZ_CHECK(esv_buf_append(b, &std_al, v->str, v->len));
        break;
    case ESV_JSTRING:
        FUZZ_CHECK(esv_json_write_string(b, &std_al, v->str, v->len));
        break;
    case ESV_JARRAY:
    case ESV_JOBJECT: {
        const bool obj = v->type == ESV_JOBJECT;
        FUZZ_CHECK(esv_buf_append(b, &std_al, obj ? "{" : "[", 1));
        for (const esv_jval *c = v->child; c; c = c->next) {
            if (c != v->child)
                FUZZ_CHECK(esv_buf_append(b, &std_al, ",", 1));
            if (obj) {
                FUZZ_CHECK(esv_json_write_string(b, &std_al, c->key, c->key_len));
                FUZZ_CHECK(esv_buf_append(b, &std_al, ":", 1));
            }
            write_value(b, c);
        }
        FUZZ_CHECK(esv_buf_append(b, &std_al, obj ? "}" : "]", 1));
        break;
    }
    }
}

static bool known_code(const char *code)
{
    return strcmp(code, "parse.syntax") == 0 || strcmp(code, "parse.encoding") == 0 ||
           strcmp(code, "parse.limit") == 0 || strcmp(code, "parse.duplicate_key") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static esv_json *first, *second;
    if (!first) {
        esv_alloc_init(&std_al, NULL);
        first = esv_json_new(NULL);
        second = esv_json_new(NULL);
        FUZZ_CHECK(first && second);
    }
    const char *doc = (const char *)data;
    embedsvc_error err = EMBEDSVC_ERROR_INIT, err2 = EMBEDSVC_ERROR_INIT;
    const esv_jval *root = NULL, *root2 = NULL;
    const int rc = esv_json_parse(first, doc, size, &root, &err);
    const size_t bad = esv_utf8_valid_prefix(doc, size);
    if (rc != EMBEDSVC_OK) {
        FUZZ_CHECK(rc == EMBEDSVC_EPARSE && root == NULL);
        FUZZ_CHECK(known_code(err.code));
        fuzz_check_error(&err, rc, size);
        if (bad < size)
            FUZZ_CHECK(strcmp(err.code, "parse.encoding") == 0 && err.offset == bad);
        const int rc2 = esv_json_parse(second, doc, size, &root2, &err2);
        FUZZ_CHECK(rc2 == rc && strcmp(err.code, err2.code) == 0 && strcmp(err.message, err2.message) == 0 &&
                   strcmp(err.path, err2.path) == 0 && err.offset == err2.offset && err.line == err2.line &&
                   err.column == err2.column);
        return 0;
    }
    FUZZ_CHECK(bad == size && root != NULL);
    check_tree(root, doc, size, 1);

    /* round trip: compact form -> parse -> the same compact form */
    esv_buf one = {0}, two = {0};
    write_value(&one, root);
    FUZZ_CHECK(esv_json_parse(second, one.data, one.len, &root2, &err2) == EMBEDSVC_OK);
    check_tree(root2, one.data, one.len, 1);
    write_value(&two, root2);
    FUZZ_CHECK(one.len == two.len && memcmp(one.data, two.data, one.len) == 0);
    esv_buf_free(&one, &std_al);
    esv_buf_free(&two, &std_al);
    return 0;
}
