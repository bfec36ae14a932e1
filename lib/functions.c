/* Functions (reference §3.1, 四、1): each function's item, scenario, conflicts and class, in the
 * order of the steps, and the distinct scenarios of the valid functions. */
#include "memo.h"
#include "model.h"

#include <string.h>

/* §3.1: resolves one function; returns whether it is valid. */
static bool resolve_function(const embedsvc_policy *p, const esv_function *f, int index, embedsvc_result *r,
                             esv_fresult *out)
{
    bool error = false;
    /* 1. item */
    int item = -1;
    if (f->item.s) {
        item = esv_item_find(p, f->item.s, f->item.len);
        if (item < 0)
            esv_add_finding(r, ESV_F_ITEM_UNKNOWN, index, 0, 0, f->item.s);
    }
    /* 2. scenario */
    int scen = -1, inferred_item = -1;
    if (f->scenario.s) {
        scen = esv_scenario_find(p, f->scenario.s, f->scenario.len);
        if (scen < 0) {
            esv_add_finding(r, ESV_F_SCENARIO_UNKNOWN, index, ESV_WHY_SCENARIO_TEXT, 0,
                        f->scenario.s);
            error = true;
        }
    } else if (item >= 0) {
        scen = p->items[item].scenario;
        if (scen < 0) {
            esv_add_finding(r, ESV_F_SCENARIO_UNKNOWN, index, ESV_WHY_ITEM_NO_SCENARIO, 0,
                        f->item.s);
            error = true;
        }
    } else {
        esv_class_out c;
        c.match = EMBEDSVC_MATCH_NONE;
        c.term = NULL;
        if (f->label.s && !esv_memo_classify(r, p, f->label.s, f->label.len, &c)) {
            c.match = EMBEDSVC_MATCH_NONE;
            r->oom = true; /* no scratch memory for a long label: the evaluation fails with ENOMEM */
        }
        if (c.match == EMBEDSVC_MATCH_NONE && c.term && esv_term_is_non_service(c.term)) {
            /* a non-service the policy lists (reference §4): b is its index among them */
            esv_add_finding(r, ESV_F_SCENARIO_UNKNOWN, index, ESV_WHY_NON_SERVICE,
                            (int64_t)c.term->order - (int64_t)(p->n_terms - p->non_service.n), f->label.s);
            error = true;
        } else if ((c.match == EMBEDSVC_MATCH_EXACT || c.match == EMBEDSVC_MATCH_CONTAINS) && c.scenario >= 0) {
            scen = c.scenario;
            inferred_item = c.item;
            esv_add_finding(r, ESV_F_SCENARIO_INFERRED, index, scen, inferred_item, f->label.s);
        } else {
            esv_add_finding(r, ESV_F_SCENARIO_UNKNOWN, index,
                        f->label.s ? ESV_WHY_LABEL : ESV_WHY_NOTHING_GIVEN, c.match, f->label.s);
            error = true;
        }
    }
    /* 3. conflict of a given item */
    if (item >= 0) {
        const esv_item *it = &p->items[item];
        bool scen_conflict = it->scenario >= 0 && scen >= 0 && it->scenario != scen;
        bool class_conflict = f->service_class.has && it->cls != f->service_class.v;
        if (scen_conflict || class_conflict) {
            esv_add_finding(r, ESV_F_ITEM_CONFLICT, index, scen_conflict ? scen : -1,
                        class_conflict ? f->service_class.v : -1, f->item.s);
            error = true;
        }
    }
    /* 4. class */
    int cls = -1;
    if (f->service_class.has)
        cls = (int)f->service_class.v;
    else if (item >= 0)
        cls = p->items[item].cls;
    else if (inferred_item >= 0)
        cls = p->items[inferred_item].cls;
    else if (scen >= 0)
        cls = p->scenarios[scen].single_class;
    if (scen >= 0) {
        if (cls < 0) {
            esv_add_finding(r, ESV_F_CLASS_MISSING, index, scen, 0, NULL);
            error = true;
        } else if (!(p->scenarios[scen].allowed & (1u << cls))) {
            esv_add_finding(r, ESV_F_CLASS_NOT_ALLOWED, index, scen, cls, NULL);
            error = true;
        }
    }
    /* 5. */
    out->scenario = scen;
    out->valid = !error;
    out->cls = error ? EMBEDSVC_CLASS_NONE : cls;
    return !error;
}

uint64_t esv_resolve_functions(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r, int *n_valid)
{
    uint64_t seen = 0;
    *n_valid = 0;
    for (size_t i = 0; i < pr->n_functions; i++) {
        esv_fresult *fr = &r->functions[i];
        fr->subsidy_fen = 0;
        if (resolve_function(p, &pr->functions[i], (int)i, r, fr)) {
            (*n_valid)++;
            uint64_t bit = (uint64_t)1 << fr->scenario;
            if (seen & bit)
                esv_add_finding(r, ESV_F_DUPLICATE_SCENARIO, (int)i, fr->scenario, 0, NULL);
            seen |= bit;
        }
    }
    return seen;
}
