/* The findings table (lib/findings.def, lib/findings.c): every finding's message, rendered in
 * Chinese and English under the default policy and under unusual ones (no preferred scenario, a
 * walking limit of 10 minutes, no cap, no subsidised build mode, non-service terms), has no empty
 * slot, no unknown template name, and says nothing the policy in force contradicts (issue 21). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Replaces every occurrence of `from` in the malloc'd doc. */
static char *replace_all(char *doc, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), count = 0;
    for (const char *at = doc; (at = strstr(at, from)); at += fl)
        count++;
    assert_true(count > 0);
    char *out = malloc(strlen(doc) + count * (tl > fl ? tl - fl : 0) + 1), *o = out;
    assert_non_null(out);
    const char *s = doc;
    for (const char *at; (at = strstr(s, from)); s = at + fl) {
        memcpy(o, s, (size_t)(at - s));
        o += at - s;
        memcpy(o, to, tl);
        o += tl;
    }
    strcpy(o, s);
    free(doc);
    return out;
}

typedef struct variant {
    const char *name;
    const char *edits[4][2];
} variant;

static const variant variants[] = {
    {"default", {{NULL, NULL}}},
    {"no preferred scenario", {{"\"preferred\": true", "\"preferred\": false"}}},
    {"walk limit 10", {{"\"max_walk_minutes\": 15", "\"max_walk_minutes\": 10"}}},
    {"no cap, no walk limit", {{"\"cap_fen\": 5000000000", "\"cap_fen\": null"}, {"\"max_walk_minutes\": 15", "\"max_walk_minutes\": null"}}},
    {"no subsidised build mode, fixed inclusive rate",
     {{"\"subsidy_build_modes\": [\"new\", \"expansion\", \"renovation\"]", "\"subsidy_build_modes\": []"},
      {"\"rate_is_max\": true", "\"rate_is_max\": false"}}},
    {"non-service terms, effective dates",
     {{"\"non_service_terms\": [", "\"non_service_terms\": [\"测试用非服务词\", "},
      {"\"effective_from\": null", "\"effective_from\": \"2025-01-01\""}}},
};

static embedsvc_policy *load_variant(const variant *v)
{
    size_t len;
    char *doc = strdup(embedsvc_policy_default_json(&len));
    assert_non_null(doc);
    for (size_t i = 0; i < 4 && v->edits[i][0]; i++)
        doc = replace_all(doc, v->edits[i][0], v->edits[i][1]);
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_load_buffer(doc, strlen(doc), NULL, &p, &err) != EMBEDSVC_OK)
        print_error("%s: %s at %s: %s\n", v->name, err.code, err.path, err.message);
    assert_non_null(p);
    free(doc);
    return p;
}

static bool seen_code[ESV_CODE_COUNT];
static int rendered;

static const char *const empty_slots[] = {
    "  ", "（）", "()", "“”", "\"\"", "、、", ", ,", "：。", ": .", "of  ", " ,", " .", "{", "}", "（、", "、）",
};

/* Renders one finding in both languages and checks it. `must_not` (may be NULL) must appear in
 * neither message; `must` (may be NULL) in the English one, `must_zh` in the Chinese one. */
static void check_one(embedsvc_result *r, const variant *v, esv_code code, int64_t a, int64_t b, const char *text,
                      const char *must, const char *must_zh, const char *const *must_not)
{
    r->n_findings = 0;
    r->texts.len = 0;
    esv_add_finding_severity(r, code, EMBEDSVC_SEVERITY_WARNING, -1, a, b, text);
    assert_false(r->oom);
    seen_code[code] = true;
    for (int zh = 0; zh <= 1; zh++) {
        esv_buf buf = {0};
        assert_true(esv_finding_message(r, &r->findings[0], zh, &buf, &r->al));
        const char *m = buf.data ? buf.data : "";
        bool bad = buf.len == 0;
        const char *why = "empty";
        for (size_t i = 0; !bad && i < sizeof(empty_slots) / sizeof(empty_slots[0]); i++)
            if (strstr(m, empty_slots[i])) {
                bad = true;
                why = empty_slots[i];
            }
        for (size_t i = 0; !bad && must_not && must_not[i]; i++)
            if (strstr(m, must_not[i])) {
                bad = true;
                why = must_not[i];
            }
        const char *need = zh ? must_zh : must;
        if (!bad && need && !strstr(m, need)) {
            bad = true;
            why = need;
        }
        if (bad)
            print_error("%s [%s, %s, a=%lld b=%lld]: \"%s\" (%s)\n", esv_code_names[code], v->name, zh ? "zh" : "en",
                        (long long)a, (long long)b, m, why);
        assert_false(bad);
        rendered++;
        esv_buf_free(&buf, &r->al);
    }
}

static int first_multi_class_scenario(const embedsvc_policy *p)
{
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (p->scenarios[s].single_class < 0)
            return (int)s;
    return 0;
}

static void render_every_finding(const variant *v)
{
    embedsvc_policy *p = load_variant(v);
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    r->policy = p;
    const char *item0 = p->n_items ? p->items[0].name_zh.s : "X";
    int multi = first_multi_class_scenario(p);

    check_one(r, v, ESV_F_ITEM_UNKNOWN, 0, 0, "某项目", NULL, NULL, NULL);
    check_one(r, v, ESV_F_SCENARIO_UNKNOWN, ESV_WHY_SCENARIO_TEXT, 0, "elder", NULL, NULL, NULL);
    check_one(r, v, ESV_F_SCENARIO_UNKNOWN, ESV_WHY_ITEM_NO_SCENARIO, 0, item0, NULL, NULL, NULL);
    check_one(r, v, ESV_F_SCENARIO_UNKNOWN, ESV_WHY_NOTHING_GIVEN, 0, NULL, NULL, NULL, NULL);
    for (int m = EMBEDSVC_MATCH_NONE; m <= EMBEDSVC_MATCH_AMBIGUOUS; m++)
        check_one(r, v, ESV_F_SCENARIO_UNKNOWN, ESV_WHY_LABEL, m, "某设施", NULL, NULL, NULL);
    for (size_t i = 0; i < p->non_service.n; i++)
        check_one(r, v, ESV_F_SCENARIO_UNKNOWN, ESV_WHY_NON_SERVICE, (int64_t)i, "社区公共厕所",
                  p->non_service.v[i].s, p->non_service.v[i].s, NULL);
    check_one(r, v, ESV_F_SCENARIO_INFERRED, 0, -1, "养老", NULL, NULL, NULL);
    if (p->n_items)
        check_one(r, v, ESV_F_SCENARIO_INFERRED, p->items[0].scenario >= 0 ? p->items[0].scenario : 0, 0, item0, NULL,
                  NULL, NULL);
    if (p->n_items) {
        check_one(r, v, ESV_F_ITEM_CONFLICT, 1, -1, item0, NULL, NULL, NULL);
        check_one(r, v, ESV_F_ITEM_CONFLICT, -1, EMBEDSVC_CLASS_COMMERCIAL, item0, NULL, NULL, NULL);
        check_one(r, v, ESV_F_ITEM_CONFLICT, 1, EMBEDSVC_CLASS_COMMERCIAL, item0, NULL, NULL, NULL);
    }
    check_one(r, v, ESV_F_CLASS_MISSING, multi, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_F_CLASS_NOT_ALLOWED, 0, EMBEDSVC_CLASS_COMMERCIAL, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_F_DUPLICATE_SCENARIO, 0, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_P_TOO_FEW_FUNCTIONS, 1, p->min_functions, NULL, NULL, NULL, NULL);
    if (p->core_mask && p->min_core_functions > 0)
        check_one(r, v, ESV_P_TOO_FEW_CORE_FUNCTIONS, 0, p->min_core_functions, NULL, NULL, NULL, NULL);
    static const char *const no_list[] = {"none of  ", "未配置功能", NULL};
    bool none = p->preferred_mask == 0;
    check_one(r, v, ESV_P_NO_PREFERRED_FUNCTION, 0, 0, NULL, none ? "names no scenario" : "none of",
              none ? "政策没有指定" : "未配置", no_list);
    check_one(r, v, ESV_P_NO_PREFERRED_FUNCTION, 1, 0, "社区已有养老设施", "社区已有养老设施", "社区已有养老设施", no_list);
    check_one(r, v, ESV_I_SPLIT_INCOMPLETE, 1, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_I_SPLIT_MISMATCH, 100000, 123456789, NULL, "1,000.00", "1,234,567.89", NULL);
    check_one(r, v, ESV_S_RATE_ABOVE_MAX, 3550, p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_bp, NULL, "35.5%", "35.5%",
              NULL);
    check_one(r, v, ESV_S_BUILD_MODE_INELIGIBLE, EMBEDSVC_BUILD_OTHER, 0, NULL, NULL, NULL, NULL);
    if (p->has_max_walk) {
        static const char *const not_15[] = {"15", "一刻钟", NULL};
        bool is15 = p->max_walk_minutes == 15;
        check_one(r, v, ESV_W_WALK_TOO_FAR, 20, p->max_walk_minutes, NULL, is15 ? "15-minute" : "limit of 10",
                  is15 ? "一刻钟" : "10 分钟", is15 ? NULL : not_15);
    }
    if (p->has_cap)
        check_one(r, v, ESV_S_CAPPED, p->cap_fen + 1, p->cap_fen, NULL, "50,000,000.00", "50,000,000.00", NULL);
    check_one(r, v, ESV_P_NOT_IN_FORCE, 1, 0, "2024-06-01", p->id.s, p->id.s, NULL);
    check_one(r, v, ESV_O_LOSS, 100, 200, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_O_MARGIN_ABOVE_MAX, 1234, 500, NULL, "12.34%", "5%", NULL);
    for (int s = 0; s < EMBEDSVC_STAGE_COUNT; s++)
        check_one(r, v, ESV_X_NOT_NEXT_STAGE, s, (s + 2) % EMBEDSVC_STAGE_COUNT, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_X_NOT_ELIGIBLE, 0, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_X_RESIDENTS_NOT_CONSULTED, 0, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_X_NOT_SUBSIDY_ELIGIBLE, 0, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_X_FEASIBILITY_MISSING, 0, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_X_ESTIMATE_DEPTH_MISSING, 0, 0, NULL, NULL, NULL, NULL);
    check_one(r, v, ESV_X_OVERDISBURSED, 200, 100, NULL, NULL, NULL, NULL);
    embedsvc_result_free(r);
    embedsvc_policy_free(p);
}

static void test_every_message_under_every_policy_has_no_empty_slot_or_contradiction(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
        render_every_finding(&variants[i]);
    for (int c = 0; c < ESV_CODE_COUNT; c++) {
        if (!seen_code[c])
            print_error("%s was never rendered\n", esv_code_names[c]);
        assert_true(seen_code[c]);
    }
    assert_true(rendered > 300);
}

/* The table is complete: every code has a name, a severity and both templates, no template uses
 * printf conversions, and the codes are unique. */
static void test_the_table_is_complete(void **state)
{
    (void)state;
    for (int c = 0; c < ESV_CODE_COUNT; c++) {
        assert_non_null(esv_code_names[c]);
        assert_true(esv_code_severity[c] >= ESV_SEV_POLICY && esv_code_severity[c] <= ESV_SEV_ERROR);
        for (int zh = 0; zh <= 1; zh++) {
            const char *t = esv_finding_template((esv_code)c, zh);
            assert_non_null(t);
            assert_null(strstr(t, "%s"));
            assert_null(strstr(t, "%lld"));
        }
        for (int d = 0; d < c; d++)
            assert_string_not_equal(esv_code_names[c], esv_code_names[d]);
    }
    assert_null(esv_code_cites[ESV_P_NOT_IN_FORCE]); /* reference §10: "—" */
    assert_string_equal(esv_code_cites[ESV_W_WALK_TOO_FAR], "三、(一)");
    assert_int_equal(esv_code_severity[ESV_P_NO_PREFERRED_FUNCTION], ESV_SEV_POLICY);
    assert_null(esv_finding_template(ESV_CODE_COUNT, true));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_table_is_complete),
        cmocka_unit_test(test_every_message_under_every_policy_has_no_empty_slot_or_contradiction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
