#include <embedsvc.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char project_json[] =
        "{\"id\":\"DEMO-1\",\"build_mode\":\"renovation\","
        "\"total_investment\":\"3000000\",\"functions\":["
        "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
        "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
        "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *policy = NULL;
    embedsvc_project *project = NULL;
    embedsvc_result *result = NULL;
    const char *json;
    size_t len;
    int rc = 1;

    if (embedsvc_policy_default(NULL, &policy, &err) != EMBEDSVC_OK ||
        embedsvc_project_new(NULL, &project) != EMBEDSVC_OK ||
        embedsvc_result_new(NULL, &result) != EMBEDSVC_OK)
        goto out;
    if (embedsvc_project_parse(project, project_json, strlen(project_json), &err) != EMBEDSVC_OK ||
        embedsvc_evaluate(policy, project, result, &err) != EMBEDSVC_OK) {
        fprintf(stderr, "%u:%u: %s: %s\n", err.line, err.column, err.code, err.message);
        goto out;
    }
    printf("eligible: %d, subsidy: %lld fen\n", embedsvc_result_eligible(result),
           (long long)embedsvc_result_total_fen(result));
    if (embedsvc_result_to_json(result, &json, &len, &err) == EMBEDSVC_OK)
        printf("%s\n", json);
    rc = 0;
out:
    embedsvc_result_free(result);
    embedsvc_project_free(project);
    embedsvc_policy_free(policy);
    return rc;
}
