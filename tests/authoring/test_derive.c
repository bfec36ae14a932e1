/* Tests of embedsvc_policy_derive (lib/policy_derive.c, include/embedsvc/derive.h): every key, the
 * marking of version and titles, unknown keys and type errors in the changes (with their positions),
 * values the policy loader rejects (with the path in the derived policy), and exactness against the
 * shipped reform files. Public API only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedsvc.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static embedsvc_policy *base_policy(void)
{
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    return p;
}

/* Derives from the default policy; the test fails with the error when it does not succeed. */
static embedsvc_policy *derive_ok(const char *changes)
{
    embedsvc_policy *base = base_policy(), *out = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_policy_derive(base, changes, strlen(changes), NULL, &out, &err);
    if (rc != EMBEDSVC_OK)
        print_error("derive %s: %s %s at %s\n", changes, err.code, err.message, err.path);
    assert_int_equal(rc, EMBEDSVC_OK);
    assert_non_null(out);
    embedsvc_policy_free(base);
    return out;
}

/* Derives and expects a failure with status, code and path (and line/column when not 0). */
static void derive_fails(const char *changes, int status, const char *code, const char *path, uint32_t line,
                         uint32_t column)
{
    embedsvc_policy *base = base_policy(), *out = (embedsvc_policy *)&out;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_policy_derive(base, changes, strlen(changes), NULL, &out, &err);
    if (rc != status || strcmp(err.code, code) != 0 || strcmp(err.path, path) != 0)
        print_error("derive %s: got %d %s at \"%s\" (%s)\n", changes, rc, err.code, err.path, err.message);
    assert_int_equal(rc, status);
    assert_null(out);
    assert_string_equal(err.code, code);
    assert_string_equal(err.path, path);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    embedsvc_policy_free(base);
}

static int64_t rule(const embedsvc_policy *p, embedsvc_rule r, int expect_set)
{
    int64_t v = -99;
    assert_int_equal(embedsvc_policy_rule(p, r, &v), expect_set);
    return v;
}

static void test_each_key(void **state)
{
    (void)state;
    embedsvc_policy *p = derive_ok("{\"id\":\"x-reform\",\"version\":\"7\",\"title_zh\":\"测算\",\"title_en\":\"Sweep\"}");
    assert_string_equal(embedsvc_policy_text(p, "id"), "x-reform");
    assert_string_equal(embedsvc_policy_text(p, "version"), "7");
    assert_string_equal(embedsvc_policy_text(p, "title_zh"), "测算");
    assert_string_equal(embedsvc_policy_text(p, "title_en"), "Sweep");
    embedsvc_policy_free(p);

    p = derive_ok("{\"effective_from\":\"2025-01-01\",\"effective_to\":\"2026-12-31\"}");
    assert_string_equal(embedsvc_policy_text(p, "effective_from"), "2025-01-01");
    assert_string_equal(embedsvc_policy_text(p, "effective_to"), "2026-12-31");
    embedsvc_policy *q = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    static const char to_null[] = "{\"effective_from\":null}";
    assert_int_equal(embedsvc_policy_derive(p, to_null, strlen(to_null), NULL, &q, &err), EMBEDSVC_OK);
    assert_null(embedsvc_policy_text(q, "effective_from"));
    assert_string_equal(embedsvc_policy_text(q, "effective_to"), "2026-12-31");
    embedsvc_policy_free(q);
    embedsvc_policy_free(p);

    p = derive_ok("{\"min_functions\":4,\"min_core_functions\":3,\"preferred_severity\":\"error\"}");
    assert_int_equal(rule(p, EMBEDSVC_RULE_MIN_FUNCTIONS, 1), 4);
    assert_int_equal(rule(p, EMBEDSVC_RULE_MIN_CORE_FUNCTIONS, 1), 3);
    assert_int_equal(rule(p, EMBEDSVC_RULE_PREFERRED_SEVERITY, 1), EMBEDSVC_SEVERITY_ERROR);
    embedsvc_policy_free(p);

    p = derive_ok("{\"preferred_severity\":\"off\",\"subsidy_build_modes\":[\"new\",\"other\"],"
                  "\"max_walk_minutes\":20}");
    assert_int_equal(rule(p, EMBEDSVC_RULE_PREFERRED_SEVERITY, 1), -1);
    assert_int_equal(rule(p, EMBEDSVC_RULE_SUBSIDY_BUILD_MODES, 1),
                     (1 << EMBEDSVC_BUILD_NEW) | (1 << EMBEDSVC_BUILD_OTHER));
    assert_int_equal(rule(p, EMBEDSVC_RULE_MAX_WALK_MINUTES, 1), 20);
    embedsvc_policy_free(p);

    p = derive_ok("{\"max_walk_minutes\":null,\"cap_fen\":null,\"subsidy_build_modes\":[]}");
    rule(p, EMBEDSVC_RULE_MAX_WALK_MINUTES, 0);
    rule(p, EMBEDSVC_RULE_CAP_FEN, 0);
    assert_int_equal(rule(p, EMBEDSVC_RULE_SUBSIDY_BUILD_MODES, 1), 0);
    embedsvc_policy_free(p);

    p = derive_ok("{\"cap_fen\":3000000000,\"cap_allocation\":\"proportional\"}");
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), 3000000000);
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_PROPORTIONAL, 1), 1);
    embedsvc_policy_free(p);

    p = derive_ok("{\"rates\":{\"inclusive\":2000,\"commercial\":500},\"rate_is_max\":{\"basic_public\":true,"
                  "\"inclusive\":false}}");
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_BASIC_PUBLIC), 3000);
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_INCLUSIVE), 2000);
    assert_int_equal(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_COMMERCIAL), 500);
    assert_int_equal(embedsvc_policy_class_rate_is_max(p, EMBEDSVC_CLASS_BASIC_PUBLIC), 1);
    assert_int_equal(embedsvc_policy_class_rate_is_max(p, EMBEDSVC_CLASS_INCLUSIVE), 0);
    assert_int_equal(embedsvc_policy_class_rate_is_max(p, EMBEDSVC_CLASS_COMMERCIAL), 0);
    /* nothing else moved */
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), 5000000000);
    assert_int_equal(rule(p, EMBEDSVC_RULE_MIN_FUNCTIONS, 1), 3);
    assert_int_equal(embedsvc_policy_scenario_count(p), 9);
    embedsvc_policy_free(p);
}

static void test_marking(void **state)
{
    (void)state;
    embedsvc_policy *p = derive_ok("{\"rates\":{\"inclusive\":2000},\"cap_fen\":3000000000}");
    assert_string_equal(embedsvc_policy_text(p, "id"), "beijing-2024-trial");
    assert_string_equal(embedsvc_policy_text(p, "version"), "1+derived");
    /* the keys in the contract's order, not the document's */
    assert_string_equal(embedsvc_policy_text(p, "title_zh"),
                        "北京市社区嵌入式服务设施项目建设运营管理办法（试行）（调整：cap_fen、rates）");
    assert_string_equal(embedsvc_policy_text(p, "title_en"),
                        "Beijing measures for community embedded service facility projects (trial) "
                        "(derived: cap_fen, rates)");
    /* derived again */
    embedsvc_policy *q = NULL;
    static const char more[] = "{\"min_functions\":4}";
    assert_int_equal(embedsvc_policy_derive(p, more, strlen(more), NULL, &q, NULL), EMBEDSVC_OK);
    assert_string_equal(embedsvc_policy_text(q, "version"), "1+derived+derived");
    assert_string_equal(embedsvc_policy_text(q, "title_en"),
                        "Beijing measures for community embedded service facility projects (trial) "
                        "(derived: cap_fen, rates) (derived: min_functions)");
    embedsvc_policy_free(q);
    embedsvc_policy_free(p);

    p = derive_ok("{}");
    assert_string_equal(embedsvc_policy_text(p, "version"), "1+derived");
    assert_string_equal(embedsvc_policy_text(p, "title_zh"), "北京市社区嵌入式服务设施项目建设运营管理办法（试行）（调整）");
    assert_string_equal(embedsvc_policy_text(p, "title_en"),
                        "Beijing measures for community embedded service facility projects (trial) (derived)");
    embedsvc_policy_free(p);

    /* a given title is used as given; the other still gets its suffix */
    p = derive_ok("{\"title_en\":\"Mine\",\"max_walk_minutes\":10}");
    assert_string_equal(embedsvc_policy_text(p, "title_en"), "Mine");
    assert_string_equal(embedsvc_policy_text(p, "title_zh"),
                        "北京市社区嵌入式服务设施项目建设运营管理办法（试行）（调整：max_walk_minutes）");
    embedsvc_policy_free(p);

    /* a base without titles: they stay absent unless given */
    static const char *untitled = "{\"schema\":\"embedsvc.policy/1\",\"id\":\"t\",\"version\":\"2\","
        "\"scenarios\":[{\"code\":\"a\",\"name_zh\":\"甲\",\"name_en\":\"A\",\"core\":true,\"preferred\":true,"
        "\"allowed_classes\":[\"basic_public\"]}],"
        "\"classes\":[{\"code\":\"basic_public\",\"name_zh\":\"基\",\"name_en\":\"B\",\"rate_bp\":3000,\"rate_is_max\":false},"
        "{\"code\":\"inclusive\",\"name_zh\":\"普\",\"name_en\":\"I\",\"rate_bp\":3000,\"rate_is_max\":true},"
        "{\"code\":\"commercial\",\"name_zh\":\"商\",\"name_en\":\"C\",\"rate_bp\":0,\"rate_is_max\":false}],"
        "\"items\":[],\"rules\":{\"min_functions\":1,\"min_core_functions\":1,\"preferred_severity\":\"warning\","
        "\"subsidy_build_modes\":[\"new\"],\"max_walk_minutes\":15},"
        "\"subsidy\":{\"cap_fen\":null,\"cap_allocation\":\"basic_first\"}}";
    embedsvc_policy *b = NULL;
    assert_int_equal(embedsvc_policy_load_buffer(untitled, strlen(untitled), NULL, &b, NULL), EMBEDSVC_OK);
    static const char ch[] = "{\"cap_fen\":100,\"title_zh\":\"新\"}";
    assert_int_equal(embedsvc_policy_derive(b, ch, strlen(ch), NULL, &p, NULL), EMBEDSVC_OK);
    assert_string_equal(embedsvc_policy_text(p, "version"), "2+derived");
    assert_string_equal(embedsvc_policy_text(p, "title_zh"), "新");
    assert_null(embedsvc_policy_text(p, "title_en"));
    assert_int_equal(rule(p, EMBEDSVC_RULE_CAP_FEN, 1), 100);
    embedsvc_policy_free(p);
    embedsvc_policy_free(b);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof(buf) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static char *canonical(const embedsvc_policy *p)
{
    size_t n = 0;
    assert_int_equal(embedsvc_policy_to_json(p, NULL, 0, &n), EMBEDSVC_ERANGE);
    char *s = malloc(n + 1);
    assert_non_null(s);
    assert_int_equal(embedsvc_policy_to_json(p, s, n + 1, NULL), EMBEDSVC_OK);
    return s;
}

/* Deriving the shipped reforms from the default policy gives exactly the shipped files. */
static void test_equals_shipped_reforms(void **state)
{
    (void)state;
    static const struct {
        const char *file, *changes;
    } cases[] = {
        {"reform-cap-3000wan.json",
         "{\"id\":\"reform-cap-3000wan\",\"version\":\"2025.1\","
         "\"title_zh\":\"北京市社区嵌入式服务设施项目建设运营管理办法（试行）修订测算：补助上限3000万元\","
         "\"title_en\":\"Beijing measures for community embedded service facility projects (trial), reform scenario: "
         "subsidy cap 30 million yuan (3000万元)\",\"cap_fen\":3000000000}"},
        {"reform-inclusive-20pct.json",
         "{\"id\":\"reform-inclusive-20pct\",\"version\":\"2025.1\","
         "\"title_zh\":\"北京市社区嵌入式服务设施项目建设运营管理办法（试行）修订测算：普惠类补助比例不超过20%\","
         "\"title_en\":\"Beijing measures for community embedded service facility projects (trial), reform scenario: "
         "inclusive services subsidy at most 20%\",\"rates\":{\"inclusive\":2000}}"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/policies/%s", SOURCE_ROOT, cases[i].file);
        size_t len;
        const char *text = read_all(path, &len);
        embedsvc_policy *file = NULL;
        assert_int_equal(embedsvc_policy_load_buffer(text, len, NULL, &file, NULL), EMBEDSVC_OK);
        embedsvc_policy *derived = derive_ok(cases[i].changes);
        char *a = canonical(file), *b = canonical(derived);
        assert_string_equal(a, b);
        free(a);
        free(b);
        embedsvc_policy_free(file);
        embedsvc_policy_free(derived);
    }
}

static void test_unknown_keys(void **state)
{
    (void)state;
    derive_fails("{\"cap_fen\":1,\n \"cap\":2}", EMBEDSVC_EPARSE, "parse.unknown_field", "/cap", 2, 2);
    derive_fails("{\"rates\":{\"inclusive\":2000,\"luxury\":1}}", EMBEDSVC_EPARSE, "parse.unknown_field",
                 "/rates/luxury", 1, 28);
    /* a Chinese class name is not a key of rates: codes only */
    derive_fails("{\"rate_is_max\":{\"基本公共服务类\":true}}", EMBEDSVC_EPARSE, "parse.unknown_field",
                 "/rate_is_max/基本公共服务类", 1, 17);
    /* keys of the policy file that are not changes */
    derive_fails("{\"scenarios\":[]}", EMBEDSVC_EPARSE, "parse.unknown_field", "/scenarios", 1, 2);
    derive_fails("{\"rules\":{\"min_functions\":4}}", EMBEDSVC_EPARSE, "parse.unknown_field", "/rules", 1, 2);
}

static void test_type_errors(void **state)
{
    (void)state;
    derive_fails("[]", EMBEDSVC_EPARSE, "parse.type", "", 1, 1);
    derive_fails("{\"min_functions\":\"4\"}", EMBEDSVC_EPARSE, "parse.type", "/min_functions", 1, 18);
    derive_fails("{\"min_core_functions\":null}", EMBEDSVC_EPARSE, "parse.type", "/min_core_functions", 1, 23);
    derive_fails("{\"cap_fen\":true}", EMBEDSVC_EPARSE, "parse.type", "/cap_fen", 1, 12);
    derive_fails("{\"max_walk_minutes\":\"15\"}", EMBEDSVC_EPARSE, "parse.type", "/max_walk_minutes", 1, 21);
    derive_fails("{\"id\":1}", EMBEDSVC_EPARSE, "parse.type", "/id", 1, 7);
    derive_fails("{\"version\":null}", EMBEDSVC_EPARSE, "parse.type", "/version", 1, 12);
    derive_fails("{\"title_zh\":[]}", EMBEDSVC_EPARSE, "parse.type", "/title_zh", 1, 13);
    derive_fails("{\"effective_to\":20250101}", EMBEDSVC_EPARSE, "parse.type", "/effective_to", 1, 17);
    derive_fails("{\"preferred_severity\":2}", EMBEDSVC_EPARSE, "parse.type", "/preferred_severity", 1, 23);
    derive_fails("{\"cap_allocation\":{}}", EMBEDSVC_EPARSE, "parse.type", "/cap_allocation", 1, 19);
    derive_fails("{\"subsidy_build_modes\":\"new\"}", EMBEDSVC_EPARSE, "parse.type", "/subsidy_build_modes", 1, 24);
    derive_fails("{\"subsidy_build_modes\":[\"new\",2]}", EMBEDSVC_EPARSE, "parse.type", "/subsidy_build_modes/1",
                 1, 31);
    derive_fails("{\"rates\":[2000]}", EMBEDSVC_EPARSE, "parse.type", "/rates", 1, 10);
    derive_fails("{\"rates\":{\"inclusive\":\"2000\"}}", EMBEDSVC_EPARSE, "parse.type", "/rates/inclusive", 1, 23);
    derive_fails("{\"rate_is_max\":{\"inclusive\":1}}", EMBEDSVC_EPARSE, "parse.type", "/rate_is_max/inclusive",
                 1, 29);
    /* in document order: the first defect wins */
    derive_fails("{\"cap_fen\":\"x\",\"nope\":1}", EMBEDSVC_EPARSE, "parse.type", "/cap_fen", 1, 12);
    derive_fails("{\"nope\":1,\"cap_fen\":\"x\"}", EMBEDSVC_EPARSE, "parse.unknown_field", "/nope", 1, 2);
    /* the JSON reader's own errors */
    derive_fails("{\"cap_fen\":1,}", EMBEDSVC_EPARSE, "parse.syntax", "", 1, 14);
    derive_fails("{\"cap_fen\":1,\"cap_fen\":2}", EMBEDSVC_EPARSE, "parse.duplicate_key", "/cap_fen", 1, 14);
    derive_fails("", EMBEDSVC_EPARSE, "parse.syntax", "", 1, 1);
}

/* Values the policy loader rejects: its error, with the path in the derived policy and no position. */
static void test_loader_errors(void **state)
{
    (void)state;
    derive_fails("{\"min_functions\":3.5}", EMBEDSVC_EPARSE, "parse.value", "/rules/min_functions", 0, 0);
    derive_fails("{\"min_functions\":-1}", EMBEDSVC_EPARSE, "parse.value", "/rules/min_functions", 0, 0);
    derive_fails("{\"rates\":{\"inclusive\":10001}}", EMBEDSVC_EPARSE, "parse.value", "/classes/1/rate_bp", 0, 0);
    derive_fails("{\"cap_fen\":100000000000001}", EMBEDSVC_EPARSE, "parse.value", "/subsidy/cap_fen", 0, 0);
    derive_fails("{\"cap_allocation\":\"even\"}", EMBEDSVC_EPARSE, "parse.value", "/subsidy/cap_allocation", 0, 0);
    derive_fails("{\"preferred_severity\":\"fatal\"}", EMBEDSVC_EPARSE, "parse.value", "/rules/preferred_severity",
                 0, 0);
    derive_fails("{\"effective_from\":\"2025-02-30\"}", EMBEDSVC_EPARSE, "parse.value", "/effective_from", 0, 0);
    derive_fails("{\"id\":\"\"}", EMBEDSVC_EPARSE, "parse.value", "/id", 0, 0);
    derive_fails("{\"subsidy_build_modes\":[\"rebuild\"]}", EMBEDSVC_EPARSE, "parse.value",
                 "/rules/subsidy_build_modes/0", 0, 0);
    derive_fails("{\"subsidy_build_modes\":[\"new\",\"新建\"]}", EMBEDSVC_EPOLICY, "policy.invalid",
                 "/rules/subsidy_build_modes/1", 0, 0);
    /* the message says where the error is */
    embedsvc_policy *base = base_policy(), *out = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    static const char ch[] = "{\"rates\":{\"inclusive\":10001}}";
    assert_int_equal(embedsvc_policy_derive(base, ch, strlen(ch), NULL, &out, &err), EMBEDSVC_EPARSE);
    assert_non_null(strstr(err.message, "derived policy: "));
    embedsvc_policy_free(base);
}

/* Replaces the first occurrence of `from` in the default policy's JSON by `to` (a policy file). */
static char *default_edited(const char *from, const char *to)
{
    size_t len;
    const char *doc = embedsvc_policy_default_json(&len);
    const char *at = strstr(doc, from);
    assert_non_null(at);
    char *out = malloc(len + strlen(to) + 1);
    assert_non_null(out);
    size_t head = (size_t)(at - doc);
    memcpy(out, doc, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

/* A derived policy no project can satisfy is rejected exactly as the same policy file is (reference
 * §8: policy.invalid naming the rule). The file is the default policy's JSON edited by hand. */
static void check_like_file(const char *changes, const char *const *edits, size_t n_edits, const char *path)
{
    char *file = NULL;
    for (size_t i = 0; i < n_edits; i += 2) {
        char *next = file ? NULL : default_edited(edits[i], edits[i + 1]);
        if (file) {
            const char *at = strstr(file, edits[i]);
            assert_non_null(at);
            next = malloc(strlen(file) + strlen(edits[i + 1]) + 1);
            assert_non_null(next);
            memcpy(next, file, (size_t)(at - file));
            strcpy(next + (at - file), edits[i + 1]);
            strcat(next, at + strlen(edits[i]));
            free(file);
        }
        file = next;
    }
    embedsvc_policy *fp = NULL;
    embedsvc_error ferr = EMBEDSVC_ERROR_INIT;
    int frc = embedsvc_policy_load_buffer(file, strlen(file), NULL, &fp, &ferr);
    free(file);
    embedsvc_policy_free(fp);
    if (frc == EMBEDSVC_OK) {
        /* the loader of this build accepts it: so must derivation */
        print_message("note: the policy loader accepts %s as a file; derivation must too\n", changes);
        embedsvc_policy_free(derive_ok(changes));
        return;
    }
    assert_int_equal(frc, EMBEDSVC_EPOLICY);
    assert_string_equal(ferr.code, "policy.invalid");
    if (path)
        assert_string_equal(ferr.path, path);
    derive_fails(changes, EMBEDSVC_EPOLICY, "policy.invalid", ferr.path, 0, 0);
}

static void test_unsatisfiable(void **state)
{
    (void)state;
    static const char *const e1[] = {"\"min_functions\": 3", "\"min_functions\": 10"};
    check_like_file("{\"min_functions\":10}", e1, 2, "/rules/min_functions");
    static const char *const e2[] = {"\"min_core_functions\": 2", "\"min_core_functions\": 5"};
    check_like_file("{\"min_core_functions\":5}", e2, 2, "/rules/min_core_functions");
    static const char *const e3[] = {"\"effective_from\": null", "\"effective_from\": \"2026-01-01\"",
                                     "\"effective_to\": null", "\"effective_to\": \"2025-12-31\""};
    /* the path of reversed dates is the loader's choice: the same as the file's */
    check_like_file("{\"effective_from\":\"2026-01-01\",\"effective_to\":\"2025-12-31\"}", e3, 4, NULL);
    /* the edges are satisfiable */
    embedsvc_policy *p = derive_ok("{\"min_functions\":9,\"min_core_functions\":4,"
                                   "\"effective_from\":\"2025-01-01\",\"effective_to\":\"2025-01-01\"}");
    embedsvc_policy_free(p);
}

static void test_evaluates_with_derived(void **state)
{
    (void)state;
    embedsvc_policy *p = derive_ok("{\"rates\":{\"inclusive\":2000}}");
    char path[512];
    snprintf(path, sizeof(path), "%s/docs/examples/project.json", SOURCE_ROOT);
    size_t len;
    const char *text = read_all(path, &len);
    embedsvc_project *proj = NULL;
    embedsvc_result *res = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &proj), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(proj, text, len, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &res), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(p, proj, res, NULL), EMBEDSVC_OK);
    /* the project asks for 25%, above the derived maximum of 20%: not eligible */
    assert_int_equal(embedsvc_result_eligible(res), 0);
    embedsvc_result_free(res);
    embedsvc_project_free(proj);
    embedsvc_policy_free(p);
}

static void test_arguments(void **state)
{
    (void)state;
    embedsvc_policy *base = base_policy(), *out = (embedsvc_policy *)&out;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_policy_derive(NULL, "{}", 2, NULL, &out, &err), EMBEDSVC_EINVAL);
    assert_null(out);
    assert_int_equal(embedsvc_policy_derive(base, "{}", 2, NULL, NULL, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_policy_derive(base, NULL, 2, NULL, &out, &err), EMBEDSVC_EINVAL);
    embedsvc_allocator half = EMBEDSVC_ALLOCATOR_INIT(NULL, NULL, NULL, NULL);
    assert_int_equal(embedsvc_policy_derive(base, "{}", 2, &half, &out, &err), EMBEDSVC_EINVAL);
    /* not NUL-terminated: only len bytes are read */
    assert_int_equal(embedsvc_policy_derive(base, "{}garbage", 2, NULL, &out, &err), EMBEDSVC_OK);
    embedsvc_policy_free(out);
    embedsvc_policy_free(base);
}

/* A counting allocator that fails the n-th allocation: every failure is ENOMEM and nothing leaks. */
typedef struct counting {
    long live, calls, fail_at;
} counting;

static void *c_malloc(void *ctx, size_t n)
{
    counting *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        c->live++;
    return p;
}

static void *c_realloc(void *ctx, void *ptr, size_t n)
{
    counting *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    return realloc(ptr, n);
}

static void c_free(void *ctx, void *ptr)
{
    counting *c = ctx;
    c->live--;
    free(ptr);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    embedsvc_policy *base = base_policy();
    static const char ch[] = "{\"rates\":{\"inclusive\":2000},\"cap_fen\":3000000000,\"title_zh\":\"t\"}";
    int succeeded = 0;
    for (long k = 1; k < 2000 && !succeeded; k++) {
        counting c = {0, 0, k};
        embedsvc_allocator a = EMBEDSVC_ALLOCATOR_INIT(c_malloc, c_realloc, c_free, &c);
        embedsvc_policy *out = NULL;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = embedsvc_policy_derive(base, ch, strlen(ch), &a, &out, &err);
        if (rc == EMBEDSVC_OK) {
            succeeded = 1;
            assert_true(c.calls < k);
            embedsvc_policy_free(out);
        } else {
            assert_int_equal(rc, EMBEDSVC_ENOMEM);
            assert_null(out);
        }
        assert_int_equal(c.live, 0);
    }
    assert_true(succeeded);
    embedsvc_policy_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_key),
        cmocka_unit_test(test_marking),
        cmocka_unit_test(test_equals_shipped_reforms),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_unsatisfiable),
        cmocka_unit_test(test_evaluates_with_derived),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
