/* embedsvc check FILE|- — evaluates one project (reference §3): a readable report, or the result
 * JSON with --json. */
#include "cli.h"
#include "policyset_cli.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt options[] = {
    CLI_OPT_POLICY,
    CLI_OPT_POLICIES,
    CLI_OPT_LANG,
    {"json", 0, CLI_FLAG, NULL, "print the embedsvc.result/1 JSON instead of the report"},
    {0},
};

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 1)
        cli_usage_error(cmd, "check takes one FILE (or - for standard input)");
    const char *file = a->pos[0];
    size_t len;
    char *data = cli_read_all(file, CLI_DOC_LIMIT, &len);
    if (!data)
        return EXIT_BAD_INPUT;
    if (cli_get(a, "policies") && cli_get(a, "policy"))
        cli_usage_error(cmd, "--policy and --policies exclude each other");
    embedsvc_policy_set *set = cli_get(a, "policies") ? cli_load_policy_set(cli_get(a, "policies")) : NULL;
    embedsvc_policy *own = set ? NULL : cli_load_policy(cli_get(a, "policy"));
    const embedsvc_policy *p = own;
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int status = EXIT_BAD_INPUT;
    if (embedsvc_project_new(NULL, &pr) != EMBEDSVC_OK || embedsvc_result_new(NULL, &r) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        goto out;
    }
    int prc = embedsvc_project_parse(pr, data, len, &err);
    if (prc == EMBEDSVC_OK && set) { /* the version in force on the application date */
        const char *date = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_APPLICATION_DATE);
        p = embedsvc_policy_set_select(set, date, date ? strlen(date) : 0);
    }
    if (prc != EMBEDSVC_OK || embedsvc_evaluate(p, pr, r, &err) != EMBEDSVC_OK) {
        cli_report_error(file, 0, &err);
        goto out;
    }
    if (cli_flag(a, "json")) {
        const char *json;
        size_t n;
        if (embedsvc_result_to_json(r, &json, &n, &err) != EMBEDSVC_OK) {
            cli_report_error(file, 0, &err);
            goto out;
        }
        fwrite(json, 1, n, stdout);
        fputc('\n', stdout);
    } else {
        render_check(stdout, p, pr, r, a->zh);
    }
    status = embedsvc_result_eligible(r) ? 0 : 1;
out:
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    embedsvc_policy_free(own);
    embedsvc_policy_set_free(set);
    free(data);
    return status;
}

const cli_command cli_cmd_check = {
    "check",
    "FILE|-",
    "evaluate one embedsvc.project/1 file: a report, or --json",
    "Evaluates one project (an embedsvc.project/1 JSON file, or - for standard input) under the\n"
    "policy: functions, checks, subsidy to the fen, findings, and the funding process when the\n"
    "project names its stage.",
    options,
    "  0  the project is eligible\n"
    "  1  the project is not eligible\n"
    "  2  bad input (the file, the project or the policy), usage or write error\n",
    "  embedsvc check examples/projects/renovated-complex.json\n"
    "  embedsvc check --json --policy policies/reform-cap-3000wan.json project.json\n"
    "  embedsvc check --lang en - < project.json\n",
    run,
};
