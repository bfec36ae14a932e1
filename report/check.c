/* The readable report of `embedsvc check` and `embedsvc stage` (issue 21): names, not codes (codes
 * stay in --json and appear here only in brackets), each check as a sentence, amounts in the one
 * format of report/format.c, and nothing from the input unescaped. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *class_label(const rp *r, const embedsvc_policy *p, int cls)
{
    if (cls < 0)
        return rp_l(r, "（未确定）", "(not determined)");
    return embedsvc_policy_class_name(p, (embedsvc_class)cls, r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

static const char *scenario_label(const rp *r, const embedsvc_policy *p, int s)
{
    if (s < 0)
        return rp_l(r, "（无法识别）", "(not recognised)");
    return embedsvc_policy_scenario_name(p, (size_t)s, r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

static void money(rp *r, int64_t fen)
{
    char a[64];
    esv_report_money(fen, r->lang, a, sizeof(a));
    rp_puts(r, a);
}

static void large(rp *r, int64_t fen)
{
    char a[64];
    esv_report_large(fen, r->lang, a, sizeof(a));
    rp_puts(r, a);
}

static void percent(rp *r, int64_t bp)
{
    char a[32];
    esv_report_percent(bp, a, sizeof(a));
    rp_puts(r, a);
}

/* ---- the checks as sentences ---- */

/* The build modes the policy subsidises, as words: "新建、改扩建、存量设施改造". */
static void build_modes(rp *r, const embedsvc_policy *p)
{
    int64_t bits = 0;
    embedsvc_policy_rule(p, EMBEDSVC_RULE_SUBSIDY_BUILD_MODES, &bits);
    int n = 0;
    for (int m = 0; m < 4; m++)
        if (bits & (1 << m)) {
            rp_puts(r, n++ ? rp_l(r, "、", ", ") : "");
            rp_puts(r, esv_report_build_mode_name(m, r->lang));
        }
    if (!n)
        rp_puts(r, rp_l(r, "本政策不补助任何建设方式", "this policy subsidises no build mode"));
}

/* One check's sentence (without the mark and the cite). */
static void check_sentence(rp *r, const embedsvc_policy *p, const embedsvc_result *res, size_t i)
{
    const char *rule = embedsvc_result_check_rule(res, i);
    int passed = embedsvc_result_check_passed(res, i);
    int64_t v = 0, t = 0;
    const char *vt = NULL;
    int vk = embedsvc_result_check_value(res, i, &v, &vt);
    int tk = embedsvc_result_check_threshold(res, i, &t);
    if (strcmp(rule, "min_functions") == 0) {
        rp_printf(r, r->zh ? "功能数量 %lld 项，要求不少于 %lld 项" : "Functions: %lld distinct scenarios, at least %lld required",
                  (long long)v, (long long)t);
    } else if (strcmp(rule, "min_core_functions") == 0) {
        rp_printf(r, r->zh ? "核心功能 %lld 项，要求不少于 %lld 项" : "Core functions: %lld, at least %lld required",
                  (long long)v, (long long)t);
    } else if (strcmp(rule, "preferred_function") == 0) {
        if (passed < 0)
            rp_puts(r, rp_l(r, "优先功能：本政策不检查", "Preferred functions: not checked under this policy"));
        else
            rp_printf(r, r->zh ? "优先功能 %lld 项，要求至少 %lld 项" : "Preferred functions: %lld, at least %lld expected",
                      (long long)v, (long long)t);
    } else if (strcmp(rule, "investment_split") == 0) {
        rp_puts(r, passed > 0    ? rp_l(r, "各功能投资分摊完整", "Investment split over the functions: complete")
                   : passed == 0 ? rp_l(r, "各功能投资无法分摊（见下方发现）",
                                        "Investment split over the functions: not possible (see the findings)")
                                 : rp_l(r, "投资分摊：没有有效功能，未检查",
                                        "Investment split: not checked, no valid function"));
    } else if (strcmp(rule, "inclusive_rate") == 0) {
        int is_max = embedsvc_policy_class_rate_is_max(p, EMBEDSVC_CLASS_INCLUSIVE) == 1;
        rp_puts(r, rp_l(r, "普惠类补助比例 ", "Inclusive subsidy rate: "));
        percent(r, v);
        rp_puts(r, is_max ? rp_l(r, "，不超过 ", ", at most ") : rp_l(r, "，应为 ", ", must be "));
        percent(r, t);
    } else if (strcmp(rule, "subsidy_build_mode") == 0) {
        int mode = vk == 2 && vt ? embedsvc_enum_parse(EMBEDSVC_ENUM_BUILD_MODE, vt, strlen(vt)) : -1;
        rp_puts(r, rp_l(r, "建设方式：", "Build mode: "));
        rp_puts(r, mode >= 0 ? esv_report_build_mode_name(mode, r->lang) : rp_l(r, "未填写", "not given"));
        if (passed > 0) {
            rp_puts(r, rp_l(r, "，属于补助范围", ", subsidised"));
        } else {
            rp_puts(r, rp_l(r, "，不在补助范围（补助：", ", not subsidised (subsidised: "));
            build_modes(r, p);
            rp_puts(r, rp_l(r, "）", ")"));
        }
    } else if (strcmp(rule, "max_walk_minutes") == 0) {
        if (vk != 1)
            rp_puts(r, rp_l(r, "步行时间未填写，未检查", "Walking time to the site: not given, not checked"));
        else if (tk != 1)
            rp_printf(r, r->zh ? "步行 %lld 分钟可达；本政策不限步行时间" : "Walking time to the site: %lld minutes; this policy sets no limit",
                      (long long)v);
        else
            rp_printf(r, r->zh ? "步行 %lld 分钟可达，要求不超过 %lld 分钟" : "Walking time to the site: %lld minutes, at most %lld",
                      (long long)v, (long long)t);
    } else { /* a check added after this renderer: its code, in brackets, and its figures */
        rp_puts(r, "[");
        rp_text(r, rule);
        rp_puts(r, "]");
        if (vk == 1)
            rp_printf(r, " %lld", (long long)v);
        else if (vk == 2)
            rp_text(r, vt), rp_puts(r, " ");
        if (tk == 1)
            rp_printf(r, " / %lld", (long long)t);
    }
}

static void checks(rp *r, const embedsvc_policy *p, const embedsvc_result *res)
{
    rp_puts(r, rp_l(r, "\n检查\n", "\nChecks\n"));
    for (size_t i = 0; i < embedsvc_result_check_count(res); i++) {
        int passed = embedsvc_result_check_passed(res, i);
        rp_puts(r, passed < 0 ? "  – " : passed ? "  ✓ " : "  ✗ ");
        /* the sentence is built apart, then wrapped to the width of the report */
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f) {
            r->failed = true;
            return;
        }
        rp sub = {f, r->zh, r->lang, false};
        check_sentence(&sub, p, res, i);
        fprintf(f, "  [%s]", embedsvc_result_check_cite(res, i));
        bool ok = fclose(f) == 0 && !sub.failed;
        if (ok) {
            /* already escaped, and free of control characters: written as it is */
            rp_wrap(r, text, 4, 4, RP_WIDTH);
        }
        r->failed |= !ok;
        free(text);
        rp_puts(r, "\n");
    }
}

/* ---- functions and subsidy ---- */

static const char *function_label(const embedsvc_project *pr, size_t i)
{
    const char *label = embedsvc_project_get_text(pr, (int)i, EMBEDSVC_FIELD_LABEL);
    return label ? label : embedsvc_project_get_text(pr, (int)i, EMBEDSVC_FIELD_ITEM);
}

/* The functions: one row each with the scenario, the amounts and the class; the function's own
 * label (from the application) after it when the row fits in RP_WIDTH columns, else on a line of
 * its own below. */
static void functions(rp *r, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *res)
{
    size_t nf = embedsvc_project_function_count(pr);
    const char *h_scen = rp_l(r, "服务场景", "Scenario"), *h_cls = rp_l(r, "服务类别", "Class");
    const char *h_inv = rp_l(r, "分摊投资（元）", "Investment (yuan)"), *h_sub = rp_l(r, "补助（元）", "Subsidy (yuan)");
    int wscen = rp_width(h_scen), wcls = rp_width(h_cls), winv = rp_width(h_inv), wsub = rp_width(h_sub), wlab = 0;
    char a[48];
    for (size_t i = 0; i < nf; i++) {
        int w = rp_width(scenario_label(r, p, embedsvc_result_function_scenario(res, i)));
        wscen = w > wscen ? w : wscen;
        w = rp_width(class_label(r, p, embedsvc_result_function_class(res, i)));
        wcls = w > wcls ? w : wcls;
        w = (int)esv_report_yuan(embedsvc_result_function_investment_fen(res, i), a, sizeof(a));
        winv = w > winv ? w : winv;
        w = (int)esv_report_yuan(embedsvc_result_function_subsidy_fen(res, i), a, sizeof(a));
        wsub = w > wsub ? w : wsub;
        w = function_label(pr, i) ? rp_width(function_label(pr, i)) : 0;
        wlab = w > wlab ? w : wlab;
    }
    int row = 5 + wscen + 2 + winv + 2 + wsub + 2 + wcls;
    bool inline_class = row <= RP_WIDTH; /* else the class goes below, with the label */
    bool inline_label = inline_class && row + 2 + wlab <= RP_WIDTH;
    rp_puts(r, rp_l(r, "\n功能\n", "\nFunctions\n"));
    rp_puts(r, "     ");
    rp_cell(r, h_scen, wscen, false);
    rp_puts(r, "  ");
    rp_cell(r, h_inv, winv, true);
    rp_puts(r, "  ");
    rp_cell(r, h_sub, wsub, true);
    if (inline_class) {
        rp_puts(r, "  ");
        rp_cell(r, h_cls, inline_label && wlab ? wcls : 0, false);
    }
    if (inline_label && wlab) {
        rp_puts(r, "  ");
        rp_puts(r, rp_l(r, "名称", "Label"));
    }
    rp_puts(r, "\n");
    for (size_t i = 0; i < nf; i++) {
        const char *label = function_label(pr, i);
        rp_printf(r, "  %2zu ", i + 1);
        rp_cell(r, scenario_label(r, p, embedsvc_result_function_scenario(res, i)), wscen, false);
        rp_puts(r, "  ");
        esv_report_yuan(embedsvc_result_function_investment_fen(res, i), a, sizeof(a));
        rp_cell(r, a, winv, true);
        rp_puts(r, "  ");
        esv_report_yuan(embedsvc_result_function_subsidy_fen(res, i), a, sizeof(a));
        rp_cell(r, a, wsub, true);
        if (inline_class) {
            rp_puts(r, "  ");
            rp_cell(r, class_label(r, p, embedsvc_result_function_class(res, i)), inline_label && label ? wcls : 0,
                    false);
        } else {
            rp_puts(r, "\n       ");
            rp_text(r, class_label(r, p, embedsvc_result_function_class(res, i)));
            if (label) {
                rp_puts(r, " · ");
                rp_wrap(r, label, 7 + rp_width(class_label(r, p, embedsvc_result_function_class(res, i))) + 3, 7,
                        RP_WIDTH);
            }
            label = NULL;
        }
        if (label) {
            rp_puts(r, inline_label ? "  " : "\n       ");
            rp_wrap(r, label, inline_label ? row + 2 : 7, inline_label ? row + 2 : 7, RP_WIDTH);
        }
        rp_puts(r, "\n");
    }
}

static void subsidy(rp *r, const embedsvc_policy *p, const embedsvc_result *res)
{
    bool eligible = embedsvc_result_subsidy_eligible(res) == 1;
    rp_puts(r, rp_l(r, "\n补助 [三、(二)]\n", "\nSubsidy [三、(二)]\n"));
    int wname = rp_width(rp_l(r, "服务类别", "Class"));
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++) {
        int w = rp_width(class_label(r, p, k));
        wname = w > wname ? w : wname;
    }
    rp_puts(r, "  ");
    rp_cell(r, rp_l(r, "服务类别", "Class"), wname, false);
    rp_puts(r, "  ");
    rp_cell(r, rp_l(r, "基数（元）", "Base (yuan)"), 18, true);
    rp_puts(r, "  ");
    rp_cell(r, rp_l(r, "比例", "Rate"), 7, true);
    rp_puts(r, "  ");
    rp_cell(r, rp_l(r, "补助（元）", "Subsidy (yuan)"), 16, true);
    rp_puts(r, "\n");
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++) {
        char a[48];
        rp_puts(r, "  ");
        rp_cell(r, class_label(r, p, k), wname, false);
        rp_puts(r, "  ");
        esv_report_yuan(embedsvc_result_class_base_fen(res, (embedsvc_class)k), a, sizeof(a));
        rp_cell(r, a, 18, true);
        rp_puts(r, "  ");
        esv_report_percent(embedsvc_result_class_rate_bp(res, (embedsvc_class)k), a, sizeof(a));
        rp_cell(r, a, 7, true);
        rp_puts(r, "  ");
        esv_report_yuan(embedsvc_result_class_amount_fen(res, (embedsvc_class)k), a, sizeof(a));
        rp_cell(r, a, 16, true);
        rp_puts(r, "\n");
    }
    int64_t cap = 0, uncapped = embedsvc_result_uncapped_fen(res), total = embedsvc_result_total_fen(res);
    bool has_cap = embedsvc_result_cap_fen(res, &cap) == 1, capped = embedsvc_result_capped(res) == 1;
    char u[64], c[64], t[64], hr[64], line[1024];
    esv_report_money(uncapped, r->lang, u, sizeof(u));
    esv_report_money(cap, r->lang, c, sizeof(c));
    esv_report_large(cap, r->lang, t, sizeof(t));
    int64_t headroom = 0;
    embedsvc_result_cap_headroom_fen(res, &headroom);
    esv_report_money(headroom, r->lang, hr, sizeof(hr));
    if (!eligible && uncapped == 0) /* nothing to pay even if it qualified */
        snprintf(line, sizeof(line), "%s",
                 rp_l(r, "项目不符合补助条件（见下方检查与发现），以上补助均为 0。",
                      "The project does not qualify for the subsidy (see the checks and findings below), so every "
                      "amount above is 0."));
    else if (!eligible) /* the amounts above are 0: say why, and what the project would get */
        snprintf(line, sizeof(line),
                 r->zh ? "项目不符合补助条件（见下方检查与发现），以上补助均为 0。若符合条件，基本与普惠两类可得 %s%s%s%s。"
                       : "The project does not qualify for the subsidy (see the checks and findings below), so every "
                         "amount above is 0. If it qualified, the two public classes would get %s%s%s%s.",
                 u, has_cap && capped ? rp_l(r, "，超过上限 ", ", above the cap of ") : "", has_cap && capped ? c : "",
                 has_cap && capped ? rp_l(r, "，将按上限核定", ", so the cap would apply") : "");
    else if (has_cap && capped)
        snprintf(line, sizeof(line),
                 r->zh ? "基本与普惠两类合计 %s，超过上限 %s（%s），已按上限核定。"
                       : "The two public classes come to %s, above the cap of %s (%s): the cap applies.",
                 u, c, t);
    else if (has_cap)
        snprintf(line, sizeof(line),
                 r->zh ? "上限 %s（基本与普惠两类合计），未触及，余量 %s。"
                       : "Cap %s (the two public classes together), not reached; headroom %s.",
                 t, hr);
    else
        snprintf(line, sizeof(line), "%s", rp_l(r, "本政策不设补助上限。", "This policy sets no cap."));
    rp_puts(r, "  ");
    rp_wrap(r, line, 2, 2, RP_WIDTH);
    rp_puts(r, "\n");
    rp_puts(r, rp_l(r, "  补助合计：", "  Total subsidy: "));
    money(r, total);
    rp_puts(r, rp_l(r, "（", " ("));
    large(r, total);
    rp_puts(r, rp_l(r, "）\n", ")\n"));
}

static void findings(rp *r, const embedsvc_result *res)
{
    size_t n = embedsvc_result_finding_count(res);
    rp_puts(r, rp_l(r, "\n发现\n", "\nFindings\n"));
    if (n == 0)
        rp_puts(r, rp_l(r, "  （无）\n", "  (none)\n"));
    char msg[8192];
    for (size_t i = 0; i < n; i++) {
        int fn = embedsvc_result_finding_function(res, i);
        const char *cite = embedsvc_result_finding_cite(res, i);
        embedsvc_result_finding_message(res, i, r->lang, msg, sizeof(msg));
        rp_puts(r, "  ");
        rp_puts(r, esv_report_severity_name(embedsvc_result_finding_severity(res, i), r->lang));
        if (fn >= 0)
            rp_printf(r, r->zh ? "（功能 %d）" : " (function %d)", fn + 1);
        rp_puts(r, "  [");
        rp_text(r, embedsvc_result_finding_code(res, i));
        if (cite) {
            rp_puts(r, " · ");
            rp_text(r, cite);
        }
        rp_puts(r, "]\n      ");
        rp_wrap(r, msg, 6, 6, RP_WIDTH);
        rp_puts(r, "\n");
    }
}

/* ---- the funding process ---- */

static void unmet(rp *r, const embedsvc_stage_report *rep)
{
    char msg[4096];
    for (size_t i = 0; i < embedsvc_stage_report_count(rep); i++) {
        embedsvc_stage_report_message(rep, i, r->lang, msg, sizeof(msg));
        rp_puts(r, "    ✗ [");
        rp_text(r, embedsvc_stage_report_code(rep, i));
        rp_puts(r, " · ");
        rp_text(r, embedsvc_stage_report_cite(rep, i));
        rp_puts(r, "]\n      ");
        rp_wrap(r, msg, 6, 6, RP_WIDTH);
        rp_puts(r, "\n");
    }
}

static void process(rp *r, const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *res)
{
    int64_t stage;
    if (embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_STAGE, &stage) != 1)
        return;
    rp_puts(r, rp_l(r, "\n资金流程 [四、2]\n  当前阶段：", "\nFunding process [四、2]\n  Stage: "));
    rp_puts(r, esv_report_stage_name((int)stage, r->lang));
    rp_puts(r, "\n");
    embedsvc_stage_report *rep = NULL;
    if (embedsvc_stage_report_new(NULL, &rep) != EMBEDSVC_OK) {
        r->failed = true;
        return;
    }
    if (stage + 1 < EMBEDSVC_STAGE_COUNT &&
        embedsvc_stage_check(p, pr, (embedsvc_stage)(stage + 1), rep, NULL) == EMBEDSVC_OK) {
        rp_puts(r, rp_l(r, "  下一阶段：", "  Next stage: "));
        rp_puts(r, esv_report_stage_name((int)stage + 1, r->lang));
        rp_puts(r, embedsvc_stage_report_allowed(rep) ? rp_l(r, "，条件已具备\n", ", every precondition met\n")
                                                      : rp_l(r, "，尚缺：\n", ", still missing:\n"));
        unmet(r, rep);
    }
    embedsvc_stage_report_free(rep);
    int64_t progress, approved, disbursed = 0, due;
    if (stage == EMBEDSVC_STAGE_DISBURSEMENT &&
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_PROGRESS, &progress) == 1) {
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISBURSED, &disbursed);
        /* the approved amount defaults to the computed total (reference §9) */
        if (embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_APPROVED, &approved) != 1)
            approved = embedsvc_result_total_fen(res);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (embedsvc_disbursement(approved, progress, disbursed, &due, &err) == EMBEDSVC_OK) {
            rp_puts(r, rp_l(r, "  按工程进度 ", "  By construction progress of "));
            percent(r, progress);
            rp_puts(r, rp_l(r, "，现可下达 ", ", due now: "));
            money(r, due);
            rp_puts(r, "\n");
        } else {
            rp_puts(r, "  ");
            rp_text(r, err.message);
            rp_puts(r, " [");
            rp_text(r, err.code);
            rp_puts(r, "]\n");
        }
    }
}

int esv_report_check_text(FILE *out, const embedsvc_policy *p, const embedsvc_project *pr,
                          const embedsvc_result *res, const char *lang)
{
    if (!out || !p || !pr || !res)
        return -1;
    rp rr = rp_open(out, lang), *r = &rr;
    const char *name = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME);
    const char *district = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISTRICT);
    rp_puts(r, rp_l(r, "项目：", "Project: "));
    rp_text(r, embedsvc_result_project_id(res));
    int col = rp_width(rp_l(r, "项目：", "Project: ")) + rp_width(embedsvc_result_project_id(res));
    if (name) {
        rp_puts(r, "  ");
        rp_wrap(r, name, col + 2, 2, RP_WIDTH);
    }
    if (district) {
        rp_puts(r, rp_l(r, "（", " ("));
        rp_text(r, district);
        rp_puts(r, rp_l(r, "）", ")"));
    }
    rp_puts(r, rp_l(r, "\n政策：", "\nPolicy: "));
    char *pol = NULL;
    size_t pol_len = 0;
    FILE *pf = open_memstream(&pol, &pol_len);
    if (pf) {
        const char *title = embedsvc_policy_text(p, r->zh ? "title_zh" : "title_en");
        fprintf(pf, r->zh ? "%s [%s，第 %s 版]" : "%s [%s, version %s]", title ? title : "",
                embedsvc_policy_text(p, "id"), embedsvc_policy_text(p, "version"));
        if (fclose(pf) == 0)
            rp_wrap(r, pol, rp_width(rp_l(r, "政策：", "Policy: ")), 2, RP_WIDTH);
        else
            r->failed = true;
        free(pol);
    } else {
        r->failed = true;
    }
    rp_puts(r, "\n");
    int eligible = embedsvc_result_eligible(res), sub = embedsvc_result_subsidy_eligible(res);
    rp_puts(r, rp_l(r, "结论：", "Decision: "));
    rp_puts(r, sub        ? rp_l(r, "符合嵌入式服务设施条件，可申请市级补助", "eligible, and may apply for the municipal subsidy")
               : eligible ? rp_l(r, "符合嵌入式服务设施条件，但不能申请补助（见下）", "eligible, but not for the subsidy (see below)")
                          : rp_l(r, "不符合条件（见下）", "not eligible (see below)"));
    rp_puts(r, "\n");
    functions(r, p, pr, res);
    subsidy(r, p, res);
    checks(r, p, res);
    findings(r, res);
    process(r, p, pr, res);
    return rp_close(r);
}

int esv_report_stage_text(FILE *out, const embedsvc_stage_report *rep, const char *lang)
{
    if (!out || !rep)
        return -1;
    rp rr = rp_open(out, lang), *r = &rr;
    bool ok = embedsvc_stage_report_allowed(rep) == 1;
    rp_puts(r, esv_report_stage_name(embedsvc_stage_report_current(rep), r->lang));
    rp_puts(r, " → ");
    rp_puts(r, esv_report_stage_name(embedsvc_stage_report_target(rep), r->lang));
    rp_puts(r, rp_l(r, "：", ": "));
    rp_puts(r, ok ? rp_l(r, "可以进入\n", "allowed\n") : rp_l(r, "尚不能进入，缺少：\n", "not yet allowed, missing:\n"));
    unmet(r, rep);
    return rp_close(r);
}
