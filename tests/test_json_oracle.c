/* Differential tests of the JSON reader against jansson (tests/json_oracle.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int esv_json_oracle_check(const char *data, size_t len, char *why, size_t why_size);

typedef struct doc {
    const char *text;
    size_t len;
} doc;

#define D(s) {(s), sizeof(s) - 1}

static const doc valid_docs[] = {
    D("null"),
    D("true"),
    D("false"),
    D("0"),
    D("-0"),
    D("-12.5e+3"),
    D("9223372036854775807"),
    D("-9223372036854775808"),
    D("1e5"),
    D("0.000001"),
    D("1E-400"),
    D("\"\""),
    D("\"plain\""),
    D("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    D("\"\\u00e9\\u4e2d\\ud83d\\ude00\""),
    D("\"中文 😀 \x7f\""),
    D("[]"),
    D("{}"),
    D(" \t\r\n[ 1 , 2 ] \n"),
    D("[1,\"a\",true,false,null,{},[]]"),
    D("{\"a\":{\"b\":{\"c\":[1,[2,[3]]]}}}"),
    D("{\"z\":1,\"a\":2,\"m\":3}"),
    D("{\"a\":1,\"A\":2,\"\\u0062\":3}"),
    D("{\"a\":0,\"b\":1,\"c\":2,\"d\":3,\"e\":4,\"f\":5,\"g\":6,\"h\":7,\"i\":8,\"j\":9}"),
    D("\xef\xbb\xbf{\"bom\":true}"),
    D("{\"id\":\"DEMO-1\",\"build_mode\":\"renovation\",\"total_investment\":\"3000000\",\"functions\":["
      "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
      "{\"label\":\"托育园\",\"investment\":1000000.50}]}"),
};

static const doc invalid_docs[] = {
    D(""),
    D("   "),
    D("\xef\xbb\xbf"),
    D("nul"),
    D("True"),
    D("01"),
    D("1."),
    D(".5"),
    D("+1"),
    D("-"),
    D("1e"),
    D("0x1F"),
    D("NaN"),
    D("[1,]"),
    D("[1 2]"),
    D("{\"a\" 1}"),
    D("{\"a\":1,}"),
    D("{a:1}"),
    D("{'a':1}"),
    D("[1]]"),
    D("1 2"),
    D("\"abc"),
    D("\"a\x01\""),
    D("\"a\tb\""),
    D("\"\\x\""),
    D("\"\\u12\""),
    D("\"\\ud800\""),
    D("\"\\udc00\""),
    D("\"\\ud800\\u0041\""),
    D("\"\\u0000\""),
    D("\"\xc0\x80\""),
    D("\"\xe0\x80\x80\""),
    D("\"\xed\xa0\x80\""),
    D("\"\xf5\x80\x80\x80\""),
    D("\"\xe4\xb8\""),
    D("\xef\xbb\xbf\xef\xbb\xbf[]"),
    D("[1,\xc2\xa0" "2]"),
    D("{\"a\":1,\"a\":2}"),
    D("{\"a\":1,\"\\u0061\":2}"),
    D("[{\"k\":1},{\"x\":{\"k\":1,\"k\":1}}]"),
    D("{\"a\":1,\"a\":2"),
    D("[\f]"),
    D("[1]\0"),
};

static void run_all(const doc *docs, size_t n)
{
    char why[512];
    for (size_t i = 0; i < n; i++) {
        int rc = esv_json_oracle_check(docs[i].text, docs[i].len, why, sizeof(why));
        if (rc != 0)
            fail_msg("document %zu (%.60s): %s", i, docs[i].text, why);
        if (why[0] != '\0')
            fail_msg("document %zu (%.60s) was not compared: %s", i, docs[i].text, why);
    }
}

static void test_oracle_agrees_on_valid_documents(void **state)
{
    (void)state;
    run_all(valid_docs, sizeof(valid_docs) / sizeof(valid_docs[0]));
}

static void test_oracle_agrees_on_invalid_documents(void **state)
{
    (void)state;
    run_all(invalid_docs, sizeof(invalid_docs) / sizeof(invalid_docs[0]));
}

static void expect_skipped(const char *text, size_t len, const char *reason)
{
    char why[512];
    assert_int_equal(esv_json_oracle_check(text, len, why, sizeof(why)), 0);
    if (!strstr(why, reason))
        fail_msg("'%s' does not contain '%s'", why, reason);
}

static void test_oracle_skips_documents_over_our_limits(void **state)
{
    (void)state;
    char deep[200];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    expect_skipped(deep, 80, "skipped: our limits");
    char *big = malloc(5002);
    assert_non_null(big);
    memset(big, 'x', 5002);
    big[0] = big[5001] = '"';
    expect_skipped(big, 5002, "skipped: our limits");
    free(big);
}

static void test_oracle_skips_numbers_out_of_janssons_range(void **state)
{
    (void)state;
    expect_skipped("[1e999]", 7, "skipped: jansson's number range");
    expect_skipped("99999999999999999999", 20, "skipped: jansson's number range");
}

static void test_oracle_agrees_on_mutated_documents(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[]\",:0123456789-+.eE \t\n\\u/abfnrtlsx\x01\x7f\xc3\xa9\xed\xa0\xef\xbb\xbf\xff";
    unsigned seed = 2024;
    char buf[256], why[512];
    const doc *all[2] = {valid_docs, invalid_docs};
    size_t counts[2] = {sizeof(valid_docs) / sizeof(valid_docs[0]), sizeof(invalid_docs) / sizeof(invalid_docs[0])};
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        int set = (seed >> 16) % 4 == 0;
        const doc *d = &all[set][(seed >> 8) % counts[set]];
        size_t len = d->len < sizeof(buf) - 8 ? d->len : sizeof(buf) - 8;
        memcpy(buf, d->text, len);
        int edits = 1 + (int)((seed >> 20) % 3);
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = len ? (seed >> 8) % (len + 1) : 0;
            char ch = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
            switch ((seed >> 24) % 3) {
            case 0: /* replace */
                if (pos < len)
                    buf[pos] = ch;
                break;
            case 1: /* insert */
                memmove(buf + pos + 1, buf + pos, len - pos);
                buf[pos] = ch;
                len++;
                break;
            default: /* delete */
                if (pos < len) {
                    memmove(buf + pos, buf + pos + 1, len - pos - 1);
                    len--;
                }
                break;
            }
        }
        int rc = esv_json_oracle_check(buf, len, why, sizeof(why));
        if (rc != 0)
            fail_msg("round %d, document '%.*s': %s", round, (int)len, buf, why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_agrees_on_valid_documents),
        cmocka_unit_test(test_oracle_agrees_on_invalid_documents),
        cmocka_unit_test(test_oracle_skips_documents_over_our_limits),
        cmocka_unit_test(test_oracle_skips_numbers_out_of_janssons_range),
        cmocka_unit_test(test_oracle_agrees_on_mutated_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
