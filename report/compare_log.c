/* What the what-if report shows beyond the comparison's aggregates (issue 21): the error lines,
 * and why each changed project changed. The comparison keeps only the figures of a changed
 * project, so its line is parsed and evaluated again here under every policy (only for changed
 * projects, at most ESV_REPORT_MAX_REASONS of them), and the findings that differ from the
 * baseline's are kept with their messages in both languages. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

int esv_report_compare_log_new(esv_report_compare_log **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return EMBEDSVC_ENOMEM;
    if (embedsvc_project_new(NULL, &(*out)->project) != EMBEDSVC_OK) {
        esv_report_compare_log_free(*out);
        *out = NULL;
        return EMBEDSVC_ENOMEM;
    }
    return EMBEDSVC_OK;
}

void esv_report_compare_log_free(esv_report_compare_log *log)
{
    if (!log)
        return;
    embedsvc_project_free(log->project);
    for (size_t p = 0; p < EMBEDSVC_COMPARE_MAX_POLICIES; p++)
        embedsvc_result_free(log->results[p]);
    for (size_t i = 0; i < log->n_reasons; i++) {
        free(log->reasons[i].code);
        free(log->reasons[i].msg[0]);
        free(log->reasons[i].msg[1]);
    }
    free(log->reasons);
    free(log->changes);
    for (size_t i = 0; i < log->n_errors; i++) {
        free(log->errors[i].code);
        free(log->errors[i].message);
    }
    free(log->errors);
    free(log);
}

size_t esv_report_compare_log_errors(const esv_report_compare_log *log)
{
    return log ? log->errors_seen : 0;
}

static bool grow(void **items, size_t size, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

static int note_error(esv_report_compare_log *log, const embedsvc_compare *c, const embedsvc_error *err)
{
    log->errors_seen++;
    if (log->n_errors >= ESV_REPORT_MAX_ERROR_LINES)
        return EMBEDSVC_OK;
    if (!grow((void **)&log->errors, sizeof(*log->errors), &log->cap_errors, log->n_errors + 1))
        return EMBEDSVC_ENOMEM;
    log_error *e = &log->errors[log->n_errors];
    e->line = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_LINES);
    e->column = err ? err->column : 0;
    e->code = dup_str(err && err->code[0] ? err->code : "?");
    e->message = dup_str(err ? err->message : "");
    if (!e->code || !e->message) {
        free(e->code);
        free(e->message);
        return EMBEDSVC_ENOMEM;
    }
    log->n_errors++;
    return EMBEDSVC_OK;
}

/* Whether finding i of a is among the findings of b (same code, same function). */
static bool has_finding(const embedsvc_result *b, const char *code, int function)
{
    for (size_t k = 0; k < embedsvc_result_finding_count(b); k++)
        if (embedsvc_result_finding_function(b, k) == function && strcmp(embedsvc_result_finding_code(b, k), code) == 0)
            return true;
    return false;
}

static char *message(const embedsvc_result *r, size_t i, const char *lang)
{
    int n = embedsvc_result_finding_message(r, i, lang, NULL, 0);
    if (n < 0)
        return dup_str("");
    char *m = malloc((size_t)n + 1);
    if (m)
        embedsvc_result_finding_message(r, i, lang, m, (size_t)n + 1);
    return m;
}

/* Adds the findings of `from` that `other` lacks, with sign, to the reasons of policy p. */
static int add_diff(esv_report_compare_log *log, const embedsvc_result *from, const embedsvc_result *other, int sign)
{
    for (size_t i = 0; i < embedsvc_result_finding_count(from); i++) {
        const char *code = embedsvc_result_finding_code(from, i);
        int fn = embedsvc_result_finding_function(from, i);
        if (has_finding(other, code, fn))
            continue;
        if (!grow((void **)&log->reasons, sizeof(*log->reasons), &log->cap_reasons, log->n_reasons + 1))
            return EMBEDSVC_ENOMEM;
        log_reason *x = &log->reasons[log->n_reasons];
        x->sign = sign;
        x->severity = embedsvc_result_finding_severity(from, i);
        x->function = fn;
        x->code = dup_str(code);
        x->msg[0] = message(from, i, "zh");
        x->msg[1] = message(from, i, "en");
        if (!x->code || !x->msg[0] || !x->msg[1]) {
            free(x->code);
            free(x->msg[0]);
            free(x->msg[1]);
            return EMBEDSVC_ENOMEM;
        }
        log->n_reasons++;
    }
    return EMBEDSVC_OK;
}

static int note_change(esv_report_compare_log *log, const embedsvc_compare *c, size_t index, const char *line,
                       size_t len)
{
    size_t n = embedsvc_compare_policy_count(c);
    if (!grow((void **)&log->changes, sizeof(*log->changes), &log->cap_changes, log->n_changes + 1))
        return EMBEDSVC_ENOMEM;
    for (size_t p = 0; p < n; p++)
        if (!log->results[p] && embedsvc_result_new(NULL, &log->results[p]) != EMBEDSVC_OK)
            return EMBEDSVC_ENOMEM;
    log_change *ch = &log->changes[log->n_changes];
    memset(ch, 0, sizeof(*ch));
    ch->index = index;
    ch->evaluated = embedsvc_project_parse(log->project, line, len, NULL) == EMBEDSVC_OK;
    for (size_t p = 0; ch->evaluated && p < n; p++)
        ch->evaluated = embedsvc_evaluate(embedsvc_compare_policy(c, p), log->project, log->results[p], NULL) ==
                        EMBEDSVC_OK;
    size_t before = log->n_reasons;
    for (size_t p = 0; ch->evaluated && p < n; p++) {
        const embedsvc_result *r = log->results[p];
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
            ch->rate_bp[p][k] = embedsvc_result_class_rate_bp(r, (embedsvc_class)k);
        ch->capped[p] = embedsvc_result_capped(r) == 1 && embedsvc_result_subsidy_eligible(r) == 1;
        ch->has_cap[p] = embedsvc_result_cap_fen(r, &ch->cap_fen[p]) == 1;
        ch->first[p] = log->n_reasons;
        if (p > 0) {
            int rc = add_diff(log, r, log->results[0], +1);
            if (rc == EMBEDSVC_OK)
                rc = add_diff(log, log->results[0], r, -1);
            if (rc != EMBEDSVC_OK) {
                while (log->n_reasons > before) {
                    log_reason *x = &log->reasons[--log->n_reasons];
                    free(x->code);
                    free(x->msg[0]);
                    free(x->msg[1]);
                }
                return rc;
            }
        }
        ch->count[p] = log->n_reasons - ch->first[p];
    }
    log->n_changes++;
    return EMBEDSVC_OK;
}

int esv_report_compare_log_note(esv_report_compare_log *log, const embedsvc_compare *c, const char *line, size_t len,
                                int rc, const embedsvc_error *err)
{
    if (!log || !c)
        return EMBEDSVC_EINVAL;
    if (rc == 1)
        return note_error(log, c, err);
    size_t nc = embedsvc_compare_changed_count(c);
    if (rc != EMBEDSVC_OK || nc <= log->seen_changed)
        return EMBEDSVC_OK;
    log->seen_changed = nc;
    if (log->n_changes >= ESV_REPORT_MAX_REASONS)
        return EMBEDSVC_OK; /* beyond the rows the report shows */
    return note_change(log, c, nc - 1, line, len);
}

int esv_report_compare_line(esv_report_compare_log *log, embedsvc_compare *c, const char *line, size_t len,
                            embedsvc_error *err)
{
    int rc = embedsvc_compare_line(c, line, len, err);
    int lrc = esv_report_compare_log_note(log, c, line, len, rc, err);
    return lrc == EMBEDSVC_ENOMEM ? lrc : rc;
}

int esv_report_compare_framed(esv_report_compare_log *log, embedsvc_compare *c, const embedsvc_line *line,
                              embedsvc_error *err)
{
    int rc = embedsvc_compare_framed(c, line, err);
    /* an over-limit line has no text, but it is an error line (rc 1): the note reads no text then */
    int lrc = esv_report_compare_log_note(log, c, line ? line->text : NULL, line ? line->len : 0, rc, err);
    return lrc == EMBEDSVC_ENOMEM ? lrc : rc;
}
