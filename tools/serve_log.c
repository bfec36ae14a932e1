/* embedsvc serve: the byte buffer, the metrics (Prometheus text exposition format 0.0.4) and the
 * decision log (a bounded queue drained by one writer thread, so that a slow disk never blocks a
 * request: when the queue is full a line is dropped and counted). */
#include "serve.h"

#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- sbuf ---- */

bool sbuf_reserve(sbuf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void sbuf_append(sbuf *b, const char *s, size_t n)
{
    if (!sbuf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sbuf_puts(sbuf *b, const char *s)
{
    sbuf_append(b, s, strlen(s));
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        sbuf_append(b, small, (size_t)n);
        return;
    }
    if (!sbuf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sbuf_json_string(sbuf *b, const char *s)
{
    sbuf_append(b, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        if (*p && *p != '"' && *p != '\\' && *p >= 0x20)
            continue;
        sbuf_append(b, run, (size_t)((const char *)p - run));
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            sbuf_append(b, e, 2);
        } else {
            sbuf_printf(b, "\\u%04x", *p);
        }
        run = (const char *)p + 1;
    }
    sbuf_append(b, "\"", 1);
}

void sbuf_json_string_or_null(sbuf *b, const char *s)
{
    if (s)
        sbuf_json_string(b, s);
    else
        sbuf_puts(b, "null");
}

char *sbuf_take(sbuf *b, size_t *len)
{
    if (!b->failed && !sbuf_reserve(b, 0))
        b->failed = true;
    if (b->failed) {
        sbuf_free(b);
        return NULL;
    }
    char *d = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void sbuf_free(sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

/* ---- time ---- */

double serve_now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double serve_now_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void serve_format_time(double t, char *out, size_t size)
{
    time_t secs = (time_t)t;
    int ms = (int)((t - (double)secs) * 1000.0);
    if (ms > 999)
        ms = 999;
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ms);
}

/* ---- metrics ---- */

const char *const serve_route_label[ROUTE_COUNT] = {
    "/v1/evaluate",      "/v1/batch", "/v1/classify", "/v1/stage", "/v1/compare",   "/v1/policies",
    "/v1/policies/{id}", "/healthz",  "/readyz",      "/metrics",  "/openapi.json", "unmatched",
};

const int serve_statuses[SERVE_STATUS_COUNT] = {200, 400, 401, 404, 405, 413, 422, 500, 503};

const double serve_buckets[SERVE_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                             0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   5.0};

void serve_metrics_observe(serve_metrics *m, serve_route_id route, int status, double seconds)
{
    size_t s = SERVE_STATUS_COUNT;
    for (size_t i = 0; i < SERVE_STATUS_COUNT; i++)
        if (serve_statuses[i] == status)
            s = i;
    atomic_fetch_add_explicit(&m->requests[route][s], 1, memory_order_relaxed);
    size_t b = SERVE_BUCKETS;
    for (size_t i = 0; i < SERVE_BUCKETS; i++)
        if (seconds <= serve_buckets[i]) {
            b = i;
            break;
        }
    atomic_fetch_add_explicit(&m->latency[route][b], 1, memory_order_relaxed);
    double us = seconds * 1e6;
    atomic_fetch_add_explicit(&m->latency_sum_us[route], us > 0 ? (uint_fast64_t)us : 0, memory_order_relaxed);
}

static uint64_t get(atomic_uint_fast64_t *v)
{
    return (uint64_t)atomic_load_explicit(v, memory_order_relaxed);
}

void serve_metrics_write(serve_metrics *m, sbuf *o, size_t n_policies, const serve_policy *policies)
{
    sbuf_puts(o, "# HELP embedsvc_http_requests_total HTTP requests answered, by route and status code.\n"
                 "# TYPE embedsvc_http_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT; r++)
        for (int s = 0; s <= SERVE_STATUS_COUNT; s++) {
            uint64_t n = get(&m->requests[r][s]);
            if (n == 0 && !(s == 0 && r != ROUTE_UNMATCHED))
                continue; /* every route shows its 200 line, even at 0 */
            if (s < SERVE_STATUS_COUNT)
                sbuf_printf(o, "embedsvc_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n", serve_route_label[r],
                            serve_statuses[s], (unsigned long long)n);
            else
                sbuf_printf(o, "embedsvc_http_requests_total{route=\"%s\",code=\"other\"} %llu\n", serve_route_label[r],
                            (unsigned long long)n);
        }
    sbuf_puts(o, "# HELP embedsvc_http_request_duration_seconds Time from the request's headers to the end of "
                 "its response, by route.\n"
                 "# TYPE embedsvc_http_request_duration_seconds histogram\n");
    for (int r = 0; r < ROUTE_COUNT; r++) {
        uint64_t cum = 0;
        for (int b = 0; b <= SERVE_BUCKETS; b++) {
            cum += get(&m->latency[r][b]);
            if (b < SERVE_BUCKETS)
                sbuf_printf(o, "embedsvc_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                            serve_route_label[r], serve_buckets[b], (unsigned long long)cum);
            else
                sbuf_printf(o, "embedsvc_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                            serve_route_label[r], (unsigned long long)cum);
        }
        sbuf_printf(o, "embedsvc_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", serve_route_label[r],
                    (double)get(&m->latency_sum_us[r]) / 1e6);
        sbuf_printf(o, "embedsvc_http_request_duration_seconds_count{route=\"%s\"} %llu\n", serve_route_label[r],
                    (unsigned long long)cum);
    }
    sbuf_printf(
        o,
        "# HELP embedsvc_evaluations_total Projects evaluated (evaluate, stage, batch and compare lines).\n"
        "# TYPE embedsvc_evaluations_total counter\n"
        "embedsvc_evaluations_total %llu\n"
        "# HELP embedsvc_evaluations_eligible_total Evaluations whose project was eligible.\n"
        "# TYPE embedsvc_evaluations_eligible_total counter\n"
        "embedsvc_evaluations_eligible_total %llu\n"
        "# HELP embedsvc_evaluation_errors_total Documents or lines that did not parse or evaluate.\n"
        "# TYPE embedsvc_evaluation_errors_total counter\n"
        "embedsvc_evaluation_errors_total %llu\n"
        "# HELP embedsvc_classifications_total Texts classified.\n"
        "# TYPE embedsvc_classifications_total counter\n"
        "embedsvc_classifications_total %llu\n"
        "# HELP embedsvc_http_requests_in_flight Requests being answered now.\n"
        "# TYPE embedsvc_http_requests_in_flight gauge\n"
        "embedsvc_http_requests_in_flight %llu\n"
        "# HELP embedsvc_decision_log_dropped_total Decision log lines dropped because the writer fell behind.\n"
        "# TYPE embedsvc_decision_log_dropped_total counter\n"
        "embedsvc_decision_log_dropped_total %llu\n"
        "# HELP embedsvc_start_time_seconds Start time of the server since the Unix epoch.\n"
        "# TYPE embedsvc_start_time_seconds gauge\n"
        "embedsvc_start_time_seconds %.3f\n",
        (unsigned long long)get(&m->evaluations), (unsigned long long)get(&m->eligible),
        (unsigned long long)get(&m->evaluation_errors), (unsigned long long)get(&m->classifications),
        (unsigned long long)get(&m->in_flight), (unsigned long long)get(&m->log_dropped), m->started);
    sbuf_puts(o, "# HELP embedsvc_build_info The engine version.\n# TYPE embedsvc_build_info gauge\n");
    sbuf_printf(o, "embedsvc_build_info{version=\"%s\"} 1\n", embedsvc_version_string());
    sbuf_puts(o, "# HELP embedsvc_policy_info The policies loaded, in order (index 0 is the default).\n"
                 "# TYPE embedsvc_policy_info gauge\n");
    for (size_t i = 0; i < n_policies; i++) {
        /* label values escape backslash, double quote and newline (exposition format) */
        sbuf_printf(o, "embedsvc_policy_info{index=\"%zu\",id=\"", i);
        for (int k = 0; k < 2; k++) {
            const char *s = k ? policies[i].version : policies[i].id;
            for (; *s; s++) {
                if (*s == '\\' || *s == '"')
                    sbuf_printf(o, "\\%c", *s);
                else if (*s == '\n')
                    sbuf_puts(o, "\\n");
                else
                    sbuf_append(o, s, 1);
            }
            sbuf_puts(o, k ? "\"} 1\n" : "\",version=\"");
        }
    }
}

/* ---- the decision log ---- */

#define LOG_QUEUE 65536

typedef struct log_line {
    char *data;
    size_t len;
} log_line;

struct serve_log {
    FILE *f;
    bool close_f;
    serve_metrics *metrics;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    log_line *q; /* ring buffer */
    size_t head, count;
    bool stop;
};

static void *log_writer(void *arg)
{
    serve_log *l = arg;
    log_line *batch = malloc(sizeof(log_line) * 1024);
    pthread_mutex_lock(&l->mu);
    for (;;) {
        while (l->count == 0 && !l->stop)
            pthread_cond_wait(&l->cv, &l->mu);
        if (l->count == 0 && l->stop)
            break;
        size_t n = 0;
        while (l->count && n < 1024 && batch) {
            batch[n++] = l->q[l->head];
            l->head = (l->head + 1) % LOG_QUEUE;
            l->count--;
        }
        pthread_mutex_unlock(&l->mu);
        for (size_t i = 0; i < n; i++) {
            fwrite(batch[i].data, 1, batch[i].len, l->f);
            fputc('\n', l->f);
            free(batch[i].data);
        }
        fflush(l->f);
        pthread_mutex_lock(&l->mu);
        if (!batch) { /* could not allocate the batch: drop what is queued rather than spin */
            while (l->count) {
                free(l->q[l->head].data);
                l->head = (l->head + 1) % LOG_QUEUE;
                l->count--;
                atomic_fetch_add(&l->metrics->log_dropped, 1);
            }
        }
    }
    pthread_mutex_unlock(&l->mu);
    free(batch);
    return NULL;
}

int serve_log_open(serve_log **out, const char *path, serve_metrics *metrics)
{
    *out = NULL;
    if (!path)
        return 0;
    serve_log *l = calloc(1, sizeof(*l));
    if (!l || !(l->q = calloc(LOG_QUEUE, sizeof(log_line)))) {
        free(l);
        fputs("embedsvc serve: out of memory\n", stderr);
        return -1;
    }
    if (strcmp(path, "-") == 0) {
        l->f = stdout;
    } else {
        l->f = fopen(path, "a");
        l->close_f = true;
        if (!l->f) {
            fprintf(stderr, "embedsvc serve: --decision-log %s: %s\n", cli_esc(path), strerror(errno));
            free(l->q);
            free(l);
            return -1;
        }
    }
    l->metrics = metrics;
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    if (pthread_create(&l->thread, NULL, log_writer, l) != 0) {
        fputs("embedsvc serve: cannot start the decision log writer\n", stderr);
        if (l->close_f)
            fclose(l->f);
        free(l->q);
        free(l);
        return -1;
    }
    *out = l;
    return 0;
}

bool serve_log_enabled(const serve_log *log)
{
    return log != NULL;
}

void serve_log_push(serve_log *l, char *line, size_t len)
{
    if (!l || !line) {
        free(line);
        return;
    }
    pthread_mutex_lock(&l->mu);
    if (l->count == LOG_QUEUE || l->stop) {
        pthread_mutex_unlock(&l->mu);
        free(line);
        atomic_fetch_add(&l->metrics->log_dropped, 1);
        return;
    }
    l->q[(l->head + l->count) % LOG_QUEUE] = (log_line){line, len};
    l->count++;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

void serve_log_close(serve_log *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    fflush(l->f);
    if (l->close_f)
        fclose(l->f);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    free(l->q);
    free(l);
}
