/* Helpers shared by the renderers of report/ (not installed). */
#ifndef EMBEDSVC_REPORT_INTERNAL_H
#define EMBEDSVC_REPORT_INTERNAL_H

#include "report.h"

#include <stdarg.h>

/* One rendering: the stream, the language, and whether something failed on the way. */
typedef struct rp {
    FILE *f;
    bool zh;
    const char *lang; /* "zh" or "en" */
    bool failed;
} rp;

static inline rp rp_open(FILE *f, const char *lang)
{
    bool zh = lang && lang[0] == 'z' && lang[1] == 'h' && !lang[2];
    return (rp){f, zh, zh ? "zh" : "en", false};
}

/* 0, or -1 when a write failed (errno says why). */
int rp_close(rp *r);
/* printf of fixed text and numbers (never of text from the input: use rp_text). */
void rp_printf(rp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_puts(rp *r, const char *s);
/* Text from the input or the policy, escaped (esv_report_put). */
void rp_text(rp *r, const char *s);
/* Escaped text padded to width columns (right-aligned when right). */
void rp_cell(rp *r, const char *s, int width, bool right);
/* Escaped text from column col, wrapped at width columns, continuation lines indented. */
void rp_wrap(rp *r, const char *s, int col, int indent, int width);
/* The width of the readable reports: they fit a terminal of 100 columns. */
#define RP_WIDTH 100
/* The columns escaped text takes. */
int rp_width(const char *s);
/* zh or en. */
static inline const char *rp_l(const rp *r, const char *zh, const char *en)
{
    return r->zh ? zh : en;
}

#endif
