/* embedsvc serve: the body of POST /v1/classify, {"texts": ["…", …]}, read with the rules and the
 * error order of reference §10 (UTF-8, then syntax, then limits and escapes, then duplicate keys,
 * then the members in document order: unknown key, null, type; a missing "texts" last). The public
 * API reads projects and policies only, hence this small reader of one fixed shape: the shape
 * (members, the "texts" array, duplicate keys, the error order) is here, the lexer (strings,
 * numbers, literals, UTF-8 and the error records) in tools/serve_lex.c. */
#include "cli.h"
#include "serve_lex.h"

#include <stdlib.h>
#include <string.h>

typedef struct key_rec {
    size_t start, len; /* in keys arena */
    size_t offset;     /* of the key in the document */
} key_rec;

static int cmp_keys(const void *a, const void *b, const char *arena)
{
    const key_rec *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(arena + x->start, arena + y->start, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static _Thread_local const char *sort_arena;
static int cmp_keys_q(const void *a, const void *b)
{
    return cmp_keys(a, b, sort_arena);
}

/* The members of the top-level object and the elements of its "texts" array. */
typedef struct top_member {
    char *key;
    size_t key_offset, value_offset;
    jkind kind;
} top_member;

typedef struct top {
    jkind kind;
    top_member *m;
    size_t n_m, cap_m;
    /* the elements of the first "texts" array */
    bool texts_seen;
    char **texts;
    jkind *kinds;
    size_t *offsets;
    size_t n_t;
} top;

static bool value(reader *r, int depth, top *t, bool in_texts);

static bool object(reader *r, int depth, top *t)
{
    r->i++;
    sbuf arena = {0};
    key_rec *keys = NULL;
    size_t nk = 0, capk = 0;
    bool ok = false;
    sj_ws(r);
    if (r->i < r->n && r->s[r->i] == '}') {
        r->i++;
        ok = true;
        goto out;
    }
    for (;;) {
        sj_ws(r);
        if (r->i >= r->n || r->s[r->i] != '"') {
            sj_syntax(r, "expected a key string");
            goto out;
        }
        size_t key_at = r->i;
        if (!sj_string(r))
            goto out;
        if (!cli_grow((void **)&keys, &capk, nk + 1, sizeof(*keys), 8)) {
            r->oom = true;
            goto out;
        }
        keys[nk++] = (key_rec){arena.len, r->str.len, key_at};
        sbuf_append(&arena, r->str.data, r->str.len);
        if (t) {
            if (!cli_grow((void **)&t->m, &t->cap_m, t->n_m + 1, sizeof(*t->m), 8) || !(t->m[t->n_m].key = strdup(r->str.data))) {
                r->oom = true;
                goto out;
            }
            t->m[t->n_m].key_offset = key_at;
        }
        sj_ws(r);
        if (r->i >= r->n || r->s[r->i] != ':') {
            if (t)
                free(t->m[t->n_m].key);
            sj_syntax(r, "expected ':'");
            goto out;
        }
        r->i++;
        sj_ws(r);
        bool is_texts = false;
        if (t) {
            t->m[t->n_m].value_offset = r->i;
            is_texts = strcmp(t->m[t->n_m].key, "texts") == 0 && !t->texts_seen;
            t->n_m++;
        }
        jkind k = sj_kind_at(r);
        if (t)
            t->m[t->n_m - 1].kind = k;
        if (is_texts && k == J_ARRAY)
            t->texts_seen = true;
        if (!value(r, depth + 1, NULL, is_texts && k == J_ARRAY))
            goto out;
        sj_ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == '}') {
            r->i++;
            break;
        }
        sj_syntax(r, "expected ',' or '}'");
        goto out;
    }
    ok = true;
    if (arena.failed) {
        r->oom = true;
        goto out;
    }
    if (nk > 1) { /* the first duplicate in document order: the earliest second occurrence */
        sort_arena = arena.data;
        qsort(keys, nk, sizeof(*keys), cmp_keys_q);
        size_t best = SIZE_MAX, best_key = 0;
        for (size_t k = 1; k < nk; k++)
            if (keys[k].len == keys[k - 1].len &&
                memcmp(arena.data + keys[k].start, arena.data + keys[k - 1].start, keys[k].len) == 0 &&
                keys[k].offset < best) {
                best = keys[k].offset;
                best_key = k;
            }
        if (best != SIZE_MAX && (!r->dup || best < r->dup_at)) {
            r->dup = true;
            r->dup_at = best;
            snprintf(r->dup_path, sizeof(r->dup_path), "%s/%.*s", depth == 1 ? "" : "...",
                     (int)(keys[best_key].len > 400 ? 400 : keys[best_key].len), arena.data + keys[best_key].start);
        }
    }
out:
    free(keys);
    sbuf_free(&arena);
    return ok;
}

static bool array(reader *r, int depth, top *t)
{
    r->i++;
    sj_ws(r);
    if (r->i < r->n && r->s[r->i] == ']') {
        r->i++;
        return true;
    }
    for (;;) {
        sj_ws(r);
        size_t at = r->i;
        jkind k = sj_kind_at(r);
        if (!value(r, depth + 1, NULL, false))
            return false;
        if (t) {
            char **nt = realloc(t->texts, (t->n_t + 1) * sizeof(char *));
            jkind *nk = nt ? realloc(t->kinds, (t->n_t + 1) * sizeof(jkind)) : NULL;
            if (nt)
                t->texts = nt;
            if (nk)
                t->kinds = nk;
            size_t *no = nk ? realloc(t->offsets, (t->n_t + 1) * sizeof(size_t)) : NULL;
            if (no)
                t->offsets = no;
            if (!no) {
                r->oom = true;
                return false;
            }
            t->kinds[t->n_t] = k;
            t->offsets[t->n_t] = at;
            t->texts[t->n_t] = k == J_STRING ? strdup(r->str.data ? r->str.data : "") : NULL;
            if (k == J_STRING && !t->texts[t->n_t]) {
                r->oom = true;
                return false;
            }
            t->n_t++;
        }
        sj_ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == ']') {
            r->i++;
            return true;
        }
        sj_syntax(r, "expected ',' or ']'");
        return false;
    }
}

static _Thread_local top *g_top; /* the collector of the "texts" elements during one parse (set by serve_texts_parse) */

static bool value(reader *r, int depth, top *t, bool in_texts)
{
    if (depth > MAX_DEPTH)
        sj_defer(r, r->i, "parse.limit", "nesting deeper than 32");
    if (r->i >= r->n) {
        sj_syntax(r, "unexpected end of input");
        return false;
    }
    char c = r->s[r->i];
    if (c == '{')
        return object(r, depth, t);
    if (c == '[')
        return array(r, depth, in_texts ? g_top : NULL);
    if (c == '"')
        return sj_string(r);
    if (c == 't')
        return sj_literal(r, "true");
    if (c == 'f')
        return sj_literal(r, "false");
    if (c == 'n')
        return sj_literal(r, "null");
    if (c == '-' || (c >= '0' && c <= '9'))
        return sj_number(r);
    sj_syntax(r, "unexpected character");
    return false;
}

void serve_texts_free(char **texts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(texts[i]);
    free(texts);
}

bool serve_texts_parse(const char *data, size_t len, char ***texts, size_t *count, embedsvc_error *err)
{
    *texts = NULL;
    *count = 0;
    size_t bad = sj_utf8_bad((const unsigned char *)data, len);
    if (bad < len) {
        char msg[64];
        snprintf(msg, sizeof(msg), "invalid UTF-8 byte 0x%02X", (unsigned)(unsigned char)data[bad]);
        return sj_fail(err, data, len, bad, "parse.encoding", "", msg);
    }
    reader r = {.s = data, .n = len};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.i = 3;
    top t = {0};
    g_top = &t;
    sj_ws(&r);
    size_t root_at = r.i;
    t.kind = sj_kind_at(&r);
    bool parsed = r.i < r.n && data[r.i] == '{' ? object(&r, 1, &t) : value(&r, 1, NULL, false);
    if (parsed) {
        sj_ws(&r);
        if (r.i < r.n)
            sj_syntax(&r, "trailing characters after the JSON value");
    }
    g_top = NULL;
    bool ok = false;
    char msg[128];
    if (r.oom || r.str.failed) {
        err->status = EMBEDSVC_ENOMEM;
        snprintf(err->code, sizeof(err->code), "out_of_memory");
        snprintf(err->message, sizeof(err->message), "out of memory");
    } else if (r.syntax) {
        sj_fail(err, data, len, r.syntax_at, "parse.syntax", "", r.syntax_msg);
    } else if (r.deferred) {
        sj_fail(err, data, len, r.deferred_at, r.deferred_code, "", r.deferred_msg);
    } else if (r.dup) {
        sj_fail(err, data, len, r.dup_at, "parse.duplicate_key", r.dup_path, "duplicate key");
    } else if (t.kind != J_OBJECT) {
        snprintf(msg, sizeof(msg), "expected an object {\"texts\": [...]}, found %s", sj_kind_name[t.kind]);
        sj_fail(err, data, len, root_at, "parse.type", "", msg);
    } else {
        ok = true;
        for (size_t i = 0; i < t.n_m && ok; i++) {
            top_member *m = &t.m[i];
            if (strcmp(m->key, "texts") != 0) {
                char path[EMBEDSVC_ERROR_PATH_SIZE];
                snprintf(path, sizeof(path), "/%.400s", m->key);
                snprintf(msg, sizeof(msg), "unknown field \"%.64s\"", m->key);
                ok = sj_fail(err, data, len, m->key_offset, "parse.unknown_field", path, msg);
            } else if (m->kind != J_ARRAY) {
                snprintf(msg, sizeof(msg), "expected an array of strings, found %s", sj_kind_name[m->kind]);
                ok = sj_fail(err, data, len, m->value_offset, "parse.type", "/texts", msg);
            } else {
                for (size_t k = 0; k < t.n_t && ok; k++)
                    if (t.kinds[k] != J_STRING) {
                        char path[32];
                        snprintf(path, sizeof(path), "/texts/%zu", k);
                        snprintf(msg, sizeof(msg), "expected a string, found %s", sj_kind_name[t.kinds[k]]);
                        ok = sj_fail(err, data, len, t.offsets[k], "parse.type", path, msg);
                    }
            }
        }
        if (ok && !t.texts_seen)
            ok = sj_fail(err, data, len, root_at, "parse.missing_field", "/texts", "required field \"texts\" is missing");
    }
    for (size_t i = 0; i < t.n_m; i++)
        free(t.m[i].key);
    free(t.m);
    free(t.kinds);
    free(t.offsets);
    sbuf_free(&r.str);
    if (!ok) {
        serve_texts_free(t.texts, t.n_t);
        return false;
    }
    *texts = t.texts;
    *count = t.n_t;
    return true;
}
