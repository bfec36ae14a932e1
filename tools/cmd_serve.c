/* embedsvc serve — the HTTP decision service (issue 18): options, policies, token, start and
 * shutdown. The HTTP side is serve_http.c, metrics and the decision log serve_log.c. */
#include "cmd_serve.h"
#include "serve.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char cmd_serve_help[] =
    "Usage: embedsvc serve [--listen HOST:PORT] [--policy FILE]... [--threads N]\n"
    "                      [--decision-log FILE|-] [--token-file FILE] [--drain-timeout SECONDS]\n"
    "\n"
    "An HTTP decision service over the same engine as the other commands, for case systems that\n"
    "integrate over HTTP. Every answer is byte-identical to the matching command's JSON.\n"
    "\n"
    "Routes:\n"
    "  POST /v1/evaluate[?policy=ID]    embedsvc.project/1 -> embedsvc.result/1 (= check --json)\n"
    "  POST /v1/batch[?policy=ID]       JSON Lines in, JSON Lines out (= batch), streamed\n"
    "  POST /v1/classify[?policy=ID]    {\"texts\":[...]} (or text/plain, one per line) ->\n"
    "                                   {\"classifications\":[...]} (the objects of classify --json)\n"
    "  POST /v1/stage?target=STAGE      project -> may it move to STAGE (= stage --json)\n"
    "  POST /v1/compare[?policy=ID]...  JSON Lines portfolio -> embedsvc.compare/1 (= compare --json);\n"
    "                                   repeat policy= (the first is the baseline); default: all loaded\n"
    "  GET  /v1/policies                the loaded policies (the first is the default)\n"
    "  GET  /v1/policies/ID             the canonical policy JSON (= policy show)\n"
    "  GET  /healthz, /readyz           liveness; readiness (503 while shutting down)\n"
    "  GET  /metrics                    Prometheus text format: requests by route and status, latency\n"
    "                                   histogram, evaluations, errors\n"
    "  GET  /openapi.json               the OpenAPI 3 description of all of the above\n"
    "\n"
    "Errors are JSON {\"error\":{\"code\",\"message\",\"line\",\"column\",\"path\"}} with the codes of the\n"
    "CLI: 400 bad input, 401 no or wrong token, 404 unknown route or policy, 405 wrong method (with\n"
    "Allow), 413 a document over 16 MiB (checked from Content-Length before reading). Every answer\n"
    "carries X-Embedsvc-Engine, X-Embedsvc-Policy-Id and X-Embedsvc-Policy-Version.\n"
    "\n"
    "Options:\n"
    "  --listen HOST:PORT     where to listen (default 127.0.0.1:8080, loopback only); to accept\n"
    "                         other machines say so: --listen 0.0.0.0:8080 or [::]:8080. Port 0\n"
    "                         picks a free port. The address is printed on stderr:\n"
    "                         \"embedsvc serve: listening on http://127.0.0.1:PORT ...\"\n"
    "  --policy FILE          load a policy (repeat; \"default\" is the compiled-in one; none: the\n"
    "                         compiled-in one); the first is the default of every route\n"
    "  --threads N            worker threads (default: one per CPU)\n"
    "  --decision-log FILE|-  append one JSON line per decision (time, decision_id, route, policy\n"
    "                         id/version, project_id, eligible, subsidy_eligible, total_fen,\n"
    "                         duration_us; line for batch lines), written by its own thread\n"
    "  --token-file FILE      require \"Authorization: Bearer TOKEN\" (the file's first line) on\n"
    "                         every route but /healthz and /readyz; 401 otherwise\n"
    "  --drain-timeout S      on SIGTERM/SIGINT: stop accepting, wait up to S seconds (default 30)\n"
    "                         for the requests in flight, exit 0\n"
    "  -h, --help             print this help\n"
    "\n"
    "Example:\n"
    "  embedsvc serve --policy default --policy policies/reform-cap-3000wan.json &\n"
    "  curl -s --data-binary @examples/projects/renovated-complex.json http://127.0.0.1:8080/v1/evaluate\n";

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "embedsvc serve: %s%s%s\nTry 'embedsvc serve --help'.\n", msg, arg ? " " : "", arg ? arg : "");
    return 2;
}

/* Reads a whole small file; NULL and a message on failure. */
static char *read_file(const char *path, size_t limit, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embedsvc serve: %s: %s\n", path, strerror(errno));
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
        fprintf(stderr, "embedsvc serve: %s: %s\n", path, err ? "read error" : "out of memory");
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
        if (err.line)
            fprintf(stderr, "embedsvc serve: %s:%u:%u: %s: %s", file, err.line, err.column, err.code, err.message);
        else
            fprintf(stderr, "embedsvc serve: %s: %s: %s", file, err.code, err.message);
        if (err.path[0])
            fprintf(stderr, " (at %s)", err.path);
        fputc('\n', stderr);
        return false;
    }
    serve_policy *sp = &st->policies[st->n_policies];
    sp->policy = p;
    sp->id = embedsvc_policy_text(p, "id");
    sp->version = embedsvc_policy_text(p, "version");
    for (size_t i = 0; i < st->n_policies; i++)
        if (strcmp(st->policies[i].id, sp->id) == 0) {
            fprintf(stderr, "embedsvc serve: %s: a policy with the id '%s' is already loaded; ids select policies\n",
                    file, sp->id);
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
        fprintf(stderr, "embedsvc serve: --token-file %s: %s\n", file,
                n == 0 ? "the first line is empty" : "longer than 4096 bytes");
        free(data);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)data[i] <= 0x20 || (unsigned char)data[i] >= 0x7f) {
            fprintf(stderr, "embedsvc serve: --token-file %s: the token must be printable ASCII without spaces\n", file);
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

int cmd_serve(int argc, char **argv)
{
    serve_config cfg = {"127.0.0.1:8080", 0, NULL, NULL, 30};
    const char *policy_files[SERVE_MAX_POLICIES];
    size_t n_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        static const char *const with_value[] = {"--listen", "--policy", "--threads", "--decision-log",
                                                 "--token-file", "--drain-timeout", "--lang"};
        bool takes = false;
        for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
            size_t l = strlen(with_value[k]);
            if (strcmp(a, with_value[k]) == 0) {
                if (i + 1 >= argc)
                    return usage_error(a, "needs a value");
                v = argv[++i];
                takes = true;
            } else if (strncmp(a, with_value[k], l) == 0 && a[l] == '=') {
                v = a + l + 1;
                takes = true;
            }
            if (takes) {
                a = with_value[k];
                break;
            }
        }
        if (!takes) {
            if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                fputs(cmd_serve_help, stdout);
                return 0;
            }
            return usage_error(a[0] == '-' ? "unknown option" : "takes no argument:", a);
        }
        if (strcmp(a, "--listen") == 0)
            cfg.listen = v;
        else if (strcmp(a, "--policy") == 0) {
            if (n_files == SERVE_MAX_POLICIES)
                return usage_error("at most 16 --policy options", NULL);
            policy_files[n_files++] = v;
        } else if (strcmp(a, "--threads") == 0) {
            if (!parse_uint(v, 1, 1024, &cfg.threads))
                return usage_error("--threads takes a number from 1 to 1024, not", v);
        } else if (strcmp(a, "--decision-log") == 0)
            cfg.decision_log = v;
        else if (strcmp(a, "--token-file") == 0)
            cfg.token_file = v;
        else if (strcmp(a, "--drain-timeout") == 0) {
            if (!parse_uint(v, 0, 86400, &cfg.drain_seconds))
                return usage_error("--drain-timeout takes seconds from 0 to 86400, not", v);
        }
        /* --lang: accepted for symmetry with the other commands; the service's JSON has no language */
    }

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
