/* The writing helpers of the text renderers: escaped cells, padding, and one failure flag. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int rp_close(rp *r)
{
    if (ferror(r->f) && !r->failed) {
        r->failed = true;
        if (!errno)
            errno = EIO;
    }
    return r->failed ? -1 : 0;
}

void rp_printf(rp *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(r->f, fmt, ap) < 0)
        r->failed = true;
    va_end(ap);
}

void rp_puts(rp *r, const char *s)
{
    if (s && fputs(s, r->f) < 0)
        r->failed = true;
}

void rp_text(rp *r, const char *s)
{
    if (esv_report_put(r->f, s) != 0)
        r->failed = true;
}

int rp_width(const char *s)
{
    char buf[512];
    size_t n = esv_report_escape(s, (size_t)-1, buf, sizeof(buf));
    if (n < sizeof(buf))
        return esv_report_width(buf);
    char *e = esv_report_escape_dup(s);
    int w = e ? esv_report_width(e) : (int)n;
    free(e);
    return w;
}

void rp_cell(rp *r, const char *s, int width, bool right)
{
    int pad = width - rp_width(s);
    for (int i = 0; right && i < pad; i++)
        rp_puts(r, " ");
    rp_text(r, s);
    for (int i = 0; !right && i < pad; i++)
        rp_puts(r, " ");
}

/* Byte length of the UTF-8 sequence starting with b (1 for a stray byte). */
static size_t seq_len(unsigned char b)
{
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

void rp_wrap(rp *r, const char *s, int col, int indent, int width)
{
    char *e = esv_report_escape_dup(s);
    if (!e) {
        r->failed = true;
        return;
    }
    const char *p = e;
    while (*p) {
        /* the longest piece that fits in width - col columns, preferring to end after a space or
         * after a wide character (Chinese text breaks between any two characters) */
        const char *end = p, *brk = NULL;
        int w = col;
        while (*end) {
            size_t k = seq_len((unsigned char)*end);
            char one[5] = {0};
            for (size_t i = 0; i < k && end[i]; i++)
                one[i] = end[i];
            int cw = esv_report_width(one);
            if (w + cw > width && end > p)
                break;
            w += cw;
            end += strlen(one);
            if (one[0] == ' ' || cw == 2)
                brk = end;
        }
        if (*end && brk && brk > p)
            end = brk;
        const char *stop = end;
        while (*end && stop > p && stop[-1] == ' ') /* no trailing space before a line break */
            stop--;
        if (fwrite(p, 1, (size_t)(stop - p), r->f) != (size_t)(stop - p))
            r->failed = true;
        p = end;
        while (*p == ' ')
            p++;
        if (*p) {
            rp_puts(r, "\n");
            for (int i = 0; i < indent; i++)
                rp_puts(r, " ");
            col = indent;
        }
    }
    free(e);
}
