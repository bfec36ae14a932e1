/* Policy comparison (issue 10): every aggregate of embedsvc_compare equals the sum of single
 * evaluations with embedsvc_evaluate(); line semantics of reference §7; JSON rows (the HTML report
 * is tested with report/, in test_report.c);
 * allocation failure and overflow leave the comparison intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failing_alloc.h"
#include "embedsvc.h"
#include "json.h"

#define NV 16 /* kinds of embedsvc_compare_value */
#define MAX_LINES 512

/* ---- helpers ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}

static embedsvc_policy *load_policy(const char *rel)
{
    char path[1024];
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (!rel) {
        assert_int_equal(embedsvc_policy_default(NULL, &p, &err), EMBEDSVC_OK);
        return p;
    }
    snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, rel);
    if (embedsvc_policy_load_file(path, NULL, &p, &err) != EMBEDSVC_OK)
        fail_msg("%s: %s: %s", path, err.code, err.message);
    return p;
}

/* A portfolio: lines as given to embedsvc_compare_line(). */
typedef struct portfolio {
    char *lines[MAX_LINES];
    size_t n;
} portfolio;

static void add_line(portfolio *pf, const char *s)
{
    assert_true(pf->n < MAX_LINES);
    pf->lines[pf->n] = strdup(s);
    assert_non_null(pf->lines[pf->n]);
    pf->n++;
}

static void add_jsonl(portfolio *pf, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, rel);
    char *data = read_file(path, NULL);
    assert_non_null(data);
    for (char *s = data, *nl; *s; s = nl + 1) {
        nl = strchr(s, '\n');
        if (!nl) {
            add_line(pf, s);
            break;
        }
        *nl = '\0';
        add_line(pf, s);
    }
    free(data);
}

/* Every tests/vectors/<case>/project.json as one line (its newlines are JSON white space). */
static void add_vectors(portfolio *pf)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/tests/vectors", SOURCE_ROOT);
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' && n < 256)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(char *), (int (*)(const void *, const void *))strcmp);
    for (size_t i = 0; i < n; i++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s/project.json", dir, names[i]);
        size_t len;
        char *data = read_file(path, &len);
        free(names[i]);
        if (!data)
            continue;
        for (size_t k = 0; k < len; k++)
            if (data[k] == '\n' || data[k] == '\r')
                data[k] = ' ';
        add_line(pf, data);
        free(data);
    }
}

static void free_portfolio(portfolio *pf)
{
    for (size_t i = 0; i < pf->n; i++)
        free(pf->lines[i]);
    pf->n = 0;
}

/* ---- the oracle: single evaluations, summed independently ---- */

#define MAXP EMBEDSVC_COMPARE_MAX_POLICIES

typedef struct oracle {
    size_t n;
    int64_t lines, projects, errors;
    int64_t totals[MAXP][NV];
    size_t n_districts;
    char *district[MAX_LINES]; /* NULL: no district */
    int64_t dvals[MAX_LINES][MAXP][NV];
    size_t n_changed;
    char *id[MAX_LINES], *name[MAX_LINES];
    size_t cdistrict[MAX_LINES];
    int64_t cline[MAX_LINES];
    int64_t cvals[MAX_LINES][MAXP][NV];
} oracle;

static bool only_space(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || (c >= 0x09 && c <= 0x0D))
            continue;
        if (c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) {
            s += 2;
            continue;
        }
        return false;
    }
    return true;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void oracle_project(oracle *o, const embedsvc_policy *const *pols, const embedsvc_project *pr, int64_t line,
                           bool *ok)
{
    embedsvc_result *r[MAXP];
    int64_t v[MAXP][NV];
    *ok = true;
    for (size_t p = 0; p < o->n; p++) {
        assert_int_equal(embedsvc_result_new(NULL, &r[p]), EMBEDSVC_OK);
        if (embedsvc_evaluate(pols[p], pr, r[p], NULL) != EMBEDSVC_OK)
            *ok = false;
    }
    if (*ok) {
        for (size_t p = 0; p < o->n; p++) {
            int e = embedsvc_result_eligible(r[p]), s = embedsvc_result_subsidy_eligible(r[p]);
            int e0 = embedsvc_result_eligible(r[0]), s0 = embedsvc_result_subsidy_eligible(r[0]);
            int64_t t = embedsvc_result_total_fen(r[p]), t0 = embedsvc_result_total_fen(r[0]);
            v[p][EMBEDSVC_COMPARE_PROJECTS] = 1;
            v[p][EMBEDSVC_COMPARE_ELIGIBLE] = e;
            v[p][EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE] = s;
            v[p][EMBEDSVC_COMPARE_CAPPED] = s && embedsvc_result_capped(r[p]);
            v[p][EMBEDSVC_COMPARE_TOTAL_FEN] = t;
            v[p][EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN] = embedsvc_result_class_amount_fen(r[p], EMBEDSVC_CLASS_BASIC_PUBLIC);
            v[p][EMBEDSVC_COMPARE_INCLUSIVE_FEN] = embedsvc_result_class_amount_fen(r[p], EMBEDSVC_CLASS_INCLUSIVE);
            v[p][EMBEDSVC_COMPARE_COMMERCIAL_FEN] = embedsvc_result_class_amount_fen(r[p], EMBEDSVC_CLASS_COMMERCIAL);
            v[p][EMBEDSVC_COMPARE_LOST_ELIGIBLE] = e0 && !e;
            v[p][EMBEDSVC_COMPARE_GAINED_ELIGIBLE] = !e0 && e;
            v[p][EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE] = s0 && !s;
            v[p][EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE] = !s0 && s;
            v[p][EMBEDSVC_COMPARE_SUBSIDY_DOWN] = t < t0;
            v[p][EMBEDSVC_COMPARE_SUBSIDY_UP] = t > t0;
            v[p][EMBEDSVC_COMPARE_CHANGED] = e != e0 || s != s0 || t != t0;
            v[p][EMBEDSVC_COMPARE_DELTA_FEN] = t - t0;
            /* a project's class amounts add up to its total */
            assert_int_equal(v[p][5] + v[p][6] + v[p][7], t);
        }
    }
    for (size_t p = 0; p < o->n; p++)
        embedsvc_result_free(r[p]);
    if (!*ok)
        return;
    o->projects++;
    const char *district = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISTRICT);
    size_t d = 0;
    while (d < o->n_districts && !(district ? o->district[d] && strcmp(o->district[d], district) == 0 : !o->district[d]))
        d++;
    if (d == o->n_districts)
        o->district[o->n_districts++] = dup_or_null(district);
    bool changed = false;
    for (size_t p = 0; p < o->n; p++)
        for (int k = 0; k < NV; k++) {
            o->totals[p][k] += v[p][k];
            o->dvals[d][p][k] += v[p][k];
            changed |= k == EMBEDSVC_COMPARE_CHANGED && v[p][k];
        }
    if (changed) {
        size_t i = o->n_changed++;
        o->id[i] = strdup(embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_ID));
        o->name[i] = dup_or_null(embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME));
        o->cdistrict[i] = d;
        o->cline[i] = line;
        memcpy(o->cvals[i], v, sizeof(v));
    }
}

static void oracle_lines(oracle *o, const embedsvc_policy *const *pols, const portfolio *pf)
{
    embedsvc_project *pr;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    for (size_t i = 0; i < pf->n; i++) {
        o->lines++;
        char *s = strdup(pf->lines[i]);
        size_t len = strlen(s);
        if (len && s[len - 1] == '\r')
            s[--len] = '\0';
        if (!only_space(s)) {
            bool ok = embedsvc_project_parse(pr, s, len, NULL) == EMBEDSVC_OK;
            if (ok)
                oracle_project(o, pols, pr, o->lines, &ok);
            if (!ok)
                o->errors++;
        }
        free(s);
    }
    embedsvc_project_free(pr);
}

static void oracle_free(oracle *o)
{
    for (size_t d = 0; d < o->n_districts; d++)
        free(o->district[d]);
    for (size_t i = 0; i < o->n_changed; i++) {
        free(o->id[i]);
        free(o->name[i]);
    }
}

static void assert_text_equal(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

/* Every accessor of the comparison against the oracle. */
static void assert_matches(const embedsvc_compare *c, const oracle *o)
{
    assert_int_equal(embedsvc_compare_policy_count(c), o->n);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_LINES), o->lines);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS), o->projects);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS), o->errors);
    for (size_t p = 0; p < o->n; p++)
        for (int k = 0; k < NV; k++)
            if (embedsvc_compare_total(c, p, (embedsvc_compare_value)k) != o->totals[p][k])
                fail_msg("total %s of policy %zu: %lld, single evaluations give %lld", embedsvc_compare_value_name(k), p,
                         (long long)embedsvc_compare_total(c, p, (embedsvc_compare_value)k), (long long)o->totals[p][k]);
    assert_int_equal(embedsvc_compare_district_count(c), o->n_districts);
    for (size_t d = 0; d < o->n_districts; d++) {
        assert_text_equal(embedsvc_compare_district_name(c, d), o->district[d]);
        for (size_t p = 0; p < o->n; p++)
            for (int k = 0; k < NV; k++)
                if (embedsvc_compare_district_value(c, d, p, (embedsvc_compare_value)k) != o->dvals[d][p][k])
                    fail_msg("district %s, policy %zu, %s: %lld, single evaluations give %lld",
                             o->district[d] ? o->district[d] : "(none)", p, embedsvc_compare_value_name(k),
                             (long long)embedsvc_compare_district_value(c, d, p, (embedsvc_compare_value)k),
                             (long long)o->dvals[d][p][k]);
    }
    assert_int_equal(embedsvc_compare_changed_count(c), o->n_changed);
    for (size_t i = 0; i < o->n_changed; i++) {
        assert_text_equal(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID), o->id[i]);
        assert_text_equal(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_NAME), o->name[i]);
        assert_text_equal(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), o->district[o->cdistrict[i]]);
        assert_int_equal(embedsvc_compare_changed_line(c, i), o->cline[i]);
        for (size_t p = 0; p < o->n; p++)
            for (int k = 0; k < NV; k++)
                if (embedsvc_compare_changed_value(c, i, p, (embedsvc_compare_value)k) != o->cvals[i][p][k])
                    fail_msg("project %s, policy %zu, %s: %lld, single evaluation gives %lld", o->id[i], p,
                             embedsvc_compare_value_name(k),
                             (long long)embedsvc_compare_changed_value(c, i, p, (embedsvc_compare_value)k),
                             (long long)o->cvals[i][p][k]);
    }
    /* totals are the sums of the districts */
    for (size_t p = 0; p < o->n; p++)
        for (int k = 0; k < NV; k++) {
            int64_t sum = 0;
            for (size_t d = 0; d < o->n_districts; d++)
                sum += embedsvc_compare_district_value(c, d, p, (embedsvc_compare_value)k);
            assert_int_equal(sum, embedsvc_compare_total(c, p, (embedsvc_compare_value)k));
        }
}

/* ---- fixture: five policies ---- */

static const char *const policy_files[] = {
    NULL, /* the compiled-in default: the baseline */
    "policies/reform-cap-3000wan.json",
    "policies/reform-inclusive-20pct.json",
    "tests/vectors/policies/alt-four-functions.json",
    "tests/vectors/policies/alt-proportional.json",
};
#define NPOL (sizeof(policy_files) / sizeof(policy_files[0]))

typedef struct fixture {
    embedsvc_policy *policies[NPOL];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    for (size_t i = 0; i < NPOL; i++)
        f->policies[i] = load_policy(policy_files[i]);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < NPOL; i++)
        embedsvc_policy_free(f->policies[i]);
    free(f);
    return 0;
}

static const embedsvc_policy *const *pols(fixture *f)
{
    return (const embedsvc_policy *const *)f->policies;
}

/* Runs the portfolio through a comparison and through the oracle, and compares everything. */
static void check_portfolio(fixture *f, size_t n, const portfolio *pf)
{
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), n, NULL, &c), EMBEDSVC_OK);
    for (size_t i = 0; i < pf->n; i++) {
        int rc = embedsvc_compare_line(c, pf->lines[i], strlen(pf->lines[i]), NULL);
        assert_true(rc >= 0 && rc <= 2);
    }
    oracle *o = calloc(1, sizeof(*o));
    o->n = n;
    oracle_lines(o, pols(f), pf);
    assert_matches(c, o);
    oracle_free(o);
    free(o);
    embedsvc_compare_free(c);
}

/* ---- tests ---- */

static void test_example_portfolio_equals_single_evaluations(void **state)
{
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    check_portfolio(*state, NPOL, &pf);
    free_portfolio(&pf);
}

static void test_conformance_projects_equal_single_evaluations(void **state)
{
    portfolio pf = {0};
    add_vectors(&pf);
    assert_true(pf.n > 100);
    check_portfolio(*state, NPOL, &pf);
    free_portfolio(&pf);
}

static void test_every_prefix_of_the_policies(void **state)
{
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    for (size_t n = 1; n <= NPOL; n++)
        check_portfolio(*state, n, &pf);
    free_portfolio(&pf);
}

static void test_example_portfolio_reform_figures(void **state)
{
    /* the figures docs/compare.md shows: the cap of 3000万 binds on one project (2000万 less), and
     * the 20% inclusive maximum makes every project that requests more than 20% ineligible */
    fixture *f = *state;
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), 3, NULL, &c), EMBEDSVC_OK);
    for (size_t i = 0; i < pf.n; i++)
        embedsvc_compare_line(c, pf.lines[i], strlen(pf.lines[i]), NULL);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS), 1);
    assert_int_equal(embedsvc_compare_total(c, 1, EMBEDSVC_COMPARE_DELTA_FEN), -2000000000);
    assert_int_equal(embedsvc_compare_total(c, 1, EMBEDSVC_COMPARE_SUBSIDY_DOWN), 1);
    assert_int_equal(embedsvc_compare_total(c, 1, EMBEDSVC_COMPARE_LOST_ELIGIBLE), 0);
    assert_true(embedsvc_compare_total(c, 2, EMBEDSVC_COMPARE_LOST_ELIGIBLE) > 0);
    assert_int_equal(embedsvc_compare_total(c, 2, EMBEDSVC_COMPARE_GAINED_ELIGIBLE), 0);
    assert_int_equal(embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_DELTA_FEN), 0);
    assert_int_equal(embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_CHANGED), 0);
    embedsvc_compare_free(c);
    free_portfolio(&pf);
}

static const char project_fmt[] =
    "{\"id\":\"%s\",%s\"build_mode\":\"%s\",\"total_investment\":\"%s\",%s\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"%s\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
    "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";

/* A valid project line: total = basic + 2,000,000 yuan. */
static void project_line(char *out, size_t size, const char *id, const char *extra, const char *build_mode,
                         const char *rate, long long basic_yuan)
{
    char total[32], basic[32], ratef[64] = "";
    snprintf(total, sizeof(total), "%lld", basic_yuan + 2000000);
    snprintf(basic, sizeof(basic), "%lld", basic_yuan);
    if (rate)
        snprintf(ratef, sizeof(ratef), "\"inclusive_rate\":\"%s\",", rate);
    snprintf(out, size, project_fmt, id, extra, build_mode, total, ratef, basic);
}

static void test_line_semantics_blank_cr_and_errors(void **state)
{
    fixture *f = *state;
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), 3, NULL, &c), EMBEDSVC_OK);
    char line[2048];
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_compare_line(c, "", 0, &err), 2);
    assert_int_equal(embedsvc_compare_line(c, " \t\xE3\x80\x80\r", 6, &err), 2);
    project_line(line, sizeof(line), "A", "\"district\":\"东城区\",", "renovation", "0.3", 1000000);
    strcat(line, "\r");
    assert_int_equal(embedsvc_compare_line(c, line, strlen(line), &err), 0);
    assert_int_equal(embedsvc_compare_line(c, "{\"id\":", 6, &err), 1);
    assert_string_equal(err.code, "parse.syntax");
    assert_int_equal(embedsvc_compare_line(c, "{\"id\":\"X\"}", 10, &err), 1);
    assert_string_equal(err.code, "parse.missing_field");
    assert_int_equal(embedsvc_compare_line(c, "\xFF", 1, &err), 1);
    assert_string_equal(err.code, "parse.encoding");
    /* a NUL inside the line is not a terminator */
    assert_int_equal(embedsvc_compare_line(c, "{}\0{}", 5, &err), 1);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_LINES), 7);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS), 1);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS), 4);
    /* the project requested 30%: ineligible under the 20% maximum, and recorded at line 3 */
    assert_int_equal(embedsvc_compare_changed_count(c), 1);
    assert_int_equal(embedsvc_compare_changed_line(c, 0), 3);
    assert_int_equal(embedsvc_compare_changed_value(c, 0, 2, EMBEDSVC_COMPARE_LOST_ELIGIBLE), 1);
    assert_int_equal(embedsvc_compare_changed_value(c, 0, 1, EMBEDSVC_COMPARE_CHANGED), 0);
    assert_int_equal(embedsvc_compare_changed_value(c, 0, 2, EMBEDSVC_COMPARE_CHANGED), 1);
    assert_int_equal(embedsvc_compare_changed_value(c, 0, 2, EMBEDSVC_COMPARE_TOTAL_FEN), 0);
    assert_int_equal(embedsvc_compare_changed_value(c, 0, 2, EMBEDSVC_COMPARE_DELTA_FEN),
                     -embedsvc_compare_changed_value(c, 0, 0, EMBEDSVC_COMPARE_TOTAL_FEN));
    embedsvc_compare_free(c);
}

static void test_districts_first_seen_order_and_no_district_group(void **state)
{
    fixture *f = *state;
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), 2, NULL, &c), EMBEDSVC_OK);
    static const char *const districts[] = {"\"district\":\"西城区\",", "", "\"district\":\"东城区\",",
                                            "\"district\":\"西城区\",", "", "\"district\":\"\","};
    char line[2048];
    for (size_t i = 0; i < sizeof(districts) / sizeof(districts[0]); i++) {
        project_line(line, sizeof(line), "P", districts[i], "renovation", NULL, 1000000);
        assert_int_equal(embedsvc_compare_line(c, line, strlen(line), NULL), 0);
    }
    assert_int_equal(embedsvc_compare_district_count(c), 4);
    assert_string_equal(embedsvc_compare_district_name(c, 0), "西城区");
    assert_null(embedsvc_compare_district_name(c, 1));
    assert_string_equal(embedsvc_compare_district_name(c, 2), "东城区");
    assert_string_equal(embedsvc_compare_district_name(c, 3), ""); /* an empty district is a name */
    assert_int_equal(embedsvc_compare_district_value(c, 0, 0, EMBEDSVC_COMPARE_PROJECTS), 2);
    assert_int_equal(embedsvc_compare_district_value(c, 1, 1, EMBEDSVC_COMPARE_PROJECTS), 2);
    assert_int_equal(embedsvc_compare_district_value(c, 2, 0, EMBEDSVC_COMPARE_PROJECTS), 1);
    assert_null(embedsvc_compare_district_name(c, 4));
    assert_int_equal(embedsvc_compare_district_value(c, 4, 0, EMBEDSVC_COMPARE_PROJECTS), -1);
    embedsvc_compare_free(c);
}

static void test_many_districts_grow_the_table(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    char line[2048], extra[64], id[16];
    for (int i = 0; i < 300; i++) {
        snprintf(extra, sizeof(extra), "\"district\":\"D%d\",", i % 150);
        snprintf(id, sizeof(id), "P%d", i);
        project_line(line, sizeof(line), id, extra, i % 3 ? "renovation" : "other", i % 2 ? "0.25" : NULL,
                     1000000 + i * 500000LL);
        add_line(&pf, line);
    }
    check_portfolio(f, NPOL, &pf);
    free_portfolio(&pf);
}

static void test_same_policy_twice_changes_nothing(void **state)
{
    fixture *f = *state;
    const embedsvc_policy *twice[2] = {f->policies[0], f->policies[0]};
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(twice, 2, NULL, &c), EMBEDSVC_OK);
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    for (size_t i = 0; i < pf.n; i++)
        embedsvc_compare_line(c, pf.lines[i], strlen(pf.lines[i]), NULL);
    assert_int_equal(embedsvc_compare_changed_count(c), 0);
    for (int k = 0; k < EMBEDSVC_COMPARE_LOST_ELIGIBLE; k++)
        assert_int_equal(embedsvc_compare_total(c, 0, (embedsvc_compare_value)k),
                         embedsvc_compare_total(c, 1, (embedsvc_compare_value)k));
    for (int k = EMBEDSVC_COMPARE_LOST_ELIGIBLE; k < NV; k++)
        assert_int_equal(embedsvc_compare_total(c, 1, (embedsvc_compare_value)k), 0);
    embedsvc_compare_free(c);
    free_portfolio(&pf);
}

static void test_compare_project_matches_lines(void **state)
{
    fixture *f = *state;
    embedsvc_compare *a = NULL, *b = NULL;
    embedsvc_project *pr = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), NPOL, NULL, &a), EMBEDSVC_OK);
    assert_int_equal(embedsvc_compare_new(pols(f), NPOL, NULL, &b), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    for (size_t i = 0; i < pf.n; i++) {
        size_t len = strlen(pf.lines[i]);
        int rc = embedsvc_compare_line(a, pf.lines[i], len, NULL);
        if (rc == 0) {
            assert_int_equal(embedsvc_project_parse(pr, pf.lines[i], len, NULL), EMBEDSVC_OK);
            assert_int_equal(embedsvc_compare_project(b, pr, NULL), EMBEDSVC_OK);
        }
    }
    for (size_t p = 0; p < NPOL; p++)
        for (int k = 0; k < NV; k++)
            assert_int_equal(embedsvc_compare_total(a, p, (embedsvc_compare_value)k),
                             embedsvc_compare_total(b, p, (embedsvc_compare_value)k));
    assert_int_equal(embedsvc_compare_changed_count(a), embedsvc_compare_changed_count(b));
    assert_true(embedsvc_compare_changed_count(b) > 0);
    assert_int_equal(embedsvc_compare_changed_line(b, 0), 0);
    assert_true(embedsvc_compare_changed_line(a, 0) > 0);
    /* a built project without its required fields cannot be evaluated: nothing is added */
    embedsvc_project_clear(pr);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_compare_project(b, pr, &err), EMBEDSVC_EPARSE);
    assert_string_equal(err.code, "parse.missing_field");
    assert_int_equal(embedsvc_compare_stat(b, EMBEDSVC_COMPARE_STAT_PROJECTS),
                     embedsvc_compare_stat(a, EMBEDSVC_COMPARE_STAT_PROJECTS));
    embedsvc_project_free(pr);
    embedsvc_compare_free(a);
    embedsvc_compare_free(b);
    free_portfolio(&pf);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    embedsvc_compare *c = (embedsvc_compare *)1;
    const embedsvc_policy *many[EMBEDSVC_COMPARE_MAX_POLICIES + 1];
    for (size_t i = 0; i <= EMBEDSVC_COMPARE_MAX_POLICIES; i++)
        many[i] = f->policies[0];
    assert_int_equal(embedsvc_compare_new(pols(f), 0, NULL, &c), EMBEDSVC_EINVAL);
    assert_null(c);
    assert_int_equal(embedsvc_compare_new(many, EMBEDSVC_COMPARE_MAX_POLICIES + 1, NULL, &c), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_new(many, EMBEDSVC_COMPARE_MAX_POLICIES, NULL, &c), EMBEDSVC_OK);
    embedsvc_compare_free(c);
    const embedsvc_policy *with_null[2] = {f->policies[0], NULL};
    assert_int_equal(embedsvc_compare_new(with_null, 2, NULL, &c), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_new(NULL, 1, NULL, &c), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_new(pols(f), 1, NULL, NULL), EMBEDSVC_EINVAL);
    embedsvc_allocator incomplete = EMBEDSVC_ALLOCATOR_INIT(NULL, NULL, NULL, NULL);
    assert_int_equal(embedsvc_compare_new(pols(f), 1, &incomplete, &c), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_new(pols(f), 2, NULL, &c), EMBEDSVC_OK);
    assert_int_equal(embedsvc_compare_line(NULL, "{}", 2, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_line(c, NULL, 2, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_line(c, NULL, 0, NULL), 2); /* an empty line */
    assert_int_equal(embedsvc_compare_project(c, NULL, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_total(c, 2, EMBEDSVC_COMPARE_PROJECTS), -1);
    assert_int_equal(embedsvc_compare_total(c, 0, (embedsvc_compare_value)NV), -1);
    assert_int_equal(embedsvc_compare_total(NULL, 0, EMBEDSVC_COMPARE_PROJECTS), -1);
    assert_int_equal(embedsvc_compare_stat(c, (embedsvc_compare_stat_kind)3), -1);
    assert_null(embedsvc_compare_policy(c, 2));
    assert_ptr_equal(embedsvc_compare_policy(c, 1), f->policies[1]);
    assert_null(embedsvc_compare_changed_text(c, 0, EMBEDSVC_FIELD_ID));
    assert_int_equal(embedsvc_compare_changed_line(c, 0), -1);
    assert_int_equal(embedsvc_compare_changed_value(c, 0, 0, EMBEDSVC_COMPARE_PROJECTS), -1);
    assert_string_equal(embedsvc_compare_value_name(EMBEDSVC_COMPARE_TOTAL_FEN), "total_fen");
    assert_string_equal(embedsvc_compare_value_name(EMBEDSVC_COMPARE_DELTA_FEN), "delta_fen");
    assert_null(embedsvc_compare_value_name((embedsvc_compare_value)NV));
    assert_null(embedsvc_compare_value_name((embedsvc_compare_value)-1));
    const char *out;
    assert_int_equal(embedsvc_compare_to_json(c, NULL, NULL, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_to_json(NULL, &out, NULL, NULL), EMBEDSVC_EINVAL);
    embedsvc_compare_free(c);
    embedsvc_compare_free(NULL);
}

/* ---- JSON ---- */

static const esv_jval *member(const esv_jval *obj, const char *key)
{
    const esv_jval *v = esv_json_get(obj, key);
    if (!v)
        fail_msg("no member %s", key);
    return v;
}

static int64_t jint(const esv_jval *obj, const char *key)
{
    const esv_jval *v = member(obj, key);
    if (v->type == ESV_JTRUE)
        return 1;
    if (v->type == ESV_JFALSE)
        return 0;
    assert_int_equal(v->type, ESV_JNUMBER);
    char tmp[32];
    assert_true(v->len < sizeof(tmp));
    memcpy(tmp, v->str, v->len);
    tmp[v->len] = '\0';
    return strtoll(tmp, NULL, 10);
}

static void test_json_rows_match_the_accessors(void **state)
{
    fixture *f = *state;
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), 3, NULL, &c), EMBEDSVC_OK);
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    char line[2048];
    project_line(line, sizeof(line), "Q\\\"<&>\\\\", "\"district\":\"\\u0001\\\"x\",", "new", "0.3", 7000000);
    add_line(&pf, line);
    for (size_t i = 0; i < pf.n; i++)
        embedsvc_compare_line(c, pf.lines[i], strlen(pf.lines[i]), NULL);
    const char *json, *again;
    size_t len, len2;
    assert_int_equal(embedsvc_compare_to_json(c, &json, &len, NULL), EMBEDSVC_OK);
    assert_int_equal(strlen(json), len);
    assert_null(memchr(json, '\n', len));
    char *copy = strdup(json);
    assert_int_equal(embedsvc_compare_to_json(c, &again, &len2, NULL), EMBEDSVC_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(copy, again, len); /* deterministic */

    esv_alloc al;
    esv_alloc_init(&al, NULL);
    esv_json *parser = esv_json_new(&al);
    const esv_jval *root;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (esv_json_parse(parser, copy, len, &root, &err) != EMBEDSVC_OK)
        fail_msg("compare JSON does not parse: %s at %u:%u", err.message, err.line, err.column);
    const esv_jval *schema = member(root, "schema");
    assert_string_equal(schema->str, "embedsvc.compare/1");
    assert_int_equal(jint(root, "projects"), embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS));
    assert_int_equal(jint(root, "errors"), 1);
    assert_int_equal(jint(root, "lines"), embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_LINES));
    const esv_jval *policies = member(root, "policies");
    assert_int_equal(policies->len, 3);
    assert_string_equal(member(policies->child, "id")->str, "beijing-2024-trial");
    assert_int_equal(member(policies->child, "baseline")->type, ESV_JTRUE);

    const esv_jval *totals = member(root, "totals");
    assert_int_equal(totals->len, 3);
    size_t p = 0;
    for (const esv_jval *row = totals->child; row; row = row->next, p++) {
        assert_int_equal(jint(row, "policy_index"), p);
        for (int k = 0; k < NV; k++)
            assert_int_equal(jint(row, embedsvc_compare_value_name(k)),
                             embedsvc_compare_total(c, p, (embedsvc_compare_value)k));
    }
    const esv_jval *districts = member(root, "districts");
    assert_int_equal(districts->len, embedsvc_compare_district_count(c) * 3);
    size_t i = 0;
    for (const esv_jval *row = districts->child; row; row = row->next, i++) {
        size_t d = i / 3;
        p = i % 3;
        const char *name = embedsvc_compare_district_name(c, d);
        const esv_jval *dn = member(row, "district");
        if (name)
            assert_string_equal(dn->str, name);
        else
            assert_int_equal(dn->type, ESV_JNULL);
        for (int k = 0; k < NV; k++)
            assert_int_equal(jint(row, embedsvc_compare_value_name(k)),
                             embedsvc_compare_district_value(c, d, p, (embedsvc_compare_value)k));
    }
    const esv_jval *changes = member(root, "changes");
    assert_int_equal(changes->len, embedsvc_compare_changed_count(c) * 3);
    i = 0;
    for (const esv_jval *row = changes->child; row; row = row->next, i++) {
        size_t k0 = i / 3;
        p = i % 3;
        assert_string_equal(member(row, "project_id")->str, embedsvc_compare_changed_text(c, k0, EMBEDSVC_FIELD_ID));
        assert_int_equal(jint(row, "line"), embedsvc_compare_changed_line(c, k0));
        assert_null(esv_json_get(row, "projects"));
        assert_int_equal(member(row, "eligible")->type,
                         embedsvc_compare_changed_value(c, k0, p, EMBEDSVC_COMPARE_ELIGIBLE) ? ESV_JTRUE : ESV_JFALSE);
        for (int k = 1; k < NV; k++)
            assert_int_equal(jint(row, embedsvc_compare_value_name(k)),
                             embedsvc_compare_changed_value(c, k0, p, (embedsvc_compare_value)k));
    }
    /* the escaped id and district came through */
    const esv_jval *last = changes->child;
    while (last->next)
        last = last->next;
    assert_string_equal(member(last, "project_id")->str, "Q\"<&>\\");
    assert_string_equal(member(last, "district")->str, "\x01\"x");
    esv_json_free(parser);
    free(copy);
    embedsvc_compare_free(c);
    free_portfolio(&pf);
}

/* ---- failures ---- */

/* the shared failing allocator: tests/support/failing_alloc.h */

static void test_allocation_failure_is_reported_and_leaks_nothing(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    add_jsonl(&pf, "examples/projects/portfolio.jsonl");
    char line[2048], id[16], extra[64];
    for (int i = 0; i < 80; i++) { /* enough districts and changes to grow every array */
        snprintf(id, sizeof(id), "P%d", i);
        snprintf(extra, sizeof(extra), "\"district\":\"D%d\",\"name\":\"N%d\",", i, i);
        project_line(line, sizeof(line), id, extra, "renovation", "0.3", 1000000);
        add_line(&pf, line);
    }
    bool done = false;
    for (long n = 1; !done; n++) {
        failing fa = {0};
        failing_arm(&fa, (size_t)n);
        embedsvc_allocator al = failing_allocator(&fa);
        embedsvc_compare *c = NULL;
        int rc = embedsvc_compare_new(pols(f), 3, &al, &c);
        bool failed = rc == EMBEDSVC_ENOMEM;
        if (!failed) {
            assert_int_equal(rc, EMBEDSVC_OK);
            for (size_t i = 0; i < pf.n && !failed; i++) {
                int64_t before = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
                size_t changed = embedsvc_compare_changed_count(c), districts = embedsvc_compare_district_count(c);
                int64_t total = embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_TOTAL_FEN);
                rc = embedsvc_compare_line(c, pf.lines[i], strlen(pf.lines[i]), NULL);
                if (rc == EMBEDSVC_ENOMEM) {
                    /* nothing of the line was added */
                    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS), before);
                    assert_int_equal(embedsvc_compare_changed_count(c), changed);
                    assert_int_equal(embedsvc_compare_district_count(c), districts);
                    assert_int_equal(embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_TOTAL_FEN), total);
                    failed = true;
                }
                assert_true(rc >= 0 || failed);
            }
            const char *out;
            if (!failed) {
                rc = embedsvc_compare_to_json(c, &out, NULL, NULL);
                failed = rc == EMBEDSVC_ENOMEM;
                assert_true(rc == EMBEDSVC_OK || failed);
            }
            if (!failed) {
                assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS), 110);
                done = true;
            }
            embedsvc_compare_free(c);
        }
        assert_int_equal(fa.live, 0);
        assert_true(n < 100000);
    }
    free_portfolio(&pf);
}

/* Replaces the first occurrence of `from` in s (room for the result is the caller's). */
static void replace(char *s, const char *from, const char *to)
{
    char *at = strstr(s, from);
    assert_non_null(at);
    memmove(at + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
    memcpy(at, to, strlen(to));
}

static void test_overflowing_total_is_erange_and_changes_nothing(void **state)
{
    (void)state;
    /* a policy that pays 100% of everything with no cap: 10^14 fen for the largest project */
    size_t len;
    const char *def = embedsvc_policy_default_json(&len);
    char *text = malloc(len + 64);
    memcpy(text, def, len + 1);
    replace(text, "\"cap_fen\": 5000000000", "\"cap_fen\": null");
    replace(text, "\"rate_bp\": 0,", "\"rate_bp\": 10000,");
    embedsvc_policy *pol = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_load_buffer(text, strlen(text), NULL, &pol, &err) != EMBEDSVC_OK)
        fail_msg("%s: %s at %s", err.code, err.message, err.path);
    free(text);
    static const char big[] =
        "{\"id\":\"BIG\",\"build_mode\":\"new\",\"total_investment\":\"1000000000000\",\"functions\":["
        "{\"scenario\":\"elderly_care\",\"service_class\":\"commercial\",\"investment\":\"400000000000\"},"
        "{\"scenario\":\"community_meals\",\"investment\":\"300000000000\"},"
        "{\"scenario\":\"child_care\",\"investment\":\"300000000000\"}]}";
    embedsvc_compare *c = NULL;
    const embedsvc_policy *one[1] = {pol};
    assert_int_equal(embedsvc_compare_new(one, 1, NULL, &c), EMBEDSVC_OK);
    int64_t per = 0;
    int rc;
    long added = 0;
    while ((rc = embedsvc_compare_line(c, big, strlen(big), &err)) == 0) {
        if (!per)
            per = embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_TOTAL_FEN);
        added++;
    }
    assert_int_equal(per, 100000000000000LL);
    assert_int_equal(rc, EMBEDSVC_ERANGE);
    assert_string_equal(err.code, "compare.overflow");
    assert_int_equal(added, INT64_MAX / per);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS), added);
    assert_int_equal(embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_TOTAL_FEN), added * per);
    assert_int_equal(embedsvc_compare_district_value(c, 0, 0, EMBEDSVC_COMPARE_TOTAL_FEN), added * per);
    /* merging one more such project overflows the same way, and changes nothing */
    embedsvc_compare *one_more = NULL;
    assert_int_equal(embedsvc_compare_new(one, 1, NULL, &one_more), EMBEDSVC_OK);
    embedsvc_line line = {.number = added + 2, .text = big, .len = strlen(big), .kind = EMBEDSVC_LINE_TEXT};
    assert_int_equal(embedsvc_compare_framed(one_more, &line, NULL), 0);
    err = (embedsvc_error)EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_compare_merge(c, one_more, &err), EMBEDSVC_ERANGE);
    assert_string_equal(err.code, "compare.overflow");
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS), added);
    assert_int_equal(embedsvc_compare_total(c, 0, EMBEDSVC_COMPARE_TOTAL_FEN), added * per);
    assert_int_equal(embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_LINES), added + 1);
    embedsvc_compare_free(one_more);
    embedsvc_compare_free(c);
    embedsvc_policy_free(pol);
}

/* ---- merging ---- */

/* Line i of pf (numbered i + 1) into c, as a line reader would hand it out. */
static int add_framed(embedsvc_compare *c, const portfolio *pf, size_t i)
{
    embedsvc_line line = {.number = (int64_t)i + 1, .text = pf->lines[i]};
    line.kind = embedsvc_line_examine(pf->lines[i], strlen(pf->lines[i]), 0, &line.len);
    return embedsvc_compare_framed(c, &line, NULL);
}

/* Lines [from, to) of pf into c. */
static void add_range(embedsvc_compare *c, const portfolio *pf, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < pf->n; i++)
        assert_true(add_framed(c, pf, i) >= 0);
}

/* A comparison of the fixture's first n policies. */
static embedsvc_compare *new_compare(fixture *f, size_t n)
{
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), n, NULL, &c), EMBEDSVC_OK);
    return c;
}

static char *json_of(embedsvc_compare *c)
{
    const char *json;
    size_t len;
    assert_int_equal(embedsvc_compare_to_json(c, &json, &len, NULL), EMBEDSVC_OK);
    return strndup(json, len);
}

/* A portfolio with errors, blank lines, districts seen again and anew, and no district. */
static void merge_portfolio(portfolio *pf)
{
    add_jsonl(pf, "examples/projects/portfolio.jsonl");
    add_vectors(pf);
    char line[2048], id[16], extra[64];
    for (int i = 0; i < 60; i++) {
        snprintf(id, sizeof(id), "M%d", i);
        snprintf(extra, sizeof(extra), i % 4 ? "\"district\":\"D%d\",\"name\":\"N%d\"," : "", i % 9, i);
        project_line(line, sizeof(line), id, extra, i % 3 ? "renovation" : "new", i % 2 ? "0.3" : "0.1",
                     1000000 + 7919 * i);
        add_line(pf, line);
        if (i % 13 == 0)
            add_line(pf, i % 26 ? "  " : "{\"id\":");
    }
}

static void test_merged_parts_equal_the_whole(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    merge_portfolio(&pf);
    embedsvc_compare *whole = new_compare(f, NPOL);
    add_range(whole, &pf, 0, pf.n);
    char *want = json_of(whole);
    /* cut into parts of every size from 1 line to all of them (the last part shorter) */
    for (size_t size = 1; size <= pf.n; size += size < 8 ? 1 : 37) {
        embedsvc_compare *m = new_compare(f, NPOL);
        embedsvc_compare *reused = new_compare(f, NPOL); /* every other size: one reset for each part */
        for (size_t from = 0; from < pf.n; from += size) {
            embedsvc_compare *part = size % 2 ? new_compare(f, NPOL) : reused;
            embedsvc_compare_reset(part); /* nothing to forget in a new one */
            add_range(part, &pf, from, from + size);
            assert_int_equal(embedsvc_compare_merge(m, part, NULL), EMBEDSVC_OK);
            if (part != reused)
                embedsvc_compare_free(part);
        }
        embedsvc_compare_free(reused);
        for (int k = 0; k < 3; k++)
            assert_int_equal(embedsvc_compare_stat(m, k), embedsvc_compare_stat(whole, k));
        char *got = json_of(m);
        assert_text_equal(got, want);
        free(got);
        embedsvc_compare_free(m);
    }
    free(want);
    embedsvc_compare_free(whole);
    free_portfolio(&pf);
}

static void test_reset_forgets_everything_added(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    merge_portfolio(&pf);
    size_t half = pf.n / 2;
    embedsvc_compare *reused = new_compare(f, NPOL), *fresh = new_compare(f, NPOL);
    char *empty = json_of(fresh);
    add_range(reused, &pf, half, pf.n); /* the second half first: other districts, later lines */
    embedsvc_compare_reset(reused);
    embedsvc_compare_reset(NULL);
    for (int k = 0; k < 3; k++)
        assert_int_equal(embedsvc_compare_stat(reused, k), 0);
    assert_int_equal(embedsvc_compare_district_count(reused), 0);
    assert_int_equal(embedsvc_compare_changed_count(reused), 0);
    char *got = json_of(reused);
    assert_text_equal(got, empty);
    free(got);
    for (size_t i = 0; i < half; i++) /* line numbers from 1 again */
        assert_int_equal(add_framed(reused, &pf, i), add_framed(fresh, &pf, i));
    got = json_of(reused);
    char *want = json_of(fresh);
    assert_text_equal(got, want);
    free(got);
    free(want);
    free(empty);
    embedsvc_compare_free(reused);
    embedsvc_compare_free(fresh);
    free_portfolio(&pf);
}

static void test_merge_bad_arguments_change_nothing(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    merge_portfolio(&pf);
    embedsvc_compare *a = new_compare(f, NPOL), *b = new_compare(f, NPOL), *fewer = new_compare(f, NPOL - 1);
    embedsvc_compare *other = NULL;
    const embedsvc_policy *swapped[NPOL];
    for (size_t p = 0; p < NPOL; p++)
        swapped[p] = f->policies[NPOL - 1 - p];
    assert_int_equal(embedsvc_compare_new(swapped, NPOL, NULL, &other), EMBEDSVC_OK);
    add_range(a, &pf, 0, 20);
    add_range(other, &pf, 20, 40);
    add_range(fewer, &pf, 20, 40);
    add_range(b, &pf, 10, 30); /* lines 11 to 30: not all after line 20 of a */
    char *before = json_of(a);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_compare_merge(NULL, b, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_merge(a, NULL, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_merge(a, a, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_merge(a, b, &err), EMBEDSVC_EINVAL);
    assert_string_equal(err.code, "api.invalid");
    assert_int_equal(embedsvc_compare_merge(a, other, &err), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_merge(a, fewer, &err), EMBEDSVC_EINVAL);
    char *after = json_of(a);
    assert_text_equal(after, before);
    assert_int_equal(embedsvc_compare_stat(a, EMBEDSVC_COMPARE_STAT_LINES), 20);
    /* a comparison of built projects (no lines) may follow any */
    embedsvc_compare *built = new_compare(f, NPOL);
    embedsvc_project *pr = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, pf.lines[0], strlen(pf.lines[0]), NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_compare_project(built, pr, NULL), EMBEDSVC_OK);
    int64_t projects = embedsvc_compare_stat(a, EMBEDSVC_COMPARE_STAT_PROJECTS);
    assert_int_equal(embedsvc_compare_merge(a, built, &err), EMBEDSVC_OK);
    assert_int_equal(embedsvc_compare_stat(a, EMBEDSVC_COMPARE_STAT_PROJECTS), projects + 1);
    assert_int_equal(embedsvc_compare_stat(a, EMBEDSVC_COMPARE_STAT_LINES), 20);
    embedsvc_project_free(pr);
    free(before);
    free(after);
    embedsvc_compare_free(built);
    embedsvc_compare_free(a);
    embedsvc_compare_free(b);
    embedsvc_compare_free(other);
    embedsvc_compare_free(fewer);
    free_portfolio(&pf);
}

static void test_merge_allocation_failure_changes_nothing_and_leaks_nothing(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    merge_portfolio(&pf);
    size_t half = pf.n / 2;
    embedsvc_compare *whole = new_compare(f, NPOL), *part = new_compare(f, NPOL);
    add_range(whole, &pf, 0, pf.n);
    add_range(part, &pf, half, pf.n);
    char *want = json_of(whole);
    bool done = false;
    for (long n = 1; !done; n++) {
        failing fa = {0};
        embedsvc_allocator al = failing_allocator(&fa);
        embedsvc_compare *m = NULL;
        assert_int_equal(embedsvc_compare_new(pols(f), NPOL, &al, &m), EMBEDSVC_OK);
        add_range(m, &pf, 0, half);
        char *before = json_of(m);
        failing_arm(&fa, (size_t)n); /* the n-th allocation from here on fails */
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = embedsvc_compare_merge(m, part, &err);
        failing_disarm(&fa);
        if (rc == EMBEDSVC_ENOMEM) {
            assert_string_equal(err.code, "compare.nomem");
            char *after = json_of(m);
            assert_text_equal(after, before);
            free(after);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
            char *got = json_of(m);
            assert_text_equal(got, want);
            free(got);
            done = true;
        }
        free(before);
        embedsvc_compare_free(m);
        assert_int_equal(fa.live, 0);
        assert_true(n < 10000);
    }
    free(want);
    embedsvc_compare_free(whole);
    embedsvc_compare_free(part);
    free_portfolio(&pf);
}

/* ---- the JSON in pieces ---- */

/* A portfolio whose JSON is several pieces long: changed projects with long Chinese names (so that
 * a piece would end inside a character if it were cut by size), districts and a group without. */
static void pieces_portfolio(portfolio *pf)
{
    char line[4096], id[16], extra[1024];
    for (int i = 0; i < 450; i++) {
        snprintf(id, sizeof(id), "Q%d", i);
        int at = snprintf(extra, sizeof(extra), i % 5 ? "\"district\":\"区%d\",\"name\":\"" : "\"name\":\"", i % 7);
        for (int k = 0; k < 40; k++) /* 120 bytes of UTF-8 */
            at += snprintf(extra + at, sizeof(extra) - (size_t)at, "社");
        snprintf(extra + at, sizeof(extra) - (size_t)at, "%d\",", i);
        project_line(line, sizeof(line), id, extra, i % 3 ? "renovation" : "new", i % 2 ? "0.3" : "0.1",
                     1000000 + 7919 * i);
        add_line(pf, line);
    }
}

/* The pieces of c's JSON from position 0 up to the empty one, joined; *count receives how many
 * there were. Each is NUL-terminated, valid UTF-8 and ends at the end of a row or of a list's
 * opening. */
static char *pieces_of(embedsvc_compare *c, size_t *count)
{
    size_t len = 0, cap = 1;
    char *all = malloc(cap);
    assert_non_null(all);
    *count = 0;
    uint64_t at = 0;
    for (;;) {
        const char *piece = NULL;
        size_t n = 12345;
        uint64_t was = at;
        assert_int_equal(embedsvc_compare_to_json_next(c, &at, &piece, &n, NULL), EMBEDSVC_OK);
        assert_non_null(piece);
        if (!n) {
            assert_true(at == was); /* the end stays the end */
            break;
        }
        assert_true(at != was);
        assert_int_equal(strlen(piece), n);
        assert_int_equal(esv_utf8_valid_prefix(piece, n), n);
        assert_true(piece[n - 1] == '}' || piece[n - 1] == '[');
        while (cap < len + n + 1)
            cap *= 2;
        all = realloc(all, cap);
        assert_non_null(all);
        memcpy(all + len, piece, n);
        len += n;
        ++*count;
    }
    all[len] = '\0';
    return all;
}

static void test_json_pieces_are_the_document(void **state)
{
    fixture *f = *state;
    embedsvc_compare *c = new_compare(f, NPOL);
    size_t count;
    char *want = json_of(c), *got = pieces_of(c, &count); /* nothing added: one piece */
    assert_int_equal(count, 1);
    assert_text_equal(got, want);
    free(got);
    free(want);
    portfolio pf = {0};
    pieces_portfolio(&pf);
    add_range(c, &pf, 0, pf.n - 1);
    assert_true(embedsvc_compare_changed_count(c) > 300);
    want = json_of(c);
    got = pieces_of(c, &count);
    assert_true(count >= 4); /* about 256 KiB each */
    assert_true(strlen(want) > 3 * (256 << 10));
    assert_text_equal(got, want);
    free(got);
    /* two positions in use at once, and embedsvc_compare_to_json() between their pieces */
    uint64_t a = 0, b = 0;
    const char *piece;
    size_t n, from_a = 0, from_b = 0;
    for (int k = 0; k < 3; k++) {
        assert_int_equal(embedsvc_compare_to_json_next(c, &a, &piece, &n, NULL), EMBEDSVC_OK);
        assert_true(n > 0 && memcmp(piece, want + from_a, n) == 0);
        from_a += n;
        if (k < 2) {
            assert_int_equal(embedsvc_compare_to_json_next(c, &b, &piece, &n, NULL), EMBEDSVC_OK);
            assert_true(n > 0 && memcmp(piece, want + from_b, n) == 0);
            from_b += n;
        }
        free(json_of(c));
    }
    assert_true(from_a > from_b);
    /* a line added after a piece: its position is refused, and 0 gives the new document */
    assert_true(add_framed(c, &pf, pf.n - 1) >= 0);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    uint64_t kept = a;
    assert_int_equal(embedsvc_compare_to_json_next(c, &a, &piece, &n, &err), EMBEDSVC_ESTATE);
    assert_string_equal(err.code, "compare.changed");
    assert_true(a == kept && n == 0 && piece == NULL);
    free(want);
    want = json_of(c);
    got = pieces_of(c, &count);
    assert_text_equal(got, want);
    free(got);
    /* so is one after a reset, and one after a merge */
    uint64_t r = 0;
    assert_int_equal(embedsvc_compare_to_json_next(c, &r, &piece, &n, NULL), EMBEDSVC_OK);
    embedsvc_compare *empty = new_compare(f, NPOL);
    assert_int_equal(embedsvc_compare_merge(c, empty, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_compare_to_json_next(c, &r, &piece, &n, NULL), EMBEDSVC_ESTATE);
    r = 0;
    assert_int_equal(embedsvc_compare_to_json_next(c, &r, &piece, &n, NULL), EMBEDSVC_OK);
    embedsvc_compare_reset(c);
    assert_int_equal(embedsvc_compare_to_json_next(c, &r, &piece, &n, NULL), EMBEDSVC_ESTATE);
    free(want);
    want = json_of(empty);
    got = pieces_of(c, &count);
    assert_int_equal(count, 1);
    assert_text_equal(got, want);
    free(got);
    free(want);
    /* bad arguments; a position past the end */
    uint64_t at = 0;
    assert_int_equal(embedsvc_compare_to_json_next(NULL, &at, &piece, &n, &err), EMBEDSVC_EINVAL);
    assert_string_equal(err.code, "api.invalid");
    assert_int_equal(embedsvc_compare_to_json_next(c, NULL, &piece, &n, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_to_json_next(c, &at, NULL, &n, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_to_json_next(c, &at, &piece, NULL, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_compare_to_json_next(c, &at, &piece, &n, NULL), EMBEDSVC_OK);
    at += 1000;
    assert_int_equal(embedsvc_compare_to_json_next(c, &at, &piece, &n, NULL), EMBEDSVC_EINVAL);
    embedsvc_compare_free(empty);
    embedsvc_compare_free(c);
    free_portfolio(&pf);
}

/* Each allocation the pieces make fails once: the call is ENOMEM and the next gives the same piece,
 * and the document is never held whole. */
static void test_json_pieces_allocation_failure_gives_the_piece_again(void **state)
{
    fixture *f = *state;
    portfolio pf = {0};
    pieces_portfolio(&pf);
    embedsvc_compare *plain = new_compare(f, NPOL);
    add_range(plain, &pf, 0, pf.n);
    char *want = json_of(plain);
    size_t want_len = strlen(want);
    embedsvc_compare_free(plain);
    failing fa = {0};
    embedsvc_allocator al = failing_allocator(&fa);
    embedsvc_compare *c = NULL;
    assert_int_equal(embedsvc_compare_new(pols(f), NPOL, &al, &c), EMBEDSVC_OK);
    add_range(c, &pf, 0, pf.n);
    size_t before = fa.bytes, len = 0, failures = 0;
    fa.peak = fa.bytes;
    char *got = malloc(want_len + 1);
    assert_non_null(got);
    uint64_t at = 0;
    for (;;) {
        const char *piece;
        size_t n;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        uint64_t was = at;
        failing_arm(&fa, 1); /* the next allocation fails */
        int rc = embedsvc_compare_to_json_next(c, &at, &piece, &n, &err);
        failing_disarm(&fa);
        if (rc == EMBEDSVC_ENOMEM) {
            assert_string_equal(err.code, "compare.nomem");
            assert_true(at == was);
            failures++;
            assert_int_equal(embedsvc_compare_to_json_next(c, &at, &piece, &n, NULL), EMBEDSVC_OK);
        } else {
            assert_int_equal(rc, EMBEDSVC_OK);
        }
        if (!n)
            break;
        assert_true(len + n <= want_len);
        memcpy(got + len, piece, n);
        len += n;
    }
    got[len] = '\0';
    assert_true(failures > 0);
    assert_text_equal(got, want);
    assert_true(fa.peak - before < want_len / 2);
    free(got);
    free(want);
    embedsvc_compare_free(c);
    assert_int_equal(fa.live, 0);
    free_portfolio(&pf);
}

/* The members that name a changed project are written once and copied into its other rows: with a
 * name and a district of 4,000 control characters each (24 KB each, escaped), most of the
 * document's growth is in those copies. Every allocation of writing it (whole, and in pieces)
 * fails in turn: ENOMEM, nothing leaked, and the same text once it succeeds. */
static void test_json_copied_members_allocation_failure(void **state)
{
    fixture *f = *state;
    size_t size = 64 << 10;
    char *extra = malloc(size), *line = malloc(size + 4096);
    assert_non_null(extra);
    assert_non_null(line);
    size_t at = 0;
    for (int member = 0; member < 2; member++) {
        at += (size_t)sprintf(extra + at, member ? "\"name\":\"" : "\"district\":\"");
        for (int k = 0; k < 4000; k++)
            at += (size_t)sprintf(extra + at, "\\u0001");
        at += (size_t)sprintf(extra + at, "\",");
    }
    project_line(line, size + 4096, "BIG", extra, "renovation", "0.3", 1000000);
    embedsvc_compare *plain = new_compare(f, NPOL);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc0 = embedsvc_compare_line(plain, line, strlen(line), &err);
    if (rc0 != 0)
        fail_msg("%s: %s", err.code, err.message);
    assert_int_equal(embedsvc_compare_changed_count(plain), 1);
    char *want = json_of(plain);
    embedsvc_compare_free(plain);
    for (int pieces = 0; pieces < 2; pieces++) {
        bool done = false;
        for (size_t n = 1; !done; n++) {
            failing fa = {0};
            embedsvc_allocator al = failing_allocator(&fa);
            embedsvc_compare *c = NULL;
            assert_int_equal(embedsvc_compare_new(pols(f), NPOL, &al, &c), EMBEDSVC_OK);
            assert_int_equal(embedsvc_compare_line(c, line, strlen(line), NULL), 0);
            failing_arm(&fa, n);
            const char *json = NULL;
            size_t len = 0, got = 0;
            int rc;
            if (pieces) { /* the pieces in turn, each where the last ended, until the empty one */
                uint64_t pos = 0, was;
                do {
                    was = pos;
                    rc = embedsvc_compare_to_json_next(c, &pos, &json, &len, NULL);
                    if (rc == EMBEDSVC_OK) {
                        assert_true(got + len <= strlen(want));
                        assert_memory_equal(json, want + got, len);
                        got += len;
                    }
                } while (rc == EMBEDSVC_OK && len);
                if (rc != EMBEDSVC_OK)
                    assert_true(pos == was);
            } else {
                rc = embedsvc_compare_to_json(c, &json, &len, NULL);
                if (rc == EMBEDSVC_OK) {
                    assert_memory_equal(json, want, len);
                    got = len;
                }
            }
            if (rc == EMBEDSVC_OK) {
                assert_int_equal(got, strlen(want));
                done = true;
            } else {
                assert_int_equal(rc, EMBEDSVC_ENOMEM);
            }
            embedsvc_compare_free(c);
            assert_int_equal(fa.live, 0);
            assert_true(n < 1000);
        }
    }
    free(want);
    free(line);
    free(extra);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_portfolio_equals_single_evaluations),
        cmocka_unit_test(test_conformance_projects_equal_single_evaluations),
        cmocka_unit_test(test_every_prefix_of_the_policies),
        cmocka_unit_test(test_example_portfolio_reform_figures),
        cmocka_unit_test(test_line_semantics_blank_cr_and_errors),
        cmocka_unit_test(test_districts_first_seen_order_and_no_district_group),
        cmocka_unit_test(test_many_districts_grow_the_table),
        cmocka_unit_test(test_same_policy_twice_changes_nothing),
        cmocka_unit_test(test_compare_project_matches_lines),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_json_rows_match_the_accessors),
        cmocka_unit_test(test_allocation_failure_is_reported_and_leaks_nothing),
        cmocka_unit_test(test_overflowing_total_is_erange_and_changes_nothing),
        cmocka_unit_test(test_merged_parts_equal_the_whole),
        cmocka_unit_test(test_reset_forgets_everything_added),
        cmocka_unit_test(test_merge_bad_arguments_change_nothing),
        cmocka_unit_test(test_merge_allocation_failure_changes_nothing_and_leaks_nothing),
        cmocka_unit_test(test_json_pieces_are_the_document),
        cmocka_unit_test(test_json_pieces_allocation_failure_gives_the_piece_again),
        cmocka_unit_test(test_json_copied_members_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
