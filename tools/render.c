/* The readable text of the embedsvc tool (see render.h): moved here from the commands so that
 * presentation is in one file. Text from input and from the policy is escaped with cli_esc(). */
#include "render.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_PROJECT_ROWS 50

/* ---- check ---- */

static const char *class_label(const embedsvc_policy *p, int cls, bool zh)
{
    if (cls < 0)
        return "-";
    return cli_esc(embedsvc_policy_class_name(p, (embedsvc_class)cls, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN));
}

static void print_report(FILE *f, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh)
{
    const char *name = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME);
    const char *district = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISTRICT);
    char a[48], b[48], c[48];
    fprintf(f, zh ? "项目：%s%s%s%s%s\n" : "Project: %s%s%s%s%s\n", cli_esc(embedsvc_result_project_id(r)),
            name ? "  " : "", name ? cli_esc(name) : "", district ? "  " : "", district ? cli_esc(district) : "");
    fprintf(f, zh ? "政策：%s 第 %s 版\n" : "Policy: %s version %s\n", cli_esc(embedsvc_policy_text(p, "id")),
            cli_esc(embedsvc_policy_text(p, "version")));
    int eligible = embedsvc_result_eligible(r), subsidy = embedsvc_result_subsidy_eligible(r);
    if (zh)
        fprintf(f, "结论：%s\n\n",
                subsidy    ? "符合嵌入式服务设施条件，可申请市级补助"
                : eligible ? "符合嵌入式服务设施条件，但不能申请补助（见下）"
                           : "不符合条件（见下）");
    else
        fprintf(f, "Decision: %s\n\n",
                subsidy    ? "eligible, and may apply for the municipal subsidy"
                : eligible ? "eligible, but not for the subsidy (see below)"
                           : "not eligible (see below)");

    /* functions */
    int wscen = zh ? 8 : 8, wcls = zh ? 8 : 8;
    size_t nf = embedsvc_project_function_count(pr);
    for (size_t i = 0; i < nf; i++) {
        int s = embedsvc_result_function_scenario(r, i);
        const char *sn = s >= 0 ? cli_esc(embedsvc_policy_scenario_name(p, (size_t)s, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN))
                                : "-";
        if (cli_display_width(sn) > wscen)
            wscen = cli_display_width(sn);
        const char *cn = class_label(p, embedsvc_result_function_class(r, i), zh);
        if (cli_display_width(cn) > wcls)
            wcls = cli_display_width(cn);
    }
    fputs(zh ? "功能  " : "  #   ", f);
    cli_print_padded(f, zh ? "服务场景" : "Scenario", wscen, false);
    fputs("  ", f);
    cli_print_padded(f, zh ? "服务类别" : "Class", wcls, false);
    fputs("  ", f);
    cli_print_padded(f, zh ? "分摊投资（元）" : "Investment (yuan)", 20, true);
    fputs("  ", f);
    cli_print_padded(f, zh ? "补助（元）" : "Subsidy (yuan)", 18, true);
    fputc('\n', f);
    for (size_t i = 0; i < nf; i++) {
        int s = embedsvc_result_function_scenario(r, i);
        const char *sn = s >= 0 ? cli_esc(embedsvc_policy_scenario_name(p, (size_t)s, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN))
                                : "-";
        fprintf(f, "%4zu  ", i);
        cli_print_padded(f, sn, wscen, false);
        fputs("  ", f);
        cli_print_padded(f, class_label(p, embedsvc_result_function_class(r, i), zh), wcls, false);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_function_investment_fen(r, i), a, sizeof(a));
        cli_print_padded(f, a, 20, true);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_function_subsidy_fen(r, i), a, sizeof(a));
        cli_print_padded(f, a, 18, true);
        fputc('\n', f);
    }

    /* subsidy */
    fputs(zh ? "\n补助（三、(二)）\n" : "\nSubsidy (三、(二))\n", f);
    int wname = 0;
    for (int k = 0; k < 3; k++)
        if (cli_display_width(class_label(p, k, zh)) > wname)
            wname = cli_display_width(class_label(p, k, zh));
    fputs("  ", f);
    cli_print_padded(f, zh ? "服务类别" : "Class", wname, false);
    fputs("  ", f);
    cli_print_padded(f, zh ? "基数（元）" : "Base (yuan)", 20, true);
    fputs("  ", f);
    cli_print_padded(f, zh ? "比例" : "Rate", 7, true);
    fputs("  ", f);
    cli_print_padded(f, zh ? "金额（元）" : "Amount (yuan)", 18, true);
    fputc('\n', f);
    for (int k = 0; k < 3; k++) {
        fputs("  ", f);
        cli_print_padded(f, class_label(p, k, zh), wname, false);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_class_base_fen(r, (embedsvc_class)k), a, sizeof(a));
        cli_print_padded(f, a, 20, true);
        fputs("  ", f);
        cli_format_percent(embedsvc_result_class_rate_bp(r, (embedsvc_class)k), b, sizeof(b));
        cli_print_padded(f, b, 7, true);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_class_amount_fen(r, (embedsvc_class)k), a, sizeof(a));
        cli_print_padded(f, a, 18, true);
        fputc('\n', f);
    }
    int64_t cap, headroom;
    cli_format_yuan(embedsvc_result_uncapped_fen(r), a, sizeof(a));
    fprintf(f, zh ? "  上限前（基本+普惠）：%s 元\n" : "  Before the cap (basic + inclusive): %s yuan\n", a);
    if (embedsvc_result_cap_fen(r, &cap)) {
        embedsvc_result_cap_headroom_fen(r, &headroom);
        cli_format_yuan(cap, a, sizeof(a));
        cli_format_wan(cap, b, sizeof(b));
        cli_format_yuan(headroom, c, sizeof(c));
        fprintf(f, zh ? "  上限：%s 元（%s 万元）%s，余量 %s 元\n" : "  Cap: %s yuan (%s 万元)%s, headroom %s yuan\n",
                a, b, embedsvc_result_capped(r) ? (zh ? "，已按上限核定" : ", applied") : "", c);
    } else {
        fputs(zh ? "  上限：无\n" : "  Cap: none\n", f);
    }
    int64_t total = embedsvc_result_total_fen(r);
    cli_format_yuan(total, a, sizeof(a));
    cli_format_wan(total, b, sizeof(b));
    fprintf(f, zh ? "  补助合计：%s 元（%s 万元）\n" : "  Total subsidy: %s yuan (%s 万元)\n", a, b);

    /* checks */
    fputs(zh ? "\n检查\n" : "\nChecks\n", f);
    for (size_t i = 0; i < embedsvc_result_check_count(r); i++) {
        int passed = embedsvc_result_check_passed(r, i);
        int64_t v = 0, t = 0;
        const char *vt = NULL;
        int vk = embedsvc_result_check_value(r, i, &v, &vt);
        int tk = embedsvc_result_check_threshold(r, i, &t);
        fprintf(f, "  %s %-20s", passed < 0 ? "-" : passed ? "✓" : "✗", cli_esc(embedsvc_result_check_rule(r, i)));
        if (vk == 1)
            fprintf(f, " %lld", (long long)v);
        else if (vk == 2)
            fprintf(f, " %s", cli_esc(vt));
        if (tk == 1)
            fprintf(f, " / %lld", (long long)t);
        fprintf(f, "  [%s]\n", cli_esc(embedsvc_result_check_cite(r, i)));
    }

    /* findings */
    size_t n = embedsvc_result_finding_count(r);
    fputs(zh ? "\n发现\n" : "\nFindings\n", f);
    if (n == 0)
        fputs(zh ? "  （无）\n" : "  (none)\n", f);
    char msg[2048];
    for (size_t i = 0; i < n; i++) {
        int sev = embedsvc_result_finding_severity(r, i);
        int fn = embedsvc_result_finding_function(r, i);
        const char *cite = embedsvc_result_finding_cite(r, i);
        embedsvc_result_finding_message(r, i, zh ? "zh" : "en", msg, sizeof(msg));
        fprintf(f, "  [%s] %s", zh ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_SEVERITY, sev)
                                   : embedsvc_enum_code(EMBEDSVC_ENUM_SEVERITY, sev),
                embedsvc_result_finding_code(r, i));
        if (fn >= 0)
            fprintf(f, zh ? "（功能 %d）" : " (function %d)", fn);
        if (cite)
            fprintf(f, " [%s]", cli_esc(cite));
        fprintf(f, "\n      %s\n", cli_esc(msg));
    }
}

static void print_unmet(FILE *f, const embedsvc_stage_report *rep, bool zh)
{
    char msg[1024];
    for (size_t i = 0; i < embedsvc_stage_report_count(rep); i++) {
        embedsvc_stage_report_message(rep, i, zh ? "zh" : "en", msg, sizeof(msg));
        fprintf(f, "  ✗ %s [%s]\n      %s\n", embedsvc_stage_report_code(rep, i), embedsvc_stage_report_cite(rep, i),
                cli_esc(msg));
    }
}

/* The funding process section of the report: the next stage and what it still needs. */
static void print_process(FILE *f, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh)
{
    int64_t stage;
    if (embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_STAGE, &stage) != 1)
        return;
    embedsvc_stage_report *rep = NULL;
    if (embedsvc_stage_report_new(NULL, &rep) != EMBEDSVC_OK)
        return;
    const char *(*name)(embedsvc_enum, int) = zh ? embedsvc_enum_name_zh : embedsvc_enum_code;
    fprintf(f, zh ? "\n资金流程（四、2）\n  当前阶段：%s\n" : "\nFunding process (四、2)\n  Stage: %s\n",
           name(EMBEDSVC_ENUM_STAGE, (int)stage));
    if (stage + 1 < EMBEDSVC_STAGE_COUNT &&
        embedsvc_stage_check(p, pr, (embedsvc_stage)(stage + 1), rep, NULL) == EMBEDSVC_OK) {
        fprintf(f, zh ? "  下一阶段：%s，%s\n" : "  Next stage: %s, %s\n", name(EMBEDSVC_ENUM_STAGE, (int)stage + 1),
               embedsvc_stage_report_allowed(rep) ? (zh ? "条件已具备" : "all preconditions met")
                                                  : (zh ? "尚缺：" : "still missing:"));
        print_unmet(f, rep, zh);
    }
    int64_t progress, approved, disbursed = 0, due;
    if (stage == EMBEDSVC_STAGE_DISBURSEMENT &&
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_PROGRESS, &progress) == 1) {
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISBURSED, &disbursed);
        /* the approved amount defaults to the computed total (SPEC §9) */
        if (embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_APPROVED, &approved) != 1)
            approved = embedsvc_result_total_fen(r);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (embedsvc_disbursement(approved, progress, disbursed, &due, &err) == EMBEDSVC_OK) {
            char a[48];
            cli_format_yuan(due, a, sizeof(a));
            fprintf(f, zh ? "  按工程进度现可下达：%s 元\n" : "  Due now by construction progress: %s yuan\n", a);
        } else {
            fprintf(f, "  %s: %s\n", err.code, cli_esc(err.message));
        }
    }
    embedsvc_stage_report_free(rep);
}

void render_check(FILE *f, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh)
{
    print_report(f, p, pr, r, zh);
    print_process(f, p, pr, r, zh);
}

/* ---- stage ---- */

void render_stage(FILE *f, const embedsvc_stage_report *rep, int target, bool zh)
{
    const char *(*name)(embedsvc_enum, int) = zh ? embedsvc_enum_name_zh : embedsvc_enum_code;
    bool ok = embedsvc_stage_report_allowed(rep);
    fprintf(f, zh ? "%s → %s：%s\n" : "%s -> %s: %s\n", name(EMBEDSVC_ENUM_STAGE, embedsvc_stage_report_current(rep)),
            name(EMBEDSVC_ENUM_STAGE, target),
            ok ? (zh ? "可以进入" : "allowed") : (zh ? "尚不能进入，缺少：" : "not yet allowed, missing:"));
    print_unmet(f, rep, zh);
}

/* ---- classify ---- */

void render_classify(FILE *f, const embedsvc_policy *p, const char *text, const embedsvc_classification *c, bool zh)
{
    static const char *const kinds[] = {"none", "exact", "contains", "ambiguous"};
    embedsvc_name nm = zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN;
    embedsvc_match m = embedsvc_classification_match(c);
    int s = embedsvc_classification_scenario(c), it = embedsvc_classification_item(c);
    int cls = embedsvc_classification_class(c);
    const char *scode = s >= 0 ? embedsvc_policy_scenario_name(p, (size_t)s, EMBEDSVC_NAME_CODE) : NULL;
    const char *ccode = cls >= 0 ? embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, cls) : NULL;
    fprintf(f, "%s\n  %s: %s", cli_esc(text), zh ? "匹配" : "match", kinds[m]);
    if (embedsvc_classification_term(c))
        fprintf(f, zh ? "（词条“%s”）" : " (term \"%s\")", cli_esc(embedsvc_classification_term(c)));
    fputc('\n', f);
    if (m == EMBEDSVC_MATCH_AMBIGUOUS) {
        fprintf(f, "  %s:", zh ? "候选" : "candidates");
        for (size_t k = 0; k < embedsvc_classification_candidate_count(c); k++) {
            int cs, ci;
            embedsvc_classification_candidate(c, k, &cs, &ci);
            if (ci >= 0)
                fprintf(f, " %s%s", zh ? "项目 " : "item ", cli_esc(embedsvc_policy_item_name(p, (size_t)ci, EMBEDSVC_NAME_ZH)));
            else
                fprintf(f, " %s", cli_esc(embedsvc_policy_scenario_name(p, (size_t)cs, EMBEDSVC_NAME_CODE)));
            if (k + 1 < embedsvc_classification_candidate_count(c))
                fputc(',', f);
        }
        fputc('\n', f);
    }
    if (m == EMBEDSVC_MATCH_EXACT || m == EMBEDSVC_MATCH_CONTAINS) {
        if (scode)
            fprintf(f, "  %s: %s %s\n", zh ? "服务场景" : "scenario", cli_esc(scode),
                    cli_esc(embedsvc_policy_scenario_name(p, (size_t)s, nm)));
        else
            fprintf(f, "  %s: %s\n", zh ? "服务场景" : "scenario",
                    zh ? "无（该项目不属于任何场景）" : "none (the item belongs to no scenario)");
        if (it >= 0)
            fprintf(f, "  %s: %s\n", zh ? "服务项目" : "item", cli_esc(embedsvc_policy_item_name(p, (size_t)it, EMBEDSVC_NAME_ZH)));
        fprintf(f, "  %s: %s", zh ? "服务类别" : "class", ccode ? ccode : (zh ? "不确定" : "unknown"));
        if (ccode)
            fprintf(f, " %s", cli_esc(embedsvc_policy_class_name(p, (embedsvc_class)cls, nm)));
        fputc('\n', f);
    }
}

/* ---- disburse ---- */

void render_disburse(FILE *f, int64_t approved, int64_t progress_bp, int64_t limit, int64_t disbursed, int64_t due,
                     bool zh)
{
    char a[48], b[48], c[48], d[48], pct[16];
    cli_format_yuan(approved, a, sizeof(a));
    cli_format_percent(progress_bp, pct, sizeof(pct));
    cli_format_yuan(limit, b, sizeof(b));
    cli_format_yuan(disbursed, c, sizeof(c));
    cli_format_yuan(due, d, sizeof(d));
    if (zh)
        fprintf(f, "核定 %s 元 × 工程进度 %s = 累计可下达 %s 元；已下达 %s 元；现可下达 %s 元\n", a, pct, b, c, d);
    else
        fprintf(f, "approved %s yuan × progress %s = %s yuan cumulative; disbursed %s yuan; due now %s yuan\n", a, pct,
                b, c, d);
}

/* ---- compare ---- */

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
    return cli_esc(embedsvc_policy_text(embedsvc_compare_policy(c, p), "id"));
}

static const char *row_label(const embedsvc_compare *c, const row *r, bool zh)
{
    if (r->zh)
        return zh ? r->zh : r->en;
    return cli_esc(embedsvc_policy_class_name(embedsvc_compare_policy(c, 0),
                                              (embedsvc_class)(r->which - EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN),
                                              zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN));
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
static void print_cell(FILE *f, const char *s, int width)
{
    fputs("  ", f);
    cli_print_padded(f, s, width, true);
}

static void print_header(FILE *f, const embedsvc_compare *c, const char *first, int first_width, const int *width)
{
    cli_print_padded(f, first, first_width, false);
    for (size_t p = 0; p < embedsvc_compare_policy_count(c); p++)
        print_cell(f, policy_id(c, p), width[p]);
    fputc('\n', f);
}

/* A district's name, or the label of the group of projects without one. */
static const char *district_label(const char *name, bool zh)
{
    return name ? cli_esc(name) : zh ? "（未填区）" : "(no district)";
}

static void print_summary(FILE *f, const embedsvc_compare *c, const char *source, bool zh)
{
    size_t n = embedsvc_compare_policy_count(c);
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    if (zh)
        fprintf(f, "组合：%s，项目 %lld 个%s", cli_display_name(source), projects, errors ? "" : "\n");
    else
        fprintf(f, "Portfolio: %s, %lld projects%s", cli_display_name(source), projects, errors ? "" : "\n");
    if (errors)
        fprintf(f, zh ? "，错误行 %lld 行（未计入）\n" : ", error lines: %lld (not counted)\n", errors);
    fputs(zh ? "政策：\n" : "Policies:\n", f);
    for (size_t p = 0; p < n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(c, p);
        const char *title = embedsvc_policy_text(pol, zh ? "title_zh" : "title_en");
        fprintf(f, zh ? "  %zu  %s 第 %s 版%s%s%s\n" : "  %zu  %s version %s%s%s%s\n", p, policy_id(c, p),
               cli_esc(embedsvc_policy_text(pol, "version")), p == 0 ? (zh ? "（基准）" : " (baseline)") : "",
               title ? (zh ? "：" : ": ") : "", title ? cli_esc(title) : "");
    }
    fputc('\n', f);

    int width[EMBEDSVC_COMPARE_MAX_POLICIES], first = 0;
    column_widths(c, width);
    for (size_t i = 0; i < sizeof(summary_rows) / sizeof(summary_rows[0]); i++) {
        int w = cli_display_width(row_label(c, &summary_rows[i], zh)) + (summary_rows[i].indent ? 2 : 0);
        if (w > first)
            first = w;
    }
    print_header(f, c, zh ? "指标" : "Measure", first, width);
    for (size_t i = 0; i < sizeof(summary_rows) / sizeof(summary_rows[0]); i++) {
        const row *r = &summary_rows[i];
        if (r->vs_baseline && n < 2)
            continue;
        if (r->indent)
            fputs("  ", f);
        cli_print_padded(f, row_label(c, r, zh), first - (r->indent ? 2 : 0), false);
        for (size_t p = 0; p < n; p++) {
            char v[48];
            int64_t x = embedsvc_compare_total(c, p, r->which);
            if (r->vs_baseline && p == 0)
                snprintf(v, sizeof(v), "—");
            else if (r->money)
                cli_format_wan(x, v, sizeof(v));
            else
                snprintf(v, sizeof(v), "%lld", (long long)x);
            print_cell(f, v, width[p]);
        }
        fputc('\n', f);
    }
}

static void print_districts(FILE *f, const embedsvc_compare *c, bool zh)
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
    fputs(zh ? "\n各区补助合计（万元）\n" : "\nTotal subsidy by district (万元)\n", f);
    cli_print_padded(f, zh ? "区" : "District", first, false);
    fputs("  ", f);
    print_header(f, c, projects, wp, width); /* the column of projects is as wide as its heading */
    for (size_t d = 0; d < nd; d++) {
        char v[48];
        cli_print_padded(f, district_label(embedsvc_compare_district_name(c, d), zh), first, false);
        snprintf(v, sizeof(v), "%lld", (long long)embedsvc_compare_district_value(c, d, 0, EMBEDSVC_COMPARE_PROJECTS));
        print_cell(f, v, wp);
        for (size_t p = 0; p < n; p++) {
            cli_format_wan(embedsvc_compare_district_value(c, d, p, EMBEDSVC_COMPARE_TOTAL_FEN), v, sizeof(v));
            print_cell(f, v, width[p]);
        }
        fputc('\n', f);
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

static void print_eligibility_changes(FILE *f, const embedsvc_compare *c, bool zh)
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
        int w = cli_display_width(cli_esc(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID)));
        if (w > wid)
            wid = w;
        w = cli_display_width(district_label(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), zh));
        if (w > wd)
            wd = w;
    }
    fputs(zh ? "\n资格变化的项目（✓ 符合条件，✗ 不符合；补助，万元）\n"
             : "\nProjects whose eligibility changes (✓ eligible, ✗ not; subsidy, 万元)\n",
          f);
    if (total == 0) {
        fputs(zh ? "  （无）\n" : "  (none)\n", f);
        return;
    }
    cli_print_padded(f, zh ? "项目" : "Project", wid, false);
    fputs("  ", f);
    print_header(f, c, zh ? "区" : "District", wd, width);
    size_t shown = 0;
    for (size_t i = 0; i < nc && shown < TEXT_MAX_PROJECT_ROWS; i++) {
        if (!eligibility_changes(c, i))
            continue;
        shown++;
        cli_print_padded(f, cli_esc(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_ID)), wid, false);
        fputs("  ", f);
        cli_print_padded(f, district_label(embedsvc_compare_changed_text(c, i, EMBEDSVC_FIELD_DISTRICT), zh), wd,
                         false);
        for (size_t p = 0; p < n; p++) {
            char wan[48], v[64];
            cli_format_wan(embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN), wan, sizeof(wan));
            snprintf(v, sizeof(v), "%s %s",
                     embedsvc_compare_changed_value(c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) ? "✓" : "✗", wan);
            print_cell(f, v, width[p]);
        }
        fputc('\n', f);
    }
    if (total > shown)
        fprintf(f, zh ? "另有 %zu 个未列出（完整列表见 --json 或 --html）\n" : "%zu more not listed (see --json or --html)\n",
               total - shown);
}

void render_compare(FILE *f, const embedsvc_compare *c, const char *source, bool zh)
{
    print_summary(f, c, source, zh);
    print_districts(f, c, zh);
    print_eligibility_changes(f, c, zh);
}

int render_compare_html(embedsvc_compare *c, bool zh, const char *source, const char **html, size_t *len,
                        embedsvc_error *err)
{
    return embedsvc_compare_to_html(c, zh ? "zh" : "en", source, html, len, err);
}
