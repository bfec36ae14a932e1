/* embedsvc policy diff [--json] A B: what changed between two policies (include/embedsvc/diff.h). */
#include "authoring.h"

#include "cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_policy_diff_help[] =
    "Usage: embedsvc policy diff [--json] [--lang zh|en] A B\n"
    "\n"
    "Lists every difference between policy A and policy B: rules, rates, the cap, scenarios,\n"
    "classes, items, aliases and non-service terms, each with the section of the policy text it\n"
    "belongs to (四、1, 三、(二) ...). A and B are policy files; 'default' is the compiled-in policy.\n"
    "Scenarios and classes are matched by code, items by name_zh; lists of names are compared as sets.\n"
    "\n"
    "  --json   one line of JSON (embedsvc.policy-diff/1) instead of the text\n"
    "\n"
    "Exit status: 0 the policies are the same, 1 they differ, 2 error (a policy that does not load,\n"
    "a usage error).\n";

static void print_value(const char *path, const char *json, bool zh)
{
    fputs(json, stdout);
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, "_fen") == 0 && json[0] >= '0' && json[0] <= '9') {
        char wan[64];
        cli_format_wan(strtoll(json, NULL, 10), wan, sizeof(wan));
        printf(zh ? "（%s 万元）" : " (%s 万元)", wan);
    }
}

int cmd_policy_diff(int argc, char **argv)
{
    bool json = false, zh = true;
    const char *lang = getenv("LANG");
    zh = !(lang && strncmp(lang, "en", 2) == 0);
    const char *files[2] = {NULL, NULL};
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(cmd_policy_diff_help, stdout);
            return 0;
        } else if ((strcmp(a, "--lang") == 0 && i + 1 < argc) || strncmp(a, "--lang=", 7) == 0) {
            const char *v = a[6] == '=' ? a + 7 : argv[++i];
            if (strcmp(v, "zh") != 0 && strcmp(v, "en") != 0) {
                fprintf(stderr, "embedsvc: --lang takes zh or en, not '%s'\n", v);
                return 2;
            }
            zh = strcmp(v, "zh") == 0;
        } else if (a[0] == '-' && strcmp(a, "-") != 0) {
            fprintf(stderr, "embedsvc: policy diff: unknown option '%s'\n%s", a, cmd_policy_diff_help);
            return 2;
        } else if (n < 2) {
            files[n++] = a;
        } else {
            fprintf(stderr, "embedsvc: policy diff takes two policies\n%s", cmd_policy_diff_help);
            return 2;
        }
    }
    if (n != 2) {
        fprintf(stderr, "embedsvc: policy diff takes two policies\n%s", cmd_policy_diff_help);
        return 2;
    }
    embedsvc_policy *a = auth_load_policy(files[0]);
    embedsvc_policy *b = a ? auth_load_policy(files[1]) : NULL;
    if (!a || !b) {
        embedsvc_policy_free(a);
        return 2;
    }
    embedsvc_policy_diff *d = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_diff_new(a, b, NULL, &d, &err) != EMBEDSVC_OK) {
        auth_report_error("policy diff", &err);
        embedsvc_policy_free(a);
        embedsvc_policy_free(b);
        return 2;
    }
    size_t count = embedsvc_policy_diff_count(d);
    if (json) {
        fputs(embedsvc_policy_diff_to_json(d, NULL), stdout);
    } else {
        printf(zh ? "%s 第 %s 版 → %s 第 %s 版：" : "%s version %s → %s version %s: ", embedsvc_policy_text(a, "id"),
               embedsvc_policy_text(a, "version"), embedsvc_policy_text(b, "id"), embedsvc_policy_text(b, "version"));
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
            printf("  %s", path);
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
    embedsvc_policy_free(a);
    embedsvc_policy_free(b);
    fflush(stdout);
    return count ? 1 : 0;
}
