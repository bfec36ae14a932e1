/* The one failing allocator of the tests (failing_alloc.h). */
#include "failing_alloc.h"

#include <stddef.h>
#include <stdlib.h>

/* Each block carries its size in front, so that the bytes live can be counted. */
typedef union header {
    size_t size;
    max_align_t align;
} header;

static void count(failing *f, size_t add, size_t sub)
{
    f->bytes = f->bytes + add - sub;
    if (f->bytes > f->peak)
        f->peak = f->bytes;
}

static void *f_malloc(void *ctx, size_t size)
{
    failing *f = ctx;
    if (++f->calls == f->fail_at) {
        f->failed = true;
        return NULL;
    }
    header *h = malloc(sizeof(header) + size);
    if (!h)
        return NULL;
    f->live++;
    h->size = size;
    count(f, size, 0);
    return h + 1;
}

static void *f_realloc(void *ctx, void *ptr, size_t size)
{
    failing *f = ctx;
    if (!ptr)
        abort(); /* the library never reallocates NULL (embedsvc/memory.h) */
    if (++f->calls == f->fail_at) {
        f->failed = true;
        return NULL;
    }
    header *h = (header *)ptr - 1;
    size_t old = h->size;
    header *n = realloc(h, sizeof(header) + size);
    if (!n)
        return NULL;
    n->size = size;
    count(f, size, old);
    return n + 1;
}

static void f_free(void *ctx, void *ptr)
{
    failing *f = ctx;
    if (!ptr)
        abort(); /* nor frees NULL */
    header *h = (header *)ptr - 1;
    f->live--;
    count(f, 0, h->size);
    free(h);
}

embedsvc_allocator failing_allocator(failing *f)
{
    embedsvc_allocator al = EMBEDSVC_ALLOCATOR_INIT(f_malloc, f_realloc, f_free, f);
    return al;
}

void failing_arm(failing *f, size_t n)
{
    f->calls = 0;
    f->fail_at = n;
    f->failed = false;
}

void failing_disarm(failing *f)
{
    f->fail_at = 0;
}
