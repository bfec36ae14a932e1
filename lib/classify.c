/* Classification of free text to a scenario and class (reference §4). */
#include "model.h"

#include <string.h>

bool esv_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (esv_is_space_ascii(c))
            i++;
        else if (c == 0xE3 && len - i >= 3 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80)
            i += 3; /* U+3000 */
        else
            return false;
    }
    return true;
}

size_t esv_normalise(const char *s, size_t len, char *out, size_t *cps)
{
    size_t o = 0, n = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { /* fast path: ASCII */
            i++;
            if (esv_is_space_ascii(c))
                continue;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            out[o++] = (char)c;
            n++;
            continue;
        }
        size_t start = i;
        uint32_t cp = esv_utf8_next(s, len, &i);
        if (cp == ESV_IDEOGRAPHIC_SPACE)
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            char a = (char)(cp - 0xFEE0);
            if (a >= 'A' && a <= 'Z')
                a = (char)(a + 32);
            out[o++] = a;
        } else {
            memcpy(out + o, s + start, i - start);
            o += i - start;
        }
        n++;
    }
    *cps = n;
    return o;
}

/* Adds a kept target, collapsing an item and the scenario it belongs to into the item. */
typedef struct kept {
    size_t n;
    struct {
        int scenario, item;
        const esv_term *term;
    } t[ESV_MAX_CANDIDATES];
} kept;

static void keep(kept *k, const esv_term *term)
{
    for (size_t i = 0; i < k->n; i++) {
        if (k->t[i].item == term->item && (term->item >= 0 || k->t[i].scenario == term->scenario)) {
            if (term->order < k->t[i].term->order)
                k->t[i].term = term;
            return; /* same target */
        }
    }
    if (k->n < ESV_MAX_CANDIDATES) {
        k->t[k->n].scenario = term->scenario;
        k->t[k->n].item = term->item;
        k->t[k->n].term = term;
        k->n++;
    }
}

static void collapse_and_finish(const embedsvc_policy *p, kept *k, embedsvc_match kind, esv_class_out *out)
{
    /* a kept non-service term (reference §4): not a service, whatever else matched as well */
    for (size_t i = 0; i < k->n; i++)
        if (esv_term_is_non_service(k->t[i].term)) {
            out->match = EMBEDSVC_MATCH_NONE;
            out->term = k->t[i].term;
            return;
        }
    /* drop each scenario for which an item of that scenario is kept */
    size_t w = 0;
    const esv_term *first = NULL;
    for (size_t i = 0; i < k->n; i++)
        if (!first || k->t[i].term->order < first->order)
            first = k->t[i].term;
    for (size_t i = 0; i < k->n; i++) {
        bool drop = false;
        if (k->t[i].item < 0)
            for (size_t j = 0; j < k->n; j++)
                if (k->t[j].item >= 0 && k->t[j].scenario == k->t[i].scenario)
                    drop = true;
        if (!drop)
            k->t[w++] = k->t[i];
    }
    k->n = w;
    out->term = first;
    if (k->n == 1) {
        out->match = kind;
        out->scenario = k->t[0].scenario;
        out->item = k->t[0].item;
        if (out->item >= 0)
            out->cls = p->items[out->item].cls;
        else
            out->cls = p->scenarios[out->scenario].single_class;
        return;
    }
    out->match = EMBEDSVC_MATCH_AMBIGUOUS;
    /* candidates in policy order: scenarios first, then items */
    for (size_t i = 0; i < k->n; i++) {
        long key = k->t[i].item >= 0 ? ESV_MAX_SCENARIOS + (long)k->t[i].item : k->t[i].scenario;
        size_t at = out->n_candidates;
        while (at > 0) {
            const int ci = out->candidates[at - 1].item, cs = out->candidates[at - 1].scenario;
            long prev = ci >= 0 ? ESV_MAX_SCENARIOS + (long)ci : cs;
            if (prev < key)
                break;
            out->candidates[at] = out->candidates[at - 1];
            at--;
        }
        out->candidates[at].scenario = k->t[i].scenario;
        out->candidates[at].item = k->t[i].item;
        out->n_candidates++;
    }
}

static bool classify_norm(const embedsvc_policy *p, const char *norm, size_t len, esv_class_out *out)
{
    kept k;
    k.n = 0;
    /* exact: binary search for the first term equal to the text */
    size_t lo = 0, hi = p->n_terms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const esv_term *t = p->by_norm[mid];
        size_t n = t->norm.len < len ? t->norm.len : len;
        int c = memcmp(t->norm.s, norm, n);
        if (c == 0 && t->norm.len != len)
            c = t->norm.len < len ? -1 : 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < p->n_terms; i++) {
        const esv_term *t = p->by_norm[i];
        if (t->norm.len != len || memcmp(t->norm.s, norm, len) != 0)
            break;
        keep(&k, t);
    }
    if (k.n) {
        collapse_and_finish(p, &k, EMBEDSVC_MATCH_EXACT, out);
        return true;
    }
    /* contains: at every code point of the text, the terms that start with it (longest first);
     * keep those of the greatest contained length */
    size_t best = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = esv_utf8_next(norm, len, &i);
        size_t h = (cp * 2654435761u) & p->first_mask;
        while (p->first_index[h].cp && p->first_index[h].cp != cp)
            h = (h + 1) & p->first_mask;
        if (!p->first_index[h].cp)
            continue;
        for (uint32_t t_i = p->first_index[h].start; t_i < p->first_index[h].end; t_i++) {
            const esv_term *t = p->contains[t_i];
            if (t->norm_cps < best)
                break;
            if (t->norm.len > len - at || memcmp(norm + at, t->norm.s, t->norm.len) != 0)
                continue;
            if (t->norm_cps > best) {
                best = t->norm_cps;
                k.n = 0;
            }
            keep(&k, t);
        }
    }
    if (k.n) {
        collapse_and_finish(p, &k, EMBEDSVC_MATCH_CONTAINS, out);
        return true;
    }
    return true;
}

bool esv_classify_text(const embedsvc_policy *p, const char *text, size_t len, esv_class_out *out)
{
    out->match = EMBEDSVC_MATCH_NONE;
    out->scenario = -1;
    out->item = -1;
    out->cls = EMBEDSVC_CLASS_NONE;
    out->term = NULL;
    out->n_candidates = 0;
    char stack[1024];
    char *norm = stack;
    esv_alloc al = p->al;
    if (len > sizeof(stack)) {
        norm = esv_malloc(&al, len);
        if (!norm)
            return false;
    }
    size_t cps;
    size_t n = esv_normalise(text, len, norm, &cps);
    bool ok = classify_norm(p, norm, n, out);
    if (norm != stack)
        esv_free(&al, norm);
    return ok;
}

/* ---- public API ---- */

struct embedsvc_classification {
    esv_alloc al;
    const embedsvc_policy *policy;
    esv_class_out out;
};

int embedsvc_classification_new(const embedsvc_allocator *alloc, embedsvc_classification **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_classification *c = esv_calloc(&al, 1, sizeof(*c));
    if (!c)
        return EMBEDSVC_ENOMEM;
    c->al = al;
    c->out.match = EMBEDSVC_MATCH_NONE;
    c->out.scenario = c->out.item = -1;
    c->out.cls = EMBEDSVC_CLASS_NONE;
    *out = c;
    return EMBEDSVC_OK;
}

void embedsvc_classification_free(embedsvc_classification *c)
{
    if (c) {
        esv_alloc al = c->al;
        esv_free(&al, c);
    }
}

int embedsvc_classify(const embedsvc_policy *policy, const char *text, size_t len, embedsvc_classification *out,
                      embedsvc_error *err)
{
    if (!policy || !out || (!text && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    if (!text)
        text = "";
    size_t valid = esv_utf8_valid_prefix(text, len);
    if (valid != len) {
        esv_error_set(err, EMBEDSVC_EPARSE, "parse.encoding", "invalid UTF-8 at byte %zu", valid);
        esv_error_position(err, text, len, valid);
        return EMBEDSVC_EPARSE;
    }
    out->policy = policy;
    if (!esv_classify_text(policy, text, len, &out->out))
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    return EMBEDSVC_OK;
}

embedsvc_match embedsvc_classification_match(const embedsvc_classification *c)
{
    return c ? c->out.match : EMBEDSVC_MATCH_NONE;
}

int embedsvc_classification_scenario(const embedsvc_classification *c)
{
    return c ? c->out.scenario : -1;
}

int embedsvc_classification_item(const embedsvc_classification *c)
{
    return c ? c->out.item : -1;
}

embedsvc_class embedsvc_classification_class(const embedsvc_classification *c)
{
    return c ? (embedsvc_class)c->out.cls : EMBEDSVC_CLASS_NONE;
}

const char *embedsvc_classification_term(const embedsvc_classification *c)
{
    return c && c->out.term ? c->out.term->raw.s : NULL;
}

size_t embedsvc_classification_candidate_count(const embedsvc_classification *c)
{
    return c ? c->out.n_candidates : 0;
}

int embedsvc_classification_candidate(const embedsvc_classification *c, size_t i, int *scenario, int *item)
{
    if (!c || i >= c->out.n_candidates)
        return EMBEDSVC_EINVAL;
    if (scenario)
        *scenario = c->out.candidates[i].scenario;
    if (item)
        *item = c->out.candidates[i].item;
    return EMBEDSVC_OK;
}
