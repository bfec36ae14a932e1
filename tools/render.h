/* The readable text of the embedsvc tool: check report, stage and classify text, the compare
 * summary, the disbursement line, and the HTML report. All presentation of the commands goes
 * through here to report/ (the static library of the readable reports, report/report.h); --json
 * output stays in the commands. Every text taken from input or from the policy is escaped there. */
#ifndef EMBEDSVC_TOOLS_RENDER_H
#define EMBEDSVC_TOOLS_RENDER_H

#include <embedsvc.h>

#include "report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The readable `check` report, with the funding process section when the project has a stage. */
void render_check(FILE *f, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh);
/* `stage`: "current → target: allowed / missing:" and the unmet preconditions. */
void render_stage(FILE *f, const embedsvc_stage_report *rep, int target, bool zh);
/* `classify` of one text. */
void render_classify(FILE *f, const embedsvc_policy *p, const char *text, const embedsvc_classification *c, bool zh);
/* `disburse`: approved × progress = limit; disbursed; due now. */
void render_disburse(FILE *f, int64_t approved, int64_t progress_bp, int64_t limit, int64_t disbursed, int64_t due,
                     bool zh);
/* `compare`: the summary, the districts and the projects whose eligibility changes. */
void render_compare(FILE *f, const embedsvc_compare *c, const char *source, bool zh);
/* The self-contained HTML report of `compare --html` as a new malloc'd string (NULL when out of
 * memory): with the error lines and reasons of log, the portfolio's name, each policy's file
 * ("default": the compiled-in one) and the date (SOURCE_DATE_EPOCH when set, else now, in UTC). */
char *render_compare_html(const embedsvc_compare *c, const esv_report_compare_log *log, bool zh, const char *source,
                          const char *const *policy_files, size_t *len);

#endif
