/* Stage reports (reference §9): embedsvc_stage_check() evaluates the project (evaluate.c) and
 * lists the unmet preconditions of the move (stage.c). */
#include "model.h"

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
