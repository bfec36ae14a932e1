/* embedsvc policy show — prints the canonical policy JSON (reference §8). */
#include "cli.h"

#include <stdlib.h>

static const cli_opt options[] = {
    CLI_OPT_POLICY,
    CLI_OPT_LANG,
    {0},
};

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 0)
        cli_usage_error(cmd, "policy show takes no argument (use --policy FILE)");
    embedsvc_policy *p = cli_load_policy(cli_get(a, "policy"));
    size_t need = 0;
    int rc = embedsvc_policy_to_json(p, NULL, 0, &need);
    char *buf = rc == EMBEDSVC_ERANGE || rc == EMBEDSVC_OK ? malloc(need + 1) : NULL;
    if (!buf || embedsvc_policy_to_json(p, buf, need + 1, &need) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        free(buf);
        embedsvc_policy_free(p);
        return EXIT_BAD_INPUT;
    }
    fwrite(buf, 1, need, stdout);
    free(buf);
    embedsvc_policy_free(p);
    return 0;
}

const cli_command cli_cmd_policy_show = {
    "policy show",
    "",
    "print the policy JSON (the compiled-in one by default)",
    "Prints the policy as canonical embedsvc.policy/1 JSON: the compiled-in policy, or the file\n"
    "given with --policy. The output loads back to the same policy (a fixed point).",
    options,
    "  0  printed\n"
    "  2  the policy file is missing or invalid, usage or write error\n",
    "  embedsvc policy show > my-policy.json\n"
    "  embedsvc policy show --policy policies/reform-cap-3000wan.json\n",
    run,
};
