/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief The custom allocator.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_MEMORY_H
#define EMBEDSVC_MEMORY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup memory Memory
 * @{
 */

/**
 * A custom allocator. All three functions are required; `ctx` is passed back
 * to each. `realloc_fn` is never called with a NULL pointer or a zero size,
 * and `free_fn` never with NULL.
 *
 * Initialise it with ::EMBEDSVC_ALLOCATOR_INIT: the library reads @ref size
 * first and refuses (::EMBEDSVC_EINVAL) an allocator whose size is smaller
 * than the members it needs, so that the struct can grow in a later release
 * without breaking programs compiled against this header.
 * @code
 * embedsvc_allocator al = EMBEDSVC_ALLOCATOR_INIT(my_malloc, my_realloc, my_free, &my_arena);
 * @endcode
 */
typedef struct embedsvc_allocator {
    /** `sizeof(embedsvc_allocator)` as the caller knows it; set by ::EMBEDSVC_ALLOCATOR_INIT. */
    size_t size;
    /** Allocates `size` bytes (never 0); returns NULL on failure. */
    void *(*malloc_fn)(void *ctx, size_t size);
    /** Resizes a block to `size` bytes; returns NULL on failure, leaving the block intact. */
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    /** Frees a block. */
    void (*free_fn)(void *ctx, void *ptr);
    /** Passed to every call. */
    void *ctx;
} embedsvc_allocator;

/**
 * Initialiser of an ::embedsvc_allocator: its size, the three functions and the context.
 * @param m the `malloc_fn`.
 * @param r the `realloc_fn`.
 * @param f the `free_fn`.
 * @param c the `ctx`.
 */
#define EMBEDSVC_ALLOCATOR_INIT(m, r, f, c) {sizeof(embedsvc_allocator), (m), (r), (f), (c)}

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_MEMORY_H */
