/* embedsvc serve: the HTTP side on libmicrohttpd — routing, authentication, request bodies
 * (whole documents up to 16 MiB, or JSON Lines handed to serve_routes.c as they arrive), the
 * answers with their provenance headers, and the daemon's lifecycle (listen, serve, drain on
 * SIGTERM/SIGINT). A client of the public API only. */
#include "serve_http.h"

#include "cli.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- answers ---- */

const serve_policy *default_policy(const serve_state *st)
{
    return &st->policies[0];
}

void add_header(struct MHD_Response *r, const char *name, const char *value)
{
    (void)MHD_add_response_header(r, name, value);
}

/* Queues a response with the body (malloc'd, taken) and the provenance headers. */
enum MHD_Result respond(request *rq, struct MHD_Connection *c, int status, const char *ctype, char *body, size_t len,
                        const char *extra_name, const char *extra_value)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body ? body : (char *)"",
                                                             body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    return respond_response(rq, c, status, ctype, r, extra_name, extra_value);
}

enum MHD_Result respond_response(request *rq, struct MHD_Connection *c, int status, const char *ctype,
                                 struct MHD_Response *r, const char *extra_name, const char *extra_value)
{
    add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    add_header(r, "X-Embedsvc-Engine", rq->st->engine);
    if (rq->n_cmp) {
        sbuf ids = {0}, versions = {0};
        for (size_t i = 0; i < rq->n_cmp; i++) {
            sbuf_puts(&ids, i ? ", " : "");
            sbuf_puts(&ids, rq->cmp_pols[i]->id_header);
            sbuf_puts(&versions, i ? ", " : "");
            sbuf_puts(&versions, rq->cmp_pols[i]->version_header);
        }
        if (!ids.failed && !versions.failed) {
            add_header(r, "X-Embedsvc-Policy-Id", ids.data);
            add_header(r, "X-Embedsvc-Policy-Version", versions.data);
        }
        sbuf_free(&ids);
        sbuf_free(&versions);
    } else {
        const serve_policy *p = rq->pol ? rq->pol : default_policy(rq->st);
        add_header(r, "X-Embedsvc-Policy-Id", p->id_header);
        add_header(r, "X-Embedsvc-Policy-Version", p->version_header);
    }
    add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (extra_name)
        add_header(r, extra_name, extra_value);
    if (atomic_load(&rq->st->draining))
        add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    rq->status = status;
    rq->responded = true;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static void write_error_object(sbuf *b, const char *code, const char *message, unsigned line, unsigned column,
                               const char *path)
{
    sbuf_puts(b, "{\"error\":{\"code\":");
    sbuf_json_string(b, code);
    sbuf_puts(b, ",\"message\":");
    sbuf_json_string(b, message);
    sbuf_printf(b, ",\"line\":%u,\"column\":%u,\"path\":", line, column);
    sbuf_json_string(b, path);
    sbuf_puts(b, "}}\n");
}

enum MHD_Result respond_error_full(request *rq, struct MHD_Connection *c, int status, const char *code,
                                   const char *message, unsigned line, unsigned column, const char *path,
                                   const char *extra_name, const char *extra_value)
{
    sbuf b = {0};
    write_error_object(&b, code, message, line, column, path);
    size_t len;
    char *body = sbuf_take(&b, &len);
    if (!body)
        return MHD_NO;
    return respond(rq, c, status, "application/json", body, len, extra_name, extra_value);
}

enum MHD_Result respond_error(request *rq, struct MHD_Connection *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

enum MHD_Result respond_error(request *rq, struct MHD_Connection *c, int status, const char *code, const char *fmt, ...)
{
    char msg[EMBEDSVC_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return respond_error_full(rq, c, status, code, msg, 0, 0, "", NULL, NULL);
}

/* The status of a library failure: bad input 400, out of memory 503, anything else 422. */
int status_of(int rc)
{
    return rc == EMBEDSVC_EPARSE || rc == EMBEDSVC_EPOLICY ? MHD_HTTP_BAD_REQUEST
           : rc == EMBEDSVC_ENOMEM                         ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                           : MHD_HTTP_UNPROCESSABLE_CONTENT;
}

enum MHD_Result respond_lib_error(request *rq, struct MHD_Connection *c, int rc, const embedsvc_error *err)
{
    if (rc == EMBEDSVC_ENOMEM && !err->code[0])
        return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    return respond_error_full(rq, c, status_of(rc), err->code[0] ? err->code : embedsvc_status_name(rc), err->message,
                              err->line, err->column, err->path, NULL, NULL);
}

enum MHD_Result respond_json(request *rq, struct MHD_Connection *c, sbuf *b)
{
    size_t len;
    char *body = sbuf_take(b, &len);
    if (!body)
        return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    return respond(rq, c, MHD_HTTP_OK, "application/json", body, len, NULL, NULL);
}

enum MHD_Result respond_static(request *rq, struct MHD_Connection *c, int status, const char *ctype, const char *text,
                               size_t len)
{
    char *body = malloc(len + 1);
    if (!body)
        return MHD_NO;
    memcpy(body, text, len);
    return respond(rq, c, status, ctype, body, len, NULL, NULL);
}

/* ---- routing ---- */

typedef struct route_def {
    const char *path;
    serve_route_id id;
    bool post; /* POST, else GET (and HEAD) */
    body_kind body;
    const char *const *params; /* the query parameters it takes */
} route_def;

static const char *const p_policy[] = {"policy", NULL};
static const char *const p_stage[] = {"policy", "target", NULL};
static const char *const p_none[] = {NULL};

static const route_def routes[] = {
    {"/v1/evaluate", ROUTE_EVALUATE, true, BODY_DOCUMENT, p_policy},
    {"/v1/batch", ROUTE_BATCH, true, BODY_LINES, p_policy},
    {"/v1/classify", ROUTE_CLASSIFY, true, BODY_DOCUMENT, p_policy},
    {"/v1/stage", ROUTE_STAGE, true, BODY_DOCUMENT, p_stage},
    {"/v1/compare", ROUTE_COMPARE, true, BODY_LINES, p_policy},
    {"/v1/policies", ROUTE_POLICIES, false, BODY_NONE, p_none},
    {"/healthz", ROUTE_HEALTHZ, false, BODY_NONE, p_none},
    {"/readyz", ROUTE_READYZ, false, BODY_NONE, p_none},
    {"/metrics", ROUTE_METRICS, false, BODY_NONE, p_none},
    {"/openapi.json", ROUTE_OPENAPI, false, BODY_NONE, p_none},
};
static const route_def policy_route = {"/v1/policies/", ROUTE_POLICY, false, BODY_NONE, p_none};

static const serve_policy *find_policy(const serve_state *st, const char *id)
{
    for (size_t i = 0; i < st->n_policies; i++)
        if (strcmp(st->policies[i].id, id) == 0)
            return &st->policies[i];
    return NULL;
}

typedef struct args_ctx {
    request *rq;
    const route_def *route;
    const char *unknown_policy;
} args_ctx;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    args_ctx *a = cls;
    bool known = false;
    for (const char *const *p = a->route->params; *p; p++)
        known |= strcmp(*p, key) == 0;
    if (!known) {
        snprintf(a->rq->bad_param, sizeof(a->rq->bad_param), "%s", key);
        return MHD_NO;
    }
    if (strcmp(key, "policy") == 0) {
        const serve_policy *p = find_policy(a->rq->st, value ? value : "");
        if (!p) {
            a->unknown_policy = value ? value : "";
            return MHD_NO;
        }
        if (a->route->id == ROUTE_COMPARE) {
            if (a->rq->n_cmp == SERVE_MAX_POLICIES) {
                a->rq->too_many_policies = true;
                return MHD_NO;
            }
            a->rq->cmp_pols[a->rq->n_cmp++] = p;
        } else {
            a->rq->pol = p;
        }
    } else if (strcmp(key, "target") == 0) {
        a->rq->stage_target = value ? embedsvc_enum_parse(EMBEDSVC_ENUM_STAGE, value, strlen(value)) : -1;
        if (a->rq->stage_target < 0) {
            snprintf(a->rq->bad_param, sizeof(a->rq->bad_param), "%s", "target");
            return MHD_NO;
        }
    }
    return MHD_YES;
}

static bool token_ok(const serve_state *st, const char *h)
{
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return false;
    h += 7;
    while (*h == ' ')
        h++;
    size_t n = strlen(h);
    /* constant time in the length of the token: every byte is compared */
    unsigned char diff = n != st->token_len;
    for (size_t i = 0; i < st->token_len; i++)
        diff |= (unsigned char)((unsigned char)st->token[i] ^ (unsigned char)(i < n ? h[i] : 0));
    return diff == 0;
}

/* The first call of a request: route, method, authentication, parameters, size. Returns MHD_YES
 * to read the body, or the result of queueing an error. */
static enum MHD_Result begin(request *rq, struct MHD_Connection *c, const char *url, const char *method)
{
    serve_state *st = rq->st;
    const route_def *rd = NULL;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (strcmp(url, routes[i].path) == 0)
            rd = &routes[i];
    const char *policy_id = NULL;
    if (!rd && strncmp(url, policy_route.path, strlen(policy_route.path)) == 0 && url[strlen(policy_route.path)]) {
        rd = &policy_route;
        policy_id = url + strlen(policy_route.path);
    }
    if (!rd) {
        rq->route = ROUTE_UNMATCHED;
        return respond_error(rq, c, MHD_HTTP_NOT_FOUND, "http.not_found", "no route %s (see /openapi.json)", url);
    }
    rq->route = rd->id;
    bool method_ok = rd->post ? strcmp(method, "POST") == 0 : strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (!method_ok) {
        char msg[128];
        snprintf(msg, sizeof(msg), "%s takes %s, not %s", rd->id == ROUTE_POLICY ? "/v1/policies/{id}" : rd->path,
                 rd->post ? "POST" : "GET", method);
        return respond_error_full(rq, c, MHD_HTTP_METHOD_NOT_ALLOWED, "http.method_not_allowed", msg, 0, 0, "",
                                  MHD_HTTP_HEADER_ALLOW, rd->post ? "POST" : "GET, HEAD");
    }
    /* liveness and readiness probes need no token */
    if (st->token && rd->id != ROUTE_HEALTHZ && rd->id != ROUTE_READYZ &&
        !token_ok(st, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION)))
        return respond_error_full(rq, c, MHD_HTTP_UNAUTHORIZED, "http.unauthorized",
                                  "this server needs an Authorization: Bearer token", 0, 0, "",
                                  MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"embedsvc\"");
    rq->pol = default_policy(st);
    rq->stage_target = -1;
    args_ctx a = {rq, rd, NULL};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_arg, &a);
    if (rq->bad_param[0]) {
        if (strcmp(rq->bad_param, "target") == 0)
            return respond_error(rq, c, MHD_HTTP_BAD_REQUEST, "request.parameter",
                                 "target must be one of call, application, joint_review, fund_approval, disbursement");
        return respond_error(rq, c, MHD_HTTP_BAD_REQUEST, "request.parameter", "%s does not take the parameter '%s'",
                             rd->id == ROUTE_POLICY ? "/v1/policies/{id}" : rd->path, rq->bad_param);
    }
    if (rq->too_many_policies)
        return respond_error(rq, c, MHD_HTTP_BAD_REQUEST, "request.parameter", "at most %d policies",
                             SERVE_MAX_POLICIES);
    if (a.unknown_policy || (policy_id && !(rq->pol = find_policy(st, policy_id)))) {
        rq->pol = default_policy(st);
        rq->n_cmp = 0;
        return respond_error(rq, c, MHD_HTTP_NOT_FOUND, "policy.unknown",
                             "no policy '%.100s' is loaded (see /v1/policies)",
                             a.unknown_policy ? a.unknown_policy : policy_id);
    }
    if (rd->id == ROUTE_STAGE && rq->stage_target < 0)
        return respond_error(rq, c, MHD_HTTP_BAD_REQUEST, "request.parameter",
                             "/v1/stage needs ?target=STAGE (call, application, joint_review, fund_approval, "
                             "disbursement)");
    rq->body_kind = rd->body;
    if (rd->body == BODY_DOCUMENT) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(cl, &end, 10);
            if (errno || *end || v > SERVE_MAX_BODY)
                return respond_error(rq, c, MHD_HTTP_CONTENT_TOO_LARGE, "parse.limit",
                                     "request body larger than %u bytes (16 MiB)", SERVE_MAX_BODY);
            if (!sbuf_reserve(&rq->body, (size_t)v)) /* one allocation for the whole body */
                return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
        }
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        rq->text_plain = rd->id == ROUTE_CLASSIFY && ct && strncasecmp(ct, "text/plain", 10) == 0;
    } else if (rd->id == ROUTE_BATCH) {
        rq->out = calloc(1, sizeof(*rq->out));
        if (!rq->out || embedsvc_batch_new(rq->pol->policy, NULL, &rq->batch) != EMBEDSVC_OK)
            return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    } else if (rd->id == ROUTE_COMPARE) {
        if (rq->n_cmp == 0) { /* every loaded policy, the first the baseline */
            for (size_t i = 0; i < st->n_policies; i++)
                rq->cmp_pols[i] = &st->policies[i];
            rq->n_cmp = st->n_policies;
        }
        const embedsvc_policy *pols[SERVE_MAX_POLICIES];
        for (size_t i = 0; i < rq->n_cmp; i++)
            pols[i] = rq->cmp_pols[i]->policy;
        rq->pol = rq->cmp_pols[0];
        if (embedsvc_compare_new(pols, rq->n_cmp, NULL, &rq->cmp) != EMBEDSVC_OK)
            return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    }
    return MHD_YES;
}

static enum MHD_Result finish(request *rq, struct MHD_Connection *c)
{
    serve_state *st = rq->st;
    switch (rq->route) {
    case ROUTE_EVALUATE:
        return do_evaluate(rq, c);
    case ROUTE_STAGE:
        return do_stage(rq, c);
    case ROUTE_CLASSIFY:
        return do_classify(rq, c);
    case ROUTE_BATCH:
    case ROUTE_COMPARE:
        return finish_lines(rq, c);
    case ROUTE_POLICIES:
        return do_policies(rq, c);
    case ROUTE_POLICY:
        return do_policy(rq, c);
    case ROUTE_HEALTHZ:
        return respond_static(rq, c, MHD_HTTP_OK, "application/json", "{\"status\":\"ok\"}\n", 16);
    case ROUTE_READYZ:
        if (atomic_load(&st->draining))
            return respond_static(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "application/json",
                                  "{\"status\":\"draining\"}\n", 22);
        return respond_static(rq, c, MHD_HTTP_OK, "application/json", "{\"status\":\"ready\"}\n", 19);
    case ROUTE_METRICS:
        return do_metrics(rq, c);
    case ROUTE_OPENAPI:
        return respond_static(rq, c, MHD_HTTP_OK, "application/json", (const char *)embedsvc_serve_openapi_json,
                              embedsvc_serve_openapi_json_len);
    default:
        return MHD_NO;
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof(*rq));
        if (!rq)
            return MHD_NO;
        rq->st = cls;
        rq->t0 = serve_now_mono();
        rq->route = ROUTE_UNMATCHED;
        *con_cls = rq;
        atomic_fetch_add(&rq->st->metrics.in_flight, 1);
        return begin(rq, c, url, method);
    }
    if (rq->responded) { /* an error was queued: drop the rest of the upload */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->body_kind == BODY_DOCUMENT) {
            /* A chunked upload has no Content-Length: count as it streams. libmicrohttpd takes a
             * response only once the upload is complete, so the rest is read and dropped (memory
             * stays bounded), and a sender that goes on past 4 x the limit is disconnected. */
            rq->uploaded += n;
            if (rq->uploaded > SERVE_MAX_BODY) {
                sbuf_free(&rq->body);
                return rq->uploaded > 4ull * SERVE_MAX_BODY ? MHD_NO : MHD_YES;
            }
            sbuf_append(&rq->body, upload_data, n);
            if (rq->body.failed)
                return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
        } else if (rq->body_kind == BODY_LINES) {
            feed_lines(rq, upload_data, n);
        }
        /* BODY_NONE: a body sent to a GET route is ignored */
        return MHD_YES;
    }
    if (rq->uploaded > SERVE_MAX_BODY)
        return respond_error(rq, c, MHD_HTTP_CONTENT_TOO_LARGE, "parse.limit",
                             "request body larger than %u bytes (16 MiB)", SERVE_MAX_BODY);
    return finish(rq, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    serve_state *st = cls;
    request *rq = *con_cls;
    if (!rq)
        return;
    *con_cls = NULL;
    serve_metrics_observe(&st->metrics, rq->route, rq->status, serve_now_mono() - rq->t0);
    sbuf_free(&rq->body);
    sbuf_free(&rq->line);
    embedsvc_batch_free(rq->batch);
    embedsvc_compare_free(rq->cmp);
    spool_free(rq->out);
    free(rq);
    atomic_fetch_sub(&st->metrics.in_flight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("embedsvc serve: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- lifecycle ---- */

/* HOST:PORT with HOST an IPv4 address, "localhost", or [IPv6]; PORT 0 picks a free port. */
static bool parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *v6)
{
    const char *colon = strrchr(s, ':');
    if (!colon || !colon[1])
        return false;
    char *end;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno || *end || port > 65535)
        return false;
    char host[64];
    size_t hl = (size_t)(colon - s);
    if (hl >= sizeof(host))
        return false;
    memcpy(host, s, hl);
    host[hl] = '\0';
    memset(ss, 0, sizeof(*ss));
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return false;
        *len = sizeof(*a);
        *v6 = true;
        return true;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return false;
    *len = sizeof(*a);
    *v6 = false;
    return true;
}

int serve_run(serve_state *st, const serve_config *cfg)
{
    struct sockaddr_storage ss;
    socklen_t slen;
    bool v6;
    if (!parse_listen(cfg->listen, &ss, &slen, &v6)) {
        fprintf(stderr, "embedsvc serve: --listen %s: expected HOST:PORT (127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080)\n",
                cli_esc(cfg->listen));
        return 2;
    }
    unsigned threads = cfg->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    /* poll(), not epoll (which MHD_USE_AUTO picks on Linux): with epoll and internal threads,
     * MHD_quiesce_daemon() at SIGTERM races with a worker removing the same listening socket from
     * its epoll set, and libmicrohttpd aborts ("Failed to remove listen FD from epoll set"; seen
     * once in the test suite with 0.9.75). The poll() side of quiescing has no such removal. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, st, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, /* first */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, st, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "embedsvc serve: cannot listen on %s: %s\n", cli_esc(cfg->listen), strerror(errno));
        return 2;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char host[64];
    if (v6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
    fprintf(stderr, "embedsvc serve: listening on http://%s%s%s:%u (%u threads, %zu polic%s: ", v6 ? "[" : "", host,
            v6 ? "]" : "", port, threads, st->n_policies, st->n_policies == 1 ? "y" : "ies");
    for (size_t i = 0; i < st->n_policies; i++)
        fprintf(stderr, "%s%s %s", i ? ", " : "", cli_esc(st->policies[i].id), cli_esc(st->policies[i].version));
    fputs(")\n", stderr);
    fflush(stderr);

    /* SIGTERM and SIGINT are blocked in every thread (cmd_serve); wait for one here */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    atomic_store(&st->draining, true);
    fprintf(stderr, "embedsvc serve: %s: no new connections; finishing %llu request(s) in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", (unsigned long long)atomic_load(&st->metrics.in_flight));
    fflush(stderr);
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    double deadline = serve_now_mono() + cfg->drain_seconds;
    while (atomic_load(&st->metrics.in_flight) > 0 && serve_now_mono() < deadline)
        usleep(10000);
    uint64_t left = atomic_load(&st->metrics.in_flight);
    MHD_stop_daemon(d);
    if (left)
        fprintf(stderr, "embedsvc serve: stopped after %u s with %llu request(s) unfinished\n", cfg->drain_seconds,
                (unsigned long long)left);
    else
        fputs("embedsvc serve: stopped\n", stderr);
    return 0;
}
