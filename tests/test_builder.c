/* Tests of the builder API (embedsvc_project_set_text / set_int / add_function / unset, lib/project.c):
 * a built project evaluates exactly like the same JSON, and every setter error of reference §2 and §5. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "embedsvc.h"

static embedsvc_policy *g_policy;
static embedsvc_project *g_project;
static embedsvc_result *g_result;

static int group_setup(void **state)
{
    (void)state;
    return embedsvc_policy_default(NULL, &g_policy, NULL) == EMBEDSVC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    embedsvc_policy_free(g_policy);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    if (embedsvc_project_new(NULL, &g_project) != EMBEDSVC_OK)
        return -1;
    return embedsvc_result_new(NULL, &g_result) == EMBEDSVC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    embedsvc_result_free(g_result);
    embedsvc_project_free(g_project);
    return 0;
}

#define P EMBEDSVC_PROJECT_LEVEL

static const char spec_example[] =
    "{\"schema\":\"embedsvc.project/1\",\"id\":\"BJ-2025-HD-0001\",\"name\":\"某街道社区嵌入式服务综合体\","
    "\"district\":\"海淀区\",\"street\":\"某街道\",\"community\":\"某社区\",\"application_date\":\"2025-03-01\","
    "\"build_mode\":\"renovation\",\"layout\":\"complex\",\"total_investment\":\"12000000.00\",\"inclusive_rate\":\"0.25\","
    "\"walk_minutes\":12,\"operation_model\":\"public_built_private_run\",\"exemption_reason\":\"\","
    "\"stage\":\"application\",\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"item\":\"养老助老\",\"label\":\"养老服务驿站\","
    "\"floor_area_m2\":400,\"investment\":\"4800000\"},"
    "{\"scenario\":\"社区助餐\",\"floor_area_m2\":200,\"investment\":\"2400000\"},"
    "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"floor_area_m2\":400,\"investment\":\"4800000\"}]}";

/* ---- helpers ---- */

static void set_text_at(embedsvc_project *pr, int function, embedsvc_field f, const char *value, const char *file,
                        int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_set_text(pr, function, f, value, strlen(value), &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: set_text %d/%d \"%s\": %s at %s: %s\n", file, line, function, f, value, err.code, err.path,
                    err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
}

static void set_int_at(embedsvc_project *pr, int function, embedsvc_field f, int64_t value, const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_set_int(pr, function, f, value, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: set_int %d/%d %lld: %s at %s: %s\n", file, line, function, f, (long long)value, err.code,
                    err.path, err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
}

#define SET(fn, f, v) set_text_at(g_project, (fn), (f), (v), __FILE__, __LINE__)
#define SET_IN(pr, fn, f, v) set_text_at((pr), (fn), (f), (v), __FILE__, __LINE__)
#define SET_INT(fn, f, v) set_int_at(g_project, (fn), (f), (v), __FILE__, __LINE__)
#define SET_INT_IN(pr, fn, f, v) set_int_at((pr), (fn), (f), (v), __FILE__, __LINE__)

static embedsvc_error setter_err_at(int rc, int status, embedsvc_error err, const char *code, const char *path,
                                    const char *file, int line)
{
    if (rc != status || strcmp(err.code, code) != 0 || strcmp(err.path, path) != 0)
        print_error("%s:%d: got %d %s at '%s': %s; want %d %s at '%s'\n", file, line, rc, err.code, err.path,
                    err.message, status, code, path);
    _assert_int_equal((uintmax_t)rc, (uintmax_t)status, file, line);
    _assert_int_equal((uintmax_t)err.status, (uintmax_t)status, file, line);
    _assert_string_equal(err.code, code, file, line);
    _assert_string_equal(err.path, path, file, line);
    _assert_true(err.message[0] != '\0', "a message", file, line);
    _assert_int_equal(err.line, 0, file, line); /* not about a position in a document */
    _assert_int_equal(err.column, 0, file, line);
    return err;
}

static embedsvc_error set_text_err_at(int function, embedsvc_field f, const char *value, size_t len, const char *code,
                                      const char *path, const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_set_text(g_project, function, f, value, len, &err);
    return setter_err_at(rc, EMBEDSVC_EPARSE, err, code, path, file, line);
}

static embedsvc_error set_int_err_at(int function, embedsvc_field f, int64_t value, const char *code, const char *path,
                                     const char *file, int line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_set_int(g_project, function, f, value, &err);
    return setter_err_at(rc, EMBEDSVC_EPARSE, err, code, path, file, line);
}

#define SET_ERR(fn, f, v, code, path) set_text_err_at((fn), (f), (v), strlen(v), (code), (path), __FILE__, __LINE__)
#define SET_ERR_N(fn, f, v, n, code, path) set_text_err_at((fn), (f), (v), (n), (code), (path), __FILE__, __LINE__)
#define SET_INT_ERR(fn, f, v, code, path) set_int_err_at((fn), (f), (v), (code), (path), __FILE__, __LINE__)

static size_t add_function_to(embedsvc_project *pr)
{
    size_t index = 999;
    assert_int_equal(embedsvc_project_add_function(pr, &index), EMBEDSVC_OK);
    return index;
}

static int64_t num(int function, embedsvc_field f)
{
    int64_t v = -12345;
    int rc = embedsvc_project_get_int(g_project, function, f, &v);
    assert_true(rc == 0 || rc == 1);
    return rc == 1 ? v : -999;
}

/* The result JSON of evaluating a project, malloc'ed. */
static char *evaluate_json(const embedsvc_project *pr)
{
    embedsvc_result *r = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    int rc = embedsvc_evaluate(g_policy, pr, r, &err);
    if (rc != EMBEDSVC_OK)
        fail_msg("evaluate: %s at %s: %s", err.code, err.path, err.message);
    const char *json;
    size_t len;
    assert_int_equal(embedsvc_result_to_json(r, &json, &len, &err), EMBEDSVC_OK);
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, json, len + 1);
    embedsvc_result_free(r);
    return copy;
}

static char *parsed_json(const char *doc)
{
    embedsvc_project *pr = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, doc, strlen(doc), &err), EMBEDSVC_OK);
    char *json = evaluate_json(pr);
    embedsvc_project_free(pr);
    return json;
}

/* The reference §5 example, field by field from text. */
static void build_spec_example_from_text(embedsvc_project *pr)
{
    SET_IN(pr, P, EMBEDSVC_FIELD_ID, "BJ-2025-HD-0001");
    SET_IN(pr, P, EMBEDSVC_FIELD_NAME, "某街道社区嵌入式服务综合体");
    SET_IN(pr, P, EMBEDSVC_FIELD_DISTRICT, "海淀区");
    SET_IN(pr, P, EMBEDSVC_FIELD_STREET, "某街道");
    SET_IN(pr, P, EMBEDSVC_FIELD_COMMUNITY, "某社区");
    SET_IN(pr, P, EMBEDSVC_FIELD_APPLICATION_DATE, "2025-03-01");
    SET_IN(pr, P, EMBEDSVC_FIELD_BUILD_MODE, "renovation");
    SET_IN(pr, P, EMBEDSVC_FIELD_LAYOUT, "complex");
    SET_IN(pr, P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "12000000.00");
    SET_IN(pr, P, EMBEDSVC_FIELD_INCLUSIVE_RATE, "0.25");
    SET_IN(pr, P, EMBEDSVC_FIELD_WALK_MINUTES, "12");
    SET_IN(pr, P, EMBEDSVC_FIELD_OPERATION_MODEL, "public_built_private_run");
    SET_IN(pr, P, EMBEDSVC_FIELD_EXEMPTION_REASON, "");
    SET_IN(pr, P, EMBEDSVC_FIELD_STAGE, "application");
    int f = (int)add_function_to(pr);
    assert_int_equal(f, 0);
    SET_IN(pr, f, EMBEDSVC_FIELD_SCENARIO, "elderly_care");
    SET_IN(pr, f, EMBEDSVC_FIELD_SERVICE_CLASS, "basic_public");
    SET_IN(pr, f, EMBEDSVC_FIELD_ITEM, "养老助老");
    SET_IN(pr, f, EMBEDSVC_FIELD_LABEL, "养老服务驿站");
    SET_IN(pr, f, EMBEDSVC_FIELD_FLOOR_AREA, "400");
    SET_IN(pr, f, EMBEDSVC_FIELD_INVESTMENT, "4800000");
    f = (int)add_function_to(pr);
    SET_IN(pr, f, EMBEDSVC_FIELD_SCENARIO, "社区助餐");
    SET_IN(pr, f, EMBEDSVC_FIELD_FLOOR_AREA, "200");
    SET_IN(pr, f, EMBEDSVC_FIELD_INVESTMENT, "2400000");
    f = (int)add_function_to(pr);
    assert_int_equal(f, 2);
    SET_IN(pr, f, EMBEDSVC_FIELD_LABEL, "托育园");
    SET_IN(pr, f, EMBEDSVC_FIELD_SERVICE_CLASS, "inclusive");
    SET_IN(pr, f, EMBEDSVC_FIELD_FLOOR_AREA, "400");
    SET_IN(pr, f, EMBEDSVC_FIELD_INVESTMENT, "4800000");
}

/* The same, with the integer setters for every non-text field. */
static void build_spec_example_from_ints(embedsvc_project *pr)
{
    SET_IN(pr, P, EMBEDSVC_FIELD_ID, "BJ-2025-HD-0001");
    SET_IN(pr, P, EMBEDSVC_FIELD_NAME, "某街道社区嵌入式服务综合体");
    SET_IN(pr, P, EMBEDSVC_FIELD_DISTRICT, "海淀区");
    SET_IN(pr, P, EMBEDSVC_FIELD_STREET, "某街道");
    SET_IN(pr, P, EMBEDSVC_FIELD_COMMUNITY, "某社区");
    SET_IN(pr, P, EMBEDSVC_FIELD_APPLICATION_DATE, "2025-03-01");
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_BUILD_MODE, EMBEDSVC_BUILD_RENOVATION);
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_LAYOUT, EMBEDSVC_LAYOUT_COMPLEX);
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, INT64_C(1200000000));
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_INCLUSIVE_RATE, 2500);
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_WALK_MINUTES, 12);
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_OPERATION_MODEL, EMBEDSVC_OPERATION_PUBLIC_BUILT_PRIVATE_RUN);
    SET_IN(pr, P, EMBEDSVC_FIELD_EXEMPTION_REASON, "");
    SET_INT_IN(pr, P, EMBEDSVC_FIELD_STAGE, EMBEDSVC_STAGE_APPLICATION);
    int f = (int)add_function_to(pr);
    SET_IN(pr, f, EMBEDSVC_FIELD_SCENARIO, "elderly_care");
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_SERVICE_CLASS, EMBEDSVC_CLASS_BASIC_PUBLIC);
    SET_IN(pr, f, EMBEDSVC_FIELD_ITEM, "养老助老");
    SET_IN(pr, f, EMBEDSVC_FIELD_LABEL, "养老服务驿站");
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_FLOOR_AREA, 40000);
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_INVESTMENT, INT64_C(480000000));
    f = (int)add_function_to(pr);
    SET_IN(pr, f, EMBEDSVC_FIELD_SCENARIO, "社区助餐");
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_FLOOR_AREA, 20000);
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_INVESTMENT, INT64_C(240000000));
    f = (int)add_function_to(pr);
    SET_IN(pr, f, EMBEDSVC_FIELD_LABEL, "托育园");
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_SERVICE_CLASS, EMBEDSVC_CLASS_INCLUSIVE);
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_FLOOR_AREA, 40000);
    SET_INT_IN(pr, f, EMBEDSVC_FIELD_INVESTMENT, INT64_C(480000000));
}

/* A minimal valid built project (three functions). */
static void build_minimal(void)
{
    SET(P, EMBEDSVC_FIELD_ID, "B1");
    SET(P, EMBEDSVC_FIELD_BUILD_MODE, "new");
    SET(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "300");
    static const char *const scenarios[3] = {"elderly_care", "community_meals", "infant_care"};
    static const char *const classes[3] = {"basic_public", "commercial", "inclusive"};
    for (int i = 0; i < 3; i++) {
        int f = (int)add_function_to(g_project);
        SET(f, EMBEDSVC_FIELD_SCENARIO, scenarios[i]);
        SET(f, EMBEDSVC_FIELD_SERVICE_CLASS, classes[i]);
        SET(f, EMBEDSVC_FIELD_INVESTMENT, "100");
    }
}

static embedsvc_error evaluate_err(const char *code, const char *path)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_evaluate(g_policy, g_project, g_result, &err), EMBEDSVC_EPARSE);
    assert_string_equal(err.code, code);
    assert_string_equal(err.path, path);
    return err;
}

/* ---- equivalence with the parsed JSON ---- */

static void test_built_spec_example_evaluates_like_the_json(void **state)
{
    (void)state;
    build_spec_example_from_text(g_project);
    char *built = evaluate_json(g_project);
    char *parsed = parsed_json(spec_example);
    assert_string_equal(built, parsed);
    free(built);
    free(parsed);
}

static void test_integer_setters_give_the_same_project(void **state)
{
    (void)state;
    build_spec_example_from_ints(g_project);
    char *built = evaluate_json(g_project);
    char *parsed = parsed_json(spec_example);
    assert_string_equal(built, parsed);
    free(built);
    free(parsed);
}

static void test_text_and_int_forms_read_back_equal(void **state)
{
    (void)state;
    embedsvc_project *other = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &other), EMBEDSVC_OK);
    build_spec_example_from_text(g_project);
    build_spec_example_from_ints(other);
    static const embedsvc_field project_ints[] = {
        EMBEDSVC_FIELD_BUILD_MODE, EMBEDSVC_FIELD_LAYOUT, EMBEDSVC_FIELD_TOTAL_INVESTMENT, EMBEDSVC_FIELD_INCLUSIVE_RATE,
        EMBEDSVC_FIELD_WALK_MINUTES, EMBEDSVC_FIELD_OPERATION_MODEL, EMBEDSVC_FIELD_STAGE};
    for (size_t i = 0; i < sizeof(project_ints) / sizeof(project_ints[0]); i++) {
        int64_t a = -1, b = -2;
        assert_int_equal(embedsvc_project_get_int(g_project, P, project_ints[i], &a), 1);
        assert_int_equal(embedsvc_project_get_int(other, P, project_ints[i], &b), 1);
        assert_int_equal(a, b);
    }
    for (int f = 0; f < 3; f++) {
        static const embedsvc_field function_ints[] = {EMBEDSVC_FIELD_SERVICE_CLASS, EMBEDSVC_FIELD_FLOOR_AREA,
                                                       EMBEDSVC_FIELD_INVESTMENT};
        for (size_t i = 0; i < 3; i++) {
            int64_t a = -1, b = -2;
            int ra = embedsvc_project_get_int(g_project, f, function_ints[i], &a);
            assert_int_equal(ra, embedsvc_project_get_int(other, f, function_ints[i], &b));
            if (ra == 1)
                assert_int_equal(a, b);
        }
    }
    embedsvc_project_free(other);
}

static void test_setter_replaces_a_previous_value(void **state)
{
    (void)state;
    SET(P, EMBEDSVC_FIELD_NAME, "旧名称");
    SET(P, EMBEDSVC_FIELD_NAME, "新名称");
    assert_string_equal(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_NAME), "新名称");
    SET(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "1");
    SET_INT(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, 7);
    assert_int_equal(num(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT), 7);
}

static void test_builder_edits_a_parsed_project(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_parse(g_project, spec_example, strlen(spec_example), &err), EMBEDSVC_OK);
    SET(P, EMBEDSVC_FIELD_INCLUSIVE_RATE, "0.3");
    assert_int_equal(embedsvc_evaluate(g_policy, g_project, g_result, &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_class_rate_bp(g_result, EMBEDSVC_CLASS_INCLUSIVE), 3000);
    assert_int_equal(embedsvc_result_class_amount_fen(g_result, EMBEDSVC_CLASS_INCLUSIVE), INT64_C(144000000));
}

/* ---- setter errors ---- */

static void test_money_precision_on_a_function_has_its_path(void **state)
{
    (void)state;
    build_minimal();
    SET_ERR(1, EMBEDSVC_FIELD_INVESTMENT, "1.001", "money.precision", "/functions/1/investment");
    SET_ERR(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "-1", "money.negative", "/total_investment");
    SET_ERR(P, EMBEDSVC_FIELD_APPROVED, "1000000000000.01", "money.range", "/approved");
    SET_ERR(2, EMBEDSVC_FIELD_FLOOR_AREA, "1.001", "parse.value", "/functions/2/floor_area_m2");
    SET_ERR(P, EMBEDSVC_FIELD_INCLUSIVE_RATE, "1.0001", "parse.value", "/inclusive_rate");
    SET_ERR(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "1e3", "parse.value", "/total_investment");
    SET_ERR(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, " 1", "parse.value", "/total_investment");
}

static void test_failed_setter_keeps_the_previous_value(void **state)
{
    (void)state;
    build_minimal();
    SET_ERR(1, EMBEDSVC_FIELD_INVESTMENT, "1.001", "money.precision", "/functions/1/investment");
    assert_int_equal(num(1, EMBEDSVC_FIELD_INVESTMENT), 10000);
    SET_ERR(P, EMBEDSVC_FIELD_BUILD_MODE, "rebuild", "parse.value", "/build_mode");
    assert_int_equal(num(P, EMBEDSVC_FIELD_BUILD_MODE), EMBEDSVC_BUILD_NEW);
    SET_ERR(P, EMBEDSVC_FIELD_ID, "", "parse.value", "/id");
    assert_string_equal(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_ID), "B1");
    SET_INT_ERR(P, EMBEDSVC_FIELD_WALK_MINUTES, 1441, "parse.value", "/walk_minutes");
    assert_int_equal(num(P, EMBEDSVC_FIELD_WALK_MINUTES), -999);
}

static void test_bad_field_or_function_index_is_einval(void **state)
{
    (void)state;
    build_minimal();
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    /* a function field at project level, a project field on a function, an unknown field */
    assert_int_equal(embedsvc_project_set_text(g_project, P, EMBEDSVC_FIELD_SCENARIO, "x", 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(err.status, EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_text(g_project, 0, EMBEDSVC_FIELD_ID, "x", 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_text(g_project, P, (embedsvc_field)99, "x", 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_text(g_project, P, (embedsvc_field)70, "x", 1, &err), EMBEDSVC_EINVAL);
    /* function indexes */
    assert_int_equal(embedsvc_project_set_text(g_project, 3, EMBEDSVC_FIELD_LABEL, "x", 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_text(g_project, -2, EMBEDSVC_FIELD_ID, "x", 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_int(g_project, 3, EMBEDSVC_FIELD_INVESTMENT, 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_unset(g_project, 3, EMBEDSVC_FIELD_LABEL), EMBEDSVC_EINVAL);
    /* integer setters on text fields */
    assert_int_equal(embedsvc_project_set_int(g_project, P, EMBEDSVC_FIELD_NAME, 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_int(g_project, P, EMBEDSVC_FIELD_ID, 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_int(g_project, P, EMBEDSVC_FIELD_APPLICATION_DATE, 1, &err),
                     EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_int(g_project, 0, EMBEDSVC_FIELD_LABEL, 1, &err), EMBEDSVC_EINVAL);
    /* NULL project or text */
    assert_int_equal(embedsvc_project_set_text(NULL, P, EMBEDSVC_FIELD_ID, "x", 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_set_text(g_project, P, EMBEDSVC_FIELD_NAME, NULL, 1, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_add_function(NULL, NULL), EMBEDSVC_EINVAL);
    /* nothing changed */
    assert_string_equal(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_ID), "B1");
    assert_int_equal(embedsvc_project_function_count(g_project), 3);
}

static void test_65th_function_is_erange(void **state)
{
    (void)state;
    for (size_t i = 0; i < EMBEDSVC_MAX_FUNCTIONS; i++)
        assert_int_equal(add_function_to(g_project), i);
    size_t index = 777;
    assert_int_equal(embedsvc_project_add_function(g_project, &index), EMBEDSVC_ERANGE);
    assert_int_equal(index, 777);
    assert_int_equal(embedsvc_project_function_count(g_project), EMBEDSVC_MAX_FUNCTIONS);
    SET(63, EMBEDSVC_FIELD_LABEL, "最后一个");
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_set_text(g_project, 64, EMBEDSVC_FIELD_LABEL, "x", 1, &err), EMBEDSVC_EINVAL);
}

static void test_invalid_utf8_is_parse_encoding(void **state)
{
    (void)state;
    build_minimal();
    SET_ERR(P, EMBEDSVC_FIELD_NAME, "名\xff", "parse.encoding", "/name");
    SET_ERR(0, EMBEDSVC_FIELD_LABEL, "\xed\xa0\x80", "parse.encoding", "/functions/0/label");
    SET_ERR_N(P, EMBEDSVC_FIELD_NAME, "养", 2, "parse.encoding", "/name");
    SET_ERR_N(P, EMBEDSVC_FIELD_NAME, "a\0b", 3, "parse.encoding", "/name"); /* NUL cannot come from JSON */
    SET_ERR(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "1\xc0", "parse.encoding", "/total_investment");
}

static void test_text_longer_than_4096_bytes_is_parse_limit(void **state)
{
    (void)state;
    char *s = malloc(4098);
    assert_non_null(s);
    memset(s, 'x', 4097);
    s[4097] = '\0';
    SET_ERR_N(P, EMBEDSVC_FIELD_NAME, s, 4097, "parse.limit", "/name");
    s[4096] = '\0';
    SET(P, EMBEDSVC_FIELD_NAME, s);
    assert_int_equal(strlen(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_NAME)), 4096);
    free(s);
}

static void test_text_setter_checks_like_json(void **state)
{
    (void)state;
    build_minimal();
    SET(P, EMBEDSVC_FIELD_BUILD_MODE, "存量设施改造");
    assert_int_equal(num(P, EMBEDSVC_FIELD_BUILD_MODE), EMBEDSVC_BUILD_RENOVATION);
    SET_ERR(P, EMBEDSVC_FIELD_BUILD_MODE, "Renovation", "parse.value", "/build_mode");
    SET(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED, "true");
    assert_int_equal(num(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED), 1);
    SET(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED, "false");
    assert_int_equal(num(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED), 0);
    SET_ERR(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED, "TRUE", "parse.value", "/residents_consulted");
    SET_ERR(P, EMBEDSVC_FIELD_FEASIBILITY_APPROVED, "1", "parse.value", "/feasibility_approved");
    SET(P, EMBEDSVC_FIELD_WALK_MINUTES, "1440");
    SET_ERR(P, EMBEDSVC_FIELD_WALK_MINUTES, "12.0", "parse.value", "/walk_minutes");
    SET_ERR(P, EMBEDSVC_FIELD_WALK_MINUTES, "1441", "parse.value", "/walk_minutes");
    SET_ERR(P, EMBEDSVC_FIELD_APPLICATION_DATE, "2025-02-29", "parse.value", "/application_date");
    SET_ERR(P, EMBEDSVC_FIELD_APPLICATION_DATE, "2025/03/01", "parse.value", "/application_date");
    SET(P, EMBEDSVC_FIELD_APPLICATION_DATE, "2024-02-29");
    SET_ERR(0, EMBEDSVC_FIELD_SERVICE_CLASS, "public", "parse.value", "/functions/0/service_class");
    SET(0, EMBEDSVC_FIELD_SERVICE_CLASS, "普惠非基本公共服务类");
    assert_int_equal(num(0, EMBEDSVC_FIELD_SERVICE_CLASS), EMBEDSVC_CLASS_INCLUSIVE);
    /* a scenario or item is free text (an unknown one is a finding) */
    SET(0, EMBEDSVC_FIELD_SCENARIO, "no such scenario");
    SET(0, EMBEDSVC_FIELD_ITEM, "no such item");
}

static void test_id_rules_apply_to_the_setter(void **state)
{
    (void)state;
    char id[80] = "";
    for (int i = 0; i < 64; i++)
        strcat(id, "x");
    SET(P, EMBEDSVC_FIELD_ID, id);
    strcat(id, "x");
    SET_ERR(P, EMBEDSVC_FIELD_ID, id, "parse.value", "/id");
    SET_ERR(P, EMBEDSVC_FIELD_ID, "", "parse.value", "/id");
    SET_ERR(P, EMBEDSVC_FIELD_ID, "a\tb", "parse.value", "/id");
    SET_ERR(P, EMBEDSVC_FIELD_ID, "a\xc2\x85" "b", "parse.value", "/id"); /* U+0085 */
}

static void test_int_setter_ranges_both_sides(void **state)
{
    (void)state;
    build_minimal();
    SET_INT(P, EMBEDSVC_FIELD_BUILD_MODE, EMBEDSVC_BUILD_OTHER);
    SET_INT_ERR(P, EMBEDSVC_FIELD_BUILD_MODE, 4, "parse.value", "/build_mode");
    SET_INT_ERR(P, EMBEDSVC_FIELD_BUILD_MODE, -1, "parse.value", "/build_mode");
    SET_INT_ERR(P, EMBEDSVC_FIELD_BUILD_MODE, INT64_MAX, "parse.value", "/build_mode");
    SET_INT_ERR(P, EMBEDSVC_FIELD_STAGE, INT64_C(4294967296), "parse.value", "/stage"); /* 2^32: no truncation to 0 */
    SET_INT(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, INT64_C(100000000000000));
    SET_INT_ERR(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, INT64_C(100000000000001), "money.range", "/total_investment");
    SET_INT_ERR(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, -1, "money.negative", "/total_investment");
    SET_INT(P, EMBEDSVC_FIELD_INCLUSIVE_RATE, 10000);
    SET_INT_ERR(P, EMBEDSVC_FIELD_INCLUSIVE_RATE, 10001, "parse.value", "/inclusive_rate");
    SET_INT(P, EMBEDSVC_FIELD_WALK_MINUTES, 1440);
    SET_INT_ERR(P, EMBEDSVC_FIELD_WALK_MINUTES, 1441, "parse.value", "/walk_minutes");
    SET_INT_ERR(P, EMBEDSVC_FIELD_WALK_MINUTES, -1, "parse.value", "/walk_minutes");
    SET_INT(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED, 1);
    SET_INT_ERR(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED, 2, "parse.value", "/residents_consulted");
    SET_INT(0, EMBEDSVC_FIELD_FLOOR_AREA, INT64_C(1000000000));
    SET_INT_ERR(0, EMBEDSVC_FIELD_FLOOR_AREA, INT64_C(1000000001), "parse.value", "/functions/0/floor_area_m2");
    SET_INT_ERR(2, EMBEDSVC_FIELD_SERVICE_CLASS, 3, "parse.value", "/functions/2/service_class");
    SET_INT_ERR(2, EMBEDSVC_FIELD_INVESTMENT, -5, "money.negative", "/functions/2/investment");
}

static void test_error_argument_may_be_null(void **state)
{
    (void)state;
    assert_int_equal(embedsvc_project_set_text(g_project, P, EMBEDSVC_FIELD_ID, "", 0, NULL), EMBEDSVC_EPARSE);
    assert_int_equal(embedsvc_project_set_int(g_project, P, EMBEDSVC_FIELD_BUILD_MODE, 9, NULL), EMBEDSVC_EPARSE);
    assert_int_equal(embedsvc_project_set_text(g_project, P, EMBEDSVC_FIELD_ID, "ok", 2, NULL), EMBEDSVC_OK);
}

/* ---- evaluation of incomplete built projects ---- */

static void test_evaluate_without_id_is_missing_field(void **state)
{
    (void)state;
    build_minimal();
    assert_int_equal(embedsvc_project_unset(g_project, P, EMBEDSVC_FIELD_ID), EMBEDSVC_OK);
    evaluate_err("parse.missing_field", "/id");
}

static void test_evaluate_reports_each_missing_required_field(void **state)
{
    (void)state;
    evaluate_err("parse.missing_field", "/id"); /* an empty project: the first required key */
    SET(P, EMBEDSVC_FIELD_ID, "B");
    evaluate_err("parse.missing_field", "/build_mode");
    SET(P, EMBEDSVC_FIELD_BUILD_MODE, "new");
    evaluate_err("parse.missing_field", "/total_investment");
    SET(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT, "1");
    evaluate_err("parse.missing_field", "/functions");
    size_t f = add_function_to(g_project);
    SET((int)f, EMBEDSVC_FIELD_SCENARIO, "elderly_care");
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_evaluate(g_policy, g_project, g_result, &err), EMBEDSVC_OK);
}

static void test_unset_makes_an_optional_field_absent(void **state)
{
    (void)state;
    build_minimal();
    SET(P, EMBEDSVC_FIELD_NAME, "名称");
    assert_int_equal(embedsvc_project_unset(g_project, P, EMBEDSVC_FIELD_NAME), EMBEDSVC_OK);
    assert_null(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_NAME));
    SET(P, EMBEDSVC_FIELD_INCLUSIVE_RATE, "0.1");
    assert_int_equal(embedsvc_project_unset(g_project, P, EMBEDSVC_FIELD_INCLUSIVE_RATE), EMBEDSVC_OK);
    assert_int_equal(num(P, EMBEDSVC_FIELD_INCLUSIVE_RATE), -999);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_evaluate(g_policy, g_project, g_result, &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_class_rate_bp(g_result, EMBEDSVC_CLASS_INCLUSIVE), 3000); /* the policy's */
    /* unsetting a function's class makes it invalid for a scenario with several classes */
    assert_int_equal(embedsvc_project_unset(g_project, 0, EMBEDSVC_FIELD_SERVICE_CLASS), EMBEDSVC_OK);
    assert_int_equal(num(0, EMBEDSVC_FIELD_SERVICE_CLASS), -999);
    assert_int_equal(embedsvc_evaluate(g_policy, g_project, g_result, &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_function_class(g_result, 0), EMBEDSVC_CLASS_NONE);
    /* unsetting what was never set is fine; a bad field is not */
    assert_int_equal(embedsvc_project_unset(g_project, P, EMBEDSVC_FIELD_DISBURSED), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_unset(g_project, P, EMBEDSVC_FIELD_SCENARIO), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_unset(NULL, P, EMBEDSVC_FIELD_ID), EMBEDSVC_EINVAL);
}

static void test_clear_then_build_again(void **state)
{
    (void)state;
    build_spec_example_from_text(g_project);
    embedsvc_project_clear(g_project);
    assert_int_equal(embedsvc_project_function_count(g_project), 0);
    evaluate_err("parse.missing_field", "/id");
    build_spec_example_from_text(g_project);
    char *built = evaluate_json(g_project);
    char *parsed = parsed_json(spec_example);
    assert_string_equal(built, parsed);
    free(built);
    free(parsed);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_built_spec_example_evaluates_like_the_json),
        T(test_integer_setters_give_the_same_project),
        T(test_text_and_int_forms_read_back_equal),
        T(test_setter_replaces_a_previous_value),
        T(test_builder_edits_a_parsed_project),
        T(test_money_precision_on_a_function_has_its_path),
        T(test_failed_setter_keeps_the_previous_value),
        T(test_bad_field_or_function_index_is_einval),
        T(test_65th_function_is_erange),
        T(test_invalid_utf8_is_parse_encoding),
        T(test_text_longer_than_4096_bytes_is_parse_limit),
        T(test_text_setter_checks_like_json),
        T(test_id_rules_apply_to_the_setter),
        T(test_int_setter_ranges_both_sides),
        T(test_error_argument_may_be_null),
        T(test_evaluate_without_id_is_missing_field),
        T(test_evaluate_reports_each_missing_required_field),
        T(test_unset_makes_an_optional_field_absent),
        T(test_clear_then_build_again),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
