/* The chunk pipeline (tools/pipeline.h). Each of the N threads takes the next chunk of the input
 * (under in_mu, which keeps the chunks in input order), processes it into its slot, and marks it
 * done. Whoever then finds no thread consuming consumes, in input order, every done chunk at the
 * head: a chunk is mostly consumed by the thread that just processed it, while its results are in
 * that core's caches, and no thread only waits for others to hand it work (a reader, a writer and
 * N workers had made `batch -j 2` switch threads about 2,000 times per 100,000 projects, about 50
 * now). Chunk seq lives in slot seq % nslots; a thread waits for that slot to be consumed before
 * it reads into it, so at most nslots chunks are in memory. */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 64
/* Input bytes per chunk: the results of one batch chunk (about 0.6 MiB) are still in the caches
 * when they are copied to the output (the page cache, or tools/io_direct.c's buffers)
 * (docs/decisions.md §9.13). */
#define CHUNK_TARGET ((size_t)1 << 17)

typedef enum slot_state { SLOT_FREE, SLOT_WORKING, SLOT_DONE, SLOT_END } slot_state;

typedef struct slot {
    cli_chunk in;
    void *data; /* the command's state, ops->slot_size bytes */
    slot_state state;
    bool read_error; /* SLOT_END: the input ended by a read error */
} slot;

typedef struct pipeline {
    const cli_pipeline_ops *ops;
    void *ctx;
    cli_reader *in;      /* read under in_mu */
    size_t next_seq;     /* the next chunk to read (in_mu) */
    bool input_done;     /* (in_mu) */
    slot *slots;
    size_t nslots, head; /* head: the next chunk to consume (mu) */
    bool consuming, quit, failed; /* (mu) */
    pthread_mutex_t in_mu, mu;    /* in_mu before mu */
    pthread_cond_t freed;
} pipeline;

static void consume_ready(pipeline *P) /* P->mu held, P->consuming set */
{
    for (;;) {
        slot *s = &P->slots[P->head % P->nslots];
        if (P->quit || (s->state != SLOT_DONE && s->state != SLOT_END))
            return;
        if (s->state == SLOT_END) { /* every chunk before it is consumed */
            P->failed |= s->read_error;
            P->quit = true;
            pthread_cond_broadcast(&P->freed);
            return;
        }
        pthread_mutex_unlock(&P->mu);
        bool ok = P->ops->consume(P->ctx, &s->in, s->data);
        pthread_mutex_lock(&P->mu);
        if (!ok) {
            P->failed = true;
            P->quit = true;
            pthread_cond_broadcast(&P->freed);
            return;
        }
        s->state = SLOT_FREE;
        P->head++;
        pthread_cond_broadcast(&P->freed);
    }
}

static void *pipeline_thread(void *arg)
{
    pipeline *P = arg;
    void *t = P->ops->thread_new ? P->ops->thread_new(P->ctx) : NULL;
    for (;;) {
        pthread_mutex_lock(&P->in_mu);
        slot *s = &P->slots[P->next_seq % P->nslots];
        pthread_mutex_lock(&P->mu);
        while (!P->quit && s->state != SLOT_FREE)
            pthread_cond_wait(&P->freed, &P->mu);
        bool stop = P->quit || P->input_done;
        if (!stop)
            s->state = SLOT_WORKING; /* being read and processed */
        pthread_mutex_unlock(&P->mu);
        if (stop) {
            pthread_mutex_unlock(&P->in_mu);
            break;
        }
        int rc = cli_reader_next(P->in, &s->in, CHUNK_TARGET);
        P->next_seq++;
        P->input_done = rc <= 0;
        pthread_mutex_unlock(&P->in_mu);
        if (rc > 0)
            P->ops->process(P->ctx, t, &s->in, s->data);
        s->read_error = rc < 0;
        pthread_mutex_lock(&P->mu);
        s->state = rc > 0 ? SLOT_DONE : SLOT_END;
        if (!P->consuming) {
            P->consuming = true;
            consume_ready(P);
            P->consuming = false;
        }
        pthread_mutex_unlock(&P->mu);
        if (rc <= 0)
            break;
    }
    if (P->ops->thread_free)
        P->ops->thread_free(P->ctx, t);
    return NULL;
}

bool cli_pipeline_run(cli_reader *in, int threads, const cli_pipeline_ops *ops, void *ctx)
{
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    pipeline P = {.ops = ops, .ctx = ctx, .in = in};
    P.nslots = threads == 1 ? 1 : 2 * (size_t)threads + 2;
    P.slots = calloc(P.nslots, sizeof(slot));
    bool ok = P.slots != NULL;
    for (size_t i = 0; ok && i < P.nslots; i++)
        ok = (P.slots[i].data = calloc(1, ops->slot_size ? ops->slot_size : 1)) != NULL;
    if (!ok) {
        fputs("embedsvc: out of memory\n", stderr);
        P.failed = true;
        goto out;
    }
    pthread_mutex_init(&P.in_mu, NULL);
    pthread_mutex_init(&P.mu, NULL);
    pthread_cond_init(&P.freed, NULL);
    pthread_t others[MAX_THREADS];
    int started = 0;
    while (started < threads - 1 && pthread_create(&others[started], NULL, pipeline_thread, &P) == 0)
        started++; /* fewer threads than asked for: the same output, later */
    pipeline_thread(&P);
    for (int i = 0; i < started; i++)
        pthread_join(others[i], NULL);
    pthread_mutex_destroy(&P.in_mu);
    pthread_mutex_destroy(&P.mu);
    pthread_cond_destroy(&P.freed);
out:
    for (size_t i = 0; P.slots && i < P.nslots; i++) {
        if (P.slots[i].data && ops->slot_free)
            ops->slot_free(P.slots[i].data);
        free(P.slots[i].data);
        free(P.slots[i].in.lines);
        free(P.slots[i].in.data);
        free(P.slots[i].in.held);
    }
    free(P.slots);
    return !P.failed;
}

int cli_threads_option(const cli_command *cmd, const char *v)
{
    if (!v) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < 1 || n > MAX_THREADS)
        cli_usage_error(cmd, "option '--threads' (-j) takes a number of threads from 1 to %d, not '%s'", MAX_THREADS,
                        cli_esc(v));
    return (int)n;
}
