/* The byte classes of JSON strings, shared by the reader (json.c) and the writer (json_write.c):
 * the bytes that end a run of plain string content ('"', '\\' and the control characters U+0000
 * to U+001F), tested 8 bytes at a time. Not installed. */
#ifndef EMBEDSVC_JSON_CHARS_H
#define EMBEDSVC_JSON_CHARS_H

#include <stdint.h>
#include <string.h>

#define ESV_SWAR_ONES UINT64_C(0x0101010101010101)
#define ESV_SWAR_HIGH UINT64_C(0x8080808080808080)

/* 1 for '"', '\\' and the control characters. */
extern const unsigned char esv_json_special[256];

static inline uint64_t esv_load64(const unsigned char *s)
{
    uint64_t v;
    memcpy(&v, s, sizeof(v));
    return v;
}

/* Non-zero when one of the 8 bytes of v is '"', '\\' or below 0x20; the lowest flagged byte is
 * always a real one. */
static inline uint64_t esv_json_special_mask(uint64_t v)
{
    uint64_t q = v ^ (ESV_SWAR_ONES * (unsigned char)'"');
    uint64_t b = v ^ (ESV_SWAR_ONES * (unsigned char)'\\');
    return ((q - ESV_SWAR_ONES) | (b - ESV_SWAR_ONES) | (v - ESV_SWAR_ONES * 0x20u)) & ~v & ESV_SWAR_HIGH;
}

/* The index (0-7) of the first special byte of an 8-byte group whose mask m is non-zero. */
static inline unsigned esv_json_special_index(const unsigned char *q, uint64_t m)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    (void)q;
    return (unsigned)__builtin_ctzll(m) >> 3;
#else
    (void)m;
    unsigned k = 0;
    while (!esv_json_special[q[k]])
        k++;
    return k;
#endif
}

/* First byte in [q, end) that is '"', '\\' or a control character, or end. */
static inline const unsigned char *esv_json_find_special(const unsigned char *q, const unsigned char *end)
{
    while (end - q >= 8) {
        uint64_t m = esv_json_special_mask(esv_load64(q));
        if (m)
            return q + esv_json_special_index(q, m);
        q += 8;
    }
    while (q < end && !esv_json_special[*q])
        q++;
    return q;
}

#endif
