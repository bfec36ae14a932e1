/* Tests of evaluation (lib/evaluate.c, reference §3): function counts, the investment split, the subsidy
 * and its cap under the default and other policies, the order of findings, and result reuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "embedsvc.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static embedsvc_policy *g_default;
static embedsvc_project *g_project;
static embedsvc_result *g_result;

static int group_setup(void **state)
{
    (void)state;
    if (embedsvc_policy_default(NULL, &g_default, NULL) != EMBEDSVC_OK)
        return -1;
    if (embedsvc_project_new(NULL, &g_project) != EMBEDSVC_OK)
        return -1;
    return embedsvc_result_new(NULL, &g_result) == EMBEDSVC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    embedsvc_result_free(g_result);
    embedsvc_project_free(g_project);
    embedsvc_policy_free(g_default);
    return 0;
}

/* ---- building projects ---- */

#define PROJECT_MODE(mode, total, extra, functions)                                                                   \
    "{\"id\":\"E\",\"build_mode\":\"" mode "\",\"total_investment\":\"" total "\"," extra "\"functions\":[" functions  \
    "]}"
#define PROJECT(total, extra, functions) PROJECT_MODE("new", total, extra, functions)
#define F(scenario, cls, inv)                                                                                          \
    "{\"scenario\":\"" scenario "\",\"service_class\":\"" cls "\",\"investment\":\"" inv "\"}"
#define ELDERLY(inv) F("elderly_care", "basic_public", inv)
#define INFANT(inv) F("infant_care", "inclusive", inv)
#define MEALS(inv) F("community_meals", "commercial", inv)
#define CHILD(inv) F("child_care", "commercial", inv)
#define HEALTH(inv) F("health", "basic_public", inv)
#define SPORTS(inv) F("sports_fitness", "basic_public", inv)

/* Three valid functions of three scenarios, two core, one preferred: a project with no findings. */
#define GOOD_FUNCTIONS ELDERLY("100") "," MEALS("100") "," INFANT("100")

/* ---- helpers ---- */

static const embedsvc_result *eval_at(const embedsvc_policy *p, const char *json, const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_parse(g_project, json, strlen(json), &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: parse: %s at %s: %s\n", file, line, err.code, err.path, err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
    rc = embedsvc_evaluate(p, g_project, g_result, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: evaluate: %s: %s\n", file, line, err.code, err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
    return g_result;
}

#define EVAL(json) eval_at(g_default, (json), __FILE__, __LINE__)
#define EVAL_IN(p, json) eval_at((p), (json), __FILE__, __LINE__)

static void expect_findings_at(const embedsvc_result *r, const char *const *want, size_t n, const char *file, int line)
{
    size_t got = embedsvc_result_finding_count(r);
    bool same = got == n;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(embedsvc_result_finding_code(r, i), want[i]) == 0;
    if (!same) {
        print_error("%s:%d: findings:\n", file, line);
        for (size_t i = 0; i < got; i++)
            print_error("  got  %s (function %d)\n", embedsvc_result_finding_code(r, i),
                        embedsvc_result_finding_function(r, i));
        for (size_t i = 0; i < n; i++)
            print_error("  want %s\n", want[i]);
    }
    _assert_true(same, "the findings", file, line);
}

#define EXPECT_FINDINGS(r, ...)                                                                                        \
    do {                                                                                                               \
        static const char *const want_[] = {__VA_ARGS__};                                                              \
        expect_findings_at((r), want_, sizeof(want_) / sizeof(want_[0]), __FILE__, __LINE__);                         \
    } while (0)
#define EXPECT_NO_FINDINGS(r) expect_findings_at((r), NULL, 0, __FILE__, __LINE__)

/* Check index by rule name. */
static size_t check_index(const embedsvc_result *r, const char *rule)
{
    for (size_t i = 0; i < embedsvc_result_check_count(r); i++)
        if (strcmp(embedsvc_result_check_rule(r, i), rule) == 0)
            return i;
    fail_msg("no check %s", rule);
    return 0;
}

/* A check's passed, value (INT64_MIN for null) and threshold (INT64_MIN for null). */
static void expect_check_at(const embedsvc_result *r, const char *rule, int passed, int64_t value, int64_t threshold,
                            const char *file, int line)
{
    size_t i = check_index(r, rule);
    int64_t v = INT64_MIN, t = INT64_MIN;
    int kind = embedsvc_result_check_value(r, i, &v, NULL);
    if (kind != 1)
        v = INT64_MIN;
    if (embedsvc_result_check_threshold(r, i, &t) != 1)
        t = INT64_MIN;
    if (embedsvc_result_check_passed(r, i) != passed || v != value || t != threshold)
        print_error("%s:%d: %s: passed %d value %lld threshold %lld\n", file, line, rule,
                    embedsvc_result_check_passed(r, i), (long long)v, (long long)t);
    _assert_int_equal((uintmax_t)embedsvc_result_check_passed(r, i), (uintmax_t)passed, file, line);
    _assert_int_equal((uintmax_t)v, (uintmax_t)value, file, line);
    _assert_int_equal((uintmax_t)t, (uintmax_t)threshold, file, line);
}

#define NUL INT64_MIN
#define EXPECT_CHECK(r, rule, passed, value, threshold)                                                                \
    expect_check_at((r), (rule), (passed), (value), (threshold), __FILE__, __LINE__)

static int64_t cap_headroom(const embedsvc_result *r)
{
    int64_t h = -1;
    return embedsvc_result_cap_headroom_fen(r, &h) == 1 ? h : NUL;
}

/* The subsidy block: base, rate, amount of each class and the totals. */
static void expect_class_at(const embedsvc_result *r, embedsvc_class c, int64_t base, int rate, int64_t amount,
                            const char *file, int line)
{
    if (embedsvc_result_class_base_fen(r, c) != base || embedsvc_result_class_rate_bp(r, c) != rate ||
        embedsvc_result_class_amount_fen(r, c) != amount)
        print_error("%s:%d: class %d: base %lld rate %d amount %lld\n", file, line, c,
                    (long long)embedsvc_result_class_base_fen(r, c), embedsvc_result_class_rate_bp(r, c),
                    (long long)embedsvc_result_class_amount_fen(r, c));
    _assert_int_equal((uintmax_t)embedsvc_result_class_base_fen(r, c), (uintmax_t)base, file, line);
    _assert_int_equal((uintmax_t)embedsvc_result_class_rate_bp(r, c), (uintmax_t)rate, file, line);
    _assert_int_equal((uintmax_t)embedsvc_result_class_amount_fen(r, c), (uintmax_t)amount, file, line);
}

#define EXPECT_CLASS(r, c, base, rate, amount) expect_class_at((r), (c), (base), (rate), (amount), __FILE__, __LINE__)

/* Per-function subsidies add up to each class's amount, and total = sum of the amounts. */
static void assert_subsidy_sums(const embedsvc_result *r)
{
    int64_t by_class[EMBEDSVC_CLASS_COUNT] = {0}, total = 0;
    size_t n = (size_t)embedsvc_result_count(r, EMBEDSVC_COUNT_FUNCTIONS);
    for (size_t i = 0; i < n; i++) {
        embedsvc_class c = embedsvc_result_function_class(r, i);
        int64_t s = embedsvc_result_function_subsidy_fen(r, i);
        if (c == EMBEDSVC_CLASS_NONE)
            assert_int_equal(s, 0);
        else
            by_class[c] += s;
    }
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        assert_int_equal(by_class[c], embedsvc_result_class_amount_fen(r, (embedsvc_class)c));
        total += by_class[c];
    }
    assert_int_equal(total, embedsvc_result_total_fen(r));
}

static embedsvc_policy *load_file(const char *path)
{
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_load_file(path, NULL, &p, &err) != EMBEDSVC_OK)
        fail_msg("%s: %s at %s: %s", path, err.code, err.path, err.message);
    return p;
}

/* The canonical JSON of the default policy with some edits (pairs of from, to; NULL-terminated). */
static embedsvc_policy *edited_default(const char *first_from, ...)
{
    static char buf[2][32768];
    size_t needed = 0;
    assert_int_equal(embedsvc_policy_to_json(g_default, buf[0], sizeof(buf[0]), &needed), EMBEDSVC_OK);
    int cur = 0;
    va_list ap;
    va_start(ap, first_from);
    for (const char *from = first_from; from; from = va_arg(ap, const char *)) {
        const char *to = va_arg(ap, const char *);
        const char *at = strstr(buf[cur], from);
        if (!at)
            fail_msg("\"%s\" not in the default policy", from);
        char *out = buf[1 - cur];
        size_t head = (size_t)(at - buf[cur]);
        memcpy(out, buf[cur], head);
        strcpy(out + head, to);
        strcat(out, at + strlen(from));
        cur = 1 - cur;
    }
    va_end(ap);
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_load_buffer(buf[cur], strlen(buf[cur]), NULL, &p, &err) != EMBEDSVC_OK)
        fail_msg("edited policy: %s at %s: %s", err.code, err.path, err.message);
    return p;
}

/* ---- function counts (§3.2) ---- */

static void test_two_scenarios_are_too_few_functions(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("200", "", ELDERLY("100") "," MEALS("100")));
    EXPECT_FINDINGS(r, "project.too_few_functions");
    EXPECT_CHECK(r, "min_functions", 0, 2, 3);
    assert_false(embedsvc_result_eligible(r));
    assert_false(embedsvc_result_subsidy_eligible(r));
    assert_int_equal(embedsvc_result_total_fen(r), 0);
}

static void test_three_scenarios_are_enough(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "", GOOD_FUNCTIONS));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CHECK(r, "min_functions", 1, 3, 3);
    EXPECT_CHECK(r, "min_core_functions", 1, 3, 2);
    EXPECT_CHECK(r, "preferred_function", 1, 2, 1);
    assert_true(embedsvc_result_eligible(r));
    assert_true(embedsvc_result_subsidy_eligible(r));
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_FUNCTIONS), 3);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_VALID_FUNCTIONS), 3);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_DISTINCT_SCENARIOS), 3);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_CORE_SCENARIOS), 3);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_PREFERRED_SCENARIOS), 2);
}

static void test_one_core_scenario_is_too_few(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "", ELDERLY("100") "," HEALTH("100") "," SPORTS("100")));
    EXPECT_FINDINGS(r, "project.too_few_core_functions");
    EXPECT_CHECK(r, "min_functions", 1, 3, 3);
    EXPECT_CHECK(r, "min_core_functions", 0, 1, 2);
    assert_false(embedsvc_result_eligible(r));
}

static void test_two_core_scenarios_are_enough(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "", ELDERLY("100") "," MEALS("100") "," HEALTH("100")));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CHECK(r, "min_core_functions", 1, 2, 2);
}

static void test_duplicate_scenarios_count_once(void **state)
{
    (void)state;
    const embedsvc_result *r =
        EVAL(PROJECT("300", "", ELDERLY("100") "," F("elderly_care", "inclusive", "100") "," MEALS("100")));
    EXPECT_FINDINGS(r, "function.duplicate_scenario", "project.too_few_functions");
    assert_int_equal(embedsvc_result_finding_function(r, 0), 1);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_VALID_FUNCTIONS), 3);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_DISTINCT_SCENARIOS), 2);
}

static void test_no_preferred_is_a_warning_unless_a_reason_is_given(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    EXPECT_FINDINGS(r, "project.no_preferred_function");
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_WARNING);
    EXPECT_CHECK(r, "preferred_function", 0, 0, 1);
    assert_true(embedsvc_result_eligible(r));
    r = EVAL(PROJECT("300", "\"exemption_reason\":\" \\u3000\\t\\r\\n\",", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_WARNING);
    r = EVAL(PROJECT("300", "\"exemption_reason\":\"\\u00a0\",", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_INFO);
    r = EVAL(PROJECT("300", "\"exemption_reason\":\"周边已有养老驿站\",", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    EXPECT_FINDINGS(r, "project.no_preferred_function");
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_INFO);
    EXPECT_CHECK(r, "preferred_function", 0, 0, 1); /* the check still fails */
}

static void test_preferred_severity_from_the_policy(void **state)
{
    (void)state;
    embedsvc_policy *p = edited_default("\"preferred_severity\": \"warning\"", "\"preferred_severity\": \"off\"", NULL);
    const embedsvc_result *r = EVAL_IN(p, PROJECT("300", "", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CHECK(r, "preferred_function", -1, 0, 1);
    embedsvc_policy_free(p);
    p = edited_default("\"preferred_severity\": \"warning\"", "\"preferred_severity\": \"error\"", NULL);
    r = EVAL_IN(p, PROJECT("300", "", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    EXPECT_FINDINGS(r, "project.no_preferred_function");
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_ERROR);
    assert_false(embedsvc_result_eligible(r));
    r = EVAL_IN(p, PROJECT("300", "\"exemption_reason\":\"理由\",", CHILD("100") "," MEALS("100") "," HEALTH("100")));
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_INFO);
    assert_true(embedsvc_result_eligible(r));
    embedsvc_policy_free(p);
}

static void test_walk_minutes_both_sides_and_not_evaluated(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "\"walk_minutes\":15,", GOOD_FUNCTIONS));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CHECK(r, "max_walk_minutes", 1, 15, 15);
    r = EVAL(PROJECT("300", "\"walk_minutes\":16,", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "site.walk_too_far");
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_WARNING);
    EXPECT_CHECK(r, "max_walk_minutes", 0, 16, 15);
    assert_true(embedsvc_result_eligible(r));
    r = EVAL(PROJECT("300", "", GOOD_FUNCTIONS));
    EXPECT_CHECK(r, "max_walk_minutes", -1, NUL, 15);
    embedsvc_policy *p = edited_default("\"max_walk_minutes\": 15", "\"max_walk_minutes\": null", NULL);
    r = EVAL_IN(p, PROJECT("300", "\"walk_minutes\":1440,", GOOD_FUNCTIONS));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CHECK(r, "max_walk_minutes", -1, 1440, NUL);
    embedsvc_policy_free(p);
}

/* ---- the investment split (§3.3) ---- */

static void expect_shares(const embedsvc_result *r, const int64_t *want, size_t n)
{
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_FUNCTIONS), (int)n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(embedsvc_result_function_investment_fen(r, i), want[i]);
}

#define EXPECT_SHARES(r, ...)                                                                                          \
    do {                                                                                                               \
        static const int64_t want_[] = {__VA_ARGS__};                                                                  \
        expect_shares((r), want_, sizeof(want_) / sizeof(want_[0]));                                                   \
    } while (0)

static void test_split_by_area_with_largest_remainder(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("1000", "",
        "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"floor_area_m2\":\"1.5\"},"
        "{\"scenario\":\"community_meals\",\"floor_area_m2\":2.5},"
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"floor_area_m2\":\"3.33\"}"));
    EXPECT_NO_FINDINGS(r);
    EXPECT_SHARES(r, 20464, 34106, 45430);
    EXPECT_CHECK(r, "investment_split", 1, NUL, NUL);
}

static void test_split_ties_go_to_the_lower_index(void **state)
{
    (void)state;
    /* by area */
    const embedsvc_result *r = EVAL(PROJECT("1", "",
        "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"floor_area_m2\":1},"
        "{\"scenario\":\"community_meals\",\"floor_area_m2\":1},"
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"floor_area_m2\":1}"));
    EXPECT_SHARES(r, 34, 33, 33);
    /* equal weights: all valid, one class */
    r = EVAL(PROJECT("0.02", "", "{\"scenario\":\"child_care\"},{\"scenario\":\"community_meals\"},{\"scenario\":\"housekeeping\"}"));
    EXPECT_SHARES(r, 1, 1, 0);
    EXPECT_CHECK(r, "investment_split", 1, NUL, NUL);
}

static void test_split_mismatch_one_fen_either_side(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300.01", "", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "investment.split_mismatch");
    EXPECT_CHECK(r, "investment_split", 0, NUL, NUL);
    EXPECT_SHARES(r, 0, 0, 0);
    r = EVAL(PROJECT("299.99", "", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "investment.split_mismatch");
    r = EVAL(PROJECT("300.00", "", GOOD_FUNCTIONS));
    EXPECT_NO_FINDINGS(r);
    EXPECT_SHARES(r, 10000, 10000, 10000);
}

static void test_split_incomplete_cases(void **state)
{
    (void)state;
    /* some investments, some areas */
    const embedsvc_result *r = EVAL(PROJECT("300", "", ELDERLY("100") ","
        "{\"scenario\":\"community_meals\",\"floor_area_m2\":1},"
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"floor_area_m2\":1}"));
    EXPECT_FINDINGS(r, "investment.split_incomplete");
    EXPECT_SHARES(r, 0, 0, 0);
    EXPECT_CHECK(r, "investment_split", 0, NUL, NUL);
    /* a zero area */
    r = EVAL(PROJECT("300", "",
        "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"floor_area_m2\":0},"
        "{\"scenario\":\"community_meals\",\"floor_area_m2\":1},"
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"floor_area_m2\":1}"));
    EXPECT_FINDINGS(r, "investment.split_incomplete");
    /* equal weights over two classes */
    r = EVAL(PROJECT("300", "", "{\"scenario\":\"child_care\"},{\"scenario\":\"community_meals\"},"
                                "{\"scenario\":\"health\",\"service_class\":\"basic_public\"}"));
    EXPECT_FINDINGS(r, "project.no_preferred_function", "investment.split_incomplete");
}

static void test_no_valid_function_split_not_evaluated(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "", "{\"scenario\":\"nowhere\",\"investment\":\"300\"}"));
    EXPECT_FINDINGS(r, "function.scenario_unknown", "project.too_few_functions", "project.too_few_core_functions",
                    "project.no_preferred_function");
    EXPECT_CHECK(r, "investment_split", -1, NUL, NUL);
    EXPECT_SHARES(r, 0);
}

static void test_invalid_function_has_a_share_but_no_base(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("400", "", GOOD_FUNCTIONS ",{\"scenario\":\"health\",\"investment\":\"100\"}"));
    EXPECT_FINDINGS(r, "function.class_missing");
    EXPECT_SHARES(r, 10000, 10000, 10000, 10000);
    assert_int_equal(embedsvc_result_function_class(r, 3), EMBEDSVC_CLASS_NONE);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 10000, 3000, 0);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_COMMERCIAL, 10000, 0, 0);
    assert_int_equal(embedsvc_result_total_fen(r), 0);
}

/* ---- the subsidy and the cap (§3.4) ---- */

/* basic 100,000,000 yuan (3e9 fen at 30%), inclusive at 25% on `incl` yuan, commercial 1 yuan. */
#define CAP_PROJECT(mode, total, incl)                                                                                 \
    PROJECT_MODE(mode, total, "\"inclusive_rate\":\"0.25\",",                                                          \
                 ELDERLY("100000000") "," INFANT(incl) "," MEALS("1"))

static void test_cap_exactly_reached_does_not_bind(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(CAP_PROJECT("new", "180000001", "80000000"));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(10000000000), 3000, INT64_C(3000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, INT64_C(8000000000), 2500, INT64_C(2000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_COMMERCIAL, 100, 0, 0);
    assert_int_equal(embedsvc_result_uncapped_fen(r), INT64_C(5000000000));
    assert_false(embedsvc_result_capped(r));
    assert_int_equal(cap_headroom(r), 0);
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(5000000000));
    assert_subsidy_sums(r);
}

static void test_cap_one_fen_under_leaves_one_fen_headroom(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(CAP_PROJECT("new", "180000000.96", "79999999.96"));
    EXPECT_NO_FINDINGS(r);
    assert_int_equal(embedsvc_result_uncapped_fen(r), INT64_C(4999999999));
    assert_false(embedsvc_result_capped(r));
    assert_int_equal(cap_headroom(r), 1);
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(4999999999));
}

static void test_cap_binds_one_fen_over_basic_first(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(CAP_PROJECT("new", "180000001.04", "80000000.04"));
    EXPECT_FINDINGS(r, "subsidy.capped");
    assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_INFO);
    assert_int_equal(embedsvc_result_uncapped_fen(r), INT64_C(5000000001));
    assert_true(embedsvc_result_capped(r));
    assert_int_equal(cap_headroom(r), 0);
    int64_t cap = 0;
    assert_int_equal(embedsvc_result_cap_fen(r, &cap), 1);
    assert_int_equal(cap, INT64_C(5000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(10000000000), 3000, INT64_C(3000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, INT64_C(8000000004), 2500, INT64_C(2000000000));
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(5000000000));
    assert_subsidy_sums(r);
}

static void test_basic_first_when_basic_alone_exceeds_the_cap(void **state)
{
    (void)state;
    const embedsvc_result *r =
        EVAL(PROJECT("210000000", "", ELDERLY("200000000") "," INFANT("10000000") "," MEALS("0")));
    EXPECT_FINDINGS(r, "subsidy.capped");
    assert_int_equal(embedsvc_result_uncapped_fen(r), INT64_C(6300000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(20000000000), 3000, INT64_C(5000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, INT64_C(1000000000), 3000, 0);
    assert_int_equal(embedsvc_result_function_subsidy_fen(r, 1), 0);
    assert_subsidy_sums(r);
}

static void test_proportional_allocation_of_the_cap(void **state)
{
    (void)state;
    embedsvc_policy *p = load_file(SOURCE_ROOT "/tests/vectors/policies/alt-proportional.json");
    const embedsvc_result *r =
        EVAL_IN(p, PROJECT("210000000", "", ELDERLY("200000000") "," INFANT("10000000") "," MEALS("0")));
    EXPECT_FINDINGS(r, "subsidy.capped");
    assert_int_equal(embedsvc_result_uncapped_fen(r), INT64_C(6300000000));
    /* largest remainder of 5e9 over (6e9, 3e8) */
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(20000000000), 3000, INT64_C(4761904762));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, INT64_C(1000000000), 3000, INT64_C(238095238));
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(5000000000));
    assert_subsidy_sums(r);
    /* below the cap, proportional changes nothing */
    r = EVAL_IN(p, PROJECT("300", "", GOOD_FUNCTIONS));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 10000, 3000, 3000);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 10000, 3000, 3000);
    embedsvc_policy_free(p);
}

static void test_proportional_tie_goes_to_basic(void **state)
{
    (void)state;
    embedsvc_policy *p = edited_default("\"cap_fen\": 5000000000", "\"cap_fen\": 5", "\"basic_first\"",
                                        "\"proportional\"", NULL);
    const embedsvc_result *r = EVAL_IN(p, PROJECT("30", "", ELDERLY("10") "," INFANT("10") "," MEALS("10")));
    EXPECT_FINDINGS(r, "subsidy.capped");
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 1000, 3000, 3);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 1000, 3000, 2);
    assert_int_equal(embedsvc_result_total_fen(r), 5);
    embedsvc_policy_free(p);
}

static void test_function_subsidy_ties_go_to_the_lower_index(void **state)
{
    (void)state;
    /* basic base 10 fen -> 3 fen over two equal shares */
    const embedsvc_result *r = EVAL(PROJECT("0.2", "", ELDERLY("0.05") "," MEALS("0.1") "," HEALTH("0.05")));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 10, 3000, 3);
    assert_int_equal(embedsvc_result_function_subsidy_fen(r, 0), 2);
    assert_int_equal(embedsvc_result_function_subsidy_fen(r, 2), 1);
    assert_subsidy_sums(r);
}

static void test_inclusive_rate_with_four_decimals(void **state)
{
    (void)state;
    const embedsvc_result *r =
        EVAL(PROJECT("1200.01", "\"inclusive_rate\":\"0.2575\",", ELDERLY("100") "," MEALS("100") "," INFANT("1000.01")));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 100001, 2575, 25750);
    EXPECT_CHECK(r, "inclusive_rate", 1, 2575, 3000);
    r = EVAL(PROJECT("300", "\"inclusive_rate\":0.3,", GOOD_FUNCTIONS));
    EXPECT_NO_FINDINGS(r);
    EXPECT_CHECK(r, "inclusive_rate", 1, 3000, 3000);
    r = EVAL(PROJECT("300", "\"inclusive_rate\":\"0\",", GOOD_FUNCTIONS));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 10000, 0, 0);
}

static void test_rate_above_max_is_used_but_pays_nothing(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("300", "\"inclusive_rate\":\"0.3001\",", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "subsidy.rate_above_max");
    EXPECT_CHECK(r, "inclusive_rate", 0, 3001, 3000);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 10000, 3001, 0);
    assert_int_equal(embedsvc_result_uncapped_fen(r), 3000 + 3001);
    assert_false(embedsvc_result_eligible(r));
    assert_int_equal(embedsvc_result_total_fen(r), 0);
    assert_subsidy_sums(r);
}

static void test_fixed_inclusive_rate_must_be_equal(void **state)
{
    (void)state;
    embedsvc_policy *p = edited_default("\"rate_is_max\": true", "\"rate_is_max\": false", NULL);
    const embedsvc_result *r = EVAL_IN(p, PROJECT("300", "\"inclusive_rate\":\"0.25\",", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "subsidy.rate_above_max");
    EXPECT_CHECK(r, "inclusive_rate", 0, 2500, 3000);
    r = EVAL_IN(p, PROJECT("300", "\"inclusive_rate\":\"0.3\",", GOOD_FUNCTIONS));
    EXPECT_NO_FINDINGS(r);
    r = EVAL_IN(p, PROJECT("300", "", GOOD_FUNCTIONS));
    EXPECT_CHECK(r, "inclusive_rate", 1, 3000, 3000);
    embedsvc_policy_free(p);
}

static void test_subsidy_ineligible_zeroes_amounts_but_keeps_the_figures(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(CAP_PROJECT("other", "180000001.04", "80000000.04"));
    EXPECT_FINDINGS(r, "subsidy.build_mode_ineligible"); /* no subsidy.capped: it is not paid */
    assert_true(embedsvc_result_eligible(r));
    assert_false(embedsvc_result_subsidy_eligible(r));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(10000000000), 3000, 0);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, INT64_C(8000000004), 2500, 0);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_COMMERCIAL, 100, 0, 0);
    assert_int_equal(embedsvc_result_uncapped_fen(r), INT64_C(5000000001));
    assert_true(embedsvc_result_capped(r));
    assert_int_equal(cap_headroom(r), 0);
    assert_int_equal(embedsvc_result_total_fen(r), 0);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(embedsvc_result_function_subsidy_fen(r, i), 0);
    size_t mode = check_index(r, "subsidy_build_mode");
    const char *code = NULL;
    assert_int_equal(embedsvc_result_check_value(r, mode, NULL, &code), 2);
    assert_string_equal(code, "other");
    assert_int_equal(embedsvc_result_check_passed(r, mode), 0);
    /* below the cap the headroom is still shown */
    r = EVAL(PROJECT_MODE("other", "300", "", GOOD_FUNCTIONS));
    assert_int_equal(embedsvc_result_uncapped_fen(r), 6000);
    assert_int_equal(cap_headroom(r), INT64_C(5000000000) - 6000);
    assert_int_equal(embedsvc_result_total_fen(r), 0);
}

static void test_not_eligible_zeroes_amounts(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT("200", "", ELDERLY("100") "," INFANT("100")));
    EXPECT_FINDINGS(r, "project.too_few_functions");
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 10000, 3000, 0);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 10000, 3000, 0);
    assert_int_equal(embedsvc_result_uncapped_fen(r), 6000);
    assert_int_equal(embedsvc_result_total_fen(r), 0);
}

/* ---- other policies ---- */

static void test_alternative_policy_files_change_the_outcome(void **state)
{
    (void)state;
    embedsvc_policy *p = load_file(SOURCE_ROOT "/tests/vectors/policies/alt-cap-3000wan.json");
    const embedsvc_result *r = EVAL_IN(p, CAP_PROJECT("new", "180000001", "80000000"));
    EXPECT_FINDINGS(r, "subsidy.capped");
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(3000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(10000000000), 3000, INT64_C(3000000000));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, INT64_C(8000000000), 2500, 0);
    embedsvc_policy_free(p);

    p = load_file(SOURCE_ROOT "/tests/vectors/policies/alt-inclusive-20pct.json");
    r = EVAL_IN(p, PROJECT("300", "\"inclusive_rate\":\"0.25\",", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "subsidy.rate_above_max");
    EXPECT_CHECK(r, "inclusive_rate", 0, 2500, 2000);
    r = EVAL_IN(p, PROJECT("300", "", GOOD_FUNCTIONS));
    EXPECT_CLASS(r, EMBEDSVC_CLASS_INCLUSIVE, 10000, 2000, 2000);
    embedsvc_policy_free(p);

    p = load_file(SOURCE_ROOT "/tests/vectors/policies/alt-four-functions.json");
    r = EVAL_IN(p, PROJECT("300", "", GOOD_FUNCTIONS));
    EXPECT_FINDINGS(r, "project.too_few_functions");
    EXPECT_CHECK(r, "min_functions", 0, 3, 4);
    r = EVAL_IN(p, PROJECT("400", "", GOOD_FUNCTIONS "," HEALTH("100")));
    EXPECT_NO_FINDINGS(r);
    embedsvc_policy_free(p);
}

static void test_policy_written_inline_is_followed(void **state)
{
    (void)state;
    /* other rates (commercial paid, outside the cap), cap 10,000 yuan, 2 functions, 1 core, walk 10,
     * only new builds subsidised */
    embedsvc_policy *p = edited_default("\"rate_bp\": 3000", "\"rate_bp\": 5000",       /* basic */
                                        "\"rate_bp\": 3000", "\"rate_bp\": 1000",       /* inclusive */
                                        "\"rate_bp\": 0", "\"rate_bp\": 500",           /* commercial */
                                        "\"min_functions\": 3", "\"min_functions\": 2", /* */
                                        "\"min_core_functions\": 2", "\"min_core_functions\": 1",
                                        "\"max_walk_minutes\": 15", "\"max_walk_minutes\": 10",
                                        "[\"new\", \"expansion\", \"renovation\"]", "[\"new\"]",
                                        "\"cap_fen\": 5000000000", "\"cap_fen\": 1000000", NULL);
    const embedsvc_result *r = EVAL_IN(p, PROJECT("20000", "\"walk_minutes\":12,", ELDERLY("10000") "," MEALS("10000")));
    EXPECT_FINDINGS(r, "site.walk_too_far");
    EXPECT_CHECK(r, "min_functions", 1, 2, 2);
    EXPECT_CHECK(r, "min_core_functions", 1, 2, 1);
    EXPECT_CHECK(r, "max_walk_minutes", 0, 12, 10);
    EXPECT_CHECK(r, "inclusive_rate", 1, 1000, 1000);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 1000000, 5000, 500000);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_COMMERCIAL, 1000000, 500, 50000);
    assert_int_equal(embedsvc_result_uncapped_fen(r), 500000);
    assert_int_equal(cap_headroom(r), 500000);
    assert_int_equal(embedsvc_result_total_fen(r), 550000);
    assert_subsidy_sums(r);
    /* above the cap: commercial is outside it */
    r = EVAL_IN(p, PROJECT("40000", "", ELDERLY("30000") "," MEALS("10000")));
    EXPECT_FINDINGS(r, "subsidy.capped");
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, 3000000, 5000, 1000000);
    EXPECT_CLASS(r, EMBEDSVC_CLASS_COMMERCIAL, 1000000, 500, 50000);
    assert_int_equal(embedsvc_result_total_fen(r), 1050000);
    assert_subsidy_sums(r);
    /* renovation is not subsidised under this policy */
    r = EVAL_IN(p, PROJECT_MODE("renovation", "20000", "", ELDERLY("10000") "," MEALS("10000")));
    EXPECT_FINDINGS(r, "subsidy.build_mode_ineligible");
    assert_int_equal(embedsvc_result_total_fen(r), 0);
    /* the inclusive maximum is 10% */
    r = EVAL_IN(p, PROJECT("20000", "\"inclusive_rate\":\"0.1001\",", ELDERLY("10000") "," MEALS("10000")));
    EXPECT_FINDINGS(r, "subsidy.rate_above_max");
    embedsvc_policy_free(p);
}

static void test_no_cap_policy(void **state)
{
    (void)state;
    embedsvc_policy *p = edited_default("\"cap_fen\": 5000000000", "\"cap_fen\": null", NULL);
    const embedsvc_result *r = EVAL_IN(p, CAP_PROJECT("new", "180000001.04", "80000000.04"));
    EXPECT_NO_FINDINGS(r);
    assert_false(embedsvc_result_capped(r));
    int64_t v = 77;
    assert_int_equal(embedsvc_result_cap_fen(r, &v), 0);
    assert_int_equal(embedsvc_result_cap_headroom_fen(r, &v), 0);
    assert_int_equal(v, 77);
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(5000000001));
    embedsvc_policy_free(p);
}

/* 64 functions at the money limit: the sum check and the largest amounts, without overflow. */
static char *sixty_four_functions(const char *total, const char *function)
{
    size_t cap = 64 * (strlen(function) + 1) + 256;
    char *doc = malloc(cap);
    assert_non_null(doc);
    snprintf(doc, cap, "{\"id\":\"BIG\",\"build_mode\":\"new\",\"total_investment\":\"%s\",\"functions\":[", total);
    for (int i = 0; i < 64; i++) {
        if (i)
            strcat(doc, ",");
        strcat(doc, function);
    }
    strcat(doc, "]}");
    return doc;
}

static void test_totals_near_the_limits(void **state)
{
    (void)state;
    char *doc = sixty_four_functions("1000000000000", ELDERLY("1000000000000"));
    const embedsvc_result *r = EVAL(doc);
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_FUNCTIONS), 64);
    size_t n = embedsvc_result_finding_count(r);
    assert_string_equal(embedsvc_result_finding_code(r, n - 1), "investment.split_mismatch");
    char msg[512];
    assert_true(embedsvc_result_finding_message(r, n - 1, "en", msg, sizeof(msg)) > 0);
    assert_non_null(strstr(msg, "64,000,000,000,000.00"));
    assert_non_null(strstr(msg, "1,000,000,000,000.00"));
    free(doc);

    /* the whole 10^12 yuan split by the largest areas, under a policy without a cap */
    embedsvc_policy *p = edited_default("\"cap_fen\": 5000000000", "\"cap_fen\": null", "\"min_functions\": 3",
                                        "\"min_functions\": 1", "\"min_core_functions\": 2", "\"min_core_functions\": 1",
                                        NULL);
    doc = sixty_four_functions("1000000000000",
                               "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\","
                               "\"floor_area_m2\":\"10000000\"}");
    r = EVAL_IN(p, doc);
    assert_true(embedsvc_result_eligible(r));
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(embedsvc_result_function_investment_fen(r, i), INT64_C(1562500000000));
        assert_int_equal(embedsvc_result_function_subsidy_fen(r, i), INT64_C(468750000000));
    }
    EXPECT_CLASS(r, EMBEDSVC_CLASS_BASIC_PUBLIC, INT64_C(100000000000000), 3000, INT64_C(30000000000000));
    assert_int_equal(embedsvc_result_total_fen(r), INT64_C(30000000000000));
    free(doc);
    embedsvc_policy_free(p);
}

static void test_policy_not_in_force_boundaries(void **state)
{
    (void)state;
    embedsvc_policy *p = edited_default("\"effective_from\": null", "\"effective_from\": \"2024-01-01\"",
                                        "\"effective_to\": null", "\"effective_to\": \"2025-12-31\"", NULL);
    static const struct {
        const char *date;
        bool finding;
    } cases[] = {{"2023-12-31", true}, {"2024-01-01", false}, {"2025-12-31", false}, {"2026-01-01", true},
                 {"0001-01-01", true}, {"9999-12-31", true}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char doc[1024];
        snprintf(doc, sizeof(doc),
                 "{\"id\":\"D\",\"build_mode\":\"new\",\"total_investment\":\"300\",\"application_date\":\"%s\","
                 "\"functions\":[" GOOD_FUNCTIONS "]}",
                 cases[i].date);
        const embedsvc_result *r = EVAL_IN(p, doc);
        if (cases[i].finding) {
            EXPECT_FINDINGS(r, "policy.not_in_force");
            assert_int_equal(embedsvc_result_finding_severity(r, 0), EMBEDSVC_SEVERITY_WARNING);
            assert_null(embedsvc_result_finding_cite(r, 0));
            assert_true(embedsvc_result_eligible(r));
        } else {
            EXPECT_NO_FINDINGS(r);
        }
    }
    EXPECT_NO_FINDINGS(EVAL_IN(p, PROJECT("300", "", GOOD_FUNCTIONS))); /* no date: nothing to say */
    embedsvc_policy_free(p);
    /* the default policy has no period */
    EXPECT_NO_FINDINGS(EVAL(PROJECT("300", "\"application_date\":\"1999-01-01\",", GOOD_FUNCTIONS)));
}

/* ---- the order of findings (reference §6) ---- */

static void test_findings_order_functions_then_checks(void **state)
{
    (void)state;
    const embedsvc_result *r = EVAL(PROJECT_MODE("other", "1",
        "\"inclusive_rate\":\"0.35\",\"walk_minutes\":20,",
        /* 0: unknown item, no scenario */
        "{\"item\":\"不存在的项目\",\"investment\":\"1\"},"
        /* 1: item of another scenario and class */
        "{\"scenario\":\"elderly_care\",\"item\":\"公共卫生\",\"service_class\":\"inclusive\",\"investment\":\"1\"},"
        /* 2: inferred scenario with two classes */
        "{\"label\":\"托育园\",\"investment\":\"1\"},"
        /* 3: valid */
        HEALTH("1") ","
        /* 4: valid, same scenario */
        "{\"scenario\":\"health\",\"service_class\":\"commercial\",\"investment\":\"1\"},"
        /* 5: class not allowed */
        "{\"scenario\":\"housekeeping\",\"service_class\":\"inclusive\",\"investment\":\"1\"}"));
    EXPECT_FINDINGS(r, "function.item_unknown", "function.scenario_unknown", "function.item_conflict",
                    "function.scenario_inferred", "function.class_missing", "function.duplicate_scenario",
                    "function.class_not_allowed", "project.too_few_functions", "project.too_few_core_functions",
                    "project.no_preferred_function", "investment.split_mismatch", "subsidy.rate_above_max",
                    "subsidy.build_mode_ineligible", "site.walk_too_far");
    static const int functions[] = {0, 0, 1, 2, 2, 4, 5, -1, -1, -1, -1, -1, -1, -1};
    static const int severities[] = {1, 2, 2, 0, 2, 0, 2, 2, 2, 1, 2, 2, 1, 1};
    for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
        assert_int_equal(embedsvc_result_finding_function(r, i), functions[i]);
        assert_int_equal(embedsvc_result_finding_severity(r, i), severities[i]);
    }
    assert_int_equal(embedsvc_result_count(r, EMBEDSVC_COUNT_VALID_FUNCTIONS), 2);
    assert_int_equal(embedsvc_result_function_scenario(r, 0), -1);
    assert_int_equal(embedsvc_result_function_scenario(r, 1), 0); /* determined, but invalid */
    assert_int_equal(embedsvc_result_function_class(r, 1), EMBEDSVC_CLASS_NONE);
    assert_int_equal(embedsvc_result_function_scenario(r, 2), 1);
}

static void test_findings_order_ends_with_cap_then_not_in_force(void **state)
{
    (void)state;
    embedsvc_policy *p = edited_default("\"effective_from\": null", "\"effective_from\": \"2024-01-01\"", NULL);
    const embedsvc_result *r = EVAL_IN(p, PROJECT("200000002",
        "\"walk_minutes\":16,\"application_date\":\"2023-06-30\",",
        CHILD("1") ",{\"label\":\"小饭桌\",\"investment\":\"1\"}," MEALS("0") "," HEALTH("200000000")));
    EXPECT_FINDINGS(r, "function.scenario_inferred", "function.duplicate_scenario", "project.no_preferred_function",
                    "site.walk_too_far", "subsidy.capped", "policy.not_in_force");
    assert_int_equal(embedsvc_result_finding_function(r, 0), 1);
    assert_int_equal(embedsvc_result_finding_function(r, 1), 1);
    assert_true(embedsvc_result_subsidy_eligible(r));
    embedsvc_policy_free(p);
}

/* ---- reuse and lifetime of results ---- */

static char *json_of(embedsvc_result *r)
{
    const char *json;
    size_t len;
    assert_int_equal(embedsvc_result_to_json(r, &json, &len, NULL), EMBEDSVC_OK);
    assert_int_equal(strlen(json), len);
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, json, len + 1);
    return copy;
}

static void test_reused_result_has_no_leftovers(void **state)
{
    (void)state;
    /* a fresh result for the small project */
    embedsvc_result *fresh = NULL;
    assert_int_equal(embedsvc_result_new(NULL, &fresh), EMBEDSVC_OK);
    static const char small[] = PROJECT("300", "", GOOD_FUNCTIONS);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_parse(g_project, small, strlen(small), &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(g_default, g_project, fresh, &err), EMBEDSVC_OK);
    char *want = json_of(fresh);
    embedsvc_result_free(fresh);

    /* a big one with many findings and quoted texts, then the small one in the same result */
    char *big = sixty_four_functions("1", "{\"item\":\"一个很长的未知服务项目名称一个很长的未知服务项目名称\","
                                          "\"scenario\":\"未知场景\",\"label\":\"标签\"}");
    EVAL(big);
    assert_true(embedsvc_result_finding_count(g_result) > 128);
    free(json_of(g_result));
    EVAL(small);
    char *got = json_of(g_result);
    assert_string_equal(got, want);
    assert_int_equal(embedsvc_result_finding_count(g_result), 0);
    assert_int_equal(embedsvc_result_function_investment_fen(g_result, 3), -1);
    assert_int_equal(embedsvc_result_function_scenario(g_result, 3), -1);
    free(got);
    free(want);
    free(big);
}

static void test_result_readable_after_the_project_is_freed(void **state)
{
    (void)state;
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    static const char doc[] = PROJECT("300", "\"exemption_reason\":\"附近已有托育园所\",",
        "{\"scenario\":\"child_care\",\"item\":\"神秘项目\",\"investment\":\"100\"},"
        "{\"label\":\"四点半课堂\",\"investment\":\"100\"}," MEALS("100"));
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_parse(pr, doc, strlen(doc), &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(g_default, pr, r, &err), EMBEDSVC_OK);
    char *before = json_of(r);
    /* overwrite the project's memory with another parse, then free it */
    static const char other[] = PROJECT("300", "\"exemption_reason\":\"XXXXXXXXXXXXXXXXXXXXXXXX\",",
        "{\"scenario\":\"child_care\",\"item\":\"XXXXXXXXXXXX\",\"investment\":\"100\"},"
        "{\"label\":\"XXXXXXXXXXXXXXX\",\"investment\":\"100\"}," MEALS("100"));
    assert_int_equal(embedsvc_project_parse(pr, other, strlen(other), &err), EMBEDSVC_OK);
    embedsvc_project_free(pr);
    char *after = json_of(r);
    assert_string_equal(before, after);
    assert_non_null(strstr(after, "神秘项目"));
    assert_non_null(strstr(after, "四点半课堂"));
    assert_non_null(strstr(after, "附近已有托育园所"));
    char msg[512];
    assert_true(embedsvc_result_finding_message(r, 0, "zh", msg, sizeof(msg)) > 0);
    assert_non_null(strstr(msg, "神秘项目"));
    assert_string_equal(embedsvc_result_project_id(r), "E");
    free(before);
    free(after);
    embedsvc_result_free(r);
}

static void test_evaluate_bad_arguments(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_evaluate(NULL, g_project, g_result, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_evaluate(g_default, NULL, g_result, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_evaluate(g_default, g_project, NULL, &err), EMBEDSVC_EINVAL);
    embedsvc_project_clear(g_project);
    assert_int_equal(embedsvc_evaluate(g_default, g_project, g_result, &err), EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.missing_field");
    assert_string_equal(err.path, "/id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_scenarios_are_too_few_functions),
        cmocka_unit_test(test_three_scenarios_are_enough),
        cmocka_unit_test(test_one_core_scenario_is_too_few),
        cmocka_unit_test(test_two_core_scenarios_are_enough),
        cmocka_unit_test(test_duplicate_scenarios_count_once),
        cmocka_unit_test(test_no_preferred_is_a_warning_unless_a_reason_is_given),
        cmocka_unit_test(test_preferred_severity_from_the_policy),
        cmocka_unit_test(test_walk_minutes_both_sides_and_not_evaluated),
        cmocka_unit_test(test_split_by_area_with_largest_remainder),
        cmocka_unit_test(test_split_ties_go_to_the_lower_index),
        cmocka_unit_test(test_split_mismatch_one_fen_either_side),
        cmocka_unit_test(test_split_incomplete_cases),
        cmocka_unit_test(test_no_valid_function_split_not_evaluated),
        cmocka_unit_test(test_invalid_function_has_a_share_but_no_base),
        cmocka_unit_test(test_cap_exactly_reached_does_not_bind),
        cmocka_unit_test(test_cap_one_fen_under_leaves_one_fen_headroom),
        cmocka_unit_test(test_cap_binds_one_fen_over_basic_first),
        cmocka_unit_test(test_basic_first_when_basic_alone_exceeds_the_cap),
        cmocka_unit_test(test_proportional_allocation_of_the_cap),
        cmocka_unit_test(test_proportional_tie_goes_to_basic),
        cmocka_unit_test(test_function_subsidy_ties_go_to_the_lower_index),
        cmocka_unit_test(test_inclusive_rate_with_four_decimals),
        cmocka_unit_test(test_rate_above_max_is_used_but_pays_nothing),
        cmocka_unit_test(test_fixed_inclusive_rate_must_be_equal),
        cmocka_unit_test(test_subsidy_ineligible_zeroes_amounts_but_keeps_the_figures),
        cmocka_unit_test(test_not_eligible_zeroes_amounts),
        cmocka_unit_test(test_alternative_policy_files_change_the_outcome),
        cmocka_unit_test(test_policy_written_inline_is_followed),
        cmocka_unit_test(test_no_cap_policy),
        cmocka_unit_test(test_totals_near_the_limits),
        cmocka_unit_test(test_policy_not_in_force_boundaries),
        cmocka_unit_test(test_findings_order_functions_then_checks),
        cmocka_unit_test(test_findings_order_ends_with_cap_then_not_in_force),
        cmocka_unit_test(test_reused_result_has_no_leftovers),
        cmocka_unit_test(test_result_readable_after_the_project_is_freed),
        cmocka_unit_test(test_evaluate_bad_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
