/* The canonical embedsvc.policy/1 writer (reference §8): two-space indented, keys in the order
 * of the reference, loading back to an equal policy. */
#include "model.h"

#include <string.h>

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

static void pw_aliases(pw *w, const esv_texts *a)
{
    pw_lit(w, "[");
    for (size_t i = 0; i < a->n; i++) {
        if (i)
            pw_lit(w, ", ");
        pw_str(w, &a->v[i]);
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
        pw_aliases(&w, &s->aliases);
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
        pw_aliases(&w, &it->aliases);
        pw_lit(&w, "\n    }");
    }
    pw_lit(&w, p->n_items ? "\n  ]" : "]");
    if (p->non_service.n) { /* optional (reference §8): written only when the policy lists some */
        pw_key(&w, "  ", "non_service_terms", false);
        pw_aliases(&w, &p->non_service);
    }
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
    if (p->has_max_margin) { /* optional: written only when set, so reference §8 readers load the default */
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
