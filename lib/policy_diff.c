/* What changed between two policies (include/embedsvc/diff.h). Both policies are written as canonical
 * JSON and the two trees compared with the meaning of the policy file: scenarios and classes by
 * code, items by name_zh, lists of names as sets. Knowing nothing else about the keys, a key added to
 * the format later (non_service_terms …) is compared too: as a set of names when it is a list of
 * strings, else as a whole. */
#include "authoring.h"
#include "model.h"

#include <string.h>

typedef struct diff_entry {
    char *path;
    const char *change;
    char *before, *after; /* compact JSON or NULL */
    const char *cite;
} diff_entry;

struct embedsvc_policy_diff {
    esv_alloc al;
    diff_entry *e;
    size_t n, cap;
    esv_buf json;
};

typedef struct differ {
    embedsvc_policy_diff *d;
    esv_buf path;
    bool ok;
} differ;

static char *json_text(differ *x, const esv_jval *v)
{
    if (!v)
        return NULL;
    esv_buf t = {0};
    esv_out o = {&t, &x->d->al, true};
    esv_json_write_value(&o, v);
    if (!o.ok) {
        esv_buf_free(&t, &x->d->al);
        x->ok = false;
        return NULL;
    }
    return t.data;
}

static void add(differ *x, const char *change, const esv_jval *before, const esv_jval *after, const char *cite)
{
    if (!x->ok)
        return;
    embedsvc_policy_diff *d = x->d;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        diff_entry *e = esv_realloc(&d->al, d->e, cap * sizeof(diff_entry));
        if (!e) {
            x->ok = false;
            return;
        }
        d->e = e;
        d->cap = cap;
    }
    diff_entry *e = &d->e[d->n];
    *e = (diff_entry){NULL, change, NULL, NULL, cite};
    e->path = esv_malloc(&d->al, x->path.len + 1);
    if (e->path) {
        memcpy(e->path, x->path.data, x->path.len);
        e->path[x->path.len] = '\0';
    }
    e->before = json_text(x, before);
    e->after = json_text(x, after);
    d->n++; /* freed with the rest even when a copy failed */
    if (!e->path || (before && !e->before) || (after && !e->after))
        x->ok = false;
}

static size_t push(differ *x, const char *key, size_t len)
{
    size_t old = x->path.len;
    if (!esv_json_pointer_append(&x->path, &x->d->al, key, len))
        x->ok = false;
    return old;
}

static void pop(differ *x, size_t old)
{
    if (x->path.data && old <= x->path.len) {
        x->path.len = old;
        x->path.data[old] = '\0';
    }
}

static bool same(differ *x, const esv_jval *a, const esv_jval *b)
{
    char *ta = json_text(x, a), *tb = json_text(x, b);
    bool eq = ta && tb && strcmp(ta, tb) == 0;
    esv_free(&x->d->al, ta);
    esv_free(&x->d->al, tb);
    return eq;
}

static bool string_list(const esv_jval *v)
{
    if (!v || v->type != ESV_JARRAY)
        return false;
    for (const esv_jval *e = v->child; e; e = e->next)
        if (e->type != ESV_JSTRING)
            return false;
    return true;
}

static bool list_has(const esv_jval *list, const esv_jval *s)
{
    for (const esv_jval *e = list->child; e; e = e->next)
        if (e->len == s->len && memcmp(e->str, s->str, s->len) == 0)
            return true;
    return false;
}

/* Two lists of names as sets: one difference per name removed (in a's order), then per name added. */
static void diff_set(differ *x, const esv_jval *a, const esv_jval *b, const char *cite)
{
    for (const esv_jval *e = a->child; e; e = e->next)
        if (!list_has(b, e))
            add(x, "removed", e, NULL, cite);
    for (const esv_jval *e = b->child; e; e = e->next)
        if (!list_has(a, e))
            add(x, "added", NULL, e, cite);
}

static void diff_value(differ *x, const esv_jval *a, const esv_jval *b, const char *cite)
{
    if (!a)
        add(x, "added", NULL, b, cite);
    else if (!b)
        add(x, "removed", a, NULL, cite);
    else if (string_list(a) && string_list(b))
        diff_set(x, a, b, cite);
    else if (!same(x, a, b))
        add(x, "changed", a, b, cite);
}

/* The section of the policy text a value belongs to (reference §1-§3), by its place in the file. */
static const char *cite_of(const char *top, const esv_jval *m)
{
    if (strcmp(top, "scenarios") == 0 || strcmp(top, "items") == 0)
        return "四、1";
    if (strcmp(top, "subsidy") == 0)
        return "三、(二)";
    if (strcmp(top, "classes") == 0) {
        bool rate = m && ((m->key_len == 7 && memcmp(m->key, "rate_bp", 7) == 0) ||
                          (m->key_len == 11 && memcmp(m->key, "rate_is_max", 11) == 0));
        return rate ? "三、(二)" : "四、1";
    }
    if (strcmp(top, "rules") == 0 && m) {
        static const struct {
            const char *key, *cite;
        } rules[] = {{"min_functions", "四、1"},        {"min_core_functions", "四、1"},
                     {"preferred_severity", "四、1"},   {"subsidy_build_modes", "三、(二)"},
                     {"max_walk_minutes", "三、(一)"}, {"max_operating_margin_bp", "三、(三)"}};
        for (size_t i = 0; i < ESV_ARRAY_LEN(rules); i++)
            if (strlen(rules[i].key) == m->key_len && memcmp(rules[i].key, m->key, m->key_len) == 0)
                return rules[i].cite;
    }
    return NULL;
}

/* Members of two objects: a's keys in order, then the keys only b has. */
static void diff_object(differ *x, const char *top, const esv_jval *a, const esv_jval *b)
{
    for (const esv_jval *m = a->child; m; m = m->next) {
        size_t old = push(x, m->key, m->key_len);
        diff_value(x, m, esv_json_member(b, m->key, m->key_len), cite_of(top, m));
        pop(x, old);
    }
    for (const esv_jval *m = b->child; m; m = m->next)
        if (!esv_json_member(a, m->key, m->key_len)) {
            size_t old = push(x, m->key, m->key_len);
            diff_value(x, NULL, m, cite_of(top, m));
            pop(x, old);
        }
}

static const esv_jval *find_by(const esv_jval *list, const char *key, const esv_jval *name)
{
    for (const esv_jval *e = list->child; e; e = e->next) {
        const esv_jval *k = esv_json_member(e, key, strlen(key));
        if (k && k->type == ESV_JSTRING && k->len == name->len && memcmp(k->str, name->str, name->len) == 0)
            return e;
    }
    return NULL;
}

/* Lists of objects matched by a key (scenarios and classes by code, items by name_zh). */
static void diff_keyed(differ *x, const char *top, const char *key, const esv_jval *a, const esv_jval *b)
{
    for (int pass = 0; pass < 2; pass++) {
        const esv_jval *from = pass ? b : a, *other = pass ? a : b;
        for (const esv_jval *e = from->child; e; e = e->next) {
            const esv_jval *name = esv_json_member(e, key, strlen(key));
            if (!name || name->type != ESV_JSTRING)
                continue;
            const esv_jval *match = find_by(other, key, name);
            if (pass == 1 && match)
                continue; /* compared in the first pass */
            size_t old = push(x, name->str, name->len);
            if (!match)
                add(x, pass ? "added" : "removed", pass ? NULL : e, pass ? e : NULL, cite_of(top, NULL));
            else
                diff_object(x, top, e, match);
            pop(x, old);
        }
    }
}

static void diff_top(differ *x, const esv_jval *m, const esv_jval *other)
{
    char top[32] = "";
    if (m->key_len < sizeof(top))
        memcpy(top, m->key, m->key_len);
    size_t old = push(x, m->key, m->key_len);
    const char *key = strcmp(top, "items") == 0 ? "name_zh" : "code";
    bool keyed = strcmp(top, "scenarios") == 0 || strcmp(top, "classes") == 0 || strcmp(top, "items") == 0;
    if (other && keyed && m->type == ESV_JARRAY && other->type == ESV_JARRAY)
        diff_keyed(x, top, key, m, other);
    else if (other && m->type == ESV_JOBJECT && other->type == ESV_JOBJECT)
        diff_object(x, top, m, other);
    else
        diff_value(x, other ? m : NULL, other ? other : m, cite_of(top, NULL));
    pop(x, old);
}

static char *canonical(const embedsvc_policy *p, const esv_alloc *al, size_t *len, int *rc)
{
    *rc = embedsvc_policy_to_json(p, NULL, 0, len);
    if (*rc != EMBEDSVC_ERANGE && *rc != EMBEDSVC_OK)
        return NULL;
    char *s = esv_malloc(al, *len + 1);
    if (!s) {
        *rc = EMBEDSVC_ENOMEM;
        return NULL;
    }
    *rc = embedsvc_policy_to_json(p, s, *len + 1, NULL);
    if (*rc != EMBEDSVC_OK) {
        esv_free(al, s);
        return NULL;
    }
    return s;
}

static void put(esv_out *o, const char *s)
{
    esv_out_put(o, s, strlen(s));
}

static void put_raw_or_null(esv_out *o, const char *json)
{
    put(o, json ? json : "null");
}

static void put_stamp(esv_out *o, const esv_jval *root)
{
    const esv_jval *id = esv_json_member(root, "id", 2), *version = esv_json_member(root, "version", 7);
    put(o, "{\"id\":");
    esv_out_json_string(o, id->str, id->len);
    put(o, ",\"version\":");
    esv_out_json_string(o, version->str, version->len);
    put(o, "}");
}

void embedsvc_policy_diff_free(embedsvc_policy_diff *d)
{
    if (!d)
        return;
    esv_alloc al = d->al;
    for (size_t i = 0; i < d->n; i++) {
        esv_free(&al, d->e[i].path);
        esv_free(&al, d->e[i].before);
        esv_free(&al, d->e[i].after);
    }
    esv_free(&al, d->e);
    esv_buf_free(&d->json, &al);
    esv_free(&al, d);
}

int embedsvc_policy_diff_new(const embedsvc_policy *a, const embedsvc_policy *b, const embedsvc_allocator *alloc,
                             embedsvc_policy_diff **out, embedsvc_error *err)
{
    if (out)
        *out = NULL;
    if (!a || !b || !out)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "incomplete allocator");
    int rc = EMBEDSVC_OK;
    size_t la = 0, lb = 0;
    char *ja = canonical(a, &al, &la, &rc), *jb = NULL;
    if (ja)
        jb = canonical(b, &al, &lb, &rc);
    esv_json *pa = esv_json_new(&al), *pb = esv_json_new(&al);
    embedsvc_policy_diff *d = esv_calloc(&al, 1, sizeof(*d));
    differ x = {d, {0}, true};
    const esv_jval *ra, *rb;
    if (!ja || !jb || !pa || !pb || !d || esv_json_parse(pa, ja, la, &ra, NULL) != EMBEDSVC_OK ||
        esv_json_parse(pb, jb, lb, &rb, NULL) != EMBEDSVC_OK || !esv_buf_reserve(&x.path, &al, 64)) {
        rc = EMBEDSVC_ENOMEM;
        goto done;
    }
    d->al = al;
    x.path.data[0] = '\0';
    for (const esv_jval *m = ra->child; m; m = m->next)
        if (!(m->key_len == 6 && memcmp(m->key, "schema", 6) == 0))
            diff_top(&x, m, esv_json_member(rb, m->key, m->key_len));
    for (const esv_jval *m = rb->child; m; m = m->next)
        if (!esv_json_member(ra, m->key, m->key_len))
            diff_top(&x, m, NULL);
    /* the JSON form */
    esv_out o = {&d->json, &al, x.ok};
    put(&o, "{\"schema\":\"embedsvc.policy-diff/1\",\"a\":");
    put_stamp(&o, ra);
    put(&o, ",\"b\":");
    put_stamp(&o, rb);
    put(&o, d->n ? ",\"same\":false,\"changes\":[" : ",\"same\":true,\"changes\":[");
    for (size_t i = 0; i < d->n; i++) {
        const diff_entry *e = &d->e[i];
        put(&o, i ? ",{\"path\":" : "{\"path\":");
        esv_out_json_string(&o, e->path ? e->path : "", e->path ? strlen(e->path) : 0);
        put(&o, ",\"change\":\"");
        put(&o, e->change);
        put(&o, "\",\"before\":");
        put_raw_or_null(&o, e->before);
        put(&o, ",\"after\":");
        put_raw_or_null(&o, e->after);
        put(&o, ",\"cite\":");
        if (e->cite)
            esv_out_json_string(&o, e->cite, strlen(e->cite));
        else
            put(&o, "null");
        put(&o, "}");
    }
    put(&o, "]}\n");
    if (!o.ok)
        rc = EMBEDSVC_ENOMEM;
done:
    esv_buf_free(&x.path, &al);
    esv_free(&al, ja);
    esv_free(&al, jb);
    esv_json_free(pa);
    esv_json_free(pb);
    if (rc != EMBEDSVC_OK) {
        if (d)
            d->al = al;
        embedsvc_policy_diff_free(d);
        return esv_error_set(err, rc, rc == EMBEDSVC_ENOMEM ? "nomem" : "invalid_argument",
                             rc == EMBEDSVC_ENOMEM ? "out of memory" : "the policies cannot be written");
    }
    *out = d;
    return EMBEDSVC_OK;
}

size_t embedsvc_policy_diff_count(const embedsvc_policy_diff *d)
{
    return d ? d->n : 0;
}

const char *embedsvc_policy_diff_path(const embedsvc_policy_diff *d, size_t i)
{
    return d && i < d->n ? d->e[i].path : NULL;
}

const char *embedsvc_policy_diff_change(const embedsvc_policy_diff *d, size_t i)
{
    return d && i < d->n ? d->e[i].change : NULL;
}

const char *embedsvc_policy_diff_before(const embedsvc_policy_diff *d, size_t i)
{
    return d && i < d->n ? d->e[i].before : NULL;
}

const char *embedsvc_policy_diff_after(const embedsvc_policy_diff *d, size_t i)
{
    return d && i < d->n ? d->e[i].after : NULL;
}

const char *embedsvc_policy_diff_cite(const embedsvc_policy_diff *d, size_t i)
{
    return d && i < d->n ? d->e[i].cite : NULL;
}

const char *embedsvc_policy_diff_to_json(const embedsvc_policy_diff *d, size_t *len)
{
    if (!d)
        return NULL;
    if (len)
        *len = d->json.len;
    return d->json.data;
}
