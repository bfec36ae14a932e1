/*
 * libembedsvc Python binding — a small pool of worker threads (see pool.h).
 * SPDX-License-Identifier: MIT
 */
#include "pool.h"

#include <stdlib.h>

#if !defined(_WIN32)
#include <pthread.h>
#include <stdatomic.h>
#define ESV_POOL_THREADS 1
#endif

typedef struct esv_pool_worker {
    esv_pool *pool;
    size_t index;
} esv_pool_worker;

struct esv_pool {
    esv_pool_fn fn;
    void *ctx;
    size_t ntasks, nthreads;
#ifdef ESV_POOL_THREADS
    atomic_size_t next;
    atomic_uchar *done; /* per task */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t threads[ESV_POOL_MAX_WORKERS];
    esv_pool_worker w[ESV_POOL_MAX_WORKERS];
#else
    size_t next;
    unsigned char *done;
#endif
};

static size_t esv_pool_claim(esv_pool *p)
{
#ifdef ESV_POOL_THREADS
    return atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
#else
    return p->next++;
#endif
}

static void esv_pool_do(esv_pool *p, size_t task, size_t worker)
{
    p->fn(p->ctx, task, worker);
#ifdef ESV_POOL_THREADS
    pthread_mutex_lock(&p->mu);
    atomic_store_explicit(&p->done[task], 1, memory_order_release);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
#else
    p->done[task] = 1;
#endif
}

#ifdef ESV_POOL_THREADS
static void *esv_pool_thread(void *arg)
{
    esv_pool_worker *w = arg;
    for (;;) {
        size_t task = esv_pool_claim(w->pool);
        if (task >= w->pool->ntasks)
            return NULL;
        esv_pool_do(w->pool, task, w->index);
    }
}
#endif

esv_pool *esv_pool_start(size_t ntasks, size_t workers, esv_pool_fn fn, void *ctx)
{
    esv_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->done = calloc(ntasks ? ntasks : 1, sizeof(*p->done));
    if (!p->done) {
        free(p);
        return NULL;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->ntasks = ntasks;
    if (workers < 1)
        workers = 1;
    if (workers > ESV_POOL_MAX_WORKERS)
        workers = ESV_POOL_MAX_WORKERS;
    if (workers > ntasks)
        workers = ntasks ? ntasks : 1;
#ifdef ESV_POOL_THREADS
    atomic_init(&p->next, 0);
    for (size_t k = 0; k < ntasks; k++)
        atomic_init(&p->done[k], 0);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p->done);
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p->done);
        free(p);
        return NULL;
    }
    while (p->nthreads + 1 < workers) {
        p->w[p->nthreads].pool = p;
        p->w[p->nthreads].index = p->nthreads + 1;
        if (pthread_create(&p->threads[p->nthreads], NULL, esv_pool_thread, &p->w[p->nthreads]) != 0)
            break;
        p->nthreads++;
    }
#endif
    return p;
}

static int esv_pool_is_done(esv_pool *p, size_t task)
{
#ifdef ESV_POOL_THREADS
    return atomic_load_explicit(&p->done[task], memory_order_acquire) != 0;
#else
    return p->done[task] != 0;
#endif
}

void esv_pool_wait(esv_pool *p, size_t task)
{
    if (task >= p->ntasks)
        return;
    while (!esv_pool_is_done(p, task)) {
        size_t mine = esv_pool_claim(p);
        if (mine < p->ntasks) {
            esv_pool_do(p, mine, 0);
            continue;
        }
#ifdef ESV_POOL_THREADS
        pthread_mutex_lock(&p->mu);
        while (!esv_pool_is_done(p, task))
            pthread_cond_wait(&p->cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
#endif
    }
}

void esv_pool_finish(esv_pool *p)
{
    if (!p)
        return;
#ifdef ESV_POOL_THREADS
    atomic_store_explicit(&p->next, p->ntasks, memory_order_relaxed);
    for (size_t k = 0; k < p->nthreads; k++)
        pthread_join(p->threads[k], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
#endif
    free(p->done);
    free(p);
}

size_t esv_pool_run(size_t ntasks, size_t workers, esv_pool_fn fn, void *ctx)
{
    esv_pool *p = esv_pool_start(ntasks, workers, fn, ctx);
    if (!p) { /* out of memory: the caller runs every task */
        for (size_t t = 0; t < ntasks; t++)
            fn(ctx, t, 0);
        return 1;
    }
    size_t used = p->nthreads + 1;
    if (ntasks)
        esv_pool_wait(p, ntasks - 1);
    for (size_t t = 0; t < ntasks; t++) /* every task has run once the claims are past the end */
        esv_pool_wait(p, t);
    esv_pool_finish(p);
    return used;
}
