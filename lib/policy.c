/* Policies (reference §8): loading from memory, a file or the compiled-in default, freeing, and
 * the accessors. The reader is policy_read.c, the term index policy_terms.c, the canonical
 * writer policy_write.c. */
#include "model.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated at build time from policies/beijing-2024-trial.json (policies/embed.py). */
extern const unsigned char esv_default_policy_json[];
extern const size_t esv_default_policy_json_len;

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
    if (rc == EMBEDSVC_OK)
        rc = esv_policy_read(p, data, len, root, err);
    esv_json_free(json);
    if (rc != EMBEDSVC_OK) {
        embedsvc_policy_free(p);
        return rc;
    }
    static atomic_uint_fast64_t serials;
    p->serial = atomic_fetch_add(&serials, 1) + 1;
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
        return index < p->n_items ? p->items[index].aliases.n : 0;
    return index < p->n_scenarios ? p->scenarios[index].aliases.n : 0;
}

const char *embedsvc_policy_alias(const embedsvc_policy *p, int is_item, size_t index, size_t alias)
{
    if (alias >= embedsvc_policy_alias_count(p, is_item, index))
        return NULL;
    return is_item ? p->items[index].aliases.v[alias].s : p->scenarios[index].aliases.v[alias].s;
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

size_t embedsvc_policy_non_service_count(const embedsvc_policy *p)
{
    return p ? p->non_service.n : 0;
}

const char *embedsvc_policy_non_service_term(const embedsvc_policy *p, size_t index)
{
    return p && index < p->non_service.n ? p->non_service.v[index].s : NULL;
}
