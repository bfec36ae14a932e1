/* The one failing allocator of the tests (zix test/failing_allocator.h, SQLite's OOM tests): it
 * counts malloc and realloc calls from 1, fails the call numbered fail_at (0: none), and counts
 * the blocks and bytes still live (and the peak of the bytes), so that a test can sweep N = 1, 2, … over every allocation of an
 * operation and check that each failure is EMBEDSVC_ENOMEM and leaks nothing. */
#ifndef EMBEDSVC_TEST_FAILING_ALLOC_H
#define EMBEDSVC_TEST_FAILING_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include <embedsvc.h>

typedef struct failing {
    size_t calls;   /* malloc and realloc calls so far */
    size_t fail_at; /* the call that fails (1-based); 0: none */
    bool failed;    /* the failing call was reached */
    long live;      /* blocks allocated and not yet freed */
    size_t bytes;   /* bytes of the live blocks */
    size_t peak;    /* the most bytes live at once (reset it to measure an operation) */
} failing;

/* An allocator over f (EMBEDSVC_ALLOCATOR_INIT). */
embedsvc_allocator failing_allocator(failing *f);
/* Run N: the Nth call from now fails (calls restart at 0). */
void failing_arm(failing *f, size_t n);
/* Every later call succeeds. */
void failing_disarm(failing *f);

#endif
