/* Policy test files, `embedsvc.tests/1` (include/embedsvc/tests.h): each case a project and the part of
 * its result the policy must give. The file is checked completely before any case runs (a bad file
 * is an input error with its position); then every case is parsed, evaluated, and its result JSON
 * compared with the expectations, every difference recorded with its path in the result. */
#include "authoring.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

/* ---- the file ---- */

typedef struct tests_file {
    const esv_jval *root, *cases, *policy, *policy_file;
} tests_file;

static bool key_eq(const esv_jval *m, const char *key)
{
    return strlen(key) == m->key_len && memcmp(key, m->key, m->key_len) == 0;
}

static int key_of(const esv_walk *w, const esv_path *mp, const esv_jval *m, const char *const *keys, int n, bool *seen,
                  int *k)
{
    for (int i = 0; i < n; i++)
        if (key_eq(m, keys[i])) {
            seen[i] = true;
            *k = i;
            return EMBEDSVC_OK;
        }
    return esv_walk_unknown(w, mp, m);
}

static int required(const esv_walk *w, const esv_path *path, const esv_jval *obj, const char *const *keys, int n,
                    const bool *seen)
{
    for (int i = 0; i < n; i++)
        if (!seen[i])
            return esv_walk_missing(w, path, obj->offset, keys[i]);
    return EMBEDSVC_OK;
}

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_ != EMBEDSVC_OK)                                                                                        \
            return rc_;                                                                                                \
    } while (0)

/* A decimal of reference §2 (a JSON number or a string). */
static int walk_money(const esv_walk *w, const esv_path *p, const esv_jval *v, int64_t *out)
{
    if (v->type != ESV_JNUMBER && v->type != ESV_JSTRING)
        return esv_walk_type_error(w, p, v, "a decimal number or a string");
    const char *message;
    const char *code = esv_decimal_parse(ESV_DEC_MONEY, v->str, v->len, out, &message);
    return code ? esv_walk_fail(w, p, v->offset, code, "%s", message) : EMBEDSVC_OK;
}

static int nonempty_string(const esv_walk *w, const esv_path *p, const esv_jval *v)
{
    TRY(esv_walk_expect(w, p, v, ESV_JSTRING, "a string"));
    if (v->len == 0)
        return esv_walk_fail(w, p, v->offset, "parse.value", "must not be empty");
    return EMBEDSVC_OK;
}

/* findings / absent_findings: finding codes, or partial finding objects */
static int check_finding_list(const esv_walk *w, const esv_path *p, const esv_jval *v)
{
    TRY(esv_walk_expect(w, p, v, ESV_JARRAY, "an array of finding codes or finding objects"));
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {p, NULL, 0, i};
        if (e->type == ESV_JSTRING)
            TRY(nonempty_string(w, &ep, e));
        else if (e->type != ESV_JOBJECT)
            return esv_walk_type_error(w, &ep, e, "a finding code or a finding object");
    }
    return EMBEDSVC_OK;
}

static int check_expect(const esv_walk *w, const esv_path *path, const esv_jval *obj)
{
    TRY(esv_walk_expect(w, path, obj, ESV_JOBJECT, "an object of expectations"));
    static const char *const keys[] = {"eligible", "subsidy_eligible", "total_yuan", "policy", "counts", "subsidy",
                                       "functions", "checks", "findings", "absent_findings", "error"};
    bool seen[11] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_of(w, &mp, m, keys, 11, seen, &k));
        int64_t fen;
        switch (k) {
        case 0:
        case 1:
            TRY(esv_walk_expect(w, &mp, m, ESV_JTRUE, "a boolean"));
            break;
        case 2:
            TRY(walk_money(w, &mp, m, &fen));
            break;
        case 3:
        case 4:
        case 5:
            TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object (a part of the result's)"));
            break;
        case 6: {
            TRY(esv_walk_expect(w, &mp, m, ESV_JARRAY, "an array of function objects"));
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                TRY(esv_walk_expect(w, &ep, e, ESV_JOBJECT, "a function object"));
            }
            break;
        }
        case 7:
            TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object of check rule to check object"));
            for (const esv_jval *c = m->child; c; c = c->next) {
                esv_path cp = {&mp, c->key, c->key_len, 0};
                TRY(esv_walk_expect(w, &cp, c, ESV_JOBJECT, "a check object"));
            }
            break;
        case 8:
        case 9:
            TRY(check_finding_list(w, &mp, m));
            break;
        case 10: {
            TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object with code and path"));
            static const char *const ekeys[] = {"code", "path"};
            bool eseen[2] = {false};
            for (const esv_jval *e = m->child; e; e = e->next) {
                esv_path ep = {&mp, e->key, e->key_len, 0};
                int ek = -1;
                TRY(key_of(w, &ep, e, ekeys, 2, eseen, &ek));
                if (ek == 0)
                    TRY(nonempty_string(w, &ep, e));
                else
                    TRY(esv_walk_expect(w, &ep, e, ESV_JSTRING, "a JSON pointer"));
            }
            TRY(required(w, &mp, m, ekeys, 1, eseen));
            break;
        }
        }
    }
    if (seen[10] && obj->len > 1)
        return esv_walk_fail(w, path, obj->offset, "parse.value",
                             "\"error\" expects a project that does not parse; it takes no other expectation");
    return EMBEDSVC_OK;
}

static int check_case(const esv_walk *w, const esv_path *path, const esv_jval *obj)
{
    TRY(esv_walk_expect(w, path, obj, ESV_JOBJECT, "a test case object"));
    static const char *const keys[] = {"name", "project", "expect", "description"};
    bool seen[4] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_of(w, &mp, m, keys, 4, seen, &k));
        switch (k) {
        case 0:
            TRY(nonempty_string(w, &mp, m));
            break;
        case 1:
            TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an embedsvc.project/1 object"));
            break;
        case 2:
            TRY(check_expect(w, &mp, m));
            break;
        case 3:
            TRY(esv_walk_expect(w, &mp, m, ESV_JSTRING, "a string"));
            break;
        }
    }
    return required(w, path, obj, keys, 3, seen);
}

static int check_file(const esv_walk *w, const esv_jval *root, tests_file *tf)
{
    TRY(esv_walk_expect(w, NULL, root, ESV_JOBJECT, "an embedsvc.tests/1 object"));
    static const char *const keys[] = {"schema", "cases", "description", "policy", "policy_file"};
    bool seen[5] = {false};
    tf->root = root;
    for (const esv_jval *m = root->child; m; m = m->next) {
        esv_path mp = {NULL, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_of(w, &mp, m, keys, 5, seen, &k));
        switch (k) {
        case 0:
            TRY(esv_walk_expect(w, &mp, m, ESV_JSTRING, "\"embedsvc.tests/1\""));
            if (!(m->len == 16 && memcmp(m->str, "embedsvc.tests/1", 16) == 0))
                return esv_walk_fail(w, &mp, m->offset, "parse.value", "expected \"embedsvc.tests/1\"");
            break;
        case 1: {
            TRY(esv_walk_expect(w, &mp, m, ESV_JARRAY, "an array of test cases"));
            if (m->len == 0)
                return esv_walk_fail(w, &mp, m->offset, "parse.value", "a test file has at least one case");
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                TRY(check_case(w, &ep, e));
            }
            tf->cases = m;
            break;
        }
        case 2:
            TRY(esv_walk_expect(w, &mp, m, ESV_JSTRING, "a string"));
            break;
        case 3: {
            TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object with id and version"));
            static const char *const pkeys[] = {"id", "version"};
            bool pseen[2] = {false};
            for (const esv_jval *e = m->child; e; e = e->next) {
                esv_path ep = {&mp, e->key, e->key_len, 0};
                int pk = -1;
                TRY(key_of(w, &ep, e, pkeys, 2, pseen, &pk));
                TRY(nonempty_string(w, &ep, e));
            }
            TRY(required(w, &mp, m, pkeys, 1, pseen));
            tf->policy = m;
            break;
        }
        case 4:
            TRY(nonempty_string(w, &mp, m));
            tf->policy_file = m;
            break;
        }
    }
    return required(w, NULL, root, keys, 2, seen);
}

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

/* ---- comparing ---- */

typedef struct cmp {
    esv_out *diff;    /* the case's differences */
    const esv_alloc *al;
    esv_buf path;     /* JSON pointer in the result */
    bool silent;      /* only find out whether it matches (findings) */
    bool mismatch;
} cmp;

static void put(esv_out *o, const char *s)
{
    esv_out_put(o, s, strlen(s));
}

static size_t path_push_key(cmp *c, const char *key, size_t len)
{
    size_t old = c->path.len;
    if (!esv_json_pointer_append(&c->path, c->al, key, len))
        c->diff->ok = false;
    return old;
}

static size_t path_push_index(cmp *c, size_t i)
{
    size_t old = c->path.len;
    char tmp[24];
    int n = snprintf(tmp, sizeof(tmp), "/%zu", i);
    if (!esv_buf_append(&c->path, c->al, tmp, (size_t)n))
        c->diff->ok = false;
    return old;
}

static void path_pop(cmp *c, size_t old)
{
    if (c->path.data && old <= c->path.len) {
        c->path.len = old;
        c->path.data[old] = '\0';
    }
}

/* true when the path's last key ends in "_fen" (an amount worth showing in yuan too) */
static bool path_is_fen(const cmp *c)
{
    return c->path.len >= 4 && memcmp(c->path.data + c->path.len - 4, "_fen", 4) == 0;
}

static void put_yuan(esv_out *o, int64_t fen)
{
    char tmp[48];
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(tmp, sizeof(tmp), " (%s%llu.%02llu yuan)", fen < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
    put(o, tmp);
}

/* A value as compact JSON, cut at 300 bytes (on a character boundary) with "…". */
static void put_shown(cmp *c, const esv_jval *v, bool fen)
{
    if (!v) {
        put(c->diff, "(absent)");
        return;
    }
    esv_buf t = {0};
    esv_out o = {&t, c->al, true};
    esv_json_write_value(&o, v);
    if (!o.ok) {
        c->diff->ok = false;
        esv_buf_free(&t, c->al);
        return;
    }
    size_t n = t.len;
    if (n > 300) {
        n = 300;
        while (n > 0 && ((unsigned char)t.data[n] & 0xC0) == 0x80)
            n--;
    }
    esv_out_put(c->diff, t.data, n);
    if (n < t.len)
        put(c->diff, "…");
    int64_t x;
    if (fen && v->type == ESV_JNUMBER && esv_integer_parse(v->str, v->len, INT64_MIN + 1, INT64_MAX, &x))
        put_yuan(c->diff, x);
    esv_buf_free(&t, c->al);
}

/* One difference: the path, then what was expected and what the result has. */
static void mismatch(cmp *c, const esv_jval *exp, const char *exp_text, const esv_jval *act, const char *act_text)
{
    c->mismatch = true;
    if (c->silent)
        return;
    bool fen = path_is_fen(c);
    esv_out_put(c->diff, c->path.data ? c->path.data : "", c->path.len);
    if (c->path.len == 0)
        put(c->diff, "/");
    put(c->diff, "\n  expected: ");
    if (exp_text)
        put(c->diff, exp_text);
    else
        put_shown(c, exp, fen);
    put(c->diff, "\n  actual:   ");
    if (act_text)
        put(c->diff, act_text);
    else
        put_shown(c, act, fen);
    put(c->diff, "\n");
}

static bool scalar_equal(const esv_jval *a, const esv_jval *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case ESV_JNUMBER: {
        int64_t x, y;
        if (esv_integer_parse(a->str, a->len, INT64_MIN + 1, INT64_MAX, &x) &&
            esv_integer_parse(b->str, b->len, INT64_MIN + 1, INT64_MAX, &y))
            return x == y;
        return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    }
    case ESV_JSTRING:
        return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    default:
        return true;
    }
}

static const esv_jval *member(const esv_jval *obj, const char *key, size_t len)
{
    if (!obj || obj->type != ESV_JOBJECT)
        return NULL;
    for (const esv_jval *m = obj->child; m; m = m->next)
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return m;
    return NULL;
}

/* The expected value is a part of the actual one: every member of an expected object must match the
 * actual member of that key; arrays match element by element and must have the same length. */
static void match(cmp *c, const esv_jval *exp, const esv_jval *act)
{
    if (!act) {
        mismatch(c, exp, NULL, NULL, NULL);
        return;
    }
    if (exp->type == ESV_JOBJECT) {
        if (act->type != ESV_JOBJECT) {
            mismatch(c, exp, NULL, act, NULL);
            return;
        }
        for (const esv_jval *m = exp->child; m; m = m->next) {
            size_t old = path_push_key(c, m->key, m->key_len);
            match(c, m, member(act, m->key, m->key_len));
            path_pop(c, old);
        }
        return;
    }
    if (exp->type == ESV_JARRAY) {
        if (act->type != ESV_JARRAY || act->len != exp->len) {
            if (act->type == ESV_JARRAY && !c->silent) {
                char e[64], a[64];
                snprintf(e, sizeof(e), "%zu element%s", exp->len, exp->len == 1 ? "" : "s");
                snprintf(a, sizeof(a), "%zu element%s", act->len, act->len == 1 ? "" : "s");
                mismatch(c, NULL, e, NULL, a);
            } else {
                mismatch(c, exp, NULL, act, NULL);
            }
            return;
        }
        size_t i = 0;
        for (const esv_jval *e = exp->child, *a = act->child; e && a; e = e->next, a = a->next, i++) {
            size_t old = path_push_index(c, i);
            match(c, e, a);
            path_pop(c, old);
        }
        return;
    }
    if (!scalar_equal(exp, act))
        mismatch(c, exp, NULL, act, NULL);
}

/* Does a finding match an expected code or partial finding object? */
static bool finding_matches(cmp *c, const esv_jval *exp, const esv_jval *finding)
{
    if (exp->type == ESV_JSTRING) {
        const esv_jval *code = member(finding, "code", 4);
        return code && code->type == ESV_JSTRING && code->len == exp->len && memcmp(code->str, exp->str, exp->len) == 0;
    }
    bool was_silent = c->silent, was_mismatch = c->mismatch;
    c->silent = true;
    c->mismatch = false;
    match(c, exp, finding);
    bool ok = !c->mismatch;
    c->silent = was_silent;
    c->mismatch = was_mismatch;
    return ok;
}

/* "a, b (function 2), c" — the codes of the result's findings */
static void put_codes(esv_out *o, const esv_jval *findings)
{
    if (!findings || findings->type != ESV_JARRAY || findings->len == 0) {
        put(o, "none");
        return;
    }
    for (const esv_jval *f = findings->child; f; f = f->next) {
        const esv_jval *code = member(f, "code", 4), *fn = member(f, "function", 8);
        if (code && code->type == ESV_JSTRING)
            esv_out_put(o, code->str, code->len);
        if (fn && fn->type == ESV_JNUMBER) {
            put(o, " (function ");
            esv_out_put(o, fn->str, fn->len);
            put(o, ")");
        }
        if (f->next)
            put(o, ", ");
    }
}

static void match_findings(cmp *c, const esv_jval *list, const esv_jval *findings, bool present)
{
    size_t i = 0;
    for (const esv_jval *e = list->child; e; e = e->next, i++) {
        const esv_jval *hit = NULL;
        if (findings && findings->type == ESV_JARRAY)
            for (const esv_jval *f = findings->child; f && !hit; f = f->next)
                if (finding_matches(c, e, f))
                    hit = f;
        if ((hit != NULL) == present)
            continue;
        c->mismatch = true;
        size_t old = path_push_key(c, "findings", 8);
        esv_out_put(c->diff, c->path.data, c->path.len);
        path_pop(c, old);
        put(c->diff, present ? "\n  expected: a finding " : "\n  expected: no finding ");
        put_shown(c, e, false);
        put(c->diff, "\n  actual:   ");
        if (present) {
            put(c->diff, "no such finding (findings: ");
            put_codes(c->diff, findings);
            put(c->diff, ")");
        } else {
            const esv_jval *code = member(hit, "code", 4), *sev = member(hit, "severity", 8),
                           *fn = member(hit, "function", 8);
            put_shown(c, code, false);
            put(c->diff, " (severity ");
            if (sev && sev->type == ESV_JSTRING)
                esv_out_put(c->diff, sev->str, sev->len);
            put(c->diff, ", function ");
            put_shown(c, fn, false);
            put(c->diff, ")");
        }
        put(c->diff, "\n");
    }
}

static void match_checks(cmp *c, const esv_jval *exp, const esv_jval *checks)
{
    for (const esv_jval *m = exp->child; m; m = m->next) {
        const esv_jval *hit = NULL;
        if (checks && checks->type == ESV_JARRAY)
            for (const esv_jval *k = checks->child; k && !hit; k = k->next) {
                const esv_jval *rule = member(k, "rule", 4);
                if (rule && rule->type == ESV_JSTRING && rule->len == m->key_len &&
                    memcmp(rule->str, m->key, m->key_len) == 0)
                    hit = k;
            }
        size_t o1 = path_push_key(c, "checks", 6);
        size_t o2 = path_push_key(c, m->key, m->key_len);
        ESV_UNUSED(o2);
        if (!hit)
            mismatch(c, NULL, "a check with this rule", NULL, "no such check");
        else
            match(c, m, hit);
        path_pop(c, o1);
    }
}

/* Compares a result (its JSON tree) with a case's expectations, in the order they are written. */
static void match_result(cmp *c, const esv_jval *expect, const esv_jval *result)
{
    for (const esv_jval *m = expect->child; m; m = m->next) {
        if (key_eq(m, "total_yuan")) {
            int64_t fen = 0;
            const char *msg;
            esv_decimal_parse(ESV_DEC_MONEY, m->str, m->len, &fen, &msg); /* checked when the file was read */
            char tmp[32];
            snprintf(tmp, sizeof(tmp), "%lld", (long long)fen);
            esv_jval want = {ESV_JNUMBER, tmp, strlen(tmp), 0, NULL, NULL, NULL, 0, 0};
            size_t o1 = path_push_key(c, "subsidy", 7);
            path_push_key(c, "total_fen", 9);
            match(c, &want, member(member(result, "subsidy", 7), "total_fen", 9));
            path_pop(c, o1);
        } else if (key_eq(m, "checks")) {
            match_checks(c, m, member(result, "checks", 6));
        } else if (key_eq(m, "findings") || key_eq(m, "absent_findings")) {
            match_findings(c, m, member(result, "findings", 8), key_eq(m, "findings"));
        } else {
            size_t old = path_push_key(c, m->key, m->key_len);
            match(c, m, member(result, m->key, m->key_len));
            path_pop(c, old);
        }
    }
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
    const esv_jval *project = member(tcase, "project", 7), *expect = member(tcase, "expect", 6);
    const esv_jval *want_error = member(expect, "error", 5);
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
    cmp c = {diff, al, {0}, false, false};
    if (rc != EMBEDSVC_OK) {
        char actual[EMBEDSVC_ERROR_CODE_SIZE + EMBEDSVC_ERROR_PATH_SIZE + EMBEDSVC_ERROR_MESSAGE_SIZE + 16];
        snprintf(actual, sizeof(actual), "%s at \"%s\": %s", perr.code, perr.path, perr.message);
        if (!want_error) {
            put(diff, "/project\n  expected: a project that parses\n  actual:   ");
            put(diff, actual);
            put(diff, "\n");
        } else {
            const esv_jval *code = member(want_error, "code", 4), *path = member(want_error, "path", 4);
            bool ok = code->len == strlen(perr.code) && memcmp(code->str, perr.code, code->len) == 0;
            if (path)
                ok = ok && path->len == strlen(perr.path) && memcmp(path->str, perr.path, path->len) == 0;
            if (!ok) {
                put(diff, "/error\n  expected: ");
                esv_out_put(diff, code->str, code->len);
                if (path) {
                    put(diff, " at \"");
                    esv_out_put(diff, path->str, path->len);
                    put(diff, "\"");
                }
                put(diff, "\n  actual:   ");
                put(diff, actual);
                put(diff, "\n");
            }
        }
        return EMBEDSVC_OK;
    }
    if (want_error) {
        put(diff, "/error\n  expected: ");
        const esv_jval *code = member(want_error, "code", 4);
        esv_out_put(diff, code->str, code->len);
        put(diff, "\n  actual:   the project parses\n");
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
        put(diff, "/\n  expected: a result\n  actual:   ");
        put(diff, eerr.code);
        put(diff, ": ");
        put(diff, eerr.message);
        put(diff, "\n");
        return EMBEDSVC_OK;
    }
    const esv_jval *root;
    rc = esv_json_parse(rp, json, len, &root, &eerr);
    if (rc != EMBEDSVC_OK) /* the result JSON always parses; only ENOMEM gets here */
        return EMBEDSVC_ENOMEM;
    if (!esv_buf_reserve(&c.path, al, 64)) 
        return EMBEDSVC_ENOMEM;
    c.path.data[0] = '\0';
    match_result(&c, expect, root);
    esv_buf_free(&c.path, al);
    return EMBEDSVC_OK;
}

/* Checks a test file; root and tf valid until the parser is reused. */
static int read_tests(esv_json *jp, const char *data, size_t len, tests_file *tf, embedsvc_error *err)
{
    const esv_jval *root;
    int rc = esv_json_parse(jp, data ? data : "", len, &root, err);
    if (rc != EMBEDSVC_OK)
        return rc;
    *tf = (tests_file){0};
    esv_walk w = {data, len, err};
    return check_file(&w, root, tf);
}

static void tap_line(esv_out *o, const char *s)
{
    put(o, s);
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
    tests_file tf;
    rc = read_tests(jp, data, len, &tf, err);
    if (rc != EMBEDSVC_OK)
        goto done;
    if (!policy) {
        rc = embedsvc_policy_default(alloc, &own, err);
        if (rc != EMBEDSVC_OK)
            goto done;
        policy = own;
    }
    if (tf.policy) {
        const esv_jval *id = member(tf.policy, "id", 2), *version = member(tf.policy, "version", 7);
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
        const esv_jval *name = member(e, "name", 4);
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

int embedsvc_tests_policy_file(const char *data, size_t len, char *buf, size_t size, embedsvc_error *err)
{
    if ((!data && len) || (!buf && size))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    esv_alloc al;
    esv_alloc_init(&al, NULL);
    esv_json *jp = esv_json_new(&al);
    if (!jp)
        return nomem(err);
    tests_file tf;
    int rc = read_tests(jp, data, len, &tf, err);
    if (rc == EMBEDSVC_OK) {
        rc = tf.policy_file ? 1 : 0;
        if (tf.policy_file && size) {
            size_t n = tf.policy_file->len < size ? tf.policy_file->len : size - 1;
            memcpy(buf, tf.policy_file->str, n);
            buf[n] = '\0';
            if (tf.policy_file->len >= size)
                rc = esv_error_set(err, EMBEDSVC_ERANGE, "range", "the policy_file path does not fit the buffer");
        } else if (tf.policy_file) {
            rc = esv_error_set(err, EMBEDSVC_ERANGE, "range", "the policy_file path does not fit the buffer");
        }
    }
    esv_json_free(jp);
    return rc;
}
