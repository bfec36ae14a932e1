/* embedsvc compare — one portfolio under several policies: a summary table, --json rows, and a
 * self-contained HTML report (issue 10). A client of the public API only. */
#include "compare.h"
#include "cli.h"
#include "report.h"

#include <embedsvc.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

static void report_error(const char *file, int64_t line, const embedsvc_error *err)
{
    fprintf(stderr, "embedsvc: %s:", cli_display_name(file));
    if (line > 0)
        fprintf(stderr, "%lld:%u:", (long long)line, err->column);
    else if (err->line)
        fprintf(stderr, "%u:%u:", err->line, err->column);
    fprintf(stderr, " %s: %s", err->code, err->message);
    if (err->path[0])
        fprintf(stderr, " (at %s)", err->path);
    fputc('\n', stderr);
}

/* ---- the command ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The date of the report: SOURCE_DATE_EPOCH when set (reproducible builds), else now; in UTC. */
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

static bool write_html(const char *path, const embedsvc_compare *c, const esv_report_compare_log *log,
                       const esv_report_html_options *ho)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "embedsvc: %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = esv_report_compare_html(f, c, log, ho) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "embedsvc: %s: write error: %s\n", path, strerror(errno));
    return ok;
}

int embedsvc_cli_compare(const embedsvc_cli_compare_options *o, int argc, char **argv)
{
    if (argc != 1) {
        fputs("embedsvc: compare takes one portfolio (JSON Lines file, or - for standard input)\n"
              "Try 'embedsvc --help'.\n",
              stderr);
        return EXIT_BAD_INPUT;
    }
    const char *in_name = argv[0];
    static const char *const default_only[] = {"default"};
    const char *const *files = o->n_policy_files ? o->policy_files : default_only;
    size_t n = o->n_policy_files ? o->n_policy_files : 1;
    embedsvc_policy *policies[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    embedsvc_compare *c = NULL;
    esv_report_compare_log *log = NULL;
    FILE *in = NULL;
    char *line = NULL;
    int status = EXIT_BAD_INPUT;
    for (size_t p = 0; p < n; p++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = strcmp(files[p], "default") == 0 ? embedsvc_policy_default(NULL, &policies[p], &err)
                                                   : embedsvc_policy_load_file(files[p], NULL, &policies[p], &err);
        if (rc != EMBEDSVC_OK) {
            report_error(files[p], 0, &err);
            goto out;
        }
    }
    if (embedsvc_compare_new((const embedsvc_policy *const *)policies, n, NULL, &c) != EMBEDSVC_OK ||
        (o->html && esv_report_compare_log_new(&log) != EMBEDSVC_OK)) {
        fputs("embedsvc: out of memory\n", stderr);
        goto out;
    }
    in = strcmp(in_name, "-") == 0 ? stdin : fopen(in_name, "rb");
    if (!in) {
        fprintf(stderr, "embedsvc: %s: %s\n", in_name, strerror(errno));
        goto out;
    }
    double start = now_seconds();
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, in)) != -1) {
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = log ? esv_report_compare_line(log, c, line, len, &err) : embedsvc_compare_line(c, line, len, &err);
        if (rc == 1 || rc < 0)
            report_error(in_name, embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_LINES), &err);
        if (rc < 0)
            goto out;
    }
    if (ferror(in) || !feof(in)) { /* not the end: a read error, or getline could not allocate the line */
        fprintf(stderr, "embedsvc: %s: read error: %s\n", cli_display_name(in_name), strerror(errno));
        goto out;
    }
    double secs = now_seconds() - start;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (o->json) {
        const char *json;
        size_t len;
        if (embedsvc_compare_to_json(c, &json, &len, &err) != EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: %s: %s\n", err.code, err.message);
            goto out;
        }
        fwrite(json, 1, len, stdout);
        putchar('\n');
    } else {
        if (esv_report_compare_text(stdout, c, cli_display_name(in_name), o->zh ? "zh" : "en") != 0)
            goto write_error;
    }
    if (o->html) {
        char date[64];
        const char *sources[EMBEDSVC_COMPARE_MAX_POLICIES];
        for (size_t p = 0; p < n; p++)
            sources[p] = strcmp(files[p], "default") == 0 ? NULL : files[p];
        report_date(date, sizeof(date));
        esv_report_html_options ho = {o->zh ? "zh" : "en", NULL, cli_display_name(in_name), date, sources};
        if (!write_html(o->html, c, log, &ho))
            goto out;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
    write_error:
        fprintf(stderr, "embedsvc: write error: %s\n", strerror(errno));
        goto out;
    }
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    if (o->zh)
        fprintf(stderr, "embedsvc: 项目 %lld 个 × 政策 %zu 项，错误行 %lld 行；评估用时 %.2f 秒%s%s\n", projects, n,
                errors, secs, o->html ? "；报告已写入 " : "", o->html ? o->html : "");
    else
        fprintf(stderr, "embedsvc: %lld projects × %zu policies, error lines: %lld; evaluated in %.2f s%s%s\n",
                projects, n, errors, secs, o->html ? "; report written to " : "", o->html ? o->html : "");
    status = errors ? 1 : 0;
out:
    free(line);
    if (in && in != stdin)
        fclose(in);
    esv_report_compare_log_free(log);
    embedsvc_compare_free(c);
    for (size_t p = 0; p < n; p++)
        embedsvc_policy_free(policies[p]);
    return status;
}
