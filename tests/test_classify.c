/* Tests of classification (lib/classify.c, reference §4): every term of the default policy, contains
 * matches and their ties, normalisation, and the error and heap paths. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static embedsvc_policy *g_policy;
static embedsvc_classification *g_cls;

static int group_setup(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_default(NULL, &g_policy, &err) != EMBEDSVC_OK)
        return -1;
    return embedsvc_classification_new(NULL, &g_cls) == EMBEDSVC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    embedsvc_classification_free(g_cls);
    embedsvc_policy_free(g_policy);
    return 0;
}

/* ---- helpers ---- */

static int scen(const char *code)
{
    int s = embedsvc_policy_scenario_find(g_policy, code, strlen(code));
    assert_true(s >= 0);
    return s;
}

static int item(const char *name_zh)
{
    for (size_t i = 0; i < embedsvc_policy_item_count(g_policy); i++)
        if (strcmp(embedsvc_policy_item_name(g_policy, i, EMBEDSVC_NAME_ZH), name_zh) == 0)
            return (int)i;
    fail_msg("no item %s", name_zh);
    return -1;
}

static const embedsvc_classification *classify_n_at(const embedsvc_policy *p, const char *text, size_t len,
                                                     const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_classify(p, text, len, g_cls, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: classify failed: %s %s\n", file, line, err.code, err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
    return g_cls;
}

#define CLASSIFY(text) classify_n_at(g_policy, (text), strlen(text), __FILE__, __LINE__)
#define CLASSIFY_IN(p, text) classify_n_at((p), (text), strlen(text), __FILE__, __LINE__)

/* Checks match, scenario, item, class and (when not NULL) the term. */
static void expect_at(const embedsvc_classification *c, embedsvc_match match, int scenario, int item_index,
                      embedsvc_class cls, const char *term, const char *file, int line)
{
    if (embedsvc_classification_match(c) != match || embedsvc_classification_scenario(c) != scenario ||
        embedsvc_classification_item(c) != item_index || embedsvc_classification_class(c) != cls)
        print_error("%s:%d: got match %d scenario %d item %d class %d term %s\n", file, line,
                    embedsvc_classification_match(c), embedsvc_classification_scenario(c),
                    embedsvc_classification_item(c), embedsvc_classification_class(c),
                    embedsvc_classification_term(c) ? embedsvc_classification_term(c) : "(null)");
    _assert_int_equal(embedsvc_classification_match(c), match, file, line);
    _assert_int_equal((uintmax_t)embedsvc_classification_scenario(c), (uintmax_t)scenario, file, line);
    _assert_int_equal((uintmax_t)embedsvc_classification_item(c), (uintmax_t)item_index, file, line);
    _assert_int_equal((uintmax_t)embedsvc_classification_class(c), (uintmax_t)cls, file, line);
    if (term) {
        _assert_true(embedsvc_classification_term(c) != NULL, "a term", file, line);
        _assert_string_equal(embedsvc_classification_term(c), term, file, line);
    }
    if (match != EMBEDSVC_MATCH_AMBIGUOUS)
        _assert_int_equal(embedsvc_classification_candidate_count(c), 0, file, line);
}

#define EXPECT(c, match, s, i, cls, term) expect_at((c), (match), (s), (i), (cls), (term), __FILE__, __LINE__)

/* A test-local normalisation for the ASCII and CJK terms of the default policy: lower-case ASCII,
 * no ASCII spaces. */
static void simple_norm(const char *s, char *out)
{
    for (; *s; s++)
        if (*s != ' ')
            *out++ = (char)tolower((unsigned char)*s);
    *out = '\0';
}

static bool same_norm(const char *a, const char *b)
{
    char na[256], nb[256];
    simple_norm(a, na);
    simple_norm(b, nb);
    return strcmp(na, nb) == 0;
}

/* The item of scenario s one of whose terms equals `term`, or -1. */
static int own_item_with_term(int s, const char *term)
{
    for (size_t i = 0; i < embedsvc_policy_item_count(g_policy); i++) {
        if (embedsvc_policy_item_scenario(g_policy, i) != s)
            continue;
        if (same_norm(term, embedsvc_policy_item_name(g_policy, i, EMBEDSVC_NAME_ZH)) ||
            same_norm(term, embedsvc_policy_item_name(g_policy, i, EMBEDSVC_NAME_EN)))
            return (int)i;
        for (size_t k = 0; k < embedsvc_policy_alias_count(g_policy, 1, i); k++)
            if (same_norm(term, embedsvc_policy_alias(g_policy, 1, i, k)))
                return (int)i;
    }
    return -1;
}

static embedsvc_class single_class(int s)
{
    int flags = embedsvc_policy_scenario_flags(g_policy, (size_t)s), n = 0;
    embedsvc_class one = EMBEDSVC_CLASS_NONE;
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (flags & EMBEDSVC_SCENARIO_ALLOWS(c)) {
            one = (embedsvc_class)c;
            n++;
        }
    return n == 1 ? one : EMBEDSVC_CLASS_NONE;
}

/* A scenario term classifies exact to its scenario, or to its own item when they share the term. */
static void expect_scenario_term(int s, const char *term)
{
    const embedsvc_classification *c = CLASSIFY(term);
    int it = own_item_with_term(s, term);
    if (it >= 0)
        EXPECT(c, EMBEDSVC_MATCH_EXACT, s, it, (embedsvc_class)embedsvc_policy_item_class(g_policy, (size_t)it), NULL);
    else
        EXPECT(c, EMBEDSVC_MATCH_EXACT, s, -1, single_class(s), NULL);
    assert_true(same_norm(embedsvc_classification_term(c), term));
}

/* ---- exact matches of every term ---- */

static void test_every_scenario_term_is_exact(void **state)
{
    (void)state;
    size_t n = embedsvc_policy_scenario_count(g_policy), terms = 0;
    assert_int_equal(n, 9);
    for (size_t s = 0; s < n; s++) {
        for (int w = EMBEDSVC_NAME_CODE; w <= EMBEDSVC_NAME_EN; w++, terms++)
            expect_scenario_term((int)s, embedsvc_policy_scenario_name(g_policy, s, (embedsvc_name)w));
        for (size_t k = 0; k < embedsvc_policy_alias_count(g_policy, 0, s); k++, terms++)
            expect_scenario_term((int)s, embedsvc_policy_alias(g_policy, 0, s, k));
    }
    assert_true(terms >= 9 * 3 + 9 + 7 + 5 + 7 + 4 + 7 + 6 + 6 + 6); /* SPEC §1.4 is a floor */
}

static void test_every_item_term_is_exact(void **state)
{
    (void)state;
    size_t n = embedsvc_policy_item_count(g_policy);
    assert_int_equal(n, 14);
    for (size_t i = 0; i < n; i++) {
        int s = embedsvc_policy_item_scenario(g_policy, i);
        embedsvc_class cls = (embedsvc_class)embedsvc_policy_item_class(g_policy, i);
        const char *names[2] = {embedsvc_policy_item_name(g_policy, i, EMBEDSVC_NAME_ZH),
                                embedsvc_policy_item_name(g_policy, i, EMBEDSVC_NAME_EN)};
        for (int w = 0; w < 2; w++) {
            const embedsvc_classification *c = CLASSIFY(names[w]);
            EXPECT(c, EMBEDSVC_MATCH_EXACT, s, (int)i, cls, NULL);
            assert_true(same_norm(embedsvc_classification_term(c), names[w]));
        }
        for (size_t k = 0; k < embedsvc_policy_alias_count(g_policy, 1, i); k++)
            EXPECT(CLASSIFY(embedsvc_policy_alias(g_policy, 1, i, k)), EMBEDSVC_MATCH_EXACT, s, (int)i, cls,
                   embedsvc_policy_alias(g_policy, 1, i, k));
    }
}

static void test_scenario_and_item_sharing_a_name_collapse_into_the_item(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("养老服务"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), item("养老服务"), EMBEDSVC_CLASS_INCLUSIVE,
           "养老服务");
    EXPECT(CLASSIFY("housekeeping"), EMBEDSVC_MATCH_EXACT, scen("housekeeping"), item("家政便民"),
           EMBEDSVC_CLASS_COMMERCIAL, "housekeeping");
    /* the item's English name matches the scenario code too: the first term in policy order is reported */
    EXPECT(CLASSIFY("Housekeeping"), EMBEDSVC_MATCH_EXACT, scen("housekeeping"), item("家政便民"),
           EMBEDSVC_CLASS_COMMERCIAL, "housekeeping");
    EXPECT(CLASSIFY("Community meals"), EMBEDSVC_MATCH_EXACT, scen("community_meals"), item("社区助餐"),
           EMBEDSVC_CLASS_COMMERCIAL, "Community meals");
}

static void test_item_without_scenario_has_no_scenario(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("扶残助残"), EMBEDSVC_MATCH_EXACT, -1, item("扶残助残"), EMBEDSVC_CLASS_BASIC_PUBLIC, "扶残助残");
    EXPECT(CLASSIFY("Employment service"), EMBEDSVC_MATCH_EXACT, -1, item("就业服务"), EMBEDSVC_CLASS_COMMERCIAL,
           "Employment service");
}

static void test_single_allowed_class_is_given_for_a_scenario(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("托管"), EMBEDSVC_MATCH_EXACT, scen("child_care"), -1, EMBEDSVC_CLASS_COMMERCIAL, "托管");
    EXPECT(CLASSIFY("托育"), EMBEDSVC_MATCH_EXACT, scen("infant_care"), -1, EMBEDSVC_CLASS_NONE, "托育");
    EXPECT(CLASSIFY("健身"), EMBEDSVC_MATCH_EXACT, scen("sports_fitness"), -1, EMBEDSVC_CLASS_NONE, "健身");
}

/* ---- contains ---- */

static void test_contains_finds_the_scenario_with_class_unknown(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("朝阳区双井街道养老服务驿站"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1,
           EMBEDSVC_CLASS_NONE, "养老服务驿站");
    EXPECT(CLASSIFY("某社区小饭桌（第二期）"), EMBEDSVC_MATCH_CONTAINS, scen("child_care"), -1,
           EMBEDSVC_CLASS_COMMERCIAL, "小饭桌");
}

static void test_contains_longest_term_wins_over_other_targets(void **state)
{
    (void)state;
    /* 社区卫生服务站 (7) beats 健身 (2) */
    EXPECT(CLASSIFY("社区卫生服务站健身角"), EMBEDSVC_MATCH_CONTAINS, scen("health"), -1, EMBEDSVC_CLASS_NONE,
           "社区卫生服务站");
    /* 婴幼儿托育 (5, scenario and item: collapses into the item) beats 托育中心 (4) */
    EXPECT(CLASSIFY("婴幼儿托育中心"), EMBEDSVC_MATCH_CONTAINS, scen("infant_care"), item("婴幼儿托育"),
           EMBEDSVC_CLASS_INCLUSIVE, "婴幼儿托育");
}

static void test_contains_reports_the_first_term_in_policy_order(void **state)
{
    (void)state;
    /* 日间照料中心 and 老年日间照料 both have 6 code points; 日间照料中心 comes first in the policy */
    EXPECT(CLASSIFY("老年日间照料中心"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "日间照料中心");
    /* an ASCII term inside free text, after normalisation */
    EXPECT(CLASSIFY("The ELDERLY_CARE unit"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "elderly_care");
}

static void test_contains_finds_terms_at_any_position(void **state)
{
    (void)state;
    /* the first code point of the longest term repeated just before it */
    EXPECT(CLASSIFY("养养老服务驿站"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "养老服务驿站");
    /* a longer term cut by the end of the text: the shorter one that fits wins */
    EXPECT(CLASSIFY("某某养老服务驿"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), item("养老服务"),
           EMBEDSVC_CLASS_INCLUSIVE, "养老服务");
    /* a shorter term early, the longest late */
    EXPECT(CLASSIFY("健身 社区卫生服务站"), EMBEDSVC_MATCH_CONTAINS, scen("health"), -1, EMBEDSVC_CLASS_NONE,
           "社区卫生服务站");
    /* the longest at the very start and at the very end */
    EXPECT(CLASSIFY("托老所健身"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE, "托老所");
    EXPECT(CLASSIFY("健身托老所"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE, "托老所");
    /* full-width ASCII inside Chinese text */
    EXPECT(CLASSIFY("本社区ＥＬＤＥＲＬＹ＿ＣＡＲＥ站"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1,
           EMBEDSVC_CLASS_NONE, "elderly_care");
    /* the same term twice is one target */
    EXPECT(CLASSIFY("托管托管"), EMBEDSVC_MATCH_CONTAINS, scen("child_care"), -1, EMBEDSVC_CLASS_COMMERCIAL, "托管");
}

static void test_contains_item_with_its_scenario_collapses(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("街道养老服务点"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), item("养老服务"),
           EMBEDSVC_CLASS_INCLUSIVE, "养老服务");
    EXPECT(CLASSIFY("小区便利店"), EMBEDSVC_MATCH_CONTAINS, scen("housekeeping"), item("零售商业"),
           EMBEDSVC_CLASS_COMMERCIAL, "便利店");
}

static void expect_candidate(size_t i, int scenario, int item_index)
{
    int s = -2, it = -2;
    assert_int_equal(embedsvc_classification_candidate(g_cls, i, &s, &it), EMBEDSVC_OK);
    assert_int_equal(s, scenario);
    assert_int_equal(it, item_index);
}

static void test_ambiguous_items_in_policy_order(void **state)
{
    (void)state;
    const embedsvc_classification *c = CLASSIFY("家政便民理发");
    EXPECT(c, EMBEDSVC_MATCH_AMBIGUOUS, -1, -1, EMBEDSVC_CLASS_NONE, "家政便民");
    assert_int_equal(embedsvc_classification_candidate_count(c), 2);
    expect_candidate(0, scen("housekeeping"), item("家政便民"));
    expect_candidate(1, scen("housekeeping"), item("便民理发"));
    assert_int_equal(embedsvc_classification_candidate(c, 2, NULL, NULL), EMBEDSVC_EINVAL);
}

static void test_ambiguous_scenarios_in_policy_order(void **state)
{
    (void)state;
    const embedsvc_classification *c = CLASSIFY("养老托育综合服务中心");
    EXPECT(c, EMBEDSVC_MATCH_AMBIGUOUS, -1, -1, EMBEDSVC_CLASS_NONE, "养老");
    assert_int_equal(embedsvc_classification_candidate_count(c), 2);
    expect_candidate(0, scen("elderly_care"), -1);
    expect_candidate(1, scen("infant_care"), -1);
    /* reversed in the text: still policy order */
    c = CLASSIFY("托育养老");
    assert_int_equal(embedsvc_classification_match(c), EMBEDSVC_MATCH_AMBIGUOUS);
    expect_candidate(0, scen("elderly_care"), -1);
    expect_candidate(1, scen("infant_care"), -1);
}

static void test_ambiguous_scenarios_before_items(void **state)
{
    (void)state;
    /* 体育 (sports_fitness) and 理发 (item 便民理发): scenarios are listed before items */
    const embedsvc_classification *c = CLASSIFY("理发体育");
    assert_int_equal(embedsvc_classification_match(c), EMBEDSVC_MATCH_AMBIGUOUS);
    assert_int_equal(embedsvc_classification_candidate_count(c), 2);
    expect_candidate(0, scen("sports_fitness"), -1);
    expect_candidate(1, scen("housekeeping"), item("便民理发"));
    assert_string_equal(embedsvc_classification_term(c), "体育");
}

static void test_candidate_out_params_may_be_null(void **state)
{
    (void)state;
    CLASSIFY("托育养老");
    assert_int_equal(embedsvc_classification_candidate(g_cls, 0, NULL, NULL), EMBEDSVC_OK);
    int s = -2;
    assert_int_equal(embedsvc_classification_candidate(g_cls, 1, &s, NULL), EMBEDSVC_OK);
    assert_int_equal(s, scen("infant_care"));
    assert_int_equal(embedsvc_classification_candidate(NULL, 0, &s, NULL), EMBEDSVC_EINVAL);
}

/* ---- none ---- */

static void test_no_term_is_none(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("会议室"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    assert_null(embedsvc_classification_term(g_cls));
    EXPECT(CLASSIFY(""), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    assert_null(embedsvc_classification_term(g_cls));
    EXPECT(CLASSIFY("　 \t"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_classify(g_policy, NULL, 0, g_cls, &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_classification_match(g_cls), EMBEDSVC_MATCH_NONE);
}

static void test_reuse_resets_previous_outcome(void **state)
{
    (void)state;
    CLASSIFY("家政便民理发");
    assert_int_equal(embedsvc_classification_candidate_count(g_cls), 2);
    EXPECT(CLASSIFY("会议室"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    assert_null(embedsvc_classification_term(g_cls));
    CLASSIFY("托育养老");
    EXPECT(CLASSIFY("托老所"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE, "托老所");
}

/* ---- normalisation ---- */

static void test_full_width_letters_and_underscore_normalised(void **state)
{
    (void)state;
    /* '＿' is U+FF3F, inside U+FF01-U+FF5E */
    EXPECT(CLASSIFY("ＥＬＤＥＲＬＹ＿ＣＡＲＥ"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "elderly_care");
    EXPECT(CLASSIFY("Ｅｌｄｅｒｌｙ　ｃａｒｅ"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "Elderly care");
    EXPECT(CLASSIFY("  ELDERLY\tCARE\r\n"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "Elderly care");
}

static void test_ideographic_space_removed(void **state)
{
    (void)state;
    EXPECT(CLASSIFY("养老　服务"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), item("养老服务"),
           EMBEDSVC_CLASS_INCLUSIVE, "养老服务");
    EXPECT(CLASSIFY("\xe3\x80\x80托老所\xe3\x80\x80"), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), -1,
           EMBEDSVC_CLASS_NONE, "托老所");
}

static void test_nbsp_is_not_removed(void **state)
{
    (void)state;
    /* with NBSP the text no longer equals 养老服务; it still contains 养老 */
    EXPECT(CLASSIFY("养老\xc2\xa0服务"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "养老");
    EXPECT(CLASSIFY("托\xc2\xa0老所"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
}

static void test_other_unicode_spaces_are_not_removed(void **state)
{
    (void)state;
    /* U+2003 EM SPACE and U+FEFF are not the white space of reference §4 */
    EXPECT(CLASSIFY("托\xe2\x80\x83老所"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    EXPECT(CLASSIFY("\xef\xbb\xbf托老所"), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE,
           "托老所");
}

static char *normalise(const char *s, size_t *cps)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    assert_non_null(out);
    size_t n = esv_normalise(s, len, out, cps);
    out[n] = '\0';
    return out;
}

static void expect_norm(const char *in, const char *want, size_t want_cps)
{
    size_t cps = 0;
    char *got = normalise(in, &cps);
    assert_string_equal(got, want);
    assert_int_equal(cps, want_cps);
    free(got);
}

static void test_normalise_maps_exactly_the_spec_ranges(void **state)
{
    (void)state;
    expect_norm("ＡＺａｚ０９", "azaz09", 6);
    expect_norm("！～", "!~", 2);                         /* U+FF01 and U+FF5E */
    expect_norm("\xef\xbc\x80\xef\xbd\x9f", "\xef\xbc\x80\xef\xbd\x9f", 2); /* U+FF00 and U+FF5F stay */
    expect_norm("ｰ", "ｰ", 1);                            /* half-width katakana stays */
    expect_norm("a b\tc\nd\ve\ff\rg", "abcdefg", 7);
    expect_norm("a\xe3\x80\x80" "b", "ab", 2);
    expect_norm("a\xc2\xa0" "b", "a\xc2\xa0" "b", 3);
    expect_norm("", "", 0);
}

static void test_case_folding_is_ascii_only(void **state)
{
    (void)state;
    expect_norm("ÉCOLE", "École", 5);
    expect_norm("ΑΒΓ", "ΑΒΓ", 3);
    expect_norm("ÄBC", "Äbc", 3);
}

/* ---- errors and long texts ---- */

static void test_invalid_utf8_is_parse_encoding(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    static const char text[] = "养老\xff服务";
    assert_int_equal(embedsvc_classify(g_policy, text, sizeof(text) - 1, g_cls, &err), EMBEDSVC_EPARSE);
    assert_int_equal(err.status, EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.encoding");
    assert_int_equal(err.offset, 6);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 3);
    static const char surrogate[] = "\xed\xa0\x80";
    assert_int_equal(embedsvc_classify(g_policy, surrogate, 3, g_cls, &err), EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.encoding");
    /* a valid prefix cut by the length is invalid too */
    assert_int_equal(embedsvc_classify(g_policy, "养", 2, g_cls, &err), EMBEDSVC_EPARSE);
    assert_int_equal(embedsvc_classify(g_policy, "养", 2, g_cls, NULL), EMBEDSVC_EPARSE);
}

static void test_bad_arguments_are_einval(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_classify(NULL, "x", 1, g_cls, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_classify(g_policy, "x", 1, NULL, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_classify(g_policy, NULL, 1, g_cls, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_classification_new(NULL, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_classification_match(NULL), EMBEDSVC_MATCH_NONE);
    assert_int_equal(embedsvc_classification_candidate_count(NULL), 0);
    assert_null(embedsvc_classification_term(NULL));
    embedsvc_classification_free(NULL);
}

static void test_fresh_object_reads_as_none(void **state)
{
    (void)state;
    embedsvc_classification *c = NULL;
    assert_int_equal(embedsvc_classification_new(NULL, &c), EMBEDSVC_OK);
    EXPECT(c, EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    assert_null(embedsvc_classification_term(c));
    embedsvc_classification_free(c);
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * times + t + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * times, tail, t + 1);
    return s;
}

static void test_text_longer_than_1024_bytes_still_matches(void **state)
{
    (void)state;
    char *text = repeat("x", 2000, "养老服务驿站");
    EXPECT(CLASSIFY(text), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE, "养老服务驿站");
    free(text);
    text = repeat(" ", 1100, "养老服务");
    EXPECT(CLASSIFY(text), EMBEDSVC_MATCH_EXACT, scen("elderly_care"), item("养老服务"), EMBEDSVC_CLASS_INCLUSIVE,
           "养老服务");
    free(text);
    text = repeat("\xe3\x80\x80", 400, "托管"); /* 1206 bytes */
    EXPECT(CLASSIFY(text), EMBEDSVC_MATCH_EXACT, scen("child_care"), -1, EMBEDSVC_CLASS_COMMERCIAL, "托管");
    free(text);
    /* around the 1024-byte stack buffer */
    for (size_t len = 1020; len <= 1030; len++) {
        text = repeat("z", len - 9, "托老所");
        assert_int_equal(strlen(text), len);
        EXPECT(CLASSIFY(text), EMBEDSVC_MATCH_CONTAINS, scen("elderly_care"), -1, EMBEDSVC_CLASS_NONE, "托老所");
        free(text);
    }
}

/* ---- one-code-point terms (a policy of our own) ---- */

static const char one_cp_policy[] =
    "{\"schema\":\"embedsvc.policy/1\",\"id\":\"one\",\"version\":\"1\","
    "\"scenarios\":[{\"code\":\"tea\",\"name_zh\":\"茶馆\",\"name_en\":\"Tea house\",\"core\":true,\"preferred\":true,"
    "\"allowed_classes\":[\"commercial\"],\"aliases\":[\"茶\",\"Ｑ\"]},"
    "{\"code\":\"books\",\"name_zh\":\"书店\",\"name_en\":\"Books\",\"core\":false,\"preferred\":false,"
    "\"allowed_classes\":[\"basic_public\",\"commercial\"],\"aliases\":[\"Éclair\"]}],"
    "\"classes\":[{\"code\":\"basic_public\",\"name_zh\":\"基本\",\"name_en\":\"Basic\",\"rate_bp\":3000,\"rate_is_max\":false},"
    "{\"code\":\"inclusive\",\"name_zh\":\"普惠\",\"name_en\":\"Inclusive\",\"rate_bp\":3000,\"rate_is_max\":true},"
    "{\"code\":\"commercial\",\"name_zh\":\"商业\",\"name_en\":\"Commercial\",\"rate_bp\":0,\"rate_is_max\":false}],"
    "\"items\":[],"
    "\"rules\":{\"min_functions\":1,\"min_core_functions\":1,\"preferred_severity\":\"warning\","
    "\"subsidy_build_modes\":[\"new\"],\"max_walk_minutes\":null},"
    "\"subsidy\":{\"cap_fen\":null,\"cap_allocation\":\"basic_first\"}}";

static embedsvc_policy *load(const char *doc)
{
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_load_buffer(doc, strlen(doc), NULL, &p, &err) != EMBEDSVC_OK)
        fail_msg("policy: %s at %s: %s", err.code, err.path, err.message);
    return p;
}

static void test_one_code_point_terms_match_only_exactly(void **state)
{
    (void)state;
    embedsvc_policy *p = load(one_cp_policy);
    EXPECT(CLASSIFY_IN(p, "茶"), EMBEDSVC_MATCH_EXACT, 0, -1, EMBEDSVC_CLASS_COMMERCIAL, "茶");
    EXPECT(CLASSIFY_IN(p, "喝茶"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    EXPECT(CLASSIFY_IN(p, "q"), EMBEDSVC_MATCH_EXACT, 0, -1, EMBEDSVC_CLASS_COMMERCIAL, "Ｑ");
    EXPECT(CLASSIFY_IN(p, "qq"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    /* two code points count */
    EXPECT(CLASSIFY_IN(p, "老茶馆"), EMBEDSVC_MATCH_CONTAINS, 0, -1, EMBEDSVC_CLASS_COMMERCIAL, "茶馆");
    embedsvc_policy_free(p);
}

static void test_non_ascii_letters_are_not_case_folded_in_matching(void **state)
{
    (void)state;
    embedsvc_policy *p = load(one_cp_policy);
    EXPECT(CLASSIFY_IN(p, "ÉCLAIR"), EMBEDSVC_MATCH_EXACT, 1, -1, EMBEDSVC_CLASS_NONE, "Éclair");
    EXPECT(CLASSIFY_IN(p, "éclair"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    embedsvc_policy_free(p);
}

/* ---- non-service terms (reference §4, added 2026-12) ---- */

static const char non_service_policy[] =
    "{\"schema\":\"embedsvc.policy/1\",\"id\":\"ns\",\"version\":\"1\","
    "\"scenarios\":[{\"code\":\"elderly_care\",\"name_zh\":\"养老服务\",\"name_en\":\"Elderly care\",\"core\":true,"
    "\"preferred\":true,\"allowed_classes\":[\"basic_public\"],\"aliases\":[\"养老驿站\"]}],"
    "\"classes\":[{\"code\":\"basic_public\",\"name_zh\":\"基本\",\"name_en\":\"Basic\",\"rate_bp\":3000,\"rate_is_max\":false},"
    "{\"code\":\"inclusive\",\"name_zh\":\"普惠\",\"name_en\":\"Inclusive\",\"rate_bp\":3000,\"rate_is_max\":true},"
    "{\"code\":\"commercial\",\"name_zh\":\"商业\",\"name_en\":\"Commercial\",\"rate_bp\":0,\"rate_is_max\":false}],"
    "\"items\":[],"
    "\"non_service_terms\":[\"公共厕所\",\"停车\",\"彩票销售\",\"Parking\"],"
    "\"rules\":{\"min_functions\":1,\"min_core_functions\":1,\"preferred_severity\":\"warning\","
    "\"subsidy_build_modes\":[\"new\"],\"max_walk_minutes\":15},"
    "\"subsidy\":{\"cap_fen\":null,\"cap_allocation\":\"basic_first\"}}";

static void test_non_service_terms_classify_as_none_with_the_term(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_load_buffer(non_service_policy, strlen(non_service_policy), NULL, &p, &err),
                     EMBEDSVC_OK);
    /* exact */
    EXPECT(CLASSIFY_IN(p, "公共厕所"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, "公共厕所");
    EXPECT(CLASSIFY_IN(p, "ＰＡＲＫＩＮＧ"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, "Parking");
    /* contains, the non-service term the longest */
    EXPECT(CLASSIFY_IN(p, "社区公共厕所"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, "公共厕所");
    /* a longer target term wins over a shorter non-service term */
    EXPECT(CLASSIFY_IN(p, "养老驿站停车"), EMBEDSVC_MATCH_CONTAINS, 0, -1, EMBEDSVC_CLASS_BASIC_PUBLIC, "养老驿站");
    /* kept together at the same length: the non-service term decides, and it is the term reported */
    EXPECT(CLASSIFY_IN(p, "养老服务彩票销售"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, "彩票销售");
    /* nothing matched still has no term */
    EXPECT(CLASSIFY_IN(p, "图书"), EMBEDSVC_MATCH_NONE, -1, -1, EMBEDSVC_CLASS_NONE, NULL);
    assert_null(embedsvc_classification_term(g_cls));
    /* the target still classifies */
    EXPECT(CLASSIFY_IN(p, "养老服务"), EMBEDSVC_MATCH_EXACT, 0, -1, EMBEDSVC_CLASS_BASIC_PUBLIC, "养老服务");
    embedsvc_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_non_service_terms_classify_as_none_with_the_term),
        cmocka_unit_test(test_every_scenario_term_is_exact),
        cmocka_unit_test(test_every_item_term_is_exact),
        cmocka_unit_test(test_scenario_and_item_sharing_a_name_collapse_into_the_item),
        cmocka_unit_test(test_item_without_scenario_has_no_scenario),
        cmocka_unit_test(test_single_allowed_class_is_given_for_a_scenario),
        cmocka_unit_test(test_contains_finds_the_scenario_with_class_unknown),
        cmocka_unit_test(test_contains_longest_term_wins_over_other_targets),
        cmocka_unit_test(test_contains_reports_the_first_term_in_policy_order),
        cmocka_unit_test(test_contains_finds_terms_at_any_position),
        cmocka_unit_test(test_contains_item_with_its_scenario_collapses),
        cmocka_unit_test(test_ambiguous_items_in_policy_order),
        cmocka_unit_test(test_ambiguous_scenarios_in_policy_order),
        cmocka_unit_test(test_ambiguous_scenarios_before_items),
        cmocka_unit_test(test_candidate_out_params_may_be_null),
        cmocka_unit_test(test_no_term_is_none),
        cmocka_unit_test(test_reuse_resets_previous_outcome),
        cmocka_unit_test(test_full_width_letters_and_underscore_normalised),
        cmocka_unit_test(test_ideographic_space_removed),
        cmocka_unit_test(test_nbsp_is_not_removed),
        cmocka_unit_test(test_other_unicode_spaces_are_not_removed),
        cmocka_unit_test(test_normalise_maps_exactly_the_spec_ranges),
        cmocka_unit_test(test_case_folding_is_ascii_only),
        cmocka_unit_test(test_invalid_utf8_is_parse_encoding),
        cmocka_unit_test(test_bad_arguments_are_einval),
        cmocka_unit_test(test_fresh_object_reads_as_none),
        cmocka_unit_test(test_text_longer_than_1024_bytes_still_matches),
        cmocka_unit_test(test_one_code_point_terms_match_only_exactly),
        cmocka_unit_test(test_non_ascii_letters_are_not_case_folded_in_matching),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
