/* embedsvc serve: the body of POST /v1/classify, {"texts": ["…", …]}, read with the rules and the
 * error order of reference §10 (UTF-8, then syntax, then limits and escapes, then duplicate keys,
 * then the members in document order: unknown key, null, type; a missing "texts" last). The public
 * API reads projects and policies only, hence this small reader of one fixed shape. */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_STRING 4096

typedef struct key_rec {
    size_t start, len; /* in keys arena */
    size_t offset;     /* of the key in the document */
} key_rec;

typedef struct reader {
    const char *s;
    size_t n, i;
    /* the first error of each class, by document position */
    bool syntax;
    size_t syntax_at;
    char syntax_msg[128];
    bool deferred; /* limit or escape */
    size_t deferred_at;
    char deferred_code[32], deferred_msg[128];
    bool dup;
    size_t dup_at;
    char dup_path[EMBEDSVC_ERROR_PATH_SIZE];
    sbuf str; /* the last decoded string */
    bool oom;
} reader;

typedef enum jkind { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jkind;

/* The kind of the value that starts at r->i (NULL at the end: the parser reports that). */
static jkind kind_at(const reader *r)
{
    if (r->i >= r->n)
        return J_NULL;
    switch (r->s[r->i]) {
    case '{':
        return J_OBJECT;
    case '[':
        return J_ARRAY;
    case '"':
        return J_STRING;
    case 'n':
        return J_NULL;
    case 't':
    case 'f':
        return J_BOOL;
    default:
        return J_NUMBER;
    }
}

static const char *const kind_name[] = {"null", "a boolean", "a number", "a string", "an array", "an object"};

static void syntax(reader *r, const char *msg)
{
    if (!r->syntax) {
        r->syntax = true;
        r->syntax_at = r->i;
        snprintf(r->syntax_msg, sizeof(r->syntax_msg), "%s", msg);
    }
}

static void defer(reader *r, size_t at, const char *code, const char *msg)
{
    if (!r->deferred) {
        r->deferred = true;
        r->deferred_at = at;
        snprintf(r->deferred_code, sizeof(r->deferred_code), "%s", code);
        snprintf(r->deferred_msg, sizeof(r->deferred_msg), "%s", msg);
    }
}

static void ws(reader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static void put_utf8(sbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sbuf_append(b, u, n);
}

/* A string at r->i (the opening quote), decoded into r->str. */
static bool string(reader *r)
{
    size_t start = r->i;
    r->i++;
    r->str.len = 0;
    sbuf_append(&r->str, "", 0);
    for (;;) {
        if (r->i >= r->n) {
            syntax(r, "unterminated string");
            return false;
        }
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            break;
        }
        if (c < 0x20) {
            syntax(r, "control character in a string");
            return false;
        }
        if (c != '\\') {
            size_t run = r->i;
            while (r->i < r->n && r->s[r->i] != '"' && r->s[r->i] != '\\' && (unsigned char)r->s[r->i] >= 0x20)
                r->i++;
            sbuf_append(&r->str, r->s + run, r->i - run);
            continue;
        }
        size_t esc = r->i;
        if (r->i + 1 >= r->n) {
            syntax(r, "unterminated string");
            return false;
        }
        char e = r->s[r->i + 1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char out[] = "\"\\/\b\f\n\r\t";
            sbuf_append(&r->str, &out[simple - "\"\\/bfnrt"], 1);
            r->i += 2;
            continue;
        }
        if (e != 'u') {
            r->i++;
            syntax(r, "invalid escape in a string");
            return false;
        }
        int cp = r->i + 6 <= r->n ? hex4(r->s + r->i + 2) : -1;
        if (cp < 0) {
            r->i += 2;
            syntax(r, "invalid \\u escape");
            return false;
        }
        r->i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = r->i + 6 <= r->n && r->s[r->i] == '\\' && r->s[r->i + 1] == 'u' ? hex4(r->s + r->i + 2) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                r->i += 6;
                put_utf8(&r->str, 0x10000u + (((unsigned)cp - 0xD800u) << 10) + ((unsigned)lo - 0xDC00u));
                continue;
            }
            defer(r, esc, "parse.encoding", "unpaired surrogate in a \\u escape");
            continue;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            defer(r, esc, "parse.encoding", "unpaired surrogate in a \\u escape");
            continue;
        }
        if (cp == 0) {
            defer(r, esc, "parse.encoding", "\\u0000 is not allowed");
            continue;
        }
        put_utf8(&r->str, (unsigned)cp);
    }
    if (r->str.failed)
        r->oom = true;
    if (r->str.len > MAX_STRING)
        defer(r, start, "parse.limit", "string longer than 4096 bytes");
    return true;
}

static bool literal(reader *r, const char *word)
{
    size_t l = strlen(word);
    if (r->n - r->i < l || memcmp(r->s + r->i, word, l) != 0) {
        syntax(r, "invalid literal");
        return false;
    }
    r->i += l;
    return true;
}

static bool number(reader *r)
{
    size_t i = r->i;
    if (i < r->n && r->s[i] == '-')
        i++;
    if (i < r->n && r->s[i] == '0')
        i++;
    else if (i < r->n && r->s[i] >= '1' && r->s[i] <= '9')
        while (i < r->n && r->s[i] >= '0' && r->s[i] <= '9')
            i++;
    else {
        r->i = i;
        syntax(r, "invalid number");
        return false;
    }
    if (i < r->n && r->s[i] == '.') {
        i++;
        size_t d = i;
        while (i < r->n && r->s[i] >= '0' && r->s[i] <= '9')
            i++;
        if (i == d) {
            r->i = i;
            syntax(r, "invalid number");
            return false;
        }
    }
    if (i < r->n && (r->s[i] == 'e' || r->s[i] == 'E')) {
        i++;
        if (i < r->n && (r->s[i] == '+' || r->s[i] == '-'))
            i++;
        size_t d = i;
        while (i < r->n && r->s[i] >= '0' && r->s[i] <= '9')
            i++;
        if (i == d) {
            r->i = i;
            syntax(r, "invalid number");
            return false;
        }
    }
    r->i = i;
    return true;
}

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

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 8;
    void *np = realloc(*p, c * size);
    if (!np)
        return false;
    *p = np;
    *cap = c;
    return true;
}

static bool object(reader *r, int depth, top *t)
{
    r->i++;
    sbuf arena = {0};
    key_rec *keys = NULL;
    size_t nk = 0, capk = 0;
    bool ok = false;
    ws(r);
    if (r->i < r->n && r->s[r->i] == '}') {
        r->i++;
        ok = true;
        goto out;
    }
    for (;;) {
        ws(r);
        if (r->i >= r->n || r->s[r->i] != '"') {
            syntax(r, "expected a key string");
            goto out;
        }
        size_t key_at = r->i;
        if (!string(r))
            goto out;
        if (!grow((void **)&keys, &capk, nk, sizeof(*keys))) {
            r->oom = true;
            goto out;
        }
        keys[nk++] = (key_rec){arena.len, r->str.len, key_at};
        sbuf_append(&arena, r->str.data, r->str.len);
        if (t) {
            if (!grow((void **)&t->m, &t->cap_m, t->n_m, sizeof(*t->m)) || !(t->m[t->n_m].key = strdup(r->str.data))) {
                r->oom = true;
                goto out;
            }
            t->m[t->n_m].key_offset = key_at;
        }
        ws(r);
        if (r->i >= r->n || r->s[r->i] != ':') {
            if (t)
                free(t->m[t->n_m].key);
            syntax(r, "expected ':'");
            goto out;
        }
        r->i++;
        ws(r);
        bool is_texts = false;
        if (t) {
            t->m[t->n_m].value_offset = r->i;
            is_texts = strcmp(t->m[t->n_m].key, "texts") == 0 && !t->texts_seen;
            t->n_m++;
        }
        jkind k = kind_at(r);
        if (t)
            t->m[t->n_m - 1].kind = k;
        if (is_texts && k == J_ARRAY)
            t->texts_seen = true;
        if (!value(r, depth + 1, NULL, is_texts && k == J_ARRAY))
            goto out;
        ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == '}') {
            r->i++;
            break;
        }
        syntax(r, "expected ',' or '}'");
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
    ws(r);
    if (r->i < r->n && r->s[r->i] == ']') {
        r->i++;
        return true;
    }
    for (;;) {
        ws(r);
        size_t at = r->i;
        jkind k = kind_at(r);
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
        ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == ']') {
            r->i++;
            return true;
        }
        syntax(r, "expected ',' or ']'");
        return false;
    }
}

static _Thread_local top *g_top; /* the collector of the "texts" elements during one parse (set by serve_texts_parse) */

static bool value(reader *r, int depth, top *t, bool in_texts)
{
    if (depth > MAX_DEPTH)
        defer(r, r->i, "parse.limit", "nesting deeper than 32");
    if (r->i >= r->n) {
        syntax(r, "unexpected end of input");
        return false;
    }
    char c = r->s[r->i];
    if (c == '{')
        return object(r, depth, t);
    if (c == '[')
        return array(r, depth, in_texts ? g_top : NULL);
    if (c == '"')
        return string(r);
    if (c == 't')
        return literal(r, "true");
    if (c == 'f')
        return literal(r, "false");
    if (c == 'n')
        return literal(r, "null");
    if (c == '-' || (c >= '0' && c <= '9'))
        return number(r);
    syntax(r, "unexpected character");
    return false;
}

/* The offset of the first invalid UTF-8 byte (no overlong forms, no surrogates), or len. */
static size_t utf8_bad(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += n;
    }
    return len;
}

static void position(const char *doc, size_t len, size_t off, embedsvc_error *err)
{
    uint32_t l = 1, c = 1;
    size_t i = len >= 3 && memcmp(doc, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (; i < off && i < len; i++) {
        if (doc[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)doc[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    err->line = l;
    err->column = c;
    err->offset = off;
}

static bool fail(embedsvc_error *err, const char *doc, size_t len, size_t off, const char *code, const char *path,
                 const char *msg)
{
    err->status = EMBEDSVC_EPARSE;
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->message, sizeof(err->message), "%s", msg);
    snprintf(err->path, sizeof(err->path), "%s", path);
    position(doc, len, off, err);
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
    size_t bad = utf8_bad((const unsigned char *)data, len);
    if (bad < len) {
        char msg[64];
        snprintf(msg, sizeof(msg), "invalid UTF-8 byte 0x%02X", (unsigned)(unsigned char)data[bad]);
        return fail(err, data, len, bad, "parse.encoding", "", msg);
    }
    reader r = {.s = data, .n = len};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.i = 3;
    top t = {0};
    g_top = &t;
    ws(&r);
    size_t root_at = r.i;
    t.kind = kind_at(&r);
    bool parsed = r.i < r.n && data[r.i] == '{' ? object(&r, 1, &t) : value(&r, 1, NULL, false);
    if (parsed) {
        ws(&r);
        if (r.i < r.n)
            syntax(&r, "trailing characters after the JSON value");
    }
    g_top = NULL;
    bool ok = false;
    char msg[128];
    if (r.oom || r.str.failed) {
        err->status = EMBEDSVC_ENOMEM;
        snprintf(err->code, sizeof(err->code), "out_of_memory");
        snprintf(err->message, sizeof(err->message), "out of memory");
    } else if (r.syntax) {
        fail(err, data, len, r.syntax_at, "parse.syntax", "", r.syntax_msg);
    } else if (r.deferred) {
        fail(err, data, len, r.deferred_at, r.deferred_code, "", r.deferred_msg);
    } else if (r.dup) {
        fail(err, data, len, r.dup_at, "parse.duplicate_key", r.dup_path, "duplicate key");
    } else if (t.kind != J_OBJECT) {
        snprintf(msg, sizeof(msg), "expected an object {\"texts\": [...]}, found %s", kind_name[t.kind]);
        fail(err, data, len, root_at, "parse.type", "", msg);
    } else {
        ok = true;
        for (size_t i = 0; i < t.n_m && ok; i++) {
            top_member *m = &t.m[i];
            if (strcmp(m->key, "texts") != 0) {
                char path[EMBEDSVC_ERROR_PATH_SIZE];
                snprintf(path, sizeof(path), "/%.400s", m->key);
                snprintf(msg, sizeof(msg), "unknown field \"%.64s\"", m->key);
                ok = fail(err, data, len, m->key_offset, "parse.unknown_field", path, msg);
            } else if (m->kind != J_ARRAY) {
                snprintf(msg, sizeof(msg), "expected an array of strings, found %s", kind_name[m->kind]);
                ok = fail(err, data, len, m->value_offset, "parse.type", "/texts", msg);
            } else {
                for (size_t k = 0; k < t.n_t && ok; k++)
                    if (t.kinds[k] != J_STRING) {
                        char path[32];
                        snprintf(path, sizeof(path), "/texts/%zu", k);
                        snprintf(msg, sizeof(msg), "expected a string, found %s", kind_name[t.kinds[k]]);
                        ok = fail(err, data, len, t.offsets[k], "parse.type", path, msg);
                    }
            }
        }
        if (ok && !t.texts_seen)
            ok = fail(err, data, len, root_at, "parse.missing_field", "/texts", "required field \"texts\" is missing");
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
