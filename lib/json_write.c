/* The JSON writers' two primitives: string literals (escaping only what RFC 8259 requires) and
 * integers, written straight into a buffer without printf. Every result line, error line, policy
 * and report of the library goes through these two, so they are written for speed: strings are
 * copied 8 bytes at a time and scanned as they are copied, integers two digits at a time. */
#include "json.h"
#include "json_chars.h"

#include <string.h>

const unsigned char esv_json_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [(unsigned char)'"'] = 1,
    [(unsigned char)'\\'] = 1,
};

static char *put_escape(char *d, unsigned char ch)
{
    static const char hex[] = "0123456789abcdef";
    *d++ = '\\';
    switch (ch) {
    case '"': *d++ = '"'; break;
    case '\\': *d++ = '\\'; break;
    case '\b': *d++ = 'b'; break;
    case '\f': *d++ = 'f'; break;
    case '\n': *d++ = 'n'; break;
    case '\r': *d++ = 'r'; break;
    case '\t': *d++ = 't'; break;
    default:
        d[0] = 'u';
        d[1] = '0';
        d[2] = '0';
        d[3] = hex[ch >> 4];
        d[4] = hex[ch & 15];
        d += 5;
        break;
    }
    return d;
}

char *esv_json_escape(char *d, const char *s, size_t len)
{
    const unsigned char *q = (const unsigned char *)s, *end = q + len;
    const unsigned char *run = q; /* where the bytes copied as they are began (after an escape) */
    for (;;) {
        /* 8 bytes stored before they are looked at: at least 8 more input bytes remain, so the
         * store stays within the 6 bytes per input byte the caller reserved */
        while (end - q >= 8) {
            uint64_t v = esv_load64(q);
            memcpy(d, &v, sizeof(v));
            uint64_t m = esv_json_special_mask(v);
            if (m) {
                unsigned k = esv_json_special_index(q, m);
                d += k;
                q += k;
                goto special;
            }
            d += 8;
            q += 8;
        }
        size_t r = (size_t)(end - q);
        if (r && end - run >= 8) { /* the last 8 bytes, again over some copied as they are */
            uint64_t v = esv_load64(end - 8);
            if (!esv_json_special_mask(v)) {
                memcpy(d + r - 8, &v, sizeof(v));
                return d + r;
            }
        } else if (r >= 4) { /* 4 to 7 bytes: two words of 4 that may overlap */
            uint32_t a, b;
            memcpy(&a, q, 4), memcpy(&b, end - 4, 4);
            if (!esv_json_special_mask((uint64_t)a | (uint64_t)b << 32)) {
                memcpy(d, &a, 4), memcpy(d + r - 4, &b, 4);
                return d + r;
            }
        }
        while (q < end && !esv_json_special[*q])
            *d++ = (char)*q++;
        if (q == end)
            return d;
    special:
        d = put_escape(d, *q++);
        run = q;
    }
}

char *esv_json_quote(char *d, const char *s, size_t len)
{
    *d++ = '"';
    d = esv_json_escape(d, s, len);
    *d++ = '"';
    return d;
}

bool esv_json_write_string(esv_buf *buf, const esv_alloc *al, const char *s, size_t len)
{
    if (len > (SIZE_MAX - 16) / ESV_JSON_ESCAPE_MAX || !esv_buf_reserve(buf, al, len * ESV_JSON_ESCAPE_MAX + 2))
        return false;
    char *d = esv_json_quote(buf->data + buf->len, s, len);
    *d = '\0';
    buf->len = (size_t)(d - buf->data);
    return true;
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

static const uint64_t pow10[20] = {
    UINT64_C(1),
    UINT64_C(10),
    UINT64_C(100),
    UINT64_C(1000),
    UINT64_C(10000),
    UINT64_C(100000),
    UINT64_C(1000000),
    UINT64_C(10000000),
    UINT64_C(100000000),
    UINT64_C(1000000000),
    UINT64_C(10000000000),
    UINT64_C(100000000000),
    UINT64_C(1000000000000),
    UINT64_C(10000000000000),
    UINT64_C(100000000000000),
    UINT64_C(1000000000000000),
    UINT64_C(10000000000000000),
    UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000),
    UINT64_C(10000000000000000000),
};

/* Decimal digits of u (1 for 0): floor(log10) from the bit length (1233/4096 ~ log10 2), then
 * one comparison. */
static inline unsigned digits10(uint64_t u)
{
    u |= 1; /* the same number of digits, and a bit length for 0 */
    unsigned t = ((64u - (unsigned)__builtin_clzll(u)) * 1233u) >> 12;
    return t + 1 - (u < pow10[t]);
}

char *esv_json_int(char *d, int64_t v)
{
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        *d++ = '-';
        u = (uint64_t)0 - u;
    }
    if (u < 100) { /* indexes, counts, minutes: most of the integers of a result */
        if (u < 10) {
            *d = (char)('0' + u);
            return d + 1;
        }
        memcpy(d, digit_pairs + 2 * u, 2);
        return d + 2;
    }
    char *e = d + digits10(u), *p = e;
    while (u > UINT32_MAX) { /* amounts over 42.9 million yuan (2^32 fen): down to 32 bits */
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        memcpy(p, digit_pairs + 2 * r, 2);
    }
    uint32_t w = (uint32_t)u; /* the rest in 32-bit arithmetic */
    while (w >= 100) {
        unsigned r = w % 100;
        w /= 100;
        p -= 2;
        memcpy(p, digit_pairs + 2 * r, 2);
    }
    if (w >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * w, 2);
    } else {
        *--p = (char)('0' + w);
    }
    return e;
}

bool esv_buf_append_int(esv_buf *b, const esv_alloc *al, int64_t v)
{
    if (b->cap - b->len <= ESV_JSON_INT_MAX && !esv_buf_reserve(b, al, ESV_JSON_INT_MAX))
        return false;
    char *e = esv_json_int(b->data + b->len, v);
    *e = '\0';
    b->len = (size_t)(e - b->data);
    return true;
}
