/* embedsvc compare — one portfolio under several policies: a summary table, --json rows, and a
 * self-contained HTML report (issue 10). A client of the public API only. */
#include "compare.h"
#include "cli.h"

#include <embedsvc.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#define TEXT_MAX_PROJECT_ROWS 50

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

/* ---- the summary ---- */

typedef struct row {
    embedsvc_compare_value which;
    const char *zh, *en; /* NULL: the class's name */
    bool money, vs_baseline, indent;
} row;

static const row summary_rows[] = {
    {EMBEDSVC_COMPARE_PROJECTS, "项目数", "Projects", false, false, false},
    {EMBEDSVC_COMPARE_ELIGIBLE, "符合条件", "Eligible", false, false, false},
    {EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE, "可申请补助", "Subsidy-eligible", false, false, false},
    {EMBEDSVC_COMPARE_CAPPED, "触及上限", "Capped", false, false, false},
    {EMBEDSVC_COMPARE_TOTAL_FEN, "补助合计（万元）", "Total subsidy (万元)", true, false, false},
    {EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN, NULL, NULL, true, false, true},
    {EMBEDSVC_COMPARE_INCLUSIVE_FEN, NULL, NULL, true, false, true},
    {EMBEDSVC_COMPARE_COMMERCIAL_FEN, NULL, NULL, true, false, true},
    {EMBEDSVC_COMPARE_DELTA_FEN, "较基准增减（万元）", "Change against the baseline (万元)", true, true, false},
    {EMBEDSVC_COMPARE_LOST_ELIGIBLE, "失去资格", "Lost eligibility", false, true, false},
    {EMBEDSVC_COMPARE_GAINED_ELIGIBLE, "新获资格", "Gained eligibility", false, true, false},
    {EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE, "失去补助资格", "Lost subsidy eligibility", false, true, false},
    {EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE, "新获补助资格", "Gained subsidy eligibility", false, true, false},
    {EMBEDSVC_COMPARE_SUBSIDY_DOWN, "补助减少的项目", "Projects with less subsidy", false, true, false},
    {EMBEDSVC_COMPARE_SUBSIDY_UP, "补助增加的项目", "Projects with more subsidy", false, true, false},
};

static const char *policy_id(const embedsvc_compare *c, size_t p)
{
    return embedsvc_policy_text(embedsvc_compare_policy(c, p), "id");
}

static const char *row_label(const embedsvc_compare *c, const row *r, bool zh)
{
    if (r->zh)
        return zh ? r->zh : r->en;
    return embedsvc_policy_class_name(embedsvc_compare_policy(c, 0),
                                      (embedsvc_class)(r->which - EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN),
                                      zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

/* Column widths: one per policy, wide enough for its id and for the widest value. */
static void column_widths(const embedsvc_compare *c, int *width)
{
    for (size_t p = 0; p < embedsvc_compare_policy_count(c); p++) {
        width[p] = cli_display_width(policy_id(c, p));
        if (width[p] < 14)
            width[p] = 14;
    }
}

/* A right-aligned column after the two spaces that separate columns. */
static void print_cell(const char *s, int width)
{
    fputs("  ", stdout);
    cli_print_padded(stdout, s, width, true);
}

static void print_header(const embedsvc_compare *c, const char *first, int first_width, const int *width)
{
    cli_print_padded(stdout, first, first_width, false);
    for (size_t p = 0; p < embedsvc_compare_policy_count(c); p++)
        print_cell(policy_id(c, p), width[p]);
    putchar('\n');
}

/* A district's name, or the label of the group of projects without one. */
static const char *district_label(const char *name, bool zh)
{
    return name ? name : zh ? "（未填区）" : "(no district)";
}

static void print_summary(const embedsvc_compare *c, const char *source, bool zh)
{
    size_t n = embedsvc_compare_policy_count(c);
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    if (zh)
        printf("组合：%s，项目 %lld 个%s", cli_display_name(source), projects, errors ? "" : "\n");
    else
        printf("Portfolio: %s, %lld projects%s", cli_display_name(source), projects, errors ? "" : "\n");
    if (errors)
        printf(zh ? "，错误行 %lld 行（未计入）\n" : ", error lines: %lld (not counted)\n", errors);
    fputs(zh ? "政策：\n" : "Policies:\n", stdout);
    for (size_t p = 0; p < n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(c, p);
        const char *title = embedsvc_policy_text(pol, zh ? "title_zh" : "title_en");
        printf(zh ? "  %zu  %s 第 %s 版%s%s%s\n" : "  %zu  %s version %s%s%s%s\n", p, policy_id(c, p),
               embedsvc_policy_text(pol, "version"), p == 0 ? (zh ? "（基准）" : " (baseline)") : "",
               title ? (zh ? "：" : ": ") : "", title ? title : "");
    }
    putchar('\n');

    int width[EMBEDSVC_COMPARE_MAX_POLICIES], first = 0;
    column_widths(c, width);
    for (size_t i = 0; i < sizeof(summary_rows) / sizeof(summary_rows[0]); i++) {
        int w = cli_display_width(row_label(c, &summary_rows[i], zh)) + (summary_rows[i].indent ? 2 : 0);
        if (w > first)
            first = w;
    }
    print_header(c, zh ? "指标" : "Measure", first, width);
    for (size_t i = 0; i < sizeof(summary_rows) / sizeof(summary_rows[0]); i++) {
        const row *r = &summary_rows[i];
        if (r->vs_baseline && n < 2)
            continue;
        if (r->indent)
            fputs("  ", stdout);
        cli_print_padded(stdout, row_label(c, r, zh), first - (r->indent ? 2 : 0), false);
        for (size_t p = 0; p < n; p++) {
            char v[48];
            int64_t x = embedsvc_compare_total(c, p, r->which);
            if (r->vs_baseline && p == 0)
                snprintf(v, sizeof(v), "—");
            else if (r->money)
                cli_format_wan(x, v, sizeof(v));
            else
                snprintf(v, sizeof(v), "%lld", (long long)x);
            print_cell(v, width[p]);
        }
        putchar('\n');
    }
}

static void print_districts(const embedsvc_compare *c, bool zh)
{
    size_t n = embedsvc_compare_policy_count(c), nd = embedsvc_compare_district_count(c);
    const char *projects = zh ? "项目数" : "Projects";
    int width[EMBEDSVC_COMPARE_MAX_POLICIES], first = cli_display_width(zh ? "区" : "District");
    column_widths(c, width);
    for (size_t d = 0; d < nd; d++) {
        int w = cli_display_width(district_label(embedsvc_compare_district_name(c, d), zh));
        if (w > first)
            first = w;
    }
    int wp = cli_display_width(projects);
    fputs(zh ? "\n各区补助合计（万元）\n" : "\nTotal subsidy by district (万元)\n", stdout);
    cli_print_padded(stdout, zh ? "区" : "District", first, false);
    fputs("  ", stdout);
    print_header(c, projects, wp, width); /* the column of projects is as wide as its heading */
    for (size_t d = 0; d < nd; d++) {
        char v[48];
        cli_print_padded(stdout, district_label(embedsvc_compare_district_name(c, d), zh), first, false);
        snprintf(v, sizeof(v), "%lld", (long long)embedsvc_compare_district_value(c, d, 0, EMBEDSVC_COMPARE_PROJECTS));
        print_cell(v, wp);
        for (size_t p = 0; p < n; p++) {
            cli_format_wan(embedsvc_compare_district_value(c, d, p, EMBEDSVC_COMPARE_TOTAL_FEN), v, sizeof(v));
            print_cell(v, width[p]);
        }
        putchar('\n');
    }
}

static bool eligibility_changes(const embedsvc_compare *c, size_t i)
{
    for (size_t p = 1; p < embedsvc_compare_policy_count(c); p++)
        if (embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_LOST_ELIGIBLE) ||
            embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_GAINED_ELIGIBLE) ||
            embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE) ||
            embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE))
            return true;
    return false;
}

static void print_eligibility_changes(const embedsvc_compare *c, bool zh)
{
    size_t n = embedsvc_compare_policy_count(c), nc = embedsvc_compare_changed_count(c), total = 0;
    if (n < 2)
        return;
    int width[EMBEDSVC_COMPARE_MAX_POLICIES], wid = cli_display_width(zh ? "项目" : "Project");
    int wd = cli_display_width(zh ? "区" : "District");
    column_widths(c, width);
    for (size_t i = 0; i < nc; i++) {
        if (!eligibility_changes(c, i))
            continue;
        if (total++ >= TEXT_MAX_PROJECT_ROWS)
            continue;
        int w = cli_display_width(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID));
        if (w > wid)
            wid = w;
        w = cli_display_width(district_label(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), zh));
        if (w > wd)
            wd = w;
    }
    fputs(zh ? "\n资格变化的项目（✓ 符合条件，✗ 不符合；补助，万元）\n"
             : "\nProjects whose eligibility changes (✓ eligible, ✗ not; subsidy, 万元)\n",
          stdout);
    if (total == 0) {
        fputs(zh ? "  （无）\n" : "  (none)\n", stdout);
        return;
    }
    cli_print_padded(stdout, zh ? "项目" : "Project", wid, false);
    fputs("  ", stdout);
    print_header(c, zh ? "区" : "District", wd, width);
    size_t shown = 0;
    for (size_t i = 0; i < nc && shown < TEXT_MAX_PROJECT_ROWS; i++) {
        if (!eligibility_changes(c, i))
            continue;
        shown++;
        cli_print_padded(stdout, embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID), wid, false);
        fputs("  ", stdout);
        cli_print_padded(stdout, district_label(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), zh), wd,
                         false);
        for (size_t p = 0; p < n; p++) {
            char wan[48], v[64];
            cli_format_wan(embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN), wan, sizeof(wan));
            snprintf(v, sizeof(v), "%s %s",
                     embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) ? "✓" : "✗", wan);
            print_cell(v, width[p]);
        }
        putchar('\n');
    }
    if (total > shown)
        printf(zh ? "另有 %zu 个未列出（完整列表见 --json 或 --html）\n" : "%zu more not listed (see --json or --html)\n",
               total - shown);
}

/* ---- the command ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "embedsvc: %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(data, 1, len, f) == len;
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
    if (embedsvc_compare_new((const embedsvc_policy *const *)policies, n, NULL, &c) != EMBEDSVC_OK) {
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
        int rc = embedsvc_compare_line(c, line, len, &err);
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
        print_summary(c, in_name, o->zh);
        print_districts(c, o->zh);
        print_eligibility_changes(c, o->zh);
    }
    if (o->html) {
        const char *html;
        size_t len;
        if (embedsvc_compare_to_html(c, o->zh ? "zh" : "en", cli_display_name(in_name), &html, &len, &err) !=
            EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: %s: %s\n", err.code, err.message);
            goto out;
        }
        if (!write_file(o->html, html, len))
            goto out;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
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
    embedsvc_compare_free(c);
    for (size_t p = 0; p < n; p++)
        embedsvc_policy_free(policies[p]);
    return status;
}
