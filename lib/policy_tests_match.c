/* Policy test files, `embedsvc.tests/1`: comparing a result with a case's expectations. The
 * expectations are a part of the result JSON (any member, with `total_yuan` for the total,
 * `checks` by rule, `findings` and `absent_findings` by code and function); every difference is
 * written to the case's diff with its JSON pointer in the result, the expected and the actual
 * value (amounts in fen also in yuan). The reader of the file is policy_tests_read.c, the runner
 * policy_tests.c. */
#include "authoring.h"
#include "model.h"
#include "policy_tests.h"

#include <stdio.h>
#include <string.h>

typedef struct cmp {
    esv_out *diff;    /* the case's differences */
    const esv_alloc *al;
    esv_buf path;     /* JSON pointer in the result */
    bool silent;      /* only find out whether it matches (findings) */
    bool mismatch;
} cmp;

void esv_tests_put(esv_out *o, const char *s)
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
    esv_tests_put(o, tmp);
}

/* A value as compact JSON, cut at 300 bytes (on a character boundary) with "…". */
static void put_shown(cmp *c, const esv_jval *v, bool fen)
{
    if (!v) {
        esv_tests_put(c->diff, "(absent)");
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
        esv_tests_put(c->diff, "…");
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
        esv_tests_put(c->diff, "/");
    esv_tests_put(c->diff, "\n  expected: ");
    if (exp_text)
        esv_tests_put(c->diff, exp_text);
    else
        put_shown(c, exp, fen);
    esv_tests_put(c->diff, "\n  actual:   ");
    if (act_text)
        esv_tests_put(c->diff, act_text);
    else
        put_shown(c, act, fen);
    esv_tests_put(c->diff, "\n");
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
            match(c, m, esv_json_member(act, m->key, m->key_len));
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
        const esv_jval *code = esv_json_member(finding, "code", 4);
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
        esv_tests_put(o, "none");
        return;
    }
    for (const esv_jval *f = findings->child; f; f = f->next) {
        const esv_jval *code = esv_json_member(f, "code", 4), *fn = esv_json_member(f, "function", 8);
        if (code && code->type == ESV_JSTRING)
            esv_out_put(o, code->str, code->len);
        if (fn && fn->type == ESV_JNUMBER) {
            esv_tests_put(o, " (function ");
            esv_out_put(o, fn->str, fn->len);
            esv_tests_put(o, ")");
        }
        if (f->next)
            esv_tests_put(o, ", ");
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
        esv_tests_put(c->diff, present ? "\n  expected: a finding " : "\n  expected: no finding ");
        put_shown(c, e, false);
        esv_tests_put(c->diff, "\n  actual:   ");
        if (present) {
            esv_tests_put(c->diff, "no such finding (findings: ");
            put_codes(c->diff, findings);
            esv_tests_put(c->diff, ")");
        } else {
            const esv_jval *code = esv_json_member(hit, "code", 4), *sev = esv_json_member(hit, "severity", 8),
                           *fn = esv_json_member(hit, "function", 8);
            put_shown(c, code, false);
            esv_tests_put(c->diff, " (severity ");
            if (sev && sev->type == ESV_JSTRING)
                esv_out_put(c->diff, sev->str, sev->len);
            esv_tests_put(c->diff, ", function ");
            put_shown(c, fn, false);
            esv_tests_put(c->diff, ")");
        }
        esv_tests_put(c->diff, "\n");
    }
}

static void match_checks(cmp *c, const esv_jval *exp, const esv_jval *checks)
{
    for (const esv_jval *m = exp->child; m; m = m->next) {
        const esv_jval *hit = NULL;
        if (checks && checks->type == ESV_JARRAY)
            for (const esv_jval *k = checks->child; k && !hit; k = k->next) {
                const esv_jval *rule = esv_json_member(k, "rule", 4);
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
        if (esv_tests_key_eq(m, "total_yuan")) {
            int64_t fen = 0;
            const char *msg;
            esv_decimal_parse(ESV_DEC_MONEY, m->str, m->len, &fen, &msg); /* checked when the file was read */
            char tmp[32];
            snprintf(tmp, sizeof(tmp), "%lld", (long long)fen);
            esv_jval want = {ESV_JNUMBER, tmp, strlen(tmp), 0, NULL, NULL, NULL, 0, 0};
            size_t o1 = path_push_key(c, "subsidy", 7);
            path_push_key(c, "total_fen", 9);
            match(c, &want, esv_json_member(esv_json_member(result, "subsidy", 7), "total_fen", 9));
            path_pop(c, o1);
        } else if (esv_tests_key_eq(m, "checks")) {
            match_checks(c, m, esv_json_member(result, "checks", 6));
        } else if (esv_tests_key_eq(m, "findings") || esv_tests_key_eq(m, "absent_findings")) {
            match_findings(c, m, esv_json_member(result, "findings", 8), esv_tests_key_eq(m, "findings"));
        } else {
            size_t old = path_push_key(c, m->key, m->key_len);
            match(c, m, esv_json_member(result, m->key, m->key_len));
            path_pop(c, old);
        }
    }
}

int esv_tests_compare(esv_out *diff, const esv_alloc *al, const esv_jval *expect, const esv_jval *result)
{
    cmp c = {diff, al, {0}, false, false};
    if (!esv_buf_reserve(&c.path, al, 64))
        return EMBEDSVC_ENOMEM;
    c.path.data[0] = '\0';
    match_result(&c, expect, result);
    esv_buf_free(&c.path, al);
    return EMBEDSVC_OK;
}
