/* A program built against an installed libembedsvc (CMake package, pkg-config or the Debian
 * packages): it checks that the header and the library it runs with agree on the version, and
 * evaluates one project whose subsidy is known: 1,000,000 yuan of basic public services at 30%
 * plus 1,000,000 yuan of inclusive services at the default 30% = 60,000,000 fen.
 * Prints "embedsvc VERSION: eligible 1, subsidy 60000000 fen" and exits 0, else exits 1. */
#include <embedsvc.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char project_json[] =
        "{\"id\":\"CONSUMER-1\",\"build_mode\":\"new\",\"total_investment\":\"3000000\",\"functions\":["
        "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
        "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *policy = NULL;
    embedsvc_project *project = NULL;
    embedsvc_result *result = NULL;
    int rc = 1;

    if (embedsvc_version() != EMBEDSVC_VERSION_NUMBER) {
        fprintf(stderr, "header %d, library %d\n", EMBEDSVC_VERSION_NUMBER, embedsvc_version());
        return 1;
    }
    if (embedsvc_policy_default(NULL, &policy, &err) != EMBEDSVC_OK ||
        embedsvc_project_new(NULL, &project) != EMBEDSVC_OK ||
        embedsvc_result_new(NULL, &result) != EMBEDSVC_OK ||
        embedsvc_project_parse(project, project_json, strlen(project_json), &err) != EMBEDSVC_OK ||
        embedsvc_evaluate(policy, project, result, &err) != EMBEDSVC_OK) {
        fprintf(stderr, "%s: %s\n", err.code, err.message);
        goto out;
    }
    printf("embedsvc %s: eligible %d, subsidy %lld fen\n", embedsvc_version_string(),
           embedsvc_result_eligible(result), (long long)embedsvc_result_total_fen(result));
    if (embedsvc_result_eligible(result) == 1 && embedsvc_result_total_fen(result) == 60000000)
        rc = 0;
out:
    embedsvc_result_free(result);
    embedsvc_project_free(project);
    embedsvc_policy_free(policy);
    return rc;
}
