/* Internal interface between the three files of policy test files (`embedsvc.tests/1`):
 * policy_tests_read.c (the reader), policy_tests_match.c (comparing a result with a case's
 * expectations) and policy_tests.c (the runner and the report). */
#ifndef EMBEDSVC_LIB_POLICY_TESTS_H
#define EMBEDSVC_LIB_POLICY_TESTS_H

#include "model.h"

#include <string.h>

/* A test file checked by esv_tests_read(): its members (NULL when absent). */
typedef struct esv_tests_file {
    const esv_jval *root, *cases, *policy, *policy_file;
} esv_tests_file;

/* Parses and checks a test file completely (every error with its position); root and tf are
 * valid until the parser is reused. */
int esv_tests_read(esv_json *jp, const char *data, size_t len, esv_tests_file *tf, embedsvc_error *err);

/* Appends a NUL-terminated string (o->ok false once memory runs out). */
void esv_tests_put(esv_out *o, const char *s);
/* Compares a result JSON tree with a case's `expect` object, writing every difference to diff.
 * EMBEDSVC_OK, or EMBEDSVC_ENOMEM. */
int esv_tests_compare(esv_out *diff, const esv_alloc *al, const esv_jval *expect, const esv_jval *result);

static inline bool esv_tests_key_eq(const esv_jval *m, const char *key)
{
    return strlen(key) == m->key_len && memcmp(m->key, key, m->key_len) == 0;
}

#endif
