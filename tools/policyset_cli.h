/* `--policies DIR` of check and batch: evaluate each project under the version of the policy in
 * force on its application_date (include/embedsvc/policyset.h). */
#ifndef EMBEDSVC_TOOLS_POLICYSET_CLI_H
#define EMBEDSVC_TOOLS_POLICYSET_CLI_H

#include "cli.h"

#define CLI_OPT_POLICIES                                                                                               \
    {"policies", 0, CLI_VALUE, "DIR",                                                                                  \
     "a directory of versions of one policy: each project is evaluated under the version\n"                            \
     "                       in force on its application_date (no date: the latest)"}

/* Loads the versions in dir; exits 2 with a message on failure. */
embedsvc_policy_set *cli_load_policy_set(const char *dir);

/* The batches of a run: one embedsvc_batch per version of a set (or one over a single policy), each
 * taking the lines by their numbers, and the line handed to the version its application_date selects. */
typedef struct cli_batches cli_batches;
/* set may be NULL (then policy is used); NULL on ENOMEM. */
cli_batches *cli_batches_new(const embedsvc_policy *policy, const embedsvc_policy_set *set);
/* As embedsvc_batch_framed(), with the batch of the version the line selects. */
int cli_batches_framed(cli_batches *b, const embedsvc_line *line, const char **out, size_t *out_len);
/* The result of the last line that was a project. */
const embedsvc_result *cli_batches_last_result(const cli_batches *b);
void cli_batches_free(cli_batches *b);

#endif
