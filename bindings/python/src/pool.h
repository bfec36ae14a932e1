/*
 * libembedsvc Python binding — a small pool of worker threads.
 * SPDX-License-Identifier: MIT
 *
 * esv_pool_run() runs fn(ctx, task, worker) once for every task of [0, ntasks) on up to `workers`
 * threads, the calling thread included (as worker 0); tasks are claimed in increasing order from
 * one atomic counter, so the work stays balanced. It returns when every task has run. Nothing in
 * it touches Python: call it with the GIL released. A thread that cannot be started only means
 * fewer workers; on a platform without pthreads the caller runs every task.
 */
#ifndef ESV_PY_POOL_H
#define ESV_PY_POOL_H

#include <stddef.h>

/** One task; `worker` is in [0, the number of workers) and names the thread's private state. */
typedef void (*esv_pool_fn)(void *ctx, size_t task, size_t worker);

/** The largest number of workers esv_pool_run() starts. */
#define ESV_POOL_MAX_WORKERS 64

/**
 * Runs every task of [0, ntasks) on up to @p workers threads (clamped to 1 … ESV_POOL_MAX_WORKERS
 * and to @p ntasks). Returns the number of threads that ran tasks.
 */
size_t esv_pool_run(size_t ntasks, size_t workers, esv_pool_fn fn, void *ctx);

#endif
