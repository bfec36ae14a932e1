/* embedsvc serve: the work of each route — evaluate, stage, classify, the policies, the metrics,
 * and the JSON Lines of batch and compare (split into lines as they arrive, results spooled) —
 * and the lines of the decision log. A client of the public API only. */
#include "serve_http.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- the spool of /v1/batch results ---- */

static void spool_write(spool *s, const char *data, size_t n)
{
    if (s->failed)
        return;
    if (!s->file && s->mem.len + n > SPOOL_MEMORY) {
        s->file = tmpfile();
        if (!s->file || fwrite(s->mem.data ? s->mem.data : "", 1, s->mem.len, s->file) != s->mem.len) {
            s->failed = true;
            return;
        }
        sbuf_free(&s->mem);
    }
    if (s->file) {
        if (fwrite(data, 1, n, s->file) != n)
            s->failed = true;
    } else {
        sbuf_append(&s->mem, data, n);
        if (s->mem.failed)
            s->failed = true;
    }
    s->size += n;
}

static ssize_t spool_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    spool *s = cls;
    if (pos >= s->size)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = (size_t)(s->size - pos < max ? s->size - pos : max);
    if (!s->file) {
        memcpy(buf, s->mem.data + pos, n);
        return (ssize_t)n;
    }
    if (fseeko(s->file, (off_t)pos, SEEK_SET) != 0 || fread(buf, 1, n, s->file) != n)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    return (ssize_t)n;
}

/* The answer of /v1/compare: the comparison's JSON a piece at a time as the connection takes it
 * (embedsvc_compare_to_json_next), then a newline, as `embedsvc compare --json` prints it; the
 * document is never whole in memory. The response owns the comparison. */
typedef struct compare_body {
    embedsvc_compare *cmp;
    uint64_t at;       /* the position of the next piece */
    const char *piece; /* the piece being sent */
    size_t len, off;
    bool ended; /* the piece is the final newline */
} compare_body;

static ssize_t compare_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    compare_body *b = cls;
    if (b->off == b->len) {
        if (b->ended)
            return MHD_CONTENT_READER_END_OF_STREAM;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = embedsvc_compare_to_json_next(b->cmp, &b->at, &b->piece, &b->len, &err);
        if (rc != EMBEDSVC_OK) { /* the status line is sent: the connection is closed mid-body */
            fprintf(stderr, "embedsvc serve: /v1/compare: the answer stopped: %s: %s\n", err.code,
                    err.message); /* the library's own words: out of memory */
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        b->off = 0;
        if (!b->len) {
            b->piece = "\n";
            b->len = 1;
            b->ended = true;
        }
    }
    size_t n = b->len - b->off < max ? b->len - b->off : max;
    memcpy(buf, b->piece + b->off, n);
    b->off += n;
    return (ssize_t)n;
}

static void compare_body_free(void *cls)
{
    compare_body *b = cls;
    embedsvc_compare_free(b->cmp);
    free(b);
}

void spool_free(void *cls)
{
    spool *s = cls;
    if (!s)
        return;
    sbuf_free(&s->mem);
    if (s->file)
        fclose(s->file);
    free(s);
}

/* ---- the decision log ---- */

/* Queues the decision's line; returns its decision_id, or 0 without a log. */
static uint64_t log_decision(request *rq, const embedsvc_result *r, int64_t line, double seconds, const char *extra)
{
    if (!serve_log_enabled(rq->st->log))
        return 0;
    char when[40];
    serve_format_time(serve_now_real(), when, sizeof(when));
    uint64_t id = (uint64_t)atomic_fetch_add(&rq->st->next_decision, 1) + 1;
    sbuf b = {0};
    sbuf_printf(&b, "{\"time\":\"%s\",\"decision_id\":%llu,\"route\":\"%s\",", when, (unsigned long long)id,
                serve_route_label[rq->route]);
    if (line > 0)
        sbuf_printf(&b, "\"line\":%lld,", (long long)line);
    sbuf_puts(&b, "\"policy\":{\"id\":");
    sbuf_json_string(&b, rq->pol->id);
    sbuf_puts(&b, ",\"version\":");
    sbuf_json_string(&b, rq->pol->version);
    sbuf_puts(&b, "},\"project_id\":");
    sbuf_json_string_or_null(&b, embedsvc_result_project_id(r));
    sbuf_printf(&b, ",\"eligible\":%s,\"subsidy_eligible\":%s,\"total_fen\":%lld",
                embedsvc_result_eligible(r) ? "true" : "false", embedsvc_result_subsidy_eligible(r) ? "true" : "false",
                (long long)embedsvc_result_total_fen(r));
    if (extra)
        sbuf_puts(&b, extra);
    sbuf_printf(&b, ",\"duration_us\":%lld}", (long long)(seconds * 1e6));
    size_t len;
    char *data = sbuf_take(&b, &len);
    if (data)
        serve_log_push(rq->st->log, data, len);
    else
        atomic_fetch_add(&rq->st->metrics.log_dropped, 1);
    return id;
}

/* The X-Embedsvc-Decision-Id header of an answer whose decision was logged. */
static enum MHD_Result respond_decision(request *rq, struct MHD_Connection *c, char *body, size_t len, uint64_t id)
{
    char v[24];
    snprintf(v, sizeof(v), "%llu", (unsigned long long)id);
    return respond(rq, c, MHD_HTTP_OK, "application/json", body, len, id ? "X-Embedsvc-Decision-Id" : NULL, v);
}

static void count_evaluation(serve_state *st, const embedsvc_result *r)
{
    atomic_fetch_add_explicit(&st->metrics.evaluations, 1, memory_order_relaxed);
    if (embedsvc_result_eligible(r))
        atomic_fetch_add_explicit(&st->metrics.eligible, 1, memory_order_relaxed);
}

/* ---- POST /v1/evaluate and /v1/stage ---- */

/* One project and one result per worker thread, reused by every request it answers (parse and
 * evaluate reset them), freed when the thread ends. */
typedef struct worker {
    embedsvc_project *project;
    embedsvc_result *result;
} worker;

static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;
static bool worker_key_ok;

static void worker_free(void *p)
{
    worker *w = p;
    if (!w)
        return;
    embedsvc_project_free(w->project);
    embedsvc_result_free(w->result);
    free(w);
}

static void worker_key_init(void)
{
    worker_key_ok = pthread_key_create(&worker_key, worker_free) == 0;
}

static worker *get_worker(void)
{
    pthread_once(&worker_once, worker_key_init);
    if (!worker_key_ok)
        return NULL;
    worker *w = pthread_getspecific(worker_key);
    if (w)
        return w;
    w = calloc(1, sizeof(*w));
    if (!w || embedsvc_project_new(NULL, &w->project) != EMBEDSVC_OK ||
        embedsvc_result_new(NULL, &w->result) != EMBEDSVC_OK || pthread_setspecific(worker_key, w) != 0) {
        worker_free(w);
        return NULL;
    }
    return w;
}

enum MHD_Result do_evaluate(request *rq, struct MHD_Connection *c)
{
    double t = serve_now_mono();
    worker *w = get_worker();
    if (!w)
        return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    embedsvc_project *pr = w->project;
    embedsvc_result *r = w->result;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    enum MHD_Result ret;
    int rc = embedsvc_project_parse(pr, rq->body.data ? rq->body.data : "", rq->body.len, &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(rq->pol->policy, pr, r, &err);
    const char *json = NULL;
    size_t n = 0;
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_to_json(r, &json, &n, &err);
    if (rc != EMBEDSVC_OK) {
        atomic_fetch_add_explicit(&rq->st->metrics.evaluation_errors, 1, memory_order_relaxed);
        ret = respond_lib_error(rq, c, rc, &err);
        goto out;
    }
    count_evaluation(rq->st, r);
    char *body = malloc(n + 1);
    if (!body) {
        ret = respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
        goto out;
    }
    memcpy(body, json, n);
    body[n] = '\n'; /* as `embedsvc check --json` prints it */
    uint64_t id = log_decision(rq, r, 0, serve_now_mono() - t, NULL);
    ret = respond_decision(rq, c, body, n + 1, id);
out:
    return ret;
}

enum MHD_Result do_stage(request *rq, struct MHD_Connection *c)
{
    double t = serve_now_mono();
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    embedsvc_stage_report *rep = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    enum MHD_Result ret;
    int rc = embedsvc_project_new(NULL, &pr);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_new(NULL, &r);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_stage_report_new(NULL, &rep);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_project_parse(pr, rq->body.data ? rq->body.data : "", rq->body.len, &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_stage_check(rq->pol->policy, pr, (embedsvc_stage)rq->stage_target, rep, &err);
    if (rc == EMBEDSVC_OK) /* for the decision log */
        rc = embedsvc_evaluate(rq->pol->policy, pr, r, &err);
    if (rc != EMBEDSVC_OK) {
        atomic_fetch_add_explicit(&rq->st->metrics.evaluation_errors, 1, memory_order_relaxed);
        ret = respond_lib_error(rq, c, rc, &err);
        goto out;
    }
    count_evaluation(rq->st, r);
    /* the bytes of `embedsvc stage --json FILE STAGE` */
    bool ok = embedsvc_stage_report_allowed(rep);
    sbuf b = {0};
    sbuf_printf(&b, "{\"stage\":\"%s\",\"target\":\"%s\",\"allowed\":%s,\"unmet\":[",
                embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, embedsvc_stage_report_current(rep)),
                embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, rq->stage_target), ok ? "true" : "false");
    char zh[1024], en[1024];
    for (size_t i = 0; i < embedsvc_stage_report_count(rep); i++) {
        embedsvc_stage_report_message(rep, i, "zh", zh, sizeof(zh));
        embedsvc_stage_report_message(rep, i, "en", en, sizeof(en));
        sbuf_printf(&b, "%s{\"code\":\"%s\",\"cite\":\"%s\",\"message_zh\":", i ? "," : "",
                    embedsvc_stage_report_code(rep, i), embedsvc_stage_report_cite(rep, i));
        sbuf_json_string(&b, zh);
        sbuf_puts(&b, ",\"message_en\":");
        sbuf_json_string(&b, en);
        sbuf_puts(&b, "}");
    }
    sbuf_puts(&b, "]}\n");
    char extra[96];
    snprintf(extra, sizeof(extra), ",\"stage_target\":\"%s\",\"stage_allowed\":%s",
             embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, rq->stage_target), ok ? "true" : "false");
    uint64_t id = log_decision(rq, r, 0, serve_now_mono() - t, extra);
    size_t len;
    char *body = sbuf_take(&b, &len);
    ret = body ? respond_decision(rq, c, body, len, id)
               : respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
out:
    embedsvc_stage_report_free(rep);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    return ret;
}

/* ---- POST /v1/classify ---- */

static void write_classification(sbuf *b, const embedsvc_policy *p, const char *text, const embedsvc_classification *c)
{
    static const char *const kinds[] = {"none", "exact", "contains", "ambiguous"};
    embedsvc_match m = embedsvc_classification_match(c);
    int s = embedsvc_classification_scenario(c);
    int cls = embedsvc_classification_class(c);
    /* the fields and bytes of one line of `embedsvc classify --json` */
    sbuf_puts(b, "{\"text\":");
    sbuf_json_string(b, text);
    sbuf_printf(b, ",\"match\":\"%s\",\"scenario\":", kinds[m]);
    sbuf_json_string_or_null(b, s >= 0 ? embedsvc_policy_scenario_name(p, (size_t)s, EMBEDSVC_NAME_CODE) : NULL);
    sbuf_puts(b, ",\"service_class\":");
    sbuf_json_string_or_null(b, cls >= 0 ? embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, cls) : NULL);
    sbuf_puts(b, ",\"term\":");
    sbuf_json_string_or_null(b, embedsvc_classification_term(c));
    if (m == EMBEDSVC_MATCH_AMBIGUOUS) {
        sbuf_puts(b, ",\"candidates\":[");
        for (size_t k = 0; k < embedsvc_classification_candidate_count(c); k++) {
            int cs, ci;
            embedsvc_classification_candidate(c, k, &cs, &ci);
            sbuf_puts(b, k ? ",{\"scenario\":" : "{\"scenario\":");
            sbuf_json_string_or_null(b,
                                     cs >= 0 ? embedsvc_policy_scenario_name(p, (size_t)cs, EMBEDSVC_NAME_CODE) : NULL);
            sbuf_puts(b, ",\"item\":");
            sbuf_json_string_or_null(b, ci >= 0 ? embedsvc_policy_item_name(p, (size_t)ci, EMBEDSVC_NAME_ZH) : NULL);
            sbuf_puts(b, "}");
        }
        sbuf_puts(b, "]");
    }
    sbuf_puts(b, "}");
}

/* text/plain: one text per line (a trailing \r removed; blank lines skipped). */
static bool split_text_lines(const char *data, size_t len, char ***texts, size_t *count)
{
    size_t cap = 0, n = 0;
    char **v = NULL;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && data[i] != '\n')
            continue;
        size_t e = i;
        if (e > start && data[e - 1] == '\r')
            e--;
        if (e > start) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                char **nv = realloc(v, cap * sizeof(*v));
                if (!nv)
                    goto fail;
                v = nv;
            }
            v[n] = malloc(e - start + 1);
            if (!v[n])
                goto fail;
            memcpy(v[n], data + start, e - start);
            v[n][e - start] = '\0';
            n++;
        }
        start = i + 1;
    }
    *texts = v;
    *count = n;
    return true;
fail:
    serve_texts_free(v, n);
    return false;
}

enum MHD_Result do_classify(request *rq, struct MHD_Connection *c)
{
    char **texts = NULL;
    size_t n = 0;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const char *data = rq->body.data ? rq->body.data : "";
    if (rq->text_plain) {
        if (!split_text_lines(data, rq->body.len, &texts, &n))
            return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    } else if (!serve_texts_parse(data, rq->body.len, &texts, &n, &err)) {
        return respond_lib_error(rq, c, err.status ? err.status : EMBEDSVC_EPARSE, &err);
    }
    embedsvc_classification *cl = NULL;
    enum MHD_Result ret;
    if (embedsvc_classification_new(NULL, &cl) != EMBEDSVC_OK) {
        ret = respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
        goto out;
    }
    sbuf b = {0};
    sbuf_puts(&b, "{\"classifications\":[");
    for (size_t i = 0; i < n; i++) {
        err = (embedsvc_error)EMBEDSVC_ERROR_INIT;
        int rc = embedsvc_classify(rq->pol->policy, texts[i], strlen(texts[i]), cl, &err);
        if (rc != EMBEDSVC_OK) {
            sbuf_free(&b);
            if (rq->text_plain) {
                err.line = (unsigned)i + 1; /* the text's line; the column within it */
            } else {
                snprintf(err.path, sizeof(err.path), "/texts/%zu", i);
                err.line = err.column = 0;
            }
            ret = respond_lib_error(rq, c, rc, &err);
            goto out;
        }
        atomic_fetch_add_explicit(&rq->st->metrics.classifications, 1, memory_order_relaxed);
        if (i)
            sbuf_puts(&b, ",");
        write_classification(&b, rq->pol->policy, texts[i], cl);
    }
    sbuf_puts(&b, "]}\n");
    ret = respond_json(rq, c, &b);
out:
    embedsvc_classification_free(cl);
    serve_texts_free(texts, n);
    return ret;
}

/* ---- GET routes ---- */

enum MHD_Result do_policies(request *rq, struct MHD_Connection *c)
{
    sbuf b = {0};
    sbuf_puts(&b, "{\"policies\":[");
    for (size_t i = 0; i < rq->st->n_policies; i++) {
        const serve_policy *p = &rq->st->policies[i];
        const char *tz = embedsvc_policy_text(p->policy, "title_zh"), *te = embedsvc_policy_text(p->policy, "title_en");
        sbuf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        sbuf_json_string(&b, p->id);
        sbuf_puts(&b, ",\"version\":");
        sbuf_json_string(&b, p->version);
        sbuf_puts(&b, ",\"title_zh\":");
        sbuf_json_string_or_null(&b, tz);
        sbuf_puts(&b, ",\"title_en\":");
        sbuf_json_string_or_null(&b, te);
        sbuf_printf(&b, ",\"default\":%s}", i == 0 ? "true" : "false");
    }
    sbuf_puts(&b, "]}\n");
    return respond_json(rq, c, &b);
}

enum MHD_Result do_policy(request *rq, struct MHD_Connection *c)
{
    char *body = malloc(rq->pol->canonical_len + 1);
    if (!body)
        return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    memcpy(body, rq->pol->canonical, rq->pol->canonical_len);
    return respond(rq, c, MHD_HTTP_OK, "application/json", body, rq->pol->canonical_len, NULL, NULL);
}

enum MHD_Result do_metrics(request *rq, struct MHD_Connection *c)
{
    sbuf b = {0};
    serve_metrics_write(&rq->st->metrics, &b, rq->st->n_policies, rq->st->policies);
    size_t len;
    char *body = sbuf_take(&b, &len);
    if (!body)
        return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
    return respond(rq, c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", body, len, NULL, NULL);
}

/* ---- JSON Lines: /v1/batch and /v1/compare ---- */

static void batch_line(request *rq, const char *line, size_t len)
{
    double t = serve_now_mono();
    const char *out;
    size_t n;
    int rc = embedsvc_batch_line(rq->batch, line, len, &out, &n);
    if (rc < 0) {
        rq->line_status = rc;
        return;
    }
    if (rc == 2)
        return;
    spool_write(rq->out, out, n);
    spool_write(rq->out, "\n", 1);
    if (rc == 1) {
        atomic_fetch_add_explicit(&rq->st->metrics.evaluation_errors, 1, memory_order_relaxed);
        return;
    }
    const embedsvc_result *r = embedsvc_batch_last_result(rq->batch);
    count_evaluation(rq->st, r);
    (void)log_decision(rq, r, embedsvc_batch_stat(rq->batch, EMBEDSVC_BATCH_LINES), serve_now_mono() - t, NULL);
}

static void compare_line(request *rq, const char *line, size_t len)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_compare_line(rq->cmp, line, len, &err);
    if (rc < 0)
        rq->line_status = rc;
    else if (rc == 0)
        atomic_fetch_add_explicit(&rq->st->metrics.evaluations, rq->n_cmp, memory_order_relaxed);
    else if (rc == 1)
        atomic_fetch_add_explicit(&rq->st->metrics.evaluation_errors, 1, memory_order_relaxed);
}

static void end_line(request *rq)
{
    const char *data = rq->line.data ? rq->line.data : "";
    if (rq->batch)
        batch_line(rq, data, rq->line.len);
    else
        compare_line(rq, data, rq->line.len);
    rq->line.len = 0;
    rq->line_len = 0;
}

/* Splits uploaded bytes into physical lines, keeping at most LINE_KEEP bytes of each. */
void feed_lines(request *rq, const char *data, size_t n)
{
    while (n && rq->line_status == 0) {
        const char *nl = memchr(data, '\n', n);
        size_t piece = nl ? (size_t)(nl - data) : n;
        size_t keep = rq->line.len < LINE_KEEP ? LINE_KEEP - rq->line.len : 0;
        sbuf_append(&rq->line, data, piece < keep ? piece : keep);
        if (rq->line.failed) {
            rq->line_status = EMBEDSVC_ENOMEM;
            return;
        }
        rq->line_len += piece;
        if (!nl)
            return;
        end_line(rq);
        data += piece + 1;
        n -= piece + 1;
    }
}

enum MHD_Result finish_lines(request *rq, struct MHD_Connection *c)
{
    if (rq->line_status == 0 && rq->line_len > 0)
        end_line(rq); /* the last line, without a newline */
    if (rq->line_status != 0)
        return respond_error(rq, c, status_of(rq->line_status),
                             rq->line_status == EMBEDSVC_ENOMEM ? "out_of_memory" : "range",
                             "the input stopped at line %lld: %s",
                             (long long)(rq->batch ? embedsvc_batch_stat(rq->batch, EMBEDSVC_BATCH_LINES)
                                                   : embedsvc_compare_stat(rq->cmp, EMBEDSVC_COMPARE_STAT_LINES)),
                             embedsvc_status_name(rq->line_status));
    if (rq->cmp) {
        compare_body *b = calloc(1, sizeof(*b));
        if (!b)
            return respond_error(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "out of memory");
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        b->cmp = rq->cmp; /* the first piece now, so that a failure is still an error answer */
        int rc = embedsvc_compare_to_json_next(b->cmp, &b->at, &b->piece, &b->len, &err);
        if (rc != EMBEDSVC_OK) {
            free(b);
            return respond_lib_error(rq, c, rc, &err);
        }
        struct MHD_Response *r =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, compare_read, b, compare_body_free);
        if (!r) {
            free(b);
            return MHD_NO;
        }
        rq->cmp = NULL; /* the response owns it now */
        return respond_response(rq, c, MHD_HTTP_OK, "application/json", r, NULL, NULL);
    }
    if (rq->out->failed)
        return respond_error(rq, c, MHD_HTTP_INTERNAL_SERVER_ERROR, "spool", "cannot keep the results: %s",
                             strerror(errno));
    if (rq->out->file && fflush(rq->out->file) != 0)
        return respond_error(rq, c, MHD_HTTP_INTERNAL_SERVER_ERROR, "spool", "cannot keep the results: %s",
                             strerror(errno));
    struct MHD_Response *r =
        MHD_create_response_from_callback(rq->out->size, 64 * 1024, spool_read, rq->out, spool_free);
    if (!r)
        return MHD_NO;
    rq->out = NULL; /* the response owns it now */
    char projects[32], errors[32];
    snprintf(projects, sizeof(projects), "%lld", (long long)embedsvc_batch_stat(rq->batch, EMBEDSVC_BATCH_PROJECTS));
    snprintf(errors, sizeof(errors), "%lld", (long long)embedsvc_batch_stat(rq->batch, EMBEDSVC_BATCH_ERRORS));
    add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/x-ndjson");
    add_header(r, "X-Embedsvc-Engine", rq->st->engine);
    add_header(r, "X-Embedsvc-Policy-Id", rq->pol->id_header);
    add_header(r, "X-Embedsvc-Policy-Version", rq->pol->version_header);
    add_header(r, "X-Embedsvc-Batch-Projects", projects);
    add_header(r, "X-Embedsvc-Batch-Errors", errors);
    add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (atomic_load(&rq->st->draining))
        add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    rq->status = MHD_HTTP_OK;
    rq->responded = true;
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}
