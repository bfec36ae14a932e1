/* Tests of exact decimals (lib/decimal.c): reference §2 decimal and integer inputs, dates of §5,
 * 128-bit products and the largest-remainder apportionment of §3.3. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "internal.h"

#define SENTINEL INT64_C(-777)

/* ---- helpers ---- */

static void expect_decimal_at(esv_decimal_kind kind, const char *text, int64_t want, const char *file, int line)
{
    int64_t v = SENTINEL;
    const char *msg = "unset";
    const char *code = esv_decimal_parse(kind, text, strlen(text), &v, &msg);
    if (code)
        print_error("%s:%d: \"%s\" gave %s (%s)\n", file, line, text, code, msg ? msg : "");
    _assert_true(code == NULL, "no error", file, line);
    _assert_true(msg == NULL, "no message", file, line);
    _assert_int_equal((uintmax_t)v, (uintmax_t)want, file, line);
}

static void expect_decimal_error_at(esv_decimal_kind kind, const char *text, size_t len, const char *want,
                                    const char *file, int line)
{
    int64_t v = SENTINEL;
    const char *msg = NULL;
    const char *code = esv_decimal_parse(kind, text, len, &v, &msg);
    if (!code || strcmp(code, want) != 0)
        print_error("%s:%d: \"%.*s\" gave %s, want %s\n", file, line, (int)len, text, code ? code : "success", want);
    _assert_true(code != NULL, "an error", file, line);
    _assert_string_equal(code, want, file, line);
    _assert_true(msg != NULL && msg[0] != '\0', "a message", file, line);
    _assert_int_equal((uintmax_t)v, (uintmax_t)SENTINEL, file, line); /* *out untouched on failure */
}

#define MONEY_OK(text, fen) expect_decimal_at(ESV_DEC_MONEY, (text), (fen), __FILE__, __LINE__)
#define RATE_OK(text, bp) expect_decimal_at(ESV_DEC_RATE, (text), (bp), __FILE__, __LINE__)
#define AREA_OK(text, h) expect_decimal_at(ESV_DEC_AREA, (text), (h), __FILE__, __LINE__)
#define DEC_ERR(kind, text, code) expect_decimal_error_at((kind), (text), strlen(text), (code), __FILE__, __LINE__)
#define MONEY_ERR(text, code) DEC_ERR(ESV_DEC_MONEY, (text), (code))
#define RATE_ERR(text) DEC_ERR(ESV_DEC_RATE, (text), "parse.value")
#define AREA_ERR(text) DEC_ERR(ESV_DEC_AREA, (text), "parse.value")

static const esv_decimal_kind all_kinds[] = {ESV_DEC_MONEY, ESV_DEC_RATE, ESV_DEC_AREA};

/* ---- money ---- */

static void test_money_whole_and_fractional_yuan_to_fen(void **state)
{
    (void)state;
    MONEY_OK("0", 0);
    MONEY_OK("0.0", 0);
    MONEY_OK("0.01", 1);
    MONEY_OK("0.1", 10);
    MONEY_OK("1", 100);
    MONEY_OK("1.5", 150);
    MONEY_OK("1.50", 150);
    MONEY_OK("12000000.00", 1200000000);
    MONEY_OK("4800000", 480000000);
    MONEY_OK("1234.56", 123456);
}

static void test_money_trailing_zeros_beyond_two_places_accepted(void **state)
{
    (void)state;
    MONEY_OK("1.500", 150);
    MONEY_OK("1.5000000000", 150);
    MONEY_OK("0.000", 0);
    MONEY_OK("0.010", 1);
    MONEY_OK("7.990000", 799);
}

static void test_money_third_place_is_precision_error(void **state)
{
    (void)state;
    MONEY_ERR("1.001", "money.precision");
    MONEY_ERR("0.001", "money.precision");
    MONEY_ERR("1.005", "money.precision");
    MONEY_ERR("1.0000001", "money.precision");
    MONEY_ERR("1.999", "money.precision");
}

static void test_money_negative_including_minus_zero(void **state)
{
    (void)state;
    MONEY_ERR("-1", "money.negative");
    MONEY_ERR("-0", "money.negative");
    MONEY_ERR("-0.00", "money.negative");
    MONEY_ERR("-0.5", "money.negative");
    MONEY_ERR("-1000000000001", "money.negative");
}

static void test_rate_and_area_negative_is_parse_value(void **state)
{
    (void)state;
    RATE_ERR("-1");
    RATE_ERR("-0");
    RATE_ERR("-0.0000");
    AREA_ERR("-1");
    AREA_ERR("-0");
    AREA_ERR("-0.00");
}

static void test_not_plain_decimal_is_parse_value_for_every_kind(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",    "-",    "01",  "00",  "-01",  "1.",   ".5",       "+1",   "1e3",    "1E3",    "1e-2",
        " 1",  "1 ",   "1. 5", "1,5", "1,000", "0x10", "1.5.0",   "--1",  "1.-5",   "NaN",    "Infinity",
        "１",  "１.5", "1.５", "\xEF\xBC\x8D" "1", /* full-width minus */ "1_000", "٣", "\t1", "1\n",
    };
    for (size_t k = 0; k < ESV_ARRAY_LEN(all_kinds); k++)
        for (size_t i = 0; i < ESV_ARRAY_LEN(bad); i++)
            DEC_ERR(all_kinds[k], bad[i], "parse.value");
}

static void test_embedded_nul_is_parse_value(void **state)
{
    (void)state;
    expect_decimal_error_at(ESV_DEC_MONEY, "1\0" "5", 3, "parse.value", __FILE__, __LINE__);
    expect_decimal_error_at(ESV_DEC_MONEY, "1.5\0", 4, "parse.value", __FILE__, __LINE__);
}

static void test_money_range_limit_both_sides(void **state)
{
    (void)state;
    MONEY_OK("1000000000000", INT64_C(100000000000000));
    MONEY_OK("1000000000000.00", INT64_C(100000000000000));
    MONEY_OK("1000000000000.000", INT64_C(100000000000000));
    MONEY_OK("999999999999.99", INT64_C(99999999999999));
    MONEY_ERR("1000000000000.01", "money.range");
    MONEY_ERR("1000000000001", "money.range");
    MONEY_ERR("9999999999999", "money.range");
    MONEY_ERR("100000000000000000", "money.range");
    MONEY_ERR("99999999999999999999999999999999999999", "money.range"); /* no wrap-around */
    MONEY_ERR("18446744073709551616", "money.range");
}

static void test_money_checks_negative_before_precision_before_range(void **state)
{
    (void)state;
    MONEY_ERR("-1.001", "money.negative");
    MONEY_ERR("-1000000000000.01", "money.negative");
    MONEY_ERR("-1000000000000.001", "money.negative");
    MONEY_ERR("1000000000000.001", "money.precision");
    MONEY_ERR("99999999999999999999.001", "money.precision");
    /* the syntax comes first of all */
    MONEY_ERR("-1e3", "parse.value");
    MONEY_ERR("-01.001", "parse.value");
}

/* ---- rates ---- */

static void test_rate_four_places_to_basis_points(void **state)
{
    (void)state;
    RATE_OK("0", 0);
    RATE_OK("0.0001", 1);
    RATE_OK("0.00010", 1);
    RATE_OK("0.25", 2500);
    RATE_OK("0.2575", 2575);
    RATE_OK("0.3", 3000);
    RATE_OK("0.3001", 3001);
    RATE_OK("1", 10000);
    RATE_OK("1.0000", 10000);
    RATE_OK("1.00000000", 10000);
}

static void test_rate_fifth_place_is_parse_value(void **state)
{
    (void)state;
    RATE_ERR("0.00005");
    RATE_ERR("0.25001");
    RATE_ERR("1.00001");
}

static void test_rate_above_one_is_parse_value(void **state)
{
    (void)state;
    RATE_ERR("1.0001");
    RATE_ERR("2");
    RATE_ERR("10000");
    RATE_ERR("99999999999999999999");
}

/* ---- areas ---- */

static void test_area_two_places_to_hundredths(void **state)
{
    (void)state;
    AREA_OK("0", 0);
    AREA_OK("0.01", 1);
    AREA_OK("0.010", 1);
    AREA_OK("12.3", 1230);
    AREA_OK("400", 40000);
    AREA_OK("10000000", INT64_C(1000000000));
    AREA_OK("10000000.00", INT64_C(1000000000));
    AREA_OK("9999999.99", INT64_C(999999999));
}

static void test_area_limit_and_precision_are_parse_value(void **state)
{
    (void)state;
    AREA_ERR("10000000.01");
    AREA_ERR("10000001");
    AREA_ERR("0.001");
    AREA_ERR("0.005");
    AREA_ERR("123456789012345678901234567890");
}

/* ---- integers ---- */

static bool int_parse(const char *text, int64_t min, int64_t max, int64_t *out)
{
    return esv_integer_parse(text, strlen(text), min, max, out);
}

static void test_integer_within_range_both_ends(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_true(int_parse("0", 0, 1440, &v));
    assert_int_equal(v, 0);
    assert_true(int_parse("1440", 0, 1440, &v));
    assert_int_equal(v, 1440);
    assert_true(int_parse("12", 0, 1440, &v));
    assert_int_equal(v, 12);
    assert_true(int_parse("-5", -5, 5, &v));
    assert_int_equal(v, -5);
    assert_true(int_parse("-0", 0, 10, &v));
    assert_int_equal(v, 0);
    assert_true(int_parse("999999999999999999", 0, INT64_MAX, &v));
    assert_int_equal(v, INT64_C(999999999999999999));
}

static void test_integer_out_of_range_rejected(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_false(int_parse("1441", 0, 1440, &v));
    assert_false(int_parse("-1", 0, 1440, &v));
    assert_false(int_parse("-6", -5, 5, &v));
    assert_false(int_parse("6", -5, 5, &v));
    assert_false(int_parse("18446744073709551617", 0, INT64_MAX, &v)); /* 2^64 + 1 must not wrap to 1 */
    assert_false(int_parse("99999999999999999999", 0, INT64_MAX, &v));
    assert_false(int_parse("-99999999999999999999", INT64_MIN, 0, &v));
    assert_int_equal(v, SENTINEL);
}

static void test_integer_not_matching_token_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "-", "01", "00", "-01", "+1", "1.0", "1.", "1e2", " 1", "1 ", "１", "0x1"};
    for (size_t i = 0; i < ESV_ARRAY_LEN(bad); i++) {
        int64_t v = SENTINEL;
        if (int_parse(bad[i], -100, 100, &v))
            fail_msg("\"%s\" was accepted as %lld", bad[i], (long long)v);
        assert_int_equal(v, SENTINEL);
    }
}

/* ---- dates ---- */

static bool date_ok(const char *s)
{
    return esv_date_valid(s, strlen(s));
}

static void test_date_leap_years(void **state)
{
    (void)state;
    assert_true(date_ok("2024-02-29"));
    assert_false(date_ok("2023-02-29"));
    assert_true(date_ok("2023-02-28"));
    assert_false(date_ok("1900-02-29"));
    assert_true(date_ok("2000-02-29"));
    assert_false(date_ok("2100-02-29"));
    assert_false(date_ok("2024-02-30"));
}

static void test_date_year_range_0001_to_9999(void **state)
{
    (void)state;
    assert_false(date_ok("0000-01-01"));
    assert_true(date_ok("0001-01-01"));
    assert_true(date_ok("9999-12-31"));
    assert_false(date_ok("10000-01-01"));
}

static void test_date_months_and_days_both_sides(void **state)
{
    (void)state;
    assert_false(date_ok("2024-00-10"));
    assert_true(date_ok("2024-01-31"));
    assert_false(date_ok("2024-01-32"));
    assert_false(date_ok("2024-01-00"));
    assert_true(date_ok("2024-04-30"));
    assert_false(date_ok("2024-04-31"));
    assert_true(date_ok("2024-12-31"));
    assert_false(date_ok("2024-13-01"));
}

static void test_date_format_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2024/02/29", "2024.02.29", "2024-2-29",   "2024-02-9",  "24-02-29",   "20240229",    "2024-02-29 ",
        " 2024-02-29", "2024-02-29T00:00", "2024_02_29", "2024-0a-01", "",     "2024-02-2\xD9\xA9" /* Arabic nine */,
        "２０２４-02-29", "+024-01-01", "-024-01-01", "2024--2-29",
    };
    for (size_t i = 0; i < ESV_ARRAY_LEN(bad); i++)
        if (date_ok(bad[i]))
            fail_msg("\"%s\" was accepted", bad[i]);
}

/* ---- muldiv ---- */

static void test_muldiv_floor_of_exact_product(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_true(esv_muldiv(7, 1, 2, &v));
    assert_int_equal(v, 3);
    assert_true(esv_muldiv(0, 3000, 10000, &v));
    assert_int_equal(v, 0);
    assert_true(esv_muldiv(INT64_C(100000000000000), 3000, 10000, &v));
    assert_int_equal(v, INT64_C(30000000000000));
    assert_true(esv_muldiv(100001, 2575, 10000, &v));
    assert_int_equal(v, 25750);
}

static void test_muldiv_exact_near_int64_max(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_true(esv_muldiv(INT64_MAX, INT64_MAX, INT64_MAX, &v));
    assert_int_equal(v, INT64_MAX);
    assert_true(esv_muldiv(INT64_MAX, 2, 2, &v));
    assert_int_equal(v, INT64_MAX);
    assert_true(esv_muldiv(INT64_MAX, INT64_MAX - 1, INT64_MAX, &v));
    assert_int_equal(v, INT64_MAX - 1);
    assert_true(esv_muldiv(INT64_C(4611686018427387904), 2, 1, &v) == false); /* 2^62 * 2 = 2^63 */
    assert_true(esv_muldiv(INT64_C(4611686018427387903), 2, 1, &v));
    assert_int_equal(v, INT64_MAX - 1);
}

static void test_muldiv_overflow_reported_not_wrapped(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_false(esv_muldiv(INT64_MAX, 2, 1, &v));
    assert_false(esv_muldiv(INT64_MAX, INT64_MAX, INT64_MAX - 1, &v)); /* = INT64_MAX + 1 */
    assert_false(esv_muldiv(INT64_MAX, INT64_MAX, 1, &v));
    assert_int_equal(v, SENTINEL);
}

static void test_muldiv_bad_operands_rejected(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_false(esv_muldiv(-1, 1, 1, &v));
    assert_false(esv_muldiv(1, -1, 1, &v));
    assert_false(esv_muldiv(1, 1, 0, &v));
    assert_false(esv_muldiv(1, 1, -1, &v));
    assert_int_equal(v, SENTINEL);
}

/* ---- largest remainder ---- */

static void expect_lr_at(int64_t amount, const int64_t *w, size_t n, const int64_t *want, const char *file, int line)
{
    int64_t shares[EMBEDSVC_MAX_FUNCTIONS];
    for (size_t i = 0; i < n; i++)
        shares[i] = SENTINEL;
    _assert_true(esv_largest_remainder(amount, w, n, shares), "largest remainder succeeds", file, line);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (shares[i] != want[i])
            print_error("%s:%d: share %zu is %lld, want %lld\n", file, line, i, (long long)shares[i],
                        (long long)want[i]);
        _assert_int_equal((uintmax_t)shares[i], (uintmax_t)want[i], file, line);
        sum += shares[i];
    }
    _assert_int_equal((uintmax_t)sum, (uintmax_t)amount, file, line);
}

#define EXPECT_LR(amount, w, want)                                                                                     \
    do {                                                                                                               \
        static const int64_t w_[] = w, want_[] = want;                                                                 \
        _Static_assert(sizeof(w_) == sizeof(want_), "weights and shares");                                             \
        expect_lr_at((amount), w_, ESV_ARRAY_LEN(w_), want_, __FILE__, __LINE__);                                      \
    } while (0)
#define L(...) {__VA_ARGS__}

static void test_largest_remainder_sums_exactly(void **state)
{
    (void)state;
    EXPECT_LR(100, L(1, 1, 1), L(34, 33, 33));
    EXPECT_LR(10000, L(40000, 20000, 40000), L(4000, 2000, 4000));
    EXPECT_LR(0, L(1, 2, 3), L(0, 0, 0));
}

static void test_largest_remainder_goes_to_largest_remainder_first(void **state)
{
    (void)state;
    EXPECT_LR(10, L(1, 2), L(3, 7));   /* remainders 1 and 2 of 3 */
    EXPECT_LR(10, L(2, 1), L(7, 3));
    EXPECT_LR(5, L(2, 1, 1, 2), L(2, 1, 1, 1)); /* remainders 4 5 5 4: two 5s, then the first 4 */
}

static void test_largest_remainder_ties_to_the_lower_index(void **state)
{
    (void)state;
    EXPECT_LR(1, L(1, 1), L(1, 0));
    EXPECT_LR(2, L(1, 1, 1), L(1, 1, 0));
    EXPECT_LR(5, L(1, 1, 1), L(2, 2, 1));
    EXPECT_LR(1, L(3, 3, 3, 3), L(1, 0, 0, 0));
}

static void test_largest_remainder_all_zero_remainders(void **state)
{
    (void)state;
    EXPECT_LR(300, L(1, 2), L(100, 200));
    EXPECT_LR(6, L(1, 1, 1), L(2, 2, 2));
}

static void test_largest_remainder_zero_weights_get_nothing(void **state)
{
    (void)state;
    EXPECT_LR(5, L(0, 1, 0), L(0, 5, 0));
    EXPECT_LR(3, L(0, 1, 1), L(0, 2, 1));
}

static void test_largest_remainder_single_weight_takes_all(void **state)
{
    (void)state;
    EXPECT_LR(12345, L(7), L(12345));
    EXPECT_LR(INT64_C(100000000000000), L(INT64_C(1000000000000000)), L(INT64_C(100000000000000)));
}

static void test_largest_remainder_64_weights(void **state)
{
    (void)state;
    int64_t w[64], shares[64], sum = 0;
    for (size_t i = 0; i < 64; i++)
        w[i] = 1;
    assert_true(esv_largest_remainder(100, w, 64, shares));
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(shares[i], i < 36 ? 2 : 1);
        sum += shares[i];
    }
    assert_int_equal(sum, 100);
    /* unequal weights: every share within one of its exact quota, total exact */
    int64_t total_w = 0;
    for (size_t i = 0; i < 64; i++) {
        w[i] = (int64_t)(i * 7919 % 1000) + 1;
        total_w += w[i];
    }
    const int64_t amount = INT64_C(99999999999989);
    assert_true(esv_largest_remainder(amount, w, 64, shares));
    sum = 0;
    for (size_t i = 0; i < 64; i++) {
        esv_u128 exact = (esv_u128)amount * (esv_u128)w[i];
        int64_t floor_q = (int64_t)(exact / (esv_u128)total_w);
        assert_true(shares[i] == floor_q || shares[i] == floor_q + 1);
        sum += shares[i];
    }
    assert_int_equal(sum, amount);
}

static void test_largest_remainder_amounts_near_1e14_weights_near_1e15(void **state)
{
    (void)state;
    EXPECT_LR(INT64_C(100000000000000), L(INT64_C(999999999999999), INT64_C(999999999999998), INT64_C(999999999999997)),
              L(INT64_C(33333333333334), INT64_C(33333333333333), INT64_C(33333333333333)));
    EXPECT_LR(INT64_C(99999999999993),
              L(INT64_C(999999999999989), INT64_C(999999999999999), 7, INT64_C(123456789012345)),
              L(INT64_C(47093023280452), INT64_C(47093023280453), 0, INT64_C(5813953439088)));
    EXPECT_LR(INT64_C(100000000000000),
              L(INT64_C(1000000000000000), INT64_C(1000000000000000), INT64_C(1000000000000000),
                INT64_C(1000000000000000), INT64_C(1000000000000000), INT64_C(1000000000000000),
                INT64_C(1000000000000000)),
              L(INT64_C(14285714285715), INT64_C(14285714285715), INT64_C(14285714285714), INT64_C(14285714285714),
                INT64_C(14285714285714), INT64_C(14285714285714), INT64_C(14285714285714)));
}

static void test_largest_remainder_rejects_bad_input(void **state)
{
    (void)state;
    int64_t shares[65];
    const int64_t zero[2] = {0, 0}, neg[2] = {-1, 2}, ok[2] = {1, 1};
    int64_t many[65];
    for (size_t i = 0; i < 65; i++)
        many[i] = 1;
    assert_false(esv_largest_remainder(10, zero, 2, shares));
    assert_false(esv_largest_remainder(10, neg, 2, shares));
    assert_false(esv_largest_remainder(-1, ok, 2, shares));
    assert_false(esv_largest_remainder(10, ok, 0, shares));
    assert_false(esv_largest_remainder(10, many, 65, shares));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_whole_and_fractional_yuan_to_fen),
        cmocka_unit_test(test_money_trailing_zeros_beyond_two_places_accepted),
        cmocka_unit_test(test_money_third_place_is_precision_error),
        cmocka_unit_test(test_money_negative_including_minus_zero),
        cmocka_unit_test(test_rate_and_area_negative_is_parse_value),
        cmocka_unit_test(test_not_plain_decimal_is_parse_value_for_every_kind),
        cmocka_unit_test(test_embedded_nul_is_parse_value),
        cmocka_unit_test(test_money_range_limit_both_sides),
        cmocka_unit_test(test_money_checks_negative_before_precision_before_range),
        cmocka_unit_test(test_rate_four_places_to_basis_points),
        cmocka_unit_test(test_rate_fifth_place_is_parse_value),
        cmocka_unit_test(test_rate_above_one_is_parse_value),
        cmocka_unit_test(test_area_two_places_to_hundredths),
        cmocka_unit_test(test_area_limit_and_precision_are_parse_value),
        cmocka_unit_test(test_integer_within_range_both_ends),
        cmocka_unit_test(test_integer_out_of_range_rejected),
        cmocka_unit_test(test_integer_not_matching_token_rejected),
        cmocka_unit_test(test_date_leap_years),
        cmocka_unit_test(test_date_year_range_0001_to_9999),
        cmocka_unit_test(test_date_months_and_days_both_sides),
        cmocka_unit_test(test_date_format_strict),
        cmocka_unit_test(test_muldiv_floor_of_exact_product),
        cmocka_unit_test(test_muldiv_exact_near_int64_max),
        cmocka_unit_test(test_muldiv_overflow_reported_not_wrapped),
        cmocka_unit_test(test_muldiv_bad_operands_rejected),
        cmocka_unit_test(test_largest_remainder_sums_exactly),
        cmocka_unit_test(test_largest_remainder_goes_to_largest_remainder_first),
        cmocka_unit_test(test_largest_remainder_ties_to_the_lower_index),
        cmocka_unit_test(test_largest_remainder_all_zero_remainders),
        cmocka_unit_test(test_largest_remainder_zero_weights_get_nothing),
        cmocka_unit_test(test_largest_remainder_single_weight_takes_all),
        cmocka_unit_test(test_largest_remainder_64_weights),
        cmocka_unit_test(test_largest_remainder_amounts_near_1e14_weights_near_1e15),
        cmocka_unit_test(test_largest_remainder_rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
