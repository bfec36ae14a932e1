/* Project checks (reference §3.2, 四、1, 三、(二), 三、(一)): the checks table in order, each with
 * its finding; the investment split of §3.3 is the fourth check. Then the checks that follow the
 * subsidy: the policy in force, and the optional operation check of 三、(三) (an extension). */
#include "model.h"

#include <string.h>

/* The checks table of reference §3.2 in order: rule name and cite. */
#define ESV_CHECKS(X)                                          \
    X(ESV_CHECK_MIN_FUNCTIONS, "min_functions", "四、1")       \
    X(ESV_CHECK_MIN_CORE_FUNCTIONS, "min_core_functions", "四、1") \
    X(ESV_CHECK_PREFERRED_FUNCTION, "preferred_function", "四、1") \
    X(ESV_CHECK_INVESTMENT_SPLIT, "investment_split", "三、(二)")  \
    X(ESV_CHECK_INCLUSIVE_RATE, "inclusive_rate", "三、(二)")      \
    X(ESV_CHECK_SUBSIDY_BUILD_MODE, "subsidy_build_mode", "三、(二)") \
    X(ESV_CHECK_MAX_WALK_MINUTES, "max_walk_minutes", "三、(一)")

const char *const esv_check_rules[ESV_CHECK_COUNT] = {
#define X(id, rule, cite) [id] = rule,
    ESV_CHECKS(X)
#undef X
};

const char *const esv_check_cites[ESV_CHECK_COUNT] = {
#define X(id, rule, cite) [id] = cite,
    ESV_CHECKS(X)
#undef X
};

/* The same, as the fixed parts of the result JSON of a check (names and cites need no escaping). */
const esv_frag esv_check_json_head[ESV_CHECK_COUNT] = {
#define X(id, rule, cite) [id] = ESV_FRAG("{\"rule\":\"" rule "\",\"passed\":"),
    ESV_CHECKS(X)
#undef X
};

const esv_frag esv_check_json_cite[ESV_CHECK_COUNT] = {
#define X(id, rule, cite) [id] = ESV_FRAG(",\"cite\":\"" cite "\"}"),
    ESV_CHECKS(X)
#undef X
};

static void set_check(embedsvc_result *r, int check, int passed, int value_kind, int64_t value, bool has_threshold,
                      int64_t threshold)
{
    esv_check *c = &r->checks[check];
    c->passed = passed;
    c->value_kind = value_kind;
    c->value = value;
    c->value_text = NULL;
    c->has_threshold = has_threshold;
    c->threshold = threshold;
}

static int popcount64(uint64_t x)
{
    return __builtin_popcountll(x);
}

void esv_run_checks(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r, uint64_t seen,
                    int n_valid)
{
    int distinct = popcount64(seen), core = popcount64(seen & p->core_mask),
        preferred = popcount64(seen & p->preferred_mask);
    r->counts[EMBEDSVC_COUNT_FUNCTIONS] = (int)pr->n_functions;
    r->counts[EMBEDSVC_COUNT_VALID_FUNCTIONS] = n_valid;
    r->counts[EMBEDSVC_COUNT_DISTINCT_SCENARIOS] = distinct;
    r->counts[EMBEDSVC_COUNT_CORE_SCENARIOS] = core;
    r->counts[EMBEDSVC_COUNT_PREFERRED_SCENARIOS] = preferred;

    bool ok = distinct >= p->min_functions;
    set_check(r, ESV_CHECK_MIN_FUNCTIONS, ok, 1, distinct, true, p->min_functions);
    if (!ok)
        esv_add_finding(r, ESV_P_TOO_FEW_FUNCTIONS, -1, distinct, p->min_functions, NULL);

    ok = core >= p->min_core_functions;
    set_check(r, ESV_CHECK_MIN_CORE_FUNCTIONS, ok, 1, core, true, p->min_core_functions);
    if (!ok)
        esv_add_finding(r, ESV_P_TOO_FEW_CORE_FUNCTIONS, -1, core, p->min_core_functions, NULL);

    if (p->preferred_severity < 0) {
        set_check(r, ESV_CHECK_PREFERRED_FUNCTION, -1, 1, preferred, true, 1);
    } else {
        ok = preferred >= 1;
        set_check(r, ESV_CHECK_PREFERRED_FUNCTION, ok, 1, preferred, true, 1);
        if (!ok) {
            bool exempt = pr->exemption_reason.s && !esv_is_blank(pr->exemption_reason.s, pr->exemption_reason.len);
            esv_add_finding_severity(r, ESV_P_NO_PREFERRED_FUNCTION,
                                     exempt ? EMBEDSVC_SEVERITY_INFO : p->preferred_severity, -1, exempt, 0,
                                     exempt ? pr->exemption_reason.s : NULL);
        }
    }

    int split = esv_apportion(pr, r, n_valid);
    set_check(r, ESV_CHECK_INVESTMENT_SPLIT, split, 0, 0, false, 0);

    const esv_class_def *incl = &p->classes[EMBEDSVC_CLASS_INCLUSIVE];
    int64_t requested = esv_requested_inclusive_rate(p, pr);
    ok = incl->rate_is_max ? requested <= incl->rate_bp : requested == incl->rate_bp;
    set_check(r, ESV_CHECK_INCLUSIVE_RATE, ok, 1, requested, true, incl->rate_bp);
    if (!ok)
        esv_add_finding(r, ESV_S_RATE_ABOVE_MAX, -1, requested, incl->rate_bp, NULL);

    int mode = (int)pr->build_mode.v;
    bool mode_ok = (p->subsidy_build_modes >> mode) & 1u;
    set_check(r, ESV_CHECK_SUBSIDY_BUILD_MODE, mode_ok, 2, mode, false, 0);
    r->checks[ESV_CHECK_SUBSIDY_BUILD_MODE].value_text = embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, mode);
    if (!mode_ok)
        esv_add_finding(r, ESV_S_BUILD_MODE_INELIGIBLE, -1, mode, 0, NULL);

    if (pr->walk_minutes.has && p->has_max_walk) {
        ok = pr->walk_minutes.v <= p->max_walk_minutes;
        set_check(r, ESV_CHECK_MAX_WALK_MINUTES, ok, 1, pr->walk_minutes.v, true, p->max_walk_minutes);
        if (!ok)
            esv_add_finding(r, ESV_W_WALK_TOO_FAR, -1, pr->walk_minutes.v, p->max_walk_minutes, NULL);
    } else {
        set_check(r, ESV_CHECK_MAX_WALK_MINUTES, -1, pr->walk_minutes.has, pr->walk_minutes.v, p->has_max_walk,
                  p->max_walk_minutes);
    }
}

void esv_run_late_checks(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r)
{
    /* policy.not_in_force */
    if (pr->application_date.s) {
        const char *d = pr->application_date.s;
        bool before = p->effective_from.s && strcmp(d, p->effective_from.s) < 0;
        bool after = p->effective_to.s && strcmp(d, p->effective_to.s) > 0;
        if (before || after)
            esv_add_finding(r, ESV_P_NOT_IN_FORCE, -1, before, after, d);
    }
    /* the optional operation check of 三、(三) (保本微利): margin = (revenue - cost) / revenue */
    if (p->has_max_margin && pr->annual_revenue.has && pr->annual_cost.has) {
        int64_t revenue = pr->annual_revenue.v, cost = pr->annual_cost.v, margin = 0;
        if (cost > revenue)
            esv_add_finding(r, ESV_O_LOSS, -1, revenue, cost, NULL);
        else if (revenue > 0 && esv_muldiv(revenue - cost, 10000, revenue, &margin) && margin > p->max_margin_bp)
            esv_add_finding(r, ESV_O_MARGIN_ABOVE_MAX, -1, margin, p->max_margin_bp, NULL);
    }
}
