/* Policies (SPEC §8): loading, the consistency checks, the compiled-in default, accessors. */
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated at build time from policies/beijing-2024-trial.json (policies/embed.py). */
extern const unsigned char esv_default_policy_json[];
extern const size_t esv_default_policy_json_len;

typedef struct loader {
    embedsvc_policy *p;
    esv_walk w;
    /* The first inconsistency seen while walking the tree (a list naming a value twice): reported
     * as policy.invalid only once every member has passed the parse checks (SPEC §10). */
    bool has_pending;
    embedsvc_error pending;
} loader;

/* Records the first inconsistency found during the walk. */
static void defer_invalid(loader *L, const esv_path *path, size_t offset, const char *what, const char *value)
{
    if (L->has_pending)
        return;
    L->has_pending = true;
    L->pending = (embedsvc_error)EMBEDSVC_ERROR_INIT;
    esv_walk w = {L->w.doc, L->w.doc_len, &L->pending};
    esv_walk_fail_status(&w, EMBEDSVC_EPOLICY, path, offset, "policy.invalid", "%s \"%.100s\" is listed twice", what,
                         value);
}

static bool dup_text(loader *L, const esv_jval *v, esv_text *out)
{
    out->s = esv_arena_strndup(&L->p->arena, &L->p->al, v->str, v->len);
    out->len = v->len;
    return out->s != NULL;
}

static int nomem(loader *L)
{
    return esv_error_set(L->w.err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
}

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_ != EMBEDSVC_OK)                                                                                        \
            return rc_;                                                                                                \
    } while (0)

/* A required or optional non-empty string. */
static int read_string(loader *L, const esv_path *path, const esv_jval *v, esv_text *out, bool nonempty)
{
    TRY(esv_walk_expect(&L->w, path, v, ESV_JSTRING, "a string"));
    if (nonempty && v->len == 0)
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "must not be empty");
    return dup_text(L, v, out) ? EMBEDSVC_OK : nomem(L);
}

static int read_bool(loader *L, const esv_path *path, const esv_jval *v, bool *out)
{
    TRY(esv_walk_expect(&L->w, path, v, ESV_JTRUE, "a boolean"));
    *out = v->type == ESV_JTRUE;
    return EMBEDSVC_OK;
}

static int read_aliases(loader *L, const esv_path *path, const esv_jval *v, esv_text **out, size_t *n)
{
    TRY(esv_walk_expect(&L->w, path, v, ESV_JARRAY, "an array of strings"));
    *n = v->len;
    *out = NULL;
    if (v->len == 0)
        return EMBEDSVC_OK;
    *out = esv_arena_alloc(&L->p->arena, &L->p->al, v->len * sizeof(esv_text));
    if (!*out)
        return nomem(L);
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {path, NULL, 0, i};
        TRY(read_string(L, &ep, e, &(*out)[i], true));
    }
    return EMBEDSVC_OK;
}

/* Resolves a scenario reference (code or name_zh) after all scenarios are read. */
int esv_scenario_find(const embedsvc_policy *p, const char *s, size_t len)
{
    for (size_t i = 0; i < p->n_scenarios; i++) {
        const esv_scenario *sc = &p->scenarios[i];
        if ((sc->code.len == len && memcmp(sc->code.s, s, len) == 0) ||
            (sc->name_zh.len == len && memcmp(sc->name_zh.s, s, len) == 0))
            return (int)i;
    }
    return -1;
}

static bool code_ok(const char *s, size_t len)
{
    if (len < 1 || len > 32)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            return false;
    return true;
}

/* Finds a member's key among `keys` and marks it seen; parse.unknown_field when it is not one. */
static int key_index(loader *L, const esv_path *mp, const esv_jval *m, const char *const *keys, int n, bool *seen,
                     int *k)
{
    for (int i = 0; i < n; i++)
        if (strlen(keys[i]) == m->key_len && memcmp(keys[i], m->key, m->key_len) == 0) {
            seen[i] = true;
            *k = i;
            return EMBEDSVC_OK;
        }
    return esv_walk_unknown(&L->w, mp, m);
}

/* parse.missing_field for the first of the first `n_required` keys not seen. */
static int check_required(loader *L, const esv_path *path, const esv_jval *obj, const char *const *keys,
                          int n_required, const bool *seen)
{
    for (int i = 0; i < n_required; i++)
        if (!seen[i])
            return esv_walk_missing(&L->w, path, obj->offset, keys[i]);
    return EMBEDSVC_OK;
}

static int read_scenario(loader *L, const esv_path *path, const esv_jval *obj, esv_scenario *sc)
{
    TRY(esv_walk_expect(&L->w, path, obj, ESV_JOBJECT, "a scenario object"));
    bool seen[7] = {false};
    static const char *const keys[] = {"code", "name_zh", "name_en", "core", "preferred", "allowed_classes", "aliases"};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_index(L, &mp, m, keys, 7, seen, &k));
        switch (k) {
        case 0:
            TRY(read_string(L, &mp, m, &sc->code, false));
            if (!code_ok(m->str, m->len))
                return esv_walk_fail(&L->w, &mp, m->offset, "parse.value", "a scenario code matches [a-z_]{1,32}");
            break;
        case 1:
            TRY(read_string(L, &mp, m, &sc->name_zh, true));
            break;
        case 2:
            TRY(read_string(L, &mp, m, &sc->name_en, true));
            break;
        case 3:
            TRY(read_bool(L, &mp, m, &sc->core));
            break;
        case 4:
            TRY(read_bool(L, &mp, m, &sc->preferred));
            break;
        case 5: {
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JARRAY, "an array of class codes"));
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                int64_t c;
                TRY(esv_walk_enum(&L->w, &ep, e, EMBEDSVC_ENUM_CLASS, &c));
                if (sc->allowed & (1u << c))
                    defer_invalid(L, &ep, e->offset, "class", e->str);
                sc->allowed |= 1u << c;
            }
            break;
        }
        case 6:
            TRY(read_aliases(L, &mp, m, &sc->aliases, &sc->n_aliases));
            break;
        }
    }
    TRY(check_required(L, path, obj, keys, 6, seen));
    return EMBEDSVC_OK;
}

static int read_class(loader *L, const esv_path *path, const esv_jval *obj, unsigned *seen_classes)
{
    TRY(esv_walk_expect(&L->w, path, obj, ESV_JOBJECT, "a class object"));
    static const char *const keys[] = {"code", "name_zh", "name_en", "rate_bp", "rate_is_max"};
    bool seen[5] = {false};
    esv_class_def def = {0};
    int64_t code = -1, rate = 0;
    const esv_jval *code_val = NULL;
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_index(L, &mp, m, keys, 5, seen, &k));
        switch (k) {
        case 0:
            TRY(esv_walk_enum(&L->w, &mp, m, EMBEDSVC_ENUM_CLASS, &code));
            code_val = m;
            break;
        case 1:
            TRY(read_string(L, &mp, m, &def.name_zh, true));
            break;
        case 2:
            TRY(read_string(L, &mp, m, &def.name_en, true));
            break;
        case 3:
            TRY(esv_walk_integer(&L->w, &mp, m, 0, 10000, &rate));
            break;
        case 4:
            TRY(read_bool(L, &mp, m, &def.rate_is_max));
            break;
        }
    }
    TRY(check_required(L, path, obj, keys, 5, seen));
    if (*seen_classes & (1u << code)) {
        esv_path cp = {path, "code", 4, 0};
        defer_invalid(L, &cp, code_val->offset, "class", embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, (int)code));
        return EMBEDSVC_OK;
    }
    *seen_classes |= 1u << code;
    def.rate_bp = (int)rate;
    L->p->classes[code] = def;
    return EMBEDSVC_OK;
}

/* Item scenario references are kept as JSON values and resolved once all scenarios are known. */
static int read_item(loader *L, const esv_path *path, const esv_jval *obj, esv_item *it)
{
    TRY(esv_walk_expect(&L->w, path, obj, ESV_JOBJECT, "an item object"));
    static const char *const keys[] = {"name_zh", "name_en", "class", "scenario", "aliases"};
    bool seen[5] = {false};
    it->scenario = -1;
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_index(L, &mp, m, keys, 5, seen, &k));
        switch (k) {
        case 0:
            TRY(read_string(L, &mp, m, &it->name_zh, true));
            break;
        case 1:
            TRY(read_string(L, &mp, m, &it->name_en, true));
            break;
        case 2: {
            int64_t c;
            TRY(esv_walk_enum(&L->w, &mp, m, EMBEDSVC_ENUM_CLASS, &c));
            it->cls = (int)c;
            break;
        }
        case 3:
            if (m->type != ESV_JNULL) /* resolved once all scenarios are known */
                TRY(esv_walk_expect(&L->w, &mp, m, ESV_JSTRING, "a scenario code or null"));
            break;
        case 4:
            TRY(read_aliases(L, &mp, m, &it->aliases, &it->n_aliases));
            break;
        }
    }
    TRY(check_required(L, path, obj, keys, 4, seen));
    return EMBEDSVC_OK;
}

static int read_rules(loader *L, const esv_path *path, const esv_jval *obj)
{
    embedsvc_policy *p = L->p;
    TRY(esv_walk_expect(&L->w, path, obj, ESV_JOBJECT, "an object"));
    /* the last key is optional (an addition to SPEC §8 for the operation check of 三、(三)) */
    static const char *const keys[] = {"min_functions",    "min_core_functions", "preferred_severity",
                                       "subsidy_build_modes", "max_walk_minutes", "max_operating_margin_bp"};
    bool seen[6] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_index(L, &mp, m, keys, 6, seen, &k));
        int64_t v;
        switch (k) {
        case 0:
            TRY(esv_walk_integer(&L->w, &mp, m, 0, EMBEDSVC_MAX_FUNCTIONS, &v));
            p->min_functions = (int)v;
            break;
        case 1:
            TRY(esv_walk_integer(&L->w, &mp, m, 0, EMBEDSVC_MAX_FUNCTIONS, &v));
            p->min_core_functions = (int)v;
            break;
        case 2:
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JSTRING, "\"error\", \"warning\" or \"off\""));
            if (m->len == 3 && memcmp(m->str, "off", 3) == 0)
                p->preferred_severity = -1;
            else if (m->len == 5 && memcmp(m->str, "error", 5) == 0)
                p->preferred_severity = EMBEDSVC_SEVERITY_ERROR;
            else if (m->len == 7 && memcmp(m->str, "warning", 7) == 0)
                p->preferred_severity = EMBEDSVC_SEVERITY_WARNING;
            else
                return esv_walk_fail(&L->w, &mp, m->offset, "parse.value",
                                     "expected \"error\", \"warning\" or \"off\"");
            break;
        case 3: {
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JARRAY, "an array of build mode codes"));
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                TRY(esv_walk_enum(&L->w, &ep, e, EMBEDSVC_ENUM_BUILD_MODE, &v));
                if (p->subsidy_build_modes & (1u << v))
                    defer_invalid(L, &ep, e->offset, "build mode", e->str);
                p->subsidy_build_modes |= 1u << v;
            }
            break;
        }
        case 4:
            p->has_max_walk = m->type != ESV_JNULL;
            if (p->has_max_walk) {
                TRY(esv_walk_integer(&L->w, &mp, m, 0, 1440, &v));
                p->max_walk_minutes = (int)v;
            }
            break;
        case 5:
            p->has_max_margin = m->type != ESV_JNULL;
            if (p->has_max_margin) {
                TRY(esv_walk_integer(&L->w, &mp, m, 0, 10000, &v));
                p->max_margin_bp = (int)v;
            }
            break;
        }
    }
    TRY(check_required(L, path, obj, keys, 5, seen));
    return EMBEDSVC_OK;
}

static int read_subsidy(loader *L, const esv_path *path, const esv_jval *obj)
{
    embedsvc_policy *p = L->p;
    TRY(esv_walk_expect(&L->w, path, obj, ESV_JOBJECT, "an object"));
    static const char *const keys[] = {"cap_fen", "cap_allocation"};
    bool seen[2] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_index(L, &mp, m, keys, 2, seen, &k));
        if (k == 0) {
            p->has_cap = m->type != ESV_JNULL;
            if (p->has_cap)
                TRY(esv_walk_integer(&L->w, &mp, m, 0, INT64_C(100000000000000), &p->cap_fen));
        } else {
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JSTRING, "\"basic_first\" or \"proportional\""));
            if (m->len == 12 && memcmp(m->str, "proportional", 12) == 0)
                p->cap_proportional = true;
            else if (!(m->len == 11 && memcmp(m->str, "basic_first", 11) == 0))
                return esv_walk_fail(&L->w, &mp, m->offset, "parse.value",
                                     "expected \"basic_first\" or \"proportional\"");
        }
    }
    TRY(check_required(L, path, obj, keys, 2, seen));
    return EMBEDSVC_OK;
}

/* ---- terms ---- */

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
    const char *list; /* "scenarios" or "items" */
    size_t index;
    const char *field; /* "code", "name_zh", "name_en", "aliases" */
    size_t alias;
    size_t offset;
} term_src;

static int add_term(loader *L, esv_term *t, term_src *src, size_t *n, const esv_text *raw, int scenario, int item,
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
static int term_fail(loader *L, const term_src *s, const char *term, const char *other)
{
    esv_path root = {NULL, s->list, strlen(s->list), 0};
    esv_path idx = {&root, NULL, 0, s->index};
    esv_path field = {&idx, s->field, strlen(s->field), 0};
    esv_path alias = {&field, NULL, 0, s->alias};
    const esv_path *at = strcmp(s->field, "aliases") == 0 ? &alias : &field;
    if (!other)
        return esv_walk_fail_status(&L->w, EMBEDSVC_EPOLICY, at, s->offset, "policy.invalid",
                                    "the term \"%.100s\" is empty after normalisation", term);
    return esv_walk_fail_status(&L->w, EMBEDSVC_EPOLICY, at, s->offset, "policy.invalid",
                                "the term \"%.100s\" also belongs to \"%.100s\" (after normalisation)", term, other);
}

static const char *target_name(const embedsvc_policy *p, const esv_term *t)
{
    return t->item >= 0 ? p->items[t->item].name_zh.s : p->scenarios[t->scenario].code.s;
}

static int build_terms(loader *L, const esv_jval *root)
{
    embedsvc_policy *p = L->p;
    size_t total = 0;
    for (size_t i = 0; i < p->n_scenarios; i++)
        total += 3 + p->scenarios[i].n_aliases;
    for (size_t i = 0; i < p->n_items; i++)
        total += 2 + p->items[i].n_aliases;
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
        for (size_t a = 0; a < sc->n_aliases && rc == EMBEDSVC_OK; a++, av = av ? av->next : NULL)
            rc = add_term(L, p->terms, src, &n, &sc->aliases[a], (int)i, -1,
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
        for (size_t a = 0; a < it->n_aliases && rc == EMBEDSVC_OK; a++, av = av ? av->next : NULL)
            rc = add_term(L, p->terms, src, &n, &it->aliases[a], it->scenario, (int)i,
                          (term_src){"items", i, "aliases", a, av ? av->offset : 0});
    }
    p->n_terms = n;
    for (size_t i = 0; i < n && rc == EMBEDSVC_OK; i++)
        if (p->terms[i].norm.len == 0)
            rc = term_fail(L, &src[i], p->terms[i].raw.s, NULL);
    if (rc == EMBEDSVC_OK) {
        for (size_t i = 0; i < n; i++)
            p->by_norm[i] = &p->terms[i];
        qsort(p->by_norm, n, sizeof(esv_term *), term_cmp);
        /* Within a run of equal normalised terms (sorted by policy order), every target must be the
         * run's first target, or an item and the scenario it belongs to. Report the later term. */
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
                if (t->item >= 0) {
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
        nk += 1 + p->items[i].n_aliases;
    p->item_keys = nk ? esv_arena_alloc(&p->arena, &p->al, nk * sizeof(esv_key)) : NULL;
    if (nk && !p->item_keys)
        return nomem(L);
    nk = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        p->item_keys[nk++] = (esv_key){p->items[i].name_zh, (int)i};
        for (size_t a = 0; a < p->items[i].n_aliases; a++)
            p->item_keys[nk++] = (esv_key){p->items[i].aliases[a], (int)i};
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

/* ---- the document ---- */

static int read_policy(loader *L, const esv_jval *root)
{
    embedsvc_policy *p = L->p;
    TRY(esv_walk_expect(&L->w, NULL, root, ESV_JOBJECT, "a policy object"));
    static const char *const keys[] = {"schema",     "id",     "version", "scenarios", "classes",
                                       "items",      "rules",  "subsidy", "title_zh",  "title_en",
                                       "effective_from", "effective_to"};
    enum { N_REQUIRED = 8, N_KEYS = 12 };
    bool seen[N_KEYS] = {false};
    const esv_jval *items_val = NULL;
    unsigned seen_classes = 0;
    for (const esv_jval *m = root->child; m; m = m->next) {
        esv_path mp = {NULL, m->key, m->key_len, 0};
        int k = -1;
        TRY(key_index(L, &mp, m, keys, N_KEYS, seen, &k));
        switch (k) {
        case 0:
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JSTRING, "\"embedsvc.policy/1\""));
            if (!(m->len == 17 && memcmp(m->str, "embedsvc.policy/1", 17) == 0))
                return esv_walk_fail(&L->w, &mp, m->offset, "parse.value", "expected \"embedsvc.policy/1\"");
            break;
        case 1:
            TRY(read_string(L, &mp, m, &p->id, true));
            break;
        case 2:
            TRY(read_string(L, &mp, m, &p->version, true));
            break;
        case 3: {
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JARRAY, "an array of scenarios"));
            if (m->len < 1 || m->len > ESV_MAX_SCENARIOS)
                return esv_walk_fail(&L->w, &mp, m->offset, "parse.value", "a policy has 1 to 32 scenarios");
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                TRY(read_scenario(L, &ep, e, &p->scenarios[i]));
            }
            p->n_scenarios = i;
            break;
        }
        case 4: {
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JARRAY, "an array of classes"));
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                TRY(read_class(L, &ep, e, &seen_classes));
            }
            break;
        }
        case 5: {
            TRY(esv_walk_expect(&L->w, &mp, m, ESV_JARRAY, "an array of items"));
            items_val = m;
            p->n_items = m->len;
            p->items = m->len ? esv_arena_alloc(&p->arena, &p->al, m->len * sizeof(esv_item)) : NULL;
            if (m->len && !p->items)
                return nomem(L);
            if (m->len)
                memset(p->items, 0, m->len * sizeof(esv_item));
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                TRY(read_item(L, &ep, e, &p->items[i]));
            }
            break;
        }
        case 6:
            TRY(read_rules(L, &mp, m));
            break;
        case 7:
            TRY(read_subsidy(L, &mp, m));
            break;
        case 8:
            TRY(read_string(L, &mp, m, &p->title_zh, false));
            break;
        case 9:
            TRY(read_string(L, &mp, m, &p->title_en, false));
            break;
        case 10:
        case 11:
            if (m->type != ESV_JNULL) {
                TRY(esv_walk_date(&L->w, &mp, m));
                TRY(dup_text(L, m, k == 10 ? &p->effective_from : &p->effective_to) ? EMBEDSVC_OK : nomem(L));
            }
            break;
        }
    }
    TRY(check_required(L, NULL, root, keys, N_REQUIRED, seen));
    if (L->has_pending) {
        if (L->w.err && L->w.err->size >= sizeof(embedsvc_error))
            *L->w.err = L->pending;
        else
            esv_error_set(L->w.err, EMBEDSVC_EPOLICY, "policy.invalid", "%s", L->pending.message);
        return EMBEDSVC_EPOLICY;
    }

    /* consistency (policy.invalid), in document order of the things checked */
    const esv_jval *scen_arr = esv_json_get(root, "scenarios");
    const esv_jval *so = scen_arr->child;
    esv_path sp = {NULL, "scenarios", 9, 0};
    for (size_t i = 0; i < p->n_scenarios; i++, so = so->next) {
        esv_scenario *sc = &p->scenarios[i];
        if (sc->allowed == 0) {
            esv_path ip = {&sp, NULL, 0, i};
            esv_path ap = {&ip, "allowed_classes", 15, 0};
            const esv_jval *v = esv_json_get(so, "allowed_classes");
            return esv_walk_fail_status(&L->w, EMBEDSVC_EPOLICY, &ap, v->offset, "policy.invalid",
                                        "scenario \"%s\" allows no class", sc->code.s);
        }
        int single = -1, count = 0;
        for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
            if (sc->allowed & (1u << c)) {
                single = c;
                count++;
            }
        sc->single_class = count == 1 ? single : -1;
        p->core_mask |= (uint64_t)sc->core << i;
        p->preferred_mask |= (uint64_t)sc->preferred << i;
    }
    if (seen_classes != 7u) {
        const esv_jval *cv = esv_json_get(root, "classes");
        esv_path cp = {NULL, "classes", 7, 0};
        for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
            if (!(seen_classes & (1u << c)))
                return esv_walk_fail_status(&L->w, EMBEDSVC_EPOLICY, &cp, cv->offset, "policy.invalid",
                                            "class \"%s\" is not defined (classes must be exactly basic_public, "
                                            "inclusive and commercial)",
                                            embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c));
    }
    esv_path itp = {NULL, "items", 5, 0};
    size_t i = 0;
    for (const esv_jval *e = items_val->child; e; e = e->next, i++) {
        esv_item *it = &p->items[i];
        esv_path ip = {&itp, NULL, 0, i};
        const esv_jval *sv = esv_json_get(e, "scenario");
        if (sv && sv->type == ESV_JSTRING) {
            it->scenario = esv_scenario_find(p, sv->str, sv->len);
            if (it->scenario < 0) {
                esv_path fp = {&ip, "scenario", 8, 0};
                return esv_walk_fail_status(&L->w, EMBEDSVC_EPOLICY, &fp, sv->offset, "policy.invalid",
                                            "item \"%s\" refers to an unknown scenario \"%s\"", it->name_zh.s, sv->str);
            }
            if (!(p->scenarios[it->scenario].allowed & (1u << it->cls))) {
                esv_path fp = {&ip, "class", 5, 0};
                const esv_jval *cv = esv_json_get(e, "class");
                return esv_walk_fail_status(&L->w, EMBEDSVC_EPOLICY, &fp, cv->offset, "policy.invalid",
                                            "item \"%s\" has class \"%s\", which scenario \"%s\" does not allow",
                                            it->name_zh.s, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, it->cls),
                                            p->scenarios[it->scenario].code.s);
            }
        }
    }
    return build_terms(L, root);
}

static int load(const char *data, size_t len, const embedsvc_allocator *alloc, embedsvc_policy **out,
                embedsvc_error *err)
{
    if (!out || (!data && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "incomplete allocator");
    embedsvc_policy *p = esv_calloc(&al, 1, sizeof(*p));
    if (!p)
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    p->al = al;
    p->preferred_severity = EMBEDSVC_SEVERITY_WARNING;
    esv_json *json = esv_json_new(&al);
    if (!json) {
        esv_free(&al, p);
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    const esv_jval *root;
    int rc = esv_json_parse(json, data ? data : "", len, &root, err);
    if (rc == EMBEDSVC_OK) {
        loader L = {p, {data, len, err}, false, EMBEDSVC_ERROR_INIT};
        rc = read_policy(&L, root);
    }
    esv_json_free(json);
    if (rc != EMBEDSVC_OK) {
        embedsvc_policy_free(p);
        return rc;
    }
    *out = p;
    return EMBEDSVC_OK;
}

int embedsvc_policy_load_buffer(const char *data, size_t len, const embedsvc_allocator *alloc,
                                embedsvc_policy **out, embedsvc_error *err)
{
    return load(data, len, alloc, out, err);
}

int embedsvc_policy_default(const embedsvc_allocator *alloc, embedsvc_policy **out, embedsvc_error *err)
{
    return load((const char *)esv_default_policy_json, esv_default_policy_json_len, alloc, out, err);
}

const char *embedsvc_policy_default_json(size_t *len)
{
    if (len)
        *len = esv_default_policy_json_len;
    return (const char *)esv_default_policy_json;
}

int embedsvc_policy_load_file(const char *path, const embedsvc_allocator *alloc, embedsvc_policy **out,
                              embedsvc_error *err)
{
    if (!path || !out)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "incomplete allocator");
    FILE *f = fopen(path, "rb");
    if (!f)
        return esv_error_set(err, EMBEDSVC_EIO, "io", "cannot open %.200s: %s", path, strerror(errno));
    esv_buf buf = {0};
    char chunk[65536];
    size_t n;
    int rc = EMBEDSVC_OK;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (buf.len + n > ESV_JSON_MAX_SIZE + 1) /* the parser reports parse.limit */
            break;
        if (!esv_buf_append(&buf, &al, chunk, n)) {
            rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
            break;
        }
    }
    if (rc == EMBEDSVC_OK && ferror(f))
        rc = esv_error_set(err, EMBEDSVC_EIO, "io", "cannot read %.200s: %s", path, strerror(errno));
    fclose(f);
    if (rc == EMBEDSVC_OK)
        rc = load(buf.data ? buf.data : "", buf.len, alloc, out, err);
    esv_buf_free(&buf, &al);
    return rc;
}

void embedsvc_policy_free(embedsvc_policy *policy)
{
    if (!policy)
        return;
    esv_alloc al = policy->al;
    esv_arena_free(&policy->arena, &al);
    esv_free(&al, policy);
}

/* ---- accessors ---- */

const char *embedsvc_policy_text(const embedsvc_policy *p, const char *field)
{
    if (!p || !field)
        return NULL;
    if (strcmp(field, "id") == 0)
        return p->id.s;
    if (strcmp(field, "version") == 0)
        return p->version.s;
    if (strcmp(field, "title_zh") == 0)
        return p->title_zh.s;
    if (strcmp(field, "title_en") == 0)
        return p->title_en.s;
    if (strcmp(field, "effective_from") == 0)
        return p->effective_from.s;
    if (strcmp(field, "effective_to") == 0)
        return p->effective_to.s;
    return NULL;
}

int embedsvc_policy_rule(const embedsvc_policy *p, embedsvc_rule rule, int64_t *value)
{
    if (!p || !value)
        return EMBEDSVC_EINVAL;
    switch (rule) {
    case EMBEDSVC_RULE_MIN_FUNCTIONS:
        *value = p->min_functions;
        return 1;
    case EMBEDSVC_RULE_MIN_CORE_FUNCTIONS:
        *value = p->min_core_functions;
        return 1;
    case EMBEDSVC_RULE_PREFERRED_SEVERITY:
        *value = p->preferred_severity;
        return 1;
    case EMBEDSVC_RULE_SUBSIDY_BUILD_MODES:
        *value = p->subsidy_build_modes;
        return 1;
    case EMBEDSVC_RULE_MAX_WALK_MINUTES:
        if (!p->has_max_walk)
            return 0;
        *value = p->max_walk_minutes;
        return 1;
    case EMBEDSVC_RULE_CAP_FEN:
        if (!p->has_cap)
            return 0;
        *value = p->cap_fen;
        return 1;
    case EMBEDSVC_RULE_CAP_PROPORTIONAL:
        *value = p->cap_proportional;
        return 1;
    case EMBEDSVC_RULE_MAX_OPERATING_MARGIN:
        if (!p->has_max_margin)
            return 0;
        *value = p->max_margin_bp;
        return 1;
    }
    return EMBEDSVC_EINVAL;
}

size_t embedsvc_policy_scenario_count(const embedsvc_policy *p)
{
    return p ? p->n_scenarios : 0;
}

int embedsvc_policy_scenario_find(const embedsvc_policy *p, const char *text, size_t len)
{
    if (!p || (!text && len))
        return -1;
    return esv_scenario_find(p, text ? text : "", len);
}

const char *embedsvc_policy_scenario_name(const embedsvc_policy *p, size_t index, embedsvc_name which)
{
    if (!p || index >= p->n_scenarios)
        return NULL;
    const esv_scenario *s = &p->scenarios[index];
    switch (which) {
    case EMBEDSVC_NAME_CODE:
        return s->code.s;
    case EMBEDSVC_NAME_ZH:
        return s->name_zh.s;
    case EMBEDSVC_NAME_EN:
        return s->name_en.s;
    }
    return NULL;
}

int embedsvc_policy_scenario_flags(const embedsvc_policy *p, size_t index)
{
    if (!p || index >= p->n_scenarios)
        return -1;
    const esv_scenario *s = &p->scenarios[index];
    return (s->core ? EMBEDSVC_SCENARIO_CORE : 0) | (s->preferred ? EMBEDSVC_SCENARIO_PREFERRED : 0) |
           (int)(s->allowed << 8);
}

size_t embedsvc_policy_item_count(const embedsvc_policy *p)
{
    return p ? p->n_items : 0;
}

const char *embedsvc_policy_item_name(const embedsvc_policy *p, size_t index, embedsvc_name which)
{
    if (!p || index >= p->n_items)
        return NULL;
    if (which == EMBEDSVC_NAME_ZH)
        return p->items[index].name_zh.s;
    if (which == EMBEDSVC_NAME_EN)
        return p->items[index].name_en.s;
    return NULL;
}

int embedsvc_policy_item_class(const embedsvc_policy *p, size_t index)
{
    if (!p || index >= p->n_items)
        return EMBEDSVC_CLASS_NONE;
    return p->items[index].cls;
}

int embedsvc_policy_item_scenario(const embedsvc_policy *p, size_t index)
{
    if (!p || index >= p->n_items)
        return -1;
    return p->items[index].scenario;
}

size_t embedsvc_policy_alias_count(const embedsvc_policy *p, int is_item, size_t index)
{
    if (!p)
        return 0;
    if (is_item)
        return index < p->n_items ? p->items[index].n_aliases : 0;
    return index < p->n_scenarios ? p->scenarios[index].n_aliases : 0;
}

const char *embedsvc_policy_alias(const embedsvc_policy *p, int is_item, size_t index, size_t alias)
{
    if (alias >= embedsvc_policy_alias_count(p, is_item, index))
        return NULL;
    return is_item ? p->items[index].aliases[alias].s : p->scenarios[index].aliases[alias].s;
}

const char *embedsvc_policy_class_name(const embedsvc_policy *p, embedsvc_class cls, embedsvc_name which)
{
    if (!p || cls < 0 || cls >= EMBEDSVC_CLASS_COUNT)
        return NULL;
    switch (which) {
    case EMBEDSVC_NAME_CODE:
        return embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, cls);
    case EMBEDSVC_NAME_ZH:
        return p->classes[cls].name_zh.s;
    case EMBEDSVC_NAME_EN:
        return p->classes[cls].name_en.s;
    }
    return NULL;
}

int embedsvc_policy_class_rate_bp(const embedsvc_policy *p, embedsvc_class cls)
{
    if (!p || cls < 0 || cls >= EMBEDSVC_CLASS_COUNT)
        return -1;
    return p->classes[cls].rate_bp;
}

int embedsvc_policy_class_rate_is_max(const embedsvc_policy *p, embedsvc_class cls)
{
    if (!p || cls < 0 || cls >= EMBEDSVC_CLASS_COUNT)
        return -1;
    return p->classes[cls].rate_is_max;
}

/* ---- canonical JSON ---- */

/* The canonical writer: esv_out over a buffer of the policy's allocator. */
typedef esv_out pw;

static void pw_lit(pw *w, const char *s)
{
    esv_out_put(w, s, strlen(s));
}

static void pw_str(pw *w, const esv_text *t)
{
    if (!t->s)
        pw_lit(w, "null");
    else
        esv_out_json_string(w, t->s, t->len);
}

static void pw_cstr(pw *w, const char *s)
{
    esv_text t = {s, s ? strlen(s) : 0};
    pw_str(w, &t);
}

static void pw_key(pw *w, const char *indent, const char *key, bool first)
{
    pw_lit(w, first ? "\n" : ",\n");
    pw_lit(w, indent);
    pw_lit(w, "\"");
    pw_lit(w, key);
    pw_lit(w, "\": ");
}

static void pw_aliases(pw *w, const esv_text *a, size_t n)
{
    pw_lit(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            pw_lit(w, ", ");
        pw_str(w, &a[i]);
    }
    pw_lit(w, "]");
}

static void pw_classes(pw *w, unsigned set)
{
    pw_lit(w, "[");
    bool first = true;
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (set & (1u << c)) {
            if (!first)
                pw_lit(w, ", ");
            pw_cstr(w, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c));
            first = false;
        }
    pw_lit(w, "]");
}

int embedsvc_policy_to_json(const embedsvc_policy *p, char *buf, size_t size, size_t *needed)
{
    if (!p || (!buf && size))
        return EMBEDSVC_EINVAL;
    esv_buf text = {0};
    pw w = {&text, &p->al, true};
    pw_lit(&w, "{");
    pw_key(&w, "  ", "schema", true);
    pw_lit(&w, "\"embedsvc.policy/1\"");
    pw_key(&w, "  ", "id", false);
    pw_str(&w, &p->id);
    pw_key(&w, "  ", "version", false);
    pw_str(&w, &p->version);
    if (p->title_zh.s) {
        pw_key(&w, "  ", "title_zh", false);
        pw_str(&w, &p->title_zh);
    }
    if (p->title_en.s) {
        pw_key(&w, "  ", "title_en", false);
        pw_str(&w, &p->title_en);
    }
    pw_key(&w, "  ", "effective_from", false);
    pw_str(&w, &p->effective_from);
    pw_key(&w, "  ", "effective_to", false);
    pw_str(&w, &p->effective_to);
    pw_key(&w, "  ", "scenarios", false);
    pw_lit(&w, "[");
    for (size_t i = 0; i < p->n_scenarios; i++) {
        const esv_scenario *s = &p->scenarios[i];
        pw_lit(&w, i ? ",\n    {" : "\n    {");
        pw_key(&w, "      ", "code", true);
        pw_str(&w, &s->code);
        pw_key(&w, "      ", "name_zh", false);
        pw_str(&w, &s->name_zh);
        pw_key(&w, "      ", "name_en", false);
        pw_str(&w, &s->name_en);
        pw_key(&w, "      ", "core", false);
        pw_lit(&w, s->core ? "true" : "false");
        pw_key(&w, "      ", "preferred", false);
        pw_lit(&w, s->preferred ? "true" : "false");
        pw_key(&w, "      ", "allowed_classes", false);
        pw_classes(&w, s->allowed);
        pw_key(&w, "      ", "aliases", false);
        pw_aliases(&w, s->aliases, s->n_aliases);
        pw_lit(&w, "\n    }");
    }
    pw_lit(&w, "\n  ]");
    pw_key(&w, "  ", "classes", false);
    pw_lit(&w, "[");
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        const esv_class_def *d = &p->classes[c];
        pw_lit(&w, c ? ",\n    {" : "\n    {");
        pw_key(&w, "      ", "code", true);
        pw_cstr(&w, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c));
        pw_key(&w, "      ", "name_zh", false);
        pw_str(&w, &d->name_zh);
        pw_key(&w, "      ", "name_en", false);
        pw_str(&w, &d->name_en);
        pw_key(&w, "      ", "rate_bp", false);
        esv_out_int(&w, d->rate_bp);
        pw_key(&w, "      ", "rate_is_max", false);
        pw_lit(&w, d->rate_is_max ? "true" : "false");
        pw_lit(&w, "\n    }");
    }
    pw_lit(&w, "\n  ]");
    pw_key(&w, "  ", "items", false);
    pw_lit(&w, "[");
    for (size_t i = 0; i < p->n_items; i++) {
        const esv_item *it = &p->items[i];
        pw_lit(&w, i ? ",\n    {" : "\n    {");
        pw_key(&w, "      ", "name_zh", true);
        pw_str(&w, &it->name_zh);
        pw_key(&w, "      ", "name_en", false);
        pw_str(&w, &it->name_en);
        pw_key(&w, "      ", "class", false);
        pw_cstr(&w, embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, it->cls));
        pw_key(&w, "      ", "scenario", false);
        if (it->scenario >= 0)
            pw_str(&w, &p->scenarios[it->scenario].code);
        else
            pw_lit(&w, "null");
        pw_key(&w, "      ", "aliases", false);
        pw_aliases(&w, it->aliases, it->n_aliases);
        pw_lit(&w, "\n    }");
    }
    pw_lit(&w, p->n_items ? "\n  ]" : "]");
    pw_key(&w, "  ", "rules", false);
    pw_lit(&w, "{");
    pw_key(&w, "    ", "min_functions", true);
    esv_out_int(&w, p->min_functions);
    pw_key(&w, "    ", "min_core_functions", false);
    esv_out_int(&w, p->min_core_functions);
    pw_key(&w, "    ", "preferred_severity", false);
    pw_lit(&w, p->preferred_severity < 0 ? "\"off\""
               : p->preferred_severity == EMBEDSVC_SEVERITY_ERROR ? "\"error\""
                                                                  : "\"warning\"");
    pw_key(&w, "    ", "subsidy_build_modes", false);
    pw_lit(&w, "[");
    bool first = true;
    for (int b = 0; b < 4; b++)
        if (p->subsidy_build_modes & (1u << b)) {
            if (!first)
                pw_lit(&w, ", ");
            pw_cstr(&w, embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, b));
            first = false;
        }
    pw_lit(&w, "]");
    pw_key(&w, "    ", "max_walk_minutes", false);
    if (p->has_max_walk)
        esv_out_int(&w, p->max_walk_minutes);
    else
        pw_lit(&w, "null");
    if (p->has_max_margin) { /* optional: written only when set, so SPEC §8 readers load the default */
        pw_key(&w, "    ", "max_operating_margin_bp", false);
        esv_out_int(&w, p->max_margin_bp);
    }
    pw_lit(&w, "\n  }");
    pw_key(&w, "  ", "subsidy", false);
    pw_lit(&w, "{");
    pw_key(&w, "    ", "cap_fen", true);
    if (p->has_cap)
        esv_out_int(&w, p->cap_fen);
    else
        pw_lit(&w, "null");
    pw_key(&w, "    ", "cap_allocation", false);
    pw_lit(&w, p->cap_proportional ? "\"proportional\"" : "\"basic_first\"");
    pw_lit(&w, "\n  }\n}\n");
    if (!w.ok) {
        esv_buf_free(&text, &p->al);
        return EMBEDSVC_ENOMEM;
    }
    if (size) {
        size_t n = text.len < size ? text.len : size - 1;
        memcpy(buf, text.data, n);
        buf[n] = '\0';
    }
    if (needed)
        *needed = text.len;
    int rc = text.len < size ? EMBEDSVC_OK : EMBEDSVC_ERANGE;
    esv_buf_free(&text, &p->al);
    return rc;
}
