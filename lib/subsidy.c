/* The subsidy (reference §3.4, 三、(二)): each class's base and amount at the policy's rates, the
 * cap over the two public classes and its allocation, and the per-function amounts. */
#include "model.h"

int esv_compute_subsidy(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r, embedsvc_error *err)
{
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        r->base[c] = 0;
        r->rate_bp[c] = p->classes[c].rate_bp;
    }
    r->rate_bp[EMBEDSVC_CLASS_INCLUSIVE] = (int)esv_requested_inclusive_rate(p, pr);
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
        /* the finding only when the cap changes what is paid: a project that gets nothing is not "capped" */
        if (r->subsidy_eligible)
            esv_add_finding(r, ESV_S_CAPPED, -1, r->uncapped_fen, p->cap_fen, NULL);
    }
    r->amount[EMBEDSVC_CLASS_BASIC_PUBLIC] = basic;
    r->amount[EMBEDSVC_CLASS_INCLUSIVE] = inclusive;
    if (!r->subsidy_eligible)
        for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
            r->amount[c] = 0;
    r->total_fen = r->amount[0] + r->amount[1] + r->amount[2];
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (!esv_split_class(pr, r, c, r->amount[c]))
            return esv_error_set(err, EMBEDSVC_ERANGE, "overflow", "per-function subsidy does not fit 64 bits");
    return EMBEDSVC_OK;
}
