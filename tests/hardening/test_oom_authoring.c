/* Allocation failure in the policy-authoring API (issue 13.9): derive, diff, policy sets and test
 * files under an allocator that fails its Nth call, for N = 1, 2, … until the operation succeeds.
 * Each failed attempt must report EMBEDSVC_ENOMEM, leave *out NULL and leak nothing — or, where
 * the failed allocation was an optional one (the JSON reader merging its arena chunks into one
 * is an optimisation it skips when the allocation fails), succeed with exactly the output of a
 * run without failure; the operations that can see that compare their output themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <embedsvc.h>

#include "failing_alloc.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    s[n] = '\0';
    *len = (size_t)n;
    return s;
}

/* Runs op(alloc) with the Nth allocation failing for N = 1, 2, … until op succeeds; every failure
 * must be ENOMEM with nothing left allocated. Returns the number of failing runs. */
typedef int (*op_fn)(const embedsvc_allocator *alloc, void *ctx);

static size_t sweep(op_fn op, void *ctx, bool may_recover)
{
    failing f = {0};
    embedsvc_allocator al = failing_allocator(&f);
    for (size_t n = 1;; n++) {
        failing_arm(&f, n);
        int rc = op(&al, ctx);
        if (!f.failed) {
            assert_int_equal(rc, EMBEDSVC_OK);
            assert_int_equal(f.live, 0);
            return n - 1;
        }
        if (rc == EMBEDSVC_OK && may_recover) { /* op checked its output against the reference */
            assert_int_equal(f.live, 0);
            continue;
        }
        if (rc != EMBEDSVC_ENOMEM)
            print_error("allocation %zu of %zu failed, but the operation returned %d\n", n, f.calls, rc);
        assert_int_equal(rc, EMBEDSVC_ENOMEM);
        assert_int_equal(f.live, 0);
    }
}

static int op_derive(const embedsvc_allocator *al, void *ctx)
{
    const embedsvc_policy *base = ctx;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    static const char changes[] = "{\"cap_fen\":3000000000,\"rates\":{\"inclusive\":2000},"
                                  "\"title_en\":\"A reform\",\"subsidy_build_modes\":[\"new\"]}";
    int rc = embedsvc_policy_derive(base, changes, sizeof(changes) - 1, al, &p, &err);
    if (rc != EMBEDSVC_OK)
        assert_null(p);
    embedsvc_policy_free(p);
    return rc;
}

static void test_derive_fails_cleanly(void **state)
{
    (void)state;
    embedsvc_policy *base = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &base, NULL), EMBEDSVC_OK);
    assert_true(sweep(op_derive, base, false) > 0);
    embedsvc_policy_free(base);
}

typedef struct pair {
    const embedsvc_policy *a, *b;
} pair;

static int op_diff(const embedsvc_allocator *al, void *ctx)
{
    pair *pp = ctx;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy_diff *d = NULL;
    int rc = embedsvc_policy_diff_new(pp->a, pp->b, al, &d, &err);
    if (rc == EMBEDSVC_OK) {
        size_t len = 0;
        const char *json = embedsvc_policy_diff_to_json(d, &len);
        if (!json)
            rc = EMBEDSVC_ENOMEM;
        else
            assert_true(embedsvc_policy_diff_count(d) > 0);
    } else {
        assert_null(d);
    }
    embedsvc_policy_diff_free(d);
    return rc;
}

static void test_diff_fails_cleanly(void **state)
{
    (void)state;
    embedsvc_policy *a = NULL, *b = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &a, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_policy_load_file(SOURCE_ROOT "/policies/reform-cap-3000wan.json", NULL, &b, NULL),
                     EMBEDSVC_OK);
    pair pp = {a, b};
    assert_true(sweep(op_diff, &pp, false) > 0);
    embedsvc_policy_free(a);
    embedsvc_policy_free(b);
}

static int op_set(const embedsvc_allocator *al, void *ctx)
{
    (void)ctx;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy_set *set = NULL;
    int rc = embedsvc_policy_set_load_dir(SOURCE_ROOT "/policies/versions/beijing-2024-trial", al, &set, &err);
    if (rc == EMBEDSVC_OK)
        assert_int_equal(embedsvc_policy_set_count(set), 2);
    else
        assert_null(set);
    embedsvc_policy_set_free(set);
    return rc;
}

static void test_policy_set_fails_cleanly(void **state)
{
    (void)state;
    assert_true(sweep(op_set, NULL, false) > 0);
}

typedef struct tests_ctx {
    const embedsvc_policy *policy;
    const char *data;
    size_t len;
    char *tap; /* the report of a run without failure */
} tests_ctx;

static int op_tests(const embedsvc_allocator *al, void *ctx)
{
    tests_ctx *t = ctx;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_test_report *r = NULL;
    int rc = embedsvc_tests_run(t->policy, t->data, t->len, al, &r, &err);
    if (rc == EMBEDSVC_OK) {
        size_t n = 0;
        const char *tap = embedsvc_test_report_tap(r, &n);
        assert_non_null(tap);
        assert_true(embedsvc_test_report_count(r) > 0);
        if (t->tap)
            assert_string_equal(tap, t->tap);
    } else {
        assert_null(r);
    }
    embedsvc_test_report_free(r);
    return rc;
}

static void run_tests_file(const char *path)
{
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    size_t len;
    char *data = slurp(path, &len);
    tests_ctx t = {p, data, len, NULL};
    embedsvc_test_report *ref = NULL;
    assert_int_equal(embedsvc_tests_run(p, data, len, NULL, &ref, NULL), EMBEDSVC_OK);
    t.tap = strdup(embedsvc_test_report_tap(ref, NULL));
    assert_non_null(t.tap);
    embedsvc_test_report_free(ref);
    assert_true(sweep(op_tests, &t, true) > 0);
    free(t.tap);
    free(data);
    embedsvc_policy_free(p);
}

static void test_tests_run_fails_cleanly(void **state)
{
    (void)state;
    run_tests_file(SOURCE_ROOT "/policies/tests/beijing-2024-trial.tests.json");
}

static void test_tests_run_with_failures_fails_cleanly(void **state)
{
    (void)state; /* a file whose cases fail: the diffs and mismatches allocate too */
    run_tests_file(SOURCE_ROOT "/tests/authoring/wrong-expectation.tests.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_fails_cleanly),
        cmocka_unit_test(test_diff_fails_cleanly),
        cmocka_unit_test(test_policy_set_fails_cleanly),
        cmocka_unit_test(test_tests_run_fails_cleanly),
        cmocka_unit_test(test_tests_run_with_failures_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
