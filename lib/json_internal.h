/* The JSON reader's own declarations, shared by its files (json.c: the parse loop and the arena;
 * json_errors.c: errors and their paths; json_strings.c: UTF-8 and string decoding; json_keys.c:
 * duplicate keys). Not installed. */
#ifndef EMBEDSVC_JSON_INTERNAL_H
#define EMBEDSVC_JSON_INTERNAL_H

#include "json.h"
#include "json_chars.h"


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

/* The state of one parse that the error functions need. */
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

/* ---- the arena (json.c) ---- */

void *esv_jp_arena_grow(esv_json *p, size_t n);

static inline void *arena_alloc(esv_json *p, size_t n, size_t align)
{
    if (p->cur) {
        size_t off = (p->used + (align - 1)) & ~(align - 1);
        if (off <= p->cur->cap && n <= p->cur->cap - off) {
            p->used = off + n;
            return CHUNK_DATA(p->cur) + off;
        }
    }
    return esv_jp_arena_grow(p, n);
}

/* Gives back the tail of the last allocation `ptr`, keeping `n` bytes. */
static inline void arena_shrink_last(esv_json *p, const char *ptr, size_t n)
{
    p->used = (size_t)(ptr - CHUNK_DATA(p->cur)) + n;
}

/* ---- errors (json_errors.c) ---- */

/* Fills the error with code, message, position and the JSON pointer of the first nframes open
 * containers (and last_key, when given). */
void esv_jp_set_error(pctx *c, const char *code, const char *msg, size_t offset, size_t nframes, const char *last_key,
                      size_t last_len);
/* Records a limit or escape error (the first one in document order wins). */
void esv_jp_record_limit(pctx *c, const char *code, const char *msg, size_t offset, size_t nframes);
int esv_jp_fail_syntax(pctx *c, size_t offset, const char *msg);
int esv_jp_fail_unexpected(pctx *c, const unsigned char *q, const unsigned char *end, const char *expected);
int esv_jp_fail_eof(pctx *c, const char *msg);
int esv_jp_fail_nomem(embedsvc_error *err);
/* A key quoted for a message, cut at a character when it does not fit. */
void esv_jp_quote_key(char *out, size_t size, const char *key, size_t len);

/* ---- strings (json_strings.c) ---- */

/* Hexadecimal digit value + 1, or 0. */
extern const unsigned char esv_jp_hex_value[256];
/* Offset of the first invalid UTF-8 byte, or len. */
size_t esv_jp_utf8_check(const char *data, size_t len);
/* Decodes the string between the quotes at p and qclose into the arena (*out, *len); records a
 * limit or escape error. Returns 0, 1 after recording an error, -1 on ENOMEM. */
int esv_jp_decode_or_record(esv_json *P, pctx *c, const unsigned char *s, const unsigned char *p,
                            const unsigned char *qclose, bool escaped, bool is_key, const char **out, size_t *len,
                            size_t depth);

/* memcpy for the short strings and keys of a document, without a call: two overlapping loads and
 * stores that stay within the n bytes. */
static inline void esv_jp_copy_short(char *d, const unsigned char *s, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else if (n < 4) {
        for (size_t k = 0; k < n; k++)
            d[k] = (char)s[k];
    } else {
        memcpy(d, s, n);
    }
}

/* The common case of esv_jp_decode_or_record, inline in the parse loop: a string without escapes
 * within the limit, copied into the arena. Returns 0, 1 when the string needs the full decoder,
 * -1 on ENOMEM. */
static inline int esv_jp_plain_string(esv_json *P, const unsigned char *p, const unsigned char *qclose, bool escaped,
                                      const char **out, size_t *len)
{
    size_t raw = (size_t)(qclose - p - 1);
    if (escaped || raw > ESV_JSON_MAX_STRING)
        return 1;
    char *o = arena_alloc(P, raw + 1, 1);
    if (!o)
        return -1;
    esv_jp_copy_short(o, p + 1, raw);
    o[raw] = '\0';
    *out = o;
    *len = raw;
    return 0;
}

/* ---- numbers (json.c, and project_scan.c's one-pass reader) ---- */

typedef enum esv_num_scan {
    ESV_NUM_OK,           /* *stop just after the token */
    ESV_NUM_EOF,          /* the input ends inside the token */
    ESV_NUM_UNEXPECTED,   /* *stop at a byte that is not the digit *expected says */
    ESV_NUM_LEADING_ZERO, /* *stop at the digit after a leading zero */
} esv_num_scan;

static inline bool esv_json_is_digit(unsigned char ch)
{
    return (unsigned)(ch - '0') < 10u;
}

/* Scans the number token of RFC 8259 at p (p < end; a '-' or a digit for a valid one). */
static inline esv_num_scan esv_json_number(const unsigned char *p, const unsigned char *end,
                                           const unsigned char **stop, const char **expected)
{
    const unsigned char *q = p;
    *expected = "expected a digit after '-'";
    if (*q == '-')
        q++;
    if (q == end || !esv_json_is_digit(*q))
        goto bad;
    if (*q == '0') {
        q++;
        if (q < end && esv_json_is_digit(*q)) {
            *stop = q;
            return ESV_NUM_LEADING_ZERO;
        }
    } else {
        while (q < end && esv_json_is_digit(*q))
            q++;
    }
    if (q < end && *q == '.') {
        q++;
        *expected = "expected a digit after the decimal point";
        if (q == end || !esv_json_is_digit(*q))
            goto bad;
        while (q < end && esv_json_is_digit(*q))
            q++;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        *expected = "expected a digit in the exponent";
        if (q == end || !esv_json_is_digit(*q))
            goto bad;
        while (q < end && esv_json_is_digit(*q))
            q++;
    }
    *stop = q;
    return ESV_NUM_OK;
bad:
    *stop = q;
    return q == end ? ESV_NUM_EOF : ESV_NUM_UNEXPECTED;
}

/* ---- duplicate keys (json_keys.c) ---- */

/* Checks the object just closed at depth for a duplicate key (recorded as an error); false on ENOMEM. */
bool esv_jp_check_object(pctx *c, size_t depth);

#endif
