/* The what-if report of a comparison as one self-contained HTML document (inline CSS and SVG, no
 * script, nothing fetched): policies, summary, charts, the projects that change with the reason,
 * the districts, the error lines, and a footer with the date, the inputs and where each policy
 * came from. Moved out of the library (issue 14), built on the public API only. */
#include "html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const labels labels_zh = {
    .title = "政策比较：补助与资格",
    .baseline = "基准",
    .policies = "政策",
    .version = "版本",
    .name_col = "名称",
    .summary = "汇总",
    .metric = "指标",
    .by_class = "各政策分类别补助（万元）",
    .by_district = "各区补助合计（万元）",
    .eligibility = "资格与补助变化（较基准，项目数）",
    .eligibility_projects = "资格变化的项目（补助，万元）",
    .changed_table = "资格或补助变化的项目及原因",
    .district_table = "各区明细",
    .district = "区",
    .no_district = "（未填区）",
    .project = "项目",
    .line = "行",
    .none_changed = "没有项目的资格或补助发生变化。",
    .one_policy = "只有一项政策，没有可比较的对象。",
    .no_subsidy = "没有补助。",
    .eligible_mark = "✓ 符合",
    .not_eligible_mark = "✗ 不符合",
    .delta_row = "较基准增减（万元）",
    .reason = "原因（较基准）",
    .errors = "错误行（未计入）",
    .no_errors = "没有错误行。",
    .column = "列",
    .code = "代码",
    .message = "说明",
    .footer = "来源",
    .generated = "生成时间",
    .source = "项目组合",
    .engine = "程序",
    .compiled_in = "内置政策",
    .file = "文件",
    .broken = "末端带两道白色斜线的条形数值远超其余，已截断绘制，实际数值见条形旁的标注。",
    .appeared = "新增",
    .disappeared = "不再有",
    .capped_now = "补助按上限核定",
    .capped_no_more = "补助不再受上限限制",
    .amount = "补助",
    .cap = "补助上限",
    .no_cap = "不设上限",
    .rows = {"项目数", "符合条件", "可申请补助", "按上限核定", "补助合计（万元）", NULL, NULL, NULL, "失去资格",
             "新获资格", "失去补助资格", "新获补助资格", "补助减少的项目", "补助增加的项目", "有变化的项目", NULL},
};

static const labels labels_en = {
    .title = "Policy comparison: subsidy and eligibility",
    .baseline = "baseline",
    .policies = "Policies",
    .version = "Version",
    .name_col = "Name",
    .summary = "Summary",
    .metric = "Measure",
    .by_class = "Subsidy by class per policy (million yuan)",
    .by_district = "Total subsidy by district (million yuan)",
    .eligibility = "Changes against the baseline (projects)",
    .eligibility_projects = "Projects whose eligibility changes (subsidy, million yuan)",
    .changed_table = "Projects whose eligibility or subsidy changes, and why",
    .district_table = "Districts",
    .district = "District",
    .no_district = "(no district)",
    .project = "Project",
    .line = "Line",
    .none_changed = "No project changes eligibility or subsidy.",
    .one_policy = "Only one policy: nothing to compare with.",
    .no_subsidy = "No subsidy.",
    .eligible_mark = "✓ eligible",
    .not_eligible_mark = "✗ not eligible",
    .delta_row = "Change against the baseline (million yuan)",
    .reason = "Why (against the baseline)",
    .errors = "Error lines (not counted)",
    .no_errors = "No error lines.",
    .column = "Column",
    .code = "Code",
    .message = "Message",
    .footer = "Provenance",
    .generated = "Generated",
    .source = "Portfolio",
    .engine = "Engine",
    .compiled_in = "compiled-in policy",
    .file = "file",
    .broken = "A bar that ends in two white slashes is cut: its value is far above the others; the label beside it gives the value.",
    .appeared = "new",
    .disappeared = "no longer",
    .capped_now = "the cap now limits the subsidy",
    .capped_no_more = "the cap no longer limits the subsidy",
    .amount = "subsidy",
    .cap = "cap",
    .no_cap = "none",
    .rows = {"Projects", "Eligible", "Subsidy-eligible", "Capped", "Total subsidy (million yuan)", NULL, NULL, NULL,
             "Lost eligibility", "Gained eligibility", "Lost subsidy eligibility", "Gained subsidy eligibility",
             "Projects with less subsidy", "Projects with more subsidy", "Projects that change", NULL},
};

const char *const h_policy_colors[NP] = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf",
};
const char *const h_class_colors[EMBEDSVC_CLASS_COUNT] = {"#3a6ea5", "#f0a04b", "#8cb369"};

void h_put(html *h, const char *s)
{
    rp_puts(&h->r, s);
}

void h_putf(html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(h->r.f, fmt, ap) < 0)
        h->r.failed = true;
    va_end(ap);
}

/* Text from the data or the labels, escaped (control characters, then HTML). */
void h_esc(html *h, const char *s)
{
    if (esv_report_put_html(h->r.f, s) != 0)
        h->r.failed = true;
}

void h_put_esc(html *h, const char *before, const char *text, const char *after)
{
    h_put(h, before);
    h_esc(h, text);
    h_put(h, after);
}

const char *h_policy_id(const html *h, size_t p)
{
    return embedsvc_policy_text(embedsvc_compare_policy(h->c, p), "id");
}

const char *h_district_label(const html *h, const char *name)
{
    return name ? name : h->L->no_district;
}

/* An amount in the report's large unit (万元 / million yuan), without the unit. */
void h_large(const html *h, int64_t fen, char *out, size_t size)
{
    if (h->r.zh)
        esv_report_wan(fen, out, size);
    else
        esv_report_million(fen, out, size);
}

void h_put_large(html *h, int64_t fen)
{
    char v[48];
    h_large(h, fen, v, sizeof(v));
    h_put(h, v);
}

const char *h_class_name(const html *h, int k)
{
    return embedsvc_policy_class_name(embedsvc_compare_policy(h->c, 0), (embedsvc_class)k,
                                      h->r.zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

void h_put_more(html *h, size_t n, const char *tag)
{
    h_putf(h, h->r.zh ? "<%s class=\"note\">另有 %zu 个未列出（完整列表见 JSON 输出）</%s>\n"
                    : "<%s class=\"note\">%zu more not listed (the JSON output has them all)</%s>\n",
         tag, n, tag);
}

bool h_eligibility_changes(const html *h, size_t i)
{
    for (size_t p = 1; p < h->n; p++)
        if (embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_LOST_ELIGIBLE) ||
            embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_GAINED_ELIGIBLE) ||
            embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE) ||
            embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE))
            return true;
    return false;
}

/* ---- tables ---- */

static void td_num(html *h, int64_t v)
{
    h_putf(h, "<td class=\"n\">%lld</td>", (long long)v);
}

static void td_large(html *h, int64_t fen)
{
    h_put(h, "<td class=\"n\">");
    h_put_large(h, fen);
    h_put(h, "</td>");
}

static void th_policies(html *h)
{
    for (size_t p = 0; p < h->n; p++) {
        h_putf(h, "<th class=\"n pol\"><span class=\"swatch\" style=\"background:%s\"></span>", h_policy_colors[p]);
        h_put_esc(h, "", h_policy_id(h, p), "</th>");
    }
}

static void summary_table(html *h)
{
    static const int order[] = {EMBEDSVC_COMPARE_PROJECTS,          EMBEDSVC_COMPARE_ELIGIBLE,
                                EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE,  EMBEDSVC_COMPARE_CAPPED,
                                EMBEDSVC_COMPARE_TOTAL_FEN,         EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN,
                                EMBEDSVC_COMPARE_INCLUSIVE_FEN,     EMBEDSVC_COMPARE_COMMERCIAL_FEN,
                                EMBEDSVC_COMPARE_DELTA_FEN,         EMBEDSVC_COMPARE_LOST_ELIGIBLE,
                                EMBEDSVC_COMPARE_GAINED_ELIGIBLE,   EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE,
                                EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE, EMBEDSVC_COMPARE_SUBSIDY_DOWN,
                                EMBEDSVC_COMPARE_SUBSIDY_UP,        EMBEDSVC_COMPARE_CHANGED};
    h_put_esc(h, "<table id=\"summary\"><thead><tr><th>", h->L->metric, "</th>");
    th_policies(h);
    h_put(h, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        int k = order[i];
        bool money = k >= EMBEDSVC_COMPARE_TOTAL_FEN && k <= EMBEDSVC_COMPARE_COMMERCIAL_FEN;
        bool vs_baseline = k >= EMBEDSVC_COMPARE_LOST_ELIGIBLE;
        bool class_row = k >= EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN && k <= EMBEDSVC_COMPARE_COMMERCIAL_FEN;
        const char *label = k == EMBEDSVC_COMPARE_DELTA_FEN ? h->L->delta_row
                            : class_row                     ? h_class_name(h, k - EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN)
                                                            : h->L->rows[k];
        h_put_esc(h, class_row ? "<tr class=\"sub\"><th>" : "<tr><th>", label, "</th>");
        for (size_t p = 0; p < h->n; p++) {
            int64_t v = embedsvc_compare_total(h->c, p, (embedsvc_compare_value)k);
            if (vs_baseline && p == 0)
                h_put(h, "<td class=\"n\">—</td>");
            else if (money || k == EMBEDSVC_COMPARE_DELTA_FEN)
                td_large(h, v);
            else
                td_num(h, v);
        }
        h_put(h, "</tr>\n");
    }
    h_put(h, "</tbody></table>\n");
}

static const log_change *find_change(const html *h, size_t index)
{
    if (!h->log)
        return NULL;
    size_t lo = 0, hi = h->log->n_changes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->log->changes[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->log->n_changes && h->log->changes[lo].index == index ? &h->log->changes[lo] : NULL;
}

/* Why changed project i differs under policy p: the findings that appeared and disappeared, or,
 * when the findings are the same, the rates and the cap. */
static void reason(html *h, size_t i, size_t p, const log_change *ch)
{
    int64_t t0 = embedsvc_compare_changed_value(h->c, i, 0, EMBEDSVC_COMPARE_TOTAL_FEN);
    int64_t tp = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN);
    /* what explains the change is known before it is written: the class says whether anything does */
    bool explained = false;
    if (ch && ch->evaluated) {
        explained = ch->count[p] > 0 || ch->capped[p] != ch->capped[0] ||
                    ((ch->capped[p] || ch->capped[0]) && (ch->has_cap[p] != ch->has_cap[0] || ch->cap_fen[p] != ch->cap_fen[0]));
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
            explained |= ch->rate_bp[p][k] != ch->rate_bp[0][k];
    }
    h_putf(h, "<li class=\"reason%s\"><span class=\"swatch\" style=\"background:%s\"></span>",
         explained ? "" : " unexplained", h_policy_colors[p]);
    h_put_esc(h, "<b>", h_policy_id(h, p), "</b>");
    h_put(h, h->r.zh ? "：" : ": ");
    char a[64], b[64];
    esv_report_large(t0, h->r.lang, a, sizeof(a));
    esv_report_large(tp, h->r.lang, b, sizeof(b));
    h_put_esc(h, "", h->L->amount, " ");
    h_put_esc(h, "", a, " → ");
    h_put_esc(h, "", b, "");
    bool any = false;
    if (ch && ch->evaluated) {
        /* no reason recorded: the table may be empty (NULL), so no pointer is formed from it */
        const log_reason *x = ch->count[p] ? h->log->reasons + ch->first[p] : NULL;
        for (size_t k = 0; k < ch->count[p]; k++) {
            h_put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            h_putf(h, "<li class=\"%s\">", x[k].sign > 0 ? "plus" : "minus");
            h_put_esc(h, "<span class=\"tag\">", x[k].sign > 0 ? h->L->appeared : h->L->disappeared, "</span> ");
            h_put_esc(h, "", esv_report_severity_name(x[k].severity, h->r.lang), h->r.zh ? "：" : ": ");
            h_esc(h, x[k].msg[h->r.zh ? 0 : 1]);
            h_put_esc(h, " <code>[", x[k].code, "]</code></li>");
        }
        /* the same findings: the figures of the policy explain the amount */
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++) {
            if (ch->rate_bp[p][k] == ch->rate_bp[0][k])
                continue;
            h_put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            esv_report_percent(ch->rate_bp[0][k], a, sizeof(a));
            esv_report_percent(ch->rate_bp[p][k], b, sizeof(b));
            h_put_esc(h, "<li>", h_class_name(h, k), h->r.zh ? "补助比例 " : " rate ");
            h_put_esc(h, "", a, " → ");
            h_put_esc(h, "", b, "</li>");
        }
        if (ch->capped[p] != ch->capped[0]) {
            h_put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            h_put_esc(h, "<li>", ch->capped[p] ? h->L->capped_now : h->L->capped_no_more, "</li>");
        }
        if ((ch->capped[p] || ch->capped[0]) && (ch->has_cap[p] != ch->has_cap[0] || ch->cap_fen[p] != ch->cap_fen[0])) {
            h_put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            h_put_esc(h, "<li>", h->L->cap, " ");
            if (ch->has_cap[0])
                esv_report_large(ch->cap_fen[0], h->r.lang, a, sizeof(a));
            if (ch->has_cap[p])
                esv_report_large(ch->cap_fen[p], h->r.lang, b, sizeof(b));
            h_put_esc(h, "", ch->has_cap[0] ? a : h->L->no_cap, " → ");
            h_put_esc(h, "", ch->has_cap[p] ? b : h->L->no_cap, "</li>");
        }
    }
    h_put(h, any ? "</ul></li>" : "</li>");
}

static void changed_table(html *h, size_t n_changed)
{
    if (h->n < 2)
        return;
    h_put_esc(h, "<h2>", h->L->changed_table, "</h2>\n");
    if (n_changed == 0) {
        h_put_esc(h, "<p class=\"note\">", h->L->none_changed, "</p>\n");
        return;
    }
    h_put_esc(h, "<div class=\"wide\"><table id=\"eligibility-changes\"><thead><tr><th>", h->L->project, "</th>");
    h_put_esc(h, "<th>", h->L->district, "</th>");
    h_put_esc(h, "<th class=\"n\">", h->L->line, "</th>");
    th_policies(h);
    h_put_esc(h, "<th class=\"why\">", h->L->reason, "</th>");
    h_put(h, "</tr></thead><tbody>\n");
    size_t shown = n_changed < HTML_MAX_PROJECT_ROWS ? n_changed : HTML_MAX_PROJECT_ROWS;
    for (size_t i = 0; i < shown; i++) {
        h_put_esc(h, "<tr><td class=\"proj\"><span class=\"id\">", embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_ID),
                "</span>");
        if (embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_NAME))
            h_put_esc(h, "<br><span class=\"pname\">", embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_NAME), "</span>");
        h_put(h, "</td>");
        h_put_esc(h, "<td class=\"id\">", h_district_label(h, embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_DISTRICT)),
                "</td>");
        td_num(h, embedsvc_compare_changed_line(h->c, i));
        for (size_t p = 0; p < h->n; p++) {
            bool e = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) == 1;
            bool s = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE) == 1;
            h_putf(h, "<td class=\"n %s\">", e ? (s ? "ok" : "warn") : "bad");
            h_put_esc(h, "", e ? h->L->eligible_mark : h->L->not_eligible_mark, "<br>");
            h_put_large(h, embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN));
            h_put(h, "</td>");
        }
        const log_change *ch = find_change(h, i);
        h_put(h, "<td class=\"why\"><ul class=\"policies\">");
        for (size_t p = 1; p < h->n; p++)
            if (embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_CHANGED) == 1)
                reason(h, i, p, ch);
        h_put(h, "</ul></td></tr>\n");
    }
    h_put(h, "</tbody></table></div>\n");
    if (n_changed > shown)
        h_put_more(h, n_changed - shown, "p");
}

static void district_table(html *h)
{
    h_put_esc(h, "<h2>", h->L->district_table, "</h2>\n");
    h_put_esc(h, "<div class=\"wide\"><table id=\"districts\"><thead><tr><th>", h->L->district, "</th>");
    h_put_esc(h, "<th class=\"n\">", h->L->rows[EMBEDSVC_COMPARE_PROJECTS], "</th>");
    for (size_t p = 0; p < h->n; p++) {
        h_putf(h, "<th class=\"n pol\"><span class=\"swatch\" style=\"background:%s\"></span>", h_policy_colors[p]);
        h_put_esc(h, "", h_policy_id(h, p), "<br>");
        h_put_esc(h, "<span class=\"unit\">", h->L->rows[EMBEDSVC_COMPARE_ELIGIBLE], " / ");
        h_put_esc(h, "", esv_report_large_unit(h->r.lang), "</span></th>");
    }
    h_put(h, "</tr></thead><tbody>\n");
    for (size_t d = 0; d < embedsvc_compare_district_count(h->c); d++) {
        h_put_esc(h, "<tr><td class=\"id\">", h_district_label(h, embedsvc_compare_district_name(h->c, d)), "</td>");
        td_num(h, embedsvc_compare_district_value(h->c, d, 0, EMBEDSVC_COMPARE_PROJECTS));
        for (size_t p = 0; p < h->n; p++) {
            h_putf(h, "<td class=\"n\">%lld / ",
                 (long long)embedsvc_compare_district_value(h->c, d, p, EMBEDSVC_COMPARE_ELIGIBLE));
            h_put_large(h, embedsvc_compare_district_value(h->c, d, p, EMBEDSVC_COMPARE_TOTAL_FEN));
            h_put(h, "</td>");
        }
        h_put(h, "</tr>\n");
    }
    h_put(h, "</tbody></table></div>\n");
}

static void error_table(html *h)
{
    int64_t errors = embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_ERRORS);
    h_put_esc(h, "<h2>", h->L->errors, "</h2>\n");
    if (errors == 0) {
        h_put_esc(h, "<p class=\"note\">", h->L->no_errors, "</p>\n");
        return;
    }
    size_t kept = h->log ? h->log->n_errors : 0;
    if (kept) {
        h_put_esc(h, "<table id=\"errors\"><thead><tr><th class=\"n\">", h->L->line, "</th>");
        h_put_esc(h, "<th class=\"n\">", h->L->column, "</th>");
        h_put_esc(h, "<th>", h->L->code, "</th>");
        h_put_esc(h, "<th>", h->L->message, "</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < kept; i++) {
            const log_error *e = &h->log->errors[i];
            h_put(h, "<tr>");
            td_num(h, e->line);
            td_num(h, e->column);
            h_put_esc(h, "<td class=\"id\"><code>", e->code, "</code></td>");
            h_put_esc(h, "<td>", e->message, "</td></tr>\n");
        }
        h_put(h, "</tbody></table>\n");
    }
    if ((int64_t)kept < errors) /* the JSON has no error lines: stderr (or Comparison.errors) has them all */
        h_putf(h, h->r.zh ? "<p class=\"note\">另有 %lld 行错误未列出（命令的标准错误输出列出全部错误行）</p>\n"
                        : "<p class=\"note\">%lld more error lines not listed (the command's standard error lists them all)</p>\n",
             (long long)(errors - (int64_t)kept));
}

static void footer(html *h, const esv_report_html_options *o)
{
    h_put_esc(h, "<footer><h2>", h->L->footer, "</h2>\n<dl>");
    if (o->generated)
        h_put_esc(h, "<dt>", h->L->generated, "</dt>"), h_put_esc(h, "<dd>", o->generated, "</dd>");
    if (o->source) {
        h_put_esc(h, "<dt>", h->L->source, "</dt>");
        h_put_esc(h, "<dd><code>", o->source, "</code>");
        h_putf(h, h->r.zh ? "，共 %lld 行，项目 %lld 个，错误行 %lld 行</dd>" : ", %lld lines, %lld projects, error lines: %lld</dd>",
             (long long)embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_LINES),
             (long long)embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_PROJECTS),
             (long long)embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_ERRORS));
    }
    h_put_esc(h, "<dt>", h->L->policies, "</dt><dd><ol start=\"0\">");
    for (size_t p = 0; p < h->n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(h->c, p);
        const char *src = o->policy_sources ? o->policy_sources[p] : NULL;
        h_put_esc(h, "<li><code>", h_policy_id(h, p), "</code> ");
        h_put_esc(h, h->r.zh ? "第 " : "version ", embedsvc_policy_text(pol, "version"), h->r.zh ? " 版" : "");
        if (src)
            h_put_esc(h, h->r.zh ? "，文件 <code>" : ", file <code>", src, "</code>");
        else
            h_put_esc(h, h->r.zh ? "，" : ", ", h->L->compiled_in, "");
        h_put(h, "</li>");
    }
    h_put(h, "</ol></dd>");
    h_put_esc(h, "<dt>", h->L->engine, "</dt>");
    h_put_esc(h, "<dd>libembedsvc ", embedsvc_version_string(), "</dd></dl></footer>\n");
}

static const char html_style[] =
    "<style>\n"
    "body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",system-ui,sans-serif;"
    "margin:2em auto;max-width:1200px;padding:0 1em;color:#222;background:#fff}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
    "th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "thead th{background:#f4f4f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.id,th.n,span.id{white-space:nowrap}span.id{font-weight:600}.unit{font-weight:normal;color:#555}\n"
    "th.pol{white-space:normal;min-width:6em}td.proj{min-width:13em}.pname{font-size:.9em;color:#444}.wide{overflow-x:auto;max-width:100%}\n"
    "tr.sub th{font-weight:normal;padding-left:1.6em}\n"
    "td.ok{color:#1a7f37}td.warn{color:#9a6700}td.bad{color:#cf222e}\n"
    "td.why{min-width:18em}td.why ul{margin:0;padding-left:1.1em}ul.policies{list-style:none;padding-left:0!important}\n"
    "ul.why li.plus .tag{color:#cf222e;font-weight:bold}ul.why li.minus .tag{color:#1a7f37;font-weight:bold}\n"
    "code{font-size:.85em;color:#555}footer code{font-size:1.05em;color:#333}\n"
    ".swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "figure{margin:1em 0}svg.chart{max-width:100%;height:auto;font-size:12px}\n"
    "svg .label{fill:#222}svg .value{fill:#444}svg .small{font-size:11px}svg .legend{fill:#333;font-size:12px}\n"
    "figcaption,.note,.meta{color:#555;font-size:.9em}\n"
    "footer{margin-top:3em;color:#444;font-size:.9em}footer dt{font-weight:bold;margin-top:.4em}"
    "footer dd{margin-left:1.5em}footer ol{margin:0;padding-left:1.5em}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h2{break-after:avoid}"
    "table,figure,tr{break-inside:avoid}thead{display:table-header-group}"
    "svg rect,svg path{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".wide{overflow:visible}td.why{min-width:0}@page{size:A4;margin:15mm}}\n"
    "</style>\n";

int esv_report_compare_html(FILE *out, const embedsvc_compare *c, const esv_report_compare_log *log,
                            const esv_report_html_options *o)
{
    if (!out || !c || !o) {
        errno = EINVAL;
        return -1;
    }
    html hh = {rp_open(out, o->lang), c, log, NULL, embedsvc_compare_policy_count(c)}, *h = &hh;
    h->L = h->r.zh ? &labels_zh : &labels_en;
    const labels *L = h->L;
    size_t n_elig = 0, nc = embedsvc_compare_changed_count(c);
    for (size_t i = 0; i < nc; i++)
        n_elig += h_eligibility_changes(h, i);

    h_putf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
         h->r.zh ? "zh-CN" : "en");
    h_put_esc(h, "", L->title, "</title>\n");
    h_put(h, html_style);
    h_put_esc(h, "</head>\n<body>\n<h1>", L->title, "</h1>\n");
    if (o->caption)
        h_put_esc(h, "<p class=\"caption\">", o->caption, "</p>\n");
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    h_putf(h, h->r.zh ? "<p class=\"meta\">项目 %lld 个，各按 %zu 项政策评估" : "<p class=\"meta\">%lld projects, each evaluated under %zu policies",
         projects, h->n);
    if (errors)
        h_putf(h, h->r.zh ? "；错误行 %lld 行（未计入，见下）" : "; error lines: %lld (not counted, listed below)", errors);
    if (o->generated)
        h_put_esc(h, h->r.zh ? "；生成于 " : "; generated ", o->generated, "");
    h_put(h, h->r.zh ? "。</p>\n" : ".</p>\n");

    h_put_esc(h, "<h2>", L->policies, "</h2>\n<table id=\"policies\"><thead><tr><th>#</th><th>id</th>");
    h_put_esc(h, "<th>", L->version, "</th>");
    h_put_esc(h, "<th>", L->name_col, "</th></tr></thead><tbody>\n");
    for (size_t p = 0; p < h->n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(c, p);
        h_putf(h, "<tr><td><span class=\"swatch\" style=\"background:%s\"></span>%zu</td><td class=\"id\">",
             h_policy_colors[p], p);
        h_esc(h, h_policy_id(h, p));
        if (p == 0)
            h_put_esc(h, " (", L->baseline, ")");
        h_put_esc(h, "</td><td>", embedsvc_policy_text(pol, "version"), "</td>");
        h_put_esc(h, "<td>", embedsvc_policy_text(pol, h->r.zh ? "title_zh" : "title_en"), "</td></tr>\n");
    }
    h_put(h, "</tbody></table>\n");

    h_put_esc(h, "<h2>", L->summary, "</h2>\n");
    summary_table(h);
    h_put_esc(h, "<h2>", L->by_class, "</h2>\n");
    h_chart_by_class(h);
    h_put_esc(h, "<h2>", L->by_district, "</h2>\n");
    h_chart_by_district(h);
    h_put_esc(h, "<h2>", L->eligibility, "</h2>\n");
    h_chart_changes(h);
    h_put_esc(h, "<h2>", L->eligibility_projects, "</h2>\n");
    h_chart_projects(h, n_elig);
    changed_table(h, nc);
    district_table(h);
    error_table(h);
    footer(h, o);
    h_put(h, "</body>\n</html>\n");
    return rp_close(&h->r);
}

char *esv_report_compare_html_string(const embedsvc_compare *c, const esv_report_compare_log *log,
                                     const esv_report_html_options *o, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    int rc = esv_report_compare_html(f, c, log, o);
    if (fclose(f) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}
