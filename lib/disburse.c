/* Disbursement by construction progress (reference §9, an interpretation of
 * "按照…工程进度适时下达"): floor(approved × progress / 10000) − disbursed, never negative. */
#include "model.h"

#define MONEY_MAX_FEN INT64_C(100000000000000)

int embedsvc_disbursement(int64_t approved_fen, int64_t progress_bp, int64_t disbursed_fen, int64_t *due_fen,
                          embedsvc_error *err)
{
    if (!due_fen)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "due_fen is NULL");
    if (approved_fen < 0 || disbursed_fen < 0)
        return esv_error_set(err, EMBEDSVC_ERANGE, "money.negative", "an amount must not be negative");
    if (approved_fen > MONEY_MAX_FEN || disbursed_fen > MONEY_MAX_FEN)
        return esv_error_set(err, EMBEDSVC_ERANGE, "money.range", "an amount is above 1,000,000,000,000 yuan");
    if (progress_bp < 0 || progress_bp > 10000)
        return esv_error_set(err, EMBEDSVC_ERANGE, "process.progress_range",
                             "progress must lie in [0, 1] (0 to 10000 basis points)");
    if (disbursed_fen > approved_fen)
        return esv_error_set(err, EMBEDSVC_ESTATE, "process.overdisbursed",
                             "disbursed (%lld fen) is above the approved amount (%lld fen)", (long long)disbursed_fen,
                             (long long)approved_fen);
    int64_t limit;
    if (!esv_muldiv(approved_fen, progress_bp, 10000, &limit))
        return esv_error_set(err, EMBEDSVC_ERANGE, "overflow", "amount does not fit 64 bits");
    *due_fen = limit > disbursed_fen ? limit - disbursed_fen : 0;
    return EMBEDSVC_OK;
}

