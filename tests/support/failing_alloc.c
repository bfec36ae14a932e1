/* The one failing allocator of the tests (failing_alloc.h). */
#include "failing_alloc.h"

#include <stdlib.h>

static void *f_malloc(void *ctx, size_t size)
{
    failing *f = ctx;
    if (++f->calls == f->fail_at) {
        f->failed = true;
        return NULL;
    }
    void *p = malloc(size);
    if (p)
        f->live++;
    return p;
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
    return realloc(ptr, size);
}

static void f_free(void *ctx, void *ptr)
{
    failing *f = ctx;
    if (!ptr)
        abort(); /* nor frees NULL */
    f->live--;
    free(ptr);
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
