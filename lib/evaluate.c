/* Evaluation (SPEC §3): function resolution (§3.1), project checks (§3.2), investment
 * apportionment (§3.3) and the subsidy with its cap (§3.4). Every number and name comes from the
 * policy. The result object has fixed room for the largest project: nothing is allocated here. */
#include "model.h"

#include <string.h>

/* Adds a finding; room is guaranteed by ESV_MAX_FINDINGS. A quoted text is copied into the result
 * (which allocates only while r->texts grows). Sets r->oom when that fails. */
static void add_finding(embedsvc_result *r, esv_code code, int severity, int function, int64_t a, int64_t b,
                        const char *text)
{
    esv_finding *f = &r->findings[r->n_findings++];
    f->code = code;
    f->severity = severity;
    f->function = function;
    f->a = a;
    f->b = b;
    f->text = ESV_NO_TEXT;
    if (text) {
        size_t at = r->texts.len;
        if (esv_buf_append(&r->texts, &r->al, text, strlen(text) + 1))
            f->text = at;
        else
            r->oom = true;
    }
}

/* §3.1: resolves one function; returns whether it is valid. */
static bool resolve_function(const embedsvc_policy *p, const esv_function *f, int index, embedsvc_result *r,
                             esv_fresult *out)
{
    bool error = false;
    /* 1. item */
    int item = -1;
    if (f->item.s) {
        item = esv_item_find(p, f->item.s, f->item.len);
        if (item < 0)
            add_finding(r, ESV_F_ITEM_UNKNOWN, EMBEDSVC_SEVERITY_WARNING, index, 0, 0, f->item.s);
    }
    /* 2. scenario */
    int scen = -1, inferred_item = -1;
    if (f->scenario.s) {
        scen = esv_scenario_find(p, f->scenario.s, f->scenario.len);
        if (scen < 0) {
            add_finding(r, ESV_F_SCENARIO_UNKNOWN, EMBEDSVC_SEVERITY_ERROR, index, ESV_WHY_SCENARIO_TEXT, 0,
                        f->scenario.s);
            error = true;
        }
    } else if (item >= 0) {
        scen = p->items[item].scenario;
        if (scen < 0) {
            add_finding(r, ESV_F_SCENARIO_UNKNOWN, EMBEDSVC_SEVERITY_ERROR, index, ESV_WHY_ITEM_NO_SCENARIO, 0,
                        f->item.s);
            error = true;
        }
    } else {
        esv_class_out c;
        c.match = EMBEDSVC_MATCH_NONE;
        if (f->label.s && !esv_classify_text(p, f->label.s, f->label.len, &c)) {
            c.match = EMBEDSVC_MATCH_NONE;
            r->oom = true; /* no scratch memory for a long label: the evaluation fails with ENOMEM */
        }
        if ((c.match == EMBEDSVC_MATCH_EXACT || c.match == EMBEDSVC_MATCH_CONTAINS) && c.scenario >= 0) {
            scen = c.scenario;
            inferred_item = c.item;
            add_finding(r, ESV_F_SCENARIO_INFERRED, EMBEDSVC_SEVERITY_INFO, index, scen, inferred_item, f->label.s);
        } else {
            add_finding(r, ESV_F_SCENARIO_UNKNOWN, EMBEDSVC_SEVERITY_ERROR, index,
                        f->label.s ? ESV_WHY_LABEL : ESV_WHY_NOTHING_GIVEN, c.match, f->label.s);
            error = true;
        }
    }
    /* 3. conflict of a given item */
    if (item >= 0) {
        const esv_item *it = &p->items[item];
        bool scen_conflict = it->scenario >= 0 && scen >= 0 && it->scenario != scen;
        bool class_conflict = f->service_class.has && it->cls != f->service_class.v;
        if (scen_conflict || class_conflict) {
            add_finding(r, ESV_F_ITEM_CONFLICT, EMBEDSVC_SEVERITY_ERROR, index, scen_conflict ? scen : -1,
                        class_conflict ? f->service_class.v : -1, f->item.s);
            error = true;
        }
    }
    /* 4. class */
    int cls = -1;
    if (f->service_class.has)
        cls = (int)f->service_class.v;
    else if (item >= 0)
        cls = p->items[item].cls;
    else if (inferred_item >= 0)
        cls = p->items[inferred_item].cls;
    else if (scen >= 0)
        cls = p->scenarios[scen].single_class;
    if (scen >= 0) {
        if (cls < 0) {
            add_finding(r, ESV_F_CLASS_MISSING, EMBEDSVC_SEVERITY_ERROR, index, scen, 0, NULL);
            error = true;
        } else if (!(p->scenarios[scen].allowed & (1u << cls))) {
            add_finding(r, ESV_F_CLASS_NOT_ALLOWED, EMBEDSVC_SEVERITY_ERROR, index, scen, cls, NULL);
            error = true;
        }
    }
    /* 5. */
    out->scenario = scen;
    out->valid = !error;
    out->cls = error ? EMBEDSVC_CLASS_NONE : cls;
    return !error;
}

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

/* §3.3: fills investment_fen of every function; returns 1 passed, 0 failed, -1 not evaluated. */
static int apportion(const embedsvc_project *pr, embedsvc_result *r, int n_valid)
{
    size_t n = pr->n_functions;
    for (size_t i = 0; i < n; i++)
        r->functions[i].investment_fen = 0;
    if (n_valid == 0)
        return -1;
    const int64_t total = pr->total_investment.v;
    size_t with_inv = 0, with_area = 0, positive_area = 0;
    bool all_valid = (size_t)n_valid == n, one_class = true;
    for (size_t i = 0; i < n; i++) {
        const esv_function *f = &pr->functions[i];
        with_inv += f->investment.has;
        with_area += f->area.has;
        positive_area += f->area.has && f->area.v > 0;
        if (r->functions[i].cls != r->functions[0].cls)
            one_class = false;
    }
    int64_t weights[EMBEDSVC_MAX_FUNCTIONS] = {0}, shares[EMBEDSVC_MAX_FUNCTIONS];
    if (with_inv == n) {
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += pr->functions[i].investment.v; /* <= 64 * 10^14: no overflow */
        if (sum != total) {
            add_finding(r, ESV_I_SPLIT_MISMATCH, EMBEDSVC_SEVERITY_ERROR, -1, sum, total, NULL);
            return 0;
        }
        for (size_t i = 0; i < n; i++)
            r->functions[i].investment_fen = pr->functions[i].investment.v;
        return 1;
    }
    bool by_area = with_inv == 0 && positive_area == n;
    bool equal = with_inv == 0 && with_area == 0 && all_valid && one_class;
    if (!by_area && !equal) {
        /* a: functions with investment, b: functions with a positive area */
        add_finding(r, ESV_I_SPLIT_INCOMPLETE, EMBEDSVC_SEVERITY_ERROR, -1, (int64_t)with_inv, (int64_t)positive_area,
                    NULL);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        weights[i] = by_area ? pr->functions[i].area.v : 1;
    if (!esv_largest_remainder(total, weights, n, shares))
        return 0; /* cannot happen with positive weights and amounts within range */
    for (size_t i = 0; i < n; i++)
        r->functions[i].investment_fen = shares[i];
    return 1;
}

/* Splits a class's amount over its valid functions by their shares (§3.4). */
static bool split_class(const embedsvc_project *pr, embedsvc_result *r, int cls, int64_t amount)
{
    if (amount <= 0)
        return true;
    int64_t weights[EMBEDSVC_MAX_FUNCTIONS] = {0}, shares[EMBEDSVC_MAX_FUNCTIONS];
    size_t idx[EMBEDSVC_MAX_FUNCTIONS], m = 0;
    for (size_t i = 0; i < pr->n_functions; i++)
        if (r->functions[i].cls == cls) {
            idx[m] = i;
            weights[m++] = r->functions[i].investment_fen;
        }
    if (!esv_largest_remainder(amount, weights, m, shares))
        return false;
    for (size_t k = 0; k < m; k++)
        r->functions[idx[k]].subsidy_fen = shares[k];
    return true;
}

/* A built project must have what a parsed one is required to have (SPEC §5). */
static int check_required(const embedsvc_project *pr, embedsvc_error *err)
{
    const char *key = !pr->id.s                ? "id"
                      : !pr->build_mode.has       ? "build_mode"
                      : !pr->total_investment.has ? "total_investment"
                      : !pr->has_functions        ? "functions"
                                                  : NULL;
    if (key) {
        esv_error_set(err, EMBEDSVC_EPARSE, "parse.missing_field", "required field \"%s\" is missing", key);
    } else if (pr->n_functions == 0) {
        key = "functions";
        esv_error_set(err, EMBEDSVC_EPARSE, "parse.value", "a project has 1 to 64 functions, not 0");
    } else {
        return EMBEDSVC_OK;
    }
    char path[32] = "/";
    strcat(path, key);
    esv_error_path(err, path, strlen(path));
    return EMBEDSVC_EPARSE;
}

int embedsvc_evaluate(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r, embedsvc_error *err)
{
    if (!p || !pr || !r)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    int rc = check_required(pr, err);
    if (rc != EMBEDSVC_OK)
        return rc;

    r->policy = p;
    memcpy(r->project_id, pr->id.s, pr->id.len + 1); /* an id has at most 64 code points */
    r->project_id_len = pr->id.len;
    r->n_findings = 0;
    r->texts.len = 0;
    r->oom = false;
    r->n_functions = pr->n_functions;
    r->json.len = 0;

    /* §3.1 and the distinct scenarios of valid functions */
    uint64_t seen = 0;
    int n_valid = 0;
    for (size_t i = 0; i < pr->n_functions; i++) {
        esv_fresult *fr = &r->functions[i];
        fr->subsidy_fen = 0;
        if (resolve_function(p, &pr->functions[i], (int)i, r, fr)) {
            n_valid++;
            uint64_t bit = (uint64_t)1 << fr->scenario;
            if (seen & bit)
                add_finding(r, ESV_F_DUPLICATE_SCENARIO, EMBEDSVC_SEVERITY_INFO, (int)i, fr->scenario, 0, NULL);
            seen |= bit;
        }
    }
    int distinct = popcount64(seen), core = popcount64(seen & p->core_mask),
        preferred = popcount64(seen & p->preferred_mask);
    r->counts[EMBEDSVC_COUNT_FUNCTIONS] = (int)pr->n_functions;
    r->counts[EMBEDSVC_COUNT_VALID_FUNCTIONS] = n_valid;
    r->counts[EMBEDSVC_COUNT_DISTINCT_SCENARIOS] = distinct;
    r->counts[EMBEDSVC_COUNT_CORE_SCENARIOS] = core;
    r->counts[EMBEDSVC_COUNT_PREFERRED_SCENARIOS] = preferred;

    /* §3.2 checks, in table order, with their findings */
    bool ok = distinct >= p->min_functions;
    set_check(r, ESV_CHECK_MIN_FUNCTIONS, ok, 1, distinct, true, p->min_functions);
    if (!ok)
        add_finding(r, ESV_P_TOO_FEW_FUNCTIONS, EMBEDSVC_SEVERITY_ERROR, -1, distinct, p->min_functions, NULL);

    ok = core >= p->min_core_functions;
    set_check(r, ESV_CHECK_MIN_CORE_FUNCTIONS, ok, 1, core, true, p->min_core_functions);
    if (!ok)
        add_finding(r, ESV_P_TOO_FEW_CORE_FUNCTIONS, EMBEDSVC_SEVERITY_ERROR, -1, core, p->min_core_functions, NULL);

    if (p->preferred_severity < 0) {
        set_check(r, ESV_CHECK_PREFERRED_FUNCTION, -1, 1, preferred, true, 1);
    } else {
        ok = preferred >= 1;
        set_check(r, ESV_CHECK_PREFERRED_FUNCTION, ok, 1, preferred, true, 1);
        if (!ok) {
            bool exempt = pr->exemption_reason.s && !esv_is_blank(pr->exemption_reason.s, pr->exemption_reason.len);
            add_finding(r, ESV_P_NO_PREFERRED_FUNCTION, exempt ? EMBEDSVC_SEVERITY_INFO : p->preferred_severity, -1,
                        exempt, 0, exempt ? pr->exemption_reason.s : NULL);
        }
    }

    int split = apportion(pr, r, n_valid);
    set_check(r, ESV_CHECK_INVESTMENT_SPLIT, split, 0, 0, false, 0);

    const esv_class_def *incl = &p->classes[EMBEDSVC_CLASS_INCLUSIVE];
    int64_t requested = pr->inclusive_rate.has ? pr->inclusive_rate.v : incl->rate_bp;
    ok = incl->rate_is_max ? requested <= incl->rate_bp : requested == incl->rate_bp;
    set_check(r, ESV_CHECK_INCLUSIVE_RATE, ok, 1, requested, true, incl->rate_bp);
    if (!ok)
        add_finding(r, ESV_S_RATE_ABOVE_MAX, EMBEDSVC_SEVERITY_ERROR, -1, requested, incl->rate_bp, NULL);

    int mode = (int)pr->build_mode.v;
    bool mode_ok = (p->subsidy_build_modes >> mode) & 1u;
    set_check(r, ESV_CHECK_SUBSIDY_BUILD_MODE, mode_ok, 2, mode, false, 0);
    r->checks[ESV_CHECK_SUBSIDY_BUILD_MODE].value_text = embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, mode);
    if (!mode_ok)
        add_finding(r, ESV_S_BUILD_MODE_INELIGIBLE, EMBEDSVC_SEVERITY_WARNING, -1, mode, 0, NULL);

    if (pr->walk_minutes.has && p->has_max_walk) {
        ok = pr->walk_minutes.v <= p->max_walk_minutes;
        set_check(r, ESV_CHECK_MAX_WALK_MINUTES, ok, 1, pr->walk_minutes.v, true, p->max_walk_minutes);
        if (!ok)
            add_finding(r, ESV_W_WALK_TOO_FAR, EMBEDSVC_SEVERITY_WARNING, -1, pr->walk_minutes.v, p->max_walk_minutes,
                        NULL);
    } else {
        set_check(r, ESV_CHECK_MAX_WALK_MINUTES, -1, pr->walk_minutes.has, pr->walk_minutes.v, p->has_max_walk,
                  p->max_walk_minutes);
    }

    bool eligible = true;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].severity == EMBEDSVC_SEVERITY_ERROR)
            eligible = false;
    r->eligible = eligible;
    r->subsidy_eligible = eligible && mode_ok;

    /* §3.4 subsidy */
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        r->base[c] = 0;
        r->rate_bp[c] = p->classes[c].rate_bp;
    }
    r->rate_bp[EMBEDSVC_CLASS_INCLUSIVE] = (int)requested;
    for (size_t i = 0; i < pr->n_functions; i++)
        if (r->functions[i].cls >= 0)
            r->base[r->functions[i].cls] += r->functions[i].investment_fen;
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (!esv_muldiv(r->base[c], r->rate_bp[c], 10000, &r->amount[c]))
            return esv_error_set(err, EMBEDSVC_ERANGE, "overflow", "subsidy amount does not fit 64 bits");
    int64_t basic = r->amount[EMBEDSVC_CLASS_BASIC_PUBLIC], inclusive = r->amount[EMBEDSVC_CLASS_INCLUSIVE];
    r->uncapped_fen = basic + inclusive;
    r->has_cap = p->has_cap;
    r->cap_fen = p->has_cap ? p->cap_fen : 0;
    r->capped = p->has_cap && r->uncapped_fen > p->cap_fen;
    r->headroom_fen = p->has_cap && !r->capped ? p->cap_fen - r->uncapped_fen : 0;
    if (r->capped) {
        if (p->cap_proportional) {
            int64_t w[2] = {basic, inclusive}, s[2];
            if (!esv_largest_remainder(p->cap_fen, w, 2, s))
                return esv_error_set(err, EMBEDSVC_ERANGE, "overflow", "cap allocation does not fit 64 bits");
            basic = s[0];
            inclusive = s[1];
        } else {
            basic = basic < p->cap_fen ? basic : p->cap_fen;
            inclusive = p->cap_fen - basic;
        }
        if (r->subsidy_eligible)
            add_finding(r, ESV_S_CAPPED, EMBEDSVC_SEVERITY_INFO, -1, r->uncapped_fen, p->cap_fen, NULL);
    }
    r->amount[EMBEDSVC_CLASS_BASIC_PUBLIC] = basic;
    r->amount[EMBEDSVC_CLASS_INCLUSIVE] = inclusive;
    if (!r->subsidy_eligible)
        for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
            r->amount[c] = 0;
    r->total_fen = r->amount[0] + r->amount[1] + r->amount[2];
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (!split_class(pr, r, c, r->amount[c]))
            return esv_error_set(err, EMBEDSVC_ERANGE, "overflow", "per-function subsidy does not fit 64 bits");

    /* policy.not_in_force */
    if (pr->application_date.s) {
        const char *d = pr->application_date.s;
        bool before = p->effective_from.s && strcmp(d, p->effective_from.s) < 0;
        bool after = p->effective_to.s && strcmp(d, p->effective_to.s) > 0;
        if (before || after)
            add_finding(r, ESV_P_NOT_IN_FORCE, EMBEDSVC_SEVERITY_WARNING, -1, before, after, d);
    }
    /* the optional operation check of 三、(三) (保本微利): margin = (revenue - cost) / revenue */
    if (p->has_max_margin && pr->annual_revenue.has && pr->annual_cost.has) {
        int64_t revenue = pr->annual_revenue.v, cost = pr->annual_cost.v, margin = 0;
        if (cost > revenue)
            add_finding(r, ESV_O_LOSS, EMBEDSVC_SEVERITY_WARNING, -1, revenue, cost, NULL);
        else if (revenue > 0 && esv_muldiv(revenue - cost, 10000, revenue, &margin) && margin > p->max_margin_bp)
            add_finding(r, ESV_O_MARGIN_ABOVE_MAX, EMBEDSVC_SEVERITY_WARNING, -1, margin, p->max_margin_bp, NULL);
    }
    esv_process_evaluate(pr, r);
    if (r->oom) {
        r->policy = NULL; /* not a readable result */
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    return EMBEDSVC_OK;
}
