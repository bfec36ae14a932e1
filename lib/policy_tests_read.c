/* Policy test files, `embedsvc.tests/1` (include/embedsvc/tests.h): the reader. The file is
 * checked completely, member by member against the format, before any case runs, so that a bad
 * file is an input error with its position (esv_tests_read()); embedsvc_tests_policy_file() reads
 * the `policy_file` a file names. Running the cases is policy_tests.c's, comparing a result with a
 * case's expectations policy_tests_match.c's. */
#include "authoring.h"
#include "model.h"
#include "policy_tests.h"

#include <stdio.h>
#include <string.h>

static int key_of(const esv_walk *w, const esv_path *mp, const esv_jval *m, const char *const *keys, int n, bool *seen,
                  int *k)
{
    for (int i = 0; i < n; i++)
        if (esv_tests_key_eq(m, keys[i])) {
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
    ESV_TRY(esv_walk_expect(w, p, v, ESV_JSTRING, "a string"));
    if (v->len == 0)
        return esv_walk_fail(w, p, v->offset, "parse.value", "must not be empty");
    return EMBEDSVC_OK;
}

/* findings / absent_findings: finding codes, or partial finding objects */
static int check_finding_list(const esv_walk *w, const esv_path *p, const esv_jval *v)
{
    ESV_TRY(esv_walk_expect(w, p, v, ESV_JARRAY, "an array of finding codes or finding objects"));
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {p, NULL, 0, i};
        if (e->type == ESV_JSTRING)
            ESV_TRY(nonempty_string(w, &ep, e));
        else if (e->type != ESV_JOBJECT)
            return esv_walk_type_error(w, &ep, e, "a finding code or a finding object");
    }
    return EMBEDSVC_OK;
}

static int check_expect(const esv_walk *w, const esv_path *path, const esv_jval *obj)
{
    ESV_TRY(esv_walk_expect(w, path, obj, ESV_JOBJECT, "an object of expectations"));
    static const char *const keys[] = {"eligible", "subsidy_eligible", "total_yuan", "policy", "counts", "subsidy",
                                       "functions", "checks", "findings", "absent_findings", "error"};
    bool seen[11] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        ESV_TRY(key_of(w, &mp, m, keys, 11, seen, &k));
        int64_t fen;
        switch (k) {
        case 0:
        case 1:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JTRUE, "a boolean"));
            break;
        case 2:
            ESV_TRY(walk_money(w, &mp, m, &fen));
            break;
        case 3:
        case 4:
        case 5:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object (a part of the result's)"));
            break;
        case 6: {
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JARRAY, "an array of function objects"));
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                ESV_TRY(esv_walk_expect(w, &ep, e, ESV_JOBJECT, "a function object"));
            }
            break;
        }
        case 7:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object of check rule to check object"));
            for (const esv_jval *c = m->child; c; c = c->next) {
                esv_path cp = {&mp, c->key, c->key_len, 0};
                ESV_TRY(esv_walk_expect(w, &cp, c, ESV_JOBJECT, "a check object"));
            }
            break;
        case 8:
        case 9:
            ESV_TRY(check_finding_list(w, &mp, m));
            break;
        case 10: {
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object with code and path"));
            static const char *const ekeys[] = {"code", "path"};
            bool eseen[2] = {false};
            for (const esv_jval *e = m->child; e; e = e->next) {
                esv_path ep = {&mp, e->key, e->key_len, 0};
                int ek = -1;
                ESV_TRY(key_of(w, &ep, e, ekeys, 2, eseen, &ek));
                if (ek == 0)
                    ESV_TRY(nonempty_string(w, &ep, e));
                else
                    ESV_TRY(esv_walk_expect(w, &ep, e, ESV_JSTRING, "a JSON pointer"));
            }
            ESV_TRY(required(w, &mp, m, ekeys, 1, eseen));
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
    ESV_TRY(esv_walk_expect(w, path, obj, ESV_JOBJECT, "a test case object"));
    static const char *const keys[] = {"name", "project", "expect", "description"};
    bool seen[4] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        ESV_TRY(key_of(w, &mp, m, keys, 4, seen, &k));
        switch (k) {
        case 0:
            ESV_TRY(nonempty_string(w, &mp, m));
            break;
        case 1:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an embedsvc.project/1 object"));
            break;
        case 2:
            ESV_TRY(check_expect(w, &mp, m));
            break;
        case 3:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JSTRING, "a string"));
            break;
        }
    }
    return required(w, path, obj, keys, 3, seen);
}

static int check_file(const esv_walk *w, const esv_jval *root, esv_tests_file *tf)
{
    ESV_TRY(esv_walk_expect(w, NULL, root, ESV_JOBJECT, "an embedsvc.tests/1 object"));
    static const char *const keys[] = {"schema", "cases", "description", "policy", "policy_file"};
    bool seen[5] = {false};
    tf->root = root;
    for (const esv_jval *m = root->child; m; m = m->next) {
        esv_path mp = {NULL, m->key, m->key_len, 0};
        int k = -1;
        ESV_TRY(key_of(w, &mp, m, keys, 5, seen, &k));
        switch (k) {
        case 0:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JSTRING, "\"embedsvc.tests/1\""));
            if (!(m->len == 16 && memcmp(m->str, "embedsvc.tests/1", 16) == 0))
                return esv_walk_fail(w, &mp, m->offset, "parse.value", "expected \"embedsvc.tests/1\"");
            break;
        case 1: {
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JARRAY, "an array of test cases"));
            if (m->len == 0)
                return esv_walk_fail(w, &mp, m->offset, "parse.value", "a test file has at least one case");
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                ESV_TRY(check_case(w, &ep, e));
            }
            tf->cases = m;
            break;
        }
        case 2:
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JSTRING, "a string"));
            break;
        case 3: {
            ESV_TRY(esv_walk_expect(w, &mp, m, ESV_JOBJECT, "an object with id and version"));
            static const char *const pkeys[] = {"id", "version"};
            bool pseen[2] = {false};
            for (const esv_jval *e = m->child; e; e = e->next) {
                esv_path ep = {&mp, e->key, e->key_len, 0};
                int pk = -1;
                ESV_TRY(key_of(w, &ep, e, pkeys, 2, pseen, &pk));
                ESV_TRY(nonempty_string(w, &ep, e));
            }
            ESV_TRY(required(w, &mp, m, pkeys, 1, pseen));
            tf->policy = m;
            break;
        }
        case 4:
            ESV_TRY(nonempty_string(w, &mp, m));
            tf->policy_file = m;
            break;
        }
    }
    return required(w, NULL, root, keys, 2, seen);
}

/* Checks a test file; root and tf valid until the parser is reused. */
int esv_tests_read(esv_json *jp, const char *data, size_t len, esv_tests_file *tf, embedsvc_error *err)
{
    const esv_jval *root;
    int rc = esv_json_parse(jp, data ? data : "", len, &root, err);
    if (rc != EMBEDSVC_OK)
        return rc;
    *tf = (esv_tests_file){0};
    esv_walk w = {data, len, err};
    return check_file(&w, root, tf);
}

int embedsvc_tests_policy_file(const char *data, size_t len, char *buf, size_t size, embedsvc_error *err)
{
    if ((!data && len) || (!buf && size))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    esv_alloc al;
    esv_alloc_init(&al, NULL);
    esv_json *jp = esv_json_new(&al);
    if (!jp)
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    esv_tests_file tf;
    int rc = esv_tests_read(jp, data, len, &tf, err);
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
