/* Allocation failure: every operation that allocates is run with an allocator that fails its Nth
 * call, for N = 1, 2, ... until the operation succeeds without reaching the failure. Each failing
 * run must return EMBEDSVC_ENOMEM and leave nothing allocated once the objects are freed (the
 * allocator counts live blocks), and the objects must work normally afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedsvc.h"
#include "failing_alloc.h"

/* ---- the failing allocator (tests/support/failing_alloc.h) ---- */

static failing fa;
static embedsvc_allocator the_alloc; /* over fa, set by reset() */

/* Starts run N: the Nth call from now fails. */
static void arm(size_t n)
{
    failing_arm(&fa, n);
}

/* Lets every later call succeed. */
static void disarm(void)
{
    failing_disarm(&fa);
}

/* Each test starts with nothing allocated (a failed test may have left blocks behind). */
static int reset(void **state)
{
    (void)state;
    memset(&fa, 0, sizeof(fa));
    the_alloc = failing_allocator(&fa);
    return 0;
}

/* Upper bound on N: an operation that never stops failing is a bug too. */
#define MAX_RUNS 5000

/* ---- inputs ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#define POLICY_FILE SOURCE_ROOT "/policies/beijing-2024-trial.json"

/* A project whose evaluation quotes texts in its findings (unknown item, inferred scenarios from
 * labels, an unknown scenario, the exemption reason, the application date) and whose parse fills
 * several arena chunks. */
static char *big_project(size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)snprintf(s + n, cap - n,
                          "{\"id\":\"OOM-1\",\"name\":\"%s\",\"build_mode\":\"new\",\"total_investment\":\"6400000\","
                          "\"exemption_reason\":\"no preferred function here\",\"application_date\":\"2023-01-01\","
                          "\"functions\":[",
                          "某街道社区嵌入式服务综合体某街道社区嵌入式服务综合体");
    for (int i = 0; i < 64; i++) {
        n += (size_t)snprintf(s + n, cap - n, "%s{", i ? "," : "");
        if (i % 4 == 0)
            n += (size_t)snprintf(s + n, cap - n, "\"item\":\"未知服务项目%d\",\"scenario\":\"health\"", i);
        else if (i % 4 == 1)
            n += (size_t)snprintf(s + n, cap - n, "\"label\":\"社区第%d家健身房\"", i);
        else if (i % 4 == 2)
            n += (size_t)snprintf(s + n, cap - n, "\"scenario\":\"未知场景%d\"", i);
        else
            n += (size_t)snprintf(s + n, cap - n, "\"label\":\"第%d个便民服务点\",\"service_class\":\"commercial\"", i);
        n += (size_t)snprintf(s + n, cap - n, ",\"investment\":\"100000\"}");
    }
    n += (size_t)snprintf(s + n, cap - n, "]}");
    assert_true(n < cap);
    *len = n;
    return s;
}

static const char good_line[] =
    "{\"id\":\"B-1\",\"build_mode\":\"renovation\",\"total_investment\":\"3000000\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
    "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"item\":\"不存在\",\"investment\":\"1000000\"}]}";
static const char bad_line[] = "{\"id\":\"B-2\",\"build_mode\":\"new\",\"total_investment\":\"1.001\",\"functions\":[{}]}";

/* The result JSON of a project under the default policy, with the standard allocator. */
static char *reference_json(const char *doc, size_t len)
{
    embedsvc_policy *p = NULL;
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    const char *json;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, doc, len, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(p, pr, r, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_to_json(r, &json, NULL, NULL), EMBEDSVC_OK);
    char *copy = strdup(json);
    assert_non_null(copy);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
    return copy;
}

/* An operation failed at run n: it must say ENOMEM, in its return value and its error. */
static void expect_nomem(int rc, const embedsvc_error *err, size_t n)
{
    if (rc != EMBEDSVC_ENOMEM)
        print_error("run %zu: rc %d (%s), expected EMBEDSVC_ENOMEM\n", n, rc, err ? err->code : "");
    assert_int_equal(rc, EMBEDSVC_ENOMEM);
    if (err) {
        assert_int_equal(err->status, EMBEDSVC_ENOMEM);
        assert_string_equal(err->code, "nomem");
    }
}

/* ---- policies ---- */

/* How a test loads a policy: the default, a buffer, or a file. */
typedef enum { LOAD_DEFAULT, LOAD_BUFFER, LOAD_FILE } load_kind;

/* Fails every allocation of a policy load in turn: each failure is ENOMEM with no policy and
 * nothing live; the first run that does not fail ends with `final` (OK, or the status of an
 * invalid document) and, for OK, a policy of `scenarios` scenarios. */
static void policy_load_fails_cleanly(load_kind how, const char *doc, size_t len, int final, size_t scenarios)
{
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_policy *p = NULL;
        arm(n);
        int rc = how == LOAD_DEFAULT  ? embedsvc_policy_default(&the_alloc, &p, &err)
                 : how == LOAD_BUFFER ? embedsvc_policy_load_buffer(doc, len, &the_alloc, &p, &err)
                                      : embedsvc_policy_load_file(POLICY_FILE, &the_alloc, &p, &err);
        disarm();
        if (!fa.failed) {
            assert_int_equal(rc, final);
            if (final == EMBEDSVC_OK)
                assert_int_equal(embedsvc_policy_scenario_count(p), scenarios);
            else
                assert_string_equal(err.code, "policy.invalid");
            embedsvc_policy_free(p);
            assert_int_equal(fa.live, 0);
            break;
        }
        expect_nomem(rc, &err, n);
        assert_null(p);
        assert_int_equal(fa.live, 0);
    }
    assert_true(n > 1 && n < MAX_RUNS);
}

static void test_policy_default_fails_cleanly(void **state)
{
    (void)state;
    policy_load_fails_cleanly(LOAD_DEFAULT, NULL, 0, EMBEDSVC_OK, 9);
}

static void test_policy_load_buffer_fails_cleanly(void **state)
{
    (void)state;
    size_t len;
    char *doc = read_file(POLICY_FILE, &len);
    policy_load_fails_cleanly(LOAD_BUFFER, doc, len, EMBEDSVC_OK, 9);
    free(doc);
}

static void test_policy_load_file_fails_cleanly(void **state)
{
    (void)state;
    policy_load_fails_cleanly(LOAD_FILE, NULL, 0, EMBEDSVC_OK, 9);
}

/* An invalid policy that fails late (a term clash is found after everything is read). */
static void test_policy_invalid_fails_cleanly(void **state)
{
    (void)state;
    size_t len;
    char *doc = read_file(POLICY_FILE, &len);
    char *clash = strstr(doc, "\"托育\"");
    assert_non_null(clash);
    memcpy(clash, "\"助餐\"", strlen("\"助餐\"")); /* same length in UTF-8: an alias of community_meals */
    policy_load_fails_cleanly(LOAD_BUFFER, doc, len, EMBEDSVC_EPOLICY, 0);
    free(doc);
}

/* ---- projects ---- */

static void test_project_parse_fails_cleanly_and_stays_usable(void **state)
{
    (void)state;
    size_t len;
    char *doc = big_project(&len);
    char *want = reference_json(doc, len);
    embedsvc_policy *policy = NULL;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &policy, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_project *pr = NULL;
        arm(n);
        int rc = embedsvc_project_new(&the_alloc, &pr);
        if (rc == EMBEDSVC_OK) {
            /* a small document first, so that the big one reuses and grows the parser's memory */
            rc = embedsvc_project_parse(pr, good_line, strlen(good_line), &err);
            if (rc == EMBEDSVC_OK)
                rc = embedsvc_project_parse(pr, doc, len, &err);
        }
        disarm();
        bool failed = fa.failed;
        if (failed) {
            expect_nomem(rc, pr ? &err : NULL, n);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
        }
        if (pr) {
            if (failed) {
                assert_int_equal(embedsvc_project_function_count(pr), 0);
                assert_int_equal(embedsvc_project_parse(pr, doc, len, &err), EMBEDSVC_OK);
            }
            const char *json;
            assert_int_equal(embedsvc_evaluate(policy, pr, r, &err), EMBEDSVC_OK);
            assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_OK);
            assert_string_equal(json, want);
            embedsvc_project_free(pr);
        }
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n > 2 && n < MAX_RUNS);
    embedsvc_result_free(r);
    embedsvc_policy_free(policy);
    free(want);
    free(doc);
}

/* A parse error reported after the tree was built (a path in a large document). */
static void test_project_parse_error_fails_cleanly(void **state)
{
    (void)state;
    size_t len;
    char *doc = big_project(&len);
    char *bad = strstr(doc, "\"100000\"}]}");
    assert_non_null(bad);
    memcpy(bad, "\"1.0001\"", 8);
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_project *pr = NULL;
        arm(n);
        int rc = embedsvc_project_new(&the_alloc, &pr);
        if (rc == EMBEDSVC_OK)
            rc = embedsvc_project_parse(pr, doc, len, &err);
        disarm();
        embedsvc_project_free(pr);
        assert_int_equal(fa.live, 0);
        if (!fa.failed) {
            assert_int_equal(rc, EMBEDSVC_EPARSE);
            assert_string_equal(err.code, "money.precision");
            assert_string_equal(err.path, "/functions/63/investment");
            break;
        }
        expect_nomem(rc, pr ? &err : NULL, n);
    }
    assert_true(n > 1 && n < MAX_RUNS);
    free(doc);
}

/* The builder API copies texts into the project's memory. */
static void test_project_builder_fails_cleanly(void **state)
{
    (void)state;
    static const char label[] = "朝阳区双井街道第一社区养老服务驿站（日间照料中心）";
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_project *pr = NULL;
        arm(n);
        int rc = embedsvc_project_new(&the_alloc, &pr);
        if (rc == EMBEDSVC_OK)
            rc = embedsvc_project_set_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_ID, "B-1", 3, &err);
        for (int i = 0; rc == EMBEDSVC_OK && i < 64; i++) {
            size_t index;
            rc = embedsvc_project_add_function(pr, &index);
            if (rc == EMBEDSVC_OK)
                rc = embedsvc_project_set_text(pr, (int)index, EMBEDSVC_FIELD_LABEL, label, strlen(label), &err);
        }
        disarm();
        bool failed = fa.failed;
        if (failed)
            expect_nomem(rc, pr ? &err : NULL, n);
        else
            assert_int_equal(rc, EMBEDSVC_OK);
        if (pr) {
            /* usable afterwards */
            assert_int_equal(embedsvc_project_set_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME, label,
                                                       strlen(label), &err),
                             EMBEDSVC_OK);
            assert_string_equal(embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME), label);
            embedsvc_project_free(pr);
        }
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n > 2 && n < MAX_RUNS);
}

/* The big project parsed under the default policy (allocations not failed), and the JSON a
 * result of it must be: what the tests of evaluation and writing start from. */
typedef struct evaluated_fixture {
    char *doc, *want;
    embedsvc_policy *policy;
    embedsvc_project *pr;
} evaluated_fixture;

static evaluated_fixture fixture_open(void)
{
    evaluated_fixture x = {0};
    size_t len;
    x.doc = big_project(&len);
    x.want = reference_json(x.doc, len);
    assert_int_equal(embedsvc_policy_default(NULL, &x.policy, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &x.pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(x.pr, x.doc, len, NULL), EMBEDSVC_OK);
    return x;
}

static void fixture_close(evaluated_fixture *x)
{
    embedsvc_project_free(x->pr);
    embedsvc_policy_free(x->policy);
    free(x->want);
    free(x->doc);
}

/* ---- evaluation and results ---- */

static void test_evaluate_and_serialize_fail_cleanly(void **state)
{
    (void)state;
    evaluated_fixture x = fixture_open();
    const embedsvc_policy *policy = x.policy;
    const embedsvc_project *pr = x.pr;
    const char *want = x.want;
    size_t n;
    int failed_in_evaluate = 0, failed_in_json = 0;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_result *r = NULL;
        const char *json = NULL;
        int stage = 0;
        arm(n);
        int rc = embedsvc_result_new(&the_alloc, &r);
        if (rc == EMBEDSVC_OK) {
            stage = 1;
            rc = embedsvc_evaluate(policy, pr, r, &err);
        }
        if (rc == EMBEDSVC_OK) {
            stage = 2;
            rc = embedsvc_result_to_json(r, &json, NULL, &err);
        }
        disarm();
        bool failed = fa.failed;
        if (failed) {
            expect_nomem(rc, stage ? &err : NULL, n);
            failed_in_evaluate += stage == 1;
            failed_in_json += stage == 2;
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
        }
        if (r) {
            /* usable afterwards: evaluate and write again */
            if (failed) {
                assert_int_equal(embedsvc_evaluate(policy, pr, r, &err), EMBEDSVC_OK);
                assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_OK);
            }
            assert_string_equal(json, want);
            embedsvc_result_free(r);
        }
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n < MAX_RUNS);
    assert_true(failed_in_evaluate > 0); /* the findings' texts */
    assert_true(failed_in_json > 0);
    fixture_close(&x);
}

/* Serializing an evaluated result again after a failure gives the same bytes. */
static void test_result_to_json_fails_cleanly_on_an_evaluated_result(void **state)
{
    (void)state;
    evaluated_fixture x = fixture_open();
    const embedsvc_policy *policy = x.policy;
    const embedsvc_project *pr = x.pr;
    const char *want = x.want;
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_result *r = NULL;
        const char *json = NULL;
        disarm();
        assert_int_equal(embedsvc_result_new(&the_alloc, &r), EMBEDSVC_OK);
        assert_int_equal(embedsvc_evaluate(policy, pr, r, &err), EMBEDSVC_OK);
        arm(n);
        int rc = embedsvc_result_to_json(r, &json, NULL, &err);
        char msg[16];
        int mrc = embedsvc_result_finding_message(r, 0, "zh", msg, sizeof(msg));
        disarm();
        if (fa.failed) {
            assert_true(rc == EMBEDSVC_ENOMEM || mrc == EMBEDSVC_ENOMEM);
            if (rc != EMBEDSVC_OK)
                expect_nomem(rc, &err, n);
            assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_OK);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
            assert_true(mrc > 0);
        }
        assert_string_equal(json, want);
        bool failed = fa.failed;
        embedsvc_result_free(r);
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n > 1 && n < MAX_RUNS);
    fixture_close(&x);
}

/* A result object reused: its second evaluation starts the memo (lib/memo.c). Every allocation of
 * two evaluations and writes failed in turn: ENOMEM, or without the memo the same result. */
static void test_reused_result_fails_cleanly(void **state)
{
    (void)state;
    evaluated_fixture x = fixture_open();
    const embedsvc_policy *policy = x.policy;
    const embedsvc_project *pr = x.pr;
    const char *want = x.want;
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_result *r = NULL;
        const char *json = NULL;
        disarm();
        assert_int_equal(embedsvc_result_new(&the_alloc, &r), EMBEDSVC_OK);
        arm(n);
        int rc = EMBEDSVC_OK;
        for (int i = 0; i < 2 && rc == EMBEDSVC_OK; i++) {
            rc = embedsvc_evaluate(policy, pr, r, &err);
            if (rc == EMBEDSVC_OK)
                rc = embedsvc_result_to_json(r, &json, NULL, &err);
        }
        disarm();
        bool failed = fa.failed;
        if (rc != EMBEDSVC_OK) {
            assert_true(failed);
            expect_nomem(rc, &err, n);
            assert_int_equal(embedsvc_evaluate(policy, pr, r, &err), EMBEDSVC_OK);
            assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_OK);
        }
        assert_string_equal(json, want);
        embedsvc_result_free(r);
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n > 1 && n < MAX_RUNS);
    fixture_close(&x);
}

/* A label longer than 1024 bytes is classified in scratch memory from the policy's allocator. */
static void test_evaluate_long_label_fails_cleanly(void **state)
{
    (void)state;
    size_t cap = 8192, len = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    len += (size_t)snprintf(doc, cap, "{\"id\":\"L\",\"build_mode\":\"new\",\"total_investment\":\"3\",\"functions\":["
                                      "{\"label\":\"");
    while (len < 2000)
        len += (size_t)snprintf(doc + len, cap - len, "社区");
    len += (size_t)snprintf(doc + len, cap - len, "养老驿站\"},{\"scenario\":\"health\",\"service_class\":"
                                                  "\"basic_public\"},{\"scenario\":\"infant_care\"}]}");
    char *want = reference_json(doc, len);
    embedsvc_project *pr = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, doc, len, NULL), EMBEDSVC_OK);
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_policy *policy = NULL;
        embedsvc_result *r = NULL;
        const char *json = NULL;
        disarm();
        assert_int_equal(embedsvc_policy_default(&the_alloc, &policy, NULL), EMBEDSVC_OK);
        assert_int_equal(embedsvc_result_new(&the_alloc, &r), EMBEDSVC_OK);
        arm(n);
        int rc = embedsvc_evaluate(policy, pr, r, &err);
        if (rc == EMBEDSVC_OK)
            rc = embedsvc_result_to_json(r, &json, NULL, &err);
        disarm();
        bool failed = fa.failed;
        if (failed) {
            expect_nomem(rc, &err, n);
            assert_int_equal(embedsvc_evaluate(policy, pr, r, &err), EMBEDSVC_OK);
            assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_OK);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
        }
        assert_string_equal(json, want);
        embedsvc_result_free(r);
        embedsvc_policy_free(policy);
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n > 1 && n < MAX_RUNS);
    embedsvc_project_free(pr);
    free(want);
    free(doc);
}

/* ---- batch ---- */

static void test_batch_line_fails_cleanly_and_goes_on(void **state)
{
    (void)state;
    char *want = reference_json(good_line, strlen(good_line));
    embedsvc_policy *policy = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &policy, NULL), EMBEDSVC_OK);
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_batch *b = NULL;
        const char *out = NULL;
        int rc_good = 0, rc_bad = 1;
        arm(n);
        int rc = embedsvc_batch_new(policy, &the_alloc, &b);
        if (rc == EMBEDSVC_OK) {
            rc = rc_good = embedsvc_batch_line(b, good_line, strlen(good_line), &out, NULL);
            if (rc == 0)
                rc = rc_bad = embedsvc_batch_line(b, bad_line, strlen(bad_line), &out, NULL);
            if (rc == 1)
                rc = 0;
        }
        disarm();
        bool failed = fa.failed;
        if (failed) {
            assert_int_equal(rc, EMBEDSVC_ENOMEM);
            assert_null(out);
        } else {
            assert_int_equal(rc, 0);
        }
        if (b) {
            /* the batch goes on: both kinds of line work after a failure */
            assert_int_equal(embedsvc_batch_line(b, good_line, strlen(good_line), &out, NULL), 0);
            assert_string_equal(out, want);
            assert_int_equal(embedsvc_batch_line(b, bad_line, strlen(bad_line), &out, NULL), 1);
            assert_non_null(strstr(out, "\"code\":\"money.precision\""));
            assert_int_equal(embedsvc_batch_line(b, " \r", 2, &out, NULL), 2);
            embedsvc_batch_free(b);
        }
        assert_int_equal(fa.live, 0);
        if (!failed) {
            assert_int_equal(rc_good, 0);
            assert_int_equal(rc_bad, 1);
            break;
        }
    }
    assert_true(n > 2 && n < MAX_RUNS);
    embedsvc_policy_free(policy);
    free(want);
}

/* ---- classification ---- */

static void test_classify_long_text_fails_cleanly(void **state)
{
    (void)state;
    char text[4096];
    size_t len = 0;
    while (len < 1500)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "北京市朝阳区");
    len += (size_t)snprintf(text + len, sizeof(text) - len, "托育中心");
    assert_true(len > 1024);
    size_t n;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_policy *policy = NULL;
        embedsvc_classification *c = NULL;
        disarm();
        assert_int_equal(embedsvc_policy_default(&the_alloc, &policy, NULL), EMBEDSVC_OK);
        arm(n);
        int rc = embedsvc_classification_new(&the_alloc, &c);
        if (rc == EMBEDSVC_OK)
            rc = embedsvc_classify(policy, text, len, c, &err);
        disarm();
        bool failed = fa.failed;
        if (failed)
            expect_nomem(rc, c ? &err : NULL, n);
        else
            assert_int_equal(rc, EMBEDSVC_OK);
        if (c) {
            if (failed)
                assert_int_equal(embedsvc_classify(policy, text, len, c, &err), EMBEDSVC_OK);
            assert_int_equal(embedsvc_classification_match(c), EMBEDSVC_MATCH_CONTAINS);
            assert_string_equal(embedsvc_policy_scenario_name(policy, (size_t)embedsvc_classification_scenario(c),
                                                              EMBEDSVC_NAME_CODE),
                                "infant_care");
            embedsvc_classification_free(c);
        }
        embedsvc_policy_free(policy);
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
    assert_true(n > 2 && n < MAX_RUNS);
}

/* ---- the canonical policy, stage reports, the process block (issue 13.9) ---- */

/* embedsvc_policy_to_json builds its text with the policy's allocator. */
static void test_policy_to_json_fails_cleanly(void **state)
{
    (void)state;
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(&the_alloc, &p, NULL), EMBEDSVC_OK);
    size_t need = 0;
    disarm();
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 0, &need), EMBEDSVC_ERANGE);
    char *want = malloc(need + 1), *got = malloc(need + 1);
    assert_non_null(want);
    assert_non_null(got);
    assert_int_equal(embedsvc_policy_to_json(p, want, need + 1, NULL), EMBEDSVC_OK);
    long live = fa.live;
    size_t n;
    int failures = 0;
    for (n = 1; n < MAX_RUNS; n++) {
        arm(n);
        int rc = embedsvc_policy_to_json(p, got, need + 1, NULL);
        disarm();
        assert_int_equal(fa.live, live);
        if (!fa.failed) {
            assert_int_equal(rc, EMBEDSVC_OK);
            assert_string_equal(got, want);
            break;
        }
        expect_nomem(rc, NULL, n);
        failures++;
    }
    assert_true(failures > 0 && n < MAX_RUNS);
    free(want);
    free(got);
    embedsvc_policy_free(p);
    assert_int_equal(fa.live, 0);
}

static const char staged_project[] =
    "{\"id\":\"OOM-STAGE\",\"build_mode\":\"new\",\"total_investment\":\"3000000\",\"stage\":\"disbursement\","
    "\"residents_consulted\":true,\"feasibility_approved\":true,\"estimate_depth_report\":true,"
    "\"approved\":\"100000\",\"progress\":\"0.5\",\"disbursed\":\"20000\",\"operation_model\":\"government_purchase\","
    "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
    "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";

/* embedsvc_stage_report_new and the evaluation embedsvc_stage_check makes into it. */
static void test_stage_report_fails_cleanly(void **state)
{
    (void)state;
    embedsvc_policy *p = NULL;
    embedsvc_project *pr = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, staged_project, strlen(staged_project), NULL), EMBEDSVC_OK);
    size_t n;
    int failures = 0;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_stage_report *rep = NULL;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        arm(n);
        int rc = embedsvc_stage_report_new(&the_alloc, &rep);
        if (rc == EMBEDSVC_OK)
            rc = embedsvc_stage_check(p, pr, EMBEDSVC_STAGE_APPLICATION, rep, &err);
        disarm();
        if (fa.failed) {
            expect_nomem(rc, NULL, n);
            failures++;
            if (rep) /* usable afterwards */
                assert_int_equal(embedsvc_stage_check(p, pr, EMBEDSVC_STAGE_APPLICATION, rep, &err), EMBEDSVC_OK);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
        }
        if (rep)
            assert_int_equal(embedsvc_stage_report_count(rep), 1); /* not the next stage */
        embedsvc_stage_report_free(rep);
        assert_int_equal(fa.live, 0);
        if (!fa.failed)
            break;
    }
    assert_true(failures >= 2 && n < MAX_RUNS); /* the report and its result */
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
}

/* The result JSON of a project at a stage has the process block (write_process). */
static void test_result_process_block_fails_cleanly(void **state)
{
    (void)state;
    char *want = reference_json(staged_project, strlen(staged_project));
    assert_non_null(strstr(want, "\"process\":"));
    embedsvc_policy *p = NULL;
    embedsvc_project *pr = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, staged_project, strlen(staged_project), NULL), EMBEDSVC_OK);
    size_t n;
    int failures = 0;
    for (n = 1; n < MAX_RUNS; n++) {
        embedsvc_result *r = NULL;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        const char *json = NULL;
        disarm();
        assert_int_equal(embedsvc_result_new(&the_alloc, &r), EMBEDSVC_OK);
        assert_int_equal(embedsvc_evaluate(p, pr, r, &err), EMBEDSVC_OK);
        arm(n);
        int rc = embedsvc_result_to_json(r, &json, NULL, &err);
        disarm();
        if (fa.failed) {
            expect_nomem(rc, &err, n);
            failures++;
            assert_int_equal(embedsvc_result_to_json(r, &json, NULL, &err), EMBEDSVC_OK);
        }
        assert_string_equal(json, want);
        embedsvc_result_free(r);
        assert_int_equal(fa.live, 0);
        if (!fa.failed)
            break;
    }
    assert_true(failures > 0 && n < MAX_RUNS);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_policy_default_fails_cleanly, reset),
        cmocka_unit_test_setup(test_policy_load_buffer_fails_cleanly, reset),
        cmocka_unit_test_setup(test_policy_load_file_fails_cleanly, reset),
        cmocka_unit_test_setup(test_policy_invalid_fails_cleanly, reset),
        cmocka_unit_test_setup(test_project_parse_fails_cleanly_and_stays_usable, reset),
        cmocka_unit_test_setup(test_project_parse_error_fails_cleanly, reset),
        cmocka_unit_test_setup(test_project_builder_fails_cleanly, reset),
        cmocka_unit_test_setup(test_evaluate_and_serialize_fail_cleanly, reset),
        cmocka_unit_test_setup(test_result_to_json_fails_cleanly_on_an_evaluated_result, reset),
        cmocka_unit_test_setup(test_reused_result_fails_cleanly, reset),
        cmocka_unit_test_setup(test_evaluate_long_label_fails_cleanly, reset),
        cmocka_unit_test_setup(test_batch_line_fails_cleanly_and_goes_on, reset),
        cmocka_unit_test_setup(test_classify_long_text_fails_cleanly, reset),
        cmocka_unit_test_setup(test_policy_to_json_fails_cleanly, reset),
        cmocka_unit_test_setup(test_stage_report_fails_cleanly, reset),
        cmocka_unit_test_setup(test_result_process_block_fails_cleanly, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
