/* The one escaping routine of human-readable output (issue 13, point 4): text taken from the input
 * is shown, never obeyed by the terminal or the browser. */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length, or 0 when it is not valid
 * (overlong, surrogate, above U+10FFFF, truncated). */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t len;
    uint32_t c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, c = b & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static bool must_escape(uint32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2028 ||
           c == 0x2029;
}

size_t esv_report_escape(const char *text, size_t len, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    if (len == (size_t)-1)
        len = strlen((const char *)s);
    size_t o = 0;
#define EMIT(ch)                                                                                                  \
    do {                                                                                                          \
        if (o + 1 < size)                                                                                         \
            out[o] = (char)(ch);                                                                                  \
        o++;                                                                                                      \
    } while (0)
    for (size_t i = 0; i < len;) {
        uint32_t c = 0;
        size_t k = decode(s + i, len - i, &c);
        if (k == 0) {
            EMIT('\\');
            EMIT('x');
            EMIT(hex[s[i] >> 4]);
            EMIT(hex[s[i] & 15]);
            i++;
            continue;
        }
        if (!must_escape(c)) {
            for (size_t j = 0; j < k; j++)
                EMIT(s[i + j]);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            EMIT('\\');
            EMIT(c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        } else {
            EMIT('\\');
            EMIT('u');
            for (int sh = 12; sh >= 0; sh -= 4)
                EMIT(hex[(c >> sh) & 15]);
        }
        i += k;
    }
#undef EMIT
    if (size)
        out[o < size ? o : size - 1] = '\0';
    return o;
}

char *esv_report_escape_dup(const char *s)
{
    size_t n = esv_report_escape(s, (size_t)-1, NULL, 0);
    char *out = malloc(n + 1);
    if (out)
        esv_report_escape(s, (size_t)-1, out, n + 1);
    return out;
}

int esv_report_put(FILE *out, const char *s)
{
    if (!s)
        return 0;
    char buf[512];
    size_t n = esv_report_escape(s, (size_t)-1, buf, sizeof(buf));
    if (n < sizeof(buf))
        return fwrite(buf, 1, n, out) == n ? 0 : -1;
    char *big = esv_report_escape_dup(s);
    if (!big) {
        errno = ENOMEM;
        return -1;
    }
    int rc = fwrite(big, 1, n, out) == n ? 0 : -1;
    free(big);
    return rc;
}

int esv_report_put_html(FILE *out, const char *s)
{
    if (!s)
        return 0;
    char *e = esv_report_escape_dup(s);
    if (!e) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    size_t start = 0, i = 0;
    for (; e[i]; i++) {
        const char *rep;
        switch (e[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        if (fwrite(e + start, 1, i - start, out) != i - start || fputs(rep, out) < 0)
            rc = -1;
        start = i + 1;
    }
    if (fwrite(e + start, 1, i - start, out) != i - start)
        rc = -1;
    free(e);
    return rc;
}

int esv_report_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = decode(p + i, n - i, &cp);
        if (!k) {
            w += 4; /* shown as \xHH */
            i++;
            continue;
        }
        i += k;
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}
