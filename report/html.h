/* The inside of the HTML report, shared by compare_html.c (document, tables) and
 * compare_charts.c (the inline SVG charts). Not installed. */
#ifndef EMBEDSVC_REPORT_HTML_H
#define EMBEDSVC_REPORT_HTML_H

#include "internal.h"
#include "log.h"

#define NP EMBEDSVC_COMPARE_MAX_POLICIES

#define HTML_MAX_PROJECT_ROWS ESV_REPORT_MAX_REASONS
#define HTML_MAX_PROJECT_BARS 30
#define HTML_MAX_DISTRICT_BARS 40

typedef struct labels {
    const char *title, *baseline, *policies, *version, *name_col, *summary, *metric, *by_class, *by_district,
        *eligibility, *eligibility_projects, *changed_table, *district_table, *district, *no_district, *project, *line,
        *none_changed, *one_policy, *no_subsidy, *eligible_mark, *not_eligible_mark, *delta_row, *reason, *errors,
        *no_errors, *column, *code, *message, *footer, *generated, *source, *engine, *compiled_in, *file, *broken,
        *appeared, *disappeared, *capped_now, *capped_no_more, *amount, *cap, *no_cap;
    const char *rows[16];
} labels;

typedef struct html {
    rp r;
    const embedsvc_compare *c;
    const esv_report_compare_log *log;
    const labels *L;
    size_t n;
} html;

/* 16 policy colours, then the three classes. */
extern const char *const h_policy_colors[NP];
extern const char *const h_class_colors[EMBEDSVC_CLASS_COUNT];

/* Writing: fixed text, printf of fixed text and numbers, text from the data escaped. */
void h_put(html *h, const char *s);
void h_putf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void h_esc(html *h, const char *s);
void h_put_esc(html *h, const char *before, const char *text, const char *after);
/* Names and amounts. */
const char *h_policy_id(const html *h, size_t p);
const char *h_district_label(const html *h, const char *name);
void h_large(const html *h, int64_t fen, char *out, size_t size);
void h_put_large(html *h, int64_t fen);
const char *h_class_name(const html *h, int k);
/* "N more not listed" in a tag. */
void h_put_more(html *h, size_t n, const char *tag);
/* Whether changed project i changes (subsidy) eligibility under some policy. */
bool h_eligibility_changes(const html *h, size_t i);

/* The four charts (compare_charts.c). */
void h_chart_by_class(html *h);
void h_chart_by_district(html *h);
void h_chart_changes(html *h);
void h_chart_projects(html *h, size_t n_elig);

#endif
