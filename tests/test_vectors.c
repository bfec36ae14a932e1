/* The conformance vectors through the public C API: one cmocka test per case.
 *
 * Usage: test_vectors DIR...
 * A case is a directory with project.json, expected.json and an optional policy.json
 * (tests/vectors), NAME.project.json + NAME.expected.json (the shared conformance set), or
 * NAME.json + expected/NAME.json (examples/projects). expected.json lists a subset of the
 * embedsvc.result/1 fields (findings compared as a multiset), or {"error": {...}} for an input
 * that must fail to parse. The result JSON is read back with the library's own reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embedsvc.h"
#include "json.h"

typedef struct vcase {
    char name[256];
    char project[1024];
    char expected[1024];
    char policy[1024]; /* "" for the default policy */
} vcase;

/* snprintf that refuses to truncate a path. */
static void fmt(char *dst, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *dst, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(dst, size, f, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "test_vectors: path too long\n");
        abort();
    }
}

static vcase *cases;
static size_t n_cases, cap_cases;

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static vcase *add_case(void)
{
    if (n_cases == cap_cases) {
        cap_cases = cap_cases ? cap_cases * 2 : 64;
        cases = realloc(cases, cap_cases * sizeof(*cases));
        if (!cases)
            abort();
    }
    memset(&cases[n_cases], 0, sizeof(cases[0]));
    return &cases[n_cases++];
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted directory entries (caller frees). */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(char *));
        }
        names[cnt++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, cnt, sizeof(char *), cmp_str);
    *n = cnt;
    return names;
}

static void collect(const char *dir)
{
    char path[2048], path2[2048];
    fmt(path, sizeof(path), "%s/project.json", dir);
    if (exists(path)) {
        vcase *c = add_case();
        const char *base = strrchr(dir, '/');
        fmt(c->name, sizeof(c->name), "%s", base ? base + 1 : dir);
        fmt(c->project, sizeof(c->project), "%s", path);
        fmt(c->expected, sizeof(c->expected), "%s/expected.json", dir);
        fmt(path2, sizeof(path2), "%s/policy.json", dir);
        if (exists(path2))
            fmt(c->policy, sizeof(c->policy), "%s", path2);
        return;
    }
    size_t n;
    char **names = list_dir(dir, &n);
    fmt(path, sizeof(path), "%s/expected", dir);
    bool examples = is_dir(path);
    for (size_t i = 0; i < n; i++) {
        const char *e = names[i];
        size_t len = strlen(e);
        fmt(path, sizeof(path), "%s/%s", dir, e);
        if (examples && len > 5 && strcmp(e + len - 5, ".json") == 0) {
            fmt(path2, sizeof(path2), "%s/expected/%s", dir, e);
            if (exists(path2)) {
                vcase *c = add_case();
                fmt(c->name, sizeof(c->name), "%.*s", (int)(len - 5), e);
                fmt(c->project, sizeof(c->project), "%s", path);
                fmt(c->expected, sizeof(c->expected), "%s", path2);
            }
        } else if (len > 13 && strcmp(e + len - 13, ".project.json") == 0) {
            vcase *c = add_case();
            fmt(c->name, sizeof(c->name), "%.*s", (int)(len - 13), e);
            fmt(c->project, sizeof(c->project), "%s", path);
            fmt(c->expected, sizeof(c->expected), "%s/%.*s.expected.json", dir, (int)(len - 13), e);
        } else if (!examples && is_dir(path)) {
            fmt(path2, sizeof(path2), "%s/project.json", path);
            if (exists(path2))
                collect(path);
        }
        free(names[i]);
    }
    free(names);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("cannot read %s", path);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* ---- comparing JSON values ---- */

static bool jequal(const esv_jval *a, const esv_jval *b)
{
    if (!a || !b)
        return a == b;
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case ESV_JNULL:
    case ESV_JTRUE:
    case ESV_JFALSE:
        return true;
    case ESV_JNUMBER:
    case ESV_JSTRING:
        return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case ESV_JARRAY: {
        const esv_jval *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!jequal(x, y))
                return false;
        return !x && !y;
    }
    case ESV_JOBJECT:
        if (a->len != b->len)
            return false;
        for (const esv_jval *m = a->child; m; m = m->next)
            if (!jequal(m, esv_json_get(b, m->key)))
                return false;
        return true;
    }
    return false;
}

static void show(const esv_jval *v, char *buf, size_t size)
{
    size_t n = 0;
    switch (v ? v->type : ESV_JNULL) {
    case ESV_JNULL:
        snprintf(buf, size, "null");
        return;
    case ESV_JTRUE:
        snprintf(buf, size, "true");
        return;
    case ESV_JFALSE:
        snprintf(buf, size, "false");
        return;
    case ESV_JNUMBER:
        snprintf(buf, size, "%.*s", (int)v->len, v->str);
        return;
    case ESV_JSTRING:
        snprintf(buf, size, "\"%s\"", v->str);
        return;
    default:
        n = (size_t)snprintf(buf, size, "%s", v->type == ESV_JARRAY ? "[...]" : "{...}");
        (void)n;
    }
}

static int failures;

static void expect_equal(const char *what, const esv_jval *want, const esv_jval *got)
{
    if (jequal(want, got))
        return;
    char a[256], b[256];
    show(want, a, sizeof(a));
    show(got, b, sizeof(b));
    print_error("  %s: expected %s, got %s\n", what, a, b);
    failures++;
}

/* Findings as sorted "code|severity|function" lines. */
static size_t finding_keys(const esv_jval *arr, char keys[][96], size_t max)
{
    size_t n = 0;
    for (const esv_jval *f = arr ? arr->child : NULL; f && n < max; f = f->next, n++) {
        const esv_jval *code = esv_json_get(f, "code"), *sev = esv_json_get(f, "severity"),
                       *fn = esv_json_get(f, "function");
        snprintf(keys[n], 96, "%s|%s|%.*s", code ? code->str : "?", sev ? sev->str : "?",
                 fn && fn->type == ESV_JNUMBER ? (int)fn->len : 4, fn && fn->type == ESV_JNUMBER ? fn->str : "null");
    }
    qsort(keys, n, 96, (int (*)(const void *, const void *))strcmp);
    return n;
}

static void compare_result(const esv_jval *want, const esv_jval *got)
{
    static const char *const whole[] = {"project_id", "eligible", "subsidy_eligible", "counts", "subsidy"};
    for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
        if (esv_json_get(want, whole[i]))
            expect_equal(whole[i], esv_json_get(want, whole[i]), esv_json_get(got, whole[i]));
    /* functions and checks: every listed key of every element */
    static const char *const lists[] = {"functions", "checks"};
    for (int l = 0; l < 2; l++) {
        const esv_jval *w = esv_json_get(want, lists[l]), *g = esv_json_get(got, lists[l]);
        if (!w)
            continue;
        if (!g || g->len != w->len) {
            print_error("  %s: expected %zu entries, got %zu\n", lists[l], w->len, g ? g->len : 0);
            failures++;
            continue;
        }
        size_t i = 0;
        for (const esv_jval *we = w->child, *ge = g->child; we; we = we->next, ge = ge->next, i++)
            for (const esv_jval *m = we->child; m; m = m->next) {
                char what[128];
                snprintf(what, sizeof(what), "%s[%zu].%s", lists[l], i, m->key);
                expect_equal(what, m, esv_json_get(ge, m->key));
            }
    }
    const esv_jval *wf = esv_json_get(want, "findings");
    if (wf) {
        static char a[512][96], b[512][96];
        size_t na = finding_keys(wf, a, 512), nb = finding_keys(esv_json_get(got, "findings"), b, 512);
        bool same = na == nb;
        for (size_t i = 0; same && i < na; i++)
            same = strcmp(a[i], b[i]) == 0;
        if (!same) {
            print_error("  findings differ (expected %zu, got %zu):\n", na, nb);
            for (size_t i = 0; i < na; i++)
                print_error("    want %s\n", a[i]);
            for (size_t i = 0; i < nb; i++)
                print_error("    got  %s\n", b[i]);
            failures++;
        }
    }
}

static void compare_error(const esv_jval *want, const embedsvc_error *err)
{
    const esv_jval *code = esv_json_get(want, "code"), *path = esv_json_get(want, "path"),
                   *line = esv_json_get(want, "line"), *column = esv_json_get(want, "column");
    if (code && strcmp(code->str, err->code) != 0) {
        print_error("  error code: expected %s, got %s (%s)\n", code->str, err->code, err->message);
        failures++;
    }
    if (path && strcmp(path->str, err->path) != 0) {
        print_error("  error path: expected \"%s\", got \"%s\"\n", path->str, err->path);
        failures++;
    }
    if (line && strtoul(line->str, NULL, 10) != err->line) {
        print_error("  error line: expected %.*s, got %u\n", (int)line->len, line->str, err->line);
        failures++;
    }
    if (column && strtoul(column->str, NULL, 10) != err->column) {
        print_error("  error column: expected %.*s, got %u\n", (int)column->len, column->str, err->column);
        failures++;
    }
}

static void run_case(void **state)
{
    const vcase *c = *state;
    esv_alloc al;
    esv_alloc_init(&al, NULL);
    size_t plen, elen;
    char *project_json = slurp(c->project, &plen);
    char *expected_json = slurp(c->expected, &elen);
    esv_json *reader = esv_json_new(&al), *reader2 = esv_json_new(&al);
    const esv_jval *expected, *actual;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(esv_json_parse(reader, expected_json, elen, &expected, &err), EMBEDSVC_OK);

    embedsvc_policy *policy = NULL;
    if (c->policy[0])
        assert_int_equal(embedsvc_policy_load_file(c->policy, NULL, &policy, &err), EMBEDSVC_OK);
    else
        assert_int_equal(embedsvc_policy_default(NULL, &policy, &err), EMBEDSVC_OK);
    embedsvc_project *project;
    embedsvc_result *result;
    assert_int_equal(embedsvc_project_new(NULL, &project), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &result), EMBEDSVC_OK);

    failures = 0;
    int rc = embedsvc_project_parse(project, project_json, plen, &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(policy, project, result, &err);
    const esv_jval *want_error = esv_json_get(expected, "error");
    if (want_error) {
        if (rc == EMBEDSVC_OK) {
            print_error("  expected a parse error, got a result\n");
            failures++;
        } else {
            compare_error(want_error, &err);
        }
    } else if (rc != EMBEDSVC_OK) {
        print_error("  unexpected error %s at %u:%u %s: %s\n", err.code, err.line, err.column, err.path, err.message);
        failures++;
    } else {
        const char *json;
        size_t len;
        assert_int_equal(embedsvc_result_to_json(result, &json, &len, &err), EMBEDSVC_OK);
        assert_int_equal(esv_json_parse(reader2, json, len, &actual, &err), EMBEDSVC_OK);
        compare_result(expected, actual);
    }
    embedsvc_result_free(result);
    embedsvc_project_free(project);
    embedsvc_policy_free(policy);
    esv_json_free(reader);
    esv_json_free(reader2);
    free(project_json);
    free(expected_json);
    assert_int_equal(failures, 0);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (is_dir(argv[i]))
            collect(argv[i]);
    if (n_cases == 0) {
        fprintf(stderr, "test_vectors: no cases found\n");
        return 1;
    }
    struct CMUnitTest *tests = calloc(n_cases, sizeof(*tests));
    for (size_t i = 0; i < n_cases; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    int rc = _cmocka_run_group_tests("vectors", tests, n_cases, NULL, NULL);
    free(tests);
    free(cases);
    return rc;
}
