/* The Chinese and English messages of findings: what is wrong and what would fix it.
 * Names come from the policy, so a policy for another city reads right. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct msg {
    esv_buf *b;
    const esv_alloc *al;
    bool ok;
} msg;

static void add(msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(msg *m, const char *fmt, ...)
{
    if (!m->ok)
        return;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        m->ok = esv_buf_append(m->b, m->al, tmp, (size_t)n);
        return;
    }
    if (!esv_buf_reserve(m->b, m->al, (size_t)n)) {
        m->ok = false;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(m->b->data + m->b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    m->b->len += (size_t)n;
}

/* Text from a project (up to 4096 bytes) is quoted in full. */
static void add_text(msg *m, const char *s)
{
    if (m->ok && s)
        m->ok = esv_buf_append(m->b, m->al, s, strlen(s));
}

/* fen as yuan with thousands separators: 1,234,567.89 */
static void add_yuan(msg *m, int64_t fen)
{
    char digits[32], out[48];
    uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)(u / 100));
    size_t o = 0;
    if (fen < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, sizeof(out) - o, ".%02u", (unsigned)(u % 100));
    add(m, "%s", out);
}

/* A sentence around two amounts (f->a, f->b in fen): parts[lang][0] a parts[lang][1] b parts[lang][2],
 * with lang 0 English, 1 Chinese. */
static void add_two_amounts(msg *m, bool zh, const char *const parts[2][3], int64_t a, int64_t b)
{
    add(m, "%s", parts[zh][0]);
    add_yuan(m, a);
    add(m, "%s", parts[zh][1]);
    add_yuan(m, b);
    add(m, "%s", parts[zh][2]);
}

/* basis points as a percentage: 3000 -> 30%, 2575 -> 25.75% */
static void add_percent(msg *m, int64_t bp)
{
    if (bp % 100 == 0)
        add(m, "%lld%%", (long long)(bp / 100));
    else if (bp % 10 == 0)
        add(m, "%lld.%lld%%", (long long)(bp / 100), (long long)(bp % 100 / 10));
    else
        add(m, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

static const char *scen_name(const embedsvc_policy *p, int s, bool zh)
{
    return zh ? p->scenarios[s].name_zh.s : p->scenarios[s].name_en.s;
}

static const char *class_name(const embedsvc_policy *p, int c, bool zh)
{
    return zh ? p->classes[c].name_zh.s : p->classes[c].name_en.s;
}

static void add_allowed(msg *m, const embedsvc_policy *p, int s, bool zh)
{
    bool first = true;
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (p->scenarios[s].allowed & (1u << c)) {
            add(m, "%s%s", first ? "" : (zh ? "、" : ", "), class_name(p, c, zh));
            first = false;
        }
}

/* The scenarios with a flag (core / preferred), joined. */
static void add_scenarios(msg *m, const embedsvc_policy *p, bool core, bool zh)
{
    bool first = true;
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (core ? p->scenarios[s].core : p->scenarios[s].preferred) {
            add(m, "%s%s", first ? "" : (zh ? "、" : ", "), scen_name(p, (int)s, zh));
            first = false;
        }
}

bool esv_finding_message(const embedsvc_result *r, const esv_finding *f, bool zh, esv_buf *buf, const esv_alloc *al)
{
    const embedsvc_policy *p = r->policy;
    msg mm = {buf, al, true}, *m = &mm;
    const size_t start = buf->len;
    switch (f->code) {
    case ESV_F_ITEM_UNKNOWN:
        if (zh) {
            add(m, "服务项目“");
            add_text(m, esv_finding_text(r, f));
            add(m, "”不在政策的服务项目清单中，已按未填写处理；请填写清单中的项目名称，或删除 item。");
        } else {
            add(m, "Service item \"");
            add_text(m, esv_finding_text(r, f));
            add(m, "\" is not in the policy's list of items and was ignored; use a listed item name or remove "
                   "\"item\".");
        }
        break;
    case ESV_F_SCENARIO_UNKNOWN:
        if (f->a == ESV_WHY_SCENARIO_TEXT) {
            if (zh) {
                add(m, "服务场景“");
                add_text(m, esv_finding_text(r, f));
                add(m, "”不是政策规定的服务场景；请填写场景代码或中文名称（如 %s / %s）。", p->scenarios[0].code.s,
                    p->scenarios[0].name_zh.s);
            } else {
                add(m, "Service scenario \"");
                add_text(m, esv_finding_text(r, f));
                add(m, "\" is not a scenario of the policy; give a scenario code or Chinese name (e.g. %s / %s).",
                    p->scenarios[0].code.s, p->scenarios[0].name_zh.s);
            }
        } else if (f->a == ESV_WHY_ITEM_NO_SCENARIO) {
            if (zh) {
                add(m, "服务项目“");
                add_text(m, esv_finding_text(r, f));
                add(m, "”不属于任何服务场景，无法确定本功能的服务场景；请填写 scenario。");
            } else {
                add(m, "Service item \"");
                add_text(m, esv_finding_text(r, f));
                add(m, "\" belongs to no service scenario, so the function's scenario is unknown; give \"scenario\".");
            }
        } else if (f->a == ESV_WHY_NOTHING_GIVEN) {
            add(m, zh ? "未填写服务场景、服务项目或功能名称，无法确定服务场景；请填写 scenario。"
                      : "The function has no scenario, item or label, so its scenario is unknown; give \"scenario\".");
        } else {
            const char *why_zh = f->b == EMBEDSVC_MATCH_AMBIGUOUS ? "对应多个服务场景或项目"
                                 : f->b == EMBEDSVC_MATCH_NONE   ? "未能匹配任何服务场景"
                                                                 : "匹配的服务项目不属于任何服务场景";
            const char *why_en = f->b == EMBEDSVC_MATCH_AMBIGUOUS ? "matches several scenarios or items"
                                 : f->b == EMBEDSVC_MATCH_NONE   ? "matches no scenario"
                                                                 : "matches an item that belongs to no scenario";
            if (zh) {
                add(m, "功能名称“");
                add_text(m, esv_finding_text(r, f));
                add(m, "”%s，无法确定服务场景；请填写 scenario。", why_zh);
            } else {
                add(m, "The label \"");
                add_text(m, esv_finding_text(r, f));
                add(m, "\" %s, so the scenario is unknown; give \"scenario\".", why_en);
            }
        }
        break;
    case ESV_F_SCENARIO_INFERRED:
        if (zh) {
            add(m, "根据功能名称“");
            add_text(m, esv_finding_text(r, f));
            add(m, "”认定服务场景为“%s”", scen_name(p, (int)f->a, true));
            if (f->b >= 0)
                add(m, "（服务项目“%s”）", p->items[f->b].name_zh.s);
            add(m, "；如不正确，请填写 scenario。");
        } else {
            add(m, "Scenario \"%s\"", scen_name(p, (int)f->a, false));
            if (f->b >= 0)
                add(m, " (item \"%s\")", p->items[f->b].name_en.s);
            add(m, " was inferred from the label \"");
            add_text(m, esv_finding_text(r, f));
            add(m, "\"; give \"scenario\" if this is wrong.");
        }
        break;
    case ESV_F_ITEM_CONFLICT: {
        int item = esv_item_find(p, esv_finding_text(r, f), strlen(esv_finding_text(r, f)));
        const esv_item *it = &p->items[item];
        if (zh) {
            add(m, "服务项目“");
            add_text(m, esv_finding_text(r, f));
            add(m, "”属于");
            if (it->scenario >= 0)
                add(m, "服务场景“%s”、", scen_name(p, it->scenario, true));
            add(m, "服务类别“%s”，与本功能填写的", class_name(p, it->cls, true));
            if (f->a >= 0)
                add(m, "服务场景“%s”", scen_name(p, (int)f->a, true));
            if (f->a >= 0 && f->b >= 0)
                add(m, "和");
            if (f->b >= 0)
                add(m, "服务类别“%s”", class_name(p, (int)f->b, true));
            add(m, "不一致；请更正其中之一。");
        } else {
            add(m, "Service item \"");
            add_text(m, esv_finding_text(r, f));
            add(m, "\" belongs to ");
            if (it->scenario >= 0)
                add(m, "scenario \"%s\" and ", scen_name(p, it->scenario, false));
            add(m, "class \"%s\", which contradicts the function's ", class_name(p, it->cls, false));
            if (f->a >= 0)
                add(m, "scenario \"%s\"", scen_name(p, (int)f->a, false));
            if (f->a >= 0 && f->b >= 0)
                add(m, " and ");
            if (f->b >= 0)
                add(m, "class \"%s\"", class_name(p, (int)f->b, false));
            add(m, "; correct one of them.");
        }
        break;
    }
    case ESV_F_CLASS_MISSING:
        if (zh) {
            add(m, "服务场景“%s”可以属于多个服务类别（", scen_name(p, (int)f->a, true));
            add_allowed(m, p, (int)f->a, true);
            add(m, "），无法确定本功能的类别；请填写 service_class。");
        } else {
            add(m, "Scenario \"%s\" allows several service classes (", scen_name(p, (int)f->a, false));
            add_allowed(m, p, (int)f->a, false);
            add(m, "), so the function's class is unknown; give \"service_class\".");
        }
        break;
    case ESV_F_CLASS_NOT_ALLOWED:
        if (zh) {
            add(m, "服务场景“%s”不能按“%s”配置；允许的服务类别为：", scen_name(p, (int)f->a, true),
                class_name(p, (int)f->b, true));
            add_allowed(m, p, (int)f->a, true);
            add(m, "。请更正服务类别。");
        } else {
            add(m, "Scenario \"%s\" cannot be provided as \"%s\"; the allowed classes are: ",
                scen_name(p, (int)f->a, false), class_name(p, (int)f->b, false));
            add_allowed(m, p, (int)f->a, false);
            add(m, ". Correct the service class.");
        }
        break;
    case ESV_F_DUPLICATE_SCENARIO:
        add(m, zh ? "服务场景“%s”已由前面的功能配置，本功能不重复计入功能数量。"
                  : "Scenario \"%s\" is already provided by an earlier function; this one does not count again.",
            scen_name(p, (int)f->a, zh));
        break;
    case ESV_P_TOO_FEW_FUNCTIONS:
        add(m, zh ? "项目有效配置了 %lld 类服务功能，少于要求的 %lld 类；请增加其他服务场景的功能，或更正无效的功能。"
                  : "Distinct service scenarios provided by valid functions: %lld, fewer than the %lld required; "
                    "add functions of other scenarios or correct the invalid ones.",
            (long long)f->a, (long long)f->b);
        break;
    case ESV_P_TOO_FEW_CORE_FUNCTIONS:
        if (zh) {
            add(m, "项目配置了 %lld 项必备功能（", (long long)f->a);
            add_scenarios(m, p, true, true);
            add(m, "），少于要求的 %lld 项；请增加其中的功能。", (long long)f->b);
        } else {
            add(m, "Core scenarios provided (");
            add_scenarios(m, p, true, false);
            add(m, "): %lld, fewer than the %lld required; add more of them.", (long long)f->a, (long long)f->b);
        }
        break;
    case ESV_P_NO_PREFERRED_FUNCTION:
        if (zh) {
            add(m, "项目未配置");
            add_scenarios(m, p, false, true);
            if (f->a) {
                add(m, "功能（原则上应配置），已说明理由：“");
                add_text(m, esv_finding_text(r, f));
                add(m, "”。");
            } else {
                add(m, "功能（原则上应配置）；请增加其中之一，或在 exemption_reason 中说明理由。");
            }
        } else {
            add(m, "The project provides none of ");
            add_scenarios(m, p, false, false);
            if (f->a) {
                add(m, " (expected in principle); the reason given: \"");
                add_text(m, esv_finding_text(r, f));
                add(m, "\".");
            } else {
                add(m, " (expected in principle); add one, or state the reason in \"exemption_reason\".");
            }
        }
        break;
    case ESV_I_SPLIT_INCOMPLETE:
        add(m, zh ? "无法将工程总投资分摊到各功能：请为每个功能填写 investment（合计等于工程总投资），"
                    "或为每个功能填写大于 0 的 floor_area_m2。"
                  : "The total investment cannot be apportioned to the functions: give every function an "
                    "\"investment\" (adding up to the total) or a \"floor_area_m2\" above 0.");
        break;
    case ESV_I_SPLIT_MISMATCH:
        add_two_amounts(m, zh,
                        (const char *const[2][3]){
                            {"The functions' investments add up to ", " yuan, not the total investment of ",
                             " yuan; correct them."},
                            {"各功能投资合计 ", " 元，与工程总投资 ", " 元不一致；请更正。"}},
                        f->a, f->b);
        break;
    case ESV_S_RATE_ABOVE_MAX:
        if (p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_is_max) {
            add(m, zh ? "申请的%s补助比例 " : "The requested rate for %s, ",
                class_name(p, EMBEDSVC_CLASS_INCLUSIVE, zh));
            add_percent(m, f->a);
            add(m, zh ? " 高于上限 " : ", is above the maximum of ");
            add_percent(m, f->b);
            add(m, zh ? "；请调低 inclusive_rate。" : "; lower \"inclusive_rate\".");
        } else {
            add(m, zh ? "%s补助比例固定为 " : "The rate for %s is fixed at ", class_name(p, EMBEDSVC_CLASS_INCLUSIVE, zh));
            add_percent(m, f->b);
            add(m, zh ? "，申请的为 " : "; the project requested ");
            add_percent(m, f->a);
            add(m, zh ? "；请更正或删除 inclusive_rate。" : "; correct or remove \"inclusive_rate\".");
        }
        break;
    case ESV_S_BUILD_MODE_INELIGIBLE: {
        bool first = true;
        add(m, zh ? "建设方式“%s”不在补助范围内（" : "Build mode \"%s\" is not subsidised (only ",
            zh ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_BUILD_MODE, (int)f->a)
               : embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, (int)f->a));
        for (int b = 0; b < 4; b++)
            if (p->subsidy_build_modes & (1u << b)) {
                add(m, "%s%s", first ? "" : (zh ? "、" : ", "),
                    zh ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_BUILD_MODE, b)
                       : embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, b));
                first = false;
            }
        add(m, zh ? "）；项目可以认定，但不能申请补助资金。"
                  : "); the project can qualify, but cannot receive the subsidy.");
        break;
    }
    case ESV_W_WALK_TOO_FAR:
        add(m, zh ? "步行到达时间 %lld 分钟，超过 %lld 分钟（一刻钟便民生活圈）；请核实选址。"
                  : "Walking time of %lld minutes exceeds %lld (the 15-minute living circle); review the site.",
            (long long)f->a, (long long)f->b);
        break;
    case ESV_S_CAPPED:
        add_two_amounts(m, zh,
                        (const char *const[2][3]){
                            {"The two public subsidies add up to ", " yuan, above the cap of ",
                             " yuan; the cap is granted."},
                            {"两类补助合计 ", " 元，超过上限 ", " 元，按上限核定。"}},
                        f->a, f->b);
        break;
    case ESV_P_NOT_IN_FORCE:
        if (zh) {
            add(m, "申请日期 %s 不在政策“%s”的有效期内（%s 至 %s）；请确认适用的政策。", esv_finding_text(r, f), p->id.s,
                p->effective_from.s ? p->effective_from.s : "不限", p->effective_to.s ? p->effective_to.s : "不限");
        } else {
            add(m, "The application date %s is outside the period of policy \"%s\" (%s to %s); check which policy "
                   "applies.",
                esv_finding_text(r, f), p->id.s, p->effective_from.s ? p->effective_from.s : "open",
                p->effective_to.s ? p->effective_to.s : "open");
        }
        break;
    case ESV_O_LOSS:
        add_two_amounts(m, zh,
                        (const char *const[2][3]){
                            {"Annual operating revenue of ", " yuan is below the cost of ",
                             " yuan: the operation runs at a loss, against the break-even principle; review the "
                             "plan."},
                            {"年运营收入 ", " 元低于成本 ", " 元，运营亏损，不符合保本微利原则；请核实运营方案。"}},
                        f->a, f->b);
        break;
    case ESV_O_MARGIN_ABOVE_MAX:
        add(m, zh ? "运营利润率 " : "The operating margin of ");
        add_percent(m, f->a);
        add(m, zh ? " 高于政策允许的 " : " is above the ");
        add_percent(m, f->b);
        add(m, zh ? "（保本微利）；请核实收费标准。" : " the policy allows (break-even, small profit); review the prices.");
        break;
    case ESV_X_NOT_NEXT_STAGE:
        if (zh)
            add(m, "案件处于“%s”阶段，只能进入下一阶段“%s”，不能进入“%s”。",
                embedsvc_enum_name_zh(EMBEDSVC_ENUM_STAGE, (int)f->a),
                f->a + 1 < EMBEDSVC_STAGE_COUNT ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_STAGE, (int)f->a + 1) : "（无）",
                embedsvc_enum_name_zh(EMBEDSVC_ENUM_STAGE, (int)f->b));
        else
            add(m, "The case is at stage \"%s\" and can move only to the next stage%s%s%s, not to \"%s\".",
                embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, (int)f->a), f->a + 1 < EMBEDSVC_STAGE_COUNT ? " \"" : "",
                f->a + 1 < EMBEDSVC_STAGE_COUNT ? embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, (int)f->a + 1) : "",
                f->a + 1 < EMBEDSVC_STAGE_COUNT ? "\"" : "", embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, (int)f->b));
        break;
    case ESV_X_NOT_ELIGIBLE:
        add(m, zh ? "项目不符合嵌入式服务设施条件，不能申报资金（见评估发现）。"
                  : "The project does not meet the conditions of an embedded service facility, so funds cannot be "
                    "applied for (see the findings).");
        break;
    case ESV_X_RESIDENTS_NOT_CONSULTED:
        add(m, zh ? "尚未征求居民和驻区单位意见（residents_consulted）；请先完成意见征集。"
                  : "Residents and local businesses have not been consulted (residents_consulted); consult them first.");
        break;
    case ESV_X_NOT_SUBSIDY_ELIGIBLE:
        add(m, zh ? "项目不符合补助条件（不符合条件或建设方式不在补助范围），不能进入资金审批。"
                  : "The project is not eligible for the subsidy (not eligible, or its build mode is not subsidised), "
                    "so it cannot go to fund approval.");
        break;
    case ESV_X_FEASIBILITY_MISSING:
        add(m, zh ? "缺少可行性研究报告批复或同等审批文件（feasibility_approved）；请先取得批复。"
                  : "The feasibility study approval or an equivalent approval is missing (feasibility_approved); "
                    "obtain it first.");
        break;
    case ESV_X_ESTIMATE_DEPTH_MISSING:
        add(m, zh ? "资金申请报告未达到概算深度（estimate_depth_report）；请按概算深度编制。"
                  : "The fund application report is not at budget-estimate depth (estimate_depth_report); prepare it "
                    "at that depth.");
        break;
    case ESV_X_OVERDISBURSED:
        add_two_amounts(m, zh,
                        (const char *const[2][3]){
                            {"The amount disbursed, ", " yuan, is above the approved ", " yuan; check the figures."},
                            {"已下达资金 ", " 元高于核定金额 ", " 元；请核实。"}},
                        f->a, f->b);
        break;
    case ESV_CODE_COUNT:
        break;
    }
    /* A message is a string of the result JSON: keep it within the 4096-byte limit of SPEC §10, which
     * readers of embedsvc JSON (this library's included) apply. A longer one (a long quoted label,
     * long policy names) is cut at a character and ends with "…". */
    if (m->ok && buf->len - start > ESV_JSON_MAX_STRING) {
        size_t n = start + ESV_JSON_MAX_STRING - 3;
        while (n > start && ((unsigned char)buf->data[n] & 0xC0) == 0x80)
            n--;
        memcpy(buf->data + n, "\xE2\x80\xA6", 3);
        buf->len = n + 3;
        buf->data[buf->len] = '\0';
    }
    return m->ok;
}
