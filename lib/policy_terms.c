/* The term index of a policy (reference §4, §8): every code, name and alias of a scenario or an
 * item, and every non-service term, normalised; the consistency of terms (no normalised term of
 * two targets, except an item and its scenario; no non-service term equal to a target's term);
 * the sorted lookups of exact and contains matches, and the raw item keys of §3.1 step 1. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

typedef struct terms_ctx {
    embedsvc_policy *p;
    const esv_walk *w;
} terms_ctx;

static int nomem(const terms_ctx *L)
{
    return esv_error_set(L->w->err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
}


static int term_cmp(const void *a, const void *b)
{
    const esv_term *x = *(const esv_term *const *)a, *y = *(const esv_term *const *)b;
    size_t n = x->norm.len < y->norm.len ? x->norm.len : y->norm.len;
    int c = memcmp(x->norm.s, y->norm.s, n);
    if (c)
        return c;
    if (x->norm.len != y->norm.len)
        return x->norm.len < y->norm.len ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static uint32_t first_cp(const esv_term *t)
{
    size_t i = 0;
    return esv_utf8_next(t->norm.s, t->norm.len, &i);
}

static int contains_cmp(const void *a, const void *b)
{
    const esv_term *x = *(const esv_term *const *)a, *y = *(const esv_term *const *)b;
    uint32_t fx = first_cp(x), fy = first_cp(y);
    if (fx != fy)
        return fx < fy ? -1 : 1;
    if (x->norm_cps != y->norm_cps)
        return x->norm_cps > y->norm_cps ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int key_cmp(const void *a, const void *b)
{
    const esv_key *x = a, *y = b;
    size_t n = x->text.len < y->text.len ? x->text.len : y->text.len;
    int c = memcmp(x->text.s, y->text.s, n);
    if (c)
        return c;
    if (x->text.len != y->text.len)
        return x->text.len < y->text.len ? -1 : 1;
    return x->index - y->index;
}

/* JSON paths of terms, for policy.invalid. */
typedef struct term_src {
    const char *list; /* "scenarios", "items" or "non_service_terms" */
    size_t index;
    const char *field; /* "code", "name_zh", "name_en", "aliases"; NULL for a non-service term */
    size_t alias;
    size_t offset;
} term_src;

static int add_term(const terms_ctx *L, esv_term *t, term_src *src, size_t *n, const esv_text *raw, int scenario, int item,
                    term_src where)
{
    embedsvc_policy *p = L->p;
    char *norm = esv_arena_alloc(&p->arena, &p->al, raw->len + 1);
    if (!norm)
        return nomem(L);
    size_t cps;
    size_t len = esv_normalise(raw->s, raw->len, norm, &cps);
    norm[len] = '\0';
    esv_term *tt = &t[*n];
    tt->raw = *raw;
    tt->norm.s = norm;
    tt->norm.len = len;
    tt->norm_cps = cps;
    tt->scenario = scenario;
    tt->item = item;
    tt->order = (unsigned)*n;
    src[*n] = where;
    (*n)++;
    return EMBEDSVC_OK;
}

/* policy.invalid about a term; `other` is the target it clashes with, or NULL for an empty term. */
static int term_fail(const terms_ctx *L, const term_src *s, const char *term, const char *other)
{
    esv_path root = {NULL, s->list, strlen(s->list), 0};
    esv_path idx = {&root, NULL, 0, s->index};
    esv_path field = {&idx, s->field, s->field ? strlen(s->field) : 0, 0};
    esv_path alias = {&field, NULL, 0, s->alias};
    const esv_path *at = !s->field ? &idx : strcmp(s->field, "aliases") == 0 ? &alias : &field;
    if (!other)
        return esv_walk_fail_status(L->w, EMBEDSVC_EPOLICY, at, s->offset, "policy.invalid",
                                    "the term \"%.100s\" is empty after normalisation", term);
    if (!s->field)
        return esv_walk_fail_status(L->w, EMBEDSVC_EPOLICY, at, s->offset, "policy.invalid",
                                    "the non-service term \"%.100s\" is also a term of \"%.100s\" (after "
                                    "normalisation): a service cannot be a non-service",
                                    term, other);
    return esv_walk_fail_status(L->w, EMBEDSVC_EPOLICY, at, s->offset, "policy.invalid",
                                "the term \"%.100s\" also belongs to \"%.100s\" (after normalisation)", term, other);
}

static const char *target_name(const embedsvc_policy *p, const esv_term *t)
{
    return t->item >= 0 ? p->items[t->item].name_zh.s : p->scenarios[t->scenario].code.s;
}

int esv_policy_index_terms(embedsvc_policy *p, const esv_walk *w, const esv_jval *root)
{
    const terms_ctx ctx = {p, w}, *L = &ctx;
    size_t total = 0;
    for (size_t i = 0; i < p->n_scenarios; i++)
        total += 3 + p->scenarios[i].aliases.n;
    for (size_t i = 0; i < p->n_items; i++)
        total += 2 + p->items[i].aliases.n;
    total += p->non_service.n;
    p->terms = esv_arena_alloc(&p->arena, &p->al, total * sizeof(esv_term));
    p->by_norm = esv_arena_alloc(&p->arena, &p->al, total * sizeof(esv_term *));
    p->contains = esv_arena_alloc(&p->arena, &p->al, total * sizeof(esv_term *));
    term_src *src = esv_malloc(&p->al, total * sizeof(term_src));
    if (!p->terms || !p->by_norm || !p->contains || !src) {
        esv_free(&p->al, src);
        return nomem(L);
    }
    /* offsets of the terms' JSON values, for error positions */
    const esv_jval *scen_arr = esv_json_get(root, "scenarios");
    const esv_jval *item_arr = esv_json_get(root, "items");
    size_t n = 0;
    int rc = EMBEDSVC_OK;
    const esv_jval *so = scen_arr ? scen_arr->child : NULL;
    for (size_t i = 0; i < p->n_scenarios && rc == EMBEDSVC_OK; i++, so = so ? so->next : NULL) {
        esv_scenario *sc = &p->scenarios[i];
        const esv_text *names[3] = {&sc->code, &sc->name_zh, &sc->name_en};
        static const char *const fields[3] = {"code", "name_zh", "name_en"};
        for (int k = 0; k < 3 && rc == EMBEDSVC_OK; k++) {
            const esv_jval *v = so ? esv_json_get(so, fields[k]) : NULL;
            rc = add_term(L, p->terms, src, &n, names[k], (int)i, -1,
                          (term_src){"scenarios", i, fields[k], 0, v ? v->offset : 0});
        }
        const esv_jval *al = so ? esv_json_get(so, "aliases") : NULL;
        const esv_jval *av = al ? al->child : NULL;
        for (size_t a = 0; a < sc->aliases.n && rc == EMBEDSVC_OK; a++, av = av ? av->next : NULL)
            rc = add_term(L, p->terms, src, &n, &sc->aliases.v[a], (int)i, -1,
                          (term_src){"scenarios", i, "aliases", a, av ? av->offset : 0});
    }
    const esv_jval *io = item_arr ? item_arr->child : NULL;
    for (size_t i = 0; i < p->n_items && rc == EMBEDSVC_OK; i++, io = io ? io->next : NULL) {
        esv_item *it = &p->items[i];
        const esv_text *names[2] = {&it->name_zh, &it->name_en};
        static const char *const fields[2] = {"name_zh", "name_en"};
        for (int k = 0; k < 2 && rc == EMBEDSVC_OK; k++) {
            const esv_jval *v = io ? esv_json_get(io, fields[k]) : NULL;
            rc = add_term(L, p->terms, src, &n, names[k], it->scenario, (int)i,
                          (term_src){"items", i, fields[k], 0, v ? v->offset : 0});
        }
        const esv_jval *al = io ? esv_json_get(io, "aliases") : NULL;
        const esv_jval *av = al ? al->child : NULL;
        for (size_t a = 0; a < it->aliases.n && rc == EMBEDSVC_OK; a++, av = av ? av->next : NULL)
            rc = add_term(L, p->terms, src, &n, &it->aliases.v[a], it->scenario, (int)i,
                          (term_src){"items", i, "aliases", a, av ? av->offset : 0});
    }
    /* non-service terms last, so that a target's term always comes first in policy order */
    const esv_jval *ns_arr = esv_json_get(root, "non_service_terms");
    const esv_jval *nv = ns_arr ? ns_arr->child : NULL;
    for (size_t i = 0; i < p->non_service.n && rc == EMBEDSVC_OK; i++, nv = nv ? nv->next : NULL)
        rc = add_term(L, p->terms, src, &n, &p->non_service.v[i], -1, -1,
                      (term_src){"non_service_terms", i, NULL, 0, nv ? nv->offset : 0});
    p->n_terms = n;
    for (size_t i = 0; i < n && rc == EMBEDSVC_OK; i++)
        if (p->terms[i].norm.len == 0)
            rc = term_fail(L, &src[i], p->terms[i].raw.s, NULL);
    if (rc == EMBEDSVC_OK) {
        for (size_t i = 0; i < n; i++)
            p->by_norm[i] = &p->terms[i];
        qsort(p->by_norm, n, sizeof(esv_term *), term_cmp);
        /* Within a run of equal normalised terms (sorted by policy order), every target must be the
         * run's first target, or an item and the scenario it belongs to; a non-service term (they
         * come last) must be alone with other non-service terms. Report the later term. */
        const esv_term *worst = NULL, *worst_first = NULL;
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && p->by_norm[j]->norm.len == p->by_norm[i]->norm.len &&
                   memcmp(p->by_norm[j]->norm.s, p->by_norm[i]->norm.s, p->by_norm[i]->norm.len) == 0)
                j++;
            int scen = -1, item = -1;
            for (size_t k = i; k < j; k++) {
                const esv_term *t = p->by_norm[k];
                bool ok;
                if (esv_term_is_non_service(t)) {
                    ok = scen < 0 && item < 0;
                } else if (t->item >= 0) {
                    ok = (item < 0 || item == t->item) && (scen < 0 || scen == t->scenario);
                    if (ok)
                        item = t->item;
                } else {
                    ok = (scen < 0 || scen == t->scenario) &&
                         (item < 0 || p->items[item].scenario == t->scenario);
                    if (ok)
                        scen = t->scenario;
                }
                if (!ok) {
                    if (!worst || t->order < worst->order) {
                        worst = t;
                        worst_first = p->by_norm[i];
                    }
                    break;
                }
            }
            i = j;
        }
        if (worst)
            rc = term_fail(L, &src[worst->order], worst->raw.s, target_name(p, worst_first));
    }
    esv_free(&p->al, src);
    if (rc != EMBEDSVC_OK)
        return rc;
    p->n_contains = 0;
    for (size_t i = 0; i < n; i++)
        if (p->terms[i].norm_cps >= 2)
            p->contains[p->n_contains++] = &p->terms[i];
    qsort(p->contains, p->n_contains, sizeof(esv_term *), contains_cmp);
    /* index the runs of equal first code point */
    size_t size = 16;
    while (size < 2 * p->n_contains + 2)
        size *= 2;
    p->first_index = esv_arena_alloc(&p->arena, &p->al, size * sizeof(p->first_index[0]));
    if (!p->first_index)
        return nomem(L);
    memset(p->first_index, 0, size * sizeof(p->first_index[0]));
    p->first_mask = size - 1;
    for (size_t i = 0; i < p->n_contains;) {
        uint32_t cp = first_cp(p->contains[i]);
        size_t j = i + 1;
        while (j < p->n_contains && first_cp(p->contains[j]) == cp)
            j++;
        size_t h = (cp * 2654435761u) & p->first_mask;
        while (p->first_index[h].cp)
            h = (h + 1) & p->first_mask;
        p->first_index[h].cp = cp;
        p->first_index[h].start = (uint32_t)i;
        p->first_index[h].end = (uint32_t)j;
        i = j;
    }
    /* raw item keys for §3.1 step 1 */
    size_t nk = 0;
    for (size_t i = 0; i < p->n_items; i++)
        nk += 1 + p->items[i].aliases.n;
    p->item_keys = nk ? esv_arena_alloc(&p->arena, &p->al, nk * sizeof(esv_key)) : NULL;
    if (nk && !p->item_keys)
        return nomem(L);
    nk = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        p->item_keys[nk++] = (esv_key){p->items[i].name_zh, (int)i};
        for (size_t a = 0; a < p->items[i].aliases.n; a++)
            p->item_keys[nk++] = (esv_key){p->items[i].aliases.v[a], (int)i};
    }
    if (nk)
        qsort(p->item_keys, nk, sizeof(esv_key), key_cmp);
    p->n_item_keys = nk;
    return EMBEDSVC_OK;
}

int esv_item_find(const embedsvc_policy *p, const char *s, size_t len)
{
    size_t lo = 0, hi = p->n_item_keys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const esv_key *k = &p->item_keys[mid];
        size_t n = k->text.len < len ? k->text.len : len;
        int c = memcmp(k->text.s, s, n);
        if (c == 0 && k->text.len != len)
            c = k->text.len < len ? -1 : 1;
        if (c == 0)
            return k->index; /* names are unique after normalisation, so raw keys are too */
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

