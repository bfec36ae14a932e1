/* embedsvc serve — the HTTP decision service (issue 18): declarations shared by cmd_serve.c,
 * serve_http.c, serve_log.c and serve_texts.c. A client of the public API only. */
#ifndef EMBEDSVC_TOOLS_SERVE_H
#define EMBEDSVC_TOOLS_SERVE_H

#include <embedsvc.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest request document (reference §10): bodies above it get 413. */
#define SERVE_MAX_BODY (16u * 1024u * 1024u)
/* The most policies one server loads (the most one comparison takes). */
#define SERVE_MAX_POLICIES EMBEDSVC_COMPARE_MAX_POLICIES

/* ---- a growing byte buffer ---- */

typedef struct sbuf {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed; every later append is ignored */
} sbuf;

/* Makes room for `more` bytes (and a NUL) beyond the length; false when an allocation failed. */
bool sbuf_reserve(sbuf *b, size_t more);
void sbuf_append(sbuf *b, const char *s, size_t n);
void sbuf_puts(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal, escaped as `embedsvc classify --json` escapes it. */
void sbuf_json_string(sbuf *b, const char *s);
void sbuf_json_string_or_null(sbuf *b, const char *s);
/* Takes the data (NUL-terminated) out of the buffer; NULL when an allocation failed. */
char *sbuf_take(sbuf *b, size_t *len);
void sbuf_free(sbuf *b);

/* ---- the loaded policies ---- */

typedef struct serve_policy {
    embedsvc_policy *policy;
    const char *id, *version; /* owned by the policy */
    char *canonical;          /* embedsvc_policy_to_json(), as `embedsvc policy show` prints it */
    size_t canonical_len;
    char *id_header, *version_header; /* id and version made safe for a header value */
} serve_policy;

/* ---- metrics (Prometheus text exposition) ---- */

typedef enum serve_route_id {
    ROUTE_EVALUATE,
    ROUTE_BATCH,
    ROUTE_CLASSIFY,
    ROUTE_STAGE,
    ROUTE_COMPARE,
    ROUTE_POLICIES,
    ROUTE_POLICY,
    ROUTE_HEALTHZ,
    ROUTE_READYZ,
    ROUTE_METRICS,
    ROUTE_OPENAPI,
    ROUTE_UNMATCHED,
    ROUTE_COUNT
} serve_route_id;

extern const char *const serve_route_label[ROUTE_COUNT];

/* The status codes the service answers with; anything else is counted as "other". */
#define SERVE_STATUS_COUNT 9
extern const int serve_statuses[SERVE_STATUS_COUNT];
/* Upper bounds in seconds of the latency histogram. */
#define SERVE_BUCKETS 14
extern const double serve_buckets[SERVE_BUCKETS];

typedef struct serve_metrics {
    atomic_uint_fast64_t requests[ROUTE_COUNT][SERVE_STATUS_COUNT + 1];
    atomic_uint_fast64_t latency[ROUTE_COUNT][SERVE_BUCKETS + 1]; /* not cumulative; +Inf last */
    atomic_uint_fast64_t latency_sum_us[ROUTE_COUNT];
    atomic_uint_fast64_t evaluations;       /* projects evaluated (evaluate, stage, batch and compare lines) */
    atomic_uint_fast64_t evaluation_errors; /* documents or lines that did not parse or evaluate */
    atomic_uint_fast64_t eligible;          /* evaluations that were eligible */
    atomic_uint_fast64_t classifications;
    atomic_uint_fast64_t in_flight;
    atomic_uint_fast64_t log_dropped; /* decision log lines dropped because the queue was full */
    double started;                   /* CLOCK_REALTIME seconds */
} serve_metrics;

void serve_metrics_observe(serve_metrics *m, serve_route_id route, int status, double seconds);
/* The exposition text of all metrics. */
void serve_metrics_write(serve_metrics *m, sbuf *out, size_t n_policies, const serve_policy *policies);

/* ---- the decision log: one JSON line per decision, written by its own thread ---- */

typedef struct serve_log serve_log;

/* Opens the log ("-" is standard output); NULL path: no log. Returns NULL and prints on failure. */
int serve_log_open(serve_log **out, const char *path, serve_metrics *metrics);
/* Queues one line (without its newline); never blocks on the writer. Takes ownership of line. */
void serve_log_push(serve_log *log, char *line, size_t len);
bool serve_log_enabled(const serve_log *log);
/* Writes what is queued, stops the writer and closes the file. */
void serve_log_close(serve_log *log);
/* "2026-12-02T07:30:00.123Z" for a CLOCK_REALTIME time. */
void serve_format_time(double t, char *out, size_t size);
double serve_now_mono(void);
double serve_now_real(void);

/* ---- the classify request body: {"texts":["…", …]} ---- */

/* Parses the body into an array of NUL-terminated texts (one allocation each, freed with
 * serve_texts_free). On failure fills err (code, message, line, column, path) with the codes of
 * reference §10 and returns false. */
bool serve_texts_parse(const char *data, size_t len, char ***texts, size_t *count, embedsvc_error *err);
void serve_texts_free(char **texts, size_t count);

/* ---- the server ---- */

typedef struct serve_config {
    const char *listen;       /* HOST:PORT */
    unsigned threads;         /* 0: one per CPU */
    const char *decision_log; /* NULL: none */
    const char *token_file;   /* NULL: no authentication */
    unsigned drain_seconds;   /* how long SIGTERM waits for in-flight requests */
} serve_config;

typedef struct serve_state {
    serve_policy policies[SERVE_MAX_POLICIES];
    size_t n_policies;
    char *token; /* NULL: no authentication */
    size_t token_len;
    serve_metrics metrics;
    serve_log *log;
    atomic_bool draining;
    atomic_uint_fast64_t next_decision;
    char engine[64]; /* "libembedsvc 0.1.0" */
} serve_state;

/* Starts the daemon on cfg->listen, prints the address, serves until SIGTERM or SIGINT, drains,
 * stops. Returns the exit status. */
int serve_run(serve_state *st, const serve_config *cfg);

/* The OpenAPI document compiled in from tools/openapi.json. */
extern const unsigned char embedsvc_serve_openapi_json[];
extern const size_t embedsvc_serve_openapi_json_len;

#endif
