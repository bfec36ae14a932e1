/* Tests of results (lib/result.c, lib/messages.c, reference §6 and §10): the JSON writer's key order,
 * compactness and determinism, agreement with the accessors, the messages of every finding, and
 * that a reused result object (its memo, lib/memo.c) writes what a fresh one writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "memo.h"

static embedsvc_policy *g_default;
static embedsvc_policy *g_dated;  /* the default with effective_from 2024-01-01 */
static embedsvc_policy *g_strict; /* the default with 9 functions and 4 core ones required */
static embedsvc_project *g_project;
static embedsvc_result *g_result;
static esv_json *g_reader;

#define PROJECT_MODE(mode, total, extra, functions)                                                                   \
    "{\"id\":\"R-1\",\"build_mode\":\"" mode "\",\"total_investment\":\"" total "\"," extra "\"functions\":["         \
    functions "]}"
#define PROJECT(total, extra, functions) PROJECT_MODE("new", total, extra, functions)
#define F(scenario, cls, inv)                                                                                          \
    "{\"scenario\":\"" scenario "\",\"service_class\":\"" cls "\",\"investment\":\"" inv "\"}"
#define ELDERLY(inv) F("elderly_care", "basic_public", inv)
#define INFANT(inv) F("infant_care", "inclusive", inv)
#define MEALS(inv) F("community_meals", "commercial", inv)
#define CHILD(inv) F("child_care", "commercial", inv)
#define HEALTH(inv) F("health", "basic_public", inv)

/* Fourteen of the seventeen findings. */
static const char many_findings[] = PROJECT_MODE(
    "other", "1", "\"inclusive_rate\":\"0.35\",\"walk_minutes\":20,",
    "{\"item\":\"不存在的项目\",\"investment\":\"1\"},"
    "{\"scenario\":\"elderly_care\",\"item\":\"公共卫生\",\"service_class\":\"inclusive\",\"investment\":\"1\"},"
    "{\"label\":\"托育园\",\"investment\":\"1\"}," HEALTH("1") ","
    "{\"scenario\":\"health\",\"service_class\":\"commercial\",\"investment\":\"1\"},"
    "{\"scenario\":\"housekeeping\",\"service_class\":\"inclusive\",\"investment\":\"1\"}");

/* An eligible project over the cap, applied for before the policy of g_dated. */
static const char capped_late[] = PROJECT(
    "200000002", "\"walk_minutes\":16,\"application_date\":\"2023-06-30\",",
    CHILD("1") ",{\"label\":\"小饭桌\",\"investment\":\"1\"}," MEALS("0") "," HEALTH("200000000"));

/* investment.split_incomplete. */
static const char incomplete[] =
    PROJECT("300", "", ELDERLY("100") ",{\"scenario\":\"community_meals\",\"floor_area_m2\":1}," INFANT("100"));

/* The reference §5 example (without a stage, so the result is exactly reference §6). */
static const char spec_example[] =
    "{\"id\":\"BJ-2025-HD-0001\",\"build_mode\":\"renovation\",\"total_investment\":\"12000000.00\","
    "\"inclusive_rate\":\"0.25\",\"walk_minutes\":12,\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"item\":\"养老助老\",\"label\":\"养老服务驿站\","
    "\"floor_area_m2\":400,\"investment\":\"4800000\"},"
    "{\"scenario\":\"社区助餐\",\"floor_area_m2\":200,\"investment\":\"2400000\"},"
    "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"floor_area_m2\":400,\"investment\":\"4800000\"}]}";

/* The canonical JSON of the default policy with one edit, loaded. */
static embedsvc_policy *edited_default(const char *from, const char *to)
{
    static char buf[32768], edited[32768];
    size_t n = 0;
    if (embedsvc_policy_to_json(g_default, buf, sizeof(buf), &n) != EMBEDSVC_OK)
        return NULL;
    char *at = strstr(buf, from);
    if (!at)
        return NULL;
    size_t head = (size_t)(at - buf);
    memcpy(edited, buf, head);
    strcpy(edited + head, to);
    strcat(edited, at + strlen(from));
    embedsvc_policy *p = NULL;
    return embedsvc_policy_load_buffer(edited, strlen(edited), NULL, &p, NULL) == EMBEDSVC_OK ? p : NULL;
}

static int group_setup(void **state)
{
    (void)state;
    if (embedsvc_policy_default(NULL, &g_default, NULL) != EMBEDSVC_OK)
        return -1;
    g_dated = edited_default("\"effective_from\": null", "\"effective_from\": \"2024-01-01\"");
    g_strict = edited_default("\"min_functions\": 3,\n    \"min_core_functions\": 2",
                              "\"min_functions\": 9,\n    \"min_core_functions\": 4");
    if (!g_dated || !g_strict)
        return -1;
    if (embedsvc_project_new(NULL, &g_project) != EMBEDSVC_OK || embedsvc_result_new(NULL, &g_result) != EMBEDSVC_OK)
        return -1;
    g_reader = esv_json_new(NULL);
    return g_reader ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    esv_json_free(g_reader);
    embedsvc_result_free(g_result);
    embedsvc_project_free(g_project);
    embedsvc_policy_free(g_strict);
    embedsvc_policy_free(g_dated);
    embedsvc_policy_free(g_default);
    return 0;
}

/* ---- helpers ---- */

static embedsvc_result *eval_into(embedsvc_result *r, const embedsvc_policy *p, const char *doc)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_project_parse(g_project, doc, strlen(doc), &err) != EMBEDSVC_OK)
        fail_msg("parse: %s at %s: %s", err.code, err.path, err.message);
    if (embedsvc_evaluate(p, g_project, r, &err) != EMBEDSVC_OK)
        fail_msg("evaluate: %s: %s", err.code, err.message);
    return r;
}

static embedsvc_result *eval(const embedsvc_policy *p, const char *doc)
{
    return eval_into(g_result, p, doc);
}

static const char *to_json(embedsvc_result *r, size_t *len)
{
    const char *json = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_result_to_json(r, &json, len, &err), EMBEDSVC_OK);
    assert_non_null(json);
    return json;
}

static const esv_jval *read_json(const char *json, size_t len)
{
    const esv_jval *root = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (esv_json_parse(g_reader, json, len, &root, &err) != EMBEDSVC_OK)
        fail_msg("result JSON does not read back: %s at %u:%u: %s", err.code, err.line, err.column, err.message);
    return root;
}

static void expect_keys_at(const esv_jval *obj, const char *const *keys, size_t n, const char *file, int line)
{
    _assert_true(obj != NULL && obj->type == ESV_JOBJECT, "an object", file, line);
    size_t i = 0;
    for (const esv_jval *m = obj->child; m; m = m->next, i++) {
        if (i >= n || strcmp(m->key, keys[i]) != 0)
            print_error("%s:%d: key %zu is \"%s\", want \"%s\"\n", file, line, i, m->key, i < n ? keys[i] : "(end)");
        _assert_true(i < n, "no extra key", file, line);
        _assert_string_equal(m->key, keys[i], file, line);
    }
    _assert_int_equal(i, n, file, line);
}

#define EXPECT_KEYS(obj, ...)                                                                                          \
    do {                                                                                                               \
        static const char *const keys_[] = {__VA_ARGS__};                                                             \
        expect_keys_at((obj), keys_, sizeof(keys_) / sizeof(keys_[0]), __FILE__, __LINE__);                            \
    } while (0)

static const esv_jval *get(const esv_jval *obj, const char *key)
{
    const esv_jval *v = esv_json_get(obj, key);
    if (!v)
        fail_msg("no member \"%s\"", key);
    return v;
}

static const esv_jval *at(const esv_jval *arr, size_t i)
{
    assert_int_equal(arr->type, ESV_JARRAY);
    const esv_jval *e = arr->child;
    for (size_t k = 0; k < i && e; k++)
        e = e->next;
    assert_non_null(e);
    return e;
}

/* A JSON number member as int64 (exact: the token is parsed as an integer). */
static int64_t int_of(const esv_jval *v)
{
    assert_int_equal(v->type, ESV_JNUMBER);
    int64_t out = 0;
    assert_true(esv_integer_parse(v->str, v->len, INT64_MIN + 1, INT64_MAX, &out));
    return out;
}

static bool is_null(const esv_jval *v)
{
    return v->type == ESV_JNULL;
}

static int bool_of(const esv_jval *v)
{
    assert_true(v->type == ESV_JTRUE || v->type == ESV_JFALSE);
    return v->type == ESV_JTRUE;
}

static void expect_str(const esv_jval *v, const char *want)
{
    if (!want) {
        assert_true(is_null(v));
        return;
    }
    assert_int_equal(v->type, ESV_JSTRING);
    assert_string_equal(v->str, want);
}

static char *message(const embedsvc_result *r, size_t i, const char *lang)
{
    int n = embedsvc_result_finding_message(r, i, lang, NULL, 0);
    assert_true(n > 0);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(embedsvc_result_finding_message(r, i, lang, buf, (size_t)n + 1), n);
    assert_int_equal(strlen(buf), (size_t)n);
    return buf;
}

static size_t find_code(const embedsvc_result *r, const char *code)
{
    for (size_t i = 0; i < embedsvc_result_finding_count(r); i++)
        if (strcmp(embedsvc_result_finding_code(r, i), code) == 0)
            return i;
    fail_msg("no finding %s", code);
    return 0;
}

static bool contains_all(const char *hay, const char *const *needles)
{
    for (; *needles; needles++)
        if (!strstr(hay, *needles))
            return false;
    return true;
}

static void expect_mentions_at(const embedsvc_result *r, const char *code, const char *const *zh,
                               const char *const *en, const char *file, int line)
{
    size_t i = find_code(r, code);
    char *mz = message(r, i, "zh"), *me = message(r, i, "en");
    bool ok = contains_all(mz, zh) && contains_all(me, en);
    if (!ok)
        print_error("%s:%d: %s:\n  zh: %s\n  en: %s\n", file, line, code, mz, me);
    free(mz);
    free(me);
    _assert_true(ok, "the messages mention the figures", file, line);
}

#define MENTIONS(r, code, zh, en)                                                                                      \
    do {                                                                                                               \
        static const char *const zh_[] = {zh, NULL};                                                                   \
        static const char *const en_[] = {en, NULL};                                                                   \
        expect_mentions_at((r), (code), zh_, en_, __FILE__, __LINE__);                                                 \
    } while (0)
#define L(...) __VA_ARGS__

/* ---- key order (reference §6) ---- */

static void expect_result_shape(embedsvc_result *r)
{
    size_t len = 0;
    const char *json = to_json(r, &len);
    const esv_jval *root = read_json(json, len);
    EXPECT_KEYS(root, "schema", "project_id", "policy", "engine", "eligible", "subsidy_eligible", "counts", "functions",
                "subsidy", "checks", "findings");
    EXPECT_KEYS(get(root, "policy"), "id", "version");
    EXPECT_KEYS(get(root, "counts"), "functions", "valid_functions", "distinct_scenarios", "core_scenarios",
                "preferred_scenarios");
    const esv_jval *functions = get(root, "functions");
    assert_true(functions->len > 0);
    for (const esv_jval *f = functions->child; f; f = f->next)
        EXPECT_KEYS(f, "index", "scenario", "service_class", "investment_fen", "subsidy_fen");
    const esv_jval *subsidy = get(root, "subsidy");
    EXPECT_KEYS(subsidy, "basic_public", "inclusive", "commercial", "uncapped_fen", "cap_fen", "capped",
                "cap_headroom_fen", "total_fen");
    for (const esv_jval *c = subsidy->child; c && c->type == ESV_JOBJECT; c = c->next)
        EXPECT_KEYS(c, "base_fen", "rate_bp", "amount_fen");
    const esv_jval *checks = get(root, "checks");
    assert_int_equal(checks->len, 7);
    for (const esv_jval *c = checks->child; c; c = c->next)
        EXPECT_KEYS(c, "rule", "passed", "value", "threshold", "cite");
    static const char *const rules[] = {"min_functions",  "min_core_functions", "preferred_function", "investment_split",
                                        "inclusive_rate", "subsidy_build_mode", "max_walk_minutes"};
    for (size_t i = 0; i < 7; i++)
        expect_str(get(at(checks, i), "rule"), rules[i]);
    const esv_jval *findings = get(root, "findings");
    for (const esv_jval *f = findings->child; f; f = f->next)
        EXPECT_KEYS(f, "code", "severity", "function", "cite", "message_zh", "message_en");
}

static void test_key_order_at_every_level(void **state)
{
    (void)state;
    expect_result_shape(eval(g_default, many_findings));
    expect_result_shape(eval(g_dated, capped_late));
    expect_result_shape(eval(g_default, spec_example));
}

static void test_fixed_values_of_the_header(void **state)
{
    (void)state;
    size_t len;
    const char *json = to_json(eval(g_default, spec_example), &len);
    const esv_jval *root = read_json(json, len);
    expect_str(get(root, "schema"), "embedsvc.result/1");
    expect_str(get(root, "project_id"), "BJ-2025-HD-0001");
    expect_str(get(get(root, "policy"), "id"), "beijing-2024-trial");
    expect_str(get(get(root, "policy"), "version"), "1");
    expect_str(get(root, "engine"), "libembedsvc " EMBEDSVC_VERSION_STRING);
    static const char prefix[] = "{\"schema\":\"embedsvc.result/1\",\"project_id\":\"BJ-2025-HD-0001\",\"policy\":{";
    assert_memory_equal(json, prefix, sizeof(prefix) - 1);
}

static void test_spec_example_figures(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, spec_example);
    size_t len;
    const char *json = to_json(r, &len);
    assert_non_null(strstr(json, "\"functions\":[{\"index\":0,\"scenario\":\"elderly_care\",\"service_class\":"
                                 "\"basic_public\",\"investment_fen\":480000000,\"subsidy_fen\":144000000}"));
    assert_non_null(strstr(json, "\"subsidy\":{\"basic_public\":{\"base_fen\":480000000,\"rate_bp\":3000,\"amount_fen\":"
                                 "144000000},\"inclusive\":{\"base_fen\":480000000,\"rate_bp\":2500,\"amount_fen\":"
                                 "120000000},\"commercial\":{\"base_fen\":240000000,\"rate_bp\":0,\"amount_fen\":0},"
                                 "\"uncapped_fen\":264000000,\"cap_fen\":5000000000,\"capped\":false,"
                                 "\"cap_headroom_fen\":4736000000,\"total_fen\":264000000}"));
    assert_non_null(strstr(json, "{\"rule\":\"min_functions\",\"passed\":true,\"value\":3,\"threshold\":3,"
                                 "\"cite\":\"四、1\"}"));
    assert_non_null(strstr(json, "{\"rule\":\"subsidy_build_mode\",\"passed\":true,\"value\":\"renovation\","
                                 "\"threshold\":null,\"cite\":\"三、(二)\"}"));
    assert_non_null(strstr(json, "{\"rule\":\"investment_split\",\"passed\":true,\"value\":null,\"threshold\":null,"
                                 "\"cite\":\"三、(二)\"}"));
    assert_non_null(strstr(json, "\"findings\":[{\"code\":\"function.scenario_inferred\",\"severity\":\"info\","
                                 "\"function\":2,\"cite\":\"四、1\",\"message_zh\":\""));
}

/* ---- compact, deterministic, readable ---- */

static void assert_compact(const char *json, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if ((unsigned char)c < 0x20)
            fail_msg("control byte 0x%02x at %zu", (unsigned)(unsigned char)c, i);
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ' ') {
            fail_msg("a space outside strings at %zu: ...%.20s", i, json + (i > 20 ? i - 20 : 0));
        }
    }
    assert_false(in_string);
    assert_int_equal(json[len], '\0');
    assert_int_equal(strlen(json), len);
}

static void test_json_is_compact_one_line(void **state)
{
    (void)state;
    size_t len;
    const char *json = to_json(eval(g_default, many_findings), &len);
    assert_compact(json, len);
    json = to_json(eval(g_dated, capped_late), &len);
    assert_compact(json, len);
}

static char *copy_json(embedsvc_result *r)
{
    size_t len;
    const char *json = to_json(r, &len);
    char *c = malloc(len + 1);
    assert_non_null(c);
    memcpy(c, json, len + 1);
    return c;
}

static void test_json_is_deterministic(void **state)
{
    (void)state;
    char *a = copy_json(eval(g_default, many_findings));
    char *b = copy_json(g_result); /* written twice from the same result */
    assert_string_equal(a, b);
    embedsvc_result *other = NULL;
    assert_int_equal(embedsvc_result_new(NULL, &other), EMBEDSVC_OK);
    char *c = copy_json(eval_into(other, g_default, many_findings)); /* another result object */
    assert_string_equal(a, c);
    eval(g_default, spec_example);
    char *d = copy_json(eval(g_default, many_findings)); /* after evaluating something else */
    assert_string_equal(a, d);
    embedsvc_result_free(other);
    free(a);
    free(b);
    free(c);
    free(d);
}

static void test_project_id_is_escaped_and_reads_back(void **state)
{
    (void)state;
    static const char doc[] = "{\"id\":\"q\\\"b\\\\s/\\u00e9\",\"build_mode\":\"new\",\"total_investment\":\"0\","
                              "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\"}]}";
    embedsvc_result *r = eval(g_default, doc);
    assert_string_equal(embedsvc_result_project_id(r), "q\"b\\s/\xc3\xa9");
    size_t len;
    const char *json = to_json(r, &len);
    expect_str(get(read_json(json, len), "project_id"), "q\"b\\s/\xc3\xa9");
}

static void test_texts_with_control_characters_are_escaped(void **state)
{
    (void)state;
    /* an unknown item quoted in the messages */
    static const char doc[] = PROJECT("300", "", F("elderly_care", "basic_public", "100") "," MEALS("100") ","
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"item\":\"a\\tb\\u0001\\\"c\",\"investment\":\"100\"}");
    embedsvc_result *r = eval(g_default, doc);
    size_t len;
    const char *json = to_json(r, &len);
    assert_compact(json, len);
    const esv_jval *root = read_json(json, len);
    const esv_jval *f = at(get(root, "findings"), 0);
    expect_str(get(f, "code"), "function.item_unknown");
    assert_non_null(strstr(get(f, "message_en")->str, "a\tb\x01\"c"));
}

/* ---- the JSON agrees with the accessors ---- */

static void assert_json_agrees(embedsvc_result *r)
{
    size_t len;
    const char *json = to_json(r, &len);
    const esv_jval *root = read_json(json, len);
    expect_str(get(root, "project_id"), embedsvc_result_project_id(r));
    assert_int_equal(bool_of(get(root, "eligible")), embedsvc_result_eligible(r));
    assert_int_equal(bool_of(get(root, "subsidy_eligible")), embedsvc_result_subsidy_eligible(r));
    static const char *const counts[] = {"functions", "valid_functions", "distinct_scenarios", "core_scenarios",
                                         "preferred_scenarios"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(int_of(get(get(root, "counts"), counts[i])), embedsvc_result_count(r, (embedsvc_count)i));
    const esv_jval *functions = get(root, "functions");
    assert_int_equal(functions->len, (size_t)embedsvc_result_count(r, EMBEDSVC_COUNT_FUNCTIONS));
    for (size_t i = 0; i < functions->len; i++) {
        const esv_jval *f = at(functions, i);
        assert_int_equal(int_of(get(f, "index")), (int64_t)i);
        int s = embedsvc_result_function_scenario(r, i);
        expect_str(get(f, "scenario"), s >= 0 ? embedsvc_policy_scenario_name(g_default, (size_t)s, EMBEDSVC_NAME_CODE)
                                              : NULL);
        embedsvc_class c = embedsvc_result_function_class(r, i);
        expect_str(get(f, "service_class"), c >= 0 ? embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c) : NULL);
        assert_int_equal(int_of(get(f, "investment_fen")), embedsvc_result_function_investment_fen(r, i));
        assert_int_equal(int_of(get(f, "subsidy_fen")), embedsvc_result_function_subsidy_fen(r, i));
    }
    const esv_jval *subsidy = get(root, "subsidy");
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        const esv_jval *o = get(subsidy, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c));
        assert_int_equal(int_of(get(o, "base_fen")), embedsvc_result_class_base_fen(r, (embedsvc_class)c));
        assert_int_equal(int_of(get(o, "rate_bp")), embedsvc_result_class_rate_bp(r, (embedsvc_class)c));
        assert_int_equal(int_of(get(o, "amount_fen")), embedsvc_result_class_amount_fen(r, (embedsvc_class)c));
    }
    assert_int_equal(int_of(get(subsidy, "uncapped_fen")), embedsvc_result_uncapped_fen(r));
    int64_t v = 0;
    if (embedsvc_result_cap_fen(r, &v))
        assert_int_equal(int_of(get(subsidy, "cap_fen")), v);
    else
        assert_true(is_null(get(subsidy, "cap_fen")));
    assert_int_equal(bool_of(get(subsidy, "capped")), embedsvc_result_capped(r));
    if (embedsvc_result_cap_headroom_fen(r, &v))
        assert_int_equal(int_of(get(subsidy, "cap_headroom_fen")), v);
    else
        assert_true(is_null(get(subsidy, "cap_headroom_fen")));
    assert_int_equal(int_of(get(subsidy, "total_fen")), embedsvc_result_total_fen(r));
    const esv_jval *checks = get(root, "checks");
    assert_int_equal(checks->len, embedsvc_result_check_count(r));
    for (size_t i = 0; i < checks->len; i++) {
        const esv_jval *c = at(checks, i);
        expect_str(get(c, "rule"), embedsvc_result_check_rule(r, i));
        int passed = embedsvc_result_check_passed(r, i);
        if (passed < 0)
            assert_true(is_null(get(c, "passed")));
        else
            assert_int_equal(bool_of(get(c, "passed")), passed);
        int64_t num = 0;
        const char *text = NULL;
        int kind = embedsvc_result_check_value(r, i, &num, &text);
        if (kind == 1)
            assert_int_equal(int_of(get(c, "value")), num);
        else if (kind == 2)
            expect_str(get(c, "value"), text);
        else
            assert_true(is_null(get(c, "value")));
        if (embedsvc_result_check_threshold(r, i, &num) == 1)
            assert_int_equal(int_of(get(c, "threshold")), num);
        else
            assert_true(is_null(get(c, "threshold")));
        expect_str(get(c, "cite"), embedsvc_result_check_cite(r, i));
    }
    const esv_jval *findings = get(root, "findings");
    assert_int_equal(findings->len, embedsvc_result_finding_count(r));
    for (size_t i = 0; i < findings->len; i++) {
        const esv_jval *f = at(findings, i);
        expect_str(get(f, "code"), embedsvc_result_finding_code(r, i));
        expect_str(get(f, "severity"), embedsvc_enum_code(EMBEDSVC_ENUM_SEVERITY, embedsvc_result_finding_severity(r, i)));
        int fn = embedsvc_result_finding_function(r, i);
        if (fn < 0)
            assert_true(is_null(get(f, "function")));
        else
            assert_int_equal(int_of(get(f, "function")), fn);
        expect_str(get(f, "cite"), embedsvc_result_finding_cite(r, i));
        char *zh = message(r, i, "zh"), *en = message(r, i, "en");
        expect_str(get(f, "message_zh"), zh);
        expect_str(get(f, "message_en"), en);
        free(zh);
        free(en);
    }
}

static void test_json_agrees_with_the_accessors(void **state)
{
    (void)state;
    assert_json_agrees(eval(g_default, many_findings));
    assert_json_agrees(eval(g_dated, capped_late));
    assert_json_agrees(eval(g_default, incomplete));
    assert_json_agrees(eval(g_default, spec_example));
}

/* A message that quotes a long label goes over the 4096-byte string limit: the result JSON, written
 * straight into the output, cuts it exactly as the accessor does (at a character, with "…"),
 * escapes and all. */
static void test_long_messages_are_cut_alike_in_json_and_accessors(void **state)
{
    (void)state;
    for (int variant = 0; variant < 3; variant++) {
        /* a label of 4,000 to 4,090 bytes: ASCII with escaped quotes and tabs, or CJK (escaped) */
        char label[16384];
        size_t n = 0, bytes = 0, target = 4000 + 45 * (size_t)variant;
        while (bytes < target) {
            if (variant == 2) {
                memcpy(label + n, "\\u6c49", 6); /* 汉: 3 bytes of label */
                n += 6;
                bytes += 3;
            } else if (bytes % 97 == 96) {
                memcpy(label + n, bytes % 2 ? "\\\"" : "\\t", 2);
                n += 2;
                bytes++;
            } else {
                label[n++] = 'q';
                bytes++;
            }
        }
        label[n] = '\0';
        char doc[32768];
        snprintf(doc, sizeof(doc),
                 PROJECT("300", "", ELDERLY("100") ",{\"label\":\"%s\",\"investment\":\"100\"}," INFANT("100")), label);
        embedsvc_result *r = eval(g_default, doc);
        bool long_one = false;
        for (size_t i = 0; i < embedsvc_result_finding_count(r); i++)
            long_one |= embedsvc_result_finding_message(r, i, "en", NULL, 0) > 4000;
        assert_true(long_one);
        assert_json_agrees(r);
    }
}

static void test_no_cap_is_null_in_json(void **state)
{
    (void)state;
    static char buf[32768];
    size_t n;
    assert_int_equal(embedsvc_policy_to_json(g_default, buf, sizeof(buf), &n), EMBEDSVC_OK);
    char *at_cap = strstr(buf, "\"cap_fen\": 5000000000");
    assert_non_null(at_cap);
    memcpy(at_cap, "\"cap_fen\": null      ", 21);
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_load_buffer(buf, strlen(buf), NULL, &p, NULL), EMBEDSVC_OK);
    embedsvc_result *r = eval(p, spec_example);
    size_t len;
    const char *json = to_json(r, &len);
    assert_non_null(strstr(json, "\"cap_fen\":null,\"capped\":false,\"cap_headroom_fen\":null,"));
    assert_json_agrees(r);
    embedsvc_policy_free(p);
}

/* ---- findings: the complete set, cites and messages ---- */

static const struct {
    const char *code, *cite;
} spec_codes[] = {
    {"function.item_unknown", "四、1"},          {"function.scenario_unknown", "四、1"},
    {"function.scenario_inferred", "四、1"},     {"function.item_conflict", "四、1"},
    {"function.class_missing", "四、1"},         {"function.class_not_allowed", "四、1"},
    {"function.duplicate_scenario", "四、1"},    {"project.too_few_functions", "四、1"},
    {"project.too_few_core_functions", "四、1"}, {"project.no_preferred_function", "四、1"},
    {"investment.split_incomplete", "三、(二)"}, {"investment.split_mismatch", "三、(二)"},
    {"subsidy.rate_above_max", "三、(二)"},      {"subsidy.build_mode_ineligible", "三、(二)"},
    {"site.walk_too_far", "三、(一)"},           {"subsidy.capped", "三、(二)"},
    {"policy.not_in_force", NULL},
};

static void test_every_finding_code_has_cite_and_both_messages(void **state)
{
    (void)state;
    bool seen[sizeof(spec_codes) / sizeof(spec_codes[0])] = {false};
    const struct {
        const embedsvc_policy *p;
        const char *doc;
    } docs[] = {{g_default, many_findings}, {g_dated, capped_late}, {g_default, incomplete}};
    for (size_t d = 0; d < 3; d++) {
        embedsvc_result *r = eval(docs[d].p, docs[d].doc);
        for (size_t i = 0; i < embedsvc_result_finding_count(r); i++) {
            const char *code = embedsvc_result_finding_code(r, i);
            size_t k = 0;
            while (k < sizeof(spec_codes) / sizeof(spec_codes[0]) && strcmp(spec_codes[k].code, code) != 0)
                k++;
            if (k == sizeof(spec_codes) / sizeof(spec_codes[0]))
                fail_msg("finding %s is not in reference §10", code);
            seen[k] = true;
            const char *cite = embedsvc_result_finding_cite(r, i);
            if (spec_codes[k].cite)
                assert_string_equal(cite, spec_codes[k].cite);
            else
                assert_null(cite);
            char *zh = message(r, i, "zh"), *en = message(r, i, "en");
            assert_int_equal(esv_utf8_valid_prefix(zh, strlen(zh)), strlen(zh));
            assert_int_equal(esv_utf8_valid_prefix(en, strlen(en)), strlen(en));
            bool zh_has_cjk = false;
            for (const char *s = zh; *s; s++)
                zh_has_cjk |= (unsigned char)*s >= 0xE4;
            assert_true(zh_has_cjk);
            assert_true(strcmp(zh, en) != 0);
            free(zh);
            free(en);
        }
    }
    for (size_t k = 0; k < sizeof(spec_codes) / sizeof(spec_codes[0]); k++)
        if (!seen[k])
            fail_msg("%s was not produced", spec_codes[k].code);
}

static void test_not_in_force_cite_is_null_in_json(void **state)
{
    (void)state;
    size_t len;
    const char *json = to_json(eval(g_dated, capped_late), &len);
    assert_non_null(strstr(json, "{\"code\":\"policy.not_in_force\",\"severity\":\"warning\",\"function\":null,"
                                 "\"cite\":null,\"message_zh\":"));
}

static void test_messages_mention_the_amounts_in_yuan(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, PROJECT("1234.55", "", ELDERLY("1000") "," MEALS("200") "," INFANT("34.56")));
    MENTIONS(r, "investment.split_mismatch", L("1,234.56", "1,234.55"), L("1,234.56", "1,234.55"));
    r = eval(g_default, PROJECT("210000000", "", ELDERLY("200000000") "," INFANT("10000000") "," MEALS("0")));
    MENTIONS(r, "subsidy.capped", L("63,000,000.00", "50,000,000.00"), L("63,000,000.00", "50,000,000.00"));
    r = eval(g_default, PROJECT("0.01", "", ELDERLY("0.02") "," MEALS("0") "," INFANT("0")));
    MENTIONS(r, "investment.split_mismatch", L("0.02", "0.01"), L("0.02 yuan", "0.01 yuan"));
}

/* Seven scenarios, three of them core, against a policy requiring nine and four. */
static const char seven_scenarios[] = PROJECT(
    "700", "\"walk_minutes\":20,",
    ELDERLY("100") "," INFANT("100") "," CHILD("100") "," F("housekeeping", "commercial", "100") "," HEALTH("100") ","
    F("sports_fitness", "basic_public", "100") "," F("culture_leisure", "basic_public", "100"));

static void test_messages_mention_counts_rates_and_minutes(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_strict, seven_scenarios);
    MENTIONS(r, "project.too_few_functions", L("7", "9"), L("7", "9"));
    MENTIONS(r, "project.too_few_core_functions", L("3", "4", "养老服务", "社区助餐"), L("3", "4", "Elderly care", "Community meals"));
    MENTIONS(r, "site.walk_too_far", L("20", "15"), L("20", "15"));
    r = eval(g_default, many_findings);
    MENTIONS(r, "subsidy.rate_above_max", L("35%", "30%"), L("35%", "30%"));
    MENTIONS(r, "project.no_preferred_function", L("养老服务", "婴幼儿托育", "exemption_reason"),
             L("Elderly care", "Infant and toddler care", "exemption_reason"));
    MENTIONS(r, "subsidy.build_mode_ineligible", L("其他", "新建", "改扩建", "存量设施改造"),
             L("other", "new", "expansion", "renovation"));
    r = eval(g_default, PROJECT("300", "\"inclusive_rate\":\"0.3001\",", ELDERLY("100") "," MEALS("100") "," INFANT("100")));
    MENTIONS(r, "subsidy.rate_above_max", L("30.01%", "30%"), L("30.01%", "30%"));
    r = eval(g_default, PROJECT("300", "\"inclusive_rate\":\"0.301\",", ELDERLY("100") "," MEALS("100") "," INFANT("100")));
    MENTIONS(r, "subsidy.rate_above_max", L("30.1%"), L("30.1%"));
}

static void test_messages_quote_the_project_texts(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, many_findings);
    MENTIONS(r, "function.item_unknown", L("不存在的项目"), L("不存在的项目"));
    MENTIONS(r, "function.item_conflict", L("公共卫生", "健康服务", "养老服务", "普惠非基本公共服务类"),
             L("公共卫生", "Health services", "Elderly care", "Inclusive non-basic public services"));
    MENTIONS(r, "function.scenario_inferred", L("托育园", "婴幼儿托育"), L("托育园", "Infant and toddler care"));
    MENTIONS(r, "function.class_missing", L("婴幼儿托育", "service_class"), L("Infant and toddler care", "service_class"));
    MENTIONS(r, "function.class_not_allowed", L("家政便民", "普惠非基本公共服务类", "便民商业类"),
             L("Housekeeping and convenience", "Inclusive non-basic public services", "Convenience commercial"));
    MENTIONS(r, "function.duplicate_scenario", L("健康服务"), L("Health services"));
    r = eval(g_default, PROJECT("300", "", "{\"scenario\":\"养老\",\"investment\":\"300\"}"));
    MENTIONS(r, "function.scenario_unknown", L("养老"), L("养老"));
    r = eval(g_dated, capped_late);
    MENTIONS(r, "policy.not_in_force", L("2023-06-30", "2024-01-01", "beijing-2024-trial"),
             L("2023-06-30", "2024-01-01", "beijing-2024-trial"));
    r = eval(g_default, PROJECT("300", "\"exemption_reason\":\"周边500米内已有养老驿站\",",
                                CHILD("100") "," MEALS("100") "," HEALTH("100")));
    MENTIONS(r, "project.no_preferred_function", L("周边500米内已有养老驿站"), L("周边500米内已有养老驿站"));
}

/* ---- embedsvc_result_finding_message works like snprintf ---- */

static void test_finding_message_returns_the_full_length(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, many_findings);
    for (size_t i = 0; i < embedsvc_result_finding_count(r); i++) {
        for (int z = 0; z < 2; z++) {
            const char *lang = z ? "zh" : "en";
            int n = embedsvc_result_finding_message(r, i, lang, NULL, 0);
            assert_true(n > 0);
            char big[4096];
            memset(big, 'X', sizeof(big));
            assert_int_equal(embedsvc_result_finding_message(r, i, lang, big, sizeof(big)), n);
            assert_int_equal(strlen(big), (size_t)n);
            char one[1] = {'X'};
            assert_int_equal(embedsvc_result_finding_message(r, i, lang, one, 1), n);
            assert_int_equal(one[0], '\0');
        }
    }
}

static void test_finding_message_truncation_never_cuts_a_character(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, many_findings);
    for (size_t i = 0; i < embedsvc_result_finding_count(r); i++) {
        char *full = message(r, i, "zh");
        size_t n = strlen(full);
        for (size_t size = 1; size <= n + 2; size++) {
            char buf[2048];
            memset(buf, 'X', sizeof(buf));
            assert_true(size <= sizeof(buf));
            assert_int_equal(embedsvc_result_finding_message(r, i, "zh", buf, size), (int)n);
            size_t got = strlen(buf);
            if (got >= size)
                fail_msg("finding %zu size %zu: wrote %zu bytes", i, size, got);
            if (got != n)
                assert_true(got + 3 >= size - 1); /* at most a partial character is dropped */
            assert_memory_equal(buf, full, got);
            assert_int_equal(esv_utf8_valid_prefix(buf, got), got);
        }
        free(full);
    }
}

static void test_finding_message_bad_arguments(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, many_findings);
    char buf[64];
    size_t n = embedsvc_result_finding_count(r);
    assert_int_equal(embedsvc_result_finding_message(r, n, "zh", buf, sizeof(buf)), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_result_finding_message(r, 0, "fr", buf, sizeof(buf)), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_result_finding_message(r, 0, "ZH", buf, sizeof(buf)), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_result_finding_message(r, 0, NULL, buf, sizeof(buf)), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_result_finding_message(r, 0, "zh", NULL, 5), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_result_finding_message(NULL, 0, "zh", buf, sizeof(buf)), EMBEDSVC_EINVAL);
}

/* ---- accessors ---- */

static void test_accessors_reject_bad_indexes(void **state)
{
    (void)state;
    embedsvc_result *r = eval(g_default, spec_example);
    assert_int_equal(embedsvc_result_count(r, (embedsvc_count)5), -1);
    assert_int_equal(embedsvc_result_count(r, (embedsvc_count)-1), -1);
    assert_int_equal(embedsvc_result_function_scenario(r, 3), -1);
    assert_int_equal(embedsvc_result_function_class(r, 3), EMBEDSVC_CLASS_NONE);
    assert_int_equal(embedsvc_result_function_investment_fen(r, 3), -1);
    assert_int_equal(embedsvc_result_function_subsidy_fen(r, 3), -1);
    assert_int_equal(embedsvc_result_class_base_fen(r, EMBEDSVC_CLASS_NONE), -1);
    assert_int_equal(embedsvc_result_class_rate_bp(r, (embedsvc_class)3), -1);
    assert_int_equal(embedsvc_result_class_amount_fen(r, (embedsvc_class)3), -1);
    assert_null(embedsvc_result_check_rule(r, 7));
    assert_int_equal(embedsvc_result_check_passed(r, 7), -1);
    assert_int_equal(embedsvc_result_check_value(r, 7, NULL, NULL), -1);
    assert_int_equal(embedsvc_result_check_threshold(r, 7, NULL), -1);
    assert_null(embedsvc_result_check_cite(r, 7));
    size_t n = embedsvc_result_finding_count(r);
    assert_null(embedsvc_result_finding_code(r, n));
    assert_int_equal(embedsvc_result_finding_severity(r, n), -1);
    assert_int_equal(embedsvc_result_finding_function(r, n), -1);
    assert_null(embedsvc_result_finding_cite(r, n));
}

static void test_fresh_result_has_nothing_to_read(void **state)
{
    (void)state;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    const char *json = "unchanged";
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_EINVAL);
    assert_string_equal(json, "unchanged");
    assert_null(embedsvc_result_project_id(r));
    assert_int_equal(embedsvc_result_check_count(r), 0);
    assert_int_equal(embedsvc_result_finding_count(r), 0);
    assert_int_equal(embedsvc_result_eligible(r), 0);
    assert_int_equal(embedsvc_result_to_json(NULL, &json, NULL, &err), EMBEDSVC_EINVAL);
    embedsvc_result_free(r);
    embedsvc_result_free(NULL);
    assert_int_equal(embedsvc_result_new(NULL, NULL), EMBEDSVC_EINVAL);
}

/* ---- the memo of a reused result object (lib/memo.c) ---- */

/* Projects whose labels and findings repeat, as a portfolio's do: labels inferred, unknown, of a
 * non-service, items given, over an id and amounts that change from line to line. */
static const char *const memo_labels[] = {"托老所", "助餐点", "四点半课堂", "普惠托育园", "社区卫生服务站",
                                          "不知道是什么", "托育园", "小饭桌", "养老服务驿站"};

static void memo_project(char *buf, size_t size, int k)
{
    const char *a = memo_labels[k % 9], *b = memo_labels[(k * 7 + 3) % 9], *c = memo_labels[(k * 5 + 1) % 9];
    snprintf(buf, size,
             "{\"id\":\"M-%d\",\"build_mode\":\"%s\",\"total_investment\":\"%d.%02d\",\"walk_minutes\":%d,"
             "\"functions\":[{\"label\":\"%s\",\"investment\":\"%d\"},{\"label\":\"%s\",\"service_class\":\"inclusive\","
             "\"investment\":\"%d\"},{\"label\":\"%s\",\"investment\":\"%d\"}%s]}",
             k, k % 3 ? "new" : "other", 3000 + k * 17, k % 100, 5 + k % 14, a, 1000 + k, b, 900 + 3 * k, c, 800 + k,
             k % 4 ? "" : ",{\"item\":\"养老助老\",\"investment\":\"100\"},{\"item\":\"没有的项目\",\"investment\":\"1\"}");
}

/* Evaluates doc under p with the reused object `reused` and with a fresh one: the same bytes. */
static void assert_same_as_fresh(embedsvc_result *reused, const embedsvc_policy *p, const char *doc)
{
    embedsvc_result *fresh = NULL;
    assert_int_equal(embedsvc_result_new(NULL, &fresh), EMBEDSVC_OK);
    size_t n1, n2;
    const char *a = to_json(eval_into(reused, p, doc), &n1);
    char *copy = malloc(n1 + 1);
    assert_non_null(copy);
    memcpy(copy, a, n1 + 1);
    const char *b = to_json(eval_into(fresh, p, doc), &n2);
    if (n1 != n2 || memcmp(copy, b, n1) != 0)
        fail_msg("a reused result object wrote\n%s\nwhere a fresh one writes\n%s", copy, b);
    free(copy);
    embedsvc_result_free(fresh);
}

static void test_reused_result_writes_what_a_fresh_one_writes(void **state)
{
    (void)state;
    /* the same labels and findings under policies that name and classify them differently */
    embedsvc_policy *renamed = edited_default("\"name_zh\": \"养老服务\"", "\"name_zh\": \"养老照护\"");
    embedsvc_policy *no_alias = edited_default("\"托老所\", ", "");
    assert_non_null(renamed);
    assert_non_null(no_alias);
    const embedsvc_policy *policies[] = {g_default, renamed, no_alias, g_strict};
    embedsvc_result *reused = NULL;
    assert_int_equal(embedsvc_result_new(NULL, &reused), EMBEDSVC_OK);
    const char *fixed[] = {many_findings, capped_late, incomplete, spec_example};
    char doc[2048];
    for (int round = 0; round < 3; round++)
        for (size_t pi = 0; pi < sizeof(policies) / sizeof(policies[0]); pi++) {
            for (int k = 0; k < 60; k++) {
                memo_project(doc, sizeof(doc), k);
                assert_same_as_fresh(reused, policies[pi], doc);
            }
            for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
                assert_same_as_fresh(reused, policies[pi], fixed[i]);
        }
    /* the edits do change what is written, so the comparisons above could tell the policies apart */
    const char *one = "{\"id\":\"M\",\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":"
                      "[{\"label\":\"托老所\",\"investment\":\"1\"}]}";
    char *under[3];
    for (int i = 0; i < 3; i++) {
        size_t n;
        const char *j = to_json(eval_into(reused, policies[i], one), &n);
        under[i] = strdup(j);
        assert_non_null(under[i]);
    }
    assert_non_null(strstr(under[0], "养老服务"));
    assert_non_null(strstr(under[1], "养老照护"));
    assert_null(strstr(under[1], "“养老服务”"));
    assert_null(strstr(under[2], "function.scenario_inferred\",\"severity\":\"info\",\"function\":0,\"cite\":\"四、1\","
                                 "\"message_zh\":\"根据功能名称“托老所”认定服务场景为“养老服务”"));
    for (int i = 0; i < 3; i++)
        free(under[i]);
    /* a policy freed and another loaded, perhaps at the same address: the new one's texts */
    embedsvc_policy_free(renamed);
    embedsvc_policy *again = edited_default("\"name_zh\": \"养老服务\"", "\"name_zh\": \"为老服务\"");
    assert_non_null(again);
    for (int k = 0; k < 20; k++) {
        memo_project(doc, sizeof(doc), k);
        assert_same_as_fresh(reused, again, doc);
    }
    size_t n;
    assert_non_null(strstr(to_json(eval_into(reused, again, one), &n), "为老服务"));
    embedsvc_policy_free(again);
    embedsvc_policy_free(no_alias);
    embedsvc_result_free(reused);
}

/* Many findings and labels that differ in one input only — a (the walking minutes), b (the total
 * investment against the same sum), the text (unknown labels, one the start of the next), the
 * code (class_missing and duplicate_scenario, both of scenario 0 and no text), the label's bytes
 * (labels of one length in different scenarios; 托老所, then 托老, which matches nothing) — with the memo's full tables and with one entry each, where every key
 * meets every other: each result must still be its own. */
static void test_reused_result_tells_apart_inputs_that_differ_in_one_place(void **state)
{
    (void)state;
    static const char *const prefix[] = {"托老所", "助餐点", "未知项", "托育园"};
    for (unsigned slots = 0; slots <= 1; slots++) {
        esv_memo_test_slots = slots;
        embedsvc_result *reused = NULL;
        assert_int_equal(embedsvc_result_new(NULL, &reused), EMBEDSVC_OK);
        char doc[1024];
        for (int round = 0; round < 2; round++)
            for (int k = 0; k < 1200; k++) {
                const char *f0 = k % 2 ? "{\"scenario\":\"elderly_care\",\"investment\":\"100\"}" : ELDERLY("100");
                if (k % 3 == 2) /* class_missing of scenario 0, then duplicate_scenario of scenario 0 */
                    snprintf(doc, sizeof(doc),
                             "{\"id\":\"D-%d\",\"build_mode\":\"new\",\"total_investment\":\"300\",\"functions\":["
                             "{\"scenario\":\"elderly_care\",\"investment\":\"100\"}," ELDERLY("100") "," ELDERLY("100") "]}",
                             k);
                else
                    snprintf(doc, sizeof(doc),
                             "{\"id\":\"W-%d\",\"build_mode\":\"new\",\"total_investment\":\"%d\",\"walk_minutes\":%d,"
                             "\"functions\":[%s," INFANT("100") ",{\"label\":\"%s%03d\",\"investment\":\"100\"},"
                             "{\"label\":\"托老所\",\"investment\":\"1\"},{\"label\":\"托老\",\"investment\":\"1\"},"
                             "{\"label\":\"未知%d7\",\"investment\":\"1\"},{\"label\":\"未知%d\",\"investment\":\"1\"}]}",
                             k, k % 3 ? 303 : 304 + k, 16 + (k * 7919) % 1425, f0, prefix[k % 4], k % 400, k % 200,
                             k % 200);
                assert_same_as_fresh(reused, g_default, doc);
            }
        embedsvc_result_free(reused);
    }
    esv_memo_test_slots = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_order_at_every_level),
        cmocka_unit_test(test_fixed_values_of_the_header),
        cmocka_unit_test(test_spec_example_figures),
        cmocka_unit_test(test_json_is_compact_one_line),
        cmocka_unit_test(test_json_is_deterministic),
        cmocka_unit_test(test_project_id_is_escaped_and_reads_back),
        cmocka_unit_test(test_texts_with_control_characters_are_escaped),
        cmocka_unit_test(test_json_agrees_with_the_accessors),
        cmocka_unit_test(test_long_messages_are_cut_alike_in_json_and_accessors),
        cmocka_unit_test(test_no_cap_is_null_in_json),
        cmocka_unit_test(test_every_finding_code_has_cite_and_both_messages),
        cmocka_unit_test(test_not_in_force_cite_is_null_in_json),
        cmocka_unit_test(test_messages_mention_the_amounts_in_yuan),
        cmocka_unit_test(test_messages_mention_counts_rates_and_minutes),
        cmocka_unit_test(test_messages_quote_the_project_texts),
        cmocka_unit_test(test_finding_message_returns_the_full_length),
        cmocka_unit_test(test_finding_message_truncation_never_cuts_a_character),
        cmocka_unit_test(test_finding_message_bad_arguments),
        cmocka_unit_test(test_accessors_reject_bad_indexes),
        cmocka_unit_test(test_fresh_result_has_nothing_to_read),
        cmocka_unit_test(test_reused_result_writes_what_a_fresh_one_writes),
        cmocka_unit_test(test_reused_result_tells_apart_inputs_that_differ_in_one_place),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
