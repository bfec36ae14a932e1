/* embedsvc stage FILE|- STAGE — may the project move to STAGE (reference §9)? */
#include "cli.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt options[] = {
    CLI_OPT_POLICY,
    CLI_OPT_LANG,
    {"json", 0, CLI_FLAG, NULL, "print {stage, target, allowed, unmet} as JSON"},
    {0},
};

static void print_json(const embedsvc_stage_report *rep, int target)
{
    char zh[1024], en[1024];
    printf("{\"stage\":\"%s\",\"target\":\"%s\",\"allowed\":%s,\"unmet\":[",
           embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, embedsvc_stage_report_current(rep)),
           embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, target), embedsvc_stage_report_allowed(rep) ? "true" : "false");
    for (size_t i = 0; i < embedsvc_stage_report_count(rep); i++) {
        embedsvc_stage_report_message(rep, i, "zh", zh, sizeof(zh));
        embedsvc_stage_report_message(rep, i, "en", en, sizeof(en));
        printf("%s{\"code\":\"%s\",\"cite\":\"%s\",\"message_zh\":", i ? "," : "", embedsvc_stage_report_code(rep, i),
               embedsvc_stage_report_cite(rep, i));
        cli_json_string(stdout, zh);
        fputs(",\"message_en\":", stdout);
        cli_json_string(stdout, en);
        fputc('}', stdout);
    }
    fputs("]}\n", stdout);
}

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 2)
        cli_usage_error(cmd, "stage takes FILE (or -) and a target STAGE");
    int target = embedsvc_enum_parse(EMBEDSVC_ENUM_STAGE, a->pos[1], strlen(a->pos[1]));
    if (target < 0)
        cli_usage_error(cmd, "unknown stage '%s' (call, application, joint_review, fund_approval, disbursement)",
                        cli_esc(a->pos[1]));
    size_t len;
    char *data = cli_read_all(a->pos[0], CLI_DOC_LIMIT, &len);
    if (!data)
        return EXIT_BAD_INPUT;
    embedsvc_policy *p = cli_load_policy(cli_get(a, "policy"));
    embedsvc_project *pr = NULL;
    embedsvc_stage_report *rep = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int status = EXIT_BAD_INPUT;
    if (embedsvc_project_new(NULL, &pr) != EMBEDSVC_OK || embedsvc_stage_report_new(NULL, &rep) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        goto out;
    }
    if (embedsvc_project_parse(pr, data, len, &err) != EMBEDSVC_OK ||
        embedsvc_stage_check(p, pr, (embedsvc_stage)target, rep, &err) != EMBEDSVC_OK) {
        cli_report_error(a->pos[0], 0, &err);
        goto out;
    }
    status = embedsvc_stage_report_allowed(rep) ? 0 : 1;
    if (cli_flag(a, "json"))
        print_json(rep, target);
    else
        render_stage(stdout, rep, target, a->zh);
out:
    embedsvc_stage_report_free(rep);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
    free(data);
    return status;
}

const cli_command cli_cmd_stage = {
    "stage",
    "FILE|- STAGE",
    "may the project move to STAGE? lists every unmet precondition",
    "Checks whether the project (FILE, or - for standard input) may move to STAGE, one of call,\n"
    "application, joint_review, fund_approval, disbursement (四、2), and lists every unmet\n"
    "precondition.",
    options,
    "  0  the move is allowed\n"
    "  1  the move is not allowed (the unmet preconditions are listed)\n"
    "  2  bad input, usage or write error\n",
    "  embedsvc stage examples/projects/capped-large-complex.json fund_approval\n"
    "  embedsvc stage --json project.json disbursement\n",
    run,
};
