/* The readable text of the embedsvc tool (see render.h): thin calls into report/, where every
 * report, number format and the escaping of text from the input live. */
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *lang(bool zh)
{
    return zh ? "zh" : "en";
}

/* A failed write leaves the stream's error flag set; the command's final flush reports it. */
void render_check(FILE *f, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh)
{
    esv_report_check_text(f, p, pr, r, lang(zh));
}

void render_stage(FILE *f, const embedsvc_stage_report *rep, int target, bool zh)
{
    (void)target; /* the report knows its target */
    esv_report_stage_text(f, rep, lang(zh));
}

void render_classify(FILE *f, const embedsvc_policy *p, const char *text, const embedsvc_classification *c, bool zh)
{
    esv_report_classify_text(f, p, text, c, lang(zh));
}

void render_disburse(FILE *f, int64_t approved, int64_t progress_bp, int64_t limit, int64_t disbursed, int64_t due,
                     bool zh)
{
    char a[64], b[64], c[64], d[64], pct[16];
    esv_report_money(approved, lang(zh), a, sizeof(a));
    esv_report_percent(progress_bp, pct, sizeof(pct));
    esv_report_money(limit, lang(zh), b, sizeof(b));
    esv_report_money(disbursed, lang(zh), c, sizeof(c));
    esv_report_money(due, lang(zh), d, sizeof(d));
    if (zh)
        fprintf(f, "核定 %s × 工程进度 %s = 累计可下达 %s；已下达 %s；现可下达 %s\n", a, pct, b, c, d);
    else
        fprintf(f, "approved %s × progress %s = %s cumulative; disbursed %s; due now %s\n", a, pct, b, c, d);
}

void render_compare(FILE *f, const embedsvc_compare *c, const char *source, bool zh)
{
    esv_report_compare_text(f, c, strcmp(source, "-") == 0 ? "<stdin>" : source, lang(zh));
}

/* The date of the report: SOURCE_DATE_EPOCH when set (reproducible output), else now; in UTC. */
static void report_date(char *out, size_t size)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!*end && !errno && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(out, size, "?");
}

char *render_compare_html(const embedsvc_compare *c, const esv_report_compare_log *log, bool zh, const char *source,
                          const char *const *policy_files, size_t *len)
{
    char date[64];
    const char *sources[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    for (size_t p = 0; p < embedsvc_compare_policy_count(c) && p < EMBEDSVC_COMPARE_MAX_POLICIES; p++)
        sources[p] = policy_files && strcmp(policy_files[p], "default") != 0 ? policy_files[p] : NULL;
    report_date(date, sizeof(date));
    esv_report_html_options o = {lang(zh), NULL, source, date, sources};
    return esv_report_compare_html_string(c, log, &o, len);
}
