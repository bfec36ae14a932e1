/* The one call (lib/check.c, include/embedsvc/check.h): the same bytes as the five calls it
 * replaces, errors with their position, the policy's allocator for the string, and no leak
 * when any allocation fails. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <embedsvc.h>

static const char project[] =
    "{\"id\":\"DEMO-1\",\"build_mode\":\"renovation\",\"total_investment\":\"3000000\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
    "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";

typedef struct counter {
    long calls, live, fail_at; /* fail the fail_at-th call (1-based); 0: never */
} counter;

static void *c_malloc(void *ctx, size_t size)
{
    counter *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    void *p = malloc(size);
    c->live += p != NULL;
    return p;
}

static void *c_realloc(void *ctx, void *ptr, size_t size)
{
    counter *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    return realloc(ptr, size);
}

static void c_free(void *ctx, void *ptr)
{
    ((counter *)ctx)->live--;
    free(ptr);
}

static char *five_calls(const embedsvc_policy *p, const char *json, size_t len)
{
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, json, len, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(p, pr, r, NULL), EMBEDSVC_OK);
    const char *text;
    size_t n;
    assert_int_equal(embedsvc_result_to_json(r, &text, &n, NULL), EMBEDSVC_OK);
    char *copy = strdup(text);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    return copy;
}

static void test_same_bytes_as_the_five_calls(void **state)
{
    (void)state;
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    char *json = NULL;
    size_t len = 0;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_check_json(p, project, strlen(project), &json, &len, &err), EMBEDSVC_OK);
    char *want = five_calls(p, project, strlen(project));
    assert_string_equal(json, want);
    assert_int_equal(len, strlen(want));
    assert_non_null(strstr(json, "\"project_id\":\"DEMO-1\""));
    assert_null(strchr(json, '\n'));
    free(want);
    embedsvc_check_json_free(p, json);
    embedsvc_check_json_free(p, NULL);
    /* result_len may be NULL */
    assert_int_equal(embedsvc_check_json(p, project, strlen(project), &json, NULL, NULL), EMBEDSVC_OK);
    embedsvc_check_json_free(p, json);
    embedsvc_policy_free(p);
}

static void test_parse_error_has_its_position_and_no_string(void **state)
{
    (void)state;
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    static const char bad[] = "{\"id\":\"X\",\n \"build_mode\":\"castle\"}";
    char *json = (char *)bad;
    size_t len = 7;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_check_json(p, bad, strlen(bad), &json, &len, &err), EMBEDSVC_EPARSE);
    assert_null(json);
    assert_int_equal(len, 0);
    assert_string_equal(err.code, "parse.value");
    assert_string_equal(err.path, "/build_mode");
    assert_int_equal(err.line, 2);
    assert_int_equal(embedsvc_check_json(NULL, bad, 1, &json, &len, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_check_json(p, NULL, 1, &json, &len, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_check_json(p, bad, 1, NULL, &len, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_check_json(p, NULL, 0, &json, &len, &err), EMBEDSVC_EPARSE); /* an empty document */
    embedsvc_policy_free(p);
}

/* Everything is made with the policy's allocator; a failure of any of its calls is ENOMEM with
 * nothing left allocated, and the string is freed by embedsvc_check_json_free(). */
static void test_uses_the_policy_allocator_and_fails_cleanly(void **state)
{
    (void)state;
    counter c = {0, 0, 0};
    embedsvc_allocator al = EMBEDSVC_ALLOCATOR_INIT(c_malloc, c_realloc, c_free, &c);
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(&al, &p, NULL), EMBEDSVC_OK);
    long base_live = c.live, base_calls = c.calls;
    char *json = NULL;
    assert_int_equal(embedsvc_check_json(p, project, strlen(project), &json, NULL, NULL), EMBEDSVC_OK);
    long used = c.calls - base_calls;
    assert_true(used >= 3);
    assert_int_equal(c.live, base_live + 1); /* only the string is left */
    embedsvc_check_json_free(p, json);
    assert_int_equal(c.live, base_live);
    for (long n = 1; n <= used; n++) {
        c.fail_at = c.calls + 1;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = embedsvc_check_json(p, project, strlen(project), &json, NULL, &err);
        assert_int_equal(rc, EMBEDSVC_ENOMEM);
        assert_null(json);
        assert_int_equal(c.live, base_live);
        c.fail_at = 0;
        (void)n;
    }
    embedsvc_policy_free(p);
    assert_int_equal(c.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_as_the_five_calls),
        cmocka_unit_test(test_parse_error_has_its_position_and_no_string),
        cmocka_unit_test(test_uses_the_policy_allocator_and_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
