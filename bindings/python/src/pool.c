/*
 * libembedsvc Python binding — a small pool of worker threads (see pool.h).
 * SPDX-License-Identifier: MIT
 */
#include "pool.h"

#if !defined(_WIN32)
#include <pthread.h>
#include <stdatomic.h>
#define ESV_POOL_THREADS 1
#endif

typedef struct esv_pool {
    esv_pool_fn fn;
    void *ctx;
    size_t ntasks;
#ifdef ESV_POOL_THREADS
    atomic_size_t next;
#else
    size_t next;
#endif
} esv_pool;

typedef struct esv_pool_worker {
    esv_pool *pool;
    size_t index;
} esv_pool_worker;

static void esv_pool_loop(esv_pool *pool, size_t worker)
{
    for (;;) {
#ifdef ESV_POOL_THREADS
        size_t task = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
#else
        size_t task = pool->next++;
#endif
        if (task >= pool->ntasks)
            return;
        pool->fn(pool->ctx, task, worker);
    }
}

#ifdef ESV_POOL_THREADS
static void *esv_pool_thread(void *arg)
{
    esv_pool_worker *w = arg;
    esv_pool_loop(w->pool, w->index);
    return NULL;
}
#endif

size_t esv_pool_run(size_t ntasks, size_t workers, esv_pool_fn fn, void *ctx)
{
    esv_pool pool;
    pool.fn = fn;
    pool.ctx = ctx;
    pool.ntasks = ntasks;
    if (workers < 1)
        workers = 1;
    if (workers > ESV_POOL_MAX_WORKERS)
        workers = ESV_POOL_MAX_WORKERS;
    if (workers > ntasks)
        workers = ntasks ? ntasks : 1;
    size_t started = 0;
#ifdef ESV_POOL_THREADS
    atomic_init(&pool.next, 0);
    pthread_t threads[ESV_POOL_MAX_WORKERS];
    esv_pool_worker w[ESV_POOL_MAX_WORKERS];
    while (started + 1 < workers) {
        w[started].pool = &pool;
        w[started].index = started + 1;
        if (pthread_create(&threads[started], NULL, esv_pool_thread, &w[started]) != 0)
            break;
        started++;
    }
#else
    pool.next = 0;
#endif
    esv_pool_loop(&pool, 0);
#ifdef ESV_POOL_THREADS
    for (size_t k = 0; k < started; k++)
        pthread_join(threads[k], NULL);
#endif
    return started + 1;
}
