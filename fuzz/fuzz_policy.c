/* Fuzzes the policy loader (embedsvc_policy_load_buffer, reference §8).
 *
 * Invariants: a failure is parse.* (EMBEDSVC_EPARSE) or policy.invalid (EMBEDSVC_EPOLICY) with a
 * well-formed error and no policy; a loaded policy evaluates fixed projects without error (the
 * results passing fuzz_check_result); every term of the policy classifies exactly to its own
 * target; the canonical JSON of the policy loads back to a policy with the same canonical JSON
 * that evaluates to the same bytes. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fixed projects: scenario codes and names of the default policy, labels to classify, every way
 * of splitting the investment, and the optional fields. */
static const char *const fixed_projects[] = {
    "{\"id\":\"P1\",\"build_mode\":\"renovation\",\"total_investment\":\"12000000.00\",\"inclusive_rate\":\"0.25\","
    "\"walk_minutes\":12,\"application_date\":\"2025-03-01\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"item\":\"养老助老\",\"label\":\"养老服务驿站\","
    "\"floor_area_m2\":400,\"investment\":\"4800000\"},"
    "{\"scenario\":\"社区助餐\",\"floor_area_m2\":200,\"investment\":\"2400000\"},"
    "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"floor_area_m2\":400,\"investment\":\"4800000\"}]}",
    "{\"id\":\"P2\",\"build_mode\":\"new\",\"total_investment\":\"500\",\"exemption_reason\":\"x\",\"functions\":["
    "{\"label\":\"朝阳区双井街道养老服务驿站\",\"service_class\":\"basic_public\",\"floor_area_m2\":1},"
    "{\"label\":\"婴幼儿托育中心\",\"service_class\":\"commercial\",\"floor_area_m2\":1},"
    "{\"label\":\"便利店\",\"floor_area_m2\":1},{\"label\":\"Health\",\"floor_area_m2\":\"2.5\"},"
    "{\"label\":\"家政便民理发\",\"floor_area_m2\":1}]}",
    "{\"id\":\"P3\",\"build_mode\":\"other\",\"total_investment\":\"999999999999.99\",\"walk_minutes\":1440,"
    "\"functions\":[{\"scenario\":\"health\",\"service_class\":\"basic_public\"},"
    "{\"scenario\":\"sports_fitness\",\"service_class\":\"basic_public\"},"
    "{\"scenario\":\"culture_leisure\",\"service_class\":\"basic_public\"}]}",
    "{\"id\":\"P4\",\"build_mode\":\"expansion\",\"total_investment\":\"1000000000000\",\"inclusive_rate\":1,"
    "\"functions\":[{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"600000000000\"},"
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"400000000000\"}]}",
};
#define N_FIXED (sizeof(fixed_projects) / sizeof(fixed_projects[0]))

static embedsvc_project *fixed[N_FIXED];

static void setup(void)
{
    for (size_t i = 0; i < N_FIXED; i++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        FUZZ_CHECK(embedsvc_project_new(NULL, &fixed[i]) == EMBEDSVC_OK);
        int rc = embedsvc_project_parse(fixed[i], fixed_projects[i], strlen(fixed_projects[i]), &err);
        if (rc != EMBEDSVC_OK)
            fprintf(stderr, "fixed project %zu: %s at %s: %s\n", i, err.code, err.path, err.message);
        FUZZ_CHECK(rc == EMBEDSVC_OK);
    }
}

static void check_term(const embedsvc_policy *p, embedsvc_classification *c, const char *term, int scenario,
                       int item)
{
    if (!term)
        return;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    FUZZ_CHECK(embedsvc_classify(p, term, strlen(term), c, &err) == EMBEDSVC_OK);
    FUZZ_CHECK(embedsvc_classification_match(c) == EMBEDSVC_MATCH_EXACT);
    if (item >= 0) {
        FUZZ_CHECK(embedsvc_classification_item(c) == item);
    } else {
        /* a scenario's term that is also a term of one of its items collapses into the item */
        const int got = embedsvc_classification_item(c);
        FUZZ_CHECK(embedsvc_classification_scenario(c) == scenario);
        FUZZ_CHECK(got == -1 || embedsvc_policy_item_scenario(p, (size_t)got) == scenario);
    }
}

static void check_policy(const embedsvc_policy *p)
{
    const size_t ns = embedsvc_policy_scenario_count(p), ni = embedsvc_policy_item_count(p);
    FUZZ_CHECK(ns >= 1 && ns <= 32);
    FUZZ_CHECK(embedsvc_policy_text(p, "id") && embedsvc_policy_text(p, "version"));
    embedsvc_classification *c = NULL;
    FUZZ_CHECK(embedsvc_classification_new(NULL, &c) == EMBEDSVC_OK);
    for (size_t s = 0; s < ns; s++) {
        const int flags = embedsvc_policy_scenario_flags(p, s);
        FUZZ_CHECK(flags >= 0 && (flags & 0x700) != 0);
        const char *code = embedsvc_policy_scenario_name(p, s, EMBEDSVC_NAME_CODE);
        FUZZ_CHECK(code != NULL);
        FUZZ_CHECK(embedsvc_policy_scenario_find(p, code, strlen(code)) == (int)s);
        check_term(p, c, code, (int)s, -1);
        check_term(p, c, embedsvc_policy_scenario_name(p, s, EMBEDSVC_NAME_ZH), (int)s, -1);
        check_term(p, c, embedsvc_policy_scenario_name(p, s, EMBEDSVC_NAME_EN), (int)s, -1);
        for (size_t a = 0; a < embedsvc_policy_alias_count(p, 0, s); a++)
            check_term(p, c, embedsvc_policy_alias(p, 0, s, a), (int)s, -1);
    }
    for (size_t i = 0; i < ni; i++) {
        const int cls = embedsvc_policy_item_class(p, i), scen = embedsvc_policy_item_scenario(p, i);
        FUZZ_CHECK(cls >= 0 && cls < EMBEDSVC_CLASS_COUNT);
        FUZZ_CHECK(scen >= -1 && scen < (int)ns);
        if (scen >= 0)
            FUZZ_CHECK(embedsvc_policy_scenario_flags(p, (size_t)scen) & EMBEDSVC_SCENARIO_ALLOWS(cls));
        check_term(p, c, embedsvc_policy_item_name(p, i, EMBEDSVC_NAME_ZH), scen, (int)i);
        check_term(p, c, embedsvc_policy_item_name(p, i, EMBEDSVC_NAME_EN), scen, (int)i);
        for (size_t a = 0; a < embedsvc_policy_alias_count(p, 1, i); a++)
            check_term(p, c, embedsvc_policy_alias(p, 1, i, a), scen, (int)i);
    }
    embedsvc_classification_free(c);
    for (int cls = 0; cls < EMBEDSVC_CLASS_COUNT; cls++) {
        const int rate = embedsvc_policy_class_rate_bp(p, (embedsvc_class)cls);
        FUZZ_CHECK(rate >= 0 && rate <= 10000);
    }
}

/* The canonical JSON of a policy (malloc'd). */
static char *policy_json(const embedsvc_policy *p, size_t *len)
{
    size_t needed = 0;
    FUZZ_CHECK(embedsvc_policy_to_json(p, NULL, 0, &needed) == EMBEDSVC_ERANGE);
    char *buf = malloc(needed + 1);
    FUZZ_CHECK(buf != NULL);
    size_t again = 0;
    FUZZ_CHECK(embedsvc_policy_to_json(p, buf, needed + 1, &again) == EMBEDSVC_OK);
    FUZZ_CHECK(again == needed && strlen(buf) == needed);
    *len = needed;
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fixed[0])
        setup();
    embedsvc_policy *p = (embedsvc_policy *)fuzz_default_policy(); /* must be set to NULL on failure */
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const int rc = embedsvc_policy_load_buffer((const char *)data, size, NULL, &p, &err);
    if (rc != EMBEDSVC_OK) {
        FUZZ_CHECK(p == NULL);
        FUZZ_CHECK(rc == EMBEDSVC_EPARSE || rc == EMBEDSVC_EPOLICY);
        fuzz_check_error(&err, rc, size);
        return 0;
    }
    FUZZ_CHECK(p != NULL);
    check_policy(p);

    size_t len1, len2;
    char *canon = policy_json(p, &len1);
    embedsvc_policy *p2 = NULL;
    int rc2 = embedsvc_policy_load_buffer(canon, len1, NULL, &p2, &err);
    if (rc2 != EMBEDSVC_OK)
        fprintf(stderr, "canonical policy does not load: %s at %s: %s\n", err.code, err.path, err.message);
    FUZZ_CHECK(rc2 == EMBEDSVC_OK);
    char *canon2 = policy_json(p2, &len2);
    FUZZ_CHECK(len1 == len2 && memcmp(canon, canon2, len1) == 0);
    free(canon);
    free(canon2);

    for (size_t i = 0; i < N_FIXED; i++) {
        size_t la, lb;
        char *a = fuzz_evaluate_checked(p, fixed[i], &la);
        char *b = fuzz_evaluate_checked(p2, fixed[i], &lb);
        FUZZ_CHECK(la == lb && memcmp(a, b, la) == 0);
        free(a);
        free(b);
    }
    embedsvc_policy_free(p2);
    embedsvc_policy_free(p);
    return 0;
}
