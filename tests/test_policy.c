/* Tests of policies (lib/policy.c): the compiled-in default against reference §1.1-§1.4, the canonical
 * JSON round trip, the alternative policy files, and every validation failure of reference §8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

/* ---- documents ---- */

/* A ring of buffers so that edits can be nested: edit(edit(doc, a, b), c, d). */
#define RING 4
#define DOC_SIZE 65536
static char ring[RING][DOC_SIZE];
static unsigned ring_next;

static char *ring_buf(void)
{
    return ring[ring_next++ % RING];
}

/* Replaces the first occurrence of `from` (which must be present) by `to`. */
static const char *edit_at(const char *doc, const char *from, const char *to, const char *file, int line)
{
    const char *at = strstr(doc, from);
    if (!at)
        print_error("%s:%d: \"%s\" not found in the document\n", file, line, from);
    _assert_true(at != NULL, "edit target present", file, line);
    char *out = ring_buf();
    size_t head = (size_t)(at - doc), from_len = strlen(from), to_len = strlen(to);
    _assert_true(strlen(doc) - from_len + to_len < DOC_SIZE, "fits", file, line);
    memcpy(out, doc, head);
    memcpy(out + head, to, to_len);
    strcpy(out + head + to_len, at + from_len);
    return out;
}

#define EDIT(doc, from, to) edit_at((doc), (from), (to), __FILE__, __LINE__)

/* A small, valid policy: two scenarios, two items (one with no scenario), all three classes. */
typedef struct part {
    const char *key, *text;
} part;

static const part base_parts[] = {
    {"schema", "\"schema\":\"embedsvc.policy/1\""},
    {"id", "\"id\":\"test\""},
    {"version", "\"version\":\"1\""},
    {"scenarios",
     "\"scenarios\":["
     "{\"code\":\"alpha\",\"name_zh\":\"甲场景\",\"name_en\":\"Alpha\",\"core\":true,\"preferred\":true,"
     "\"allowed_classes\":[\"basic_public\",\"inclusive\",\"commercial\"],\"aliases\":[\"甲甲\",\"甲别名\"]},"
     "{\"code\":\"beta\",\"name_zh\":\"乙场景\",\"name_en\":\"Beta\",\"core\":true,\"preferred\":false,"
     "\"allowed_classes\":[\"commercial\"],\"aliases\":[\"乙乙\"]}]"},
    {"classes",
     "\"classes\":["
     "{\"code\":\"basic_public\",\"name_zh\":\"基本\",\"name_en\":\"Basic\",\"rate_bp\":3000,\"rate_is_max\":false},"
     "{\"code\":\"inclusive\",\"name_zh\":\"普惠\",\"name_en\":\"Inclusive\",\"rate_bp\":2000,\"rate_is_max\":true},"
     "{\"code\":\"commercial\",\"name_zh\":\"商业\",\"name_en\":\"Commercial\",\"rate_bp\":0,\"rate_is_max\":false}]"},
    {"items",
     "\"items\":["
     "{\"name_zh\":\"丙项目\",\"name_en\":\"Gamma\",\"class\":\"basic_public\",\"scenario\":\"alpha\",\"aliases\":[\"丙丙\"]},"
     "{\"name_zh\":\"丁项目\",\"name_en\":\"Delta\",\"class\":\"commercial\",\"scenario\":null,\"aliases\":[]}]"},
    {"rules",
     "\"rules\":{\"min_functions\":2,\"min_core_functions\":1,\"preferred_severity\":\"warning\","
     "\"subsidy_build_modes\":[\"new\",\"renovation\"],\"max_walk_minutes\":15}"},
    {"subsidy", "\"subsidy\":{\"cap_fen\":1000000,\"cap_allocation\":\"basic_first\"}"},
};

/* The base policy without one top-level key (NULL: complete). */
static const char *policy_without(const char *key)
{
    char *out = ring_buf();
    strcpy(out, "{");
    bool first = true;
    for (size_t i = 0; i < ESV_ARRAY_LEN(base_parts); i++) {
        if (key && strcmp(key, base_parts[i].key) == 0)
            continue;
        if (!first)
            strcat(out, ",");
        strcat(out, base_parts[i].text);
        first = false;
    }
    strcat(out, "}");
    return out;
}

static const char *base(void)
{
    return policy_without(NULL);
}

/* A policy with n generated scenarios (none core, each allowing commercial only), and rules that
 * such a policy can satisfy (one function, no core minimum). */
static const char *policy_with_scenarios(size_t n)
{
    char *out = ring_buf();
    strcpy(out, "{\"schema\":\"embedsvc.policy/1\",\"id\":\"n\",\"version\":\"1\",\"scenarios\":[");
    for (size_t i = 0; i < n; i++) {
        char s[256];
        char c1 = (char)('a' + i / 26), c2 = (char)('a' + i % 26);
        snprintf(s, sizeof(s),
                 "%s{\"code\":\"s%c%c\",\"name_zh\":\"场景%c%c\",\"name_en\":\"Scenario %c%c\",\"core\":false,"
                 "\"preferred\":false,\"allowed_classes\":[\"commercial\"]}",
                 i ? "," : "", c1, c2, c1, c2, c1, c2);
        strcat(out, s);
    }
    strcat(out, "],");
    strcat(out, base_parts[4].text);
    strcat(out, ",\"items\":[],");
    strcat(out, "\"rules\":{\"min_functions\":1,\"min_core_functions\":0,\"preferred_severity\":\"warning\","
                "\"subsidy_build_modes\":[\"new\",\"renovation\"],\"max_walk_minutes\":15},");
    strcat(out, base_parts[7].text);
    strcat(out, "}");
    return out;
}

/* ---- helpers ---- */

static embedsvc_policy *load_ok_at(const char *doc, const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc = embedsvc_policy_load_buffer(doc, strlen(doc), NULL, &p, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: load failed: %s at %s (%u:%u): %s\n", file, line, err.code, err.path, err.line, err.column,
                    err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
    _assert_true(p != NULL, "policy", file, line);
    return p;
}

#define LOAD_OK(doc) load_ok_at((doc), __FILE__, __LINE__)

static embedsvc_error load_err_at(const char *doc, int status, const char *code, const char *path, const char *file,
                                  int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = (embedsvc_policy *)&err; /* must be reset to NULL */
    int rc = embedsvc_policy_load_buffer(doc, strlen(doc), NULL, &p, &err);
    if (rc != status || strcmp(err.code, code) != 0 || strcmp(err.path, path) != 0)
        print_error("%s:%d: got %d %s at '%s' (%u:%u): %s; want %d %s at '%s'\n", file, line, rc, err.code, err.path,
                    err.line, err.column, err.message, status, code, path);
    if (rc == EMBEDSVC_OK)
        embedsvc_policy_free(p);
    _assert_int_equal((uintmax_t)rc, (uintmax_t)status, file, line);
    _assert_int_equal((uintmax_t)err.status, (uintmax_t)status, file, line);
    _assert_string_equal(err.code, code, file, line);
    _assert_string_equal(err.path, path, file, line);
    _assert_true(p == NULL, "no policy on failure", file, line);
    _assert_true(err.message[0] != '\0', "a message", file, line);
    _assert_true(err.line >= 1 && err.column >= 1, "a position", file, line);
    return err;
}

#define LOAD_ERR(doc, code, path) load_err_at((doc), EMBEDSVC_EPARSE, (code), (path), __FILE__, __LINE__)
#define LOAD_INVALID(doc, path) load_err_at((doc), EMBEDSVC_EPOLICY, "policy.invalid", (path), __FILE__, __LINE__)

/* Byte offset of the n-th (0-based) occurrence of needle in doc. */
static size_t nth_offset(const char *doc, const char *needle, int n)
{
    const char *at = doc;
    for (int i = 0;; i++) {
        at = strstr(at, needle);
        assert_non_null(at);
        if (i == n)
            return (size_t)(at - doc);
        at += 1;
    }
}

static int64_t rule(const embedsvc_policy *p, embedsvc_rule r, int want_rc)
{
    int64_t v = -12345;
    assert_int_equal(embedsvc_policy_rule(p, r, &v), want_rc);
    return v;
}

static void assert_str_eq_or_null(const char *a, const char *b)
{
    if (!a || !b)
        assert_true(a == b);
    else
        assert_string_equal(a, b);
}

/* Compares every accessor of two policies. */
static void assert_policies_equal(const embedsvc_policy *a, const embedsvc_policy *b)
{
    static const char *const texts[] = {"id", "version", "title_zh", "title_en", "effective_from", "effective_to"};
    for (size_t i = 0; i < ESV_ARRAY_LEN(texts); i++)
        assert_str_eq_or_null(embedsvc_policy_text(a, texts[i]), embedsvc_policy_text(b, texts[i]));
    for (int r = EMBEDSVC_RULE_MIN_FUNCTIONS; r <= EMBEDSVC_RULE_CAP_PROPORTIONAL; r++) {
        int64_t va = -1, vb = -1;
        assert_int_equal(embedsvc_policy_rule(a, (embedsvc_rule)r, &va), embedsvc_policy_rule(b, (embedsvc_rule)r, &vb));
        assert_int_equal(va, vb);
    }
    assert_int_equal(embedsvc_policy_scenario_count(a), embedsvc_policy_scenario_count(b));
    for (size_t s = 0; s < embedsvc_policy_scenario_count(a); s++) {
        for (int w = EMBEDSVC_NAME_CODE; w <= EMBEDSVC_NAME_EN; w++)
            assert_str_eq_or_null(embedsvc_policy_scenario_name(a, s, (embedsvc_name)w),
                                  embedsvc_policy_scenario_name(b, s, (embedsvc_name)w));
        assert_int_equal(embedsvc_policy_scenario_flags(a, s), embedsvc_policy_scenario_flags(b, s));
        assert_int_equal(embedsvc_policy_alias_count(a, 0, s), embedsvc_policy_alias_count(b, 0, s));
        for (size_t k = 0; k < embedsvc_policy_alias_count(a, 0, s); k++)
            assert_string_equal(embedsvc_policy_alias(a, 0, s, k), embedsvc_policy_alias(b, 0, s, k));
    }
    assert_int_equal(embedsvc_policy_item_count(a), embedsvc_policy_item_count(b));
    for (size_t i = 0; i < embedsvc_policy_item_count(a); i++) {
        assert_string_equal(embedsvc_policy_item_name(a, i, EMBEDSVC_NAME_ZH), embedsvc_policy_item_name(b, i, EMBEDSVC_NAME_ZH));
        assert_string_equal(embedsvc_policy_item_name(a, i, EMBEDSVC_NAME_EN), embedsvc_policy_item_name(b, i, EMBEDSVC_NAME_EN));
        assert_int_equal(embedsvc_policy_item_class(a, i), embedsvc_policy_item_class(b, i));
        assert_int_equal(embedsvc_policy_item_scenario(a, i), embedsvc_policy_item_scenario(b, i));
        assert_int_equal(embedsvc_policy_alias_count(a, 1, i), embedsvc_policy_alias_count(b, 1, i));
        for (size_t k = 0; k < embedsvc_policy_alias_count(a, 1, i); k++)
            assert_string_equal(embedsvc_policy_alias(a, 1, i, k), embedsvc_policy_alias(b, 1, i, k));
    }
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        for (int w = EMBEDSVC_NAME_CODE; w <= EMBEDSVC_NAME_EN; w++)
            assert_str_eq_or_null(embedsvc_policy_class_name(a, (embedsvc_class)c, (embedsvc_name)w),
                                  embedsvc_policy_class_name(b, (embedsvc_class)c, (embedsvc_name)w));
        assert_int_equal(embedsvc_policy_class_rate_bp(a, (embedsvc_class)c), embedsvc_policy_class_rate_bp(b, (embedsvc_class)c));
        assert_int_equal(embedsvc_policy_class_rate_is_max(a, (embedsvc_class)c),
                         embedsvc_policy_class_rate_is_max(b, (embedsvc_class)c));
    }
}

/* The canonical JSON of a policy, malloc'ed. */
static char *to_json(const embedsvc_policy *p)
{
    size_t needed = 0;
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 0, &needed), EMBEDSVC_ERANGE);
    assert_true(needed > 0);
    char *buf = malloc(needed + 1);
    assert_non_null(buf);
    size_t again = 0;
    assert_int_equal(embedsvc_policy_to_json(p, buf, needed + 1, &again), EMBEDSVC_OK);
    assert_int_equal(again, needed);
    assert_int_equal(strlen(buf), needed);
    return buf;
}

static embedsvc_policy *default_policy(void)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, &err), EMBEDSVC_OK);
    assert_non_null(p);
    return p;
}

/* ---- the default policy (reference §1) ---- */

#define BP EMBEDSVC_SCENARIO_ALLOWS(EMBEDSVC_CLASS_BASIC_PUBLIC)
#define IN EMBEDSVC_SCENARIO_ALLOWS(EMBEDSVC_CLASS_INCLUSIVE)
#define CO EMBEDSVC_SCENARIO_ALLOWS(EMBEDSVC_CLASS_COMMERCIAL)
#define CORE EMBEDSVC_SCENARIO_CORE
#define PREF EMBEDSVC_SCENARIO_PREFERRED

static const struct {
    const char *code, *zh, *en;
    int flags;
    const char *aliases[10];
} spec_scenarios[] = {
    {"elderly_care", "养老服务", "Elderly care", CORE | PREF | BP | IN | CO,
     {"养老", "老年服务", "养老驿站", "养老服务驿站", "日间照料", "日间照料中心", "老年日间照料", "托老所", "长者服务"}},
    {"infant_care", "婴幼儿托育", "Infant and toddler care", CORE | PREF | IN | CO,
     {"托育", "婴幼儿照护", "托育园", "托育点", "托育中心", "托儿所", "早教托育"}},
    {"child_care", "儿童托管", "After-school child care", CORE | CO, {"托管", "课后托管", "四点半课堂", "小饭桌", "课后服务"}},
    {"community_meals", "社区助餐", "Community meals", CORE | CO,
     {"助餐", "老年餐桌", "社区食堂", "助餐点", "长者食堂", "老年食堂", "爱心餐厅"}},
    {"housekeeping", "家政便民", "Housekeeping and convenience", CO, {"家政", "便民服务", "便民维修", "洗衣"}},
    {"health", "健康服务", "Health services", BP | CO,
     {"健康", "卫生服务站", "社区卫生服务站", "卫生站", "医务室", "康复", "健康小屋"}},
    {"sports_fitness", "体育健身", "Sports and fitness", BP | CO, {"健身", "体育", "运动", "健身房", "健身室", "全民健身"}},
    {"culture_leisure", "文化休闲", "Culture and leisure", BP | CO, {"文化", "阅览室", "图书室", "文化活动室", "书屋", "文化站"}},
    {"children_play", "儿童游憩", "Children's recreation", BP | CO,
     {"儿童游乐", "游憩", "儿童活动室", "儿童乐园", "儿童之家", "游乐场"}},
};

static const struct {
    const char *zh, *en;
    int cls;
    const char *scenario; /* NULL: none */
    const char *aliases[4];
} spec_items[] = {
    {"养老助老", "Elderly assistance", EMBEDSVC_CLASS_BASIC_PUBLIC, "elderly_care", {NULL}},
    {"扶残助残", "Disability assistance", EMBEDSVC_CLASS_BASIC_PUBLIC, NULL, {NULL}},
    {"儿童关爱", "Child welfare", EMBEDSVC_CLASS_BASIC_PUBLIC, NULL, {NULL}},
    {"公共卫生", "Public health", EMBEDSVC_CLASS_BASIC_PUBLIC, "health", {NULL}},
    {"公共文化", "Public culture", EMBEDSVC_CLASS_BASIC_PUBLIC, "culture_leisure", {NULL}},
    {"公共体育", "Public sports", EMBEDSVC_CLASS_BASIC_PUBLIC, "sports_fitness", {NULL}},
    {"养老服务", "Elderly care service", EMBEDSVC_CLASS_INCLUSIVE, "elderly_care", {NULL}},
    {"婴幼儿托育", "Infant care service", EMBEDSVC_CLASS_INCLUSIVE, "infant_care", {NULL}},
    {"就业服务", "Employment service", EMBEDSVC_CLASS_COMMERCIAL, NULL, {NULL}},
    {"社区助餐", "Community meals", EMBEDSVC_CLASS_COMMERCIAL, "community_meals", {NULL}},
    {"零售商业", "Retail", EMBEDSVC_CLASS_COMMERCIAL, "housekeeping", {"便利店", "超市", "菜店"}},
    {"儿童托管", "After-school care", EMBEDSVC_CLASS_COMMERCIAL, "child_care", {NULL}},
    {"家政便民", "Housekeeping", EMBEDSVC_CLASS_COMMERCIAL, "housekeeping", {NULL}},
    {"便民理发", "Barbering", EMBEDSVC_CLASS_COMMERCIAL, "housekeeping", {"理发"}},
};

static size_t count_aliases(const char *const *a, size_t max)
{
    size_t n = 0;
    while (n < max && a[n])
        n++;
    return n;
}


/* ---- policies no project can satisfy (reference §8, added 2026-12) ---- */

static void expect_message(embedsvc_error err, const char *needle)
{
    if (!strstr(err.message, needle))
        print_error("message \"%s\" lacks \"%s\"\n", err.message, needle);
    assert_non_null(strstr(err.message, needle));
}

static void test_min_functions_above_the_scenarios_is_invalid(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"min_functions\":2", "\"min_functions\":3");
    embedsvc_error err = LOAD_INVALID(doc, "/rules/min_functions");
    expect_message(err, "min_functions 3 is above the number of scenarios (2)");
    assert_int_equal(err.offset, nth_offset(doc, "3,\"min_core", 0));
    embedsvc_policy_free(LOAD_OK(EDIT(base(), "\"min_functions\":2", "\"min_functions\":2"))); /* the boundary */
}

static void test_min_core_functions_above_the_core_scenarios_is_invalid(void **state)
{
    (void)state;
    embedsvc_error err = LOAD_INVALID(EDIT(base(), "\"min_core_functions\":1", "\"min_core_functions\":3"),
                                      "/rules/min_core_functions");
    expect_message(err, "min_core_functions 3 is above the number of core scenarios (2)");
    embedsvc_policy_free(LOAD_OK(EDIT(base(), "\"min_core_functions\":1", "\"min_core_functions\":2")));
    /* one core scenario left: a minimum of 2 cannot be met */
    const char *one_core = EDIT(base(), "\"name_en\":\"Beta\",\"core\":true", "\"name_en\":\"Beta\",\"core\":false");
    err = LOAD_INVALID(EDIT(one_core, "\"min_core_functions\":1", "\"min_core_functions\":2"),
                       "/rules/min_core_functions");
    expect_message(err, "(1)");
}

static void test_core_minimum_without_a_core_scenario_is_invalid(void **state)
{
    (void)state;
    const char *no_core = EDIT(EDIT(base(), "\"name_en\":\"Beta\",\"core\":true", "\"name_en\":\"Beta\",\"core\":false"),
                               "\"name_en\":\"Alpha\",\"core\":true", "\"name_en\":\"Alpha\",\"core\":false");
    embedsvc_error err = LOAD_INVALID(no_core, "/rules/min_core_functions");
    expect_message(err, "no scenario is core");
    embedsvc_policy_free(LOAD_OK(EDIT(no_core, "\"min_core_functions\":1", "\"min_core_functions\":0")));
}

static void test_effective_from_after_effective_to_is_invalid(void **state)
{
    (void)state;
    char doc[DOC_SIZE];
    snprintf(doc, sizeof doc, "%s", base());
    doc[strlen(doc) - 1] = '\0';
    char reversed[DOC_SIZE];
    snprintf(reversed, sizeof reversed, "%s,\"effective_from\":\"2025-02-01\",\"effective_to\":\"2025-01-31\"}", doc);
    embedsvc_error err = LOAD_INVALID(reversed, "/effective_from");
    expect_message(err, "effective_from 2025-02-01 is after effective_to 2025-01-31");
    char same_day[DOC_SIZE];
    snprintf(same_day, sizeof same_day, "%s,\"effective_from\":\"2025-02-01\",\"effective_to\":\"2025-02-01\"}", doc);
    embedsvc_policy_free(LOAD_OK(same_day));
    char open_end[DOC_SIZE];
    snprintf(open_end, sizeof open_end, "%s,\"effective_from\":\"2025-02-01\",\"effective_to\":null}", doc);
    embedsvc_policy_free(LOAD_OK(open_end));
}

/* ---- non-service terms (reference §4, §8, added 2026-12) ---- */

static const char *with_non_service(const char *terms)
{
    static char doc[DOC_SIZE];
    snprintf(doc, sizeof doc, "%s", base());
    snprintf(doc + strlen(doc) - 1, sizeof doc - strlen(doc) + 1, ",\"non_service_terms\":%s}", terms);
    return doc;
}

static void test_non_service_terms_load_and_are_listed(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(with_non_service("[\"公共厕所\",\"Parking\"]"));
    assert_int_equal(embedsvc_policy_non_service_count(p), 2);
    assert_string_equal(embedsvc_policy_non_service_term(p, 0), "公共厕所");
    assert_string_equal(embedsvc_policy_non_service_term(p, 1), "Parking");
    assert_null(embedsvc_policy_non_service_term(p, 2));
    embedsvc_policy_free(p);
    p = LOAD_OK(base());
    assert_int_equal(embedsvc_policy_non_service_count(p), 0);
    assert_null(embedsvc_policy_non_service_term(p, 0));
    embedsvc_policy_free(p);
    assert_int_equal(embedsvc_policy_non_service_count(NULL), 0);
    LOAD_ERR(with_non_service("\"公共厕所\""), "parse.type", "/non_service_terms");
    LOAD_ERR(with_non_service("[\"a\",3]"), "parse.type", "/non_service_terms/1");
    LOAD_ERR(with_non_service("[\"a\",\"\"]"), "parse.value", "/non_service_terms/1");
}

static void test_non_service_term_equal_to_a_target_term_is_invalid(void **state)
{
    (void)state;
    /* "ＡＬＰＨＡ" normalises to the scenario code "alpha"; "乙 乙" to the alias "乙乙" */
    embedsvc_error err = LOAD_INVALID(with_non_service("[\"停车\",\"ＡＬＰＨＡ\"]"), "/non_service_terms/1");
    expect_message(err, "also a term of \"alpha\"");
    LOAD_INVALID(with_non_service("[\"乙 乙\"]"), "/non_service_terms/0");
    LOAD_INVALID(with_non_service("[\"丙项目\"]"), "/non_service_terms/0");
    LOAD_INVALID(with_non_service("[\"\u3000 \"]"), "/non_service_terms/0"); /* empty after normalisation */
    /* the same non-service term twice is harmless */
    embedsvc_policy_free(LOAD_OK(with_non_service("[\"停车\",\"停 车\"]")));
}

static void test_non_service_terms_round_trip_after_items(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(with_non_service("[\"公共厕所\",\"Parking\"]"));
    size_t need = 0;
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 0, &need), EMBEDSVC_ERANGE);
    char *text = malloc(need + 1);
    assert_non_null(text);
    assert_int_equal(embedsvc_policy_to_json(p, text, need + 1, NULL), EMBEDSVC_OK);
    const char *items = strstr(text, "\"items\"");
    const char *ns = strstr(text, "\"non_service_terms\": [\"公共厕所\", \"Parking\"]");
    const char *rules = strstr(text, "\"rules\"");
    assert_non_null(items);
    assert_non_null(ns);
    assert_true(items < ns && ns < rules);
    embedsvc_policy *q = LOAD_OK(text);
    assert_int_equal(embedsvc_policy_non_service_count(q), 2);
    assert_string_equal(embedsvc_policy_non_service_term(q, 1), "Parking");
    embedsvc_policy_free(q);
    embedsvc_policy_free(p);
    free(text);
    /* a policy without them writes no key, as before */
    p = LOAD_OK(base());
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 0, &need), EMBEDSVC_ERANGE);
    text = malloc(need + 1);
    assert_non_null(text);
    assert_int_equal(embedsvc_policy_to_json(p, text, need + 1, NULL), EMBEDSVC_OK);
    assert_null(strstr(text, "non_service_terms"));
    free(text);
    embedsvc_policy_free(p);
}

static void test_allocator_size_is_checked_and_init_macro_works(void **state);

static void *sz_malloc(void *ctx, size_t size)
{
    (*(int *)ctx)++;
    return malloc(size);
}

static void *sz_realloc(void *ctx, void *ptr, size_t size)
{
    (*(int *)ctx)++;
    return realloc(ptr, size);
}

static void sz_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

/* The allocator's leading size is read first: a struct too small for the members the library
 * reads is refused, one initialised with EMBEDSVC_ALLOCATOR_INIT is used for every block. */
static void test_allocator_size_is_checked_and_init_macro_works(void **state)
{
    (void)state;
    int calls = 0;
    embedsvc_allocator al = EMBEDSVC_ALLOCATOR_INIT(sz_malloc, sz_realloc, sz_free, &calls);
    assert_int_equal(al.size, sizeof(embedsvc_allocator));
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(&al, &p, NULL), EMBEDSVC_OK);
    assert_true(calls > 0);
    embedsvc_policy_free(p);
    al.size = offsetof(embedsvc_allocator, ctx); /* an older, shorter struct: no ctx */
    p = NULL;
    assert_int_equal(embedsvc_policy_default(&al, &p, NULL), EMBEDSVC_EINVAL);
    assert_null(p);
    al.size = 0;
    assert_int_equal(embedsvc_policy_default(&al, &p, NULL), EMBEDSVC_EINVAL);
    al.size = sizeof(embedsvc_allocator) + 64; /* a newer, longer struct is accepted */
    assert_int_equal(embedsvc_policy_default(&al, &p, NULL), EMBEDSVC_OK);
    embedsvc_policy_free(p);
}

static void test_default_policy_loads_with_identity(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    assert_string_equal(embedsvc_policy_text(p, "id"), "beijing-2024-trial");
    assert_string_equal(embedsvc_policy_text(p, "version"), "1");
    assert_string_equal(embedsvc_policy_text(p, "title_zh"), "北京市社区嵌入式服务设施项目建设运营管理办法（试行）");
    assert_non_null(embedsvc_policy_text(p, "title_en"));
    assert_null(embedsvc_policy_text(p, "effective_from"));
    assert_null(embedsvc_policy_text(p, "effective_to"));
    assert_null(embedsvc_policy_text(p, "schema"));
    assert_null(embedsvc_policy_text(p, NULL));
    embedsvc_policy_free(p);
}

static void test_default_policy_has_the_nine_scenarios_of_spec(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    assert_int_equal(embedsvc_policy_scenario_count(p), ESV_ARRAY_LEN(spec_scenarios));
    for (size_t s = 0; s < ESV_ARRAY_LEN(spec_scenarios); s++) {
        assert_string_equal(embedsvc_policy_scenario_name(p, s, EMBEDSVC_NAME_CODE), spec_scenarios[s].code);
        assert_string_equal(embedsvc_policy_scenario_name(p, s, EMBEDSVC_NAME_ZH), spec_scenarios[s].zh);
        assert_string_equal(embedsvc_policy_scenario_name(p, s, EMBEDSVC_NAME_EN), spec_scenarios[s].en);
        assert_int_equal(embedsvc_policy_scenario_flags(p, s), spec_scenarios[s].flags);
        /* the aliases of SPEC §1.4 are a floor: they come first, and the vocabulary may grow after them */
        size_t n = count_aliases(spec_scenarios[s].aliases, 10), total = embedsvc_policy_alias_count(p, 0, s);
        assert_true(total >= n);
        for (size_t k = 0; k < n; k++)
            assert_string_equal(embedsvc_policy_alias(p, 0, s, k), spec_scenarios[s].aliases[k]);
        assert_null(embedsvc_policy_alias(p, 0, s, total));
        assert_int_equal(embedsvc_policy_scenario_find(p, spec_scenarios[s].code, strlen(spec_scenarios[s].code)),
                         (int)s);
        assert_int_equal(embedsvc_policy_scenario_find(p, spec_scenarios[s].zh, strlen(spec_scenarios[s].zh)), (int)s);
    }
    assert_null(embedsvc_policy_scenario_name(p, 9, EMBEDSVC_NAME_CODE));
    assert_int_equal(embedsvc_policy_scenario_flags(p, 9), -1);
    embedsvc_policy_free(p);
}

static void test_default_policy_scenario_find_is_exact(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    static const char *const misses[] = {"Elderly care", "ELDERLY_CARE", "elderly_care ", " 养老服务", "养老", ""};
    for (size_t i = 0; i < ESV_ARRAY_LEN(misses); i++)
        assert_int_equal(embedsvc_policy_scenario_find(p, misses[i], strlen(misses[i])), -1);
    embedsvc_policy_free(p);
}

static void test_default_policy_has_the_items_of_spec(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    assert_int_equal(embedsvc_policy_item_count(p), ESV_ARRAY_LEN(spec_items));
    for (size_t i = 0; i < ESV_ARRAY_LEN(spec_items); i++) {
        assert_string_equal(embedsvc_policy_item_name(p, i, EMBEDSVC_NAME_ZH), spec_items[i].zh);
        assert_string_equal(embedsvc_policy_item_name(p, i, EMBEDSVC_NAME_EN), spec_items[i].en);
        assert_null(embedsvc_policy_item_name(p, i, EMBEDSVC_NAME_CODE));
        assert_int_equal(embedsvc_policy_item_class(p, i), spec_items[i].cls);
        int want = spec_items[i].scenario
                       ? embedsvc_policy_scenario_find(p, spec_items[i].scenario, strlen(spec_items[i].scenario))
                       : -1;
        if (spec_items[i].scenario)
            assert_true(want >= 0);
        assert_int_equal(embedsvc_policy_item_scenario(p, i), want);
        size_t n = count_aliases(spec_items[i].aliases, 4);
        assert_true(embedsvc_policy_alias_count(p, 1, i) >= n); /* a floor, as for scenarios */
        for (size_t k = 0; k < n; k++)
            assert_string_equal(embedsvc_policy_alias(p, 1, i, k), spec_items[i].aliases[k]);
    }
    size_t n = ESV_ARRAY_LEN(spec_items);
    assert_null(embedsvc_policy_item_name(p, n, EMBEDSVC_NAME_ZH));
    assert_int_equal(embedsvc_policy_item_class(p, n), EMBEDSVC_CLASS_NONE);
    assert_int_equal(embedsvc_policy_item_scenario(p, n), -1);
    assert_int_equal(embedsvc_policy_alias_count(p, 1, n), 0);
    embedsvc_policy_free(p);
}

static void test_default_policy_classes_and_rates(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    static const struct {
        const char *code, *zh, *en;
        int rate, is_max;
    } want[] = {
        {"basic_public", "基本公共服务类", "Basic public services", 3000, 0},
        {"inclusive", "普惠非基本公共服务类", "Inclusive non-basic public services", 3000, 1},
        {"commercial", "便民商业类", "Convenience commercial services", 0, 0},
    };
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        assert_string_equal(embedsvc_policy_class_name(p, (embedsvc_class)c, EMBEDSVC_NAME_CODE), want[c].code);
        assert_string_equal(embedsvc_policy_class_name(p, (embedsvc_class)c, EMBEDSVC_NAME_ZH), want[c].zh);
        assert_string_equal(embedsvc_policy_class_name(p, (embedsvc_class)c, EMBEDSVC_NAME_EN), want[c].en);
        assert_int_equal(embedsvc_policy_class_rate_bp(p, (embedsvc_class)c), want[c].rate);
        assert_int_equal(embedsvc_policy_class_rate_is_max(p, (embedsvc_class)c), want[c].is_max);
    }
    assert_null(embedsvc_policy_class_name(p, EMBEDSVC_CLASS_NONE, EMBEDSVC_NAME_CODE));
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_NONE), -1);
    assert_int_equal(embedsvc_policy_class_rate_bp(p, (embedsvc_class)3), -1);
    assert_int_equal(embedsvc_policy_class_rate_is_max(p, (embedsvc_class)3), -1);
    embedsvc_policy_free(p);
}

static void test_default_policy_rules_and_cap(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    assert_int_equal(rule(p, EMBEDSVC_RULE_MIN_FUNCTIONS, 1), 3);
    assert_int_equal(rule(p, EMBEDSVC_RULE_MIN_CORE_FUNCTIONS, 1), 2);
    assert_int_equal(rule(p, EMBEDSVC_RULE_PREFERRED_SEVERITY, 1), EMBEDSVC_SEVERITY_WARNING);
    assert_int_equal(rule(p, EMBEDSVC_RULE_SUBSIDY_BUILD_MODES, 1),
                     (1 << EMBEDSVC_BUILD_NEW) | (1 << EMBEDSVC_BUILD_EXPANSION) | (1 << EMBEDSVC_BUILD_RENOVATION));
    assert_int_equal(rule(p, EMBEDSVC_RULE_MAX_WALK_MINUTES, 1), 15);
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), INT64_C(5000000000));
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_PROPORTIONAL, 1), 0);
    int64_t v;
    assert_int_equal(embedsvc_policy_rule(p, (embedsvc_rule)99, &v), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_policy_rule(p, EMBEDSVC_RULE_MIN_FUNCTIONS, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_policy_rule(NULL, EMBEDSVC_RULE_MIN_FUNCTIONS, &v), EMBEDSVC_EINVAL);
    embedsvc_policy_free(p);
}

static void test_default_json_is_the_shipped_file(void **state)
{
    (void)state;
    FILE *f = fopen(SOURCE_ROOT "/policies/beijing-2024-trial.json", "rb");
    assert_non_null(f);
    static char file[1 << 16];
    size_t n = fread(file, 1, sizeof(file), f);
    fclose(f);
    size_t len = 0;
    const char *json = embedsvc_policy_default_json(&len);
    assert_int_equal(len, n);
    assert_memory_equal(json, file, n);
    assert_int_equal(json[len], '\0');
    assert_ptr_equal(embedsvc_policy_default_json(NULL), json);
}

static void test_default_equals_the_shipped_file_loaded(void **state)
{
    (void)state;
    embedsvc_policy *d = default_policy(), *f = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_policy_load_file(SOURCE_ROOT "/policies/beijing-2024-trial.json", NULL, &f, &err),
                     EMBEDSVC_OK);
    assert_policies_equal(d, f);
    embedsvc_policy_free(d);
    embedsvc_policy_free(f);
}

/* ---- canonical JSON ---- */

static void round_trip(const embedsvc_policy *p)
{
    char *a = to_json(p);
    char *b = to_json(p);
    assert_string_equal(a, b); /* stable */
    embedsvc_policy *q = LOAD_OK(a);
    assert_policies_equal(p, q);
    char *c = to_json(q);
    assert_string_equal(a, c); /* a fixed point */
    embedsvc_policy_free(q);
    free(a);
    free(b);
    free(c);
}

static void test_to_json_of_default_reloads_equal_and_is_stable(void **state)
{
    (void)state;
    embedsvc_policy *p = default_policy();
    round_trip(p);
    embedsvc_policy_free(p);
}

static void test_to_json_round_trips_nulls_dates_and_escapes(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"id\":\"test\"",
                           "\"id\":\"t\\\"q\\\\b\\u0001\",\"effective_from\":\"2024-02-29\",\"effective_to\":null");
    doc = EDIT(doc, "\"cap_fen\":1000000", "\"cap_fen\":null");
    doc = EDIT(doc, "\"max_walk_minutes\":15", "\"max_walk_minutes\":null");
    doc = EDIT(doc, "\"basic_first\"", "\"proportional\"");
    doc = EDIT(doc, "\"warning\"", "\"off\"");
    embedsvc_policy *p = LOAD_OK(doc);
    assert_string_equal(embedsvc_policy_text(p, "id"), "t\"q\\b\x01");
    assert_null(embedsvc_policy_text(p, "title_zh"));
    round_trip(p);
    embedsvc_policy_free(p);
}

static void test_to_json_works_like_snprintf(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(base());
    size_t needed = 0;
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 0, &needed), EMBEDSVC_ERANGE);
    char *full = to_json(p);
    char *small = malloc(needed);
    assert_non_null(small);
    size_t again = 0;
    assert_int_equal(embedsvc_policy_to_json(p, small, needed, &again), EMBEDSVC_ERANGE); /* no room for the NUL */
    assert_int_equal(again, needed);
    assert_int_equal(strlen(small), needed - 1);
    assert_memory_equal(small, full, needed - 1);
    char tiny[8];
    assert_int_equal(embedsvc_policy_to_json(p, tiny, sizeof(tiny), NULL), EMBEDSVC_ERANGE);
    assert_int_equal(strlen(tiny), 7);
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 5, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_policy_to_json(NULL, tiny, sizeof(tiny), NULL), EMBEDSVC_EINVAL);
    free(small);
    free(full);
    embedsvc_policy_free(p);
}

/* ---- alternative policies ---- */

static embedsvc_policy *load_file_ok(const char *path)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc = embedsvc_policy_load_file(path, NULL, &p, &err);
    if (rc != EMBEDSVC_OK)
        fail_msg("%s: %s at %s: %s", path, err.code, err.path, err.message);
    return p;
}

static void test_alternative_policies_load_with_their_numbers(void **state)
{
    (void)state;
    embedsvc_policy *p = load_file_ok(SOURCE_ROOT "/tests/vectors/policies/alt-cap-3000wan.json");
    assert_string_equal(embedsvc_policy_text(p, "id"), "alt-cap-3000wan");
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), INT64_C(3000000000));
    round_trip(p);
    embedsvc_policy_free(p);

    p = load_file_ok(SOURCE_ROOT "/tests/vectors/policies/alt-four-functions.json");
    assert_int_equal(rule(p, EMBEDSVC_RULE_MIN_FUNCTIONS, 1), 4);
    round_trip(p);
    embedsvc_policy_free(p);

    p = load_file_ok(SOURCE_ROOT "/tests/vectors/policies/alt-inclusive-20pct.json");
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_INCLUSIVE), 2000);
    assert_int_equal(embedsvc_policy_class_rate_is_max(p, EMBEDSVC_CLASS_INCLUSIVE), 1);
    round_trip(p);
    embedsvc_policy_free(p);

    p = load_file_ok(SOURCE_ROOT "/tests/vectors/policies/alt-proportional.json");
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_PROPORTIONAL, 1), 1);
    round_trip(p);
    embedsvc_policy_free(p);
}

static void test_load_file_missing_is_eio(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = (embedsvc_policy *)&err;
    assert_int_equal(embedsvc_policy_load_file(SOURCE_ROOT "/tests/vectors/policies/no-such-policy.json", NULL, &p, &err),
                     EMBEDSVC_EIO);
    assert_null(p);
    assert_int_equal(err.status, EMBEDSVC_EIO);
    assert_true(err.message[0] != '\0');
    p = (embedsvc_policy *)&err;
    assert_int_equal(embedsvc_policy_load_file(SOURCE_ROOT "/tests", NULL, &p, &err) < 0, 1); /* a directory */
    assert_null(p);
}

static void test_load_rejects_bad_arguments(void **state)
{
    (void)state;
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_policy_load_buffer(base(), strlen(base()), NULL, NULL, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_policy_load_buffer(NULL, 5, NULL, &p, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_policy_load_file(NULL, NULL, &p, &err), EMBEDSVC_EINVAL);
    embedsvc_policy_free(NULL);
}

/* ---- the base document and its accepted variants ---- */

static void test_base_policy_loads(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(base());
    assert_int_equal(embedsvc_policy_scenario_count(p), 2);
    assert_int_equal(embedsvc_policy_item_count(p), 2);
    assert_int_equal(embedsvc_policy_item_scenario(p, 1), -1);
    assert_int_equal(rule(p, EMBEDSVC_RULE_SUBSIDY_BUILD_MODES, 1), (1 << EMBEDSVC_BUILD_NEW) | (1 << EMBEDSVC_BUILD_RENOVATION));
    embedsvc_policy_free(p);
}

static void test_optional_keys_may_be_absent(void **state)
{
    (void)state;
    /* aliases of a scenario and of an item default to empty */
    const char *doc = EDIT(base(), ",\"aliases\":[\"乙乙\"]", "");
    doc = EDIT(doc, ",\"aliases\":[\"丙丙\"]", "");
    embedsvc_policy *p = LOAD_OK(doc);
    assert_int_equal(embedsvc_policy_alias_count(p, 0, 1), 0);
    assert_int_equal(embedsvc_policy_alias_count(p, 1, 0), 0);
    embedsvc_policy_free(p);
}

static void test_nullable_rules_load_as_absent(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":null");
    doc = EDIT(doc, "\"max_walk_minutes\":15", "\"max_walk_minutes\":null");
    embedsvc_policy *p = LOAD_OK(doc);
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 0), -12345);
    assert_int_equal(rule(p, EMBEDSVC_RULE_MAX_WALK_MINUTES, 0), -12345);
    embedsvc_policy_free(p);
}

static void test_item_may_share_a_term_with_its_own_scenario(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "[\"丙丙\"]", "[\"甲甲\",\"甲场景\",\"ALPHA\"]"));
    embedsvc_policy_free(p);
    p = LOAD_OK(EDIT(base(), "\"name_zh\":\"丙项目\"", "\"name_zh\":\"甲场景\""));
    embedsvc_policy_free(p);
}

static void test_scenario_may_repeat_its_own_term(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "[\"甲甲\",\"甲别名\"]", "[\"甲甲\",\"甲 甲\",\"甲场景\"]"));
    embedsvc_policy_free(p);
}

/* ---- structural failures ---- */

static void test_unknown_fields_at_every_level(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"extra\":1");
    embedsvc_error err = LOAD_ERR(doc, "parse.unknown_field", "/extra");
    assert_int_equal(err.offset, nth_offset(doc, "\"extra\"", 0));
    LOAD_ERR(EDIT(base(), "\"code\":\"alpha\",", "\"code\":\"alpha\",\"colour\":1,"), "parse.unknown_field",
             "/scenarios/0/colour");
    LOAD_ERR(EDIT(base(), "\"rate_bp\":2000,", "\"rate_bp\":2000,\"x\":1,"), "parse.unknown_field", "/classes/1/x");
    LOAD_ERR(EDIT(base(), "\"name_en\":\"Delta\",", "\"name_en\":\"Delta\",\"x\":1,"), "parse.unknown_field",
             "/items/1/x");
    LOAD_ERR(EDIT(base(), "\"min_functions\":2,", "\"min_functions\":2,\"x\":1,"), "parse.unknown_field", "/rules/x");
    LOAD_ERR(EDIT(base(), "\"cap_fen\":1000000,", "\"cap_fen\":1000000,\"x\":1,"), "parse.unknown_field",
             "/subsidy/x");
}

static void test_missing_required_top_level_keys(void **state)
{
    (void)state;
    static const char *const keys[] = {"schema", "id", "version", "scenarios", "classes", "items", "rules", "subsidy"};
    for (size_t i = 0; i < ESV_ARRAY_LEN(keys); i++) {
        char path[32];
        snprintf(path, sizeof(path), "/%s", keys[i]);
        embedsvc_error err = LOAD_ERR(policy_without(keys[i]), "parse.missing_field", path);
        assert_int_equal(err.line, 1); /* at the object */
        assert_int_equal(err.column, 1);
    }
}

static void test_missing_rules_and_subsidy_members(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"min_functions\":2,", ""), "parse.missing_field", "/rules/min_functions");
    LOAD_ERR(EDIT(base(), "\"min_core_functions\":1,", ""), "parse.missing_field", "/rules/min_core_functions");
    LOAD_ERR(EDIT(base(), "\"preferred_severity\":\"warning\",", ""), "parse.missing_field",
             "/rules/preferred_severity");
    LOAD_ERR(EDIT(base(), "\"subsidy_build_modes\":[\"new\",\"renovation\"],", ""), "parse.missing_field",
             "/rules/subsidy_build_modes");
    LOAD_ERR(EDIT(base(), ",\"max_walk_minutes\":15", ""), "parse.missing_field", "/rules/max_walk_minutes");
    LOAD_ERR(EDIT(base(), "\"cap_fen\":1000000,", ""), "parse.missing_field", "/subsidy/cap_fen");
    LOAD_ERR(EDIT(base(), ",\"cap_allocation\":\"basic_first\"", ""), "parse.missing_field", "/subsidy/cap_allocation");
}

static void test_missing_scenario_class_and_item_members(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"code\":\"alpha\",", ""), "parse.missing_field", "/scenarios/0/code");
    LOAD_ERR(EDIT(base(), "\"name_zh\":\"乙场景\",", ""), "parse.missing_field", "/scenarios/1/name_zh");
    LOAD_ERR(EDIT(base(), "\"name_en\":\"Alpha\",", ""), "parse.missing_field", "/scenarios/0/name_en");
    LOAD_ERR(EDIT(base(), "\"core\":true,", ""), "parse.missing_field", "/scenarios/0/core");
    LOAD_ERR(EDIT(base(), "\"preferred\":false,", ""), "parse.missing_field", "/scenarios/1/preferred");
    LOAD_ERR(EDIT(base(), "\"allowed_classes\":[\"commercial\"],", ""), "parse.missing_field",
             "/scenarios/1/allowed_classes");
    LOAD_ERR(EDIT(base(), "\"code\":\"inclusive\",", ""), "parse.missing_field", "/classes/1/code");
    LOAD_ERR(EDIT(base(), "\"name_zh\":\"商业\",", ""), "parse.missing_field", "/classes/2/name_zh");
    LOAD_ERR(EDIT(base(), "\"name_en\":\"Basic\",", ""), "parse.missing_field", "/classes/0/name_en");
    LOAD_ERR(EDIT(base(), "\"rate_bp\":0,", ""), "parse.missing_field", "/classes/2/rate_bp");
    LOAD_ERR(EDIT(base(), ",\"rate_is_max\":true", ""), "parse.missing_field", "/classes/1/rate_is_max");
    LOAD_ERR(EDIT(base(), "\"name_zh\":\"丙项目\",", ""), "parse.missing_field", "/items/0/name_zh");
    LOAD_ERR(EDIT(base(), "\"name_en\":\"Delta\",", ""), "parse.missing_field", "/items/1/name_en");
    LOAD_ERR(EDIT(base(), "\"class\":\"basic_public\",", ""), "parse.missing_field", "/items/0/class");
}

/* reference §8 makes only titles, effective dates and aliases optional: an item's "scenario" (null for none)
 * is required like every other member. */
static void test_missing_item_scenario_is_missing_field(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), ",\"scenario\":null", ""), "parse.missing_field", "/items/1/scenario");
}

static void test_wrong_types(void **state)
{
    (void)state;
    LOAD_ERR("[]", "parse.type", "");
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":5"), "parse.type", "/id");
    LOAD_ERR(EDIT(base(), "\"version\":\"1\"", "\"version\":1"), "parse.type", "/version");
    LOAD_ERR(EDIT(base(), "\"schema\":\"embedsvc.policy/1\"", "\"schema\":1"), "parse.type", "/schema");
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"title_zh\":7"), "parse.type", "/title_zh");
    LOAD_ERR(EDIT(policy_without("scenarios"), "\"id\":\"test\"", "\"id\":\"test\",\"scenarios\":{}"), "parse.type",
             "/scenarios");
    LOAD_ERR(EDIT(base(), "\"scenarios\":[", "\"scenarios\":[\"x\","), "parse.type", "/scenarios/0");
    LOAD_ERR(EDIT(base(), "\"core\":true", "\"core\":\"yes\""), "parse.type", "/scenarios/0/core");
    LOAD_ERR(EDIT(base(), "\"preferred\":false", "\"preferred\":0"), "parse.type", "/scenarios/1/preferred");
    LOAD_ERR(EDIT(base(), "\"allowed_classes\":[\"commercial\"]", "\"allowed_classes\":\"commercial\""), "parse.type",
             "/scenarios/1/allowed_classes");
    LOAD_ERR(EDIT(base(), "[\"甲甲\",", "[1,"), "parse.type", "/scenarios/0/aliases/0");
    LOAD_ERR(EDIT(base(), "\"aliases\":[\"乙乙\"]", "\"aliases\":\"乙乙\""), "parse.type", "/scenarios/1/aliases");
    LOAD_ERR(EDIT(base(), "\"rate_bp\":3000", "\"rate_bp\":\"3000\""), "parse.type", "/classes/0/rate_bp");
    LOAD_ERR(EDIT(base(), "\"rate_is_max\":true", "\"rate_is_max\":1"), "parse.type", "/classes/1/rate_is_max");
    LOAD_ERR(EDIT(base(), "\"items\":[", "\"items\":[[],"), "parse.type", "/items/0");
    LOAD_ERR(EDIT(base(), "\"scenario\":\"alpha\"", "\"scenario\":5"), "parse.type", "/items/0/scenario");
    LOAD_ERR(EDIT(base(), "\"class\":\"commercial\"", "\"class\":2"), "parse.type", "/items/1/class");
    LOAD_ERR(EDIT(base(), "\"min_functions\":2", "\"min_functions\":\"2\""), "parse.type", "/rules/min_functions");
    LOAD_ERR(EDIT(base(), "[\"new\",\"renovation\"]", "\"new\""), "parse.type", "/rules/subsidy_build_modes");
    LOAD_ERR(EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":\"1000000\""), "parse.type", "/subsidy/cap_fen");
    LOAD_ERR(EDIT(policy_without("rules"), "\"id\":\"test\"", "\"id\":\"test\",\"rules\":[]"), "parse.type", "/rules");
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"effective_from\":20240101"), "parse.type",
             "/effective_from");
}

static void test_null_where_not_allowed_is_type_error(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":null"), "parse.type", "/id");
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"title_en\":null"), "parse.type", "/title_en");
    LOAD_ERR(EDIT(base(), "\"name_zh\":\"甲场景\"", "\"name_zh\":null"), "parse.type", "/scenarios/0/name_zh");
    LOAD_ERR(EDIT(base(), "\"aliases\":[\"乙乙\"]", "\"aliases\":null"), "parse.type", "/scenarios/1/aliases");
    LOAD_ERR(EDIT(base(), "\"rate_bp\":3000", "\"rate_bp\":null"), "parse.type", "/classes/0/rate_bp");
    LOAD_ERR(EDIT(base(), "\"class\":\"basic_public\"", "\"class\":null"), "parse.type", "/items/0/class");
    LOAD_ERR(EDIT(base(), "\"min_core_functions\":1", "\"min_core_functions\":null"), "parse.type",
             "/rules/min_core_functions");
    LOAD_ERR(EDIT(base(), "\"preferred_severity\":\"warning\"", "\"preferred_severity\":null"), "parse.type",
             "/rules/preferred_severity");
    LOAD_ERR(EDIT(base(), "\"cap_allocation\":\"basic_first\"", "\"cap_allocation\":null"), "parse.type",
             "/subsidy/cap_allocation");
    LOAD_ERR(EDIT(base(), "\"rules\":{", "\"x\":null,\"rules\":{"), "parse.unknown_field", "/x");
}

static void test_malformed_json_is_syntax_error_with_position(void **state)
{
    (void)state;
    embedsvc_error err = LOAD_ERR("{\n  \"schema\": \"embedsvc.policy/1\",\n  \"名\": ,\n}", "parse.syntax", "");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 8);
    LOAD_ERR("", "parse.syntax", "");
    LOAD_ERR("{\"schema\":\"embedsvc.policy/1\"} x", "parse.syntax", "");
}

static void test_duplicate_key_reported(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"id\":\"again\""), "parse.duplicate_key", "/id");
}

static void test_schema_must_be_policy_1(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "embedsvc.policy/1", "embedsvc.policy/2"), "parse.value", "/schema");
    LOAD_ERR(EDIT(base(), "embedsvc.policy/1", "embedsvc.project/1"), "parse.value", "/schema");
    LOAD_ERR(EDIT(base(), "embedsvc.policy/1", "embedsvc.policy/1 "), "parse.value", "/schema");
}

/* ---- value failures ---- */

static void test_scenario_code_pattern_both_sides(void **state)
{
    (void)state;
    static const char *const bad[] = {"\"\"", "\"Alpha\"", "\"al-pha\"", "\"alpha1\"", "\"al pha\"", "\"ａｌｐｈａ\"",
                                      "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" /* 33 */};
    for (size_t i = 0; i < ESV_ARRAY_LEN(bad); i++) {
        char to[64];
        snprintf(to, sizeof(to), "\"code\":%s", bad[i]);
        LOAD_ERR(EDIT(base(), "\"code\":\"alpha\"", to), "parse.value", "/scenarios/0/code");
    }
    const char *doc = EDIT(base(), "\"code\":\"alpha\"", "\"code\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_\""); /* 32 */
    embedsvc_policy *p = LOAD_OK(EDIT(doc, "\"scenario\":\"alpha\"", "\"scenario\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_\""));
    assert_string_equal(embedsvc_policy_scenario_name(p, 0, EMBEDSVC_NAME_CODE), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_");
    embedsvc_policy_free(p);
    p = LOAD_OK(EDIT(EDIT(base(), "\"code\":\"alpha\"", "\"code\":\"_\""), "\"scenario\":\"alpha\"", "\"scenario\":\"_\""));
    embedsvc_policy_free(p);
}

static void test_scenario_count_1_to_32(void **state)
{
    (void)state;
    LOAD_ERR(policy_with_scenarios(0), "parse.value", "/scenarios");
    embedsvc_policy *p = LOAD_OK(policy_with_scenarios(1));
    assert_int_equal(embedsvc_policy_scenario_count(p), 1);
    embedsvc_policy_free(p);
    p = LOAD_OK(policy_with_scenarios(32));
    assert_int_equal(embedsvc_policy_scenario_count(p), 32);
    assert_string_equal(embedsvc_policy_scenario_name(p, 31, EMBEDSVC_NAME_CODE), "sbf");
    embedsvc_policy_free(p);
    LOAD_ERR(policy_with_scenarios(33), "parse.value", "/scenarios");
}

static void test_scenario_without_allowed_class_is_invalid(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"allowed_classes\":[\"commercial\"]", "\"allowed_classes\":[]");
    embedsvc_error err = LOAD_INVALID(doc, "/scenarios/1/allowed_classes");
    assert_int_equal(err.offset, nth_offset(doc, "[]", 0));
}

static void test_allowed_classes_unknown_or_repeated(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "[\"commercial\"]", "[\"luxury\"]"), "parse.value", "/scenarios/1/allowed_classes/0");
    LOAD_ERR(EDIT(base(), "[\"commercial\"]", "[\"Commercial\"]"), "parse.value", "/scenarios/1/allowed_classes/0");
    LOAD_INVALID(EDIT(base(), "[\"commercial\"]", "[\"commercial\",\"便民商业类\"]"), "/scenarios/1/allowed_classes/1");
}

static void test_classes_must_be_exactly_the_three(void **state)
{
    (void)state;
    /* one missing */
    LOAD_INVALID(EDIT(base(), ",{\"code\":\"commercial\",\"name_zh\":\"商业\",\"name_en\":\"Commercial\",\"rate_bp\":0,"
                              "\"rate_is_max\":false}",
                      ""),
                 "/classes");
    /* one twice */
    LOAD_INVALID(EDIT(base(), "\"code\":\"commercial\",\"name_zh\":\"商业\"", "\"code\":\"basic_public\",\"name_zh\":\"商业\""),
                 "/classes/2/code");
    /* an unknown one */
    LOAD_ERR(EDIT(base(), "\"code\":\"commercial\",\"name_zh\":\"商业\"", "\"code\":\"premium\",\"name_zh\":\"商业\""),
             "parse.value", "/classes/2/code");
    /* none */
    const char *doc = EDIT(policy_without("classes"), "\"id\":\"test\"", "\"id\":\"test\",\"classes\":[]");
    LOAD_INVALID(doc, "/classes");
}

static void test_rate_bp_range_both_sides(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"rate_bp\":3000", "\"rate_bp\":-1"), "parse.value", "/classes/0/rate_bp");
    LOAD_ERR(EDIT(base(), "\"rate_bp\":3000", "\"rate_bp\":10001"), "parse.value", "/classes/0/rate_bp");
    LOAD_ERR(EDIT(base(), "\"rate_bp\":3000", "\"rate_bp\":3000.5"), "parse.value", "/classes/0/rate_bp");
    embedsvc_policy *p = LOAD_OK(EDIT(EDIT(base(), "\"rate_bp\":3000", "\"rate_bp\":10000"), "\"rate_bp\":2000", "\"rate_bp\":0"));
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_BASIC_PUBLIC), 10000);
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_INCLUSIVE), 0);
    embedsvc_policy_free(p);
}

static void test_item_with_unknown_scenario_is_invalid(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"scenario\":\"alpha\"", "\"scenario\":\"gamma\"");
    embedsvc_error err = LOAD_INVALID(doc, "/items/0/scenario");
    assert_int_equal(err.offset, nth_offset(doc, "\"gamma\"", 0));
    LOAD_INVALID(EDIT(base(), "\"scenario\":\"alpha\"", "\"scenario\":\"Alpha\""), "/items/0/scenario");
}

static void test_item_class_not_allowed_for_its_scenario_is_invalid(void **state)
{
    (void)state;
    LOAD_INVALID(EDIT(base(), "\"class\":\"basic_public\",\"scenario\":\"alpha\"", "\"class\":\"inclusive\",\"scenario\":\"beta\""),
                 "/items/0/class");
    /* an item with no scenario may have any class */
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "\"class\":\"commercial\",\"scenario\":null", "\"class\":\"inclusive\",\"scenario\":null"));
    embedsvc_policy_free(p);
}

static void test_term_shared_by_two_scenarios_reports_the_later(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "[\"乙乙\"]", "[\"甲甲\"]");
    embedsvc_error err = LOAD_INVALID(doc, "/scenarios/1/aliases/0");
    assert_int_equal(err.offset, nth_offset(doc, "\"甲甲\"", 1));
    assert_non_null(strstr(err.message, "甲甲"));
    /* the later term is the name of scenario 1 here */
    doc = EDIT(base(), "[\"甲甲\",\"甲别名\"]", "[\"甲甲\",\"乙场景\"]");
    LOAD_INVALID(doc, "/scenarios/1/name_zh");
    /* equal after normalisation: case, full width, spaces */
    LOAD_INVALID(EDIT(base(), "\"name_en\":\"Beta\"", "\"name_en\":\"ALPHA\""), "/scenarios/1/name_en");
    LOAD_INVALID(EDIT(base(), "[\"乙乙\"]", "[\"Ａｌ ｐｈａ\"]"), "/scenarios/1/aliases/0");
    LOAD_INVALID(EDIT(base(), "[\"乙乙\"]", "[\"甲\\u3000甲\"]"), "/scenarios/1/aliases/0");
    /* a scenario code equal to another scenario's alias */
    LOAD_INVALID(EDIT(base(), "[\"甲甲\",\"甲别名\"]", "[\"甲甲\",\"beta\"]"), "/scenarios/1/code");
}

static void test_item_term_equal_to_another_target_is_invalid(void **state)
{
    (void)state;
    /* an item of alpha with an alias of beta */
    const char *doc = EDIT(base(), "[\"丙丙\"]", "[\"乙乙\"]");
    embedsvc_error err = LOAD_INVALID(doc, "/items/0/aliases/0");
    assert_int_equal(err.offset, nth_offset(doc, "\"乙乙\"", 1));
    /* an item with no scenario and a scenario's term */
    LOAD_INVALID(EDIT(base(), "\"aliases\":[]}", "\"aliases\":[\"甲甲\"]}"), "/items/1/aliases/0");
    /* two items */
    LOAD_INVALID(EDIT(base(), "\"aliases\":[]}", "\"aliases\":[\"丙丙\"]}"), "/items/1/aliases/0");
    LOAD_INVALID(EDIT(base(), "\"name_zh\":\"丁项目\"", "\"name_zh\":\"丙项目\""), "/items/1/name_zh");
    LOAD_INVALID(EDIT(base(), "\"name_en\":\"Delta\"", "\"name_en\":\"gamma\""), "/items/1/name_en");
}

static void test_term_empty_after_normalisation_is_invalid(void **state)
{
    (void)state;
    LOAD_INVALID(EDIT(base(), "[\"甲甲\",", "[\"　\","), "/scenarios/0/aliases/0");
    LOAD_INVALID(EDIT(base(), "[\"甲甲\",", "[\" \\t\\r\\n\","), "/scenarios/0/aliases/0");
    LOAD_INVALID(EDIT(base(), "\"name_en\":\"Beta\"", "\"name_en\":\" \""), "/scenarios/1/name_en");
    LOAD_INVALID(EDIT(base(), "[\"丙丙\"]", "[\"丙丙\",\"\\u3000 \"]"), "/items/0/aliases/1");
    /* an empty string is refused as well */
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    const char *doc = EDIT(base(), "[\"甲甲\",", "[\"\",");
    assert_true(embedsvc_policy_load_buffer(doc, strlen(doc), NULL, &p, &err) < 0);
    assert_null(p);
    assert_string_equal(err.path, "/scenarios/0/aliases/0");
    /* NBSP is not white space: a term of one NBSP is not empty */
    p = LOAD_OK(EDIT(base(), "[\"甲甲\",", "[\"\\u00a0\","));
    embedsvc_policy_free(p);
}

static void test_preferred_severity_values(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"warning\"", "\"fatal\""), "parse.value", "/rules/preferred_severity");
    LOAD_ERR(EDIT(base(), "\"warning\"", "\"Warning\""), "parse.value", "/rules/preferred_severity");
    LOAD_ERR(EDIT(base(), "\"warning\"", "\"info\""), "parse.value", "/rules/preferred_severity");
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "\"warning\"", "\"off\""));
    assert_int_equal(rule(p, EMBEDSVC_RULE_PREFERRED_SEVERITY, 1), -1);
    embedsvc_policy_free(p);
    p = LOAD_OK(EDIT(base(), "\"warning\"", "\"error\""));
    assert_int_equal(rule(p, EMBEDSVC_RULE_PREFERRED_SEVERITY, 1), EMBEDSVC_SEVERITY_ERROR);
    embedsvc_policy_free(p);
}

static void test_rule_integer_ranges_both_sides(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "\"max_walk_minutes\":15", "\"max_walk_minutes\":1440"));
    assert_int_equal(rule(p, EMBEDSVC_RULE_MAX_WALK_MINUTES, 1), 1440);
    embedsvc_policy_free(p);
    /* 64 is in range, so it passes the parse check and fails the satisfiability check (2 scenarios) */
    LOAD_INVALID(EDIT(base(), "\"min_functions\":2", "\"min_functions\":64"), "/rules/min_functions");
    LOAD_ERR(EDIT(base(), "\"min_functions\":2", "\"min_functions\":65"), "parse.value", "/rules/min_functions");
    LOAD_ERR(EDIT(base(), "\"min_functions\":2", "\"min_functions\":-1"), "parse.value", "/rules/min_functions");
    LOAD_ERR(EDIT(base(), "\"min_functions\":2", "\"min_functions\":2.0"), "parse.value", "/rules/min_functions");
    LOAD_ERR(EDIT(base(), "\"min_core_functions\":1", "\"min_core_functions\":65"), "parse.value",
             "/rules/min_core_functions");
    LOAD_ERR(EDIT(base(), "\"max_walk_minutes\":15", "\"max_walk_minutes\":1441"), "parse.value",
             "/rules/max_walk_minutes");
}

static void test_subsidy_build_modes_values(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "[\"new\",\"renovation\"]", "[\"new\",\"rebuild\"]"), "parse.value",
             "/rules/subsidy_build_modes/1");
    LOAD_INVALID(EDIT(base(), "[\"new\",\"renovation\"]", "[\"new\",\"新建\"]"), "/rules/subsidy_build_modes/1");
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "[\"new\",\"renovation\"]", "[]"));
    assert_int_equal(rule(p, EMBEDSVC_RULE_SUBSIDY_BUILD_MODES, 1), 0);
    embedsvc_policy_free(p);
}

static void test_cap_fen_limit_both_sides(void **state)
{
    (void)state;
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":100000000000000"));
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), INT64_C(100000000000000));
    embedsvc_policy_free(p);
    p = LOAD_OK(EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":0"));
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), 0);
    embedsvc_policy_free(p);
    LOAD_ERR(EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":100000000000001"), "parse.value", "/subsidy/cap_fen");
    LOAD_ERR(EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":-1"), "parse.value", "/subsidy/cap_fen");
    LOAD_ERR(EDIT(base(), "\"cap_fen\":1000000", "\"cap_fen\":1e6"), "parse.value", "/subsidy/cap_fen");
}

static void test_cap_allocation_values(void **state)
{
    (void)state;
    LOAD_ERR(EDIT(base(), "\"basic_first\"", "\"even\""), "parse.value", "/subsidy/cap_allocation");
    LOAD_ERR(EDIT(base(), "\"basic_first\"", "\"Proportional\""), "parse.value", "/subsidy/cap_allocation");
    embedsvc_policy *p = LOAD_OK(EDIT(base(), "\"basic_first\"", "\"proportional\""));
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_PROPORTIONAL, 1), 1);
    embedsvc_policy_free(p);
}

static void test_effective_dates(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"id\":\"test\"",
                           "\"id\":\"test\",\"effective_from\":\"2024-02-29\",\"effective_to\":\"2026-12-31\"");
    embedsvc_policy *p = LOAD_OK(doc);
    assert_string_equal(embedsvc_policy_text(p, "effective_from"), "2024-02-29");
    assert_string_equal(embedsvc_policy_text(p, "effective_to"), "2026-12-31");
    embedsvc_policy_free(p);
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"effective_from\":\"2023-02-29\""), "parse.value",
             "/effective_from");
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"effective_to\":\"2025-13-01\""), "parse.value",
             "/effective_to");
    LOAD_ERR(EDIT(base(), "\"id\":\"test\"", "\"id\":\"test\",\"effective_to\":\"2025/01/01\""), "parse.value",
             "/effective_to");
}

/* ---- the order of defects ---- */

static void test_first_defect_in_document_order(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"min_functions\":2,", "\"min_functions\":2,\"x\":1,");
    doc = EDIT(doc, "\"cap_fen\":1000000", "\"cap_fen\":\"1\"");
    LOAD_ERR(doc, "parse.unknown_field", "/rules/x");
    /* a missing key is reported after the members of its object */
    LOAD_ERR(EDIT(policy_without("id"), "\"cap_fen\":1000000", "\"cap_fen\":true"), "parse.type", "/subsidy/cap_fen");
    /* a missing member before a later sibling's type error */
    doc = EDIT(base(), "\"code\":\"alpha\",", "");
    LOAD_ERR(EDIT(doc, "\"preferred\":false", "\"preferred\":0"), "parse.missing_field", "/scenarios/0/code");
}

static void test_parse_errors_come_before_consistency_errors(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "\"allowed_classes\":[\"commercial\"]", "\"allowed_classes\":[]");
    LOAD_ERR(EDIT(doc, "\"min_functions\":2", "\"min_functions\":\"2\""), "parse.type", "/rules/min_functions");
    doc = EDIT(base(), "[\"乙乙\"]", "[\"甲甲\"]");
    LOAD_ERR(EDIT(doc, "\"cap_allocation\":\"basic_first\"", "\"cap_allocation\":1"), "parse.type",
             "/subsidy/cap_allocation");
}

/* reference §8/§10: policy.invalid is for a policy "that parses but is inconsistent"; a class listed twice
 * in allowed_classes must not hide a later type error. */
static void test_repeated_allowed_class_does_not_hide_a_later_type_error(void **state)
{
    (void)state;
    const char *doc = EDIT(base(), "[\"commercial\"]", "[\"commercial\",\"commercial\"]");
    LOAD_ERR(EDIT(doc, "\"min_functions\":2", "\"min_functions\":\"2\""), "parse.type", "/rules/min_functions");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocator_size_is_checked_and_init_macro_works),
        cmocka_unit_test(test_min_functions_above_the_scenarios_is_invalid),
        cmocka_unit_test(test_min_core_functions_above_the_core_scenarios_is_invalid),
        cmocka_unit_test(test_core_minimum_without_a_core_scenario_is_invalid),
        cmocka_unit_test(test_effective_from_after_effective_to_is_invalid),
        cmocka_unit_test(test_non_service_terms_load_and_are_listed),
        cmocka_unit_test(test_non_service_term_equal_to_a_target_term_is_invalid),
        cmocka_unit_test(test_non_service_terms_round_trip_after_items),
        cmocka_unit_test(test_default_policy_loads_with_identity),
        cmocka_unit_test(test_default_policy_has_the_nine_scenarios_of_spec),
        cmocka_unit_test(test_default_policy_scenario_find_is_exact),
        cmocka_unit_test(test_default_policy_has_the_items_of_spec),
        cmocka_unit_test(test_default_policy_classes_and_rates),
        cmocka_unit_test(test_default_policy_rules_and_cap),
        cmocka_unit_test(test_default_json_is_the_shipped_file),
        cmocka_unit_test(test_default_equals_the_shipped_file_loaded),
        cmocka_unit_test(test_to_json_of_default_reloads_equal_and_is_stable),
        cmocka_unit_test(test_to_json_round_trips_nulls_dates_and_escapes),
        cmocka_unit_test(test_to_json_works_like_snprintf),
        cmocka_unit_test(test_alternative_policies_load_with_their_numbers),
        cmocka_unit_test(test_load_file_missing_is_eio),
        cmocka_unit_test(test_load_rejects_bad_arguments),
        cmocka_unit_test(test_base_policy_loads),
        cmocka_unit_test(test_optional_keys_may_be_absent),
        cmocka_unit_test(test_nullable_rules_load_as_absent),
        cmocka_unit_test(test_item_may_share_a_term_with_its_own_scenario),
        cmocka_unit_test(test_scenario_may_repeat_its_own_term),
        cmocka_unit_test(test_unknown_fields_at_every_level),
        cmocka_unit_test(test_missing_required_top_level_keys),
        cmocka_unit_test(test_missing_rules_and_subsidy_members),
        cmocka_unit_test(test_missing_scenario_class_and_item_members),
        cmocka_unit_test(test_missing_item_scenario_is_missing_field),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_null_where_not_allowed_is_type_error),
        cmocka_unit_test(test_malformed_json_is_syntax_error_with_position),
        cmocka_unit_test(test_duplicate_key_reported),
        cmocka_unit_test(test_schema_must_be_policy_1),
        cmocka_unit_test(test_scenario_code_pattern_both_sides),
        cmocka_unit_test(test_scenario_count_1_to_32),
        cmocka_unit_test(test_scenario_without_allowed_class_is_invalid),
        cmocka_unit_test(test_allowed_classes_unknown_or_repeated),
        cmocka_unit_test(test_classes_must_be_exactly_the_three),
        cmocka_unit_test(test_rate_bp_range_both_sides),
        cmocka_unit_test(test_item_with_unknown_scenario_is_invalid),
        cmocka_unit_test(test_item_class_not_allowed_for_its_scenario_is_invalid),
        cmocka_unit_test(test_term_shared_by_two_scenarios_reports_the_later),
        cmocka_unit_test(test_item_term_equal_to_another_target_is_invalid),
        cmocka_unit_test(test_term_empty_after_normalisation_is_invalid),
        cmocka_unit_test(test_preferred_severity_values),
        cmocka_unit_test(test_rule_integer_ranges_both_sides),
        cmocka_unit_test(test_subsidy_build_modes_values),
        cmocka_unit_test(test_cap_fen_limit_both_sides),
        cmocka_unit_test(test_cap_allocation_values),
        cmocka_unit_test(test_effective_dates),
        cmocka_unit_test(test_first_defect_in_document_order),
        cmocka_unit_test(test_parse_errors_come_before_consistency_errors),
        cmocka_unit_test(test_repeated_allowed_class_does_not_hide_a_later_type_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
