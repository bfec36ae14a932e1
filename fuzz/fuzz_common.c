/* Invariant checks shared by the harnesses (see fuzz.h). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 fuzz_u128;

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

const embedsvc_policy *fuzz_default_policy(void)
{
    static embedsvc_policy *policy;
    if (!policy) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        FUZZ_CHECK(embedsvc_policy_default(NULL, &policy, &err) == EMBEDSVC_OK);
    }
    return policy;
}

const esv_jval *fuzz_parse_json(const char *json, size_t len)
{
    static esv_json *parser;
    if (!parser) {
        parser = esv_json_new(NULL);
        FUZZ_CHECK(parser != NULL);
    }
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const esv_jval *root = NULL;
    int rc = esv_json_parse(parser, json, len, &root, &err);
    if (rc != EMBEDSVC_OK)
        fprintf(stderr, "output does not parse: %s at %u:%u: %s\n%.*s\n", err.code, err.line, err.column,
                err.message, (int)(len > 2000 ? 2000 : len), json);
    FUZZ_CHECK(rc == EMBEDSVC_OK && root != NULL);
    return root;
}

static bool valid_text(const char *s)
{
    size_t n = strlen(s);
    return esv_utf8_valid_prefix(s, n) == n;
}

void fuzz_check_error(const embedsvc_error *err, int rc, size_t doc_len)
{
    FUZZ_CHECK(rc < 0);
    FUZZ_CHECK(err->status == rc);
    FUZZ_CHECK(err->code[0] != '\0');
    FUZZ_CHECK(memchr(err->code, '\0', sizeof(err->code)) != NULL);
    FUZZ_CHECK(memchr(err->message, '\0', sizeof(err->message)) != NULL);
    FUZZ_CHECK(memchr(err->path, '\0', sizeof(err->path)) != NULL);
    FUZZ_CHECK(err->message[0] != '\0');
    FUZZ_CHECK(valid_text(err->message));
    FUZZ_CHECK(valid_text(err->path));
    FUZZ_CHECK(err->path[0] == '\0' || err->path[0] == '/');
    if (rc == EMBEDSVC_EPARSE || rc == EMBEDSVC_EPOLICY) {
        bool parse = strncmp(err->code, "parse.", 6) == 0 || strncmp(err->code, "money.", 6) == 0;
        FUZZ_CHECK(rc == EMBEDSVC_EPARSE ? parse : strcmp(err->code, "policy.invalid") == 0);
        if (doc_len != SIZE_MAX) {
            FUZZ_CHECK(err->line >= 1 && err->column >= 1);
            FUZZ_CHECK(err->offset <= doc_len);
            FUZZ_CHECK(err->column <= err->offset + 1);
        }
    }
}

/* ---- results ---- */

static const esv_jval *member(const esv_jval *obj, const char *key, esv_jtype type)
{
    const esv_jval *v = esv_json_get(obj, key);
    if (!v)
        fprintf(stderr, "result JSON has no \"%s\"\n", key);
    FUZZ_CHECK(v != NULL);
    FUZZ_CHECK(v->type == type);
    return v;
}

static void check_number(const esv_jval *v, int64_t want)
{
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lld", (long long)want);
    FUZZ_CHECK(v->type == ESV_JNUMBER);
    FUZZ_CHECK(n > 0 && v->len == (size_t)n && memcmp(v->str, buf, (size_t)n) == 0);
}

static void check_string(const esv_jval *v, const char *want)
{
    FUZZ_CHECK(v->type == ESV_JSTRING);
    FUZZ_CHECK(v->len == strlen(want) && memcmp(v->str, want, v->len) == 0);
}

static void check_bool(const esv_jval *v, int want)
{
    FUZZ_CHECK(v->type == (want ? ESV_JTRUE : ESV_JFALSE));
}

static int64_t floor_rate(int64_t base, int rate)
{
    fuzz_u128 x = (fuzz_u128)(uint64_t)base * (uint64_t)rate / 10000u;
    FUZZ_CHECK(x <= (fuzz_u128)INT64_MAX);
    return (int64_t)x;
}

/* A finding's message in one language, checked; returns a malloc'd copy. */
static char *finding_message(const embedsvc_result *r, size_t i, const char *lang)
{
    int n = embedsvc_result_finding_message(r, i, lang, NULL, 0);
    FUZZ_CHECK(n > 0);
    char *buf = malloc((size_t)n + 1);
    FUZZ_CHECK(buf != NULL);
    FUZZ_CHECK(embedsvc_result_finding_message(r, i, lang, buf, (size_t)n + 1) == n);
    FUZZ_CHECK(strlen(buf) == (size_t)n);
    FUZZ_CHECK(valid_text(buf));
    char small[8];
    FUZZ_CHECK(embedsvc_result_finding_message(r, i, lang, small, sizeof(small)) == n);
    FUZZ_CHECK(strlen(small) < sizeof(small) && valid_text(small));
    FUZZ_CHECK(strncmp(small, buf, strlen(small)) == 0);
    return buf;
}

static size_t find_check(const embedsvc_result *r, const char *rule)
{
    for (size_t i = 0; i < embedsvc_result_check_count(r); i++)
        if (strcmp(embedsvc_result_check_rule(r, i), rule) == 0)
            return i;
    fuzz_fail(__FILE__, __LINE__, rule);
}

static void check_json(const embedsvc_result *r, size_t nf, const char *json, size_t len)
{
    FUZZ_CHECK(strlen(json) == len);
    FUZZ_CHECK(memchr(json, '\n', len) == NULL);
    const esv_jval *root = fuzz_parse_json(json, len);
    FUZZ_CHECK(root->type == ESV_JOBJECT);
    FUZZ_CHECK(root->child && strcmp(root->child->key, "schema") == 0);
    check_string(member(root, "schema", ESV_JSTRING), "embedsvc.result/1");
    check_string(member(root, "project_id", ESV_JSTRING), embedsvc_result_project_id(r));
    check_bool(esv_json_get(root, "eligible"), embedsvc_result_eligible(r));
    check_bool(esv_json_get(root, "subsidy_eligible"), embedsvc_result_subsidy_eligible(r));
    const esv_jval *counts = member(root, "counts", ESV_JOBJECT);
    check_number(member(counts, "functions", ESV_JNUMBER), (int64_t)nf);
    check_number(member(counts, "valid_functions", ESV_JNUMBER),
                 embedsvc_result_count(r, EMBEDSVC_COUNT_VALID_FUNCTIONS));
    const esv_jval *functions = member(root, "functions", ESV_JARRAY);
    FUZZ_CHECK(functions->len == nf);
    size_t i = 0;
    for (const esv_jval *f = functions->child; f; f = f->next, i++) {
        check_number(member(f, "index", ESV_JNUMBER), (int64_t)i);
        check_number(member(f, "investment_fen", ESV_JNUMBER), embedsvc_result_function_investment_fen(r, i));
        check_number(member(f, "subsidy_fen", ESV_JNUMBER), embedsvc_result_function_subsidy_fen(r, i));
        const esv_jval *cls = esv_json_get(f, "service_class");
        FUZZ_CHECK(cls != NULL);
        embedsvc_class c = embedsvc_result_function_class(r, i);
        if (c == EMBEDSVC_CLASS_NONE)
            FUZZ_CHECK(cls->type == ESV_JNULL);
        else
            check_string(cls, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c));
    }
    const esv_jval *subsidy = member(root, "subsidy", ESV_JOBJECT);
    check_number(member(subsidy, "total_fen", ESV_JNUMBER), embedsvc_result_total_fen(r));
    check_number(member(subsidy, "uncapped_fen", ESV_JNUMBER), embedsvc_result_uncapped_fen(r));
    check_bool(esv_json_get(subsidy, "capped"), embedsvc_result_capped(r));
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        const esv_jval *cv = member(subsidy, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c), ESV_JOBJECT);
        check_number(member(cv, "base_fen", ESV_JNUMBER), embedsvc_result_class_base_fen(r, (embedsvc_class)c));
        check_number(member(cv, "rate_bp", ESV_JNUMBER), embedsvc_result_class_rate_bp(r, (embedsvc_class)c));
        check_number(member(cv, "amount_fen", ESV_JNUMBER), embedsvc_result_class_amount_fen(r, (embedsvc_class)c));
    }
    const esv_jval *checks = member(root, "checks", ESV_JARRAY);
    FUZZ_CHECK(checks->len == embedsvc_result_check_count(r));
    i = 0;
    for (const esv_jval *c = checks->child; c; c = c->next, i++)
        check_string(member(c, "rule", ESV_JSTRING), embedsvc_result_check_rule(r, i));
    const esv_jval *findings = member(root, "findings", ESV_JARRAY);
    FUZZ_CHECK(findings->len == embedsvc_result_finding_count(r));
    i = 0;
    for (const esv_jval *f = findings->child; f; f = f->next, i++) {
        check_string(member(f, "code", ESV_JSTRING), embedsvc_result_finding_code(r, i));
        char *zh = finding_message(r, i, "zh");
        char *en = finding_message(r, i, "en");
        check_string(member(f, "message_zh", ESV_JSTRING), zh);
        check_string(member(f, "message_en", ESV_JSTRING), en);
        free(zh);
        free(en);
    }
}

const char *fuzz_check_result(const embedsvc_policy *policy, const embedsvc_project *project,
                              embedsvc_result *r, size_t *json_len)
{
    const size_t nf = embedsvc_project_function_count(project);
    const size_t ns = embedsvc_policy_scenario_count(policy);
    const char *id = embedsvc_project_get_text(project, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_ID);
    FUZZ_CHECK(id && embedsvc_result_project_id(r) && strcmp(id, embedsvc_result_project_id(r)) == 0);

    /* counts */
    const int valid = embedsvc_result_count(r, EMBEDSVC_COUNT_VALID_FUNCTIONS);
    const int distinct = embedsvc_result_count(r, EMBEDSVC_COUNT_DISTINCT_SCENARIOS);
    FUZZ_CHECK(embedsvc_result_count(r, EMBEDSVC_COUNT_FUNCTIONS) == (int)nf);
    FUZZ_CHECK(valid >= 0 && (size_t)valid <= nf);
    FUZZ_CHECK(distinct >= 0 && distinct <= valid && (size_t)distinct <= ns);
    FUZZ_CHECK(embedsvc_result_count(r, EMBEDSVC_COUNT_CORE_SCENARIOS) >= 0 &&
               embedsvc_result_count(r, EMBEDSVC_COUNT_CORE_SCENARIOS) <= distinct);
    FUZZ_CHECK(embedsvc_result_count(r, EMBEDSVC_COUNT_PREFERRED_SCENARIOS) >= 0 &&
               embedsvc_result_count(r, EMBEDSVC_COUNT_PREFERRED_SCENARIOS) <= distinct);

    /* functions: shares, classes, per-function subsidies */
    int64_t base[EMBEDSVC_CLASS_COUNT] = {0}, paid[EMBEDSVC_CLASS_COUNT] = {0}, shares = 0;
    int n_valid = 0;
    for (size_t i = 0; i < nf; i++) {
        const int64_t inv = embedsvc_result_function_investment_fen(r, i);
        const int64_t sub = embedsvc_result_function_subsidy_fen(r, i);
        const int scen = embedsvc_result_function_scenario(r, i);
        const embedsvc_class cls = embedsvc_result_function_class(r, i);
        FUZZ_CHECK(inv >= 0 && sub >= 0);
        FUZZ_CHECK(scen >= -1 && (scen < 0 || (size_t)scen < ns));
        shares += inv;
        if (cls == EMBEDSVC_CLASS_NONE) {
            FUZZ_CHECK(sub == 0);
            continue;
        }
        FUZZ_CHECK(cls >= 0 && cls < EMBEDSVC_CLASS_COUNT);
        FUZZ_CHECK(scen >= 0);
        FUZZ_CHECK(embedsvc_policy_scenario_flags(policy, (size_t)scen) & EMBEDSVC_SCENARIO_ALLOWS(cls));
        n_valid++;
        base[cls] += inv;
        paid[cls] += sub;
    }
    FUZZ_CHECK(n_valid == valid);
    int64_t total_investment = -1;
    FUZZ_CHECK(embedsvc_project_get_int(project, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_TOTAL_INVESTMENT,
                                        &total_investment) == 1);
    const size_t split = find_check(r, "investment_split");
    const int split_passed = embedsvc_result_check_passed(r, split);
    if (split_passed == 1)
        FUZZ_CHECK(shares == total_investment); /* shares sum to the total when the split succeeds */
    else
        FUZZ_CHECK(shares == 0);
    FUZZ_CHECK((split_passed == -1) == (valid == 0));

    /* eligibility */
    const int eligible = embedsvc_result_eligible(r), subsidy_eligible = embedsvc_result_subsidy_eligible(r);
    const size_t nfind = embedsvc_result_finding_count(r);
    bool error_found = false, project_part = false;
    int last_function = -1;
    for (size_t i = 0; i < nfind; i++) {
        const int sev = embedsvc_result_finding_severity(r, i), fn = embedsvc_result_finding_function(r, i);
        FUZZ_CHECK(embedsvc_result_finding_code(r, i) != NULL);
        FUZZ_CHECK(sev >= EMBEDSVC_SEVERITY_INFO && sev <= EMBEDSVC_SEVERITY_ERROR);
        FUZZ_CHECK(fn >= -1 && (fn < 0 || (size_t)fn < nf));
        /* function findings by function index, then the project findings */
        if (fn < 0) {
            project_part = true;
        } else {
            FUZZ_CHECK(!project_part && fn >= last_function);
            last_function = fn;
        }
        error_found |= sev == EMBEDSVC_SEVERITY_ERROR;
    }
    FUZZ_CHECK(eligible == !error_found);
    const size_t mode_check = find_check(r, "subsidy_build_mode");
    FUZZ_CHECK(subsidy_eligible == (eligible && embedsvc_result_check_passed(r, mode_check) == 1));
    FUZZ_CHECK(embedsvc_result_check_count(r) == 7);
    for (size_t i = 0; i < embedsvc_result_check_count(r); i++) {
        const int passed = embedsvc_result_check_passed(r, i);
        FUZZ_CHECK(passed >= -1 && passed <= 1);
        FUZZ_CHECK(embedsvc_result_check_cite(r, i) != NULL);
        FUZZ_CHECK(embedsvc_result_check_value(r, i, NULL, NULL) >= 0);
        FUZZ_CHECK(embedsvc_result_check_threshold(r, i, NULL) >= 0);
    }

    /* subsidy: each class amount <= base x rate / 10000, the cap, the total */
    int64_t amount[EMBEDSVC_CLASS_COUNT], full[EMBEDSVC_CLASS_COUNT];
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        const embedsvc_class cls = (embedsvc_class)c;
        const int rate = embedsvc_result_class_rate_bp(r, cls);
        FUZZ_CHECK(embedsvc_result_class_base_fen(r, cls) == base[c]);
        FUZZ_CHECK(rate >= 0 && rate <= 10000);
        amount[c] = embedsvc_result_class_amount_fen(r, cls);
        full[c] = floor_rate(base[c], rate);
        FUZZ_CHECK(amount[c] >= 0 && amount[c] <= full[c]);
        FUZZ_CHECK(paid[c] == amount[c]); /* per-function subsidies sum to the class amount */
        if (!subsidy_eligible)
            FUZZ_CHECK(amount[c] == 0);
    }
    const int64_t uncapped = embedsvc_result_uncapped_fen(r);
    FUZZ_CHECK(uncapped == full[EMBEDSVC_CLASS_BASIC_PUBLIC] + full[EMBEDSVC_CLASS_INCLUSIVE]);
    int64_t cap = 0, headroom = 0, policy_cap = 0;
    const int has_cap = embedsvc_result_cap_fen(r, &cap);
    FUZZ_CHECK(has_cap == embedsvc_result_cap_headroom_fen(r, &headroom));
    FUZZ_CHECK(has_cap == embedsvc_policy_rule(policy, EMBEDSVC_RULE_CAP_FEN, &policy_cap));
    const int64_t public_amount = amount[EMBEDSVC_CLASS_BASIC_PUBLIC] + amount[EMBEDSVC_CLASS_INCLUSIVE];
    if (has_cap) {
        FUZZ_CHECK(cap == policy_cap && cap >= 0);
        FUZZ_CHECK(embedsvc_result_capped(r) == (uncapped > cap));
        FUZZ_CHECK(headroom == (uncapped > cap ? 0 : cap - uncapped));
        FUZZ_CHECK(public_amount <= cap); /* total <= cap for the classes the cap covers */
        if (embedsvc_result_capped(r) && subsidy_eligible)
            FUZZ_CHECK(public_amount == cap);
    } else {
        FUZZ_CHECK(!embedsvc_result_capped(r));
    }
    if (subsidy_eligible && !embedsvc_result_capped(r))
        FUZZ_CHECK(public_amount == uncapped);
    if (subsidy_eligible)
        FUZZ_CHECK(amount[EMBEDSVC_CLASS_COMMERCIAL] == full[EMBEDSVC_CLASS_COMMERCIAL]);
    FUZZ_CHECK(embedsvc_result_total_fen(r) == public_amount + amount[EMBEDSVC_CLASS_COMMERCIAL]);
    if (has_cap && amount[EMBEDSVC_CLASS_COMMERCIAL] == 0)
        FUZZ_CHECK(embedsvc_result_total_fen(r) <= cap);

    /* JSON: deterministic bytes, parses, and agrees with the accessors */
    const char *json = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    FUZZ_CHECK(embedsvc_result_to_json(r, &json, &len, &err) == EMBEDSVC_OK);
    char *copy = malloc(len + 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, json, len + 1);
    FUZZ_CHECK(embedsvc_result_to_json(r, &again, &len2, &err) == EMBEDSVC_OK);
    FUZZ_CHECK(len2 == len && memcmp(again, copy, len) == 0);
    free(copy);
    check_json(r, nf, again, len2);
    if (json_len)
        *json_len = len2;
    return again;
}

char *fuzz_evaluate_checked(const embedsvc_policy *policy, const embedsvc_project *project, size_t *json_len)
{
    embedsvc_result *r = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    FUZZ_CHECK(embedsvc_result_new(NULL, &r) == EMBEDSVC_OK);
    int rc = embedsvc_evaluate(policy, project, r, &err);
    if (rc != EMBEDSVC_OK)
        fprintf(stderr, "evaluate: %s: %s\n", err.code, err.message);
    FUZZ_CHECK(rc == EMBEDSVC_OK);
    size_t len;
    const char *json = fuzz_check_result(policy, project, r, &len);
    char *copy = malloc(len + 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, json, len + 1);
    /* evaluating again into the same result gives the same bytes */
    FUZZ_CHECK(embedsvc_evaluate(policy, project, r, &err) == EMBEDSVC_OK);
    const char *json2 = NULL;
    size_t len2 = 0;
    FUZZ_CHECK(embedsvc_result_to_json(r, &json2, &len2, &err) == EMBEDSVC_OK);
    FUZZ_CHECK(len2 == len && memcmp(json2, copy, len) == 0);
    embedsvc_result_free(r);
    if (json_len)
        *json_len = len;
    return copy;
}
