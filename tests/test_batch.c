/* Tests of JSON Lines batches (lib/batch.c, reference §7): one output per non-blank line, blank lines
 * skipped but counted, error lines in the exact shape, and the running totals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static embedsvc_policy *g_policy;
static embedsvc_batch *g_batch;

static int group_setup(void **state)
{
    (void)state;
    return embedsvc_policy_default(NULL, &g_policy, NULL) == EMBEDSVC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    embedsvc_policy_free(g_policy);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return embedsvc_batch_new(g_policy, NULL, &g_batch) == EMBEDSVC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    embedsvc_batch_free(g_batch);
    g_batch = NULL;
    return 0;
}

/* Eligible, 1,800 fen of subsidy (basic 30% and inclusive 30% of 3,000 fen each). */
static const char eligible_line[] =
    "{\"id\":\"OK-1\",\"build_mode\":\"new\",\"total_investment\":\"90\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"30\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"30\"},"
    "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"30\"}]}";

/* Eligible but not subsidised (build mode other). */
static const char other_mode_line[] =
    "{\"id\":\"OTHER-1\",\"build_mode\":\"other\",\"total_investment\":\"90\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"30\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"30\"},"
    "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"30\"}]}";

/* Parses, but not eligible (two functions). */
static const char ineligible_line[] =
    "{\"id\":\"NO-1\",\"build_mode\":\"new\",\"total_investment\":\"60\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"30\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"30\"}]}";

/* ---- helpers ---- */

typedef struct line_out {
    int rc;
    const char *out;
    size_t len;
} line_out;

static line_out feed_n(const char *line, size_t len)
{
    line_out o = {0, (const char *)&o, 12345};
    o.rc = embedsvc_batch_line(g_batch, line, len, &o.out, &o.len);
    if (o.out)
        assert_int_equal(strlen(o.out), o.len);
    return o;
}

static line_out feed(const char *line)
{
    return feed_n(line, strlen(line));
}

/* The result JSON of evaluating a line directly (malloc'ed). */
static char *direct_json(const char *line, size_t len)
{
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, line, len, &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(g_policy, pr, r, &err), EMBEDSVC_OK);
    const char *json;
    size_t n;
    assert_int_equal(embedsvc_result_to_json(r, &json, &n, &err), EMBEDSVC_OK);
    char *copy = malloc(n + 1);
    assert_non_null(copy);
    memcpy(copy, json, n + 1);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    return copy;
}

/* The error line reference §7 prescribes for a line that fails to parse, built from a direct parse. */
static char *expected_error_line(int64_t lineno, const char *line, size_t len)
{
    embedsvc_project *pr = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, line, len, &err), EMBEDSVC_EPARSE);
    embedsvc_project_free(pr);
    esv_buf b = {0};
    esv_alloc al;
    assert_true(esv_alloc_init(&al, NULL));
    char head[96];
    snprintf(head, sizeof(head), "{\"schema\":\"embedsvc.result/1\",\"line\":%lld,\"error\":{\"code\":",
             (long long)lineno);
    assert_true(esv_buf_append(&b, &al, head, strlen(head)));
    assert_true(esv_json_write_string(&b, &al, err.code, strlen(err.code)));
    assert_true(esv_buf_append(&b, &al, ",\"message\":", 11));
    assert_true(esv_json_write_string(&b, &al, err.message, strlen(err.message)));
    assert_true(esv_buf_append(&b, &al, ",\"path\":", 8));
    assert_true(esv_json_write_string(&b, &al, err.path, strlen(err.path)));
    char tail[64];
    snprintf(tail, sizeof(tail), ",\"line\":%u,\"column\":%u}}", err.line, err.column);
    assert_true(esv_buf_append(&b, &al, tail, strlen(tail)));
    return b.data;
}

static int64_t stat(embedsvc_batch_stat_kind k)
{
    return embedsvc_batch_stat(g_batch, k);
}

/* Reads an error line back and checks its keys and values. */
static void expect_error_line_at(const line_out *o, int64_t lineno, const char *code, const char *path, uint32_t line,
                                 uint32_t column, const char *file, int src_line)
{
    _assert_int_equal(o->rc, 1, file, src_line);
    _assert_true(o->out != NULL, "an output line", file, src_line);
    _assert_true(memchr(o->out, '\n', o->len) == NULL, "one line", file, src_line);
    _assert_int_equal(esv_utf8_valid_prefix(o->out, o->len), o->len, file, src_line);
    esv_json *reader = esv_json_new(NULL);
    const esv_jval *root = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = esv_json_parse(reader, o->out, o->len, &root, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: error line is not JSON (%s): %s\n", file, src_line, err.message, o->out);
    _assert_int_equal(rc, EMBEDSVC_OK, file, src_line);
    static const char *const top[] = {"schema", "line", "error"};
    static const char *const inner[] = {"code", "message", "path", "line", "column"};
    size_t i = 0;
    for (const esv_jval *m = root->child; m; m = m->next, i++)
        _assert_string_equal(m->key, top[i], file, src_line);
    _assert_int_equal(i, 3, file, src_line);
    const esv_jval *e = esv_json_get(root, "error");
    i = 0;
    for (const esv_jval *m = e->child; m; m = m->next, i++)
        _assert_string_equal(m->key, inner[i], file, src_line);
    _assert_int_equal(i, 5, file, src_line);
    char want[96];
    snprintf(want, sizeof(want), "{\"schema\":\"embedsvc.result/1\",\"line\":%lld,\"error\":{\"code\":\"%s\"",
             (long long)lineno, code);
    if (strncmp(o->out, want, strlen(want)) != 0)
        print_error("%s:%d: got %s\n", file, src_line, o->out);
    _assert_memory_equal(o->out, want, strlen(want), file, src_line);
    _assert_string_equal(esv_json_get(e, "path")->str, path, file, src_line);
    int64_t l = 0, c = 0;
    const esv_jval *lv = esv_json_get(e, "line"), *cv = esv_json_get(e, "column");
    _assert_true(esv_integer_parse(lv->str, lv->len, 0, INT64_MAX, &l), "line", file, src_line);
    _assert_true(esv_integer_parse(cv->str, cv->len, 0, INT64_MAX, &c), "column", file, src_line);
    _assert_int_equal(l, line, file, src_line);
    _assert_int_equal(c, column, file, src_line);
    _assert_true(esv_json_get(e, "message")->len > 0, "a message", file, src_line);
    esv_json_free(reader);
}

#define EXPECT_ERROR_LINE(o, lineno, code, path, line, column)                                                         \
    expect_error_line_at(&(o), (lineno), (code), (path), (line), (column), __FILE__, __LINE__)

/* ---- lines and outputs ---- */

static void test_a_project_line_gives_its_result(void **state)
{
    (void)state;
    line_out o = feed(eligible_line);
    assert_int_equal(o.rc, 0);
    char *want = direct_json(eligible_line, strlen(eligible_line));
    assert_string_equal(o.out, want);
    free(want);
    assert_string_equal(embedsvc_result_project_id(embedsvc_batch_last_result(g_batch)), "OK-1");
}

static void test_blank_lines_are_skipped_but_counted(void **state)
{
    (void)state;
    static const char *const blanks[] = {"", " ", "\t", "  \t ", "\xe3\x80\x80", " \xe3\x80\x80\t", "\r", " \r",
                                         "\x0b\x0c", "\r\r"};
    for (size_t i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++) {
        line_out o = feed(blanks[i]);
        assert_int_equal(o.rc, 2);
        assert_null(o.out);
        assert_int_equal(o.len, 0);
    }
    assert_int_equal(stat(EMBEDSVC_BATCH_LINES), 10);
    assert_int_equal(stat(EMBEDSVC_BATCH_PROJECTS), 0);
    assert_int_equal(stat(EMBEDSVC_BATCH_ERRORS), 0);
    /* the next error line carries the physical line number */
    line_out o = feed("{");
    EXPECT_ERROR_LINE(o, 11, "parse.syntax", "", 1, 2);
}

static void test_nbsp_line_is_not_blank(void **state)
{
    (void)state;
    line_out o = feed("\xc2\xa0");
    EXPECT_ERROR_LINE(o, 1, "parse.syntax", "", 1, 1);
    o = feed("\xef\xbb\xbf"); /* a lone BOM is an empty document, not a blank line */
    assert_int_equal(o.rc, 1);
}

static void test_trailing_carriage_return_removed(void **state)
{
    (void)state;
    size_t n = strlen(eligible_line);
    char *crlf = malloc(n + 2);
    assert_non_null(crlf);
    memcpy(crlf, eligible_line, n);
    crlf[n] = '\r';
    crlf[n + 1] = '\0';
    line_out o = feed(crlf);
    assert_int_equal(o.rc, 0);
    char *want = direct_json(eligible_line, n);
    assert_string_equal(o.out, want);
    free(want);
    /* only one: a second \r is part of the document (white space JSON allows) */
    crlf = realloc(crlf, n + 3);
    assert_non_null(crlf);
    memcpy(crlf + n, "\r\r", 3);
    o = feed(crlf);
    assert_int_equal(o.rc, 0);
    free(crlf);
    /* a \r inside a syntax error line does not move the column */
    o = feed("{\"id\":}\r");
    EXPECT_ERROR_LINE(o, 3, "parse.syntax", "", 1, 7);
}

static void test_one_output_per_non_blank_line_in_order(void **state)
{
    (void)state;
    const char *lines[] = {eligible_line, "", "not json", ineligible_line, "   ", other_mode_line, "{\"id\":1}"};
    const int want_rc[] = {0, 2, 1, 0, 2, 0, 1};
    const char *want_id[] = {"OK-1", NULL, NULL, "NO-1", NULL, "OTHER-1", NULL};
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        line_out o = feed(lines[i]);
        assert_int_equal(o.rc, want_rc[i]);
        if (want_rc[i] == 0) {
            char needle[64];
            snprintf(needle, sizeof(needle), "\"project_id\":\"%s\"", want_id[i]);
            assert_non_null(strstr(o.out, needle));
        } else if (want_rc[i] == 1) {
            char needle[64];
            snprintf(needle, sizeof(needle), "\"line\":%zu,", i + 1);
            assert_non_null(strstr(o.out, needle));
        }
    }
    assert_int_equal(stat(EMBEDSVC_BATCH_LINES), 7);
    assert_int_equal(stat(EMBEDSVC_BATCH_PROJECTS), 3);
    assert_int_equal(stat(EMBEDSVC_BATCH_ERRORS), 2);
}

/* ---- error lines ---- */

static void test_error_line_exact_bytes(void **state)
{
    (void)state;
    feed(eligible_line);
    feed("");
    static const char bad[] = "{\"id\":\"X\",\"build_mode\":\"new\",\"total_investment\":\"1.001\",\"functions\":[{}]}";
    line_out o = feed(bad);
    char *want = expected_error_line(3, bad, strlen(bad));
    assert_string_equal(o.out, want);
    EXPECT_ERROR_LINE(o, 3, "money.precision", "/total_investment", 1, 49);
    free(want);
}

static void test_error_line_shape_of_spec_example(void **state)
{
    (void)state;
    /* reference §7: {"schema":"embedsvc.result/1","line":N,"error":{"code":"parse.syntax",...,"line":1,"column":17}} */
    static const char bad[] = "{\"id\":\"A\",\"name\" \"x\"}";
    line_out o = feed(bad);
    EXPECT_ERROR_LINE(o, 1, "parse.syntax", "", 1, 18);
    char *want = expected_error_line(1, bad, strlen(bad));
    assert_string_equal(o.out, want);
    free(want);
    static const char tail[] = ",\"path\":\"\",\"line\":1,\"column\":18}}";
    assert_string_equal(o.out + o.len - (sizeof(tail) - 1), tail);
}

static void test_error_line_positions_count_code_points(void **state)
{
    (void)state;
    line_out o = feed("{\"name\":\"养老服务\",\"id\":5}");
    EXPECT_ERROR_LINE(o, 1, "parse.type", "/id", 1, 21);
    o = feed("{\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":[{}]}");
    EXPECT_ERROR_LINE(o, 2, "parse.missing_field", "/id", 1, 1);
    o = feed("{\"id\":\"X\",\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":[{\"a\\\"b\":1}]}");
    EXPECT_ERROR_LINE(o, 3, "parse.unknown_field", "/functions/0/a\"b", 1, 67);
}

static void test_invalid_utf8_line_is_parse_encoding(void **state)
{
    (void)state;
    static const char bad[] = "{\"id\":\"养\xff\"}";
    line_out o = feed(bad);
    EXPECT_ERROR_LINE(o, 1, "parse.encoding", "", 1, 9);
    char *want = expected_error_line(1, bad, strlen(bad));
    assert_string_equal(o.out, want);
    free(want);
    /* an invalid byte that would look like the start of U+3000 is not blank */
    o = feed_n("\xe3\x80", 2);
    EXPECT_ERROR_LINE(o, 2, "parse.encoding", "", 1, 1);
    o = feed_n(" \xe3\x80\x80\xe3", 5);
    EXPECT_ERROR_LINE(o, 3, "parse.encoding", "", 1, 3);
}

/* The error message may quote an unknown key: the line must stay valid UTF-8 JSON even when the
 * key is cut to fit the message. */
static void test_error_line_with_long_non_ascii_key_is_valid_utf8(void **state)
{
    (void)state;
    char line[512] = "{\"";
    for (int i = 0; i < 40; i++)
        strcat(line, "键");
    strcat(line, "\":1}");
    line_out o = feed(line);
    assert_int_equal(o.rc, 1);
    if (esv_utf8_valid_prefix(o.out, o.len) != o.len)
        fail_msg("error line is not valid UTF-8: %s", o.out);
    char key_path[256] = "/";
    for (int i = 0; i < 40; i++)
        strcat(key_path, "键");
    EXPECT_ERROR_LINE(o, 1, "parse.unknown_field", key_path, 1, 2);
}

static void test_the_batch_goes_on_after_errors(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(feed("][").rc, 1);
        assert_int_equal(feed(eligible_line).rc, 0);
    }
    assert_int_equal(stat(EMBEDSVC_BATCH_ERRORS), 5);
    assert_int_equal(stat(EMBEDSVC_BATCH_PROJECTS), 5);
}

static void test_last_result_survives_an_error_line(void **state)
{
    (void)state;
    feed(ineligible_line);
    feed("{oops");
    const embedsvc_result *r = embedsvc_batch_last_result(g_batch);
    assert_string_equal(embedsvc_result_project_id(r), "NO-1");
    assert_false(embedsvc_result_eligible(r));
}

/* ---- totals ---- */

static void test_stats_count_every_kind_of_line(void **state)
{
    (void)state;
    feed(eligible_line);    /* 1: eligible, subsidised 1,800 fen */
    feed("");               /* 2: blank */
    feed(ineligible_line);  /* 3: not eligible */
    feed("{");              /* 4: error */
    feed(other_mode_line);  /* 5: eligible, not subsidised */
    feed(eligible_line);    /* 6: eligible, 1,800 fen */
    feed("\xe3\x80\x80\r"); /* 7: blank */
    assert_int_equal(stat(EMBEDSVC_BATCH_LINES), 7);
    assert_int_equal(stat(EMBEDSVC_BATCH_PROJECTS), 4);
    assert_int_equal(stat(EMBEDSVC_BATCH_ELIGIBLE), 3);
    assert_int_equal(stat(EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE), 2);
    assert_int_equal(stat(EMBEDSVC_BATCH_ERRORS), 1);
    assert_int_equal(stat(EMBEDSVC_BATCH_TOTAL_FEN), 3600);
    assert_int_equal(embedsvc_batch_stat(g_batch, (embedsvc_batch_stat_kind)6), -1);
    assert_int_equal(embedsvc_batch_stat(g_batch, (embedsvc_batch_stat_kind)-1), -1);
    assert_int_equal(embedsvc_batch_stat(NULL, EMBEDSVC_BATCH_LINES), -1);
}

static void test_fresh_batch_has_zero_totals(void **state)
{
    (void)state;
    for (int k = 0; k <= EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE; k++)
        assert_int_equal(stat((embedsvc_batch_stat_kind)k), 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    const char *out = (const char *)&out;
    size_t len = 7;
    assert_int_equal(embedsvc_batch_line(NULL, "x", 1, &out, &len), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_batch_line(g_batch, "x", 1, NULL, &len), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_batch_line(g_batch, NULL, 1, &out, &len), EMBEDSVC_EINVAL);
    assert_int_equal(stat(EMBEDSVC_BATCH_LINES), 0); /* nothing counted */
    assert_int_equal(embedsvc_batch_line(g_batch, NULL, 0, &out, NULL), 2); /* an empty line */
    assert_null(out);
    assert_int_equal(embedsvc_batch_line(g_batch, eligible_line, strlen(eligible_line), &out, NULL), 0);
    assert_non_null(out);
    embedsvc_batch *b = NULL;
    assert_int_equal(embedsvc_batch_new(NULL, NULL, &b), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_batch_new(g_policy, NULL, NULL), EMBEDSVC_EINVAL);
    assert_null(embedsvc_batch_last_result(NULL));
    embedsvc_batch_free(NULL);
}

/* Replaces the first occurrence of `from` in `doc` (malloc'd, freed by the caller). */
static char *replace_first(char *doc, const char *from, const char *to)
{
    char *at = strstr(doc, from);
    assert_non_null(at);
    size_t head = (size_t)(at - doc), from_len = strlen(from), to_len = strlen(to);
    char *out = malloc(strlen(doc) - from_len + to_len + 1);
    assert_non_null(out);
    memcpy(out, doc, head);
    memcpy(out + head, to, to_len);
    strcpy(out + head + to_len, at + from_len);
    free(doc);
    return out;
}

/* The summary total is a checked sum (issue 13.3, reference §2): under a policy without a cap
 * and a 100% basic rate, maximal projects (10^14 fen each) overflow INT64_MAX at the 92,234th;
 * that line is refused with EMBEDSVC_ERANGE, names itself through EMBEDSVC_BATCH_LINES, and the
 * totals stay those of the lines before — no wrap, no false summary. */
static void test_summary_total_overflow_is_an_error_naming_the_line(void **state)
{
    (void)state;
    size_t len;
    char *doc = strdup(embedsvc_policy_default_json(&len));
    assert_non_null(doc);
    doc = replace_first(doc, "\"rate_bp\": 3000", "\"rate_bp\": 10000");
    doc = replace_first(doc, "\"min_functions\": 3", "\"min_functions\": 1");
    doc = replace_first(doc, "\"min_core_functions\": 2", "\"min_core_functions\": 0");
    doc = replace_first(doc, "\"preferred_severity\": \"warning\"", "\"preferred_severity\": \"off\"");
    doc = replace_first(doc, "\"cap_fen\": 5000000000", "\"cap_fen\": null");
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_policy_load_buffer(doc, strlen(doc), NULL, &p, &err), EMBEDSVC_OK);
    free(doc);
    embedsvc_batch *b = NULL;
    assert_int_equal(embedsvc_batch_new(p, NULL, &b), EMBEDSVC_OK);
    static const char line[] = "{\"id\":\"MAX\",\"build_mode\":\"new\",\"total_investment\":\"1000000000000\","
                               "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\"}]}";
    const int64_t per = INT64_C(100000000000000);
    const int64_t fits = INT64_MAX / per; /* 92233 */
    const char *out;
    size_t out_len;
    assert_int_equal(embedsvc_batch_line(b, line, strlen(line), &out, &out_len), 0);
    assert_int_equal(embedsvc_result_total_fen(embedsvc_batch_last_result(b)), per);
    for (int64_t i = 1; i < fits; i++)
        assert_int_equal(embedsvc_batch_line(b, line, strlen(line), &out, &out_len), 0);
    assert_int_equal(embedsvc_batch_stat(b, EMBEDSVC_BATCH_TOTAL_FEN), fits * per);
    /* a blank line still passes */
    assert_int_equal(embedsvc_batch_line(b, " ", 1, &out, &out_len), 2);
    int rc = embedsvc_batch_line(b, line, strlen(line), &out, &out_len);
    assert_int_equal(rc, EMBEDSVC_ERANGE);
    assert_null(out);
    assert_int_equal(out_len, 0);
    assert_int_equal(embedsvc_batch_stat(b, EMBEDSVC_BATCH_LINES), fits + 2); /* the line that overflowed */
    assert_int_equal(embedsvc_batch_stat(b, EMBEDSVC_BATCH_PROJECTS), fits);
    assert_int_equal(embedsvc_batch_stat(b, EMBEDSVC_BATCH_ELIGIBLE), fits);
    assert_int_equal(embedsvc_batch_stat(b, EMBEDSVC_BATCH_TOTAL_FEN), fits * per); /* the lines written */
    /* the batch has stopped: no later line is taken */
    assert_int_equal(embedsvc_batch_line(b, line, strlen(line), &out, &out_len), EMBEDSVC_ERANGE);
    assert_int_equal(embedsvc_batch_line(b, "{", 1, &out, &out_len), EMBEDSVC_ERANGE);
    assert_int_equal(embedsvc_batch_stat(b, EMBEDSVC_BATCH_LINES), fits + 2);
    embedsvc_batch_free(b);
    embedsvc_policy_free(p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_total_overflow_is_an_error_naming_the_line),
        T(test_a_project_line_gives_its_result),
        T(test_blank_lines_are_skipped_but_counted),
        T(test_nbsp_line_is_not_blank),
        T(test_trailing_carriage_return_removed),
        T(test_one_output_per_non_blank_line_in_order),
        T(test_error_line_exact_bytes),
        T(test_error_line_shape_of_spec_example),
        T(test_error_line_positions_count_code_points),
        T(test_invalid_utf8_line_is_parse_encoding),
        T(test_error_line_with_long_non_ascii_key_is_valid_utf8),
        T(test_the_batch_goes_on_after_errors),
        T(test_last_result_survives_an_error_line),
        T(test_stats_count_every_kind_of_line),
        T(test_fresh_batch_has_zero_totals),
        T(test_bad_arguments),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
