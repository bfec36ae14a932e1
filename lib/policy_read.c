/* The embedsvc.policy/1 reader (reference §8): one table of fields per object, the parse checks
 * in document order, then the consistency checks (policy.invalid with the JSON path). The term
 * index is built by policy_terms.c; loading, freeing and accessors are in policy.c. */
#include "model.h"

#include <string.h>

typedef struct loader {
    embedsvc_policy *p;
    esv_walk w;
    /* The first inconsistency seen while walking the tree (a list naming a value twice): reported
     * as policy.invalid only once every member has passed the parse checks (reference §10). */
    bool has_pending;
    embedsvc_error pending;
    unsigned seen_classes;     /* bit set of the class codes read so far */
    const esv_jval *items_val; /* the items array, resolved once every scenario is known */
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

static int nomem(loader *L)
{
    return esv_error_set(L->w.err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
}

/* policy.invalid at a path, with a message that says why. */
#define INVALID(L, path, offset, ...) esv_walk_fail_status(&(L)->w, EMBEDSVC_EPOLICY, path, offset, "policy.invalid", __VA_ARGS__)

/* ---- the field tables ---- */

/* Reads one member's value into `target` (the object's storage plus the field's offset). */
typedef int (*read_fn)(loader *L, const esv_path *path, const esv_jval *v, void *target);

typedef struct field {
    const char *key;
    bool required;
    read_fn read;
    size_t offset; /* of the field's storage in the object being read */
} field;

/* Reads an object member by member, in document order, through its field table: an unknown key
 * is parse.unknown_field where it stands; then parse.missing_field for the first required field
 * of the table that was not given. */
static int read_fields(loader *L, const esv_path *path, const esv_jval *obj, const char *what, const field *fields,
                       size_t n, void *target)
{
    ESV_TRY(esv_walk_expect(&L->w, path, obj, ESV_JOBJECT, what));
    bool seen[16] = {false};
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        size_t k = 0;
        while (k < n && !(strlen(fields[k].key) == m->key_len && memcmp(fields[k].key, m->key, m->key_len) == 0))
            k++;
        if (k == n)
            return esv_walk_unknown(&L->w, &mp, m);
        seen[k] = true;
        ESV_TRY(fields[k].read(L, &mp, m, (char *)target + fields[k].offset));
    }
    for (size_t k = 0; k < n; k++)
        if (fields[k].required && !seen[k])
            return esv_walk_missing(&L->w, path, obj->offset, fields[k].key);
    return EMBEDSVC_OK;
}

/* ---- values ---- */

static bool dup_text(loader *L, const esv_jval *v, esv_text *out)
{
    out->s = esv_arena_strndup(&L->p->arena, &L->p->al, v->str, v->len);
    out->len = v->len;
    return out->s != NULL;
}

/* A string, possibly empty (titles). */
static int read_text(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JSTRING, "a string"));
    return dup_text(L, v, target) ? EMBEDSVC_OK : nomem(L);
}

/* A non-empty string (ids, names, aliases). */
static int read_name(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JSTRING, "a string"));
    if (v->len == 0)
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "must not be empty");
    return dup_text(L, v, target) ? EMBEDSVC_OK : nomem(L);
}

static int read_flag(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JTRUE, "a boolean"));
    *(bool *)target = v->type == ESV_JTRUE;
    return EMBEDSVC_OK;
}

/* An array of non-empty strings (aliases, non-service terms). */
static int read_names(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    esv_texts *out = target;
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JARRAY, "an array of strings"));
    out->n = v->len;
    out->v = NULL;
    if (v->len == 0)
        return EMBEDSVC_OK;
    out->v = esv_arena_alloc(&L->p->arena, &L->p->al, v->len * sizeof(esv_text));
    if (!out->v)
        return nomem(L);
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {path, NULL, 0, i};
        ESV_TRY(read_name(L, &ep, e, &out->v[i]));
    }
    return EMBEDSVC_OK;
}

/* A date YYYY-MM-DD or null. */
static int read_date_or_null(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    if (v->type == ESV_JNULL)
        return EMBEDSVC_OK;
    ESV_TRY(esv_walk_date(&L->w, path, v));
    return dup_text(L, v, target) ? EMBEDSVC_OK : nomem(L);
}

/* An array of enumeration codes as a bit set, each code at most once (deferred policy.invalid). */
static int read_code_set(loader *L, const esv_path *path, const esv_jval *v, embedsvc_enum kind, const char *what,
                         const char *name, unsigned *set)
{
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JARRAY, what));
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {path, NULL, 0, i};
        int64_t c;
        ESV_TRY(esv_walk_enum(&L->w, &ep, e, kind, &c));
        if (*set & (1u << c))
            defer_invalid(L, &ep, e->offset, name, e->str);
        *set |= 1u << c;
    }
    return EMBEDSVC_OK;
}

/* ---- scenarios ---- */

static int read_scenario_code(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    ESV_TRY(read_text(L, path, v, target));
    bool ok = v->len >= 1 && v->len <= 32;
    for (size_t i = 0; ok && i < v->len; i++)
        ok = (v->str[i] >= 'a' && v->str[i] <= 'z') || v->str[i] == '_';
    if (!ok)
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "a scenario code matches [a-z_]{1,32}");
    return EMBEDSVC_OK;
}

static int read_allowed_classes(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    return read_code_set(L, path, v, EMBEDSVC_ENUM_CLASS, "an array of class codes", "class", target);
}

static const field scenario_fields[] = {
    {"code", true, read_scenario_code, offsetof(esv_scenario, code)},
    {"name_zh", true, read_name, offsetof(esv_scenario, name_zh)},
    {"name_en", true, read_name, offsetof(esv_scenario, name_en)},
    {"core", true, read_flag, offsetof(esv_scenario, core)},
    {"preferred", true, read_flag, offsetof(esv_scenario, preferred)},
    {"allowed_classes", true, read_allowed_classes, offsetof(esv_scenario, allowed)},
    {"aliases", false, read_names, offsetof(esv_scenario, aliases)},
};

static int read_scenarios(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    embedsvc_policy *p = target;
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JARRAY, "an array of scenarios"));
    if (v->len < 1 || v->len > ESV_MAX_SCENARIOS)
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "a policy has 1 to 32 scenarios");
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {path, NULL, 0, i};
        ESV_TRY(read_fields(L, &ep, e, "a scenario object", scenario_fields, ESV_ARRAY_LEN(scenario_fields),
                        &p->scenarios[i]));
    }
    p->n_scenarios = i;
    return EMBEDSVC_OK;
}

/* ---- classes ---- */

typedef struct class_in {
    esv_class_def def;
    int64_t code, rate;
    const esv_jval *code_val;
} class_in;

static int read_class_code(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    class_in *c = target;
    c->code_val = v;
    return esv_walk_enum(&L->w, path, v, EMBEDSVC_ENUM_CLASS, &c->code);
}

static int read_rate_bp(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    return esv_walk_integer(&L->w, path, v, 0, 10000, target);
}

static const field class_fields[] = {
    {"code", true, read_class_code, 0},
    {"name_zh", true, read_name, offsetof(class_in, def.name_zh)},
    {"name_en", true, read_name, offsetof(class_in, def.name_en)},
    {"rate_bp", true, read_rate_bp, offsetof(class_in, rate)},
    {"rate_is_max", true, read_flag, offsetof(class_in, def.rate_is_max)},
};

static int read_classes(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    embedsvc_policy *p = target;
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JARRAY, "an array of classes"));
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {path, NULL, 0, i};
        class_in c = {.code = -1};
        ESV_TRY(read_fields(L, &ep, e, "a class object", class_fields, ESV_ARRAY_LEN(class_fields), &c));
        if (L->seen_classes & (1u << c.code)) {
            esv_path cp = {&ep, "code", 4, 0};
            defer_invalid(L, &cp, c.code_val->offset, "class", embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, (int)c.code));
            continue;
        }
        L->seen_classes |= 1u << c.code;
        c.def.rate_bp = (int)c.rate;
        p->classes[c.code] = c.def;
    }
    return EMBEDSVC_OK;
}

/* ---- items ---- */

static int read_item_class(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    int64_t c;
    ESV_TRY(esv_walk_enum(&L->w, path, v, EMBEDSVC_ENUM_CLASS, &c));
    *(int *)target = (int)c;
    return EMBEDSVC_OK;
}

/* A scenario reference is resolved once every scenario is known (check_items). */
static int read_item_scenario(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    (void)target;
    if (v->type == ESV_JNULL)
        return EMBEDSVC_OK;
    return esv_walk_expect(&L->w, path, v, ESV_JSTRING, "a scenario code or null");
}

static const field item_fields[] = {
    {"name_zh", true, read_name, offsetof(esv_item, name_zh)},
    {"name_en", true, read_name, offsetof(esv_item, name_en)},
    {"class", true, read_item_class, offsetof(esv_item, cls)},
    {"scenario", true, read_item_scenario, 0},
    {"aliases", false, read_names, offsetof(esv_item, aliases)},
};

static int read_items(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    embedsvc_policy *p = target;
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JARRAY, "an array of items"));
    L->items_val = v;
    p->n_items = v->len;
    p->items = v->len ? esv_arena_alloc(&p->arena, &p->al, v->len * sizeof(esv_item)) : NULL;
    if (v->len && !p->items)
        return nomem(L);
    if (v->len)
        memset(p->items, 0, v->len * sizeof(esv_item));
    size_t i = 0;
    for (const esv_jval *e = v->child; e; e = e->next, i++) {
        esv_path ep = {path, NULL, 0, i};
        p->items[i].scenario = -1;
        ESV_TRY(read_fields(L, &ep, e, "an item object", item_fields, ESV_ARRAY_LEN(item_fields), &p->items[i]));
    }
    return EMBEDSVC_OK;
}

/* ---- rules and subsidy ---- */

static int read_function_count(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    int64_t n;
    ESV_TRY(esv_walk_integer(&L->w, path, v, 0, EMBEDSVC_MAX_FUNCTIONS, &n));
    *(int *)target = (int)n;
    return EMBEDSVC_OK;
}

static int read_preferred_severity(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    static const char expected[] = "\"error\", \"warning\" or \"off\"";
    int *sev = target;
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JSTRING, expected));
    if (v->len == 3 && memcmp(v->str, "off", 3) == 0)
        *sev = -1;
    else if (v->len == 5 && memcmp(v->str, "error", 5) == 0)
        *sev = EMBEDSVC_SEVERITY_ERROR;
    else if (v->len == 7 && memcmp(v->str, "warning", 7) == 0)
        *sev = EMBEDSVC_SEVERITY_WARNING;
    else
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "expected %s", expected);
    return EMBEDSVC_OK;
}

static int read_build_modes(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    return read_code_set(L, path, v, EMBEDSVC_ENUM_BUILD_MODE, "an array of build mode codes", "build mode", target);
}

static int read_max_walk(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    embedsvc_policy *p = target;
    int64_t n;
    p->has_max_walk = v->type != ESV_JNULL;
    if (p->has_max_walk) {
        ESV_TRY(esv_walk_integer(&L->w, path, v, 0, 1440, &n));
        p->max_walk_minutes = (int)n;
    }
    return EMBEDSVC_OK;
}

static int read_max_margin(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    embedsvc_policy *p = target;
    int64_t n;
    p->has_max_margin = v->type != ESV_JNULL;
    if (p->has_max_margin) {
        ESV_TRY(esv_walk_integer(&L->w, path, v, 0, 10000, &n));
        p->max_margin_bp = (int)n;
    }
    return EMBEDSVC_OK;
}

/* max_operating_margin_bp is optional: an addition to reference §8 for the operation check of 三、(三). */
static const field rules_fields[] = {
    {"min_functions", true, read_function_count, offsetof(embedsvc_policy, min_functions)},
    {"min_core_functions", true, read_function_count, offsetof(embedsvc_policy, min_core_functions)},
    {"preferred_severity", true, read_preferred_severity, offsetof(embedsvc_policy, preferred_severity)},
    {"subsidy_build_modes", true, read_build_modes, offsetof(embedsvc_policy, subsidy_build_modes)},
    {"max_walk_minutes", true, read_max_walk, 0},
    {"max_operating_margin_bp", false, read_max_margin, 0},
};

static int read_cap(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    embedsvc_policy *p = target;
    p->has_cap = v->type != ESV_JNULL;
    if (p->has_cap)
        ESV_TRY(esv_walk_integer(&L->w, path, v, 0, INT64_C(100000000000000), &p->cap_fen));
    return EMBEDSVC_OK;
}

static int read_cap_allocation(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    static const char expected[] = "\"basic_first\" or \"proportional\"";
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JSTRING, expected));
    if (v->len == 12 && memcmp(v->str, "proportional", 12) == 0)
        *(bool *)target = true;
    else if (!(v->len == 11 && memcmp(v->str, "basic_first", 11) == 0))
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "expected %s", expected);
    return EMBEDSVC_OK;
}

static const field subsidy_fields[] = {
    {"cap_fen", true, read_cap, 0},
    {"cap_allocation", true, read_cap_allocation, offsetof(embedsvc_policy, cap_proportional)},
};

static int read_rules(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    return read_fields(L, path, v, "an object", rules_fields, ESV_ARRAY_LEN(rules_fields), target);
}

static int read_subsidy(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    return read_fields(L, path, v, "an object", subsidy_fields, ESV_ARRAY_LEN(subsidy_fields), target);
}

/* ---- the document ---- */

static int read_schema(loader *L, const esv_path *path, const esv_jval *v, void *target)
{
    (void)target;
    ESV_TRY(esv_walk_expect(&L->w, path, v, ESV_JSTRING, "\"embedsvc.policy/1\""));
    if (!(v->len == 17 && memcmp(v->str, "embedsvc.policy/1", 17) == 0))
        return esv_walk_fail(&L->w, path, v->offset, "parse.value", "expected \"embedsvc.policy/1\"");
    return EMBEDSVC_OK;
}

static const field policy_fields[] = {
    {"schema", true, read_schema, 0},
    {"id", true, read_name, offsetof(embedsvc_policy, id)},
    {"version", true, read_name, offsetof(embedsvc_policy, version)},
    {"scenarios", true, read_scenarios, 0},
    {"classes", true, read_classes, 0},
    {"items", true, read_items, 0},
    {"rules", true, read_rules, 0},
    {"subsidy", true, read_subsidy, 0},
    {"title_zh", false, read_text, offsetof(embedsvc_policy, title_zh)},
    {"title_en", false, read_text, offsetof(embedsvc_policy, title_en)},
    {"effective_from", false, read_date_or_null, offsetof(embedsvc_policy, effective_from)},
    {"effective_to", false, read_date_or_null, offsetof(embedsvc_policy, effective_to)},
    {"non_service_terms", false, read_names, offsetof(embedsvc_policy, non_service)},
};

/* ---- consistency (policy.invalid), after every parse check ---- */

static int check_scenarios(loader *L, const esv_jval *root)
{
    embedsvc_policy *p = L->p;
    const esv_jval *so = esv_json_get(root, "scenarios")->child;
    esv_path sp = {NULL, "scenarios", 9, 0};
    for (size_t i = 0; i < p->n_scenarios; i++, so = so->next) {
        esv_scenario *sc = &p->scenarios[i];
        if (sc->allowed == 0) {
            esv_path ip = {&sp, NULL, 0, i};
            esv_path ap = {&ip, "allowed_classes", 15, 0};
            return INVALID(L, &ap, esv_json_get(so, "allowed_classes")->offset, "scenario \"%s\" allows no class", sc->code.s);
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
    return EMBEDSVC_OK;
}

static int check_classes(loader *L, const esv_jval *root)
{
    if (L->seen_classes == 7u)
        return EMBEDSVC_OK;
    esv_path cp = {NULL, "classes", 7, 0};
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (!(L->seen_classes & (1u << c)))
            return INVALID(L, &cp, esv_json_get(root, "classes")->offset,
                           "class \"%s\" is not defined (classes must be exactly basic_public, inclusive and "
                           "commercial)",
                           embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c));
    return EMBEDSVC_OK;
}

static int check_items(loader *L)
{
    embedsvc_policy *p = L->p;
    esv_path itp = {NULL, "items", 5, 0};
    size_t i = 0;
    for (const esv_jval *e = L->items_val->child; e; e = e->next, i++) {
        esv_item *it = &p->items[i];
        esv_path ip = {&itp, NULL, 0, i};
        const esv_jval *sv = esv_json_get(e, "scenario");
        if (!sv || sv->type != ESV_JSTRING)
            continue;
        it->scenario = esv_scenario_find(p, sv->str, sv->len);
        if (it->scenario < 0) {
            esv_path fp = {&ip, "scenario", 8, 0};
            return INVALID(L, &fp, sv->offset, "item \"%s\" refers to an unknown scenario \"%s\"", it->name_zh.s,
                           sv->str);
        }
        if (!(p->scenarios[it->scenario].allowed & (1u << it->cls))) {
            esv_path fp = {&ip, "class", 5, 0};
            return INVALID(L, &fp, esv_json_get(e, "class")->offset,
                           "item \"%s\" has class \"%s\", which scenario \"%s\" does not allow", it->name_zh.s,
                           embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, it->cls), p->scenarios[it->scenario].code.s);
        }
    }
    return EMBEDSVC_OK;
}

/* A policy no project can satisfy, or whose dates are reversed (reference §8, added 2026-12):
 * the dates first, then the function minimum, then the core minimum. */
static int check_satisfiable(loader *L, const esv_jval *root)
{
    embedsvc_policy *p = L->p;
    if (p->effective_from.s && p->effective_to.s && strcmp(p->effective_from.s, p->effective_to.s) > 0) {
        esv_path fp = {NULL, "effective_from", 14, 0};
        return INVALID(L, &fp, esv_json_get(root, "effective_from")->offset,
                       "effective_from %s is after effective_to %s: the policy would never be in force",
                       p->effective_from.s, p->effective_to.s);
    }
    const esv_jval *rules = esv_json_get(root, "rules");
    esv_path rp = {NULL, "rules", 5, 0};
    if ((size_t)p->min_functions > p->n_scenarios) {
        esv_path mp = {&rp, "min_functions", 13, 0};
        return INVALID(L, &mp, esv_json_get(rules, "min_functions")->offset,
                       "min_functions %d is above the number of scenarios (%zu): no project can have that many "
                       "distinct scenarios",
                       p->min_functions, p->n_scenarios);
    }
    int n_core = 0;
    for (size_t i = 0; i < p->n_scenarios; i++)
        n_core += p->scenarios[i].core;
    if (p->min_core_functions > n_core) {
        esv_path mp = {&rp, "min_core_functions", 18, 0};
        size_t off = esv_json_get(rules, "min_core_functions")->offset;
        if (n_core == 0)
            return INVALID(L, &mp, off,
                           "min_core_functions is %d but no scenario is core (\"core\": true): no project can "
                           "satisfy it",
                           p->min_core_functions);
        return INVALID(L, &mp, off,
                       "min_core_functions %d is above the number of core scenarios (%d): no project can have "
                       "that many",
                       p->min_core_functions, n_core);
    }
    return EMBEDSVC_OK;
}

int esv_policy_read(embedsvc_policy *p, const char *doc, size_t doc_len, const esv_jval *root, embedsvc_error *err)
{
    loader L = {p, {doc, doc_len, err}, false, EMBEDSVC_ERROR_INIT, 0, NULL};
    ESV_TRY(read_fields(&L, NULL, root, "a policy object", policy_fields, ESV_ARRAY_LEN(policy_fields), p));
    if (L.has_pending) {
        if (err && err->size >= sizeof(embedsvc_error))
            *err = L.pending;
        else
            esv_error_set(err, EMBEDSVC_EPOLICY, "policy.invalid", "%s", L.pending.message);
        return EMBEDSVC_EPOLICY;
    }
    /* in document order of the things checked */
    ESV_TRY(check_scenarios(&L, root));
    ESV_TRY(check_classes(&L, root));
    ESV_TRY(check_items(&L));
    ESV_TRY(check_satisfiable(&L, root));
    return esv_policy_index_terms(p, &L.w, root);
}
