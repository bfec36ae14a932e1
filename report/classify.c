/* The readable text of `embedsvc classify` (issue 21): the kind of match in words, names with their
 * codes in brackets. */
#include "internal.h"

static void scenario(rp *r, const embedsvc_policy *p, int s)
{
    rp_text(r, embedsvc_policy_scenario_name(p, (size_t)s, r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN));
    rp_puts(r, " [");
    rp_text(r, embedsvc_policy_scenario_name(p, (size_t)s, EMBEDSVC_NAME_CODE));
    rp_puts(r, "]");
}

int esv_report_classify_text(FILE *out, const embedsvc_policy *p, const char *text, const embedsvc_classification *c,
                             const char *lang)
{
    if (!out || !p || !c)
        return -1;
    rp rr = rp_open(out, lang), *r = &rr;
    embedsvc_match m = embedsvc_classification_match(c);
    int s = embedsvc_classification_scenario(c), it = embedsvc_classification_item(c);
    int cls = embedsvc_classification_class(c);
    rp_text(r, text);
    rp_puts(r, rp_l(r, "\n  匹配方式：", "\n  Match: "));
    rp_puts(r, esv_report_match_name((int)m, r->lang));
    if (embedsvc_classification_term(c)) {
        rp_puts(r, rp_l(r, "（词条“", " (term \""));
        rp_text(r, embedsvc_classification_term(c));
        rp_puts(r, rp_l(r, "”）", "\")"));
    }
    rp_puts(r, "\n");
    if (m == EMBEDSVC_MATCH_AMBIGUOUS) {
        rp_puts(r, rp_l(r, "  候选：", "  Candidates: "));
        size_t n = embedsvc_classification_candidate_count(c);
        for (size_t k = 0; k < n; k++) {
            int cs, ci;
            embedsvc_classification_candidate(c, k, &cs, &ci);
            if (k)
                rp_puts(r, rp_l(r, "；", "; "));
            if (ci >= 0) {
                rp_puts(r, rp_l(r, "服务项目 ", "item "));
                rp_text(r, embedsvc_policy_item_name(p, (size_t)ci, r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN));
            } else if (cs >= 0) {
                rp_puts(r, rp_l(r, "服务场景 ", "scenario "));
                scenario(r, p, cs);
            }
        }
        rp_puts(r, "\n");
    }
    if (m == EMBEDSVC_MATCH_EXACT || m == EMBEDSVC_MATCH_CONTAINS) {
        rp_puts(r, rp_l(r, "  服务场景：", "  Scenario: "));
        if (s >= 0)
            scenario(r, p, s);
        else
            rp_puts(r, rp_l(r, "无（该服务项目不属于任何场景）", "none (the item belongs to no scenario)"));
        rp_puts(r, "\n");
        if (it >= 0) {
            rp_puts(r, rp_l(r, "  服务项目：", "  Item: "));
            rp_text(r, embedsvc_policy_item_name(p, (size_t)it, r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN));
            rp_puts(r, "\n");
        }
        rp_puts(r, rp_l(r, "  服务类别：", "  Class: "));
        if (cls >= 0) {
            rp_text(r, embedsvc_policy_class_name(p, (embedsvc_class)cls, r->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN));
            rp_puts(r, " [");
            rp_text(r, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, cls));
            rp_puts(r, "]");
        } else {
            rp_puts(r, rp_l(r, "不确定（由申报时填写）", "not determined (stated in the application)"));
        }
        rp_puts(r, "\n");
    }
    return rp_close(r);
}
