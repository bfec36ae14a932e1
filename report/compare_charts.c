/* The inline SVG charts of the HTML report: subsidy by class, by district, the changes against the
 * baseline and the projects whose eligibility changes; exact integer geometry, outlier bars cut
 * and labelled, long labels cut with their whole text as tooltip. */
#include "html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

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
    h_putf(h, "<figure><svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%lld\" viewBox=\"0 0 %d %lld\" role=\"img\"><title>",
         id, CH_W, (long long)height, CH_W, (long long)height);
    h_put_esc(h, "", title, "</title>");
}

static void svg_close(html *h, const char *note, size_t more, bool cut)
{
    h_put(h, "</svg>");
    if (note)
        h_put_esc(h, "<figcaption>", note, "</figcaption>");
    else if (more)
        h_put_more(h, more, "figcaption");
    if (cut)
        h_put_esc(h, "<figcaption>", h->L->broken, "</figcaption>");
    h_put(h, "</figure>\n");
}

static void svg_text(html *h, int64_t x, int64_t y, const char *anchor, const char *cls, const char *text)
{
    h_putf(h, "<text x=\"%lld\" y=\"%lld\" text-anchor=\"%s\" class=\"%s\">", (long long)x, (long long)y, anchor, cls);
    h_put_esc(h, "", text, "</text>");
}

static void svg_rect(html *h, int64_t x, int64_t y, int64_t width, int64_t height, const char *fill, const char *a,
                     const char *b, const char *value)
{
    h_putf(h, "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" height=\"%lld\" fill=\"%s\">", (long long)x, (long long)y,
         (long long)width, (long long)height, fill);
    if (value) {
        h_put_esc(h, "<title>", a, "");
        if (b)
            h_put_esc(h, " · ", b, "");
        h_put_esc(h, ": ", value, "</title>");
    }
    h_put(h, "</rect>");
}

/* The break mark of a cut bar: two white slashes across it near its end. */
static void svg_cut(html *h, int64_t x_end, int64_t y, int64_t height)
{
    for (int k = 0; k < 2; k++) {
        int64_t x = x_end - 16 + k * 6;
        h_putf(h, "<path d=\"M%lld %lld L%lld %lld\" stroke=\"#fff\" stroke-width=\"3\"/>", (long long)(x - 3),
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
    h_putf(h, "<text x=\"%d\" y=\"%lld\" text-anchor=\"end\" class=\"label\"><title>", CH_LABEL - 8,
         (long long)(y + group / 2 + 2));
    h_put_esc(h, "", text, "</title>");
    h_put_esc(h, "", cut, "</text>");
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
        names[p] = h_policy_id(about, p);
    return svg_legend(h, names, h_policy_colors, about->n);
}

static int64_t policy_group(const html *h)
{
    return (int64_t)h->n * (BAR_H + 2) + 10;
}

void h_chart_by_class(html *h)
{
    const char *names[EMBEDSVC_CLASS_COUNT];
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
        names[k] = h_class_name(h, k);
    int64_t totals[NP];
    for (size_t p = 0; p < h->n; p++)
        totals[p] = embedsvc_compare_total(h->c, p, EMBEDSVC_COMPARE_TOTAL_FEN);
    int64_t max = 0; /* a handful of policies: every total is drawn to scale */
    for (size_t p = 0; p < h->n; p++)
        max = totals[p] > max ? totals[p] : max;
    bool any_cut = false;
    int64_t row = 34, top = svg_legend(NULL, names, h_class_colors, EMBEDSVC_CLASS_COUNT);
    svg_open(h, "chart-class", top + (int64_t)h->n * row + 10, h->L->by_class);
    svg_legend(h, names, h_class_colors, EMBEDSVC_CLASS_COUNT);
    for (size_t p = 0; p < h->n; p++) {
        int64_t y = top + (int64_t)p * row;
        svg_text(h, CH_LABEL - 8, y + 19, "end", "label", h_policy_id(h, p));
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
                svg_rect(h, CH_LABEL + x0, y + 6, x1 - x0 > 0 ? x1 - x0 : 1, 20, h_class_colors[k], h_policy_id(h, p),
                         names[k], v);
            }
            x0 = x1;
        }
        if (cut) {
            svg_cut(h, CH_LABEL + x0, y + 6, 20);
            any_cut = true;
        }
        char v[48];
        h_large(h, totals[p], v, sizeof(v));
        svg_text(h, CH_LABEL + x0 + 6, y + 21, "start", "value", v);
    }
    svg_close(h, max == 0 ? h->L->no_subsidy : NULL, 0, any_cut);
}

void h_chart_by_district(html *h)
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
        const char *name = h_district_label(h, embedsvc_compare_district_name(h->c, d));
        svg_group_label(h, y, group, name);
        for (size_t p = 0; p < h->n; p++) {
            int64_t v = vals[d * h->n + p];
            bool cut;
            int64_t len = scale(v, CH_BAR, max, &cut), by = y + 4 + (int64_t)p * (BAR_H + 2);
            any_cut |= cut;
            char val[48], tip[64];
            h_large(h, v, val, sizeof(val));
            esv_report_large(v, h->r.lang, tip, sizeof(tip));
            svg_bar(h, by, len, cut, h_policy_colors[p], name, h_policy_id(h, p), tip);
            svg_bar_value(h, by, len, val);
        }
    }
    free(vals);
    svg_close(h, NULL, embedsvc_compare_district_count(h->c) - nd, any_cut);
}

void h_chart_changes(html *h)
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
        svg_group_label(h, y, group, h_policy_id(h, p));
        for (int k = 0; k < NK; k++) {
            int64_t v = embedsvc_compare_total(h->c, p, (embedsvc_compare_value)kinds[k]);
            int64_t len = scale(v, CH_BAR, max, NULL), by = y + 4 + (int64_t)k * (BAR_H + 2);
            char val[32];
            snprintf(val, sizeof(val), "%lld", (long long)v);
            svg_bar(h, by, len, false, colors[k], h_policy_id(h, p), names[k], val);
            svg_bar_value(h, by, len, val);
        }
    }
    svg_close(h, h->n < 2 ? h->L->one_policy : NULL, 0, false);
}

void h_chart_projects(html *h, size_t n_elig)
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
        if (!h_eligibility_changes(h, i))
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
        if (!h_eligibility_changes(h, i))
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
            h_large(h, v, num, sizeof(num));
            snprintf(val, sizeof(val), "%s %s",
                     embedsvc_compare_changed_value(h->c, i, p, EMBEDSVC_COMPARE_ELIGIBLE) ? "✓" : "✗", num);
            svg_bar(h, by, len, cut, h_policy_colors[p], id, h_policy_id(h, p), val);
            svg_bar_value(h, by, len, val);
        }
    }
    svg_close(h, n_elig == 0 ? h->L->none_changed : NULL, n_elig - shown, any_cut);
}

