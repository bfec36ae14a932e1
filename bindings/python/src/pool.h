/*
 * libembedsvc Python binding — a small pool of worker threads.
 * SPDX-License-Identifier: MIT
 *
 * A pool runs fn(ctx, task, worker) once for every task of [0, ntasks) on up to `workers`
 * threads, the calling thread included (as worker 0); tasks are claimed in increasing order from
 * one atomic counter, so the work stays balanced. Nothing here touches Python: call it with the
 * GIL released. A thread that cannot be started only means fewer workers; without pthreads the
 * caller runs every task.
 *
 * esv_pool_run() runs every task and returns. For a pipeline (the caller converts the results of
 * task 0, 1, 2 … while the others still run), esv_pool_start() starts the threads,
 * esv_pool_wait() returns once a given task is done (the caller runs tasks meanwhile) and
 * esv_pool_finish() stops claiming new tasks, joins the threads and frees the pool.
 */
#ifndef ESV_PY_POOL_H
#define ESV_PY_POOL_H

#include <stddef.h>

/** One task; `worker` is in [0, the number of workers) and names the thread's private state. */
typedef void (*esv_pool_fn)(void *ctx, size_t task, size_t worker);

/** The largest number of workers a pool starts. */
#define ESV_POOL_MAX_WORKERS 64

typedef struct esv_pool esv_pool;

/**
 * Starts a pool for the tasks [0, ntasks) with up to @p workers threads (clamped to
 * 1 … ESV_POOL_MAX_WORKERS and to @p ntasks), the caller being worker 0. NULL when out of
 * memory (run the tasks yourself then).
 */
esv_pool *esv_pool_start(size_t ntasks, size_t workers, esv_pool_fn fn, void *ctx);

/** Returns when @p task has run; the caller runs unclaimed tasks (as worker 0) meanwhile. */
void esv_pool_wait(esv_pool *pool, size_t task);

/** Stops claiming tasks (the ones left are not run), waits for the running ones, frees @p pool. */
void esv_pool_finish(esv_pool *pool);

/** Runs every task (start, wait for all, finish). Returns the number of threads that ran tasks. */
size_t esv_pool_run(size_t ntasks, size_t workers, esv_pool_fn fn, void *ctx);

#endif
