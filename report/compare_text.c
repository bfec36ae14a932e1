/* The readable summary of `embedsvc compare`: policies, totals, districts and the projects whose
 * eligibility changes. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_PROJECT_ROWS 50

typedef struct row {
    embedsvc_compare_value which;
    const char *zh, *en; /* NULL: the class's name; "%u" stands for the unit of large amounts */
    bool money, vs_baseline, indent;
} row;

static const row summary_rows[] = {
    {EMBEDSVC_COMPARE_PROJECTS, "项目数", "Projects", false, false, false},
    {EMBEDSVC_COMPARE_ELIGIBLE, "符合条件", "Eligible", false, false, false},
    {EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE, "可申请补助", "Subsidy-eligible", false, false, false},
    {EMBEDSVC_COMPARE_CAPPED, "按上限核定", "Capped", false, false, false},
    {EMBEDSVC_COMPARE_TOTAL_FEN, "补助合计（万元）", "Total subsidy (million yuan)", true, false, false},
    {EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN, NULL, NULL, true, false, true},
    {EMBEDSVC_COMPARE_INCLUSIVE_FEN, NULL, NULL, true, false, true},
    {EMBEDSVC_COMPARE_COMMERCIAL_FEN, NULL, NULL, true, false, true},
    {EMBEDSVC_COMPARE_DELTA_FEN, "较基准增减（万元）", "Change against the baseline (million yuan)", true, true, false},
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

static const char *row_label(const embedsvc_compare *c, const row *x, const rp *r)
{
    if (x->zh)
        return rp_l(r, x->zh, x->en);
    return embedsvc_policy_class_name(embedsvc_compare_policy(c, 0),
                                      (embedsvc_class)(x->which - EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN),
                                      r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

static void column_widths(const embedsvc_compare *c, int *width)
{
    for (size_t p = 0; p < embedsvc_compare_policy_count(c); p++) {
        width[p] = rp_width(policy_id(c, p));
        if (width[p] < 14)
            width[p] = 14;
    }
}

static void cell(rp *r, const char *s, int width)
{
    rp_puts(r, "  ");
    rp_cell(r, s, width, true);
}

static void header(rp *r, const embedsvc_compare *c, const char *first, int first_width, const int *width)
{
    rp_cell(r, first, first_width, false);
    for (size_t p = 0; p < embedsvc_compare_policy_count(c); p++)
        cell(r, policy_id(c, p), width[p]);
    rp_puts(r, "\n");
}

static const char *district_label(const char *name, const rp *r)
{
    return name ? name : rp_l(r, "（未填区）", "(no district)");
}

static void large(const rp *r, int64_t fen, char *out, size_t size)
{
    if (r->zh)
        esv_report_wan(fen, out, size);
    else
        esv_report_million(fen, out, size);
}

static void summary(rp *r, const embedsvc_compare *c, const char *source)
{
    size_t n = embedsvc_compare_policy_count(c);
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    rp_puts(r, rp_l(r, "组合：", "Portfolio: "));
    rp_text(r, source ? source : "-");
    rp_printf(r, r->zh ? "，项目 %lld 个" : ", %lld projects", projects);
    if (errors)
        rp_printf(r, r->zh ? "，错误行 %lld 行（未计入）" : ", error lines: %lld (not counted)", errors);
    rp_puts(r, rp_l(r, "\n政策：\n", "\nPolicies:\n"));
    for (size_t p = 0; p < n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(c, p);
        const char *title = embedsvc_policy_text(pol, r->zh ? "title_zh" : "title_en");
        rp_printf(r, "  %zu  ", p);
        rp_text(r, policy_id(c, p));
        rp_puts(r, rp_l(r, " 第 ", " version "));
        rp_text(r, embedsvc_policy_text(pol, "version"));
        rp_puts(r, rp_l(r, " 版", ""));
        if (p == 0)
            rp_puts(r, rp_l(r, "（基准）", " (baseline)"));
        if (title) {
            rp_puts(r, rp_l(r, "：", ": "));
            rp_text(r, title);
        }
        rp_puts(r, "\n");
    }
    rp_puts(r, "\n");
    int width[EMBEDSVC_COMPARE_MAX_POLICIES], first = 0;
    column_widths(c, width);
    for (size_t i = 0; i < sizeof(summary_rows) / sizeof(summary_rows[0]); i++) {
        int w = rp_width(row_label(c, &summary_rows[i], r)) + (summary_rows[i].indent ? 2 : 0);
        first = w > first ? w : first;
    }
    header(r, c, rp_l(r, "指标", "Measure"), first, width);
    for (size_t i = 0; i < sizeof(summary_rows) / sizeof(summary_rows[0]); i++) {
        const row *x = &summary_rows[i];
        if (x->vs_baseline && n < 2)
            continue;
        if (x->indent)
            rp_puts(r, "  ");
        rp_cell(r, row_label(c, x, r), first - (x->indent ? 2 : 0), false);
        for (size_t p = 0; p < n; p++) {
            char v[48];
            int64_t t = embedsvc_compare_total(c, p, x->which);
            if (x->vs_baseline && p == 0)
                snprintf(v, sizeof(v), "—");
            else if (x->money)
                large(r, t, v, sizeof(v));
            else
                snprintf(v, sizeof(v), "%lld", (long long)t);
            cell(r, v, width[p]);
        }
        rp_puts(r, "\n");
    }
}

static void districts(rp *r, const embedsvc_compare *c)
{
    size_t n = embedsvc_compare_policy_count(c), nd = embedsvc_compare_district_count(c);
    const char *projects = rp_l(r, "项目数", "Projects"), *dh = rp_l(r, "区", "District");
    int width[EMBEDSVC_COMPARE_MAX_POLICIES], first = rp_width(dh);
    column_widths(c, width);
    for (size_t d = 0; d < nd; d++) {
        int w = rp_width(district_label(embedsvc_compare_district_name(c, d), r));
        first = w > first ? w : first;
    }
    int wp = rp_width(projects);
    rp_puts(r, rp_l(r, "\n各区补助合计（万元）\n", "\nTotal subsidy by district (million yuan)\n"));
    rp_cell(r, dh, first, false);
    rp_puts(r, "  ");
    header(r, c, projects, wp, width);
    for (size_t d = 0; d < nd; d++) {
        char v[48];
        rp_cell(r, district_label(embedsvc_compare_district_name(c, d), r), first, false);
        snprintf(v, sizeof(v), "%lld", (long long)embedsvc_compare_district_value(c, d, 0, EMBEDSVC_COMPARE_PROJECTS));
        cell(r, v, wp);
        for (size_t p = 0; p < n; p++) {
            large(r, embedsvc_compare_district_value(c, d, p, EMBEDSVC_COMPARE_TOTAL_FEN), v, sizeof(v));
            cell(r, v, width[p]);
        }
        rp_puts(r, "\n");
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

static void changes(rp *r, const embedsvc_compare *c)
{
    size_t n = embedsvc_compare_policy_count(c), nc = embedsvc_compare_changed_count(c), total = 0;
    if (n < 2)
        return;
    const char *ph = rp_l(r, "项目", "Project"), *dh = rp_l(r, "区", "District");
    int width[EMBEDSVC_COMPARE_MAX_POLICIES], wid = rp_width(ph), wd = rp_width(dh);
    column_widths(c, width);
    for (size_t i = 0; i < nc; i++) {
        if (!eligibility_changes(c, i) || total++ >= TEXT_MAX_PROJECT_ROWS)
            continue;
        int w = rp_width(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID));
        wid = w > wid ? w : wid;
        w = rp_width(district_label(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), r));
        wd = w > wd ? w : wd;
    }
    rp_puts(r, rp_l(r, "\n资格变化的项目（✓ 符合条件，✗ 不符合；补助，万元）\n",
                    "\nProjects whose eligibility changes (✓ eligible, ✗ not; subsidy, million yuan)\n"));
    if (total == 0) {
        rp_puts(r, rp_l(r, "  （无）\n", "  (none)\n"));
        return;
    }
    rp_cell(r, ph, wid, false);
    rp_puts(r, "  ");
    header(r, c, dh, wd, width);
    size_t shown = 0;
    for (size_t i = 0; i < nc && shown < TEXT_MAX_PROJECT_ROWS; i++) {
        if (!eligibility_changes(c, i))
            continue;
        shown++;
        rp_cell(r, embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID), wid, false);
        rp_puts(r, "  ");
        rp_cell(r, district_label(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), r), wd, false);
        for (size_t p = 0; p < n; p++) {
            char a[48], v[64];
            large(r, embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN), a, sizeof(a));
            snprintf(v, sizeof(v), "%s %s", embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) ? "✓" : "✗",
                     a);
            cell(r, v, width[p]);
        }
        rp_puts(r, "\n");
    }
    if (total > shown)
        rp_printf(r, r->zh ? "另有 %zu 个未列出（完整列表见 --json 或 --html）\n" : "%zu more not listed (see --json or --html)\n",
                  total - shown);
}

int esv_report_compare_text(FILE *out, const embedsvc_compare *c, const char *source, const char *lang)
{
    if (!out || !c)
        return -1;
    rp rr = rp_open(out, lang), *r = &rr;
    summary(r, c, source);
    districts(r, c);
    changes(r, c);
    return rp_close(r);
}
