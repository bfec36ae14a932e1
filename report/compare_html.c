/* The what-if report of a comparison as one self-contained HTML document (inline CSS and SVG, no
 * script, nothing fetched): policies, summary, charts, the projects that change with the reason,
 * the districts, the error lines, and a footer with the date, the inputs and where each policy
 * came from. Moved out of the library (issue 14), built on the public API only. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define NP EMBEDSVC_COMPARE_MAX_POLICIES

__extension__ typedef unsigned __int128 u128;
#define HTML_MAX_PROJECT_ROWS ESV_REPORT_MAX_REASONS
#define HTML_MAX_PROJECT_BARS 30
#define HTML_MAX_DISTRICT_BARS 40

typedef struct labels {
    const char *title, *baseline, *policies, *version, *name_col, *summary, *metric, *by_class, *by_district,
        *eligibility, *eligibility_projects, *changed_table, *district_table, *district, *no_district, *project, *line,
        *none_changed, *one_policy, *no_subsidy, *eligible_mark, *not_eligible_mark, *delta_row, *reason, *errors,
        *no_errors, *column, *code, *message, *footer, *generated, *source, *engine, *compiled_in, *file, *broken,
        *appeared, *disappeared, *capped_now, *capped_no_more, *amount, *cap, *no_cap;
    const char *rows[16];
} labels;

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

static const char *const policy_colors[NP] = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf",
};
static const char *const class_colors[EMBEDSVC_CLASS_COUNT] = {"#3a6ea5", "#f0a04b", "#8cb369"};

typedef struct html {
    rp r;
    const embedsvc_compare *c;
    const esv_report_compare_log *log;
    const labels *L;
    size_t n;
} html;

static void put(html *h, const char *s)
{
    rp_puts(&h->r, s);
}

static void putf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(h->r.f, fmt, ap) < 0)
        h->r.failed = true;
    va_end(ap);
}

/* Text from the data or the labels, escaped (control characters, then HTML). */
static void esc(html *h, const char *s)
{
    if (esv_report_put_html(h->r.f, s) != 0)
        h->r.failed = true;
}

static void put_esc(html *h, const char *before, const char *text, const char *after)
{
    put(h, before);
    esc(h, text);
    put(h, after);
}

static const char *policy_id(const html *h, size_t p)
{
    return embedsvc_policy_text(embedsvc_compare_policy(h->c, p), "id");
}

static const char *district_label(const html *h, const char *name)
{
    return name ? name : h->L->no_district;
}

/* An amount in the report's large unit (万元 / million yuan), without the unit. */
static void large(const html *h, int64_t fen, char *out, size_t size)
{
    if (h->r.zh)
        esv_report_wan(fen, out, size);
    else
        esv_report_million(fen, out, size);
}

static void put_large(html *h, int64_t fen)
{
    char v[48];
    large(h, fen, v, sizeof(v));
    put(h, v);
}

static const char *class_name(const html *h, int k)
{
    return embedsvc_policy_class_name(embedsvc_compare_policy(h->c, 0), (embedsvc_class)k,
                                      h->r.zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

static void put_more(html *h, size_t n, const char *tag)
{
    putf(h, h->r.zh ? "<%s class=\"note\">另有 %zu 个未列出（完整列表见 JSON 输出）</%s>\n"
                    : "<%s class=\"note\">%zu more not listed (the JSON output has them all)</%s>\n",
         tag, n, tag);
}

/* ---- charts ---- */

#define CH_W 960
#define CH_LABEL 230
#define CH_BAR 560
#define LEGEND_ROW 20
#define BAR_H 12

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The value a full bar stands for: the largest value, unless one to three values stand far above
 * the rest (more than 3 times the next one) among at least 5 bars, and no more than a quarter of
 * them; then the next one plus a tenth, and the bars above it are cut (a broken bar: two white
 * slashes) with their value written beside them. */
static int64_t scale_max(const int64_t *values, size_t n)
{
    if (n == 0)
        return 0;
    int64_t *v = malloc(n * sizeof(*v));
    if (!v) {
        int64_t m = 0;
        for (size_t i = 0; i < n; i++)
            m = values[i] > m ? values[i] : m;
        return m;
    }
    memcpy(v, values, n * sizeof(*v));
    qsort(v, n, sizeof(*v), cmp_desc);
    int64_t max = v[0];
    /* with few bars every length is read against the others: cut nothing */
    for (size_t k = 1; n >= 5 && k <= 3 && k <= n / 4; k++)
        if (v[k] > 0 && v[k - 1] / 3 > v[k]) {
            max = v[k] + v[k] / 10;
            break;
        }
    free(v);
    return max;
}

/* floor(v * width / max), exact; at most width + 24 (a cut bar). */
static int64_t scale(int64_t v, int64_t width, int64_t max, bool *cut)
{
    if (cut)
        *cut = false;
    if (max <= 0 || v <= 0)
        return 0;
    if (v > max) {
        if (cut)
            *cut = true;
        return width + 24;
    }
    return (int64_t)((u128)v * (u128)width / (u128)max);
}

static void svg_open(html *h, const char *id, int64_t height, const char *title)
{
    putf(h, "<figure><svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%lld\" viewBox=\"0 0 %d %lld\" role=\"img\"><title>",
         id, CH_W, (long long)height, CH_W, (long long)height);
    put_esc(h, "", title, "</title>");
}

static void svg_close(html *h, const char *note, size_t more, bool cut)
{
    put(h, "</svg>");
    if (note)
        put_esc(h, "<figcaption>", note, "</figcaption>");
    else if (more)
        put_more(h, more, "figcaption");
    if (cut)
        put_esc(h, "<figcaption>", h->L->broken, "</figcaption>");
    put(h, "</figure>\n");
}

static void svg_text(html *h, int64_t x, int64_t y, const char *anchor, const char *cls, const char *text)
{
    putf(h, "<text x=\"%lld\" y=\"%lld\" text-anchor=\"%s\" class=\"%s\">", (long long)x, (long long)y, anchor, cls);
    put_esc(h, "", text, "</text>");
}

static void svg_rect(html *h, int64_t x, int64_t y, int64_t width, int64_t height, const char *fill, const char *a,
                     const char *b, const char *value)
{
    putf(h, "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" height=\"%lld\" fill=\"%s\">", (long long)x, (long long)y,
         (long long)width, (long long)height, fill);
    if (value) {
        put_esc(h, "<title>", a, "");
        if (b)
            put_esc(h, " · ", b, "");
        put_esc(h, ": ", value, "</title>");
    }
    put(h, "</rect>");
}

/* The break mark of a cut bar: two white slashes across it near its end. */
static void svg_cut(html *h, int64_t x_end, int64_t y, int64_t height)
{
    for (int k = 0; k < 2; k++) {
        int64_t x = x_end - 16 + k * 6;
        putf(h, "<path d=\"M%lld %lld L%lld %lld\" stroke=\"#fff\" stroke-width=\"3\"/>", (long long)(x - 3),
             (long long)(y + height + 1), (long long)(x + 3), (long long)(y - 1));
    }
}

static int64_t text_px(const char *s)
{
    int64_t px = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            px += *p >= 0xE0 ? 12 : 7;
    return px;
}

/* The label of a group of bars, right-aligned before the bars; a label too long for the label
 * column is cut at a character with "…", and the whole label is its tooltip. */
static void svg_group_label(html *h, int64_t y, int64_t group, const char *text)
{
    const int64_t room = CH_LABEL - 16;
    if (!text || text_px(text) <= room) {
        svg_text(h, CH_LABEL - 8, y + group / 2 + 2, "end", "label", text);
        return;
    }
    size_t len = strlen(text), keep = 0;
    int64_t px = 12; /* the ellipsis */
    while (keep < len) {
        size_t k = 1;
        while (keep + k < len && ((unsigned char)text[keep + k] & 0xC0) == 0x80)
            k++;
        int64_t w = (unsigned char)text[keep] >= 0xE0 ? 12 : 7;
        if (px + w > room)
            break;
        px += w;
        keep += k;
    }
    char *cut = malloc(keep + 4);
    if (!cut) {
        h->r.failed = true;
        return;
    }
    memcpy(cut, text, keep);
    memcpy(cut + keep, "…", 4);
    putf(h, "<text x=\"%d\" y=\"%lld\" text-anchor=\"end\" class=\"label\"><title>", CH_LABEL - 8,
         (long long)(y + group / 2 + 2));
    put_esc(h, "", text, "</title>");
    put_esc(h, "", cut, "</text>");
    free(cut);
}

static void svg_bar(html *h, int64_t y, int64_t len, bool cut, const char *fill, const char *a, const char *b,
                    const char *tip)
{
    svg_rect(h, CH_LABEL, y, len > 0 ? len : 1, BAR_H, fill, a, b, tip);
    if (cut)
        svg_cut(h, CH_LABEL + len, y, BAR_H);
}

static void svg_bar_value(html *h, int64_t y, int64_t len, const char *value)
{
    svg_text(h, CH_LABEL + len + 5, y + BAR_H - 2, "start", "value small", value);
}

static int64_t svg_legend(html *h, const char *const *names, const char *const *colors, size_t n)
{
    int64_t x = CH_LABEL, y = 8;
    for (size_t i = 0; i < n; i++) {
        int64_t width = 16 + text_px(names[i]) + 14;
        if (x > CH_LABEL && x + width > CH_W) {
            x = CH_LABEL;
            y += LEGEND_ROW;
        }
        if (h) {
            svg_rect(h, x, y, 12, 12, colors[i], NULL, NULL, NULL);
            svg_text(h, x + 16, y + 11, "start", "legend", names[i]);
        }
        x += width;
    }
    return y + LEGEND_ROW + 4;
}

static int64_t policy_legend(html *h, const html *about)
{
    const char *names[NP];
    for (size_t p = 0; p < about->n; p++)
        names[p] = policy_id(about, p);
    return svg_legend(h, names, policy_colors, about->n);
}

static int64_t policy_group(const html *h)
{
    return (int64_t)h->n * (BAR_H + 2) + 10;
}

static void chart_by_class(html *h)
{
    const char *names[EMBEDSVC_CLASS_COUNT];
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
        names[k] = class_name(h, k);
    int64_t totals[NP];
    for (size_t p = 0; p < h->n; p++)
        totals[p] = embedsvc_compare_total(h->c, p, EMBEDSVC_COMPARE_TOTAL_FEN);
    int64_t max = 0; /* a handful of policies: every total is drawn to scale */
    for (size_t p = 0; p < h->n; p++)
        max = totals[p] > max ? totals[p] : max;
    bool any_cut = false;
    int64_t row = 34, top = svg_legend(NULL, names, class_colors, EMBEDSVC_CLASS_COUNT);
    svg_open(h, "chart-class", top + (int64_t)h->n * row + 10, h->L->by_class);
    svg_legend(h, names, class_colors, EMBEDSVC_CLASS_COUNT);
    for (size_t p = 0; p < h->n; p++) {
        int64_t y = top + (int64_t)p * row;
        svg_text(h, CH_LABEL - 8, y + 19, "end", "label", policy_id(h, p));
        bool cut = totals[p] > max && max > 0;
        int64_t cum = 0, x0 = 0;
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++) {
            int64_t a = embedsvc_compare_total(h->c, p, (embedsvc_compare_value)(EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN + k));
            cum += a;
            /* a cut total: its classes share the full bar in proportion */
            int64_t x1 = cut ? scale(cum, CH_BAR + 24, totals[p], NULL) : scale(cum, CH_BAR, max, NULL);
            if (a > 0) {
                char v[64];
                esv_report_large(a, h->r.lang, v, sizeof(v));
                svg_rect(h, CH_LABEL + x0, y + 6, x1 - x0 > 0 ? x1 - x0 : 1, 20, class_colors[k], policy_id(h, p),
                         names[k], v);
            }
            x0 = x1;
        }
        if (cut) {
            svg_cut(h, CH_LABEL + x0, y + 6, 20);
            any_cut = true;
        }
        char v[48];
        large(h, totals[p], v, sizeof(v));
        svg_text(h, CH_LABEL + x0 + 6, y + 21, "start", "value", v);
    }
    svg_close(h, max == 0 ? h->L->no_subsidy : NULL, 0, any_cut);
}

static void chart_by_district(html *h)
{
    size_t nd = embedsvc_compare_district_count(h->c);
    if (nd > HTML_MAX_DISTRICT_BARS)
        nd = HTML_MAX_DISTRICT_BARS;
    int64_t *vals = malloc((nd * h->n + 1) * sizeof(int64_t));
    if (!vals) {
        h->r.failed = true;
        errno = ENOMEM;
        return;
    }
    for (size_t d = 0; d < nd; d++)
        for (size_t p = 0; p < h->n; p++)
            vals[d * h->n + p] = embedsvc_compare_district_value(h->c, d, p, EMBEDSVC_COMPARE_TOTAL_FEN);
    int64_t max = scale_max(vals, nd * h->n);
    bool any_cut = false;
    int64_t group = policy_group(h), top = policy_legend(NULL, h);
    svg_open(h, "chart-district", top + (int64_t)nd * group + 10, h->L->by_district);
    policy_legend(h, h);
    for (size_t d = 0; d < nd; d++) {
        int64_t y = top + (int64_t)d * group;
        const char *name = district_label(h, embedsvc_compare_district_name(h->c, d));
        svg_group_label(h, y, group, name);
        for (size_t p = 0; p < h->n; p++) {
            int64_t v = vals[d * h->n + p];
            bool cut;
            int64_t len = scale(v, CH_BAR, max, &cut), by = y + 4 + (int64_t)p * (BAR_H + 2);
            any_cut |= cut;
            char val[48], tip[64];
            large(h, v, val, sizeof(val));
            esv_report_large(v, h->r.lang, tip, sizeof(tip));
            svg_bar(h, by, len, cut, policy_colors[p], name, policy_id(h, p), tip);
            svg_bar_value(h, by, len, val);
        }
    }
    free(vals);
    svg_close(h, NULL, embedsvc_compare_district_count(h->c) - nd, any_cut);
}

static void chart_changes(html *h)
{
    static const int kinds[] = {EMBEDSVC_COMPARE_LOST_ELIGIBLE, EMBEDSVC_COMPARE_GAINED_ELIGIBLE,
                                EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE, EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE,
                                EMBEDSVC_COMPARE_SUBSIDY_DOWN, EMBEDSVC_COMPARE_SUBSIDY_UP};
    static const char *const colors[] = {"#d62728", "#2ca02c", "#ff9896", "#98df8a", "#e377c2", "#17becf"};
    enum { NK = sizeof(kinds) / sizeof(kinds[0]) };
    const char *names[NK];
    for (int k = 0; k < NK; k++)
        names[k] = h->L->rows[kinds[k]];
    int64_t max = 0;
    for (size_t p = 1; p < h->n; p++)
        for (int k = 0; k < NK; k++) {
            int64_t v = embedsvc_compare_total(h->c, p, (embedsvc_compare_value)kinds[k]);
            max = v > max ? v : max;
        }
    int64_t group = NK * (BAR_H + 2) + 12, top = svg_legend(NULL, names, colors, NK);
    svg_open(h, "chart-eligibility", top + (int64_t)(h->n > 1 ? h->n - 1 : 0) * group + 10, h->L->eligibility);
    svg_legend(h, names, colors, NK);
    for (size_t p = 1; p < h->n; p++) {
        int64_t y = top + (int64_t)(p - 1) * group;
        svg_group_label(h, y, group, policy_id(h, p));
        for (int k = 0; k < NK; k++) {
            int64_t v = embedsvc_compare_total(h->c, p, (embedsvc_compare_value)kinds[k]);
            int64_t len = scale(v, CH_BAR, max, NULL), by = y + 4 + (int64_t)k * (BAR_H + 2);
            char val[32];
            snprintf(val, sizeof(val), "%lld", (long long)v);
            svg_bar(h, by, len, false, colors[k], policy_id(h, p), names[k], val);
            svg_bar_value(h, by, len, val);
        }
    }
    svg_close(h, h->n < 2 ? h->L->one_policy : NULL, 0, false);
}

static bool eligibility_changes(const html *h, size_t i)
{
    for (size_t p = 1; p < h->n; p++)
        if (embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_LOST_ELIGIBLE) ||
            embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_GAINED_ELIGIBLE) ||
            embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE) ||
            embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE))
            return true;
    return false;
}

static void chart_projects(html *h, size_t n_elig)
{
    size_t shown = n_elig < HTML_MAX_PROJECT_BARS ? n_elig : HTML_MAX_PROJECT_BARS;
    size_t nc = embedsvc_compare_changed_count(h->c);
    int64_t *vals = malloc((shown * h->n + 1) * sizeof(int64_t));
    if (!vals) {
        h->r.failed = true;
        errno = ENOMEM;
        return;
    }
    size_t nv = 0;
    for (size_t i = 0, k = 0; i < nc && k < shown; i++) {
        if (!eligibility_changes(h, i))
            continue;
        k++;
        for (size_t p = 0; p < h->n; p++)
            vals[nv++] = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN);
    }
    int64_t max = scale_max(vals, nv);
    free(vals);
    bool any_cut = false;
    int64_t group = policy_group(h), top = policy_legend(NULL, h);
    svg_open(h, "chart-projects", top + (int64_t)shown * group + 10, h->L->eligibility_projects);
    policy_legend(h, h);
    for (size_t i = 0, k = 0; i < nc && k < shown; i++) {
        if (!eligibility_changes(h, i))
            continue;
        int64_t y = top + (int64_t)k * group;
        k++;
        const char *id = embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_ID);
        svg_group_label(h, y, group, id);
        for (size_t p = 0; p < h->n; p++) {
            int64_t v = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN);
            bool cut;
            int64_t len = scale(v, CH_BAR, max, &cut), by = y + 4 + (int64_t)p * (BAR_H + 2);
            any_cut |= cut;
            char val[64], num[48];
            large(h, v, num, sizeof(num));
            snprintf(val, sizeof(val), "%s %s",
                     embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) ? "✓" : "✗", num);
            svg_bar(h, by, len, cut, policy_colors[p], id, policy_id(h, p), val);
            svg_bar_value(h, by, len, val);
        }
    }
    svg_close(h, n_elig == 0 ? h->L->none_changed : NULL, n_elig - shown, any_cut);
}

/* ---- tables ---- */

static void td_num(html *h, int64_t v)
{
    putf(h, "<td class=\"n\">%lld</td>", (long long)v);
}

static void td_large(html *h, int64_t fen)
{
    put(h, "<td class=\"n\">");
    put_large(h, fen);
    put(h, "</td>");
}

static void th_policies(html *h)
{
    for (size_t p = 0; p < h->n; p++) {
        putf(h, "<th class=\"n pol\"><span class=\"swatch\" style=\"background:%s\"></span>", policy_colors[p]);
        put_esc(h, "", policy_id(h, p), "</th>");
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
    put_esc(h, "<table id=\"summary\"><thead><tr><th>", h->L->metric, "</th>");
    th_policies(h);
    put(h, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        int k = order[i];
        bool money = k >= EMBEDSVC_COMPARE_TOTAL_FEN && k <= EMBEDSVC_COMPARE_COMMERCIAL_FEN;
        bool vs_baseline = k >= EMBEDSVC_COMPARE_LOST_ELIGIBLE;
        bool class_row = k >= EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN && k <= EMBEDSVC_COMPARE_COMMERCIAL_FEN;
        const char *label = k == EMBEDSVC_COMPARE_DELTA_FEN ? h->L->delta_row
                            : class_row                     ? class_name(h, k - EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN)
                                                            : h->L->rows[k];
        put_esc(h, class_row ? "<tr class=\"sub\"><th>" : "<tr><th>", label, "</th>");
        for (size_t p = 0; p < h->n; p++) {
            int64_t v = embedsvc_compare_total(h->c, p, (embedsvc_compare_value)k);
            if (vs_baseline && p == 0)
                put(h, "<td class=\"n\">—</td>");
            else if (money || k == EMBEDSVC_COMPARE_DELTA_FEN)
                td_large(h, v);
            else
                td_num(h, v);
        }
        put(h, "</tr>\n");
    }
    put(h, "</tbody></table>\n");
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
    putf(h, "<li class=\"reason%s\"><span class=\"swatch\" style=\"background:%s\"></span>",
         explained ? "" : " unexplained", policy_colors[p]);
    put_esc(h, "<b>", policy_id(h, p), "</b>");
    put(h, h->r.zh ? "：" : ": ");
    char a[64], b[64];
    esv_report_large(t0, h->r.lang, a, sizeof(a));
    esv_report_large(tp, h->r.lang, b, sizeof(b));
    put_esc(h, "", h->L->amount, " ");
    put_esc(h, "", a, " → ");
    put_esc(h, "", b, "");
    bool any = false;
    if (ch && ch->evaluated) {
        const log_reason *x = h->log->reasons + ch->first[p];
        for (size_t k = 0; k < ch->count[p]; k++) {
            put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            putf(h, "<li class=\"%s\">", x[k].sign > 0 ? "plus" : "minus");
            put_esc(h, "<span class=\"tag\">", x[k].sign > 0 ? h->L->appeared : h->L->disappeared, "</span> ");
            put_esc(h, "", esv_report_severity_name(x[k].severity, h->r.lang), h->r.zh ? "：" : ": ");
            esc(h, x[k].msg[h->r.zh ? 0 : 1]);
            put_esc(h, " <code>[", x[k].code, "]</code></li>");
        }
        /* the same findings: the figures of the policy explain the amount */
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++) {
            if (ch->rate_bp[p][k] == ch->rate_bp[0][k])
                continue;
            put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            esv_report_percent(ch->rate_bp[0][k], a, sizeof(a));
            esv_report_percent(ch->rate_bp[p][k], b, sizeof(b));
            put_esc(h, "<li>", class_name(h, k), h->r.zh ? "补助比例 " : " rate ");
            put_esc(h, "", a, " → ");
            put_esc(h, "", b, "</li>");
        }
        if (ch->capped[p] != ch->capped[0]) {
            put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            put_esc(h, "<li>", ch->capped[p] ? h->L->capped_now : h->L->capped_no_more, "</li>");
        }
        if ((ch->capped[p] || ch->capped[0]) && (ch->has_cap[p] != ch->has_cap[0] || ch->cap_fen[p] != ch->cap_fen[0])) {
            put(h, any ? "" : "<ul class=\"why\">");
            any = true;
            put_esc(h, "<li>", h->L->cap, " ");
            if (ch->has_cap[0])
                esv_report_large(ch->cap_fen[0], h->r.lang, a, sizeof(a));
            if (ch->has_cap[p])
                esv_report_large(ch->cap_fen[p], h->r.lang, b, sizeof(b));
            put_esc(h, "", ch->has_cap[0] ? a : h->L->no_cap, " → ");
            put_esc(h, "", ch->has_cap[p] ? b : h->L->no_cap, "</li>");
        }
    }
    put(h, any ? "</ul></li>" : "</li>");
}

static void changed_table(html *h, size_t n_changed)
{
    if (h->n < 2)
        return;
    put_esc(h, "<h2>", h->L->changed_table, "</h2>\n");
    if (n_changed == 0) {
        put_esc(h, "<p class=\"note\">", h->L->none_changed, "</p>\n");
        return;
    }
    put_esc(h, "<div class=\"wide\"><table id=\"eligibility-changes\"><thead><tr><th>", h->L->project, "</th>");
    put_esc(h, "<th>", h->L->district, "</th>");
    put_esc(h, "<th class=\"n\">", h->L->line, "</th>");
    th_policies(h);
    put_esc(h, "<th class=\"why\">", h->L->reason, "</th>");
    put(h, "</tr></thead><tbody>\n");
    size_t shown = n_changed < HTML_MAX_PROJECT_ROWS ? n_changed : HTML_MAX_PROJECT_ROWS;
    for (size_t i = 0; i < shown; i++) {
        put_esc(h, "<tr><td class=\"proj\"><span class=\"id\">", embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_ID),
                "</span>");
        if (embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_NAME))
            put_esc(h, "<br><span class=\"pname\">", embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_NAME), "</span>");
        put(h, "</td>");
        put_esc(h, "<td class=\"id\">", district_label(h, embedsvc_compare_changed_text(h->c, i, EMBEDSVC_FIELD_DISTRICT)),
                "</td>");
        td_num(h, embedsvc_compare_changed_line(h->c, i));
        for (size_t p = 0; p < h->n; p++) {
            bool e = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) == 1;
            bool s = embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE) == 1;
            putf(h, "<td class=\"n %s\">", e ? (s ? "ok" : "warn") : "bad");
            put_esc(h, "", e ? h->L->eligible_mark : h->L->not_eligible_mark, "<br>");
            put_large(h, embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_TOTAL_FEN));
            put(h, "</td>");
        }
        const log_change *ch = find_change(h, i);
        put(h, "<td class=\"why\"><ul class=\"policies\">");
        for (size_t p = 1; p < h->n; p++)
            if (embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_CHANGED) == 1)
                reason(h, i, p, ch);
        put(h, "</ul></td></tr>\n");
    }
    put(h, "</tbody></table></div>\n");
    if (n_changed > shown)
        put_more(h, n_changed - shown, "p");
}

static void district_table(html *h)
{
    put_esc(h, "<h2>", h->L->district_table, "</h2>\n");
    put_esc(h, "<div class=\"wide\"><table id=\"districts\"><thead><tr><th>", h->L->district, "</th>");
    put_esc(h, "<th class=\"n\">", h->L->rows[EMBEDSVC_COMPARE_PROJECTS], "</th>");
    for (size_t p = 0; p < h->n; p++) {
        putf(h, "<th class=\"n pol\"><span class=\"swatch\" style=\"background:%s\"></span>", policy_colors[p]);
        put_esc(h, "", policy_id(h, p), "<br>");
        put_esc(h, "<span class=\"unit\">", h->L->rows[EMBEDSVC_COMPARE_ELIGIBLE], " / ");
        put_esc(h, "", esv_report_large_unit(h->r.lang), "</span></th>");
    }
    put(h, "</tr></thead><tbody>\n");
    for (size_t d = 0; d < embedsvc_compare_district_count(h->c); d++) {
        put_esc(h, "<tr><td class=\"id\">", district_label(h, embedsvc_compare_district_name(h->c, d)), "</td>");
        td_num(h, embedsvc_compare_district_value(h->c, d, 0, EMBEDSVC_COMPARE_PROJECTS));
        for (size_t p = 0; p < h->n; p++) {
            putf(h, "<td class=\"n\">%lld / ",
                 (long long)embedsvc_compare_district_value(h->c, d, p, EMBEDSVC_COMPARE_ELIGIBLE));
            put_large(h, embedsvc_compare_district_value(h->c, d, p, EMBEDSVC_COMPARE_TOTAL_FEN));
            put(h, "</td>");
        }
        put(h, "</tr>\n");
    }
    put(h, "</tbody></table></div>\n");
}

static void error_table(html *h)
{
    int64_t errors = embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_ERRORS);
    put_esc(h, "<h2>", h->L->errors, "</h2>\n");
    if (errors == 0) {
        put_esc(h, "<p class=\"note\">", h->L->no_errors, "</p>\n");
        return;
    }
    size_t kept = h->log ? h->log->n_errors : 0;
    if (kept) {
        put_esc(h, "<table id=\"errors\"><thead><tr><th class=\"n\">", h->L->line, "</th>");
        put_esc(h, "<th class=\"n\">", h->L->column, "</th>");
        put_esc(h, "<th>", h->L->code, "</th>");
        put_esc(h, "<th>", h->L->message, "</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < kept; i++) {
            const log_error *e = &h->log->errors[i];
            put(h, "<tr>");
            td_num(h, e->line);
            td_num(h, e->column);
            put_esc(h, "<td class=\"id\"><code>", e->code, "</code></td>");
            put_esc(h, "<td>", e->message, "</td></tr>\n");
        }
        put(h, "</tbody></table>\n");
    }
    if ((int64_t)kept < errors) /* the JSON has no error lines: stderr (or Comparison.errors) has them all */
        putf(h, h->r.zh ? "<p class=\"note\">另有 %lld 行错误未列出（命令的标准错误输出列出全部错误行）</p>\n"
                        : "<p class=\"note\">%lld more error lines not listed (the command's standard error lists them all)</p>\n",
             (long long)(errors - (int64_t)kept));
}

static void footer(html *h, const esv_report_html_options *o)
{
    put_esc(h, "<footer><h2>", h->L->footer, "</h2>\n<dl>");
    if (o->generated)
        put_esc(h, "<dt>", h->L->generated, "</dt>"), put_esc(h, "<dd>", o->generated, "</dd>");
    if (o->source) {
        put_esc(h, "<dt>", h->L->source, "</dt>");
        put_esc(h, "<dd><code>", o->source, "</code>");
        putf(h, h->r.zh ? "，共 %lld 行，项目 %lld 个，错误行 %lld 行</dd>" : ", %lld lines, %lld projects, error lines: %lld</dd>",
             (long long)embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_LINES),
             (long long)embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_PROJECTS),
             (long long)embedsvc_compare_stat(h->c, EMBEDSVC_COMPARE_STAT_ERRORS));
    }
    put_esc(h, "<dt>", h->L->policies, "</dt><dd><ol start=\"0\">");
    for (size_t p = 0; p < h->n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(h->c, p);
        const char *src = o->policy_sources ? o->policy_sources[p] : NULL;
        put_esc(h, "<li><code>", policy_id(h, p), "</code> ");
        put_esc(h, h->r.zh ? "第 " : "version ", embedsvc_policy_text(pol, "version"), h->r.zh ? " 版" : "");
        if (src)
            put_esc(h, h->r.zh ? "，文件 <code>" : ", file <code>", src, "</code>");
        else
            put_esc(h, h->r.zh ? "，" : ", ", h->L->compiled_in, "");
        put(h, "</li>");
    }
    put(h, "</ol></dd>");
    put_esc(h, "<dt>", h->L->engine, "</dt>");
    put_esc(h, "<dd>libembedsvc ", embedsvc_version_string(), "</dd></dl></footer>\n");
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
        n_elig += eligibility_changes(h, i);

    putf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
         h->r.zh ? "zh-CN" : "en");
    put_esc(h, "", L->title, "</title>\n");
    put(h, html_style);
    put_esc(h, "</head>\n<body>\n<h1>", L->title, "</h1>\n");
    if (o->caption)
        put_esc(h, "<p class=\"caption\">", o->caption, "</p>\n");
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    putf(h, h->r.zh ? "<p class=\"meta\">项目 %lld 个，各按 %zu 项政策评估" : "<p class=\"meta\">%lld projects, each evaluated under %zu policies",
         projects, h->n);
    if (errors)
        putf(h, h->r.zh ? "；错误行 %lld 行（未计入，见下）" : "; error lines: %lld (not counted, listed below)", errors);
    if (o->generated)
        put_esc(h, h->r.zh ? "；生成于 " : "; generated ", o->generated, "");
    put(h, h->r.zh ? "。</p>\n" : ".</p>\n");

    put_esc(h, "<h2>", L->policies, "</h2>\n<table id=\"policies\"><thead><tr><th>#</th><th>id</th>");
    put_esc(h, "<th>", L->version, "</th>");
    put_esc(h, "<th>", L->name_col, "</th></tr></thead><tbody>\n");
    for (size_t p = 0; p < h->n; p++) {
        const embedsvc_policy *pol = embedsvc_compare_policy(c, p);
        putf(h, "<tr><td><span class=\"swatch\" style=\"background:%s\"></span>%zu</td><td class=\"id\">",
             policy_colors[p], p);
        esc(h, policy_id(h, p));
        if (p == 0)
            put_esc(h, " (", L->baseline, ")");
        put_esc(h, "</td><td>", embedsvc_policy_text(pol, "version"), "</td>");
        put_esc(h, "<td>", embedsvc_policy_text(pol, h->r.zh ? "title_zh" : "title_en"), "</td></tr>\n");
    }
    put(h, "</tbody></table>\n");

    put_esc(h, "<h2>", L->summary, "</h2>\n");
    summary_table(h);
    put_esc(h, "<h2>", L->by_class, "</h2>\n");
    chart_by_class(h);
    put_esc(h, "<h2>", L->by_district, "</h2>\n");
    chart_by_district(h);
    put_esc(h, "<h2>", L->eligibility, "</h2>\n");
    chart_changes(h);
    put_esc(h, "<h2>", L->eligibility_projects, "</h2>\n");
    chart_projects(h, n_elig);
    changed_table(h, nc);
    district_table(h);
    error_table(h);
    footer(h, o);
    put(h, "</body>\n</html>\n");
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
