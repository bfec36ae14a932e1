/* Allocation through the per-object allocator, and a growable buffer. */
#include "internal.h"

#include <stdlib.h>
#include <stddef.h>
#include <string.h>

static void *std_malloc(void *ctx, size_t size)
{
    ESV_UNUSED(ctx);
    return malloc(size);
}

static void *std_realloc(void *ctx, void *ptr, size_t size)
{
    ESV_UNUSED(ctx);
    return realloc(ptr, size);
}

static void std_free(void *ctx, void *ptr)
{
    ESV_UNUSED(ctx);
    free(ptr);
}

bool esv_alloc_init(esv_alloc *out, const embedsvc_allocator *user)
{
    if (!user) {
        out->a.size = sizeof out->a;
        out->a.malloc_fn = std_malloc;
        out->a.realloc_fn = std_realloc;
        out->a.free_fn = std_free;
        out->a.ctx = NULL;
        return true;
    }
    /* Every member this library reads lies within the caller's `size`: a
     * struct from an older or newer header is read only as far as both know. */
    if (user->size < offsetof(embedsvc_allocator, ctx) + sizeof user->ctx)
        return false;
    if (!user->malloc_fn || !user->realloc_fn || !user->free_fn)
        return false;
    out->a.size = sizeof out->a;
    out->a.malloc_fn = user->malloc_fn;
    out->a.realloc_fn = user->realloc_fn;
    out->a.free_fn = user->free_fn;
    out->a.ctx = user->ctx;
    return true;
}

void *esv_malloc(const esv_alloc *al, size_t size)
{
    return al->a.malloc_fn(al->a.ctx, size ? size : 1);
}

void *esv_calloc(const esv_alloc *al, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = esv_malloc(al, bytes);
    if (p && bytes)
        memset(p, 0, bytes);
    return p;
}

void *esv_realloc(const esv_alloc *al, void *ptr, size_t size)
{
    if (!ptr)
        return esv_malloc(al, size);
    return al->a.realloc_fn(al->a.ctx, ptr, size ? size : 1);
}

void esv_free(const esv_alloc *al, void *ptr)
{
    if (ptr)
        al->a.free_fn(al->a.ctx, ptr);
}

bool esv_buf_reserve(esv_buf *b, const esv_alloc *al, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return false;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = esv_realloc(al, b->data, cap);
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool esv_buf_append_slow(esv_buf *b, const esv_alloc *al, const void *data, size_t len)
{
    if (!esv_buf_reserve(b, al, len))
        return false;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

void esv_buf_free(esv_buf *b, const esv_alloc *al)
{
    esv_free(al, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

struct esv_arena_chunk {
    esv_arena_chunk *next;
    size_t cap;
    size_t used;
    max_align_t data[];
};

void *esv_arena_alloc(esv_arena *ar, const esv_alloc *al, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    for (;;) {
        esv_arena_chunk *c = ar->cur;
        if (c && c->cap - c->used >= size) {
            void *p = (char *)c->data + c->used;
            c->used += size;
            return p;
        }
        if (c && c->next) { /* a kept chunk from before a reset */
            ar->cur = c->next;
            ar->cur->used = 0;
            continue;
        }
        size_t cap = 4096;
        if (c && c->cap < (SIZE_MAX >> 2))
            cap = c->cap * 2;
        if (cap < size)
            cap = size;
        if (cap > SIZE_MAX - sizeof(esv_arena_chunk))
            return NULL;
        esv_arena_chunk *n = esv_malloc(al, sizeof(esv_arena_chunk) + cap);
        if (!n)
            return NULL;
        n->cap = cap;
        n->used = 0;
        if (c) {
            n->next = c->next;
            c->next = n;
        } else {
            n->next = ar->head;
            ar->head = n;
        }
        ar->cur = n;
    }
}

char *esv_arena_strndup(esv_arena *ar, const esv_alloc *al, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = esv_arena_alloc(ar, al, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void esv_arena_reset(esv_arena *ar)
{
    ar->cur = ar->head;
    if (ar->cur)
        ar->cur->used = 0;
}

void esv_arena_free(esv_arena *ar, const esv_alloc *al)
{
    esv_arena_chunk *c = ar->head;
    while (c) {
        esv_arena_chunk *n = c->next;
        esv_free(al, c);
        c = n;
    }
    ar->head = ar->cur = NULL;
}
