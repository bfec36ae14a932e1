/* The JSON reader's strings: the UTF-8 check of the whole document, and decoding a string (escapes,
 * surrogate pairs, \u0000, the 4096-byte limit) into the parser's arena. */
#include "json_internal.h"

#include <stdio.h>
#include <string.h>

/* Hexadecimal digit value + 1, or 0. */
const unsigned char esv_jp_hex_value[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

enum { STR_OK, STR_NOMEM, STR_TOO_LONG, STR_BAD_ESCAPE };

/* Offset of the first invalid UTF-8 byte, or len. Skips ASCII 8 bytes at a time and validates each
 * run of non-ASCII bytes with esv_utf8_valid_prefix (a sequence never contains an ASCII byte). */
size_t esv_jp_utf8_check(const char *data, size_t len)
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
        /* the sequences of CJK text (three bytes, leads E1-EC and EE-EF take any continuation
         * bytes) and two-byte ones, checked here; anything else by the full validator */
        while (len - i >= 3 && s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED && (s[i + 1] & 0xC0) == 0x80 &&
               (s[i + 2] & 0xC0) == 0x80)
            i += 3;
        while (len - i >= 2 && s[i] >= 0xC2 && s[i] <= 0xDF && (s[i + 1] & 0xC0) == 0x80)
            i += 2;
        if (i == len || s[i] < 0x80)
            continue;
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

static inline uint32_t hex4(const unsigned char *q)
{
    return (uint32_t)(esv_jp_hex_value[q[0]] - 1) << 12 | (uint32_t)(esv_jp_hex_value[q[1]] - 1) << 8 |
           (uint32_t)(esv_jp_hex_value[q[2]] - 1) << 4 | (uint32_t)(esv_jp_hex_value[q[3]] - 1);
}

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
        esv_jp_copy_short(o, q, raw);
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
int esv_jp_decode_or_record(esv_json *P, pctx *c, const unsigned char *s, const unsigned char *p,
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
        esv_jp_record_limit(c, "parse.limit", is_key ? "key longer than 4096 bytes" : "string longer than 4096 bytes",
                     (size_t)(p - s), depth);
        return 1;
    default:
        esv_jp_record_limit(c, "parse.encoding", bad_msg, (size_t)(bad_at - s), depth);
        return 1;
    }
}
