/* Tests of the strict JSON reader (lib/json.c): RFC 8259, the limits and defect order of reference §10. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "failing_alloc.h"
#include "json.h"

static esv_json *g_parser;

static int group_setup(void **state)
{
    (void)state;
    g_parser = esv_json_new(NULL);
    return g_parser ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    esv_json_free(g_parser);
    return 0;
}

/* ---- helpers ---- */

static const esv_jval *parse_ok_at(const char *doc, size_t len, const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const esv_jval *root = NULL;
    int rc = esv_json_parse(g_parser, doc, len, &root, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: unexpected %s at %u:%u path '%s': %s\n", file, line, err.code, err.line, err.column,
                    err.path, err.message);
    _assert_int_equal((uintmax_t)rc, (uintmax_t)EMBEDSVC_OK, file, line);
    _assert_true(root != NULL, "root", file, line);
    return root;
}

#define PARSE_OK(doc) parse_ok_at((doc), sizeof(doc) - 1, __FILE__, __LINE__)
#define PARSE_OK_N(doc, len) parse_ok_at((doc), (len), __FILE__, __LINE__)

static embedsvc_error expect_error_at(const char *doc, size_t len, const char *code, uint32_t line, uint32_t column,
                                      size_t offset, const char *path, const char *file, int src_line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const esv_jval *root = (const esv_jval *)&err; /* must be reset to NULL */
    int rc = esv_json_parse(g_parser, doc, len, &root, &err);
    if (rc != EMBEDSVC_EPARSE || strcmp(err.code, code) != 0 || err.line != line || err.column != column ||
        err.offset != offset || strcmp(err.path, path) != 0)
        print_error("%s:%d: got rc %d %s at %u:%u offset %llu path '%s': %s\n", file, src_line, rc, err.code,
                    err.line, err.column, (unsigned long long)err.offset, err.path, err.message);
    _assert_int_equal((uintmax_t)rc, (uintmax_t)EMBEDSVC_EPARSE, file, src_line);
    _assert_int_equal((uintmax_t)err.status, (uintmax_t)EMBEDSVC_EPARSE, file, src_line);
    _assert_string_equal(err.code, code, file, src_line);
    _assert_int_equal(err.line, line, file, src_line);
    _assert_int_equal(err.column, column, file, src_line);
    _assert_int_equal(err.offset, offset, file, src_line);
    _assert_string_equal(err.path, path, file, src_line);
    _assert_true(root == NULL, "root == NULL", file, src_line);
    _assert_true(err.message[0] != '\0', "message", file, src_line);
    return err;
}

#define EXPECT_ERR(doc, code, line, column, offset, path) \
    expect_error_at((doc), sizeof(doc) - 1, (code), (line), (column), (offset), (path), __FILE__, __LINE__)
#define EXPECT_ERR_N(doc, len, code, line, column, offset, path) \
    expect_error_at((doc), (len), (code), (line), (column), (offset), (path), __FILE__, __LINE__)
/* An error on one line of ASCII text: column = offset + 1. */
#define EXPECT_ERR1(doc, code, offset, path) EXPECT_ERR(doc, code, 1, (uint32_t)(offset) + 1, offset, path)

#define ASSERT_CONTAINS(hay, needle)                                           \
    do {                                                                       \
        if (!strstr((hay), (needle)))                                          \
            fail_msg("'%s' does not contain '%s'", (hay), (needle));           \
    } while (0)

/* A growable string for building big documents. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        assert_non_null(b->s);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_rep(sbuf *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        sb_str(b, s);
}

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(tmp));
    sb_add(b, tmp, (size_t)n);
}

static void sb_free(sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* The shared failing allocator (tests/support/failing_alloc.h) as the library's esv_alloc. */
static esv_alloc counting_allocator(failing *c)
{
    embedsvc_allocator user = failing_allocator(c);
    esv_alloc al;
    assert_true(esv_alloc_init(&al, &user));
    return al;
}

/* ---- values ---- */

static void test_parses_literals_at_top_level(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("null");
    assert_int_equal(v->type, ESV_JNULL);
    assert_int_equal(v->offset, 0);
    assert_null(v->key);
    v = PARSE_OK("true");
    assert_int_equal(v->type, ESV_JTRUE);
    v = PARSE_OK(" false ");
    assert_int_equal(v->type, ESV_JFALSE);
    assert_int_equal(v->offset, 1);
}

static void test_keeps_number_token_text_exactly(void **state)
{
    (void)state;
    static const char *const tokens[] = {"0",     "-0",     "7",       "123456789012345678901234567890", "-1.50",
                                         "0.000", "1e5",    "1E+5",    "2.5e-3",                         "-0.0e0",
                                         "10",    "1.0E10", "-9.9e-99"};
    for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
        char doc[64];
        snprintf(doc, sizeof(doc), " [ %s ] ", tokens[i]);
        const esv_jval *v = PARSE_OK_N(doc, strlen(doc));
        assert_int_equal(v->type, ESV_JARRAY);
        assert_int_equal(v->len, 1);
        const esv_jval *n = v->child;
        assert_int_equal(n->type, ESV_JNUMBER);
        assert_int_equal(n->len, strlen(tokens[i]));
        assert_memory_equal(n->str, tokens[i], n->len);
        assert_ptr_equal(n->str, doc + 3); /* points into the source */
        assert_int_equal(n->offset, 3);
    }
}

static void test_accepts_exponent_as_token_text(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("1e5");
    assert_int_equal(v->type, ESV_JNUMBER);
    assert_int_equal(v->len, 3);
    assert_memory_equal(v->str, "1e5", 3);
}

static void test_copies_strings_nul_terminated(void **state)
{
    (void)state;
    static const char doc[] = "\"hello, 世界\"";
    const esv_jval *v = PARSE_OK(doc);
    assert_int_equal(v->type, ESV_JSTRING);
    assert_string_equal(v->str, "hello, 世界");
    assert_int_equal(v->len, strlen("hello, 世界"));
    assert_true(v->str < doc || v->str >= doc + sizeof(doc)); /* a copy, not the source */
    v = PARSE_OK("\"\"");
    assert_int_equal(v->len, 0);
    assert_string_equal(v->str, "");
    v = PARSE_OK("\"\x7f\""); /* DEL is not a control character for JSON */
    assert_string_equal(v->str, "\x7f");
}

static void test_parses_empty_containers(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("[]");
    assert_int_equal(v->type, ESV_JARRAY);
    assert_int_equal(v->len, 0);
    assert_null(v->child);
    v = PARSE_OK("{ }");
    assert_int_equal(v->type, ESV_JOBJECT);
    assert_int_equal(v->len, 0);
    assert_null(v->child);
    v = PARSE_OK("[[],{}]");
    assert_int_equal(v->len, 2);
    assert_int_equal(v->child->type, ESV_JARRAY);
    assert_int_equal(v->child->next->type, ESV_JOBJECT);
    assert_null(v->child->next->next);
}

static void test_builds_tree_in_document_order(void **state)
{
    (void)state;
    static const char doc[] = "{\"id\":\"P-1\",\"n\":[1,true,null,{\"x\":false}],\"o\":{}}";
    const esv_jval *root = PARSE_OK(doc);
    assert_int_equal(root->type, ESV_JOBJECT);
    assert_int_equal(root->len, 3);
    const esv_jval *m = root->child;
    assert_string_equal(m->key, "id");
    assert_int_equal(m->key_len, 2);
    assert_int_equal(m->key_offset, 1);
    assert_int_equal(m->type, ESV_JSTRING);
    assert_string_equal(m->str, "P-1");
    assert_int_equal(m->offset, 6);
    m = m->next;
    assert_string_equal(m->key, "n");
    assert_int_equal(m->key_offset, 12);
    assert_int_equal(m->type, ESV_JARRAY);
    assert_int_equal(m->len, 4);
    assert_int_equal(m->offset, 16);
    const esv_jval *e = m->child;
    assert_int_equal(e->type, ESV_JNUMBER);
    assert_null(e->key);
    e = e->next;
    assert_int_equal(e->type, ESV_JTRUE);
    e = e->next;
    assert_int_equal(e->type, ESV_JNULL);
    e = e->next;
    assert_int_equal(e->type, ESV_JOBJECT);
    assert_int_equal(e->len, 1);
    assert_string_equal(e->child->key, "x");
    assert_int_equal(e->child->type, ESV_JFALSE);
    assert_null(e->next);
    m = m->next;
    assert_string_equal(m->key, "o");
    assert_int_equal(m->type, ESV_JOBJECT);
    assert_null(m->next);
}

static void test_skips_space_tab_lf_cr(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK(" \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ 1 \t\r\n, 2 ] \t\r\n} \t\r\n");
    assert_int_equal(v->type, ESV_JOBJECT);
    assert_int_equal(v->child->len, 2);
}

static void test_rejects_other_white_space(void **state)
{
    (void)state;
    EXPECT_ERR1("[\f1]", "parse.syntax", 1, "");
    EXPECT_ERR1("[\v1]", "parse.syntax", 1, "");
    EXPECT_ERR1("[1,\xc2\xa0" "2]", "parse.syntax", 3, "");     /* U+00A0 */
    EXPECT_ERR1("\xe3\x80\x80[]", "parse.syntax", 0, "");       /* U+3000 */
    EXPECT_ERR1("[]\xe3\x80\x80", "parse.syntax", 2, "");
    embedsvc_error err = EXPECT_ERR1("[\xe3\x80\x80]", "parse.syntax", 1, "");
    ASSERT_CONTAINS(err.message, "U+3000");
}

/* ---- escapes ---- */

static void test_unescapes_simple_escapes(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"");
    assert_string_equal(v->str, "a\"b\\c/d\be\ff\ng\rh\ti");
    assert_int_equal(v->len, 17);
}

static void test_unescapes_u_escapes(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("\"caf\\u00e9 \\u4E2D\\u6587 \\u0041\\u007f\"");
    assert_string_equal(v->str, "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 A\x7f");
}

static void test_combines_surrogate_pairs(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("[\"\\ud83d\\ude00\", \"\\uDBFF\\uDFFF\", \"x\\uD800\\uDC00y\"]");
    assert_string_equal(v->child->str, "\xf0\x9f\x98\x80");
    assert_int_equal(v->child->len, 4);
    assert_string_equal(v->child->next->str, "\xf4\x8f\xbf\xbf");
    assert_string_equal(v->child->next->next->str, "x\xf0\x90\x80\x80y");
}

static void test_rejects_lone_high_surrogate_escape(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("[\"ab\\ud800\"]", "parse.encoding", 4, "/0");
    ASSERT_CONTAINS(err.message, "surrogate");
    EXPECT_ERR1("\"\\uD800\"", "parse.encoding", 1, "");
}

static void test_rejects_high_surrogate_followed_by_non_low_escape(void **state)
{
    (void)state;
    EXPECT_ERR1("{\"k\":\"\\ud800\\u0041\"}", "parse.encoding", 6, "/k");
    EXPECT_ERR1("{\"k\":\"\\ud800\\ud800\\udc00\"}", "parse.encoding", 6, "/k");
    EXPECT_ERR1("{\"k\":\"\\ud800\\n\"}", "parse.encoding", 6, "/k");
    EXPECT_ERR1("{\"k\":\"\\ud800x\\udc00\"}", "parse.encoding", 6, "/k");
}

static void test_rejects_lone_low_surrogate_escape(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("[1,\"x\\udc00\"]", "parse.encoding", 5, "/1");
    ASSERT_CONTAINS(err.message, "low surrogate");
}

static void test_rejects_u0000_escape(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("{\"a\":[\"\\u0000\"]}", "parse.encoding", 7, "/a/0");
    ASSERT_CONTAINS(err.message, "\\u0000");
}

static void test_rejects_escape_errors_in_keys_with_member_path(void **state)
{
    (void)state;
    /* the key in the path shows U+FFFD for the bad escape */
    EXPECT_ERR1("{\"ok\":{\"a\\u0000\":1}}", "parse.encoding", 9, "/ok/a\xef\xbf\xbd");
    EXPECT_ERR1("{\"\\udfff\":1}", "parse.encoding", 2, "/\xef\xbf\xbd");
}

static void test_rejects_invalid_escapes_as_syntax(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("\"a\\x\"", "parse.syntax", 3, "");
    ASSERT_CONTAINS(err.message, "'x'");
    EXPECT_ERR1("\"\\'\"", "parse.syntax", 2, "");
    EXPECT_ERR1("\"\\U0041\"", "parse.syntax", 2, "");
    EXPECT_ERR1("\"\\u12G4\"", "parse.syntax", 5, "");
    EXPECT_ERR1("\"\\u12\"", "parse.syntax", 5, "");
    EXPECT_ERR1("\"\\\x01\"", "parse.syntax", 2, "");
    EXPECT_ERR1("\"\\u00", "parse.syntax", 5, "");
    EXPECT_ERR1("\"\\", "parse.syntax", 2, "");
}

static void test_rejects_raw_control_characters_in_strings(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("[\"a\x01\"]", "parse.syntax", 3, "");
    ASSERT_CONTAINS(err.message, "U+0001");
    EXPECT_ERR1("\"\x1f\"", "parse.syntax", 1, "");
    EXPECT_ERR1("\"a\tb\"", "parse.syntax", 2, "");
    EXPECT_ERR("\"a\nb\"", "parse.syntax", 1, 3, 2, "");
    EXPECT_ERR1("\"abc\0\"", "parse.syntax", 4, "");
    /* found by the 8-byte scan too */
    EXPECT_ERR1("\"abcdefghijklmnop\x02qrstuvwxyz\"", "parse.syntax", 17, "");
}

/* ---- UTF-8 ---- */

static void test_rejects_overlong_utf8(void **state)
{
    (void)state;
    EXPECT_ERR1("\"\xc0\x80\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xc1\xbf\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"ab\xe0\x80\x80\"", "parse.encoding", 3, "");
    EXPECT_ERR1("\"\xe0\x9f\xbf\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xf0\x80\x80\x80\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xf0\x8f\xbf\xbf\"", "parse.encoding", 1, "");
}

static void test_rejects_encoded_surrogates(void **state)
{
    (void)state;
    EXPECT_ERR1("\"\xed\xa0\x80\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xed\xbf\xbf\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xed\xa0\xbd\xed\xb8\x80\"", "parse.encoding", 1, ""); /* CESU-8 pair */
    PARSE_OK("\"\xed\x9f\xbf\"");                                          /* U+D7FF */
}

static void test_rejects_bytes_f5_and_above(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("\"\xf5\x80\x80\x80\"", "parse.encoding", 1, "");
    ASSERT_CONTAINS(err.message, "0xF5");
    EXPECT_ERR1("\"\xfe\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xff\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xf4\x90\x80\x80\"", "parse.encoding", 1, ""); /* above U+10FFFF */
}

static void test_rejects_truncated_and_stray_utf8(void **state)
{
    (void)state;
    EXPECT_ERR1("\"\xe4\xb8\"", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xe4\xb8", "parse.encoding", 1, "");
    EXPECT_ERR1("\"\xf0\x9f\x98", "parse.encoding", 1, "");
    EXPECT_ERR1("\"a\x80\"", "parse.encoding", 2, "");
    EXPECT_ERR("\"\xc3\xa9\xa9\"", "parse.encoding", 1, 3, 3, ""); /* columns count characters */
    EXPECT_ERR1("\"\xc3" "a\"", "parse.encoding", 1, "");
}

static void test_accepts_four_byte_characters(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("{\"\xf0\x9f\x98\x80\":\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"}");
    assert_string_equal(v->child->key, "\xf0\x9f\x98\x80");
    assert_int_equal(v->child->len, 8);
}

static void test_utf8_error_offset_matches_reference_validator(void **state)
{
    (void)state;
    unsigned seed = 12345;
    char doc[64];
    for (int round = 0; round < 20000; round++) {
        size_t n = 1 + (size_t)(round % 40);
        doc[0] = '"';
        for (size_t i = 1; i <= n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0xFF;
            /* mostly bytes that form or break UTF-8 sequences, some ASCII letters */
            doc[i] = (char)(r < 64 ? 'a' + (r & 15) : (0x80 | r));
        }
        doc[n + 1] = '"';
        size_t len = n + 2;
        size_t ref = esv_utf8_valid_prefix(doc, len);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = esv_json_parse(g_parser, doc, len, NULL, &err);
        if (ref < len) {
            assert_int_equal(rc, EMBEDSVC_EPARSE);
            assert_string_equal(err.code, "parse.encoding");
            assert_int_equal(err.offset, ref);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
        }
    }
}

/* ---- byte order mark ---- */

static void test_skips_bom(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("\xef\xbb\xbf{\"a\":1}");
    assert_int_equal(v->type, ESV_JOBJECT);
    assert_int_equal(v->offset, 3); /* offsets count the BOM */
    assert_int_equal(v->child->key_offset, 4);
}

static void test_bom_is_not_counted_in_columns(void **state)
{
    (void)state;
    EXPECT_ERR("\xef\xbb\xbf[1,]", "parse.syntax", 1, 4, 6, "");
    EXPECT_ERR("\xef\xbb\xbf", "parse.syntax", 1, 1, 3, "");
}

static void test_rejects_bom_not_at_start(void **state)
{
    (void)state;
    EXPECT_ERR(" \xef\xbb\xbf[]", "parse.syntax", 1, 2, 1, "");
    EXPECT_ERR("\xef\xbb\xbf\xef\xbb\xbf[]", "parse.syntax", 1, 1, 3, "");
    const esv_jval *v = PARSE_OK("\"\xef\xbb\xbf\""); /* fine inside a string */
    assert_string_equal(v->str, "\xef\xbb\xbf");
}

/* ---- depth ---- */

static void nested_arrays(sbuf *b, size_t n, const char *inner)
{
    sb_rep(b, "[", n);
    sb_str(b, inner);
    sb_rep(b, "]", n);
}

static void test_accepts_depth_32(void **state)
{
    (void)state;
    sbuf b = {0};
    nested_arrays(&b, 32, ""); /* the innermost array is depth 32 */
    PARSE_OK_N(b.s, b.len);
    sb_free(&b);
    nested_arrays(&b, 31, "1"); /* the number is depth 32 */
    const esv_jval *v = PARSE_OK_N(b.s, b.len);
    for (int i = 0; i < 31; i++)
        v = v->child;
    assert_int_equal(v->type, ESV_JNUMBER);
    sb_free(&b);
    sb_rep(&b, "{\"k\":", 31);
    sb_str(&b, "\"s\"");
    sb_rep(&b, "}", 31);
    PARSE_OK_N(b.s, b.len);
    sb_free(&b);
}

static void test_rejects_depth_33(void **state)
{
    (void)state;
    sbuf b = {0}, path = {0};
    sb_rep(&path, "/0", 32);
    nested_arrays(&b, 32, "1"); /* the number is depth 33 */
    embedsvc_error err = EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 33, 32, path.s);
    assert_string_equal(err.message, "nesting deeper than 32");
    sb_free(&b);
    nested_arrays(&b, 33, "");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 33, 32, path.s);
    sb_free(&b);
    sb_free(&path);

    /* objects: the path names the keys; a later sibling at depth 33 */
    sb_rep(&b, "{\"k\":", 30);
    sb_str(&b, "[0,[[]]]");
    sb_rep(&b, "}", 30);
    sb_rep(&path, "/k", 30);
    sb_str(&path, "/1/0");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 155, 154, path.s);
    sb_free(&b);
    sb_free(&path);
}

static void test_survives_very_deep_nesting(void **state)
{
    (void)state;
    sbuf b = {0}, path = {0};
    sb_rep(&path, "/0", 32);
    nested_arrays(&b, 200000, "");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 33, 32, path.s);
    sb_free(&b);
    sb_rep(&b, "[{\"a\":", 100000);
    sb_str(&b, "1");
    sb_rep(&b, "}]", 100000);
    sb_free(&path);
    sb_rep(&path, "/0/a", 16);
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 97, 96, path.s);
    sb_free(&b);
    /* unbalanced: the syntax error at the end wins over the depth error */
    sb_rep(&b, "[", 100000);
    sb_rep(&b, "]", 99999);
    sb_str(&b, "}");
    EXPECT_ERR_N(b.s, b.len, "parse.syntax", 1, 200000, 199999, "");
    sb_free(&b);
    sb_rep(&b, "[", 100000);
    embedsvc_error err = EXPECT_ERR_N(b.s, b.len, "parse.syntax", 1, 100001, 100000, "");
    assert_string_equal(err.message, "unexpected end of input");
    sb_free(&b);
    sb_free(&path);
}

/* ---- string length ---- */

static void test_accepts_string_of_4096_bytes(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "[\"");
    sb_rep(&b, "x", 4096);
    sb_str(&b, "\"]");
    const esv_jval *v = PARSE_OK_N(b.s, b.len);
    assert_int_equal(v->child->len, 4096);
    sb_free(&b);
}

static void test_rejects_string_of_4097_bytes(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "{\"a\":[1,\"");
    sb_rep(&b, "x", 4097);
    sb_str(&b, "\"]}");
    embedsvc_error err = EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 9, 8, "/a/1");
    assert_string_equal(err.message, "string longer than 4096 bytes");
    sb_free(&b);
}

static void test_string_limit_counts_bytes_after_unescaping(void **state)
{
    (void)state;
    sbuf b = {0};
    /* 4096 bytes written as 4095 plain bytes and one escape: 4097+ raw bytes, fine */
    sb_str(&b, "\"\\n");
    sb_rep(&b, "x", 4095);
    sb_str(&b, "\"");
    assert_int_equal(PARSE_OK_N(b.s, b.len)->len, 4096);
    sb_free(&b);
    /* 2048 x U+00E9 (2 bytes each) = 4096 bytes from 12288 raw bytes */
    sb_str(&b, "\"");
    sb_rep(&b, "\\u00e9", 2048);
    sb_str(&b, "\"");
    assert_int_equal(PARSE_OK_N(b.s, b.len)->len, 4096);
    sb_free(&b);
    sb_str(&b, "[\"");
    sb_rep(&b, "\\u00e9", 2048);
    sb_str(&b, "a\"]");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 2, 1, "/0");
    sb_free(&b);
    /* Chinese characters count 3 bytes: 1365 -> 4095 bytes, 1366 -> 4098 bytes */
    sb_str(&b, "\"");
    sb_rep(&b, "中", 1365);
    sb_str(&b, "\"");
    assert_int_equal(PARSE_OK_N(b.s, b.len)->len, 4095);
    sb_free(&b);
    sb_str(&b, "\"");
    sb_rep(&b, "中", 1366);
    sb_str(&b, "\"");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 1, 0, "");
    sb_free(&b);
    /* a long escaped string is too long even when it also has an escape error (the limit is
       reported at its first byte, before the escape) */
    sb_str(&b, "[\"\\ud800");
    sb_rep(&b, "\\u4e2d", 1366);
    sb_str(&b, "\"]");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 2, 1, "/0");
    sb_free(&b);
}

static void test_applies_string_limit_to_keys(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "{\"");
    sb_rep(&b, "k", 4096);
    sb_str(&b, "\":1}");
    assert_int_equal(PARSE_OK_N(b.s, b.len)->child->key_len, 4096);
    sb_free(&b);

    sb_str(&b, "{\"a\":{\"");
    sb_rep(&b, "k", 4097);
    sb_str(&b, "\":1}}");
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(esv_json_parse(g_parser, b.s, b.len, NULL, &err), EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.limit");
    assert_string_equal(err.message, "key longer than 4096 bytes");
    assert_int_equal(err.offset, 6);
    /* the path names the key; it is cut to fit with "..." */
    assert_int_equal(strlen(err.path), EMBEDSVC_ERROR_PATH_SIZE - 1);
    assert_memory_equal(err.path, "/a/kkkk", 7);
    assert_string_equal(err.path + EMBEDSVC_ERROR_PATH_SIZE - 4, "...");
    sb_free(&b);

    /* counted after unescaping: 4097 raw bytes giving 4096 is fine; \u escapes giving 4097 are not */
    sb_str(&b, "{\"\\/");
    sb_rep(&b, "k", 4095);
    sb_str(&b, "\":1}");
    assert_int_equal(PARSE_OK_N(b.s, b.len)->child->key_len, 4096);
    sb_free(&b);
    sb_str(&b, "{\"");
    sb_rep(&b, "\\u0041", 4097);
    sb_str(&b, "\":1}");
    assert_int_equal(esv_json_parse(g_parser, b.s, b.len, NULL, &err), EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.limit");
    assert_int_equal(err.offset, 1);
    assert_memory_equal(err.path, "/AAAA", 5);
    sb_free(&b);
}

/* ---- size ---- */

static void test_rejects_document_over_16_mib(void **state)
{
    (void)state;
    size_t len = ESV_JSON_MAX_SIZE + 1;
    char *doc = malloc(len);
    assert_non_null(doc);
    memset(doc, ' ', len);
    doc[0] = '1';
    embedsvc_error err = EXPECT_ERR_N(doc, len, "parse.limit", 1, 1, 0, "");
    ASSERT_CONTAINS(err.message, "16777216");
    /* the size limit comes before invalid UTF-8 */
    memset(doc, 0xff, len);
    EXPECT_ERR_N(doc, len, "parse.limit", 1, 1, 0, "");
    /* exactly 16 MiB is accepted */
    memset(doc, ' ', len);
    memcpy(doc + ESV_JSON_MAX_SIZE - 5, "[1,2]", 5);
    const esv_jval *v = PARSE_OK_N(doc, ESV_JSON_MAX_SIZE);
    assert_int_equal(v->len, 2);
    assert_int_equal(v->offset, ESV_JSON_MAX_SIZE - 5);
    free(doc);
}

/* ---- syntax ---- */

static void test_rejects_empty_input(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR_N("", 0, "parse.syntax", 1, 1, 0, "");
    assert_string_equal(err.message, "empty document");
    EXPECT_ERR_N(NULL, 0, "parse.syntax", 1, 1, 0, "");
    EXPECT_ERR(" \n\t ", "parse.syntax", 2, 3, 4, "");
}

static void test_rejects_trailing_garbage(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("1 2", "parse.syntax", 2, "");
    assert_string_equal(err.message, "trailing characters after the JSON value");
    EXPECT_ERR1("{} x", "parse.syntax", 3, "");
    EXPECT_ERR1("[]]", "parse.syntax", 2, "");
    EXPECT_ERR1("nullx", "parse.syntax", 4, "");
    EXPECT_ERR1("\"a\"\"b\"", "parse.syntax", 3, "");
    EXPECT_ERR1("0\0", "parse.syntax", 1, "");
}

static void test_rejects_leading_zeros(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("01", "parse.syntax", 1, "");
    ASSERT_CONTAINS(err.message, "leading zero");
    EXPECT_ERR1("-01", "parse.syntax", 2, "");
    EXPECT_ERR1("[00]", "parse.syntax", 2, "");
    PARSE_OK("[0, -0, 0.01]");
}

static void test_rejects_malformed_numbers(void **state)
{
    (void)state;
    EXPECT_ERR1("1.", "parse.syntax", 2, "");
    embedsvc_error err = EXPECT_ERR1("[1.]", "parse.syntax", 3, "");
    ASSERT_CONTAINS(err.message, "decimal point");
    EXPECT_ERR1(".5", "parse.syntax", 0, "");
    EXPECT_ERR1("+1", "parse.syntax", 0, "");
    EXPECT_ERR1("-", "parse.syntax", 1, "");
    EXPECT_ERR1("-a", "parse.syntax", 1, "");
    EXPECT_ERR1("[-]", "parse.syntax", 2, "");
    EXPECT_ERR1("1.e5", "parse.syntax", 2, "");
    EXPECT_ERR1("1e", "parse.syntax", 2, "");
    EXPECT_ERR1("1e+", "parse.syntax", 3, "");
    EXPECT_ERR1("[1e+x]", "parse.syntax", 4, "");
    EXPECT_ERR1("0x10", "parse.syntax", 1, "");
    EXPECT_ERR1("[Infinity]", "parse.syntax", 1, "");
    EXPECT_ERR1("NaN", "parse.syntax", 0, "");
    EXPECT_ERR1("[1,\xef\xbc\x91]", "parse.syntax", 3, ""); /* full-width digit */
}

static void test_rejects_bad_literals(void **state)
{
    (void)state;
    EXPECT_ERR1("tru", "parse.syntax", 3, "");
    EXPECT_ERR1("True", "parse.syntax", 0, "");
    EXPECT_ERR1("[nul]", "parse.syntax", 4, "");
    embedsvc_error err = EXPECT_ERR1("falsy", "parse.syntax", 4, "");
    ASSERT_CONTAINS(err.message, "false");
    EXPECT_ERR1("[t]", "parse.syntax", 2, "");
}

static void test_rejects_structural_errors_with_specific_messages(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("{\"a\":1 \"b\":2}", "parse.syntax", 7, "");
    ASSERT_CONTAINS(err.message, "expected ',' or '}' after object member");
    err = EXPECT_ERR1("[1 2]", "parse.syntax", 3, "");
    ASSERT_CONTAINS(err.message, "expected ',' or ']' after array element");
    err = EXPECT_ERR1("{\"a\" 1}", "parse.syntax", 5, "");
    ASSERT_CONTAINS(err.message, "expected ':'");
    err = EXPECT_ERR1("{a:1}", "parse.syntax", 1, "");
    ASSERT_CONTAINS(err.message, "expected a string key");
    EXPECT_ERR1("{\"a\":1,}", "parse.syntax", 7, "");
    EXPECT_ERR1("[1,]", "parse.syntax", 3, "");
    EXPECT_ERR1("[,1]", "parse.syntax", 1, "");
    EXPECT_ERR1("{,}", "parse.syntax", 1, "");
    EXPECT_ERR1("[1}", "parse.syntax", 2, "");
    EXPECT_ERR1("{\"a\":1]", "parse.syntax", 6, "");
    EXPECT_ERR1("{\"a\"}", "parse.syntax", 4, "");
    EXPECT_ERR1("{\"a\":}", "parse.syntax", 5, "");
    EXPECT_ERR1("]", "parse.syntax", 0, "");
    err = EXPECT_ERR1("[1,", "parse.syntax", 3, "");
    assert_string_equal(err.message, "unexpected end of input");
    EXPECT_ERR1("{\"a\":1", "parse.syntax", 6, "");
    EXPECT_ERR1("{\"a", "parse.syntax", 3, "");
    EXPECT_ERR1("{", "parse.syntax", 1, "");
    EXPECT_ERR1("'a'", "parse.syntax", 0, "");
    EXPECT_ERR1("[1]//", "parse.syntax", 3, "");
}

/* ---- positions ---- */

static void test_reports_line_and_column_in_multiline_documents(void **state)
{
    (void)state;
    EXPECT_ERR("{\n  \"a\": 1,\n  \"b\" 2\n}", "parse.syntax", 3, 7, 18, "");
    EXPECT_ERR("[\r\n1,\r\n\r\n  x]", "parse.syntax", 4, 3, 11, "");
    EXPECT_ERR("[1,\n", "parse.syntax", 2, 1, 4, "");
    /* limit errors point at the value's first byte */
    sbuf b = {0};
    sb_str(&b, "{\n \"a\": [\n  1,\n   \"");
    sb_rep(&b, "y", 5000);
    sb_str(&b, "\"]}");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 4, 4, 18, "/a/1");
    sb_free(&b);
}

static void test_counts_chinese_characters_as_one_column(void **state)
{
    (void)state;
    EXPECT_ERR("{\"名称\":\"中文\" x}", "parse.syntax", 1, 12, 19, "");
    EXPECT_ERR("[\"😀\",\n \"é\", ?]", "parse.syntax", 2, 7, 16, "");
}

/* ---- defect priority ---- */

static void test_syntax_error_after_duplicate_key_wins(void **state)
{
    (void)state;
    EXPECT_ERR1("[{\"a\":1,\"a\":2}, x]", "parse.syntax", 16, "");
    EXPECT_ERR1("{\"a\":1,\"a\":2,}", "parse.syntax", 13, "");
    EXPECT_ERR1("{\"a\":1,\"a\":2} 3", "parse.syntax", 14, "");
}

static void test_limit_error_beats_duplicate_key(void **state)
{
    (void)state;
    sbuf b = {0};
    /* the duplicate comes first */
    sb_str(&b, "{\"a\":1,\"a\":2,\"b\":\"");
    sb_rep(&b, "x", 4097);
    sb_str(&b, "\"}");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 18, 17, "/b");
    sb_free(&b);
    /* the duplicate comes after */
    sb_str(&b, "[\"");
    sb_rep(&b, "x", 4097);
    sb_str(&b, "\",{\"a\":1,\"a\":2}]");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 2, 1, "/0");
    sb_free(&b);
    /* an escape error too */
    EXPECT_ERR1("{\"a\":1,\"a\":\"\\ud800\"}", "parse.encoding", 12, "/a");
}

static void test_syntax_error_after_limit_error_wins(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "[\"");
    sb_rep(&b, "x", 4097);
    sb_str(&b, "\", x]");
    EXPECT_ERR_N(b.s, b.len, "parse.syntax", 1, 4103, 4102, "");
    sb_free(&b);
    EXPECT_ERR1("[\"\\u0000\", \"\\q\"]", "parse.syntax", 13, "");
    EXPECT_ERR1("[\"\\u0000\", \"\x01\"]", "parse.syntax", 12, "");
}

static void test_first_limit_or_escape_error_in_document_order_wins(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "[\"\\ud800\",\"");
    sb_rep(&b, "x", 4097);
    sb_str(&b, "\"]");
    EXPECT_ERR_N(b.s, b.len, "parse.encoding", 1, 3, 2, "/0");
    sb_free(&b);
    sb_str(&b, "[\"");
    sb_rep(&b, "x", 4097);
    sb_str(&b, "\",\"\\ud800\"]");
    EXPECT_ERR_N(b.s, b.len, "parse.limit", 1, 2, 1, "/0");
    sb_free(&b);
}

static void test_invalid_utf8_beats_earlier_syntax_error(void **state)
{
    (void)state;
    EXPECT_ERR1("[1,,2,\"\xc0\x80\"]", "parse.encoding", 7, "");
    EXPECT_ERR1("} \xff", "parse.encoding", 2, "");
    sbuf b = {0};
    sb_str(&b, "[\"");
    sb_rep(&b, "x", 5000);
    sb_str(&b, "\",\"\xed\xa0\x80\"]");
    EXPECT_ERR_N(b.s, b.len, "parse.encoding", 1, 5006, 5005, "");
    sb_free(&b);
}

/* ---- duplicate keys ---- */

static void test_rejects_duplicate_key_with_member_path(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"functions\":[{\"scenario\":\"elderly_care\"},{\"scenario\":\"a\",\"investment\":1,\"scenario\":\"b\"}]}";
    size_t off = (size_t)(strstr(doc, "\"scenario\":\"b\"") - doc);
    embedsvc_error err = EXPECT_ERR(doc, "parse.duplicate_key", 1, (uint32_t)off + 1, off, "/functions/1/scenario");
    ASSERT_CONTAINS(err.message, "\"scenario\"");
}

static void test_compares_duplicate_keys_after_unescaping(void **state)
{
    (void)state;
    EXPECT_ERR1("{\"a\":1,\"\\u0061\":2}", "parse.duplicate_key", 7, "/a");
    EXPECT_ERR1("{\"\\u00e9\":1,\"\xc3\xa9\":2}", "parse.duplicate_key", 12, "/\xc3\xa9");
    EXPECT_ERR1("{\"a/b\":1,\"a\\/b\":2}", "parse.duplicate_key", 9, "/a~1b");
    PARSE_OK("{\"a\":1,\"A\":2,\"a \":3,\"\":4}");
    EXPECT_ERR1("{\"\":1,\"\":2}", "parse.duplicate_key", 6, "/");
}

static void test_duplicate_key_message_quotes_the_key(void **state)
{
    (void)state;
    embedsvc_error err = EXPECT_ERR1("{\"a\\\"\\n\":1,\"a\\\"\\n\":2}", "parse.duplicate_key", 11, "/a\"\n");
    assert_string_equal(err.message, "duplicate key \"a\\\"\\u000a\"");
    sbuf b = {0};
    sb_str(&b, "{\"");
    sb_rep(&b, "名", 100);
    sb_str(&b, "\":1,\"");
    sb_rep(&b, "名", 100);
    sb_str(&b, "\":2}");
    sbuf path = {0};
    sb_str(&path, "/");
    sb_rep(&path, "名", 100);
    err = EXPECT_ERR_N(b.s, b.len, "parse.duplicate_key", 1, 107, 306, path.s);
    sb_free(&path);
    size_t n = strlen(err.message);
    assert_int_equal(esv_utf8_valid_prefix(err.message, n), n);
    assert_string_equal(err.message + n - 4, "...\"");
    sb_free(&b);
}

static void test_reports_first_duplicate_in_document_order(void **state)
{
    (void)state;
    /* the outer duplicate comes first although the inner object closes first */
    EXPECT_ERR1("{\"a\":1,\"a\":{\"c\":1,\"c\":2}}", "parse.duplicate_key", 7, "/a");
    EXPECT_ERR1("{\"b\":{\"c\":1,\"c\":2},\"a\":1,\"a\":2}", "parse.duplicate_key", 12, "/b/c");
    /* the earliest second occurrence, not the earliest first occurrence */
    EXPECT_ERR1("{\"x\":1,\"y\":2,\"y\":3,\"x\":4}", "parse.duplicate_key", 13, "/y");
    EXPECT_ERR1("[{\"k\":1},{\"k\":1,\"j\":2,\"k\":3,\"j\":4}]", "parse.duplicate_key", 22, "/1/k");
}

static void test_finds_duplicates_in_objects_over_eight_members(void **state)
{
    (void)state;
    EXPECT_ERR1("{\"a\":0,\"b\":1,\"c\":2,\"d\":3,\"e\":4,\"f\":5,\"g\":6,\"h\":7,\"i\":8,\"j\":9,\"d\":10,\"b\":11}",
                "parse.duplicate_key", 61, "/d");
    PARSE_OK("{\"a\":0,\"b\":1,\"c\":2,\"d\":3,\"e\":4,\"f\":5,\"g\":6,\"h\":7,\"i\":8,\"j\":9}");
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_parses_object_of_100000_keys_quickly(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "{");
    for (int i = 0; i < 100000; i++)
        sb_printf(&b, "%s\"key-%d\":%d", i ? "," : "", (i * 7919) % 100000, i);
    sb_str(&b, "}");
    double t0 = now_seconds();
    const esv_jval *v = PARSE_OK_N(b.s, b.len);
    double elapsed = now_seconds() - t0;
    assert_int_equal(v->len, 100000);
    assert_non_null(esv_json_get(v, "key-99999"));
    if (!RUNNING_ON_VALGRIND)
        assert_true(elapsed < 0.25);

    /* a duplicate at the end is found, with a second duplicate after it */
    b.len--;
    size_t off = b.len + 1;
    sb_str(&b, ",\"key-12345\":0,\"key-0\":1}");
    t0 = now_seconds();
    EXPECT_ERR_N(b.s, b.len, "parse.duplicate_key", 1, (uint32_t)off + 1, off, "/key-12345");
    elapsed = now_seconds() - t0;
    if (!RUNNING_ON_VALGRIND)
        assert_true(elapsed < 0.25);
    sb_free(&b);
}

static void test_all_equal_keys_do_not_go_quadratic(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "{");
    for (int i = 0; i < 100000; i++)
        sb_str(&b, i ? ",\"same\":0" : "\"same\":0");
    sb_str(&b, "}");
    double t0 = now_seconds();
    EXPECT_ERR_N(b.s, b.len, "parse.duplicate_key", 1, 11, 10, "/same");
    if (!RUNNING_ON_VALGRIND)
        assert_true(now_seconds() - t0 < 0.25);
    sb_free(&b);
    /* many small objects, each with a duplicate */
    sb_str(&b, "[{\"k\":0}");
    for (int i = 0; i < 50000; i++)
        sb_str(&b, ",{\"abcdefghijklmnopq\":0,\"abcdefghijklmnopq\":1}");
    sb_str(&b, "]");
    EXPECT_ERR_N(b.s, b.len, "parse.duplicate_key", 1, 33, 32, "/1/abcdefghijklmnopq");
    sb_free(&b);
}

/* ---- paths ---- */

static void test_error_paths_escape_tilde_and_slash(void **state)
{
    (void)state;
    EXPECT_ERR1("{\"a/b\":[0,{\"~x\":[1,\"\\ud800\"]}]}", "parse.encoding", 20, "/a~1b/1/~0x/1");
    EXPECT_ERR1("{\"~1\":{\"k\":1,\"k\":2}}", "parse.duplicate_key", 13, "/~01/k");
}

/* ---- reuse and memory ---- */

static void test_reuses_parser_across_many_documents(void **state)
{
    (void)state;
    failing ca = {0};
    esv_alloc al = counting_allocator(&ca);
    esv_json *p = esv_json_new(&al);
    assert_non_null(p);
    sbuf big = {0};
    sb_str(&big, "[");
    for (int i = 0; i < 300; i++)
        sb_printf(&big, "%s{\"id\":\"P-%d\",\"v\":[%d,\"\\u4e2d\"]}", i ? "," : "", i, i);
    sb_str(&big, "]");
    static const char small[] = "{\"id\":\"DEMO-1\",\"functions\":[{\"scenario\":\"elderly_care\"}]}";
    static const char bad[] = "{\"id\":\"DEMO-1\",\"id\":2}";
    long after_warmup = 0;
    for (int round = 0; round < 200; round++) {
        const esv_jval *root;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        assert_int_equal(esv_json_parse(p, big.s, big.len, &root, &err), EMBEDSVC_OK);
        assert_int_equal(root->len, 300);
        assert_string_equal(esv_json_get(root->child->next, "id")->str, "P-1");
        assert_int_equal(esv_json_parse(p, small, sizeof(small) - 1, &root, &err), EMBEDSVC_OK);
        assert_string_equal(esv_json_get(root, "id")->str, "DEMO-1");
        assert_int_equal(esv_json_parse(p, bad, sizeof(bad) - 1, &root, &err), EMBEDSVC_EPARSE);
        assert_string_equal(err.code, "parse.duplicate_key");
        if (round == 1)
            after_warmup = ca.calls;
    }
    assert_int_equal(ca.calls, after_warmup); /* no allocation once warmed up */
    esv_json_free(p);
    assert_int_equal(ca.live, 0);
    sb_free(&big);
}

static void test_fails_cleanly_when_out_of_memory(void **state)
{
    (void)state;
    sbuf deep = {0}, wide = {0};
    nested_arrays(&deep, 3000, "");
    sb_str(&wide, "[");
    for (int i = 0; i < 2000; i++)
        sb_printf(&wide, "%s{\"k%d\":\"%d\",\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8}", i ? "," : "",
                  i, i);
    sb_str(&wide, "]");
    const char *docs[] = {wide.s, deep.s, "{\"a\":\"\\u00e9\"}"};
    size_t lens[] = {wide.len, deep.len, strlen(docs[2])};
    int expect[] = {EMBEDSVC_OK, EMBEDSVC_EPARSE, EMBEDSVC_OK};
    for (size_t d = 0; d < 3; d++) {
        int failures = 0;
        for (size_t fail_at = 1;; fail_at++) {
            failing ca = {0};
            failing_arm(&ca, fail_at);
            esv_alloc al = counting_allocator(&ca);
            esv_json *p = esv_json_new(&al);
            if (!p) {
                assert_int_equal(ca.live, 0);
                failures++;
                continue;
            }
            embedsvc_error err = EMBEDSVC_ERROR_INIT;
            const esv_jval *root = NULL;
            int rc = esv_json_parse(p, docs[d], lens[d], &root, &err);
            if (rc == EMBEDSVC_ENOMEM) {
                failures++;
                assert_string_equal(err.code, "nomem");
                assert_null(root);
                /* still usable */
                failing_disarm(&ca);
                assert_int_equal(esv_json_parse(p, docs[d], lens[d], &root, &err), expect[d]);
                esv_json_free(p);
                assert_int_equal(ca.live, 0);
                continue;
            }
            assert_int_equal(rc, expect[d]);
            esv_json_free(p);
            assert_int_equal(ca.live, 0);
            break;
        }
        assert_true(failures >= 2);
    }
    sb_free(&deep);
    sb_free(&wide);
}

/* A parser reused after a document that needed several arena chunks merges them into one
 * (arena_reset); when that allocation fails it keeps the chunks, and the parse still works. */
static void test_arena_reset_survives_a_failed_merge(void **state)
{
    (void)state;
    sbuf wide = {0};
    sb_str(&wide, "[");
    for (int i = 0; i < 2000; i++)
        sb_printf(&wide, "%s{\"k%d\":\"%d\",\"a\":1,\"b\":2}", i ? "," : "", i, i);
    sb_str(&wide, "]");
    int failed = 0;
    for (size_t fail_at = 1; fail_at < 4000; fail_at++) {
        failing ca = {0};
        esv_alloc al = counting_allocator(&ca);
        esv_json *p = esv_json_new(&al);
        assert_non_null(p);
        const esv_jval *root = NULL;
        assert_int_equal(esv_json_parse(p, wide.s, wide.len, &root, NULL), EMBEDSVC_OK);
        failing_arm(&ca, fail_at);
        int rc = esv_json_parse(p, wide.s, wide.len, &root, NULL);
        bool hit = ca.failed;
        failing_disarm(&ca);
        if (rc == EMBEDSVC_OK) {
            assert_int_equal(root->len, 2000);
        } else {
            assert_int_equal(rc, EMBEDSVC_ENOMEM);
            assert_true(hit);
        }
        failed += hit;
        esv_json_free(p);
        assert_int_equal(ca.live, 0);
        if (!hit)
            break;
    }
    assert_true(failed >= 1); /* the merge (call 1) at least */
    sb_free(&wide);
}

static void test_rejects_null_arguments(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(esv_json_parse(NULL, "1", 1, NULL, &err), EMBEDSVC_EINVAL);
    assert_int_equal(esv_json_parse(g_parser, NULL, 1, NULL, &err), EMBEDSVC_EINVAL);
    assert_int_equal(esv_json_parse(g_parser, "1", 1, NULL, NULL), EMBEDSVC_OK);
    assert_int_equal(esv_json_parse(g_parser, "[1,", 3, NULL, NULL), EMBEDSVC_EPARSE);
    assert_int_equal(esv_json_parse(g_parser, "[\"\\u0000\"]", 10, NULL, NULL), EMBEDSVC_EPARSE);
    assert_int_equal(esv_json_parse(g_parser, "{\"a\":1,\"a\":1}", 13, NULL, NULL), EMBEDSVC_EPARSE);
    esv_json_free(NULL);
}

static void test_fills_only_the_fields_a_small_error_struct_has(void **state)
{
    (void)state;
    struct {
        embedsvc_error err;
        char guard[8];
    } s;
    memset(&s, 0x5a, sizeof(s));
    s.err.size = offsetof(embedsvc_error, message);
    assert_int_equal(esv_json_parse(g_parser, "[1,", 3, NULL, &s.err), EMBEDSVC_EPARSE);
    assert_string_equal(s.err.code, "parse.syntax");
    assert_int_equal(s.err.offset, 3);
    assert_int_equal((unsigned char)s.err.message[0], 0x5a);
    assert_int_equal((unsigned char)s.err.path[0], 0x5a);
}

/* ---- helpers of json.h ---- */

static void test_get_finds_first_member_by_key(void **state)
{
    (void)state;
    const esv_jval *v = PARSE_OK("{\"a\":1,\"b\":{\"c\":true},\"\":null,\"a/b\":2}");
    assert_int_equal(esv_json_get(v, "a")->type, ESV_JNUMBER);
    assert_int_equal(esv_json_get(esv_json_get(v, "b"), "c")->type, ESV_JTRUE);
    assert_int_equal(esv_json_get(v, "")->type, ESV_JNULL);
    assert_non_null(esv_json_get(v, "a/b"));
    assert_null(esv_json_get(v, "c"));
    assert_null(esv_json_get(v, "A"));
    assert_null(esv_json_get(v->child, "a")); /* not an object */
    assert_null(esv_json_get(NULL, "a"));
    v = PARSE_OK("[{\"a\":1}]");
    assert_null(esv_json_get(v, "a"));
}

static void test_write_string_escapes_quotes_backslashes_and_controls(void **state)
{
    (void)state;
    esv_alloc al;
    assert_true(esv_alloc_init(&al, NULL));
    esv_buf b = {0};
    static const char s[] = "a\"b\\c/\b\f\n\r\t\x01\x1f\x7f中\0z";
    assert_true(esv_json_write_string(&b, &al, s, sizeof(s) - 1));
    assert_string_equal(b.data, "\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f中\\u0000z\"");
    b.len = 0;
    assert_true(esv_json_write_string(&b, &al, "", 0));
    assert_string_equal(b.data, "\"\"");
    esv_buf_free(&b, &al);
}

/* The escape of every length up to 40 with a special byte (or two) at every place, or none,
 * against one written a byte at a time: the writer copies words, the last one over bytes already
 * copied, and must still escape each special byte once. */
static size_t escape_bytewise(char *d, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            d[k++] = '\\', d[k++] = (char)ch;
        else if (ch == '\n')
            d[k++] = '\\', d[k++] = 'n';
        else if (ch < 0x20)
            k += (size_t)sprintf(d + k, "\\u%04x", ch);
        else
            d[k++] = (char)ch;
    }
    return k;
}

static void test_escape_every_length_and_place(void **state)
{
    (void)state;
    static const char fill[] = "abc\xE4\xB8\xAD" "defghijklmnopqrstuvwxyz0123456789ABCDEF";
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f'};
    char in_buf[1 + 48], want[48 * 6], got_buf[1 + 48 * 6 + 8];
    char *in = in_buf + 1, *got = got_buf + 1; /* a byte before each that must be neither read nor written */
    in_buf[0] = 'Z';
    for (size_t n = 0; n <= 40; n++)
        for (size_t at = 0; at <= n; at++)     /* at == n: no special byte */
            for (size_t at2 = at; at2 <= n; at2++) /* a second one, or none */
                for (size_t k = 0; k < sizeof(specials); k++) {
                    memcpy(in, fill, n);
                    if (at < n)
                        in[at] = specials[k];
                    if (at2 < n && at2 != at)
                        in[at2] = specials[(k + 1) % sizeof(specials)];
                    size_t wn = escape_bytewise(want, in, n);
                    memset(got_buf, '#', sizeof(got_buf));
                    size_t gn = (size_t)(esv_json_escape(got, in, n) - got);
                    assert_int_equal(gn, wn);
                    assert_memory_equal(got, want, wn);
                    assert_int_equal(got_buf[0], '#'); /* nothing written before the escape */
                    assert_int_equal(got[gn], '#');    /* nor after it */
                }
}

/* Integers as printf writes them: every power of ten and its neighbours, the 32-bit edge, the ends
 * of int64_t, negatives, and a sweep of pseudo-random values of every length. */
static void check_int(int64_t v)
{
    char want[32], got[ESV_JSON_INT_MAX + 8];
    int wn = snprintf(want, sizeof(want), "%lld", (long long)v);
    memset(got, '#', sizeof(got));
    char *e = esv_json_int(got, v);
    assert_int_equal(e - got, wn);
    assert_memory_equal(got, want, (size_t)wn);
    assert_int_equal(*e, '#');
}

static void test_writes_integers_as_printf(void **state)
{
    (void)state;
    check_int(0);
    check_int(INT64_MAX);
    check_int(INT64_MIN);
    check_int(INT64_MIN + 1);
    int64_t p = 1;
    for (int k = 0; k < 19; k++) { /* 10^0 .. 10^18; 10^19 is past INT64_MAX */
        for (int64_t d = -1; d <= 1; d++) {
            check_int(p + d);
            check_int(-(p + d));
        }
        if (k < 18)
            p *= 10;
    }
    for (int64_t d = -2; d <= 2; d++) {
        check_int((int64_t)UINT32_MAX + d);
        check_int(-((int64_t)UINT32_MAX + d));
    }
    uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        int64_t v = (int64_t)(x >> (i % 64));
        check_int(v);
        if (v != INT64_MIN)
            check_int(-v);
    }
}

static void test_write_string_round_trips(void **state)
{
    (void)state;
    esv_alloc al;
    assert_true(esv_alloc_init(&al, NULL));
    char all[200];
    size_t n = 0;
    for (int ch = 1; ch < 128; ch++)
        all[n++] = (char)ch;
    memcpy(all + n, "中文😀é", strlen("中文😀é"));
    n += strlen("中文😀é");
    const char *samples[] = {"", "plain", "\"quoted\"", "back\\slash", "tab\tnew\nline", all};
    size_t lens[] = {0, 5, 8, 10, 12, n};
    for (size_t i = 0; i < 6; i++) {
        esv_buf b = {0};
        assert_true(esv_json_write_string(&b, &al, samples[i], lens[i]));
        const esv_jval *v = PARSE_OK_N(b.data, b.len);
        assert_int_equal(v->type, ESV_JSTRING);
        assert_int_equal(v->len, lens[i]);
        assert_memory_equal(v->str, samples[i], lens[i]);
        esv_buf_free(&b, &al);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_literals_at_top_level),
        cmocka_unit_test(test_keeps_number_token_text_exactly),
        cmocka_unit_test(test_accepts_exponent_as_token_text),
        cmocka_unit_test(test_copies_strings_nul_terminated),
        cmocka_unit_test(test_parses_empty_containers),
        cmocka_unit_test(test_builds_tree_in_document_order),
        cmocka_unit_test(test_skips_space_tab_lf_cr),
        cmocka_unit_test(test_rejects_other_white_space),
        cmocka_unit_test(test_unescapes_simple_escapes),
        cmocka_unit_test(test_unescapes_u_escapes),
        cmocka_unit_test(test_combines_surrogate_pairs),
        cmocka_unit_test(test_rejects_lone_high_surrogate_escape),
        cmocka_unit_test(test_rejects_high_surrogate_followed_by_non_low_escape),
        cmocka_unit_test(test_rejects_lone_low_surrogate_escape),
        cmocka_unit_test(test_rejects_u0000_escape),
        cmocka_unit_test(test_rejects_escape_errors_in_keys_with_member_path),
        cmocka_unit_test(test_rejects_invalid_escapes_as_syntax),
        cmocka_unit_test(test_rejects_raw_control_characters_in_strings),
        cmocka_unit_test(test_rejects_overlong_utf8),
        cmocka_unit_test(test_rejects_encoded_surrogates),
        cmocka_unit_test(test_rejects_bytes_f5_and_above),
        cmocka_unit_test(test_rejects_truncated_and_stray_utf8),
        cmocka_unit_test(test_accepts_four_byte_characters),
        cmocka_unit_test(test_utf8_error_offset_matches_reference_validator),
        cmocka_unit_test(test_skips_bom),
        cmocka_unit_test(test_bom_is_not_counted_in_columns),
        cmocka_unit_test(test_rejects_bom_not_at_start),
        cmocka_unit_test(test_accepts_depth_32),
        cmocka_unit_test(test_rejects_depth_33),
        cmocka_unit_test(test_survives_very_deep_nesting),
        cmocka_unit_test(test_accepts_string_of_4096_bytes),
        cmocka_unit_test(test_rejects_string_of_4097_bytes),
        cmocka_unit_test(test_string_limit_counts_bytes_after_unescaping),
        cmocka_unit_test(test_applies_string_limit_to_keys),
        cmocka_unit_test(test_rejects_document_over_16_mib),
        cmocka_unit_test(test_rejects_empty_input),
        cmocka_unit_test(test_rejects_trailing_garbage),
        cmocka_unit_test(test_rejects_leading_zeros),
        cmocka_unit_test(test_rejects_malformed_numbers),
        cmocka_unit_test(test_rejects_bad_literals),
        cmocka_unit_test(test_rejects_structural_errors_with_specific_messages),
        cmocka_unit_test(test_reports_line_and_column_in_multiline_documents),
        cmocka_unit_test(test_counts_chinese_characters_as_one_column),
        cmocka_unit_test(test_syntax_error_after_duplicate_key_wins),
        cmocka_unit_test(test_limit_error_beats_duplicate_key),
        cmocka_unit_test(test_syntax_error_after_limit_error_wins),
        cmocka_unit_test(test_first_limit_or_escape_error_in_document_order_wins),
        cmocka_unit_test(test_invalid_utf8_beats_earlier_syntax_error),
        cmocka_unit_test(test_rejects_duplicate_key_with_member_path),
        cmocka_unit_test(test_compares_duplicate_keys_after_unescaping),
        cmocka_unit_test(test_duplicate_key_message_quotes_the_key),
        cmocka_unit_test(test_reports_first_duplicate_in_document_order),
        cmocka_unit_test(test_finds_duplicates_in_objects_over_eight_members),
        cmocka_unit_test(test_parses_object_of_100000_keys_quickly),
        cmocka_unit_test(test_all_equal_keys_do_not_go_quadratic),
        cmocka_unit_test(test_error_paths_escape_tilde_and_slash),
        cmocka_unit_test(test_reuses_parser_across_many_documents),
        cmocka_unit_test(test_fails_cleanly_when_out_of_memory),
        cmocka_unit_test(test_arena_reset_survives_a_failed_merge),
        cmocka_unit_test(test_rejects_null_arguments),
        cmocka_unit_test(test_fills_only_the_fields_a_small_error_struct_has),
        cmocka_unit_test(test_get_finds_first_member_by_key),
        cmocka_unit_test(test_write_string_escapes_quotes_backslashes_and_controls),
        cmocka_unit_test(test_write_string_round_trips),
        cmocka_unit_test(test_escape_every_length_and_place),
        cmocka_unit_test(test_writes_integers_as_printf),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
