/* The funding process (reference §9, 四、2; an extension beyond the checks of §3): the stages'
 * preconditions, read from an evaluated result, and the process block of the result. Pure on its
 * inputs: it evaluates nothing (stage_report.c evaluates, then asks this file). */
#include "model.h"

#include <string.h>

static void unmet(esv_finding *out, size_t *n, esv_code code, int64_t a, int64_t b)
{
    esv_finding *f = &out[(*n)++];
    memset(f, 0, sizeof(*f));
    f->code = code;
    f->severity = EMBEDSVC_SEVERITY_ERROR;
    f->function = -1;
    f->a = a;
    f->b = b;
    f->text = ESV_NO_TEXT;
}

/* The approved amount: the project's `approved`, else the computed total. */
static int64_t approved_of(const embedsvc_project *pr, const embedsvc_result *r)
{
    return pr->approved.has ? pr->approved.v : r->total_fen;
}

size_t esv_stage_unmet(const embedsvc_project *pr, const embedsvc_result *r, int current, int target,
                       esv_finding *out)
{
    size_t n = 0;
    if (target != current + 1)
        unmet(out, &n, ESV_X_NOT_NEXT_STAGE, current, target);
    switch (target) {
    case EMBEDSVC_STAGE_APPLICATION:
        if (!r->eligible)
            unmet(out, &n, ESV_X_NOT_ELIGIBLE, 0, 0);
        if (!(pr->residents_consulted.has && pr->residents_consulted.v))
            unmet(out, &n, ESV_X_RESIDENTS_NOT_CONSULTED, 0, 0);
        break;
    case EMBEDSVC_STAGE_FUND_APPROVAL:
        if (!r->subsidy_eligible)
            unmet(out, &n, ESV_X_NOT_SUBSIDY_ELIGIBLE, 0, 0);
        if (!(pr->feasibility_approved.has && pr->feasibility_approved.v))
            unmet(out, &n, ESV_X_FEASIBILITY_MISSING, 0, 0);
        if (!(pr->estimate_depth_report.has && pr->estimate_depth_report.v))
            unmet(out, &n, ESV_X_ESTIMATE_DEPTH_MISSING, 0, 0);
        break;
    case EMBEDSVC_STAGE_DISBURSEMENT: {
        int64_t approved = approved_of(pr, r), disbursed = pr->disbursed.has ? pr->disbursed.v : 0;
        if (disbursed > approved)
            unmet(out, &n, ESV_X_OVERDISBURSED, disbursed, approved);
        break;
    }
    default:
        break;
    }
    return n;
}

void esv_process_block(const embedsvc_project *pr, embedsvc_result *r)
{
    esv_process *x = &r->process;
    x->present = pr->stage.has;
    if (!x->present)
        return;
    x->stage = (int)pr->stage.v;
    x->next = x->stage + 1 < EMBEDSVC_STAGE_COUNT ? x->stage + 1 : -1;
    x->operation_model = pr->operation_model.has ? (int)pr->operation_model.v : -1;
    x->n_unmet = x->next >= 0 ? esv_stage_unmet(pr, r, x->stage, x->next, x->unmet) : 0;
    x->approved_fen = approved_of(pr, r);
    x->disbursed_fen = pr->disbursed.has ? pr->disbursed.v : 0;
    x->has_progress = pr->progress.has;
    x->progress_bp = pr->progress.v;
    x->has_due = false;
    if (x->stage == EMBEDSVC_STAGE_DISBURSEMENT && x->has_progress)
        x->has_due = embedsvc_disbursement(x->approved_fen, x->progress_bp, x->disbursed_fen, &x->due_fen, NULL) ==
                     EMBEDSVC_OK;
}

