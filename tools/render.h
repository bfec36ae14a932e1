/* The readable text of the embedsvc tool: check report, stage and classify text, the compare
 * summary, the disbursement line, and the HTML report. All presentation of the commands is here
 * (tools/render.c), so that it can move to report/ in one step. --json output stays in the
 * commands. Every text taken from input or from the policy goes through cli_esc(). */
#ifndef EMBEDSVC_TOOLS_RENDER_H
#define EMBEDSVC_TOOLS_RENDER_H

#include <embedsvc.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The readable `check` report, with the funding process section when the project has a stage. */
void render_check(FILE *f, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh);
/* `stage`: "current -> target: allowed / missing:" and the unmet preconditions. */
void render_stage(FILE *f, const embedsvc_stage_report *rep, int target, bool zh);
/* `classify` of one text. */
void render_classify(FILE *f, const embedsvc_policy *p, const char *text, const embedsvc_classification *c, bool zh);
/* `disburse`: approved × progress = limit; disbursed; due now. */
void render_disburse(FILE *f, int64_t approved, int64_t progress_bp, int64_t limit, int64_t disbursed, int64_t due,
                     bool zh);
/* `compare`: the summary, the districts and the projects whose eligibility changes. */
void render_compare(FILE *f, const embedsvc_compare *c, const char *source, bool zh);
/* The self-contained HTML report of `compare --html`. */
int render_compare_html(embedsvc_compare *c, bool zh, const char *source, const char **html, size_t *len,
                        embedsvc_error *err);

#endif
