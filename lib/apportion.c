/* Apportionment (reference §3.3, 三、(二), an interpretation): the total investment over the
 * functions — given investments, floor areas or equal weights — by largest remainder, which also
 * splits each class's subsidy over its functions (§3.4). */
#include "model.h"

#include <string.h>

/* Largest remainder: shares of amount over weights, ties to the lower index; shares sum to amount. */
bool esv_largest_remainder(int64_t amount, const int64_t *weights, size_t n, int64_t *shares)
{
    esv_u128 total = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return false;
        total += (uint64_t)weights[i];
    }
    if (amount < 0 || total == 0 || n > EMBEDSVC_MAX_FUNCTIONS)
        return false;
    esv_u128 rem[EMBEDSVC_MAX_FUNCTIONS];
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        esv_u128 prod = (esv_u128)(uint64_t)amount * (uint64_t)weights[i];
        esv_u128 q = prod / total;
        if (q > (esv_u128)INT64_MAX)
            return false;
        shares[i] = (int64_t)q;
        rem[i] = prod % total;
        given += shares[i]; /* sum of floors <= amount: no overflow */
    }
    /* The units left over (fewer than n) go one each to the largest remainders, ties to the
     * lower index; there are at least as many non-zero remainders as units left. */
    int64_t left = amount - given;
    bool taken[EMBEDSVC_MAX_FUNCTIONS] = {false};
    while (left > 0) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < n; i++)
            if (!taken[i] && (best == SIZE_MAX || rem[i] > rem[best]))
                best = i;
        shares[best]++;
        taken[best] = true;
        left--;
    }
    return true;
}

/* §3.3: fills investment_fen of every function; returns 1 passed, 0 failed, -1 not evaluated. */
int esv_apportion(const embedsvc_project *pr, embedsvc_result *r, int n_valid)
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
            esv_add_finding(r, ESV_I_SPLIT_MISMATCH, -1, sum, total, NULL);
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
        esv_add_finding(r, ESV_I_SPLIT_INCOMPLETE, -1, (int64_t)with_inv, (int64_t)positive_area,
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
bool esv_split_class(const embedsvc_project *pr, embedsvc_result *r, int cls, int64_t amount)
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

