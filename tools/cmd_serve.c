/* embedsvc serve — the HTTP decision service (issue 18): policies, token, start and shutdown, in
 * the embedsvc-serve helper (its options and help are serve_command.c). The HTTP side is
 * serve_http.c, metrics and the decision log serve_log.c. */
#include "cli.h"
#include "serve.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole small file; NULL and a message on failure. */
static char *read_file(const char *path, size_t limit, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embedsvc serve: %s: %s\n", cli_esc(path), strerror(errno));
        return NULL;
    }
    sbuf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= limit)
        sbuf_append(&b, chunk, got);
    bool err = ferror(f);
    fclose(f);
    if (err || b.failed) {
        fprintf(stderr, "embedsvc serve: %s: %s\n", cli_esc(path), err ? "read error" : "out of memory");
        sbuf_free(&b);
        return NULL;
    }
    if (!b.data)
        sbuf_append(&b, "", 0);
    return sbuf_take(&b, len);
}

/* A header value: printable ASCII as is; '%', ',' and every other byte percent-encoded. */
static char *header_safe(const char *s)
{
    sbuf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '%' && *p != ',')
            sbuf_append(&b, (const char *)p, 1);
        else
            sbuf_printf(&b, "%%%02X", *p);
    }
    if (!b.data)
        sbuf_append(&b, "", 0);
    return sbuf_take(&b, NULL);
}

static bool add_policy(serve_state *st, const char *file)
{
    if (st->n_policies == SERVE_MAX_POLICIES) {
        fprintf(stderr, "embedsvc serve: at most %d --policy options\n", SERVE_MAX_POLICIES);
        return false;
    }
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc;
    if (strcmp(file, "default") == 0) {
        rc = embedsvc_policy_default(NULL, &p, &err);
    } else {
        size_t len;
        char *data = read_file(file, SERVE_MAX_BODY, &len);
        if (!data)
            return false;
        rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
        free(data);
    }
    if (rc != EMBEDSVC_OK) {
        cli_report_error(file, 0, &err);
        return false;
    }
    serve_policy *sp = &st->policies[st->n_policies];
    sp->policy = p;
    sp->id = embedsvc_policy_text(p, "id");
    sp->version = embedsvc_policy_text(p, "version");
    for (size_t i = 0; i < st->n_policies; i++)
        if (strcmp(st->policies[i].id, sp->id) == 0) {
            fprintf(stderr, "embedsvc serve: %s: a policy with the id '%s' is already loaded; ids select policies\n",
                    cli_esc(file), cli_esc(sp->id));
            embedsvc_policy_free(p);
            sp->policy = NULL;
            return false;
        }
    size_t need = 0;
    rc = embedsvc_policy_to_json(p, NULL, 0, &need);
    sp->canonical = rc == EMBEDSVC_OK || rc == EMBEDSVC_ERANGE ? malloc(need + 1) : NULL;
    sp->id_header = header_safe(sp->id);
    sp->version_header = header_safe(sp->version);
    st->n_policies++; /* freed with the others from here on */
    if (!sp->canonical || !sp->id_header || !sp->version_header ||
        embedsvc_policy_to_json(p, sp->canonical, need + 1, &need) != EMBEDSVC_OK) {
        fputs("embedsvc serve: out of memory\n", stderr);
        return false;
    }
    sp->canonical_len = need;
    return true;
}

static bool read_token(serve_state *st, const char *file)
{
    size_t len;
    char *data = read_file(file, 4096, &len);
    if (!data)
        return false;
    size_t n = strcspn(data, "\r\n");
    while (n && (data[n - 1] == ' ' || data[n - 1] == '\t'))
        n--;
    data[n] = '\0';
    if (n == 0 || len > 4096) {
        fprintf(stderr, "embedsvc serve: --token-file %s: %s\n", cli_esc(file),
                n == 0 ? "the first line is empty" : "longer than 4096 bytes");
        free(data);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)data[i] <= 0x20 || (unsigned char)data[i] >= 0x7f) {
            fprintf(stderr, "embedsvc serve: --token-file %s: the token must be printable ASCII without spaces\n",
                    cli_esc(file));
            free(data);
            return false;
        }
    st->token = data;
    st->token_len = n;
    return true;
}

static bool parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi || s[0] == '-')
        return false;
    *out = (unsigned)v;
    return true;
}

int cli_serve_run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 0)
        cli_usage_error(cmd, "serve takes no argument, not '%s'", cli_esc(a->pos[0]));
    serve_config cfg = {"127.0.0.1:8080", 0, NULL, NULL, 30};
    if (cli_get(a, "listen"))
        cfg.listen = cli_get(a, "listen");
    if (cli_get(a, "threads") && !parse_uint(cli_get(a, "threads"), 1, 1024, &cfg.threads))
        cli_usage_error(cmd, "--threads takes a number from 1 to 1024, not '%s'", cli_esc(cli_get(a, "threads")));
    if (cli_get(a, "drain-timeout") && !parse_uint(cli_get(a, "drain-timeout"), 0, 86400, &cfg.drain_seconds))
        cli_usage_error(cmd, "--drain-timeout takes seconds from 0 to 86400, not '%s'",
                        cli_esc(cli_get(a, "drain-timeout")));
    cfg.decision_log = cli_get(a, "decision-log");
    cfg.token_file = cli_get(a, "token-file");
    const cli_value *pl = cli_list(a, "policy");
    const char *policy_files[SERVE_MAX_POLICIES];
    size_t n_files = 0;
    for (int i = 0; pl && i < pl->count; i++)
        policy_files[n_files++] = pl->list[i];

    /* SIGTERM and SIGINT are taken by serve_run's sigwait: block them before any thread starts */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    serve_state *st = calloc(1, sizeof(*st));
    if (!st) {
        fputs("embedsvc serve: out of memory\n", stderr);
        return 2;
    }
    snprintf(st->engine, sizeof(st->engine), "libembedsvc %s", embedsvc_version_string());
    st->metrics.started = serve_now_real();
    int status = 2;
    if (n_files == 0)
        policy_files[n_files++] = "default";
    for (size_t i = 0; i < n_files; i++)
        if (!add_policy(st, policy_files[i]))
            goto out;
    if (cfg.token_file && !read_token(st, cfg.token_file))
        goto out;
    if (serve_log_open(&st->log, cfg.decision_log, &st->metrics) != 0)
        goto out;
    status = serve_run(st, &cfg);
out:
    serve_log_close(st->log);
    for (size_t i = 0; i < st->n_policies; i++) {
        embedsvc_policy_free(st->policies[i].policy);
        free(st->policies[i].canonical);
        free(st->policies[i].id_header);
        free(st->policies[i].version_header);
    }
    free(st->token);
    free(st);
    return status;
}
