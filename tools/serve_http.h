/* embedsvc serve: what serve_http.c (libmicrohttpd, routing, answers) and serve_routes.c (the
 * work of each route) share: the state of one request and the answer helpers. */
#ifndef EMBEDSVC_TOOLS_SERVE_HTTP_H
#define EMBEDSVC_TOOLS_SERVE_HTTP_H

#include "serve.h"

#include <microhttpd.h>

#include <sys/types.h>

/* Results of /v1/batch are kept in memory up to this size, then in an unlinked temporary file. */
#define SPOOL_MEMORY (1u << 20)
/* A JSON Lines line longer than a document is cut here; the library reports parse.limit for it. */
#define LINE_KEEP (SERVE_MAX_BODY + 2u)

/* The results of /v1/batch. */
typedef struct spool {
    sbuf mem;
    FILE *file;
    uint64_t size;
    bool failed;
} spool;

typedef enum body_kind { BODY_NONE, BODY_DOCUMENT, BODY_LINES } body_kind;

typedef struct request {
    serve_state *st;
    serve_route_id route;
    double t0;
    int status;     /* of the response queued; 0: none yet */
    bool responded; /* a response is queued: ignore the rest of the upload */
    body_kind body_kind;
    const serve_policy *pol; /* the selected policy (default: the first) */
    sbuf body;               /* BODY_DOCUMENT */
    uint64_t uploaded;       /* bytes of the body received */
    /* BODY_LINES */
    sbuf line;
    uint64_t line_len; /* bytes of the current line so far, kept or not */
    embedsvc_batch *batch;
    spool *out;
    embedsvc_compare *cmp;
    const serve_policy *cmp_pols[SERVE_MAX_POLICIES];
    size_t n_cmp;
    int line_status; /* a negative status that stopped the lines */
    int stage_target;
    bool text_plain; /* /v1/classify with Content-Type: text/plain */
    char bad_param[64];
    bool too_many_policies;
} request;

/* ---- answers (serve_http.c): each queues a response with the provenance headers ---- */

const serve_policy *default_policy(const serve_state *st);
void add_header(struct MHD_Response *r, const char *name, const char *value);
/* body: malloc'd, taken (NULL: empty) */
enum MHD_Result respond(request *rq, struct MHD_Connection *c, int status, const char *ctype, char *body, size_t len,
                        const char *extra_name, const char *extra_value);
/* The same with a response already made (e.g. from a callback; taken) */
enum MHD_Result respond_response(request *rq, struct MHD_Connection *c, int status, const char *ctype,
                                 struct MHD_Response *r, const char *extra_name, const char *extra_value);
enum MHD_Result respond_error_full(request *rq, struct MHD_Connection *c, int status, const char *code,
                                   const char *message, unsigned line, unsigned column, const char *path,
                                   const char *extra_name, const char *extra_value);
enum MHD_Result respond_error(request *rq, struct MHD_Connection *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The status of a library failure: bad input 400, out of memory 503, anything else 422. */
int status_of(int rc);
enum MHD_Result respond_lib_error(request *rq, struct MHD_Connection *c, int rc, const embedsvc_error *err);
/* 200 application/json with the buffer's bytes */
enum MHD_Result respond_json(request *rq, struct MHD_Connection *c, sbuf *b);
enum MHD_Result respond_static(request *rq, struct MHD_Connection *c, int status, const char *ctype, const char *text,
                               size_t len);

/* ---- the routes (serve_routes.c) ---- */

enum MHD_Result do_evaluate(request *rq, struct MHD_Connection *c);
enum MHD_Result do_stage(request *rq, struct MHD_Connection *c);
enum MHD_Result do_classify(request *rq, struct MHD_Connection *c);
enum MHD_Result do_policies(request *rq, struct MHD_Connection *c);
enum MHD_Result do_policy(request *rq, struct MHD_Connection *c);
enum MHD_Result do_metrics(request *rq, struct MHD_Connection *c);
/* /v1/batch and /v1/compare: uploaded bytes, split into lines as they come */
void feed_lines(request *rq, const char *data, size_t n);
/* the last line, then the answer */
enum MHD_Result finish_lines(request *rq, struct MHD_Connection *c);
void spool_free(void *cls);

#endif
