/* embedsvc policy check FILE|- — loads and validates a policy file (reference §8). */
#include "cli.h"

#include <stdlib.h>

static const cli_opt options[] = {
    CLI_OPT_LANG,
    {0},
};

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 1)
        cli_usage_error(cmd, "policy check takes one FILE (or - for standard input)");
    const char *file = a->pos[0];
    size_t len;
    char *data = cli_read_all(file, CLI_DOC_LIMIT, &len);
    if (!data)
        return EXIT_BAD_INPUT;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
    free(data);
    if (rc != EMBEDSVC_OK) {
        cli_report_error(file, 0, &err);
        return EXIT_BAD_INPUT;
    }
    printf(a->zh ? "%s：有效的政策文件 %s 第 %s 版（%zu 个服务场景，%zu 个服务项目）\n"
                 : "%s: valid policy %s version %s (%zu scenarios, %zu items)\n",
           cli_display_name(file), cli_esc(embedsvc_policy_text(p, "id")), cli_esc(embedsvc_policy_text(p, "version")),
           embedsvc_policy_scenario_count(p), embedsvc_policy_item_count(p));
    embedsvc_policy_free(p);
    return 0;
}

const cli_command cli_cmd_policy_check = {
    "policy check",
    "FILE|-",
    "load and validate a policy file",
    "Loads FILE (or - for standard input) as an embedsvc.policy/1 file and reports the first\n"
    "problem with its line, column and JSON path, or that it is valid.",
    options,
    "  0  the policy is valid\n"
    "  2  the policy is invalid or unreadable, usage or write error\n",
    "  embedsvc policy check policies/reform-cap-3000wan.json\n"
    "  embedsvc policy show | embedsvc policy check -\n",
    run,
};
