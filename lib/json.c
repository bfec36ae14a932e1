/* The library's strict JSON reader (RFC 8259 + the limits of reference §10).
 *
 * One pass over the document, driven by an explicit state machine (no recursion on nesting).
 * The tree lives in a chunked arena owned by the parser and reset on each parse. Defects are
 * reported in the priority order of json.h: the size and UTF-8 checks come first; a syntax error
 * stops the parse at once; a limit/escape error or a duplicate key is recorded and the parse goes
 * on so that a later syntax error (or a later limit error, for a duplicate) still wins. After a
 * limit/escape error nothing more can change the outcome except a syntax error, so the parser
 * stops building the tree and only checks the syntax.
 *
 * This file holds the parse loop, the arena and the nesting; json_strings.c decodes strings,
 * json_keys.c finds duplicate keys, json_errors.c builds the errors (json_internal.h). */
#include "json_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- arena ---- */

static void arena_free_chunks(esv_json *p)
{
    esv_chunk *c = p->head;
    while (c) {
        esv_chunk *next = c->next;
        esv_free(&p->al, c);
        c = next;
    }
    p->head = p->cur = NULL;
    p->used = p->total = 0;
}

/* Makes the arena empty. When the last parse needed several chunks, they are replaced by one
 * chunk of their total size, so that a similar document next time fits without allocating. */
static void arena_reset(esv_json *p)
{
    if (p->head && p->head->next) {
        esv_chunk *one = esv_malloc(&p->al, CHUNK_HDR + p->total);
        if (one) {
            size_t total = p->total;
            arena_free_chunks(p);
            one->next = NULL;
            one->cap = total;
            p->head = one;
            p->total = total;
        }
    }
    p->cur = p->head;
    p->used = 0;
}

void *esv_jp_arena_grow(esv_json *p, size_t n)
{
    esv_chunk *next = p->cur ? p->cur->next : p->head;
    if (next && next->cap >= n) {
        p->cur = next;
        p->used = n;
        return CHUNK_DATA(next);
    }
    size_t cap = p->total > n ? p->total : n;
    if (cap < ARENA_MIN_CHUNK)
        cap = ARENA_MIN_CHUNK;
    if (cap > SIZE_MAX - CHUNK_HDR)
        return NULL;
    esv_chunk *c = esv_malloc(&p->al, CHUNK_HDR + cap);
    if (!c)
        return NULL;
    c->cap = cap;
    if (p->cur) {
        c->next = p->cur->next;
        p->cur->next = c;
    } else {
        c->next = p->head;
        p->head = c;
    }
    p->total += cap;
    p->cur = c;
    p->used = n;
    return CHUNK_DATA(c);
}

/* ---- parser object ---- */

esv_json *esv_json_new(const esv_alloc *al)
{
    esv_alloc a;
    if (al)
        a = *al;
    else
        esv_alloc_init(&a, NULL);
    esv_json *p = esv_malloc(&a, sizeof(*p));
    if (!p)
        return NULL;
    memset(p, 0, sizeof(*p));
    p->al = a;
    return p;
}

void esv_json_free(esv_json *p)
{
    if (!p)
        return;
    arena_free_chunks(p);
    esv_free(&p->al, p->deep);
    esv_free(&p->al, p->scratch);
    esv_alloc al = p->al;
    esv_free(&al, p);
}

/* ---- character classes ---- */

#define IS_WS(ch) ((ch) == ' ' || (ch) == '\n' || (ch) == '\r' || (ch) == '\t')
#define SKIP_WS()                                  \
    do {                                           \
        while (p < end && *p <= ' ' && IS_WS(*p)) \
            p++;                                   \
    } while (0)

/* ---- strings (their decoding is in json_strings.c) ---- */

/* Checks the syntax of the string whose opening quote is at `start`; sets *qclose to its closing
 * quote and *escaped when it contains escapes. Returns 0 or EMBEDSVC_EPARSE. */
static inline int scan_string(pctx *c, const unsigned char *start, const unsigned char *end,
                              const unsigned char **qclose, bool *escaped)
{
    const unsigned char *q = start + 1;
    bool esc = false;
    for (;;) {
        q = esv_json_find_special(q, end);
        if (q == end)
            return esv_jp_fail_eof(c, "unexpected end of input in a string");
        if (*q == '"')
            break;
        if (*q != '\\') {
            char msg[80];
            snprintf(msg, sizeof(msg), "control character U+%04X must be escaped in a string", (unsigned)*q);
            return esv_jp_fail_syntax(c, (size_t)(q - (const unsigned char *)c->data), msg);
        }
        esc = true;
        if (end - q < 2)
            return esv_jp_fail_eof(c, "unexpected end of input in a string");
        switch (q[1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            q += 2;
            break;
        case 'u':
            for (int k = 2; k < 6; k++) {
                if (q + k >= end)
                    return esv_jp_fail_eof(c, "unexpected end of input in a string");
                if (!esv_jp_hex_value[q[k]])
                    return esv_jp_fail_unexpected(c, q + k, end, "expected a hexadecimal digit in a \\u escape");
            }
            q += 6;
            break;
        default:
            return esv_jp_fail_unexpected(c, q + 1, end, "expected an escape character (one of \"\\/bfnrtu)");
        }
    }
    *qclose = q;
    *escaped = esc;
    return 0;
}

/* ---- nesting beyond the frames ---- */

static bool deep_set(esv_json *p, size_t i, bool is_obj)
{
    size_t byte = i / 8;
    if (byte >= p->deep_cap) {
        size_t cap = p->deep_cap ? p->deep_cap * 2 : 64;
        while (cap <= byte)
            cap *= 2;
        unsigned char *d = esv_realloc(&p->al, p->deep, cap);
        if (!d)
            return false;
        p->deep = d;
        p->deep_cap = cap;
    }
    unsigned char bit = (unsigned char)(1u << (i % 8));
    if (is_obj)
        p->deep[byte] |= bit;
    else
        p->deep[byte] &= (unsigned char)~bit;
    return true;
}

static inline bool deep_get(const esv_json *p, size_t i)
{
    return (p->deep[i / 8] >> (i % 8)) & 1u;
}

/* ---- the parser ---- */

/* Allocates a node for a value at depth `depth` (number of open containers) and links it into its
 * container (or makes it the root). */
static inline esv_jval *add_node(esv_json *p, size_t depth, esv_jtype type, size_t offset, esv_jval **root)
{
    esv_jval *n = arena_alloc(p, sizeof(esv_jval), NODE_ALIGN);
    if (!n)
        return NULL;
    n->type = type;
    n->str = NULL;
    n->len = 0;
    n->offset = offset;
    n->child = NULL;
    n->next = NULL;
    if (depth == 0) {
        n->key = NULL;
        n->key_len = 0;
        n->key_offset = 0;
        *root = n;
        return n;
    }
    esv_frame *f = &p->frames[depth - 1];
    if (f->last)
        f->last->next = n;
    else
        f->node->child = n;
    f->last = n;
    f->node->len++;
    if (f->is_obj) {
        n->key = f->key;
        n->key_len = f->key_len;
        n->key_offset = f->key_offset;
    } else {
        n->key = NULL;
        n->key_len = 0;
        n->key_offset = 0;
    }
    return n;
}

static const char *const literal_text[3] = {"null", "false", "true"};

int esv_json_parse(esv_json *P, const char *data, size_t len, const esv_jval **root, embedsvc_error *err)
{
    if (root)
        *root = NULL;
    if (!P || (!data && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    if (!data)
        data = "";
    if (len > ESV_JSON_MAX_SIZE) /* the one message of the limit, shared with the line reader */
        return embedsvc_line_limit_error(err);
    size_t bad = esv_jp_utf8_check(data, len);
    if (bad < len) {
        esv_error_set(err, EMBEDSVC_EPARSE, "parse.encoding", "invalid UTF-8 byte 0x%02X",
                      (unsigned)(unsigned char)data[bad]);
        esv_error_position(err, data, len, bad);
        return EMBEDSVC_EPARSE;
    }

    arena_reset(P);
    pctx c = {P, data, len, err, false, false, 0};
    const unsigned char *const s = (const unsigned char *)data;
    const unsigned char *const end = s + len;
    const unsigned char *p = s;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        p += 3;

    esv_jval *top = NULL;
    size_t depth = 0;     /* open containers */
    bool in_obj = false;  /* kind of the innermost open container */
    bool building = true; /* false after a limit or escape error */
    const unsigned char *qclose = NULL;
    bool escaped = false;

value:
    SKIP_WS();
    if (p == end)
        return esv_jp_fail_eof(&c, depth ? "unexpected end of input" : "empty document");
    if (depth >= ESV_JSON_MAX_DEPTH && building) {
        esv_jp_record_limit(&c, "parse.limit", "nesting deeper than 32", (size_t)(p - s), depth);
        building = false;
    }
    switch (*p) {
    case '{':
    case '[': {
        bool obj = *p == '{';
        esv_jval *n = NULL;
        if (building && !(n = add_node(P, depth, obj ? ESV_JOBJECT : ESV_JARRAY, (size_t)(p - s), &top)))
            goto nomem;
        if (depth < ESV_JSON_MAX_DEPTH) {
            esv_frame *f = &P->frames[depth];
            f->node = n;
            f->last = NULL;
            f->index = 0;
            f->is_obj = obj;
        } else if (!deep_set(P, depth - ESV_JSON_MAX_DEPTH, obj)) {
            goto nomem;
        }
        depth++;
        in_obj = obj;
        p++;
        SKIP_WS();
        if (p < end && *p == (obj ? '}' : ']')) {
            p++;
            goto close_container;
        }
        if (obj)
            goto key;
        goto value;
    }
    case '"': {
        if (scan_string(&c, p, end, &qclose, &escaped))
            return EMBEDSVC_EPARSE;
        if (building) {
            esv_jval *n = add_node(P, depth, ESV_JSTRING, (size_t)(p - s), &top);
            if (!n)
                goto nomem;
            int dr = esv_jp_plain_string(P, p, qclose, escaped, &n->str, &n->len);
            if (dr > 0)
                dr = esv_jp_decode_or_record(P, &c, s, p, qclose, escaped, false, &n->str, &n->len, depth);
            if (dr < 0)
                goto nomem;
            building = dr == 0;
        }
        p = qclose + 1;
        goto after_value;
    }
    case 'n':
    case 'f':
    case 't': {
        int which = *p == 'n' ? 0 : *p == 'f' ? 1 : 2;
        const char *lit = literal_text[which];
        size_t n = which == 1 ? 5 : 4;
        if ((size_t)(end - p) >= n && memcmp(p, lit, n) == 0) {
            if (building &&
                !add_node(P, depth, which == 0 ? ESV_JNULL : which == 1 ? ESV_JFALSE : ESV_JTRUE,
                          (size_t)(p - s), &top))
                goto nomem;
            p += n;
            goto after_value;
        }
        size_t k = 1;
        while (p + k < end && p[k] == (unsigned char)lit[k])
            k++;
        if (p + k == end)
            return esv_jp_fail_eof(&c, "unexpected end of input");
        char expected[40];
        snprintf(expected, sizeof(expected), "expected the literal %s", lit);
        return esv_jp_fail_unexpected(&c, p + k, end, expected);
    }
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
        const unsigned char *q;
        const char *expected;
        switch (esv_json_number(p, end, &q, &expected)) {
        case ESV_NUM_OK:
            break;
        case ESV_NUM_EOF:
            return esv_jp_fail_eof(&c, "unexpected end of input");
        case ESV_NUM_LEADING_ZERO:
            return esv_jp_fail_syntax(&c, (size_t)(q - s), "leading zeros are not allowed in numbers");
        case ESV_NUM_UNEXPECTED:
            return esv_jp_fail_unexpected(&c, q, end, expected);
        }
        if (building) {
            esv_jval *n = add_node(P, depth, ESV_JNUMBER, (size_t)(p - s), &top);
            if (!n)
                goto nomem;
            n->str = (const char *)p;
            n->len = (size_t)(q - p);
        }
        p = q;
        goto after_value;
    }
    default:
        return esv_jp_fail_unexpected(&c, p, end, "expected a JSON value");
    }

key:
    /* white space skipped; a member's key is expected at p */
    if (p == end)
        return esv_jp_fail_eof(&c, "unexpected end of input");
    if (*p != '"')
        return esv_jp_fail_unexpected(&c, p, end, "expected a string key");
    if (scan_string(&c, p, end, &qclose, &escaped))
        return EMBEDSVC_EPARSE;
    if (building) {
        esv_frame *f = &P->frames[depth - 1];
        f->key_offset = (size_t)(p - s);
        int dr = esv_jp_plain_string(P, p, qclose, escaped, &f->key, &f->key_len);
        if (dr > 0)
            dr = esv_jp_decode_or_record(P, &c, s, p, qclose, escaped, true, &f->key, &f->key_len, depth);
        if (dr < 0)
            goto nomem;
        building = dr == 0;
    }
    p = qclose + 1;
    SKIP_WS();
    if (p == end)
        return esv_jp_fail_eof(&c, "unexpected end of input");
    if (*p != ':')
        return esv_jp_fail_unexpected(&c, p, end, "expected ':' after an object key");
    p++;
    goto value;

close_container:
    if (building && in_obj && !esv_jp_check_object(&c, depth))
        goto nomem;
    depth--;
    if (depth > 0)
        in_obj = depth <= ESV_JSON_MAX_DEPTH ? P->frames[depth - 1].is_obj
                                             : deep_get(P, depth - 1 - ESV_JSON_MAX_DEPTH);

after_value:
    SKIP_WS();
    if (depth == 0) {
        if (p != end)
            return esv_jp_fail_syntax(&c, (size_t)(p - s), "trailing characters after the JSON value");
        if (c.failed4 || c.dup_found)
            return EMBEDSVC_EPARSE;
        if (root)
            *root = top;
        return EMBEDSVC_OK;
    }
    if (p == end)
        return esv_jp_fail_eof(&c, "unexpected end of input");
    if (in_obj) {
        if (*p == ',') {
            p++;
            SKIP_WS();
            goto key;
        }
        if (*p == '}') {
            p++;
            goto close_container;
        }
        return esv_jp_fail_unexpected(&c, p, end, "expected ',' or '}' after object member");
    }
    if (*p == ',') {
        p++;
        if (depth <= ESV_JSON_MAX_DEPTH)
            P->frames[depth - 1].index++;
        goto value;
    }
    if (*p == ']') {
        p++;
        goto close_container;
    }
    return esv_jp_fail_unexpected(&c, p, end, "expected ',' or ']' after array element");

nomem:
    return esv_jp_fail_nomem(err);
}

/* ---- helpers ---- */

const esv_jval *esv_json_member(const esv_jval *object, const char *key, size_t len)
{
    if (!object || object->type != ESV_JOBJECT || !key)
        return NULL;
    for (const esv_jval *m = object->child; m; m = m->next)
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return m;
    return NULL;
}

const esv_jval *esv_json_get(const esv_jval *object, const char *key)
{
    return key ? esv_json_member(object, key, strlen(key)) : NULL;
}
