/* embedsvc test [--policy FILE] FILE...: runs embedsvc.tests/1 files (include/embedsvc/tests.h) and
 * prints TAP-like text with a diff of expected against actual for every failed case. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt options[] = {
    CLI_OPT_POLICY,
    CLI_OPT_LANG,
    {0},
};

/* The directory part of path joined with rel (rel itself when absolute or path has no directory). */
static char *resolve(const char *path, const char *rel)
{
    const char *slash = strrchr(path, '/');
    size_t dir = rel[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
    char *out = malloc(dir + strlen(rel) + 1);
    if (!out)
        return NULL;
    memcpy(out, path, dir);
    strcpy(out + dir, rel);
    return out;
}

/* Prints the diff of a failed case as TAP diagnostics, one "  # " line per line. */
static void print_diff(const char *diff)
{
    for (const char *line = diff; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char *copy = malloc(n + 1);
        if (copy) {
            memcpy(copy, line, n);
            copy[n] = '\0';
            printf("  # %s\n", cli_esc(copy));
            free(copy);
        }
        line += n + (nl ? 1 : 0);
    }
}

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos < 1)
        cli_usage_error(cmd, "test takes one or more test FILEs");
    const char *policy_file = cli_get(a, "policy");
    embedsvc_policy *given = NULL;
    if (policy_file && !(given = cli_try_load_policy(policy_file)))
        return EXIT_BAD_INPUT;
    bool bad = false;
    size_t total = 0, failed = 0;
    fputs("TAP version 13\n", stdout);
    for (int f = 0; f < a->npos; f++) {
        const char *file = a->pos[f];
        size_t len;
        char *data = cli_read_all(file, CLI_DOC_LIMIT, &len);
        if (!data) {
            bad = true;
            continue;
        }
        embedsvc_policy *policy = given, *own = NULL;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        char rel[4096];
        int has = given ? 0 : embedsvc_tests_policy_file(data, len, rel, sizeof(rel), &err);
        if (has < 0) {
            cli_report_error(file, 0, &err);
            bad = true;
            free(data);
            continue;
        }
        if (!given) {
            /* the file's policy_file, relative to the test file (to the working directory for stdin) */
            char *path = has == 1 ? resolve(strcmp(file, "-") == 0 ? "" : file, rel) : NULL;
            own = has == 1 && !path ? NULL : cli_try_load_policy(path);
            free(path);
            if (!own) {
                bad = true;
                free(data);
                continue;
            }
            policy = own;
        }
        embedsvc_test_report *rep = NULL;
        int rc = embedsvc_tests_run(policy, data, len, NULL, &rep, &err);
        free(data);
        if (rc != EMBEDSVC_OK) {
            cli_report_error(file, 0, &err);
            bad = true;
            embedsvc_policy_free(own);
            continue;
        }
        printf("# %s (policy %s", cli_display_name(file), cli_esc(embedsvc_policy_text(policy, "id")));
        printf(" version %s)\n", cli_esc(embedsvc_policy_text(policy, "version")));
        for (size_t i = 0; i < embedsvc_test_report_count(rep); i++) {
            int passed = embedsvc_test_report_passed(rep, i);
            total++;
            printf("%s %zu - %s\n", passed ? "ok" : "not ok", total, cli_esc(embedsvc_test_report_name(rep, i)));
            if (!passed) {
                failed++;
                print_diff(embedsvc_test_report_diff(rep, i));
            }
        }
        embedsvc_test_report_free(rep);
        embedsvc_policy_free(own);
    }
    printf("1..%zu\n# passed %zu of %zu%s\n", total, total - failed, total, bad ? "; some input was bad" : "");
    embedsvc_policy_free(given);
    return bad ? EXIT_BAD_INPUT : failed ? 1 : 0;
}

const cli_command cli_cmd_test = {
    "test",
    "FILE...",
    "run policy test files (embedsvc.tests/1); TAP with a diff per failure",
    "Runs policy test files (embedsvc.tests/1): each case is a project and the part of its result\n"
    "the policy must give. Prints TAP: 'ok N - name' or 'not ok N - name' followed by the differences\n"
    "(the path in the result, what was expected, what the result has; amounts in fen also in yuan).\n"
    "The policy: --policy FILE for every file; without it, the file's \"policy_file\" (relative to the\n"
    "test file), else the compiled-in policy.",
    options,
    "  0  every case passed\n"
    "  1  some case failed\n"
    "  2  bad input: a file that is not a valid test file, a policy that does not load, tests written\n"
    "     for another policy; usage or write error\n",
    "  embedsvc test policies/tests/*.tests.json\n"
    "  embedsvc test --policy my-reform.json my-reform.tests.json\n",
    run,
};
