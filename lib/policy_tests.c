/* Policy test files, `embedsvc.tests/1` (include/embedsvc/tests.h): running them, and the report.
 * embedsvc_tests_run() reads the file (policy_tests_read.c: checked completely before any case
 * runs), then parses and evaluates every case's project and compares its result JSON with the
 * case's expectations (policy_tests_match.c), recording each case's differences; the report holds
 * the cases' names, pass or fail, their differences and the TAP text of the run. */
#include "authoring.h"
#include "model.h"
#include "policy_tests.h"

#include <stdio.h>
#include <string.h>

/* ---- the report ---- */

typedef struct test_case_result {
    char *name;
    char *diff;
    bool passed;
} test_case_result;

struct embedsvc_test_report {
    esv_alloc al;
    test_case_result *cases;
    size_t n, failed;
    esv_buf tap;
};

void embedsvc_test_report_free(embedsvc_test_report *r)
{
    if (!r)
        return;
    esv_alloc al = r->al;
    for (size_t i = 0; i < r->n; i++) {
        esv_free(&al, r->cases[i].name);
        esv_free(&al, r->cases[i].diff);
    }
    esv_free(&al, r->cases);
    esv_buf_free(&r->tap, &al);
    esv_free(&al, r);
}

size_t embedsvc_test_report_count(const embedsvc_test_report *r)
{
    return r ? r->n : 0;
}

size_t embedsvc_test_report_failed(const embedsvc_test_report *r)
{
    return r ? r->failed : 0;
}

const char *embedsvc_test_report_name(const embedsvc_test_report *r, size_t i)
{
    return r && i < r->n ? r->cases[i].name : NULL;
}

int embedsvc_test_report_passed(const embedsvc_test_report *r, size_t i)
{
    return r && i < r->n ? r->cases[i].passed : -1;
}

const char *embedsvc_test_report_diff(const embedsvc_test_report *r, size_t i)
{
    return r && i < r->n ? r->cases[i].diff : NULL;
}

const char *embedsvc_test_report_tap(const embedsvc_test_report *r, size_t *len)
{
    if (!r)
        return NULL;
    if (len)
        *len = r->tap.len;
    return r->tap.data;
}

/* ---- running ---- */

static int nomem(embedsvc_error *err)
{
    return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
}

static char *dup_str(const esv_alloc *al, const char *s, size_t len)
{
    char *d = esv_malloc(al, len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* Runs one case: its differences go to diff. Returns EMBEDSVC_OK or ENOMEM. */
static int run_case(const embedsvc_policy *policy, const esv_alloc *al, const esv_jval *tcase, embedsvc_project *proj,
                    embedsvc_result *res, esv_json *rp, esv_out *diff)
{
    const esv_jval *project = esv_json_member(tcase, "project", 7), *expect = esv_json_member(tcase, "expect", 6);
    const esv_jval *want_error = esv_json_member(expect, "error", 5);
    esv_buf text = {0};
    esv_out o = {&text, al, true};
    esv_json_write_value(&o, project);
    if (!o.ok) {
        esv_buf_free(&text, al);
        return EMBEDSVC_ENOMEM;
    }
    embedsvc_error perr = EMBEDSVC_ERROR_INIT;
    int rc = embedsvc_project_parse(proj, text.data, text.len, &perr);
    esv_buf_free(&text, al);
    if (rc == EMBEDSVC_ENOMEM)
        return rc;
    if (rc != EMBEDSVC_OK) {
        char actual[EMBEDSVC_ERROR_CODE_SIZE + EMBEDSVC_ERROR_PATH_SIZE + EMBEDSVC_ERROR_MESSAGE_SIZE + 16];
        snprintf(actual, sizeof(actual), "%s at \"%s\": %s", perr.code, perr.path, perr.message);
        if (!want_error) {
            esv_tests_put(diff, "/project\n  expected: a project that parses\n  actual:   ");
            esv_tests_put(diff, actual);
            esv_tests_put(diff, "\n");
        } else {
            const esv_jval *code = esv_json_member(want_error, "code", 4), *path = esv_json_member(want_error, "path", 4);
            bool ok = code->len == strlen(perr.code) && memcmp(code->str, perr.code, code->len) == 0;
            if (path)
                ok = ok && path->len == strlen(perr.path) && memcmp(path->str, perr.path, path->len) == 0;
            if (!ok) {
                esv_tests_put(diff, "/error\n  expected: ");
                esv_out_put(diff, code->str, code->len);
                if (path) {
                    esv_tests_put(diff, " at \"");
                    esv_out_put(diff, path->str, path->len);
                    esv_tests_put(diff, "\"");
                }
                esv_tests_put(diff, "\n  actual:   ");
                esv_tests_put(diff, actual);
                esv_tests_put(diff, "\n");
            }
        }
        return EMBEDSVC_OK;
    }
    if (want_error) {
        esv_tests_put(diff, "/error\n  expected: ");
        const esv_jval *code = esv_json_member(want_error, "code", 4);
        esv_out_put(diff, code->str, code->len);
        esv_tests_put(diff, "\n  actual:   the project parses\n");
        return EMBEDSVC_OK;
    }
    embedsvc_error eerr = EMBEDSVC_ERROR_INIT;
    rc = embedsvc_evaluate(policy, proj, res, &eerr);
    const char *json = NULL;
    size_t len = 0;
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_result_to_json(res, &json, &len, &eerr);
    if (rc == EMBEDSVC_ENOMEM)
        return rc;
    if (rc != EMBEDSVC_OK) {
        esv_tests_put(diff, "/\n  expected: a result\n  actual:   ");
        esv_tests_put(diff, eerr.code);
        esv_tests_put(diff, ": ");
        esv_tests_put(diff, eerr.message);
        esv_tests_put(diff, "\n");
        return EMBEDSVC_OK;
    }
    const esv_jval *root;
    rc = esv_json_parse(rp, json, len, &root, &eerr);
    if (rc != EMBEDSVC_OK) /* the result JSON always parses; only ENOMEM gets here */
        return EMBEDSVC_ENOMEM;
    return esv_tests_compare(diff, al, expect, root);
}

static void tap_line(esv_out *o, const char *s)
{
    esv_tests_put(o, s);
}

int embedsvc_tests_run(const embedsvc_policy *policy, const char *data, size_t len, const embedsvc_allocator *alloc,
                       embedsvc_test_report **out, embedsvc_error *err)
{
    if (out)
        *out = NULL;
    if (!out || (!data && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "incomplete allocator");
    embedsvc_policy *own = NULL;
    embedsvc_project *proj = NULL;
    embedsvc_result *res = NULL;
    embedsvc_test_report *r = NULL;
    esv_json *jp = esv_json_new(&al), *rp = esv_json_new(&al);
    int rc = EMBEDSVC_OK;
    if (!jp || !rp) {
        rc = nomem(err);
        goto done;
    }
    esv_tests_file tf;
    rc = esv_tests_read(jp, data, len, &tf, err);
    if (rc != EMBEDSVC_OK)
        goto done;
    if (!policy) {
        rc = embedsvc_policy_default(alloc, &own, err);
        if (rc != EMBEDSVC_OK)
            goto done;
        policy = own;
    }
    if (tf.policy) {
        const esv_jval *id = esv_json_member(tf.policy, "id", 2), *version = esv_json_member(tf.policy, "version", 7);
        const char *pid = embedsvc_policy_text(policy, "id"), *pver = embedsvc_policy_text(policy, "version");
        const esv_jval *bad = NULL;
        if (!(strlen(pid) == id->len && memcmp(pid, id->str, id->len) == 0))
            bad = id;
        else if (version && !(strlen(pver) == version->len && memcmp(pver, version->str, version->len) == 0))
            bad = version;
        if (bad) {
            esv_walk w = {data, len, err};
            esv_path pp = {NULL, "policy", 6, 0};
            esv_path kp = {&pp, bad == id ? "id" : "version", bad == id ? 2 : 7, 0};
            rc = esv_walk_fail_status(&w, EMBEDSVC_ESTATE, &kp, bad->offset, "tests.policy_mismatch",
                                      "the tests are for policy %.60s%s%.40s, not %.60s version %.40s", id->str,
                                      version ? " version " : "", version ? version->str : "", pid, pver);
            goto done;
        }
    }
    if (embedsvc_project_new(alloc, &proj) != EMBEDSVC_OK || embedsvc_result_new(alloc, &res) != EMBEDSVC_OK) {
        rc = nomem(err);
        goto done;
    }
    r = esv_calloc(&al, 1, sizeof(*r));
    if (!r) {
        rc = nomem(err);
        goto done;
    }
    r->al = al;
    r->cases = esv_calloc(&al, tf.cases->len, sizeof(test_case_result));
    if (!r->cases) {
        rc = nomem(err);
        goto done;
    }
    esv_out tap = {&r->tap, &al, true};
    tap_line(&tap, "TAP version 13\n1..");
    esv_out_int(&tap, (int64_t)tf.cases->len);
    tap_line(&tap, "\n");
    for (const esv_jval *e = tf.cases->child; e; e = e->next) {
        test_case_result *tc = &r->cases[r->n];
        const esv_jval *name = esv_json_member(e, "name", 4);
        tc->name = dup_str(&al, name->str, name->len);
        r->n++;
        esv_buf diff = {0};
        esv_out d = {&diff, &al, true};
        if (!tc->name || !esv_buf_reserve(&diff, &al, 0)) {
            esv_buf_free(&diff, &al);
            rc = nomem(err);
            goto done;
        }
        diff.data[0] = '\0';
        rc = run_case(policy, &al, e, proj, res, rp, &d);
        if (rc != EMBEDSVC_OK || !d.ok) {
            esv_buf_free(&diff, &al);
            rc = nomem(err);
            goto done;
        }
        tc->passed = diff.len == 0;
        tc->diff = diff.data;
        if (!tc->passed)
            r->failed++;
        tap_line(&tap, tc->passed ? "ok " : "not ok ");
        esv_out_int(&tap, (int64_t)r->n);
        tap_line(&tap, " - ");
        /* a name is one line in TAP: line breaks shown as spaces */
        for (size_t i = 0; i < name->len; i++)
            esv_out_put(&tap, name->str[i] == '\n' || name->str[i] == '\r' ? " " : &name->str[i], 1);
        tap_line(&tap, "\n");
        for (const char *line = diff.data; *line;) {
            const char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            tap_line(&tap, "  # ");
            esv_out_put(&tap, line, n);
            tap_line(&tap, "\n");
            line += n + (nl ? 1 : 0);
        }
    }
    tap_line(&tap, "# passed ");
    esv_out_int(&tap, (int64_t)(r->n - r->failed));
    tap_line(&tap, " of ");
    esv_out_int(&tap, (int64_t)r->n);
    tap_line(&tap, "\n");
    if (!tap.ok) {
        rc = nomem(err);
        goto done;
    }
    *out = r;
    r = NULL;
done:
    embedsvc_test_report_free(r);
    embedsvc_result_free(res);
    embedsvc_project_free(proj);
    embedsvc_policy_free(own);
    esv_json_free(jp);
    esv_json_free(rp);
    return rc;
}
