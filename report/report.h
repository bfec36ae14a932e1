/* libembedsvc_report — the readable reports of libembedsvc, built on its public API only.
 *
 * Presentation lives here, not in the library: the number formats (yuan, 万元, percent), the one
 * escaping routine for human-readable text, the text reports of `check`, `stage`, `classify` and
 * `compare`, and the HTML/SVG what-if report of a comparison. The command-line tool and the Python
 * package link this static library; docs/guide.en.md ("Reports and number formatting") states the
 * rules.
 *
 * Every renderer writes to a stdio stream and returns 0, or -1 when a write failed (the stream's
 * error flag is set, or memory ran out; errno says why). Languages are "zh" and "en"; anything
 * else is English. */
#ifndef EMBEDSVC_REPORT_H
#define EMBEDSVC_REPORT_H

#include <embedsvc.h>

#include "report_format.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- numbers: report/report_format.h (report/format.c) ---- */

/* ---- text (report/escape.c) -------------------------------------------------------------------
 * The one escaping routine for human-readable output (reports, classify and compare text, HTML,
 * messages on stderr): text from the input is shown, never obeyed. Backslash escapes replace
 *   - C0 controls and DEL: \n \r \t, others \u0000 … \u001f, \u007f;
 *   - C1 controls U+0080–U+009F: \u0080 … \u009f;
 *   - bidirectional controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C, and the line
 *     and paragraph separators U+2028, U+2029: \u202e …;
 *   - a byte that is not part of valid UTF-8: \xff.
 * Everything else, including a backslash, is copied unchanged. len may be (size_t)-1 for a
 * NUL-terminated s. Returns the length of the whole escaped text (snprintf-like); s NULL is "". */
size_t esv_report_escape(const char *s, size_t len, char *out, size_t size);
/* The escaped text in a new malloc'd string (free it), or NULL when out of memory. */
char *esv_report_escape_dup(const char *s);
/* Writes s escaped (nothing for NULL); 0 or -1 on a write error. */
int esv_report_put(FILE *out, const char *s);
/* Writes s escaped and then HTML-escaped (& < > " '); 0 or -1. */
int esv_report_put_html(FILE *out, const char *s);
/* Columns s takes in a terminal (East Asian wide characters count 2). */
int esv_report_width(const char *s);

/* ---- vocabulary in words ------------------------------------------------------------------- */
/* The name of a stage (::embedsvc_stage), a severity, a build mode or a match in the language:
 * "联合审查" / "joint review"; "?" for an unknown value. */
const char *esv_report_stage_name(int stage, const char *lang);
const char *esv_report_severity_name(int severity, const char *lang);
const char *esv_report_build_mode_name(int mode, const char *lang);
const char *esv_report_match_name(int match, const char *lang);

/* ---- text reports (report/check.c, report/classify.c, report/compare_text.c) ---------------- */
/* The readable `check` report of a project evaluated into result: the decision, the functions,
 * the subsidy, each check as a sentence, the findings and, when the project has a stage, the
 * funding process. */
int esv_report_check_text(FILE *out, const embedsvc_policy *policy, const embedsvc_project *project,
                          const embedsvc_result *result, const char *lang);
/* The readable `stage` report: "申报 → 联合审查：可以进入" and each unmet precondition. */
int esv_report_stage_text(FILE *out, const embedsvc_stage_report *report, const char *lang);
/* The readable `classify` text of one TEXT argument. */
int esv_report_classify_text(FILE *out, const embedsvc_policy *policy, const char *text,
                             const embedsvc_classification *c, const char *lang);
/* The readable `compare` summary: policies, totals, districts and the projects whose eligibility
 * changes (the first 50). source names the portfolio. */
int esv_report_compare_text(FILE *out, const embedsvc_compare *c, const char *source, const char *lang);

/* ---- the what-if report (report/compare_log.c, report/compare_html.c) ------------------------
 * What the comparison does not keep and the report shows: the lines that were errors, and for each
 * project that changed (the first ESV_REPORT_MAX_REASONS), the findings that appeared or
 * disappeared under each policy against the baseline. */
#define ESV_REPORT_MAX_REASONS 500
#define ESV_REPORT_MAX_ERROR_LINES 200
typedef struct esv_report_compare_log esv_report_compare_log;

int esv_report_compare_log_new(esv_report_compare_log **out);
void esv_report_compare_log_free(esv_report_compare_log *log);
/* Records what embedsvc_compare_line(c, line, len, err) just did with this line (rc its return):
 * an error line (rc 1), or a changed project (the comparison's changed count grew), whose reasons
 * it computes by evaluating the project again under each policy. Returns 0, or
 * ::EMBEDSVC_ENOMEM. */
int esv_report_compare_log_note(esv_report_compare_log *log, const embedsvc_compare *c, const char *line,
                                size_t len, int rc, const embedsvc_error *err);
/* embedsvc_compare_line() followed by esv_report_compare_log_note(); returns what the former
 * returned, or ::EMBEDSVC_ENOMEM. */
int esv_report_compare_line(esv_report_compare_log *log, embedsvc_compare *c, const char *line, size_t len,
                            embedsvc_error *err);
/* The same for a line of embedsvc_lines_next(): embedsvc_compare_framed(), then the note. */
int esv_report_compare_framed(esv_report_compare_log *log, embedsvc_compare *c, const embedsvc_line *line,
                              embedsvc_error *err);
/* The number of error lines seen (all of them; the first ESV_REPORT_MAX_ERROR_LINES are kept). */
size_t esv_report_compare_log_errors(const esv_report_compare_log *log);

/* What the footer of the report says, and its language. */
typedef struct esv_report_html_options {
    const char *lang;           /* "zh" or "en" */
    const char *caption;        /* a line under the heading, or NULL */
    const char *source;         /* the portfolio's name (file), or NULL */
    const char *generated;      /* the date of the report, e.g. "2026-12-02 07:30 UTC", or NULL */
    const char *const *policy_sources; /* per policy: its file, or NULL for the compiled-in one; may be NULL */
} esv_report_html_options;

/* The self-contained HTML report (inline CSS and SVG, no script) of the comparison; log may be
 * NULL (then no error lines and no reasons are shown). */
int esv_report_compare_html(FILE *out, const embedsvc_compare *c, const esv_report_compare_log *log,
                            const esv_report_html_options *options);
/* The same report as a new malloc'd string (free it), its length in *len; NULL when out of
 * memory or on a bad argument. */
char *esv_report_compare_html_string(const embedsvc_compare *c, const esv_report_compare_log *log,
                                     const esv_report_html_options *options, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
