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
