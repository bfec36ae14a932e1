/* Internal declarations shared by the library's files. Not installed. */
#ifndef EMBEDSVC_INTERNAL_H
#define EMBEDSVC_INTERNAL_H

#include "embedsvc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESV_UNUSED(x) ((void)(x))

/* Exact 128-bit intermediates for money products (reference §2). */
__extension__ typedef unsigned __int128 esv_u128;
#define ESV_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* Returns from the calling function with the status of expr unless it is EMBEDSVC_OK. */
#define ESV_TRY(expr)                                                                                                  \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_ != EMBEDSVC_OK)                                                                                        \
            return rc_;                                                                                                \
    } while (0)

/* ---- allocation (alloc.c) ---- */

/* A resolved allocator: never NULL function pointers. */
typedef struct esv_alloc {
    embedsvc_allocator a;
} esv_alloc;

/* Copies *user into *out, or the C library's allocator when user is NULL.
 * Returns false when *user is incomplete. */
bool esv_alloc_init(esv_alloc *out, const embedsvc_allocator *user);
void *esv_malloc(const esv_alloc *al, size_t size);
void *esv_calloc(const esv_alloc *al, size_t n, size_t size);
void *esv_realloc(const esv_alloc *al, void *ptr, size_t size);
void esv_free(const esv_alloc *al, void *ptr);

/* A growable byte buffer. */
typedef struct esv_buf {
    char *data;
    size_t len;
    size_t cap;
} esv_buf;

/* Ensures room for `extra` more bytes plus a NUL; false on ENOMEM. */
bool esv_buf_reserve(esv_buf *b, const esv_alloc *al, size_t extra);
/* Appends bytes and keeps the buffer NUL-terminated; the slow path grows it. */
bool esv_buf_append_slow(esv_buf *b, const esv_alloc *al, const void *data, size_t len);
static inline bool esv_buf_append(esv_buf *b, const esv_alloc *al, const void *data, size_t len)
{
    if (b->cap - b->len > len) { /* the hot path of the writers: room for the bytes and the NUL */
        __builtin_memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return true;
    }
    return esv_buf_append_slow(b, al, data, len);
}
void esv_buf_free(esv_buf *b, const esv_alloc *al);
/* Appends an integer in decimal (the JSON writers' number format). */
bool esv_buf_append_int(esv_buf *b, const esv_alloc *al, int64_t v);

/* A fixed fragment of JSON text and its length, for the writers to copy in one go. */
typedef struct esv_frag {
    const char *s;
    size_t n;
} esv_frag;
#define ESV_FRAG(lit) {"" lit, sizeof(lit) - 1}

/* A writer over a buffer that remembers the first allocation failure, so that a whole document is
 * written and `ok` checked once at the end. */
typedef struct esv_out {
    esv_buf *b;
    const esv_alloc *al;
    bool ok;
} esv_out;

static inline void esv_out_put(esv_out *o, const char *s, size_t n)
{
    if (o->ok && !esv_buf_append(o->b, o->al, s, n))
        o->ok = false;
}

static inline void esv_out_frag(esv_out *o, esv_frag f)
{
    esv_out_put(o, f.s, f.n);
}

static inline void esv_out_int(esv_out *o, int64_t v)
{
    if (o->ok && !esv_buf_append_int(o->b, o->al, v))
        o->ok = false;
}

/* A chunked arena: many small allocations freed (or reset for reuse) together. */
typedef struct esv_arena_chunk esv_arena_chunk;
typedef struct esv_arena {
    esv_arena_chunk *head; /* all chunks */
    esv_arena_chunk *cur;  /* the chunk being filled */
} esv_arena;

void *esv_arena_alloc(esv_arena *ar, const esv_alloc *al, size_t size);
/* Copies len bytes and a NUL. */
char *esv_arena_strndup(esv_arena *ar, const esv_alloc *al, const char *s, size_t len);
/* Forgets every allocation but keeps the memory. */
void esv_arena_reset(esv_arena *ar);
void esv_arena_free(esv_arena *ar, const esv_alloc *al);

/* ---- errors (error.c) ---- */

/* Sets status and code, and formats the message (printf style). Position fields are zeroed.
 * Writes only the fields that fit in err->size. Returns status. err may be NULL. */
int esv_error_set(embedsvc_error *err, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sets the position fields: line/column computed from the byte offset in doc (code points, 1-based;
 * a leading UTF-8 BOM is not counted). */
void esv_error_position(embedsvc_error *err, const char *doc, size_t doc_len, size_t offset);
/* Sets err->path (truncated with "..." when too long). */
void esv_error_path(embedsvc_error *err, const char *path, size_t len);
/* Computes 1-based line and column (code points) of a byte offset. */
void esv_position(const char *doc, size_t doc_len, size_t offset, uint32_t *line, uint32_t *column);

/* ---- UTF-8 (utf8.c) ---- */

/* Length of the longest valid UTF-8 prefix (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
size_t esv_utf8_valid_prefix(const char *s, size_t len);
/* Decodes one code point at s[*i] of valid UTF-8, advancing *i. */
uint32_t esv_utf8_next(const char *s, size_t len, size_t *i);
/* Number of code points in valid UTF-8. */
size_t esv_utf8_count(const char *s, size_t len);
/* Appends the UTF-8 encoding of cp to out (room for 4 bytes); returns bytes written. */
size_t esv_utf8_encode(uint32_t cp, char *out);

/* ---- decimals (decimal.c) ---- */

/* Kinds of decimal input of reference §2. */
typedef enum esv_decimal_kind {
    ESV_DEC_MONEY, /* yuan, 2 places, -> fen, <= 10^12 yuan */
    ESV_DEC_RATE,  /* 4 places, -> bp, [0, 1] */
    ESV_DEC_AREA,  /* 2 places, -> hundredths, <= 10^7 */
} esv_decimal_kind;

/* Parses decimal text per reference §2 (the token or string content). On failure returns the error
 * code ("parse.value", "money.negative", "money.precision", "money.range") and a message;
 * on success NULL with *out set. */
const char *esv_decimal_parse(esv_decimal_kind kind, const char *text, size_t len, int64_t *out,
                              const char **message);
/* Parses an integer token per reference §2 within [min, max]; false when it does not match or is out of range. */
bool esv_integer_parse(const char *text, size_t len, int64_t min, int64_t max, int64_t *out);
/* Checks a YYYY-MM-DD date (real calendar date, year 0001-9999). */
bool esv_date_valid(const char *text, size_t len);

/* floor(a * b / c) for non-negative a, b and positive c with a 128-bit intermediate;
 * false when the quotient does not fit int64_t. */
bool esv_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out);
/* Largest remainder (reference §3.3): shares[i] of amount over weights (sum > 0), ties to the lower index.
 * n <= 64. false on overflow. */
bool esv_largest_remainder(int64_t amount, const int64_t *weights, size_t n, int64_t *shares);

/* ---- white space and normalisation (classify.c) ---- */

/* The white space of reference §4 is U+0020, U+0009-U+000D and U+3000; it is written out once,
 * here, and used by esv_is_blank and esv_normalise (classify.c). */
static inline bool esv_is_space_ascii(unsigned char c)
{
    return c == 0x20 || (c >= 0x09 && c <= 0x0D);
}
#define ESV_IDEOGRAPHIC_SPACE 0x3000u
/* True when text is empty after removing that white space. It reads raw bytes (U+3000 as E3 80 80),
 * so it also serves JSON Lines lines that are not valid UTF-8 (reference §7 skips blank lines). */
bool esv_is_blank(const char *s, size_t len);

#endif
