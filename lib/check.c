/* The one call of include/embedsvc/check.h: parse, evaluate and write the result JSON, with the
 * policy's allocator for everything it makes. */
#include "model.h"

#include <string.h>

int embedsvc_check_json(const embedsvc_policy *policy, const char *json, size_t len, char **result_json,
                        size_t *result_len, embedsvc_error *err)
{
    if (result_json)
        *result_json = NULL;
    if (result_len)
        *result_len = 0;
    if (!policy || !result_json || (!json && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    const embedsvc_allocator *alloc = &policy->al.a;
    embedsvc_project *project = NULL;
    embedsvc_result *result = NULL;
    int rc = embedsvc_project_new(alloc, &project);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_new(alloc, &result);
    if (rc != EMBEDSVC_OK) {
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
        goto out;
    }
    rc = embedsvc_project_parse(project, json ? json : "", len, err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(policy, project, result, err);
    const char *text = NULL;
    size_t n = 0;
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_to_json(result, &text, &n, err);
    if (rc == EMBEDSVC_OK) {
        char *copy = esv_malloc(&policy->al, n + 1);
        if (!copy) {
            rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
            goto out;
        }
        memcpy(copy, text, n + 1);
        *result_json = copy;
        if (result_len)
            *result_len = n;
    }
out:
    embedsvc_result_free(result);
    embedsvc_project_free(project);
    return rc;
}

void embedsvc_check_json_free(const embedsvc_policy *policy, char *result_json)
{
    if (policy)
        esv_free(&policy->al, result_json);
}
