/* Tests of the project reader (lib/project.c, reference §5 and §10): every field stored, every error code
 * with its path and position, the order of defects, and reuse of a project across parses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "model.h"

static embedsvc_project *g_project;

static int setup(void **state)
{
    (void)state;
    return embedsvc_project_new(NULL, &g_project) == EMBEDSVC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    embedsvc_project_free(g_project);
    g_project = NULL;
    return 0;
}

/* The example of reference §5. */
static const char spec_example[] =
    "{\n"
    "  \"schema\": \"embedsvc.project/1\",\n"
    "  \"id\": \"BJ-2025-HD-0001\",\n"
    "  \"name\": \"某街道社区嵌入式服务综合体\",\n"
    "  \"district\": \"海淀区\", \"street\": \"某街道\", \"community\": \"某社区\",\n"
    "  \"application_date\": \"2025-03-01\",\n"
    "  \"build_mode\": \"renovation\",\n"
    "  \"layout\": \"complex\",\n"
    "  \"total_investment\": \"12000000.00\",\n"
    "  \"inclusive_rate\": \"0.25\",\n"
    "  \"walk_minutes\": 12,\n"
    "  \"operation_model\": \"public_built_private_run\",\n"
    "  \"exemption_reason\": \"\",\n"
    "  \"stage\": \"application\",\n"
    "  \"functions\": [\n"
    "    {\"scenario\": \"elderly_care\", \"service_class\": \"basic_public\", \"item\": \"养老助老\",\n"
    "     \"label\": \"养老服务驿站\", \"floor_area_m2\": 400, \"investment\": \"4800000\"},\n"
    "    {\"scenario\": \"社区助餐\", \"floor_area_m2\": 200, \"investment\": \"2400000\"},\n"
    "    {\"label\": \"托育园\", \"service_class\": \"inclusive\", \"floor_area_m2\": 400, \"investment\": \"4800000\"}\n"
    "  ]\n"
    "}\n";

/* A minimal valid project; defects are made by editing it. */
#define MINIMAL                                                                                                       \
    "{\"id\":\"P1\",\"build_mode\":\"new\",\"total_investment\":\"300\","                                            \
    "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"100\"},"       \
    "{\"scenario\":\"community_meals\",\"investment\":\"100\"},"                                                      \
    "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"100\"}]}"

/* ---- helpers ---- */

static char edit_buf[4][8192];
static unsigned edit_next;

/* Replaces the first occurrence of `from` (which must be present) by `to`. */
static const char *edit_at(const char *doc, const char *from, const char *to, const char *file, int line)
{
    const char *at = strstr(doc, from);
    _assert_true(at != NULL, from, file, line);
    char *out = edit_buf[edit_next++ % 4];
    size_t head = (size_t)(at - doc);
    _assert_true(strlen(doc) + strlen(to) < sizeof(edit_buf[0]), "fits", file, line);
    memcpy(out, doc, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

#define EDIT(doc, from, to) edit_at((doc), (from), (to), __FILE__, __LINE__)

/* The two readers behind embedsvc_project_parse (lib/project_scan.c, then the full one) agree on
 * doc: when the fast one accepts it, the full one accepts it with the same fields. Returns what the
 * fast one did (0 accepted, 1 gave up). */
static int readers_agree_at(const char *doc, size_t len, const char *file, int line)
{
    embedsvc_project *fast = NULL, *full = NULL;
    _assert_int_equal(embedsvc_project_new(NULL, &fast), EMBEDSVC_OK, file, line);
    _assert_int_equal(embedsvc_project_new(NULL, &full), EMBEDSVC_OK, file, line);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int took = esv_project_scan(fast, doc, len);
    int rc = esv_project_read_tree(full, doc, len, &err);
    _assert_true(took == 0 || took == 1, "fast reader: accepted or gave up", file, line);
    if (took == 0) {
        _assert_int_equal(rc, EMBEDSVC_OK, file, line);
        _assert_true(esv_project_same(fast, full), "the same fields from both readers", file, line);
    }
    embedsvc_project_free(fast);
    embedsvc_project_free(full);
    return took;
}

#define READERS_AGREE(doc) readers_agree_at((doc), strlen(doc), __FILE__, __LINE__)

static void parse_ok_at(const char *doc, size_t len, const char *file, int line)
{
    readers_agree_at(doc, len, file, line);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_parse(g_project, doc, len, &err);
    if (rc != EMBEDSVC_OK)
        print_error("%s:%d: %s at '%s' %u:%u: %s\n", file, line, err.code, err.path, err.line, err.column, err.message);
    _assert_int_equal((uintmax_t)rc, EMBEDSVC_OK, file, line);
}

#define PARSE_OK(doc) parse_ok_at((doc), strlen(doc), __FILE__, __LINE__)

static embedsvc_error parse_err_at(const char *doc, size_t len, const char *code, const char *path, const char *file,
                                   int line)
{
    _assert_int_equal(readers_agree_at(doc, len, file, line), 1, file, line); /* the fast reader gives up */
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_parse(g_project, doc, len, &err);
    if (rc != EMBEDSVC_EPARSE || strcmp(err.code, code) != 0 || strcmp(err.path, path) != 0)
        print_error("%s:%d: got %d %s at '%s' %u:%u: %s; want %s at '%s'\n", file, line, rc, err.code, err.path,
                    err.line, err.column, err.message, code, path);
    _assert_int_equal((uintmax_t)rc, (uintmax_t)EMBEDSVC_EPARSE, file, line);
    _assert_int_equal((uintmax_t)err.status, (uintmax_t)EMBEDSVC_EPARSE, file, line);
    _assert_string_equal(err.code, code, file, line);
    _assert_string_equal(err.path, path, file, line);
    _assert_true(err.message[0] != '\0', "a message", file, line);
    _assert_int_equal(esv_utf8_valid_prefix(err.message, strlen(err.message)), strlen(err.message), file, line);
    /* a failed parse leaves the project empty */
    _assert_int_equal(embedsvc_project_function_count(g_project), 0, file, line);
    _assert_true(embedsvc_project_get_text(g_project, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_ID) == NULL,
                 "empty after failure", file, line);
    return err;
}

#define PARSE_ERR(doc, code, path) parse_err_at((doc), strlen(doc), (code), (path), __FILE__, __LINE__)

static const char *text(int function, embedsvc_field f)
{
    return embedsvc_project_get_text(g_project, function, f);
}

/* The integer form of a field, or -999 when absent. */
static int64_t num(int function, embedsvc_field f)
{
    int64_t v = -12345;
    int rc = embedsvc_project_get_int(g_project, function, f, &v);
    assert_true(rc == 0 || rc == 1);
    return rc == 1 ? v : -999;
}

#define P EMBEDSVC_PROJECT_LEVEL

/* Offset of the first occurrence of needle. */
static size_t offset_of(const char *doc, const char *needle)
{
    const char *at = strstr(doc, needle);
    assert_non_null(at);
    return (size_t)(at - doc);
}

/* ---- the reference example ---- */

static void test_spec_example_stores_every_project_field(void **state)
{
    (void)state;
    PARSE_OK(spec_example);
    assert_string_equal(text(P, EMBEDSVC_FIELD_ID), "BJ-2025-HD-0001");
    assert_string_equal(text(P, EMBEDSVC_FIELD_NAME), "某街道社区嵌入式服务综合体");
    assert_string_equal(text(P, EMBEDSVC_FIELD_DISTRICT), "海淀区");
    assert_string_equal(text(P, EMBEDSVC_FIELD_STREET), "某街道");
    assert_string_equal(text(P, EMBEDSVC_FIELD_COMMUNITY), "某社区");
    assert_string_equal(text(P, EMBEDSVC_FIELD_APPLICATION_DATE), "2025-03-01");
    assert_string_equal(text(P, EMBEDSVC_FIELD_EXEMPTION_REASON), "");
    assert_int_equal(num(P, EMBEDSVC_FIELD_BUILD_MODE), EMBEDSVC_BUILD_RENOVATION);
    assert_int_equal(num(P, EMBEDSVC_FIELD_LAYOUT), EMBEDSVC_LAYOUT_COMPLEX);
    assert_int_equal(num(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT), INT64_C(1200000000));
    assert_int_equal(num(P, EMBEDSVC_FIELD_INCLUSIVE_RATE), 2500);
    assert_int_equal(num(P, EMBEDSVC_FIELD_WALK_MINUTES), 12);
    assert_int_equal(num(P, EMBEDSVC_FIELD_OPERATION_MODEL), EMBEDSVC_OPERATION_PUBLIC_BUILT_PRIVATE_RUN);
    assert_int_equal(num(P, EMBEDSVC_FIELD_STAGE), EMBEDSVC_STAGE_APPLICATION);
    /* absent optional fields */
    assert_int_equal(num(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED), -999);
    assert_int_equal(num(P, EMBEDSVC_FIELD_PROGRESS), -999);
    assert_int_equal(num(P, EMBEDSVC_FIELD_APPROVED), -999);
    assert_int_equal(num(P, EMBEDSVC_FIELD_DISBURSED), -999);
}

static void test_spec_example_stores_every_function_field(void **state)
{
    (void)state;
    PARSE_OK(spec_example);
    assert_int_equal(embedsvc_project_function_count(g_project), 3);
    assert_string_equal(text(0, EMBEDSVC_FIELD_SCENARIO), "elderly_care");
    assert_int_equal(num(0, EMBEDSVC_FIELD_SERVICE_CLASS), EMBEDSVC_CLASS_BASIC_PUBLIC);
    assert_string_equal(text(0, EMBEDSVC_FIELD_ITEM), "养老助老");
    assert_string_equal(text(0, EMBEDSVC_FIELD_LABEL), "养老服务驿站");
    assert_int_equal(num(0, EMBEDSVC_FIELD_FLOOR_AREA), 40000);
    assert_int_equal(num(0, EMBEDSVC_FIELD_INVESTMENT), INT64_C(480000000));
    /* a scenario is kept as written (resolved at evaluation) */
    assert_string_equal(text(1, EMBEDSVC_FIELD_SCENARIO), "社区助餐");
    assert_int_equal(num(1, EMBEDSVC_FIELD_SERVICE_CLASS), -999);
    assert_null(text(1, EMBEDSVC_FIELD_ITEM));
    assert_null(text(1, EMBEDSVC_FIELD_LABEL));
    assert_int_equal(num(1, EMBEDSVC_FIELD_FLOOR_AREA), 20000);
    assert_int_equal(num(1, EMBEDSVC_FIELD_INVESTMENT), INT64_C(240000000));
    assert_null(text(2, EMBEDSVC_FIELD_SCENARIO));
    assert_string_equal(text(2, EMBEDSVC_FIELD_LABEL), "托育园");
    assert_int_equal(num(2, EMBEDSVC_FIELD_SERVICE_CLASS), EMBEDSVC_CLASS_INCLUSIVE);
    /* no fourth function */
    assert_null(text(3, EMBEDSVC_FIELD_LABEL));
    int64_t v;
    assert_int_equal(embedsvc_project_get_int(g_project, 3, EMBEDSVC_FIELD_INVESTMENT, &v), EMBEDSVC_EINVAL);
}

static void test_process_fields_stored(void **state)
{
    (void)state;
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\",",
                  "\"id\":\"P1\",\"residents_consulted\":true,\"feasibility_approved\":false,"
                  "\"estimate_depth_report\":true,\"progress\":\"0.5\",\"approved\":100.5,\"disbursed\":\"0\","
                  "\"stage\":\"资金下达\",\"layout\":\"插花式\",\"operation_model\":\"其他\","));
    assert_int_equal(num(P, EMBEDSVC_FIELD_RESIDENTS_CONSULTED), 1);
    assert_int_equal(num(P, EMBEDSVC_FIELD_FEASIBILITY_APPROVED), 0);
    assert_int_equal(num(P, EMBEDSVC_FIELD_ESTIMATE_DEPTH_REPORT), 1);
    assert_int_equal(num(P, EMBEDSVC_FIELD_PROGRESS), 5000);
    assert_int_equal(num(P, EMBEDSVC_FIELD_APPROVED), 10050);
    assert_int_equal(num(P, EMBEDSVC_FIELD_DISBURSED), 0);
    assert_int_equal(num(P, EMBEDSVC_FIELD_STAGE), EMBEDSVC_STAGE_DISBURSEMENT);
    assert_int_equal(num(P, EMBEDSVC_FIELD_LAYOUT), EMBEDSVC_LAYOUT_SCATTERED);
    assert_int_equal(num(P, EMBEDSVC_FIELD_OPERATION_MODEL), EMBEDSVC_OPERATION_OTHER);
}

static void test_enums_accept_code_or_exact_chinese_name(void **state)
{
    (void)state;
    PARSE_OK(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":\"存量设施改造\""));
    assert_int_equal(num(P, EMBEDSVC_FIELD_BUILD_MODE), EMBEDSVC_BUILD_RENOVATION);
    PARSE_OK(EDIT(MINIMAL, "\"service_class\":\"basic_public\"", "\"service_class\":\"基本公共服务类\""));
    assert_int_equal(num(0, EMBEDSVC_FIELD_SERVICE_CLASS), EMBEDSVC_CLASS_BASIC_PUBLIC);
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":\"New\""), "parse.value", "/build_mode");
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":\" new\""), "parse.value", "/build_mode");
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":\"新 建\""), "parse.value", "/build_mode");
    PARSE_ERR(EDIT(MINIMAL, "\"service_class\":\"inclusive\"", "\"service_class\":\"Inclusive non-basic public services\""),
              "parse.value", "/functions/2/service_class");
}

static void test_numbers_and_strings_both_accepted_for_decimals(void **state)
{
    (void)state;
    PARSE_OK(EDIT(MINIMAL, "\"total_investment\":\"300\"", "\"total_investment\":300.00"));
    assert_int_equal(num(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT), 30000);
    PARSE_OK(EDIT(MINIMAL, "\"investment\":\"100\"", "\"investment\":100,\"floor_area_m2\":\"12.5\""));
    assert_int_equal(num(0, EMBEDSVC_FIELD_INVESTMENT), 10000);
    assert_int_equal(num(0, EMBEDSVC_FIELD_FLOOR_AREA), 1250);
}

static void test_bom_at_start_accepted(void **state)
{
    (void)state;
    char doc[1024] = "\xEF\xBB\xBF";
    strcat(doc, MINIMAL);
    PARSE_OK(doc);
    assert_string_equal(text(P, EMBEDSVC_FIELD_ID), "P1");
}

/* The fast reader takes the valid documents callers send — the example of reference §5, every
 * project of examples/projects/portfolio.jsonl, white space anywhere, numbers for amounts — and
 * leaves to the full reader what it does not handle alone (a byte order mark, escapes), which
 * still reads them with the same values. */
static void test_fast_reader_takes_valid_documents(void **state)
{
    (void)state;
    assert_int_equal(READERS_AGREE(spec_example), 0);
    assert_int_equal(READERS_AGREE(MINIMAL), 0);
    assert_int_equal(READERS_AGREE(" \t\r\n{ \"schema\" : \"embedsvc.project/1\" , \"id\":\"P1\",\"build_mode\":\"new\","
                                   "\"total_investment\": 1000.5 ,\"walk_minutes\":0,\"residents_consulted\":false,"
                                   "\"functions\" : [ { } , {\"label\":\"托老所\",\"investment\":1200} ] }\n"),
                     0);
    char doc[1024] = "\xEF\xBB\xBF";
    strcat(doc, MINIMAL);
    assert_int_equal(READERS_AGREE(doc), 1);
    assert_int_equal(READERS_AGREE(EDIT(MINIMAL, "\"P1\"", "\"P\\u0031\"")), 1);
    assert_int_equal(READERS_AGREE(EDIT(MINIMAL, "\"P1\"", "\"P\\/1\"")), 1);
    PARSE_OK(EDIT(MINIMAL, "\"P1\"", "\"P\\u0031\""));
    assert_string_equal(text(P, EMBEDSVC_FIELD_ID), "P1");

    /* keys are matched with their closing quote in place: in any order, the table's own or not; a
     * key written with an escape, or one that only begins with a table key, is left to the full
     * reader (which reads the first as "id" and reports the second) */
    assert_int_equal(READERS_AGREE("{\"functions\":[{\"investment\":\"100\",\"floor_area_m2\":\"20\",\"label\":\"x\","
                                   "\"item\":\"y\",\"service_class\":\"inclusive\",\"scenario\":\"elderly_care\"}],"
                                   "\"total_investment\":\"300\",\"build_mode\":\"new\",\"id\":\"P1\","
                                   "\"schema\":\"embedsvc.project/1\"}"),
                     0);
    /* every key of the project level, so that none is missing from the fast reader's dispatch by
     * first letter (a missing one would make it give up here) */
    assert_int_equal(READERS_AGREE("{\"annual_cost\":\"5\",\"annual_revenue\":\"10\",\"disbursed\":\"50\",\"approved\":\"100\","
                                   "\"progress\":\"0.5\",\"estimate_depth_report\":false,\"feasibility_approved\":true,"
                                   "\"residents_consulted\":true,\"stage\":\"joint_review\",\"exemption_reason\":\"r\","
                                   "\"operation_model\":\"other\",\"walk_minutes\":10,\"inclusive_rate\":\"0.3\","
                                   "\"total_investment\":\"300\",\"layout\":\"scattered\",\"build_mode\":\"new\","
                                   "\"application_date\":\"2025-01-01\",\"community\":\"c\",\"street\":\"s\","
                                   "\"district\":\"d\",\"name\":\"n\",\"id\":\"P1\",\"schema\":\"embedsvc.project/1\","
                                   "\"functions\":[{\"label\":\"托老所\"}]}"),
                     0);
    assert_int_equal(READERS_AGREE(EDIT(MINIMAL, "\"id\"", "\"\\u0069d\"")), 1);
    PARSE_OK(EDIT(MINIMAL, "\"id\"", "\"\\u0069d\""));
    assert_string_equal(text(P, EMBEDSVC_FIELD_ID), "P1");
    PARSE_ERR(EDIT(MINIMAL, "\"investment\":\"100\"},{", "\"investments\":\"100\"},{"), "parse.unknown_field",
              "/functions/0/investments");
    assert_int_equal(READERS_AGREE("{\"id\""), 1);
    assert_int_equal(READERS_AGREE("{\"id"), 1);
    assert_int_equal(READERS_AGREE("{\""), 1);

    FILE *f = fopen(SOURCE_ROOT "/examples/projects/portfolio.jsonl", "rb");
    assert_non_null(f);
    char line[16384];
    int lines = 0;
    while (fgets(line, sizeof(line), f)) {
        size_t n = strcspn(line, "\r\n");
        if (n == 0)
            continue;
        readers_agree_at(line, n, __FILE__, __LINE__);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (esv_project_read_tree(g_project, line, n, &err) == EMBEDSVC_OK) /* every valid line, fast */
            assert_int_equal(readers_agree_at(line, n, __FILE__, __LINE__), 0);
        lines++;
    }
    fclose(f);
    assert_true(lines > 0);
}

/* ---- errors: one per code ---- */

static void test_syntax_error_with_position(void **state)
{
    (void)state;
    embedsvc_error err = PARSE_ERR("{\"id\":}", "parse.syntax", "");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 7);
    assert_int_equal(err.offset, 6);
    err = PARSE_ERR("{\n  \"名称\": \"养老\",\n  \"id\" \"x\"\n}", "parse.syntax", "");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 8);
    PARSE_ERR("", "parse.syntax", "");
    PARSE_ERR(MINIMAL "x", "parse.syntax", "");
}

static void test_encoding_error(void **state)
{
    (void)state;
    const char *doc = EDIT(MINIMAL, "\"P1\"", "\"P\xC0\x80\"");
    embedsvc_error err = PARSE_ERR(doc, "parse.encoding", "");
    assert_int_equal(err.offset, offset_of(doc, "\xC0"));
    PARSE_ERR(EDIT(MINIMAL, "\"P1\"", "\"P\\ud800\""), "parse.encoding", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"P1\"", "\"P\\u0000\""), "parse.encoding", "/id");
}

/* An invalid byte anywhere in a string is found whatever the string's length and place: the last
 * string of the document, where the one-pass reader looks at the final bytes one at a time, with
 * the bad byte at every position of every 8-byte word before them. */
static void test_encoding_error_at_every_position(void **state)
{
    (void)state;
    for (size_t len = 1; len <= 24; len++)
        for (size_t bad = 0; bad < len; bad++) {
            char label[32], doc[512];
            memset(label, 'a', len);
            label[bad] = '\xFF';
            label[len] = '\0';
            snprintf(doc, sizeof(doc),
                     "{\"id\":\"P1\",\"build_mode\":\"new\",\"total_investment\":\"300\","
                     "\"functions\":[{\"label\":\"%s\"}]}",
                     label);
            embedsvc_error err = PARSE_ERR(doc, "parse.encoding", "");
            assert_int_equal(err.offset, offset_of(doc, "\xFF"));
        }
}

static void test_type_errors_with_paths(void **state)
{
    (void)state;
    PARSE_ERR("[]", "parse.type", "");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":1"), "parse.type", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"name\":null"), "parse.type", "/name");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":\"12\""), "parse.type", "/walk_minutes");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"residents_consulted\":\"true\""), "parse.type",
              "/residents_consulted");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"application_date\":20250301"), "parse.type",
              "/application_date");
    PARSE_ERR(EDIT(MINIMAL, "\"total_investment\":\"300\"", "\"total_investment\":[300]"), "parse.type",
              "/total_investment");
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":0"), "parse.type", "/build_mode");
    PARSE_ERR(EDIT(MINIMAL, "\"functions\":[", "\"functions\":[7,"), "parse.type", "/functions/0");
    PARSE_ERR(EDIT(MINIMAL, "{\"scenario\":\"community_meals\",\"investment\":\"100\"}",
                   "{\"scenario\":\"community_meals\",\"investment\":true}"),
              "parse.type", "/functions/1/investment");
    PARSE_ERR(EDIT(MINIMAL, "\"scenario\":\"infant_care\"", "\"scenario\":null"), "parse.type", "/functions/2/scenario");
    PARSE_ERR(EDIT(MINIMAL, "\"scenario\":\"elderly_care\"", "\"scenario\":[\"elderly_care\"]"), "parse.type",
              "/functions/0/scenario");
    PARSE_ERR(EDIT(MINIMAL, "\"scenario\":\"elderly_care\"", "\"item\":3"), "parse.type", "/functions/0/item");
}

static void test_functions_must_be_an_array_of_1_to_64_objects(void **state)
{
    (void)state;
    char doc[8192];
    const char *head = "{\"id\":\"P\",\"build_mode\":\"new\",\"total_investment\":\"0\",\"functions\":";
    snprintf(doc, sizeof(doc), "%s{}}", head);
    PARSE_ERR(doc, "parse.type", "/functions");
    snprintf(doc, sizeof(doc), "%s[]}", head);
    PARSE_ERR(doc, "parse.value", "/functions");
    for (int n = 63; n <= 65; n++) {
        snprintf(doc, sizeof(doc), "%s[", head);
        for (int i = 0; i < n; i++)
            strcat(doc, i ? ",{\"label\":\"x\"}" : "{\"label\":\"x\"}");
        strcat(doc, "]}");
        if (n <= 64) {
            PARSE_OK(doc);
            assert_int_equal(embedsvc_project_function_count(g_project), (size_t)n);
        } else {
            PARSE_ERR(doc, "parse.value", "/functions");
        }
    }
}

static void test_value_errors(void **state)
{
    (void)state;
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":\"rebuild\""), "parse.value", "/build_mode");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"layout\":\"tower\""), "parse.value", "/layout");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"operation_model\":\"x\""), "parse.value",
              "/operation_model");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"stage\":\"done\""), "parse.value", "/stage");
    PARSE_ERR(EDIT(MINIMAL, "\"service_class\":\"basic_public\"", "\"service_class\":\"public\""), "parse.value",
              "/functions/0/service_class");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"schema\":\"embedsvc.project/2\""), "parse.value",
              "/schema");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"application_date\":\"2025-02-29\""), "parse.value",
              "/application_date");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"inclusive_rate\":\"1.5\""), "parse.value",
              "/inclusive_rate");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"inclusive_rate\":0.12345"), "parse.value",
              "/inclusive_rate");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"progress\":\"-0.1\""), "parse.value", "/progress");
    PARSE_ERR(EDIT(MINIMAL, "\"investment\":\"100\"", "\"investment\":\"100\",\"floor_area_m2\":\"1e2\""),
              "parse.value", "/functions/0/floor_area_m2");
    PARSE_ERR(EDIT(MINIMAL, "\"investment\":\"100\"", "\"investment\":\"100\",\"floor_area_m2\":10000000.01"),
              "parse.value", "/functions/0/floor_area_m2");
}

static void test_walk_minutes_integer_0_to_1440(void **state)
{
    (void)state;
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":0"));
    assert_int_equal(num(P, EMBEDSVC_FIELD_WALK_MINUTES), 0);
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":1440"));
    assert_int_equal(num(P, EMBEDSVC_FIELD_WALK_MINUTES), 1440);
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":1441"), "parse.value", "/walk_minutes");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":-1"), "parse.value", "/walk_minutes");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":12.0"), "parse.value", "/walk_minutes");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"walk_minutes\":1e1"), "parse.value", "/walk_minutes");
}

static void test_id_length_and_control_characters(void **state)
{
    (void)state;
    char id64[80] = "\"id\":\"", id65[80];
    for (int i = 0; i < 64; i++)
        strcat(id64, "x");
    strcpy(id65, id64);
    strcat(id64, "\"");
    strcat(id65, "x\"");
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\"", id64));
    assert_int_equal(strlen(text(P, EMBEDSVC_FIELD_ID)), 64);
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", id65), "parse.value", "/id");
    /* 64 code points of 3 bytes each */
    char zh[300] = "\"id\":\"";
    for (int i = 0; i < 64; i++)
        strcat(zh, "项");
    strcat(zh, "\"");
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\"", zh));
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"\""), "parse.value", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P\\u0001\""), "parse.value", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P\\u001f\""), "parse.value", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P\\u007f\""), "parse.value", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P\\u0085\""), "parse.value", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P\\u009f\""), "parse.value", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"\\n\""), "parse.value", "/id");
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P\\u00a0 \\u3000\""));
    assert_string_equal(text(P, EMBEDSVC_FIELD_ID), "P\xC2\xA0 \xE3\x80\x80");
}

static void test_money_errors_with_paths(void **state)
{
    (void)state;
    PARSE_ERR(EDIT(MINIMAL, "\"total_investment\":\"300\"", "\"total_investment\":\"-1\""), "money.negative",
              "/total_investment");
    PARSE_ERR(EDIT(MINIMAL, "\"total_investment\":\"300\"", "\"total_investment\":-0"), "money.negative",
              "/total_investment");
    PARSE_ERR(EDIT(MINIMAL, "\"total_investment\":\"300\"", "\"total_investment\":\"1.001\""), "money.precision",
              "/total_investment");
    PARSE_ERR(EDIT(MINIMAL, "\"total_investment\":\"300\"", "\"total_investment\":1000000000000.01"), "money.range",
              "/total_investment");
    PARSE_ERR(EDIT(MINIMAL, "{\"scenario\":\"community_meals\",\"investment\":\"100\"}",
                   "{\"scenario\":\"community_meals\",\"investment\":\"100.001\"}"),
              "money.precision", "/functions/1/investment");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"approved\":\"-5\""), "money.negative", "/approved");
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"disbursed\":\"1e3\""), "parse.value", "/disbursed");
}

static void test_missing_required_fields(void **state)
{
    (void)state;
    embedsvc_error err = PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\",", ""), "parse.missing_field", "/id");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\",", ""), "parse.missing_field", "/build_mode");
    PARSE_ERR(EDIT(MINIMAL, "\"total_investment\":\"300\",", ""), "parse.missing_field", "/total_investment");
    PARSE_ERR("{\"id\":\"P1\",\"build_mode\":\"new\",\"total_investment\":\"300\"}", "parse.missing_field",
              "/functions");
    /* the missing key is reported at its object */
    err = PARSE_ERR("  \n  {\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":[{}]}", "parse.missing_field",
                    "/id");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_int_equal(err.offset, 5);
}

static void test_unknown_field_at_its_key(void **state)
{
    (void)state;
    const char *doc = EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"budget\":1");
    embedsvc_error err = PARSE_ERR(doc, "parse.unknown_field", "/budget");
    assert_int_equal(err.offset, offset_of(doc, "\"budget\""));
    PARSE_ERR(EDIT(MINIMAL, "\"scenario\":\"infant_care\"", "\"scenario\":\"infant_care\",\"Label\":\"x\""),
              "parse.unknown_field", "/functions/2/Label");
    /* keys are case-sensitive and compared after unescaping */
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"ID\":\"x\""), "parse.unknown_field", "/ID");
    PARSE_OK(EDIT(MINIMAL, "\"id\":\"P1\"", "\"i\\u0064\":\"P1\""));
    /* a key with '/' and '~' is escaped in the JSON pointer */
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"a/b~c\":1"), "parse.unknown_field", "/a~1b~0c");
}

static void test_duplicate_key(void **state)
{
    (void)state;
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":\"P1\",\"id\":\"P2\""), "parse.duplicate_key", "/id");
    PARSE_ERR(EDIT(MINIMAL, "\"scenario\":\"infant_care\"", "\"scenario\":\"infant_care\",\"scenario\":\"x\""),
              "parse.duplicate_key", "/functions/2/scenario");
}

static void test_error_position_counts_code_points(void **state)
{
    (void)state;
    const char *doc = "{\"name\":\"养老服务\",\n \"名\":1, \"id\":5}";
    embedsvc_error err = PARSE_ERR(doc, "parse.unknown_field", "/名");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    doc = "{\"name\":\"养老服务\", \"id\":5}";
    err = PARSE_ERR(doc, "parse.type", "/id");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 22);
    assert_int_equal(err.offset, offset_of(doc, "5"));
}

/* ---- the order of defects (reference §10) ---- */

static void test_first_defect_in_document_order(void **state)
{
    (void)state;
    /* unknown key before a later type error */
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"foo\":1,\"id\":5"), "parse.unknown_field", "/foo");
    /* type error before a later unknown key */
    PARSE_ERR(EDIT(MINIMAL, "\"id\":\"P1\"", "\"id\":5,\"foo\":1"), "parse.type", "/id");
    /* inside a function, depth first */
    PARSE_ERR(EDIT(MINIMAL, "{\"scenario\":\"elderly_care\"", "{\"bogus\":1,\"label\":5,\"scenario\":\"elderly_care\""),
              "parse.unknown_field", "/functions/0/bogus");
    /* a value error in function 0 before a type error at the top level after "functions" */
    PARSE_ERR(EDIT(EDIT(MINIMAL, "\"service_class\":\"basic_public\"", "\"service_class\":\"x\""), "]}", "],\"name\":5}"),
              "parse.value", "/functions/0/service_class");
}

static void test_missing_required_reported_after_the_members(void **state)
{
    (void)state;
    PARSE_ERR("{\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":[{}],\"name\":5}", "parse.type", "/name");
    PARSE_ERR("{\"build_mode\":\"new\",\"total_investment\":\"1\",\"functions\":[{\"x\":1}]}", "parse.unknown_field",
              "/functions/0/x");
    PARSE_ERR("{\"build_mode\":\"x\"}", "parse.value", "/build_mode");
}

static void test_earlier_stage_defects_win(void **state)
{
    (void)state;
    /* a syntax error late in the document beats a type error early in it */
    PARSE_ERR("{\"id\":5,\"name\":}", "parse.syntax", "");
    /* a duplicate key beats a type error before it */
    PARSE_ERR("{\"id\":5,\"name\":\"a\",\"name\":\"b\"}", "parse.duplicate_key", "/name");
    /* invalid UTF-8 late beats a syntax error early */
    PARSE_ERR("{\"id\" 5, \"name\":\"\xff\"}", "parse.encoding", "");
}

/* ---- reuse ---- */

static char *big_project(void)
{
    size_t cap = 64 * 512 + 2048;
    char *doc = malloc(cap);
    assert_non_null(doc);
    strcpy(doc, "{\"schema\":\"embedsvc.project/1\",\"id\":\"BIG\",\"name\":\"大项目\",\"district\":\"朝阳区\","
                "\"street\":\"某街道\",\"community\":\"某社区\",\"application_date\":\"2025-01-01\","
                "\"build_mode\":\"new\",\"layout\":\"complex\",\"total_investment\":\"6400\",\"inclusive_rate\":\"0.2\","
                "\"walk_minutes\":10,\"operation_model\":\"other\",\"exemption_reason\":\"理由\",\"stage\":\"call\","
                "\"residents_consulted\":true,\"feasibility_approved\":true,\"estimate_depth_report\":true,"
                "\"progress\":\"0.5\",\"approved\":\"1\",\"disbursed\":\"0\",\"functions\":[");
    for (int i = 0; i < 64; i++) {
        char f[256];
        snprintf(f, sizeof(f),
                 "%s{\"scenario\":\"health\",\"service_class\":\"commercial\",\"item\":\"公共卫生\",\"label\":\"L%d\","
                 "\"floor_area_m2\":\"1.5\",\"investment\":\"100\"}",
                 i ? "," : "", i);
        strcat(doc, f);
    }
    strcat(doc, "]}");
    return doc;
}

static void assert_project_is_minimal(void)
{
    assert_int_equal(embedsvc_project_function_count(g_project), 3);
    assert_string_equal(text(P, EMBEDSVC_FIELD_ID), "P1");
    static const embedsvc_field absent_text[] = {EMBEDSVC_FIELD_NAME, EMBEDSVC_FIELD_DISTRICT, EMBEDSVC_FIELD_STREET,
                                                 EMBEDSVC_FIELD_COMMUNITY, EMBEDSVC_FIELD_APPLICATION_DATE,
                                                 EMBEDSVC_FIELD_EXEMPTION_REASON};
    for (size_t i = 0; i < sizeof(absent_text) / sizeof(absent_text[0]); i++)
        assert_null(text(P, absent_text[i]));
    static const embedsvc_field absent_num[] = {
        EMBEDSVC_FIELD_LAYOUT,   EMBEDSVC_FIELD_INCLUSIVE_RATE,       EMBEDSVC_FIELD_WALK_MINUTES,
        EMBEDSVC_FIELD_OPERATION_MODEL, EMBEDSVC_FIELD_STAGE,         EMBEDSVC_FIELD_RESIDENTS_CONSULTED,
        EMBEDSVC_FIELD_FEASIBILITY_APPROVED, EMBEDSVC_FIELD_ESTIMATE_DEPTH_REPORT, EMBEDSVC_FIELD_PROGRESS,
        EMBEDSVC_FIELD_APPROVED, EMBEDSVC_FIELD_DISBURSED};
    for (size_t i = 0; i < sizeof(absent_num) / sizeof(absent_num[0]); i++)
        assert_int_equal(num(P, absent_num[i]), -999);
    assert_null(text(0, EMBEDSVC_FIELD_ITEM));
    assert_null(text(0, EMBEDSVC_FIELD_LABEL));
    assert_int_equal(num(0, EMBEDSVC_FIELD_FLOOR_AREA), -999);
    assert_int_equal(num(1, EMBEDSVC_FIELD_SERVICE_CLASS), -999);
    assert_null(text(3, EMBEDSVC_FIELD_LABEL));
}

static void test_reuse_big_then_small_keeps_nothing(void **state)
{
    (void)state;
    char *big = big_project();
    PARSE_OK(big);
    assert_int_equal(embedsvc_project_function_count(g_project), 64);
    assert_string_equal(text(63, EMBEDSVC_FIELD_LABEL), "L63");
    PARSE_OK(MINIMAL);
    assert_project_is_minimal();
    /* and again, to reuse the arena */
    PARSE_OK(big);
    PARSE_OK(MINIMAL);
    assert_project_is_minimal();
    free(big);
}

static void test_failure_leaves_the_project_empty(void **state)
{
    (void)state;
    PARSE_OK(spec_example);
    PARSE_ERR(EDIT(MINIMAL, "\"build_mode\":\"new\"", "\"build_mode\":\"x\""), "parse.value", "/build_mode");
    assert_int_equal(num(P, EMBEDSVC_FIELD_TOTAL_INVESTMENT), -999);
    assert_int_equal(num(P, EMBEDSVC_FIELD_WALK_MINUTES), -999);
    assert_null(text(P, EMBEDSVC_FIELD_NAME));
    /* a later error after the functions were read: still empty */
    PARSE_OK(spec_example);
    PARSE_ERR(EDIT(MINIMAL, "]}", "],\"name\":5}"), "parse.type", "/name");
    assert_null(text(0, EMBEDSVC_FIELD_SCENARIO));
}

static void test_clear_empties_the_project(void **state)
{
    (void)state;
    PARSE_OK(spec_example);
    embedsvc_project_clear(g_project);
    assert_int_equal(embedsvc_project_function_count(g_project), 0);
    assert_null(text(P, EMBEDSVC_FIELD_ID));
    assert_int_equal(num(P, EMBEDSVC_FIELD_BUILD_MODE), -999);
    embedsvc_project_clear(NULL);
    PARSE_OK(MINIMAL);
    assert_project_is_minimal();
}

static void test_bad_arguments(void **state)
{
    (void)state;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_parse(NULL, "{}", 2, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_parse(g_project, NULL, 2, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_project_parse(g_project, MINIMAL, strlen(MINIMAL), NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(g_project, "{", 1, NULL), EMBEDSVC_EPARSE);
    assert_int_equal(embedsvc_project_new(NULL, NULL), EMBEDSVC_EINVAL);
    int64_t v;
    assert_int_equal(embedsvc_project_get_int(g_project, P, EMBEDSVC_FIELD_NAME, &v), EMBEDSVC_EINVAL);
    assert_null(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_BUILD_MODE));
    assert_null(embedsvc_project_get_text(g_project, P, EMBEDSVC_FIELD_SCENARIO));
    assert_null(embedsvc_project_get_text(g_project, 0, EMBEDSVC_FIELD_ID));
    assert_null(embedsvc_project_get_text(g_project, -2, EMBEDSVC_FIELD_ID));
    assert_int_equal(embedsvc_project_function_count(NULL), 0);
    embedsvc_project_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spec_example_stores_every_project_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spec_example_stores_every_function_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_process_fields_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enums_accept_code_or_exact_chinese_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_and_strings_both_accepted_for_decimals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom_at_start_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_reader_takes_valid_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error_with_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_error_at_every_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_errors_with_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_functions_must_be_an_array_of_1_to_64_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk_minutes_integer_0_to_1440, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id_length_and_control_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_money_errors_with_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_required_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_field_at_its_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_position_counts_code_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_defect_in_document_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_required_reported_after_the_members, setup, teardown),
        cmocka_unit_test_setup_teardown(test_earlier_stage_defects_win, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse_big_then_small_keeps_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_leaves_the_project_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_empties_the_project, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
