/* embedsvc disburse --approved YUAN --progress RATE [--disbursed YUAN] — the amount that may be
 * disbursed now (reference §9). */
#include "cli.h"
#include "render.h"

#include <string.h>

static const cli_opt options[] = {
    {"approved", 0, CLI_VALUE, "YUAN", "the approved subsidy (required)"},
    {"progress", 0, CLI_VALUE, "RATE", "construction progress, 0 to 1 (required)"},
    {"disbursed", 0, CLI_VALUE, "YUAN", "already disbursed (default 0)"},
    CLI_OPT_POLICY,
    CLI_OPT_LANG,
    {"json", 0, CLI_FLAG, NULL, "print the amounts in fen/basis points as JSON"},
    {0},
};

/* An amount or a rate with the decimal rules of a project file (reference §2). */
static int64_t option_number(const cli_command *cmd, const char *name, const char *text)
{
    int64_t v = 0;
    embedsvc_project *pr = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_project_new(NULL, &pr) != EMBEDSVC_OK)
        cli_usage_error(cmd, "out of memory");
    embedsvc_field f = strcmp(name, "--progress") == 0 ? EMBEDSVC_FIELD_PROGRESS : EMBEDSVC_FIELD_APPROVED;
    int rc = embedsvc_project_set_text(pr, EMBEDSVC_PROJECT_LEVEL, f, text, strlen(text), &err);
    if (rc == EMBEDSVC_OK)
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, f, &v);
    embedsvc_project_free(pr);
    if (rc != EMBEDSVC_OK)
        cli_usage_error(cmd, "%s %s: %s: %s", name, cli_esc(text), err.code, cli_esc(err.message));
    return v;
}

static int run(const cli_command *cmd, cli_args *a)
{
    const char *ap = cli_get(a, "approved"), *pp = cli_get(a, "progress"), *dp = cli_get(a, "disbursed");
    if (a->npos != 0 || !ap || !pp)
        cli_usage_error(cmd, "disburse takes --approved YUAN --progress RATE [--disbursed YUAN]");
    if (cli_get(a, "policy")) /* no rule of the policy applies here; a bad file is still an error */
        embedsvc_policy_free(cli_load_policy(cli_get(a, "policy")));
    int64_t approved = option_number(cmd, "--approved", ap);
    int64_t progress = option_number(cmd, "--progress", pp);
    int64_t disbursed = dp ? option_number(cmd, "--disbursed", dp) : 0;
    int64_t due, limit;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_disbursement(approved, progress, disbursed, &due, &err) != EMBEDSVC_OK) {
        fprintf(stderr, "embedsvc: %s: %s\n", err.code, cli_esc(err.message));
        return EXIT_BAD_INPUT;
    }
    embedsvc_disbursement(approved, progress, 0, &limit, NULL); /* the cumulative limit */
    if (cli_flag(a, "json"))
        printf("{\"approved_fen\":%lld,\"progress_bp\":%lld,\"limit_fen\":%lld,\"disbursed_fen\":%lld,\"due_fen\":%lld}\n",
               (long long)approved, (long long)progress, (long long)limit, (long long)disbursed, (long long)due);
    else
        render_disburse(stdout, approved, progress, limit, disbursed, due, a->zh);
    return 0;
}

const cli_command cli_cmd_disburse = {
    "disburse",
    "",
    "the amount that may be disbursed now (四、2): --approved YUAN --progress RATE",
    "The amount of an approved subsidy that may be disbursed now: approved × construction\n"
    "progress, less what was already disbursed, never below zero (四、2).",
    options,
    "  0  the amount was computed\n"
    "  2  a bad amount or rate (e.g. progress above 1, disbursed above approved), usage or write error\n",
    "  embedsvc disburse --approved 30000000 --progress 0.45 --disbursed 10000000\n"
    "  embedsvc disburse --json --approved 100 --progress 0.1\n",
    run,
};
