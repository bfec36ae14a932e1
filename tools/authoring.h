/* The policy-authoring commands of the embedsvc tool (test, policy diff) and their shared helpers.
 * Each command is `int cmd_<name>(int argc, char **argv)` with argv[0] the command's name. */
#ifndef EMBEDSVC_TOOLS_AUTHORING_H
#define EMBEDSVC_TOOLS_AUTHORING_H

#include <embedsvc.h>

#include <stddef.h>

/* embedsvc test [--policy FILE] FILE...: exit 0 all pass, 1 some failed, 2 bad input */
int cmd_test(int argc, char **argv);
extern const char cmd_test_help[];

/* embedsvc policy diff [--json] A B: exit 0 same, 1 different, 2 error */
int cmd_policy_diff(int argc, char **argv);
extern const char cmd_policy_diff_help[];

/* Reads a whole file ("-" for standard input); NULL with a message on stderr. */
char *auth_read_file(const char *path, size_t *len);
/* Prints "embedsvc: FILE:LINE:COLUMN: code: message (at path)" on stderr. */
void auth_report_error(const char *file, const embedsvc_error *err);
/* Loads a policy file, or the compiled-in policy for NULL or "default"; NULL with a message on stderr. */
embedsvc_policy *auth_load_policy(const char *path);

#endif
