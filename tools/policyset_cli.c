/* `--policies DIR` of check and batch (tools/policyset_cli.h). */
#include "policyset_cli.h"

#include <stdlib.h>
#include <string.h>

embedsvc_policy_set *cli_load_policy_set(const char *dir)
{
    embedsvc_policy_set *s = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_set_load_dir(dir, NULL, &s, &err) != EMBEDSVC_OK) {
        cli_report_error(dir, 0, &err);
        exit(EXIT_BAD_INPUT);
    }
    return s;
}

struct cli_batches {
    const embedsvc_policy_set *set;
    embedsvc_batch **b; /* parallel to the set's versions, or one */
    size_t n;
    const embedsvc_batch *last;
};

cli_batches *cli_batches_new(const embedsvc_policy *policy, const embedsvc_policy_set *set)
{
    cli_batches *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->set = set;
    c->n = set ? embedsvc_policy_set_count(set) : 1;
    c->b = calloc(c->n, sizeof(*c->b));
    if (!c->b) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < c->n; i++)
        if (embedsvc_batch_new(set ? embedsvc_policy_set_policy(set, i) : policy, NULL, &c->b[i]) != EMBEDSVC_OK) {
            cli_batches_free(c);
            return NULL;
        }
    return c;
}

int cli_batches_framed(cli_batches *c, const embedsvc_line *line, const char **out, size_t *out_len)
{
    size_t k = 0;
    if (c->set) { /* a blank or over-limit line selects the latest version: its output is the same in all */
        const embedsvc_policy *p =
            embedsvc_policy_set_select_json(c->set, line->text ? line->text : "", line->text ? line->len : 0);
        while (k + 1 < c->n && embedsvc_policy_set_policy(c->set, k) != p)
            k++;
    }
    int rc = embedsvc_batch_framed(c->b[k], line, out, out_len); /* the line keeps its number */
    if (rc == 0)
        c->last = c->b[k];
    return rc;
}

const embedsvc_result *cli_batches_last_result(const cli_batches *c)
{
    return c->last ? embedsvc_batch_last_result(c->last) : NULL;
}

void cli_batches_free(cli_batches *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        embedsvc_batch_free(c->b[i]);
    free(c->b);
    free(c);
}
