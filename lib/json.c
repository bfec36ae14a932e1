/* The library's strict JSON reader (RFC 8259 + the limits of reference §10).
 *
 * One pass over the document, driven by an explicit state machine (no recursion on nesting).
 * The tree lives in a chunked arena owned by the parser and reset on each parse. Defects are
 * reported in the priority order of json.h: the size and UTF-8 checks come first; a syntax error
 * stops the parse at once; a limit/escape error or a duplicate key is recorded and the parse goes
 * on so that a later syntax error (or a later limit error, for a duplicate) still wins. After a
 * limit/escape error nothing more can change the outcome except a syntax error, so the parser
 * stops building the tree and only checks the syntax. */
#include "json.h"
#include "json_chars.h"

#include <stdio.h>
#include <string.h>

/* ---- arena ---- */

typedef struct esv_chunk esv_chunk;
struct esv_chunk {
    esv_chunk *next;
    size_t cap; /* bytes of data after the header */
};

#define CHUNK_HDR ((sizeof(esv_chunk) + 15u) & ~(size_t)15u)
#define CHUNK_DATA(c) ((char *)(c) + CHUNK_HDR)
#define ARENA_MIN_CHUNK ((size_t)8192 - CHUNK_HDR)
#define NODE_ALIGN (_Alignof(esv_jval))

/* An open container. Frames exist for depths 1..ESV_JSON_MAX_DEPTH; deeper containers only occur
 * after a depth error and are tracked as bits (deep). */
typedef struct esv_frame {
    esv_jval *node;     /* NULL once the tree is no longer built */
    esv_jval *last;     /* last child linked */
    const char *key;    /* object: key of the member being parsed (for the node and the path) */
    size_t key_len;
    size_t key_offset;
    size_t index;       /* array: index of the element being parsed */
    bool is_obj;
} esv_frame;

typedef struct dup_entry {
    uint64_t hash;
    const esv_jval *m;
} dup_entry;

struct esv_json {
    esv_alloc al;
    esv_chunk *head; /* chunks, kept across parses */
    esv_chunk *cur;  /* chunk being filled; NULL before the first allocation */
    size_t used;     /* bytes used in cur */
    size_t total;    /* sum of the chunks' capacities */
    unsigned char *deep; /* container kind (1 = object) of depths > ESV_JSON_MAX_DEPTH, one bit each */
    size_t deep_cap;
    dup_entry *scratch; /* room for sorting the members of large objects */
    size_t scratch_cap; /* entries */
    esv_frame frames[ESV_JSON_MAX_DEPTH];
};

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

static void *arena_grow(esv_json *p, size_t n)
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

static inline void *arena_alloc(esv_json *p, size_t n, size_t align)
{
    if (p->cur) {
        size_t off = (p->used + (align - 1)) & ~(align - 1);
        if (off <= p->cur->cap && n <= p->cur->cap - off) {
            p->used = off + n;
            return CHUNK_DATA(p->cur) + off;
        }
    }
    return arena_grow(p, n);
}

/* Gives back the tail of the last allocation `ptr`, keeping `n` bytes. */
static inline void arena_shrink_last(esv_json *p, const char *ptr, size_t n)
{
    p->used = (size_t)(ptr - CHUNK_DATA(p->cur)) + n;
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

/* Hexadecimal digit value + 1, or 0. */
static const unsigned char hex_value[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define IS_DIGIT(ch) ((unsigned)((ch) - '0') < 10u)
#define IS_WS(ch) ((ch) == ' ' || (ch) == '\n' || (ch) == '\r' || (ch) == '\t')
#define SKIP_WS()                                  \
    do {                                           \
        while (p < end && *p <= ' ' && IS_WS(*p)) \
            p++;                                   \
    } while (0)

/* Offset of the first invalid UTF-8 byte, or len. Skips ASCII 8 bytes at a time and validates each
 * run of non-ASCII bytes with esv_utf8_valid_prefix (a sequence never contains an ASCII byte). */
static size_t utf8_check(const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t i = 0;
    while (i < len) {
        while (len - i >= 8 && !(esv_load64(s + i) & ESV_SWAR_HIGH))
            i += 8;
        while (i < len && s[i] < 0x80)
            i++;
        if (i == len)
            break;
        size_t j = i + 1;
        while (j < len && s[j] >= 0x80)
            j++;
        size_t ok = esv_utf8_valid_prefix(data + i, j - i);
        if (ok < j - i)
            return i + ok;
        i = j;
    }
    return len;
}

/* ---- errors ---- */

typedef struct pctx {
    esv_json *p;
    const char *data;
    size_t len;
    embedsvc_error *err;
    bool failed4;     /* a limit or escape error was recorded */
    bool dup_found;   /* a duplicate key was recorded (at dup_offset) */
    size_t dup_offset;
} pctx;

#define PATH_CAP EMBEDSVC_ERROR_PATH_SIZE

static inline void path_put(char *out, size_t *n, char ch)
{
    if (*n < PATH_CAP)
        out[*n] = ch;
    (*n)++;
}

static void path_key(char *out, size_t *n, const char *key, size_t len)
{
    path_put(out, n, '/');
    for (size_t i = 0; i < len && *n < PATH_CAP; i++) {
        if (key[i] == '~') {
            path_put(out, n, '~');
            path_put(out, n, '0');
        } else if (key[i] == '/') {
            path_put(out, n, '~');
            path_put(out, n, '1');
        } else {
            path_put(out, n, key[i]);
        }
    }
}

/* Writes the JSON pointer of the value being parsed in frames[0..nframes-1] into out (PATH_CAP
 * bytes, not NUL-terminated); the last frame's member key is replaced by last_key when given.
 * Returns the length, or PATH_CAP when truncated (esv_error_path then adds "..."). */
static size_t build_path(const esv_json *p, size_t nframes, const char *last_key, size_t last_len, char *out)
{
    size_t n = 0;
    for (size_t d = 0; d < nframes && n < PATH_CAP; d++) {
        const esv_frame *f = &p->frames[d];
        if (f->is_obj) {
            if (d + 1 == nframes && last_key)
                path_key(out, &n, last_key, last_len);
            else
                path_key(out, &n, f->key, f->key_len);
        } else {
            char num[24];
            int k = snprintf(num, sizeof(num), "/%zu", f->index);
            for (int i = 0; i < k; i++)
                path_put(out, &n, num[i]);
        }
    }
    return n < PATH_CAP ? n : PATH_CAP;
}

static void set_error(pctx *c, const char *code, const char *msg, size_t offset, size_t nframes,
                      const char *last_key, size_t last_len)
{
    if (!c->err)
        return;
    esv_error_set(c->err, EMBEDSVC_EPARSE, code, "%s", msg);
    esv_error_position(c->err, c->data, c->len, offset);
    char path[PATH_CAP];
    size_t n = build_path(c->p, nframes, last_key, last_len, path);
    esv_error_path(c->err, path, n);
}

/* Records a limit or escape error (kind 4 of json.h) of the value in frames[0..nframes-1]. */
static void record_limit(pctx *c, const char *code, const char *msg, size_t offset, size_t nframes)
{
    c->failed4 = true;
    set_error(c, code, msg, offset, nframes, NULL, 0);
}

static int fail_syntax(pctx *c, size_t offset, const char *msg)
{
    set_error(c, "parse.syntax", msg, offset, 0, NULL, 0);
    return EMBEDSVC_EPARSE;
}

/* Describes the byte at q (a whole character when non-ASCII) for a message. */
static void describe_char(const unsigned char *q, const unsigned char *end, char *out, size_t size)
{
    if (*q >= 0x20 && *q < 0x7F) {
        snprintf(out, size, "'%c'", *q);
    } else if (*q < 0x80) {
        snprintf(out, size, "U+%04X", (unsigned)*q);
    } else {
        size_t i = 0;
        uint32_t cp = esv_utf8_next((const char *)q, (size_t)(end - q), &i);
        snprintf(out, size, "'%.*s' (U+%04X)", (int)i, (const char *)q, (unsigned)cp);
    }
}

static int fail_unexpected(pctx *c, const unsigned char *q, const unsigned char *end, const char *expected)
{
    char ch[32], msg[128];
    describe_char(q, end, ch, sizeof(ch));
    snprintf(msg, sizeof(msg), "unexpected character %s, %s", ch, expected);
    return fail_syntax(c, (size_t)(q - (const unsigned char *)c->data), msg);
}

static int fail_eof(pctx *c, const char *msg)
{
    return fail_syntax(c, c->len, msg);
}

static int fail_nomem(embedsvc_error *err)
{
    return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
}

/* ---- strings ---- */

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
            return fail_eof(c, "unexpected end of input in a string");
        if (*q == '"')
            break;
        if (*q != '\\') {
            char msg[80];
            snprintf(msg, sizeof(msg), "control character U+%04X must be escaped in a string", (unsigned)*q);
            return fail_syntax(c, (size_t)(q - (const unsigned char *)c->data), msg);
        }
        esc = true;
        if (end - q < 2)
            return fail_eof(c, "unexpected end of input in a string");
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
                    return fail_eof(c, "unexpected end of input in a string");
                if (!hex_value[q[k]])
                    return fail_unexpected(c, q + k, end, "expected a hexadecimal digit in a \\u escape");
            }
            q += 6;
            break;
        default:
            return fail_unexpected(c, q + 1, end, "expected an escape character (one of \"\\/bfnrtu)");
        }
    }
    *qclose = q;
    *escaped = esc;
    return 0;
}

static inline uint32_t hex4(const unsigned char *q)
{
    return (uint32_t)(hex_value[q[0]] - 1) << 12 | (uint32_t)(hex_value[q[1]] - 1) << 8 |
           (uint32_t)(hex_value[q[2]] - 1) << 4 | (uint32_t)(hex_value[q[3]] - 1);
}

enum { STR_OK, STR_NOMEM, STR_TOO_LONG, STR_BAD_ESCAPE };

/* Unescapes the string between the quotes start and qclose (already checked by scan_string) into
 * the arena. Returns STR_OK with *out and *out_len; STR_TOO_LONG (checked before escape errors, since
 * it is reported at the string's first byte); STR_BAD_ESCAPE with *bad at the offending escape
 * and *bad_msg; or STR_NOMEM. A string with escapes too long for sure is only decoded when
 * need_text (keys, for the error path). An unpaired surrogate or \u0000 is written as U+FFFD so that the text (used
 * in the error path of a key) stays valid UTF-8 without NUL. */
static int decode_string(esv_json *p, const unsigned char *start, const unsigned char *qclose, bool escaped,
                         bool need_text, const char **out, size_t *out_len, const unsigned char **bad,
                         const char **bad_msg)
{
    const unsigned char *q = start + 1;
    size_t raw = (size_t)(qclose - q);
    if (!escaped) {
        if (raw > ESV_JSON_MAX_STRING) {
            *out = (const char *)q; /* not NUL-terminated: only for the error path */
            *out_len = raw;
            return STR_TOO_LONG;
        }
        char *o = arena_alloc(p, raw + 1, 1);
        if (!o)
            return STR_NOMEM;
        memcpy(o, q, raw);
        o[raw] = '\0';
        *out = o;
        *out_len = raw;
        return STR_OK;
    }
    /* An escape gives at least one byte for six, so a longer raw string is too long anyway. */
    if (raw > 6 * (size_t)ESV_JSON_MAX_STRING && !need_text)
        return STR_TOO_LONG;
    char *buf = arena_alloc(p, raw + 1, 1);
    if (!buf)
        return STR_NOMEM;
    char *o = buf;
    const unsigned char *first_bad = NULL;
    const char *first_msg = NULL;
    size_t nul_extra = 0; /* \u0000 counts 1 byte for the limit but is written as U+FFFD */
    while (q < qclose) {
        const unsigned char *r = memchr(q, '\\', (size_t)(qclose - q));
        if (!r)
            r = qclose;
        memcpy(o, q, (size_t)(r - q));
        o += r - q;
        q = r;
        if (q == qclose)
            break;
        unsigned char e = q[1];
        if (e != 'u') {
            char ch;
            switch (e) {
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            default: ch = (char)e; break; /* " \ / */
            }
            *o++ = ch;
            q += 2;
            continue;
        }
        const unsigned char *esc = q;
        uint32_t cp = hex4(q + 2);
        q += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (qclose - q >= 6 && q[0] == '\\' && q[1] == 'u') {
                uint32_t lo = hex4(q + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    q += 6;
                }
            }
            if (cp < 0x10000) {
                if (!first_bad) {
                    first_bad = esc;
                    first_msg = "unpaired high surrogate in a \\u escape";
                }
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            if (!first_bad) {
                first_bad = esc;
                first_msg = "unpaired low surrogate in a \\u escape";
            }
            cp = 0xFFFD;
        } else if (cp == 0) {
            if (!first_bad) {
                first_bad = esc;
                first_msg = "\\u0000 is not allowed in a string";
            }
            cp = 0xFFFD;
            nul_extra += 2;
        }
        o += esv_utf8_encode(cp, o);
    }
    *o = '\0';
    size_t n = (size_t)(o - buf);
    arena_shrink_last(p, buf, n + 1);
    *out = buf;
    *out_len = n;
    if (n - nul_extra > ESV_JSON_MAX_STRING)
        return STR_TOO_LONG;
    if (first_bad) {
        *bad = first_bad;
        *bad_msg = first_msg;
        return STR_BAD_ESCAPE;
    }
    return STR_OK;
}

/* Decodes a string or key that scan_string accepted; a length or escape defect is recorded (reference §10
 * order) and the tree stops being built. Returns 0 decoded, 1 defect recorded, -1 out of memory. */
static int decode_or_record(esv_json *P, pctx *c, const unsigned char *s, const unsigned char *p,
                            const unsigned char *qclose, bool escaped, bool is_key, const char **out, size_t *len,
                            size_t depth)
{
    const unsigned char *bad_at = NULL;
    const char *bad_msg = NULL;
    switch (decode_string(P, p, qclose, escaped, is_key, out, len, &bad_at, &bad_msg)) {
    case STR_OK:
        return 0;
    case STR_NOMEM:
        return -1;
    case STR_TOO_LONG:
        record_limit(c, "parse.limit", is_key ? "key longer than 4096 bytes" : "string longer than 4096 bytes",
                     (size_t)(p - s), depth);
        return 1;
    default:
        record_limit(c, "parse.encoding", bad_msg, (size_t)(bad_at - s), depth);
        return 1;
    }
}

/* ---- duplicate keys ---- */

static inline uint64_t key_hash(const char *k, size_t n)
{
    const uint64_t mul = UINT64_C(0x9E3779B97F4A7C15);
    uint64_t h = n * mul;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, k, 8);
        h = (h ^ w) * mul;
        h ^= h >> 31;
        k += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, k, n);
    h = (h ^ w) * mul;
    return h ^ (h >> 29);
}

static inline bool same_key(const esv_jval *a, const esv_jval *b)
{
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

static inline int entry_cmp(const dup_entry *a, const dup_entry *b)
{
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    if (a->m->key_len != b->m->key_len)
        return a->m->key_len < b->m->key_len ? -1 : 1;
    return memcmp(a->m->key, b->m->key, a->m->key_len);
}

/* Stable bottom-up merge sort (worst case O(n log n)); tmp has room for n entries. */
static void sort_entries(dup_entry *a, dup_entry *tmp, size_t n)
{
    const size_t run = 16;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = n - lo > run ? lo + run : n;
        for (size_t i = lo + 1; i < hi; i++) {
            dup_entry x = a[i];
            size_t j = i;
            while (j > lo && entry_cmp(&x, &a[j - 1]) < 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    dup_entry *src = a, *dst = tmp;
    for (size_t w = run; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = n - lo > w ? lo + w : n;
            size_t hi = n - mid > w ? mid + w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = entry_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        dup_entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
}

/* Finds the second occurrence of a key that comes first in the object, or NULL. Returns false on
 * ENOMEM. */
static bool find_duplicate(esv_json *p, const esv_jval *obj, const esv_jval **dup)
{
    size_t n = obj->len;
    *dup = NULL;
    if (n <= 8) {
        const esv_jval *m[8];
        size_t k = 0;
        for (const esv_jval *v = obj->child; v; v = v->next) {
            for (size_t i = 0; i < k; i++) {
                if (same_key(m[i], v)) {
                    *dup = v;
                    return true;
                }
            }
            m[k++] = v;
        }
        return true;
    }
    if (n > p->scratch_cap / 2) {
        if (n > SIZE_MAX / (2 * sizeof(dup_entry)))
            return false;
        size_t cap = 2 * n;
        dup_entry *s = esv_realloc(&p->al, p->scratch, cap * sizeof(dup_entry));
        if (!s)
            return false;
        p->scratch = s;
        p->scratch_cap = cap;
    }
    dup_entry *e = p->scratch;
    size_t k = 0;
    for (const esv_jval *v = obj->child; v; v = v->next) {
        e[k].hash = key_hash(v->key, v->key_len);
        e[k].m = v;
        k++;
    }
    sort_entries(e, e + n, n);
    const esv_jval *best = NULL;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        if (j < n && entry_cmp(&e[i], &e[j]) == 0) {
            if (!best || e[j].m->key_offset < best->key_offset)
                best = e[j].m;
            while (j < n && entry_cmp(&e[i], &e[j]) == 0)
                j++;
        }
        i = j;
    }
    *dup = best;
    return true;
}

/* Formats a key as a JSON string for a message, cut (at a character boundary) when long. */
static void quote_key(char *out, size_t size, const char *key, size_t len)
{
    size_t o = 0, i = 0;
    out[o++] = '"';
    while (i < len && o + 12 < size) {
        unsigned char ch = (unsigned char)key[i];
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", (unsigned)ch);
        } else {
            out[o++] = (char)ch;
        }
        i++;
    }
    while (i < len && o > 1 && ((unsigned char)key[i] & 0xC0) == 0x80) {
        /* do not cut a character: drop its first bytes */
        i--;
        o--;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* Checks the object of frames[depth - 1] (being closed) for a duplicate key earlier than the one
 * recorded. Returns false on ENOMEM. */
static bool check_object(pctx *c, size_t depth)
{
    const esv_jval *obj = c->p->frames[depth - 1].node;
    if (obj->len < 2 || (c->dup_found && obj->offset > c->dup_offset))
        return true;
    const esv_jval *dup;
    if (!find_duplicate(c->p, obj, &dup))
        return false;
    if (!dup || (c->dup_found && dup->key_offset >= c->dup_offset))
        return true;
    c->dup_found = true;
    c->dup_offset = dup->key_offset;
    char msg[EMBEDSVC_ERROR_MESSAGE_SIZE], key[120];
    quote_key(key, sizeof(key), dup->key, dup->key_len);
    snprintf(msg, sizeof(msg), "duplicate key %s", key);
    set_error(c, "parse.duplicate_key", msg, dup->key_offset, depth, dup->key, dup->key_len);
    return true;
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
    if (len > ESV_JSON_MAX_SIZE) {
        esv_error_set(err, EMBEDSVC_EPARSE, "parse.limit", "document larger than %u bytes (16 MiB)",
                      (unsigned)ESV_JSON_MAX_SIZE);
        esv_error_position(err, data, len, 0);
        return EMBEDSVC_EPARSE;
    }
    size_t bad = utf8_check(data, len);
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
        return fail_eof(&c, depth ? "unexpected end of input" : "empty document");
    if (depth >= ESV_JSON_MAX_DEPTH && building) {
        record_limit(&c, "parse.limit", "nesting deeper than 32", (size_t)(p - s), depth);
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
            int dr = decode_or_record(P, &c, s, p, qclose, escaped, false, &n->str, &n->len, depth);
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
            return fail_eof(&c, "unexpected end of input");
        char expected[40];
        snprintf(expected, sizeof(expected), "expected the literal %s", lit);
        return fail_unexpected(&c, p + k, end, expected);
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
        const unsigned char *q = p;
        if (*q == '-') {
            q++;
            if (q == end)
                return fail_eof(&c, "unexpected end of input");
            if (!IS_DIGIT(*q))
                return fail_unexpected(&c, q, end, "expected a digit after '-'");
        }
        if (*q == '0') {
            q++;
            if (q < end && IS_DIGIT(*q))
                return fail_syntax(&c, (size_t)(q - s), "leading zeros are not allowed in numbers");
        } else {
            while (q < end && IS_DIGIT(*q))
                q++;
        }
        if (q < end && *q == '.') {
            q++;
            if (q == end)
                return fail_eof(&c, "unexpected end of input");
            if (!IS_DIGIT(*q))
                return fail_unexpected(&c, q, end, "expected a digit after the decimal point");
            while (q < end && IS_DIGIT(*q))
                q++;
        }
        if (q < end && (*q == 'e' || *q == 'E')) {
            q++;
            if (q < end && (*q == '+' || *q == '-'))
                q++;
            if (q == end)
                return fail_eof(&c, "unexpected end of input");
            if (!IS_DIGIT(*q))
                return fail_unexpected(&c, q, end, "expected a digit in the exponent");
            while (q < end && IS_DIGIT(*q))
                q++;
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
        return fail_unexpected(&c, p, end, "expected a JSON value");
    }

key:
    /* white space skipped; a member's key is expected at p */
    if (p == end)
        return fail_eof(&c, "unexpected end of input");
    if (*p != '"')
        return fail_unexpected(&c, p, end, "expected a string key");
    if (scan_string(&c, p, end, &qclose, &escaped))
        return EMBEDSVC_EPARSE;
    if (building) {
        esv_frame *f = &P->frames[depth - 1];
        f->key_offset = (size_t)(p - s);
        int dr = decode_or_record(P, &c, s, p, qclose, escaped, true, &f->key, &f->key_len, depth);
        if (dr < 0)
            goto nomem;
        building = dr == 0;
    }
    p = qclose + 1;
    SKIP_WS();
    if (p == end)
        return fail_eof(&c, "unexpected end of input");
    if (*p != ':')
        return fail_unexpected(&c, p, end, "expected ':' after an object key");
    p++;
    goto value;

close_container:
    if (building && in_obj && !check_object(&c, depth))
        goto nomem;
    depth--;
    if (depth > 0)
        in_obj = depth <= ESV_JSON_MAX_DEPTH ? P->frames[depth - 1].is_obj
                                             : deep_get(P, depth - 1 - ESV_JSON_MAX_DEPTH);

after_value:
    SKIP_WS();
    if (depth == 0) {
        if (p != end)
            return fail_syntax(&c, (size_t)(p - s), "trailing characters after the JSON value");
        if (c.failed4 || c.dup_found)
            return EMBEDSVC_EPARSE;
        if (root)
            *root = top;
        return EMBEDSVC_OK;
    }
    if (p == end)
        return fail_eof(&c, "unexpected end of input");
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
        return fail_unexpected(&c, p, end, "expected ',' or '}' after object member");
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
    return fail_unexpected(&c, p, end, "expected ',' or ']' after array element");

nomem:
    return fail_nomem(err);
}

/* ---- helpers ---- */

const esv_jval *esv_json_get(const esv_jval *object, const char *key)
{
    if (!object || object->type != ESV_JOBJECT || !key)
        return NULL;
    size_t n = strlen(key);
    for (const esv_jval *m = object->child; m; m = m->next)
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    return NULL;
}
