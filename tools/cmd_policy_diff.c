/* embedsvc policy diff [--json] A B: what changed between two policies (include/embedsvc/diff.h). */
#include "cli.h"
#include "report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt options[] = {
    CLI_OPT_JSON,
    CLI_OPT_LANG,
    {0},
};

static void print_value(const char *path, const char *json, bool zh)
{
    fputs(cli_esc(json), stdout);
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, "_fen") == 0 && json[0] >= '0' && json[0] <= '9') {
        char wan[64];
        esv_report_wan(strtoll(json, NULL, 10), wan, sizeof(wan));
        printf(zh ? "（%s 万元）" : " (%s 万元)", wan);
    }
}

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 2)
        cli_usage_error(cmd, "policy diff takes two policies A and B");
    bool json = cli_flag(a, "json"), zh = a->zh;
    const char *files[2] = {a->pos[0], a->pos[1]};
    embedsvc_policy *pa = cli_load_policy(files[0]), *pb = cli_load_policy(files[1]);
    embedsvc_policy_diff *d = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_diff_new(pa, pb, NULL, &d, &err) != EMBEDSVC_OK) {
        cli_report_error("policy diff", 0, &err);
        embedsvc_policy_free(pa);
        embedsvc_policy_free(pb);
        return 2;
    }
    size_t count = embedsvc_policy_diff_count(d);
    if (json) {
        fputs(embedsvc_policy_diff_to_json(d, NULL), stdout);
    } else {
        printf(zh ? "%s 第 %s 版 → %s 第 %s 版：" : "%s version %s → %s version %s: ", cli_esc(embedsvc_policy_text(pa, "id")),
               cli_esc(embedsvc_policy_text(pa, "version")), cli_esc(embedsvc_policy_text(pb, "id")),
               cli_esc(embedsvc_policy_text(pb, "version")));
        if (count == 0)
            puts(zh ? "相同" : "the same");
        else
            printf(zh ? "%zu 处不同\n" : "%zu difference%s\n", count, count == 1 ? "" : "s");
        static const char *const zh_change[] = {"changed", "修改", "added", "增加", "removed", "删除"};
        for (size_t i = 0; i < count; i++) {
            const char *change = embedsvc_policy_diff_change(d, i), *path = embedsvc_policy_diff_path(d, i);
            const char *cite = embedsvc_policy_diff_cite(d, i);
            const char *shown = change;
            if (zh)
                for (int k = 0; k < 6; k += 2)
                    if (strcmp(change, zh_change[k]) == 0)
                        shown = zh_change[k + 1];
            printf("  ");
            cli_print_padded(stdout, shown, zh ? 4 : 7, false);
            printf("  %s", cli_esc(path));
            if (cite)
                printf("  [%s]", cite);
            fputs("\n      ", stdout);
            const char *before = embedsvc_policy_diff_before(d, i), *after = embedsvc_policy_diff_after(d, i);
            if (before)
                print_value(path, before, zh);
            if (before && after)
                fputs(" → ", stdout);
            if (after)
                print_value(path, after, zh);
            putchar('\n');
        }
    }
    embedsvc_policy_diff_free(d);
    embedsvc_policy_free(pa);
    embedsvc_policy_free(pb);
    return count ? 1 : 0;
}

const cli_command cli_cmd_policy_diff = {
    "policy diff",
    "A B",
    "every difference between two policies, with the section of the text",
    "Lists every difference between policy A and policy B: rules, rates, the cap, scenarios,\n"
    "classes, items, aliases and non-service terms, each with the section of the policy text it\n"
    "belongs to (四、1, 三、(二) ...). A and B are policy files; 'default' is the compiled-in policy.\n"
    "Scenarios and classes are matched by code, items by name_zh; lists of names are compared as\n"
    "sets. --json prints one line of embedsvc.policy-diff/1 JSON.",
    options,
    "  0  the policies are the same\n"
    "  1  they differ\n"
    "  2  a policy does not load; usage or write error\n",
    "  embedsvc policy diff default policies/reform-cap-3000wan.json\n"
    "  embedsvc policy diff --json policies/versions/beijing-2024-trial.v1.json policies/versions/beijing-2024-trial.v2.json\n",
    run,
};
