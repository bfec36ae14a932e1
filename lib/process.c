/* The funding process (SPEC §9, 四、2): stage preconditions and disbursement by construction
 * progress. */
#include "model.h"

#include <string.h>

#define MONEY_MAX_FEN INT64_C(100000000000000)

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

void esv_process_evaluate(const embedsvc_project *pr, embedsvc_result *r)
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

/* ---- stage reports ---- */

struct embedsvc_stage_report {
    esv_alloc al;
    embedsvc_result *result; /* the evaluation the preconditions read, and the messages' policy */
    int current, target;
    size_t n;
    esv_finding unmet[ESV_MAX_UNMET];
};

int embedsvc_stage_report_new(const embedsvc_allocator *alloc, embedsvc_stage_report **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_stage_report *r = esv_calloc(&al, 1, sizeof(*r));
    if (!r)
        return EMBEDSVC_ENOMEM;
    r->al = al;
    if (embedsvc_result_new(alloc, &r->result) != EMBEDSVC_OK) {
        esv_free(&al, r);
        return EMBEDSVC_ENOMEM;
    }
    *out = r;
    return EMBEDSVC_OK;
}

void embedsvc_stage_report_free(embedsvc_stage_report *r)
{
    if (!r)
        return;
    esv_alloc al = r->al;
    embedsvc_result_free(r->result);
    esv_free(&al, r);
}

int embedsvc_stage_check(const embedsvc_policy *policy, const embedsvc_project *project, embedsvc_stage target,
                         embedsvc_stage_report *report, embedsvc_error *err)
{
    if (!policy || !project || !report || (int)target < 0 || (int)target >= EMBEDSVC_STAGE_COUNT)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    report->n = 0;
    int rc = embedsvc_evaluate(policy, project, report->result, err);
    if (rc != EMBEDSVC_OK)
        return rc;
    report->current = project->stage.has ? (int)project->stage.v : EMBEDSVC_STAGE_CALL;
    report->target = (int)target;
    report->n = esv_stage_unmet(project, report->result, report->current, report->target, report->unmet);
    return EMBEDSVC_OK;
}

int embedsvc_stage_report_allowed(const embedsvc_stage_report *r)
{
    return r && r->result->policy && r->n == 0;
}

int embedsvc_stage_report_current(const embedsvc_stage_report *r)
{
    return r ? r->current : -1;
}

int embedsvc_stage_report_target(const embedsvc_stage_report *r)
{
    return r ? r->target : -1;
}

size_t embedsvc_stage_report_count(const embedsvc_stage_report *r)
{
    return r ? r->n : 0;
}

const char *embedsvc_stage_report_code(const embedsvc_stage_report *r, size_t i)
{
    return r && i < r->n ? esv_code_names[r->unmet[i].code] : NULL;
}

const char *embedsvc_stage_report_cite(const embedsvc_stage_report *r, size_t i)
{
    return r && i < r->n ? esv_code_cites[r->unmet[i].code] : NULL;
}

int embedsvc_stage_report_message(const embedsvc_stage_report *r, size_t i, const char *lang, char *buf, size_t size)
{
    if (!r || i >= r->n)
        return EMBEDSVC_EINVAL;
    return esv_message_snprintf(r->result, &r->unmet[i], lang, buf, size);
}
