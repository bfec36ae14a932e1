/* Evaluation (reference §3): the pipeline over the files that hold the rules — functions.c
 * (§3.1), checks.c (§3.2), apportion.c (§3.3), subsidy.c (§3.4) — then the process block of the
 * result (stage.c, an extension). Every number and name comes from the policy. The result object
 * has fixed room for the largest project; evaluating allocates only to copy the project texts
 * that findings quote (r->texts) when that buffer must grow. */
#include "memo.h"
#include "model.h"

#include <string.h>

void esv_add_finding_severity(embedsvc_result *r, esv_code code, int severity, int function, int64_t a, int64_t b,
                              const char *text)
{
    esv_finding *f = &r->findings[r->n_findings++]; /* room is guaranteed by ESV_MAX_FINDINGS */
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

void esv_add_finding(embedsvc_result *r, esv_code code, int function, int64_t a, int64_t b, const char *text)
{
    esv_add_finding_severity(r, code, esv_code_severity[code], function, a, b, text);
}

/* A built project must have what a parsed one is required to have (reference §5). */
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
    esv_memo_prepare(r);
    memcpy(r->project_id, pr->id.s, pr->id.len + 1); /* an id has at most 64 code points */
    r->project_id_len = pr->id.len;
    r->n_findings = 0;
    r->texts.len = 0;
    r->oom = false;
    r->n_functions = pr->n_functions;
    r->json.len = 0;

    int n_valid;
    uint64_t seen = esv_resolve_functions(p, pr, r, &n_valid); /* §3.1 */
    esv_run_checks(p, pr, r, seen, n_valid);                   /* §3.2 with §3.3 */

    bool eligible = true;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].severity == EMBEDSVC_SEVERITY_ERROR)
            eligible = false;
    r->eligible = eligible;
    r->subsidy_eligible = eligible && r->checks[ESV_CHECK_SUBSIDY_BUILD_MODE].passed == 1;

    rc = esv_compute_subsidy(p, pr, r, err); /* §3.4 */
    if (rc != EMBEDSVC_OK)
        return rc;
    esv_run_late_checks(p, pr, r);
    esv_process_block(pr, r);
    if (r->oom) {
        r->policy = NULL; /* not a readable result */
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    return EMBEDSVC_OK;
}
