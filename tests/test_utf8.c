/* Tests of UTF-8 handling (lib/utf8.c) and of filling embedsvc_error (lib/error.c): RFC 3629
 * boundaries, positions in code points (reference §10), and the size contract of embedsvc_error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "internal.h"

/* ---- helpers ---- */

static void expect_valid_at(const char *s, size_t len, const char *file, int line)
{
    size_t got = esv_utf8_valid_prefix(s, len);
    if (got != len)
        print_error("%s:%d: valid prefix %zu of %zu\n", file, line, got, len);
    _assert_int_equal(got, len, file, line);
}

static void expect_invalid_at(const char *s, size_t len, size_t prefix, const char *file, int line)
{
    size_t got = esv_utf8_valid_prefix(s, len);
    if (got != prefix)
        print_error("%s:%d: valid prefix %zu, want %zu\n", file, line, got, prefix);
    _assert_int_equal(got, prefix, file, line);
}

#define VALID(lit) expect_valid_at((lit), sizeof(lit) - 1, __FILE__, __LINE__)
#define INVALID_AT(lit, prefix) expect_invalid_at((lit), sizeof(lit) - 1, (prefix), __FILE__, __LINE__)

static void expect_position_at(const char *doc, size_t len, size_t offset, uint32_t want_line, uint32_t want_col,
                               const char *file, int line)
{
    uint32_t l = 0, c = 0;
    esv_position(doc, len, offset, &l, &c);
    if (l != want_line || c != want_col)
        print_error("%s:%d: offset %zu at %u:%u, want %u:%u\n", file, line, offset, l, c, want_line, want_col);
    _assert_int_equal(l, want_line, file, line);
    _assert_int_equal(c, want_col, file, line);
}

#define POSITION(lit, offset, l, c) expect_position_at((lit), sizeof(lit) - 1, (offset), (l), (c), __FILE__, __LINE__)

/* ---- validation ---- */

static void test_boundary_code_points_are_valid(void **state)
{
    (void)state;
    VALID("");
    VALID("\x00");
    VALID("\x7F");             /* U+007F */
    VALID("\xC2\x80");         /* U+0080 */
    VALID("\xDF\xBF");         /* U+07FF */
    VALID("\xE0\xA0\x80");     /* U+0800 */
    VALID("\xED\x9F\xBF");     /* U+D7FF */
    VALID("\xEE\x80\x80");     /* U+E000 */
    VALID("\xEF\xBF\xBF");     /* U+FFFF */
    VALID("\xF0\x90\x80\x80"); /* U+10000 */
    VALID("\xF4\x8F\xBF\xBF"); /* U+10FFFF */
    VALID("a\xE5\x85\xBB\xE8\x80\x81z");
}

static void test_overlong_forms_are_invalid(void **state)
{
    (void)state;
    INVALID_AT("\xC0\x80", 0);
    INVALID_AT("\xC1\xBF", 0);
    INVALID_AT("\xE0\x80\x80", 0);
    INVALID_AT("\xE0\x9F\xBF", 0);
    INVALID_AT("\xF0\x80\x80\x80", 0);
    INVALID_AT("\xF0\x8F\xBF\xBF", 0);
    INVALID_AT("ab\xC0\xAF", 2);
}

static void test_surrogates_are_invalid(void **state)
{
    (void)state;
    INVALID_AT("\xED\xA0\x80", 0); /* U+D800 */
    INVALID_AT("\xED\xAF\xBF", 0); /* U+DBFF */
    INVALID_AT("\xED\xB0\x80", 0); /* U+DC00 */
    INVALID_AT("\xED\xBF\xBF", 0); /* U+DFFF */
    INVALID_AT("x\xED\xA0\x80\xED\xB0\x80", 1);
}

static void test_above_u10ffff_is_invalid(void **state)
{
    (void)state;
    INVALID_AT("\xF4\x90\x80\x80", 0); /* U+110000 */
    INVALID_AT("\xF4\xBF\xBF\xBF", 0);
    INVALID_AT("\xF5\x80\x80\x80", 0);
    INVALID_AT("\xF7\xBF\xBF\xBF", 0);
    INVALID_AT("\xF8\x88\x80\x80\x80", 0);
    INVALID_AT("\xFE", 0);
    INVALID_AT("\xFF", 0);
}

static void test_truncated_and_stray_bytes_are_invalid(void **state)
{
    (void)state;
    INVALID_AT("\x80", 0);
    INVALID_AT("a\xBF", 1);
    INVALID_AT("\xC2", 0);
    INVALID_AT("\xE5\x85", 0);
    INVALID_AT("ok\xF0\x90\x80", 2);
    INVALID_AT("\xE5\x41\x80", 0);   /* ASCII where a continuation should be */
    INVALID_AT("\xE5\x85\x41", 0);   /* the third byte too */
    INVALID_AT("\xC2\xC2\x80", 0);
    INVALID_AT("\xF0\x90\x80\xC0", 0);
    /* a valid sequence cut by the length */
    expect_invalid_at("\xE5\x85\xBB", 2, 0, __FILE__, __LINE__);
    expect_valid_at("\xE5\x85\xBB", 3, __FILE__, __LINE__);
}

static void test_every_scalar_value_round_trips(void **state)
{
    (void)state;
    char buf[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        size_t n = esv_utf8_encode(cp, buf);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (n != want)
            fail_msg("U+%04X encoded in %zu bytes", cp, n);
        size_t valid = esv_utf8_valid_prefix(buf, n);
        bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        if (surrogate) {
            if (valid != 0)
                fail_msg("surrogate U+%04X accepted", cp);
            continue;
        }
        if (valid != n)
            fail_msg("U+%04X not valid after encoding", cp);
        size_t i = 0;
        uint32_t back = esv_utf8_next(buf, n, &i);
        if (back != cp || i != n)
            fail_msg("U+%04X decoded as U+%04X advancing %zu", cp, back, i);
        if (esv_utf8_count(buf, n) != 1)
            fail_msg("U+%04X counts as %zu code points", cp, esv_utf8_count(buf, n));
    }
}

static void test_encode_known_bytes(void **state)
{
    (void)state;
    char buf[4];
    assert_int_equal(esv_utf8_encode(0x3000, buf), 3);
    assert_memory_equal(buf, "\xE3\x80\x80", 3);
    assert_int_equal(esv_utf8_encode(0xFF21, buf), 3);
    assert_memory_equal(buf, "\xEF\xBC\xA1", 3);
    assert_int_equal(esv_utf8_encode(0x1F600, buf), 4);
    assert_memory_equal(buf, "\xF0\x9F\x98\x80", 4);
    assert_int_equal(esv_utf8_encode(0xA0, buf), 2);
    assert_memory_equal(buf, "\xC2\xA0", 2);
}

static void test_count_code_points(void **state)
{
    (void)state;
    assert_int_equal(esv_utf8_count("", 0), 0);
    assert_int_equal(esv_utf8_count("abc", 3), 3);
    assert_int_equal(esv_utf8_count("养老", 6), 2);
    assert_int_equal(esv_utf8_count("a养\xF0\x9F\x98\x80", 8), 3);
    assert_int_equal(esv_utf8_count("\xEF\xBB\xBF", 3), 1);
}

static void test_next_decodes_sequence_in_order(void **state)
{
    (void)state;
    static const char s[] = "a\xC2\xA0\xE5\x85\xBB\xF0\x9F\x98\x80";
    static const uint32_t want[] = {'a', 0xA0, 0x517B, 0x1F600};
    size_t i = 0, k = 0;
    while (i < sizeof(s) - 1) {
        assert_true(k < 4);
        assert_int_equal(esv_utf8_next(s, sizeof(s) - 1, &i), want[k++]);
    }
    assert_int_equal(k, 4);
    assert_int_equal(i, sizeof(s) - 1);
}

/* ---- positions ---- */

static void test_position_lines_and_columns(void **state)
{
    (void)state;
    POSITION("ab\ncd", 0, 1, 1);
    POSITION("ab\ncd", 1, 1, 2);
    POSITION("ab\ncd", 2, 1, 3);
    POSITION("ab\ncd", 3, 2, 1);
    POSITION("ab\ncd", 5, 2, 3);
    POSITION("\n\n\nx", 3, 4, 1);
}

static void test_position_columns_count_code_points(void **state)
{
    (void)state;
    POSITION("养老x", 6, 1, 3);
    POSITION("养老x", 7, 1, 4);
    POSITION("\xF0\x9F\x98\x80z", 4, 1, 2);
    POSITION("a\n养老\nb", 8, 2, 3);
}

static void test_position_carriage_return_is_a_column_not_a_line(void **state)
{
    (void)state;
    POSITION("a\r\nb", 1, 1, 2);
    POSITION("a\r\nb", 3, 2, 1);
    POSITION("a\rb", 2, 1, 3);
}

static void test_position_leading_bom_not_counted(void **state)
{
    (void)state;
    POSITION("\xEF\xBB\xBF{", 3, 1, 1);
    POSITION("\xEF\xBB\xBF{}", 4, 1, 2);
    POSITION("\xEF\xBB\xBF\n{", 4, 2, 1);
    /* a BOM elsewhere is an ordinary character */
    POSITION("a\xEF\xBB\xBF" "b", 4, 1, 3);
}

static void test_position_offset_past_end_clamped(void **state)
{
    (void)state;
    POSITION("ab", 99, 1, 3);
    POSITION("", 5, 1, 1);
}

/* ---- embedsvc_error ---- */

static void test_error_set_fills_every_field(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    err.line = 7;
    err.column = 8;
    err.offset = 9;
    strcpy(err.path, "/old");
    int rc = esv_error_set(&err, EMBEDSVC_EPARSE, "parse.value", "bad %s %d", "thing", 42);
    assert_int_equal(rc, EMBEDSVC_EPARSE);
    assert_int_equal(err.status, EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.value");
    assert_string_equal(err.message, "bad thing 42");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    assert_int_equal(err.offset, 0);
    assert_string_equal(err.path, "");
}

static void test_error_set_with_null_error_returns_status(void **state)
{
    (void)state;
    assert_int_equal(esv_error_set(NULL, EMBEDSVC_ENOMEM, "nomem", "x"), EMBEDSVC_ENOMEM);
    esv_error_position(NULL, "x", 1, 0);
    esv_error_path(NULL, "/x", 2);
}

static void test_error_message_truncated_on_character_boundary(void **state)
{
    (void)state;
    char long_msg[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(long_msg, "养"); /* 300 bytes */
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    esv_error_set(&err, EMBEDSVC_EPARSE, "parse.value", "x%s", long_msg); /* 301 bytes: 'x' then 3-byte characters */
    size_t n = strlen(err.message);
    assert_true(n < EMBEDSVC_ERROR_MESSAGE_SIZE);
    assert_true(n >= EMBEDSVC_ERROR_MESSAGE_SIZE - 4);
    assert_int_equal(esv_utf8_valid_prefix(err.message, n), n);
    assert_int_equal((n - 1) % 3, 0);
}

static void test_error_code_truncated_to_field(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    esv_error_set(&err, EMBEDSVC_EPARSE, "a.very.long.code.that.does.not.fit.in.32.bytes", "m");
    assert_int_equal(strlen(err.code), EMBEDSVC_ERROR_CODE_SIZE - 1);
    assert_memory_equal(err.code, "a.very.long.code.that.does.not.f", EMBEDSVC_ERROR_CODE_SIZE - 1);
}

static void test_error_position_in_code_points(void **state)
{
    (void)state;
    static const char doc[] = "{\n  \"名称\": x}";
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    esv_error_set(&err, EMBEDSVC_EPARSE, "parse.syntax", "m");
    size_t at = (size_t)(strchr(doc, 'x') - doc);
    esv_error_position(&err, doc, sizeof(doc) - 1, at);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 9);
    assert_int_equal(err.offset, at);
}

static void test_error_path_truncated_with_ellipsis(void **state)
{
    (void)state;
    char path[700];
    memset(path, 'k', sizeof(path));
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    esv_error_path(&err, path, sizeof(path));
    size_t n = strlen(err.path);
    assert_int_equal(n, EMBEDSVC_ERROR_PATH_SIZE - 1);
    assert_string_equal(err.path + n - 3, "...");
    /* exactly fitting: no ellipsis */
    esv_error_path(&err, path, EMBEDSVC_ERROR_PATH_SIZE - 1);
    assert_int_equal(strlen(err.path), EMBEDSVC_ERROR_PATH_SIZE - 1);
    assert_int_equal(err.path[n - 1], 'k');
    /* multibyte keys are not cut in half */
    char zh[700] = "/";
    while (strlen(zh) + 3 < sizeof(zh))
        strcat(zh, "键");
    esv_error_path(&err, zh, strlen(zh));
    n = strlen(err.path);
    assert_true(n <= EMBEDSVC_ERROR_PATH_SIZE - 1);
    assert_string_equal(err.path + n - 3, "...");
    assert_int_equal(esv_utf8_valid_prefix(err.path, n), n);
}

/* An error struct "from an older header" whose size stops before `path`: the library must not
 * write path, nor anything after the size it was told. */
static void test_error_smaller_size_leaves_path_untouched(void **state)
{
    (void)state;
    embedsvc_error err;
    memset(&err, 0xAA, sizeof(err));
    err.size = offsetof(embedsvc_error, path);
    esv_error_set(&err, EMBEDSVC_EPARSE, "parse.type", "message %d", 1);
    esv_error_position(&err, "ab\ncd", 5, 4);
    esv_error_path(&err, "/functions/0/investment", 23);
    assert_int_equal(err.status, EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.type");
    assert_string_equal(err.message, "message 1");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    assert_int_equal(err.offset, 4);
    const unsigned char *p = (const unsigned char *)err.path;
    for (size_t i = 0; i < sizeof(err.path); i++)
        if (p[i] != 0xAA)
            fail_msg("path byte %zu written", i);
}

static void test_error_size_before_code_writes_only_numbers(void **state)
{
    (void)state;
    embedsvc_error err;
    memset(&err, 0xAA, sizeof(err));
    err.size = offsetof(embedsvc_error, code);
    esv_error_set(&err, EMBEDSVC_EPARSE, "parse.type", "message");
    esv_error_position(&err, "ab", 2, 1);
    assert_int_equal(err.status, EMBEDSVC_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 2);
    assert_int_equal(err.offset, 1);
    const unsigned char *p = (const unsigned char *)err.code;
    size_t tail = sizeof(err) - offsetof(embedsvc_error, code);
    for (size_t i = 0; i < tail; i++)
        if (p[i] != 0xAA)
            fail_msg("byte %zu after the size written", i);
}

static void test_error_size_zero_writes_nothing(void **state)
{
    (void)state;
    embedsvc_error err, before;
    memset(&err, 0xAA, sizeof(err));
    err.size = 0;
    memcpy(&before, &err, sizeof(err));
    assert_int_equal(esv_error_set(&err, EMBEDSVC_EINVAL, "invalid_argument", "m"), EMBEDSVC_EINVAL);
    esv_error_position(&err, "ab", 2, 1);
    esv_error_path(&err, "/x", 2);
    assert_memory_equal(&err, &before, sizeof(err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary_code_points_are_valid),
        cmocka_unit_test(test_overlong_forms_are_invalid),
        cmocka_unit_test(test_surrogates_are_invalid),
        cmocka_unit_test(test_above_u10ffff_is_invalid),
        cmocka_unit_test(test_truncated_and_stray_bytes_are_invalid),
        cmocka_unit_test(test_every_scalar_value_round_trips),
        cmocka_unit_test(test_encode_known_bytes),
        cmocka_unit_test(test_count_code_points),
        cmocka_unit_test(test_next_decodes_sequence_in_order),
        cmocka_unit_test(test_position_lines_and_columns),
        cmocka_unit_test(test_position_columns_count_code_points),
        cmocka_unit_test(test_position_carriage_return_is_a_column_not_a_line),
        cmocka_unit_test(test_position_leading_bom_not_counted),
        cmocka_unit_test(test_position_offset_past_end_clamped),
        cmocka_unit_test(test_error_set_fills_every_field),
        cmocka_unit_test(test_error_set_with_null_error_returns_status),
        cmocka_unit_test(test_error_message_truncated_on_character_boundary),
        cmocka_unit_test(test_error_code_truncated_to_field),
        cmocka_unit_test(test_error_position_in_code_points),
        cmocka_unit_test(test_error_path_truncated_with_ellipsis),
        cmocka_unit_test(test_error_smaller_size_leaves_path_untouched),
        cmocka_unit_test(test_error_size_before_code_writes_only_numbers),
        cmocka_unit_test(test_error_size_zero_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
