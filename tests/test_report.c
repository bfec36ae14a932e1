/* report/ (issues 13, 14, 21): the number formats at their boundaries, the escaping routine, the
 * check report of every example project and conformance vector in both languages (no raw code
 * outside brackets, no control character), and the what-if HTML report (structure, escaping of
 * hostile text, a reason for every changed project, error lines, provenance, outliers). Built on
 * the public API only, like report/ itself. */
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

#include <embedsvc.h>

#include "report.h"

/* ---- numbers ---- */

#define FMT(fn, v, want)                                                                                          \
    do {                                                                                                          \
        char b_[64];                                                                                              \
        size_t n_ = fn((v), b_, sizeof(b_));                                                                      \
        assert_string_equal(b_, (want));                                                                          \
        assert_int_equal(n_, strlen(want));                                                                       \
    } while (0)

static void test_yuan_boundaries(void **state)
{
    (void)state;
    FMT(esv_report_yuan, 0, "0.00");
    FMT(esv_report_yuan, 1, "0.01");
    FMT(esv_report_yuan, 99, "0.99");
    FMT(esv_report_yuan, 100, "1.00");
    FMT(esv_report_yuan, 99999, "999.99");
    FMT(esv_report_yuan, 100000, "1,000.00");
    FMT(esv_report_yuan, 999999, "9,999.99");
    FMT(esv_report_yuan, 1000000, "10,000.00");
    FMT(esv_report_yuan, 187640000, "1,876,400.00");
    FMT(esv_report_yuan, -1, "-0.01");
    FMT(esv_report_yuan, -100000, "-1,000.00");
    FMT(esv_report_yuan, INT64_MAX, "92,233,720,368,547,758.07");
    FMT(esv_report_yuan, INT64_MIN, "-92,233,720,368,547,758.08");
}

static void test_wan_rounds_half_away_from_zero_to_two_decimals(void **state)
{
    (void)state;
    FMT(esv_report_wan, 0, "0.00");
    FMT(esv_report_wan, 1, "0.00");              /* 1 fen */
    FMT(esv_report_wan, 4999, "0.00");           /* 49.99 yuan */
    FMT(esv_report_wan, 5000, "0.01");           /* 50.00 yuan: half a step rounds up */
    FMT(esv_report_wan, 999999, "1.00");         /* 9,999.99 yuan */
    FMT(esv_report_wan, 1000000, "1.00");        /* 10,000.00 yuan = 1 万元 */
    FMT(esv_report_wan, 187640000, "187.64");
    FMT(esv_report_wan, 9999994999LL, "9,999.99");  /* just under 9,999.995 万元 */
    FMT(esv_report_wan, 9999995000LL, "10,000.00"); /* 9,999.995 万元 */
    FMT(esv_report_wan, 10000000000LL, "10,000.00");
    FMT(esv_report_wan, 5000000000LL, "5,000.00");
    FMT(esv_report_wan, -4999, "0.00"); /* no "-0.00" */
    FMT(esv_report_wan, -5000, "-0.01");
    FMT(esv_report_wan, INT64_MAX, "9,223,372,036,854.78");
    FMT(esv_report_wan, INT64_MIN, "-9,223,372,036,854.78");
}

static void test_million_has_the_precision_of_wan(void **state)
{
    (void)state;
    FMT(esv_report_million, 0, "0.0000");
    FMT(esv_report_million, 4999, "0.0000");
    FMT(esv_report_million, 5000, "0.0001");
    FMT(esv_report_million, 187640000, "1.8764");
    FMT(esv_report_million, 5000000000LL, "50.0000");
    FMT(esv_report_million, 100000000000LL, "1,000.0000");
    FMT(esv_report_million, INT64_MAX, "92,233,720,368.5478");
    /* 万元 and million yuan round at the same step of 100 yuan: the digits agree */
    char a[64], b[64];
    for (int64_t fen = -3000000; fen <= 3000000; fen += 4999) {
        esv_report_wan(fen, a, sizeof(a));
        esv_report_million(fen, b, sizeof(b));
        char *dot = strchr(a, '.');
        assert_non_null(dot);
        /* b = a / 100: drop a's separators and point, compare digits */
        assert_int_equal(a[0] == '-', b[0] == '-');
        long long va = 0, vb = 0;
        for (const char *p = a; *p; p++)
            if (*p >= '0' && *p <= '9')
                va = va * 10 + (*p - '0');
        for (const char *p = b; *p; p++)
            if (*p >= '0' && *p <= '9')
                vb = vb * 10 + (*p - '0');
        assert_int_equal(va, vb); /* 12.34 万元 = 0.1234 million yuan */
    }
}

static void test_percent_drops_trailing_zeros(void **state)
{
    (void)state;
    FMT(esv_report_percent, 0, "0%");
    FMT(esv_report_percent, 1, "0.01%");
    FMT(esv_report_percent, 10, "0.1%");
    FMT(esv_report_percent, 119, "1.19%");
    FMT(esv_report_percent, 2575, "25.75%");
    FMT(esv_report_percent, 3000, "30%");
    FMT(esv_report_percent, 3010, "30.1%");
    FMT(esv_report_percent, 10000, "100%");
    FMT(esv_report_percent, -50, "-0.5%");
}

static void test_units_and_truncation(void **state)
{
    (void)state;
    char b[64];
    assert_int_equal(esv_report_money(123456, "zh", b, sizeof(b)), strlen("1,234.56 元"));
    assert_string_equal(b, "1,234.56 元");
    esv_report_money(123456, "en", b, sizeof(b));
    assert_string_equal(b, "1,234.56 yuan");
    esv_report_large(187640000, "zh", b, sizeof(b));
    assert_string_equal(b, "187.64 万元");
    esv_report_large(187640000, "en", b, sizeof(b));
    assert_string_equal(b, "1.8764 million yuan");
    assert_string_equal(esv_report_large_unit("en"), "million yuan");
    /* snprintf-like: cut, terminated, the whole length returned */
    char small[5];
    assert_int_equal(esv_report_yuan(123456, small, sizeof(small)), 8);
    assert_string_equal(small, "1,23");
    assert_int_equal(esv_report_money(123456, "en", small, sizeof(small)), 13);
    assert_string_equal(small, "1,23");
    assert_int_equal(esv_report_yuan(1, NULL, 0), 4);
    assert_int_equal(esv_report_percent(2575, small, 3), 6);
    assert_string_equal(small, "25");
}

/* ---- escaping ---- */

static void expect_escape(const char *in, const char *want)
{
    char out[256];
    size_t n = esv_report_escape(in, (size_t)-1, out, sizeof(out));
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_escape_controls_bidi_and_bad_bytes(void **state)
{
    (void)state;
    expect_escape("", "");
    expect_escape("养老服务驿站 A&B \\n", "养老服务驿站 A&B \\n"); /* text and a backslash stay */
    expect_escape("a\nb\r\tc", "a\\nb\\r\\tc");
    expect_escape("\x1b[2J\a", "\\u001b[2J\\u0007");
    expect_escape("\x01\x1f\x7f", "\\u0001\\u001f\\u007f");
    expect_escape("\xc2\x85\xc2\x9f\xc2\xa0", "\\u0085\\u009f\xc2\xa0"); /* C1, then NBSP kept */
    expect_escape("\xe2\x80\xae" "abc" "\xe2\x80\xac", "\\u202eabc\\u202c");
    expect_escape("\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069");
    expect_escape("\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8", "\\u200f\\u061c\\u2028");
    expect_escape("\xff\xc3(", "\\xff\\xc3(");
    expect_escape("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate is not UTF-8 */
    expect_escape("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
    /* an embedded NUL with an explicit length */
    char out[32];
    assert_int_equal(esv_report_escape("a\0b", 3, out, sizeof(out)), 8);
    assert_string_equal(out, "a\\u0000b");
    /* cut like snprintf, never in the middle of a promise: the length is the whole */
    assert_int_equal(esv_report_escape("\n\n\n", (size_t)-1, out, 4), 6);
    assert_string_equal(out, "\\n\\");
    assert_int_equal(esv_report_escape(NULL, (size_t)-1, out, sizeof(out)), 0);
    char *d = esv_report_escape_dup("x\x1by");
    assert_string_equal(d, "x\\u001by");
    free(d);
    assert_int_equal(esv_report_width("中文ab"), 6);
}

/* What fn writes, in a new string (read back from a temporary file). */
static char *render(int (*fn)(FILE *, void *), void *arg, size_t *len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fn(f, arg), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static int put_html_hostile(FILE *f, void *arg)
{
    return esv_report_put_html(f, arg);
}

static void test_html_escape_is_both(void **state)
{
    (void)state;
    char *s = render(put_html_hostile, "<b a='1'>&\"\n\x1b\xe2\x80\xae", NULL);
    assert_string_equal(s, "&lt;b a=&#39;1&#39;&gt;&amp;&quot;\\n\\u001b\\u202e");
    free(s);
}

static void test_write_errors_are_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(esv_report_put(f, "x"), -1);
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    embedsvc_classification *c = NULL;
    assert_int_equal(embedsvc_classification_new(NULL, &c), EMBEDSVC_OK);
    assert_int_equal(embedsvc_classify(p, "便利店", strlen("便利店"), c, NULL), EMBEDSVC_OK);
    assert_int_equal(esv_report_classify_text(f, p, "便利店", c, "zh"), -1);
    embedsvc_classification_free(c);
    embedsvc_policy_free(p);
    fclose(f);
}

/* ---- the check report of every example and vector ---- */

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
    *len = (size_t)n;
    return buf;
}

static const char *const code_prefixes[] = {"function.", "project.",   "investment.", "subsidy.", "site.",
                                            "policy.",   "operation.", "process.",    "parse.",   "money."};

/* Whether the report text has a raw code outside brackets ([…], (…), （…）, “…”, "…"): an
 * identifier with an underscore (min_functions, joint_review, basic_public), or a dotted finding
 * code (subsidy.capped). Returns the offending token in `bad`. */
static bool raw_code_outside_brackets(const char *s, char *bad, size_t size)
{
    int depth = 0;
    bool quoted = false;
    for (const char *p = s; *p;) {
        if (strncmp(p, "“", 3) == 0 || strncmp(p, "”", 3) == 0) {
            depth += strncmp(p, "“", 3) == 0 ? 1 : -1;
            p += 3;
            continue;
        }
        if (strncmp(p, "（", 3) == 0 || strncmp(p, "）", 3) == 0) {
            depth += strncmp(p, "（", 3) == 0 ? 1 : -1;
            p += 3;
            continue;
        }
        if (*p == '[' || *p == '(') {
            depth++;
            p++;
            continue;
        }
        if (*p == ']' || *p == ')') {
            depth--;
            p++;
            continue;
        }
        if (*p == '"') {
            quoted = !quoted;
            p++;
            continue;
        }
        if (*p == '\n') {
            quoted = false;
            depth = depth < 0 ? 0 : depth;
            /* the lines of a finding's or a precondition's message are the library's wording
             * (lib/messages.c), tested there; this test is about what the report itself writes */
            if (strncmp(p + 1, "      ", 6) == 0 || (strncmp(p + 1, "    ✗ ", 8) == 0 && 0)) {
                p = strchr(p + 1, '\n');
                if (!p)
                    break;
                continue;
            }
        }
        if (depth <= 0 && !quoted && ((*p >= 'a' && *p <= 'z') || *p == '_')) {
            const char *t = p;
            while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.')
                p++;
            size_t n = (size_t)(p - t);
            while (n && t[n - 1] == '.')
                n--; /* the full stop of a sentence */
            bool code = memchr(t, '_', n) != NULL;
            for (size_t k = 0; !code && k < sizeof(code_prefixes) / sizeof(code_prefixes[0]); k++)
                code = n > strlen(code_prefixes[k]) && strncmp(t, code_prefixes[k], strlen(code_prefixes[k])) == 0;
            if (code) {
                snprintf(bad, size, "%.*s", (int)n, t);
                return true;
            }
            continue;
        }
        p++;
    }
    return false;
}

typedef struct check_args {
    const embedsvc_policy *p;
    const embedsvc_project *pr;
    const embedsvc_result *r;
    const char *lang;
} check_args;

static int put_check(FILE *f, void *arg)
{
    check_args *a = arg;
    return esv_report_check_text(f, a->p, a->pr, a->r, a->lang);
}

/* Renders the check report of every project file of dir in both languages; returns how many. */
static int check_reports_of(const char *dir, const embedsvc_policy *p)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0 || strstr(e->d_name, "expected"))
            continue;
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len;
        char *data = read_file(path, &len);
        if (!data)
            continue;
        if (embedsvc_project_parse(pr, data, len, NULL) == EMBEDSVC_OK &&
            embedsvc_evaluate(p, pr, r, NULL) == EMBEDSVC_OK) {
            for (int l = 0; l < 2; l++) {
                check_args a = {p, pr, r, l ? "en" : "zh"};
                char *out = render(put_check, &a, &len);
                for (size_t i = 0; i < len; i++) {
                    unsigned char b = (unsigned char)out[i];
                    if ((b < 0x20 && b != '\n') || b == 0x7f || (b == 0xc2 && i + 1 < len && (unsigned char)out[i + 1] < 0xa0))
                        fail_msg("%s (%s): control character at byte %zu", path, a.lang, i);
                }
                char bad[128];
                if (raw_code_outside_brackets(out, bad, sizeof(bad)))
                    fail_msg("%s (%s): raw code '%s' outside brackets:\n%s", path, a.lang, bad, out);
                assert_non_null(strstr(out, l ? "Decision: " : "结论："));
                /* it fits a terminal of 100 columns */
                for (char *line = out, *nl; line && *line; line = nl ? nl + 1 : NULL) {
                    nl = strchr(line, '\n');
                    if (nl)
                        *nl = '\0';
                    if (esv_report_width(line) > 100)
                        fail_msg("%s (%s): a line of %d columns: %s", path, a.lang, esv_report_width(line), line);
                    if (nl)
                        *nl = '\n';
                }
                free(out);
            }
            count++;
        }
        free(data);
    }
    closedir(d);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    return count;
}

static void test_check_report_of_every_example_and_vector(void **state)
{
    (void)state;
    embedsvc_policy *p = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    static const char *const dirs[] = {"examples/projects", "tests/vectors", "tests/vectors/projects",
                                       "../shared/conformance"};
    int n = 0;
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, dirs[i]);
        n += check_reports_of(path, p);
    }
    assert_true(n >= 6); /* the examples at least; the vectors when they are there */
    embedsvc_policy_free(p);
}

static void test_hostile_name_cannot_fake_a_decision(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"id\":\"X<1>\",\"name\":\"\\u001b[2JA\\n结论：符合嵌入式服务设施条件，可申请市级补助\\u202e\","
        "\"build_mode\":\"other\",\"total_investment\":\"100\",\"functions\":[{\"scenario\":\"elderly_care\","
        "\"service_class\":\"basic_public\",\"label\":\"\\u0007bell\"}]}";
    embedsvc_policy *p = NULL;
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_project_parse(pr, doc, strlen(doc), &err) != EMBEDSVC_OK)
        fail_msg("%s: %s", err.code, err.message);
    assert_int_equal(embedsvc_evaluate(p, pr, r, NULL), EMBEDSVC_OK);
    check_args a = {p, pr, r, "zh"};
    char *out = render(put_check, &a, NULL);
    /* one decision line, and it is the real one */
    const char *first = strstr(out, "\n结论：");
    assert_non_null(first);
    assert_null(strstr(first + 1, "\n结论："));
    assert_non_null(strstr(out, "\n结论：不符合条件"));
    assert_non_null(strstr(out, "A\\n结论："));
    assert_non_null(strstr(out, "X<1>  \\u001b[2JA\\n"));
    assert_non_null(strstr(out, "\\u202e"));
    assert_non_null(strstr(out, "\\u0007bell"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strstr(out, "\xe2\x80\xae"));
    free(out);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
}

/* The library's finding messages (lib/messages.c) write amounts and rates by the same rule as
 * report/: the figures of a message are esv_report_yuan() and esv_report_percent() of the result. */
static void test_library_messages_follow_the_same_number_rule(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"id\":\"N\",\"build_mode\":\"new\",\"total_investment\":\"250000000\",\"inclusive_rate\":\"0.301\","
        "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"200000000\"},"
        "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
        "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"49000000\"}]}";
    embedsvc_policy *p = NULL;
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &p, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &pr), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &r), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_parse(pr, doc, strlen(doc), NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_evaluate(p, pr, r, NULL), EMBEDSVC_OK);
    char rate[32], max[32], msg[4096];
    esv_report_percent(embedsvc_result_class_rate_bp(r, EMBEDSVC_CLASS_INCLUSIVE), rate, sizeof(rate));
    esv_report_percent(embedsvc_policy_class_rate_bp(p, EMBEDSVC_CLASS_INCLUSIVE), max, sizeof(max));
    assert_string_equal(rate, "30.1%");
    bool seen = false;
    for (size_t i = 0; i < embedsvc_result_finding_count(r); i++) {
        if (strcmp(embedsvc_result_finding_code(r, i), "subsidy.rate_above_max") != 0)
            continue;
        for (int l = 0; l < 2; l++) {
            embedsvc_result_finding_message(r, i, l ? "en" : "zh", msg, sizeof(msg));
            if (!strstr(msg, rate) || !strstr(msg, max))
                fail_msg("'%s' lacks %s or %s", msg, rate, max);
        }
        seen = true;
    }
    assert_true(seen);
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
}

/* ---- the HTML report ---- */

typedef struct cmp {
    embedsvc_policy *policies[3];
    embedsvc_compare *c;
    esv_report_compare_log *log;
} cmp;

static void cmp_open(cmp *x, size_t n)
{
    static const char *const files[] = {NULL, "policies/reform-cap-3000wan.json", "policies/reform-inclusive-20pct.json"};
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < n; i++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        char path[1024];
        if (!files[i]) {
            assert_int_equal(embedsvc_policy_default(NULL, &x->policies[i], &err), EMBEDSVC_OK);
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, files[i]);
        if (embedsvc_policy_load_file(path, NULL, &x->policies[i], &err) != EMBEDSVC_OK)
            fail_msg("%s: %s", path, err.message);
    }
    assert_int_equal(embedsvc_compare_new((const embedsvc_policy *const *)x->policies, n, NULL, &x->c), EMBEDSVC_OK);
    assert_int_equal(esv_report_compare_log_new(&x->log), EMBEDSVC_OK);
}

static void cmp_line(cmp *x, const char *line)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = esv_report_compare_line(x->log, x->c, line, strlen(line), &err);
    assert_true(rc == 0 || rc == 1 || rc == 2);
}

static void cmp_file(cmp *x, const char *rel)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof(path), "%s/%s", SOURCE_ROOT, rel);
    char *data = read_file(path, &len);
    assert_non_null(data);
    for (char *s = data, *nl; *s; s = nl + 1) {
        nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        cmp_line(x, s);
        if (!nl)
            break;
    }
    free(data);
}

static void cmp_close(cmp *x)
{
    esv_report_compare_log_free(x->log);
    embedsvc_compare_free(x->c);
    for (size_t i = 0; i < 3; i++)
        embedsvc_policy_free(x->policies[i]);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
        n++;
    return n;
}

static const char *const sources[] = {NULL, "policies/reform-cap-3000wan.json", "policies/reform-inclusive-20pct.json"};

static char *html_of(const cmp *x, const char *lang)
{
    esv_report_html_options o = {lang, "<caption & \"more\">", "portfolio.jsonl", "2026-12-02 08:00 UTC", sources};
    size_t len;
    char *h = esv_report_compare_html_string(x->c, x->log, &o, &len);
    assert_non_null(h);
    assert_int_equal(strlen(h), len);
    char *again = esv_report_compare_html_string(x->c, x->log, &o, NULL);
    assert_string_equal(h, again); /* deterministic: the date is given */
    free(again);
    return h;
}

static void test_html_structure_escaping_and_provenance(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 3);
    cmp_file(&x, "examples/projects/portfolio.jsonl");
    cmp_line(&x, "{\"id\":\"<script>alert(1)</script>\",\"name\":\"A & B 'x'\\n\\u001b[31m\\u202e\","
                 "\"district\":\"<img src=x onerror=alert(1)>\",\"build_mode\":\"new\",\"total_investment\":\"9000000\","
                 "\"inclusive_rate\":\"0.3\",\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\","
                 "\"investment\":\"7000000\"},{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
                 "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}");
    for (int l = 0; l < 2; l++) {
        char *h = html_of(&x, l ? "en" : "zh");
        assert_true(strncmp(h, "<!DOCTYPE html>", 15) == 0);
        assert_int_equal(count(h, "<svg "), 4);
        assert_int_equal(count(h, "</svg>"), 4);
        assert_non_null(strstr(h, "id=\"chart-class\""));
        assert_non_null(strstr(h, "id=\"chart-district\""));
        assert_non_null(strstr(h, "id=\"chart-eligibility\""));
        assert_non_null(strstr(h, "id=\"chart-projects\""));
        assert_true(count(h, "<rect ") > 20);
        assert_null(strstr(h, "<script"));
        assert_null(strstr(h, "<img"));
        assert_null(strstr(h, "src=\""));
        assert_null(strstr(h, "href=\""));
        assert_null(strstr(h, "https:"));
        assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert_non_null(strstr(h, "&lt;img src=x onerror=alert(1)&gt;"));
        assert_non_null(strstr(h, "A &amp; B &#39;x&#39;\\n\\u001b[31m\\u202e"));
        assert_null(strchr(h, '\x1b'));
        assert_null(strstr(h, "\xe2\x80\xae"));
        assert_non_null(strstr(h, "&lt;caption &amp; &quot;more&quot;&gt;"));
        assert_non_null(strstr(h, l ? "lang=\"en\"" : "lang=\"zh-CN\""));
        assert_non_null(strstr(h, "@media print"));
        /* the footer: date, input, every policy's source */
        assert_non_null(strstr(h, "<footer>"));
        assert_non_null(strstr(h, "2026-12-02 08:00 UTC"));
        assert_non_null(strstr(h, "portfolio.jsonl"));
        assert_non_null(strstr(h, "policies/reform-inclusive-20pct.json"));
        assert_non_null(strstr(h, l ? "compiled-in policy" : "内置政策"));
        /* English amounts are in million yuan, never in 万元 */
        if (l) { /* but in the reform's own title */
            assert_int_equal(count(h, "万元"), count(h, "(3000万元)"));
        }
        /* the bad line 18 of the portfolio is listed with its code */
        assert_non_null(strstr(h, "<table id=\"errors\">"));
        assert_non_null(strstr(h, "<tr><td class=\"n\">18</td>"));
        free(h);
    }
    cmp_close(&x);
}

static void test_html_gives_a_reason_for_every_changed_project(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 3);
    cmp_file(&x, "examples/projects/portfolio.jsonl");
    size_t pairs = 0, nc = embedsvc_compare_changed_count(x.c);
    assert_true(nc > 0);
    for (size_t i = 0; i < nc; i++)
        for (size_t p = 1; p < 3; p++)
            pairs += embedsvc_compare_changed_value(x.c, i, p, EMBEDSVC_COMPARE_CHANGED) == 1;
    for (int l = 0; l < 2; l++) {
        char *h = html_of(&x, l ? "en" : "zh");
        assert_int_equal(count(h, "<li class=\"reason\">"), pairs);
        assert_null(strstr(h, "unexplained"));
        /* the 20% reform: projects that asked for more lose eligibility by a finding that appears */
        assert_non_null(strstr(h, "<code>[subsidy.rate_above_max]</code>"));
        assert_non_null(strstr(h, "<li class=\"plus\">"));
        /* the cap of 3000 万元: the capped project's reason is the cap */
        assert_non_null(strstr(h, l ? "cap 50.0000 million yuan → 30.0000 million yuan" : "补助上限 5,000.00 万元 → 3,000.00 万元"));
        /* ids do not wrap */
        assert_non_null(strstr(h, "span.id{white-space:nowrap}"));
        assert_non_null(strstr(h, "<span class=\"id\">BJ-2025-XC-0130</span>"));
        free(h);
    }
    cmp_close(&x);
}

static void test_html_outlier_bar_is_cut_and_labelled(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 2);
    char line[2048];
    for (int i = 0; i < 6; i++) {
        snprintf(line, sizeof(line),
                 "{\"id\":\"P%d\",\"district\":\"D%d\",\"build_mode\":\"new\",\"total_investment\":\"%s\","
                 "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"%s\"},"
                 "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
                 "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}",
                 i, i, i == 0 ? "302000000" : "3000000", i == 0 ? "300000000" : "1000000");
        cmp_line(&x, line);
    }
    char *h = html_of(&x, "en");
    assert_non_null(strstr(h, "two white slashes is cut"));
    assert_true(count(h, "stroke=\"#fff\"") >= 2);
    /* the small districts' bars are not flattened: each is wider than a tenth of the bar area */
    const char *d1 = strstr(h, "<title>D1 · ");
    assert_non_null(d1);
    const char *rect = d1;
    while (rect > h && strncmp(rect, "<rect ", 6) != 0)
        rect--;
    long width = 0;
    assert_int_equal(sscanf(strstr(rect, "width=\"") + 7, "%ld", &width), 1);
    assert_true(width > 56);
    free(h);
    cmp_close(&x);
}

static void test_html_long_labels_are_cut_with_the_whole_as_tooltip(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 2);
    cmp_line(&x, "{\"id\":\"L\",\"district\":\"北京市某某区某某街道某某社区某某片区第一网格\",\"build_mode\":\"new\","
                 "\"total_investment\":\"3000000\",\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":"
                 "\"basic_public\",\"investment\":\"1000000\"},{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
                 "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}");
    char *h = html_of(&x, "zh");
    assert_non_null(strstr(h, "class=\"label\"><title>北京市某某区某某街道某某社区某某片区第一网格</title>"));
    assert_non_null(strstr(h, "…</text>"));
    free(h);
    cmp_close(&x);
}

static void test_html_with_one_policy_and_no_projects(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 1);
    char *h = html_of(&x, "en");
    assert_int_equal(count(h, "<svg "), 4);
    assert_non_null(strstr(h, "Only one policy"));
    assert_non_null(strstr(h, "No error lines."));
    free(h);
    cmp_close(&x);
}

static void test_html_lists_are_bounded(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 3);
    char line[2048];
    for (int i = 0; i < 700; i++) {
        snprintf(line, sizeof(line),
                 "{\"id\":\"P%d\",\"district\":\"D%d\",\"build_mode\":\"renovation\",\"total_investment\":\"3000000\","
                 "\"inclusive_rate\":\"0.3\",\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\","
                 "\"investment\":\"1000000\"},{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
                 "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}",
                 i, i % 60);
        cmp_line(&x, line);
    }
    for (int i = 0; i < 250; i++)
        cmp_line(&x, "{not json");
    assert_int_equal(embedsvc_compare_changed_count(x.c), 700);
    assert_int_equal(esv_report_compare_log_errors(x.log), 250);
    char *h = html_of(&x, "en");
    assert_non_null(strstr(h, "670 more not listed")); /* 30 bars */
    assert_non_null(strstr(h, "200 more not listed")); /* 500 rows */
    assert_non_null(strstr(h, "20 more not listed"));  /* 40 districts */
    assert_non_null(strstr(h, "50 more error lines not listed")); /* 200 error lines */
    assert_int_equal(count(h, "<li class=\"reason\">"), 500);
    free(h);
    cmp_close(&x);
}

static int put_compare_text(FILE *f, void *arg)
{
    cmp *x = arg;
    return esv_report_compare_text(f, x->c, "portfolio.jsonl", "en");
}

static void test_compare_text_in_english_units(void **state)
{
    (void)state;
    cmp x;
    cmp_open(&x, 3);
    cmp_file(&x, "examples/projects/portfolio.jsonl");
    char *t = render(put_compare_text, &x, NULL);
    assert_non_null(strstr(t, "Total subsidy (million yuan)"));
    assert_int_equal(count(t, "万元"), count(t, "(3000万元)"));
    assert_non_null(strstr(t, "error lines: 1 (not counted)"));
    free(t);
    cmp_close(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yuan_boundaries),
        cmocka_unit_test(test_wan_rounds_half_away_from_zero_to_two_decimals),
        cmocka_unit_test(test_million_has_the_precision_of_wan),
        cmocka_unit_test(test_percent_drops_trailing_zeros),
        cmocka_unit_test(test_units_and_truncation),
        cmocka_unit_test(test_escape_controls_bidi_and_bad_bytes),
        cmocka_unit_test(test_html_escape_is_both),
        cmocka_unit_test(test_write_errors_are_reported),
        cmocka_unit_test(test_check_report_of_every_example_and_vector),
        cmocka_unit_test(test_hostile_name_cannot_fake_a_decision),
        cmocka_unit_test(test_library_messages_follow_the_same_number_rule),
        cmocka_unit_test(test_html_structure_escaping_and_provenance),
        cmocka_unit_test(test_html_gives_a_reason_for_every_changed_project),
        cmocka_unit_test(test_html_outlier_bar_is_cut_and_labelled),
        cmocka_unit_test(test_html_long_labels_are_cut_with_the_whole_as_tooltip),
        cmocka_unit_test(test_html_with_one_policy_and_no_projects),
        cmocka_unit_test(test_html_lists_are_bounded),
        cmocka_unit_test(test_compare_text_in_english_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
