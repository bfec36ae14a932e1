/* embedsvc test [--policy FILE] FILE...: runs embedsvc.tests/1 files (include/embedsvc/tests.h) and
 * prints TAP-like text with a diff of expected against actual for every failed case. */
#include "authoring.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_test_help[] =
    "Usage: embedsvc test [--policy FILE] FILE...\n"
    "\n"
    "Runs policy test files (embedsvc.tests/1): each case is a project and the part of its result\n"
    "the policy must give. Prints TAP: 'ok N - name' or 'not ok N - name' followed by the differences\n"
    "(the path in the result, what was expected, what the result has).\n"
    "\n"
    "The policy: --policy FILE for every file ('default' is the compiled-in policy); without it, the\n"
    "file's \"policy_file\" (relative to the test file), else the compiled-in policy.\n"
    "\n"
    "Exit status: 0 every case passed, 1 some case failed, 2 bad input (a file that is not a valid\n"
    "test file, a policy that does not load, or tests written for another policy).\n";

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

int cmd_test(int argc, char **argv)
{
    const char *policy_file = NULL;
    const char **files = calloc((size_t)argc + 1, sizeof(char *));
    size_t n_files = 0;
    if (!files)
        return 2;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            files[n_files++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(cmd_test_help, stdout);
            free(files);
            return 0;
        } else if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
            policy_file = argv[++i];
        } else if (strncmp(a, "--policy=", 9) == 0) {
            policy_file = a + 9;
        } else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
            i++; /* the report is TAP in English whatever the language */
        } else if (strncmp(a, "--lang=", 7) == 0) {
        } else {
            fprintf(stderr, "embedsvc: test: unknown option or missing value '%s'\n%s", a, cmd_test_help);
            free(files);
            return 2;
        }
    }
    if (n_files == 0) {
        fprintf(stderr, "embedsvc: test: no test file\n%s", cmd_test_help);
        free(files);
        return 2;
    }
    embedsvc_policy *given = NULL;
    if (policy_file && !(given = auth_load_policy(policy_file))) {
        free(files);
        return 2;
    }
    bool bad = false;
    size_t total = 0, failed = 0;
    fputs("TAP version 13\n", stdout);
    for (size_t f = 0; f < n_files; f++) {
        size_t len;
        char *data = auth_read_file(files[f], &len);
        if (!data) {
            bad = true;
            continue;
        }
        embedsvc_policy *policy = given, *own = NULL;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        char rel[4096];
        int has = given ? 0 : embedsvc_tests_policy_file(data, len, rel, sizeof(rel), &err);
        if (has < 0) {
            auth_report_error(files[f], &err);
            bad = true;
            free(data);
            continue;
        }
        if (has == 1) {
            char *path = resolve(strcmp(files[f], "-") == 0 ? "" : files[f], rel);
            own = path ? auth_load_policy(path) : NULL;
            free(path);
            if (!own) {
                bad = true;
                free(data);
                continue;
            }
            policy = own;
        } else if (!given) {
            own = auth_load_policy(NULL);
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
            auth_report_error(files[f], &err);
            bad = true;
            embedsvc_policy_free(own);
            continue;
        }
        printf("# %s (policy %s version %s)\n", strcmp(files[f], "-") == 0 ? "<stdin>" : files[f],
               embedsvc_policy_text(policy, "id"), embedsvc_policy_text(policy, "version"));
        for (size_t i = 0; i < embedsvc_test_report_count(rep); i++) {
            int passed = embedsvc_test_report_passed(rep, i);
            total++;
            printf("%s %zu - ", passed ? "ok" : "not ok", total);
            for (const char *s = embedsvc_test_report_name(rep, i); *s; s++)
                putchar(*s == '\n' || *s == '\r' ? ' ' : *s);
            putchar('\n');
            if (!passed) {
                failed++;
                for (const char *line = embedsvc_test_report_diff(rep, i); *line;) {
                    const char *nl = strchr(line, '\n');
                    size_t n = nl ? (size_t)(nl - line) : strlen(line);
                    printf("  # %.*s\n", (int)n, line);
                    line += n + (nl ? 1 : 0);
                }
            }
        }
        embedsvc_test_report_free(rep);
        embedsvc_policy_free(own);
    }
    printf("1..%zu\n# passed %zu of %zu%s\n", total, total - failed, total, bad ? "; some input was bad" : "");
    embedsvc_policy_free(given);
    free(files);
    fflush(stdout);
    return bad ? 2 : failed ? 1 : 0;
}
