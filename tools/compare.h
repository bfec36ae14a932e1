/* embedsvc compare — the policy what-if comparison of the command-line tool (issue 10). */
#ifndef EMBEDSVC_TOOLS_COMPARE_H
#define EMBEDSVC_TOOLS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct embedsvc_cli_compare_options {
    const char *const *policy_files; /* "default" names the compiled-in policy; none: the default only */
    size_t n_policy_files;
    bool zh;
    bool json;
    const char *html; /* write the HTML report here, or NULL */
} embedsvc_cli_compare_options;

/* Runs `embedsvc compare [--policy A]... [--json] [--html FILE] PORTFOLIO.jsonl|-` with argv the
 * arguments after the command. Returns the exit status: 0 all lines parsed, 1 some lines were
 * errors, 2 I/O or usage. */
int embedsvc_cli_compare(const embedsvc_cli_compare_options *o, int argc, char **argv);

#endif
