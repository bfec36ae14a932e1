/* Policy derivation (embedsvc_policy_derive, include/embedsvc/derive.h): the base policy's canonical
 * JSON with a few values replaced, loaded and checked exactly as a policy file.
 *
 * The changes are checked first (unknown keys, JSON types: errors with positions in the changes
 * document); the values themselves are checked by the policy loader on the merged document, so a
 * derived policy can never be something a policy file could not be. */
#include "authoring.h"
#include "model.h"

#include <string.h>

/* Where a change goes in the policy document. */
enum { AT_TOP, AT_RULES, AT_SUBSIDY, AT_CLASSES };

/* JSON types a change accepts. */
enum { T_STRING = 1, T_NULL = 2, T_INTEGER = 4, T_BOOL = 8, T_ARRAY = 16, T_OBJECT = 32 };

enum {
    K_ID,
    K_VERSION,
    K_TITLE_ZH,
    K_TITLE_EN,
    K_EFFECTIVE_FROM,
    K_EFFECTIVE_TO,
    K_MIN_FUNCTIONS,
    K_MIN_CORE_FUNCTIONS,
    K_PREFERRED_SEVERITY,
    K_SUBSIDY_BUILD_MODES,
    K_MAX_WALK_MINUTES,
    K_CAP_FEN,
    K_CAP_ALLOCATION,
    K_RATES,
    K_RATE_IS_MAX,
    K_COUNT
};

/* In the order of the contract; the title suffix names the changed keys in this order. */
static const struct {
    const char *name;
    int at;
    unsigned types;
    const char *what; /* for parse.type */
} keys[K_COUNT] = {
    {"id", AT_TOP, T_STRING, "a string"},
    {"version", AT_TOP, T_STRING, "a string"},
    {"title_zh", AT_TOP, T_STRING, "a string"},
    {"title_en", AT_TOP, T_STRING, "a string"},
    {"effective_from", AT_TOP, T_STRING | T_NULL, "a date string or null"},
    {"effective_to", AT_TOP, T_STRING | T_NULL, "a date string or null"},
    {"min_functions", AT_RULES, T_INTEGER, "an integer"},
    {"min_core_functions", AT_RULES, T_INTEGER, "an integer"},
    {"preferred_severity", AT_RULES, T_STRING, "a string"},
    {"subsidy_build_modes", AT_RULES, T_ARRAY, "an array of build mode codes"},
    {"max_walk_minutes", AT_RULES, T_INTEGER | T_NULL, "an integer or null"},
    {"cap_fen", AT_SUBSIDY, T_INTEGER | T_NULL, "an integer or null"},
    {"cap_allocation", AT_SUBSIDY, T_STRING, "a string"},
    {"rates", AT_CLASSES, T_OBJECT, "an object of class code to rate_bp"},
    {"rate_is_max", AT_CLASSES, T_OBJECT, "an object of class code to boolean"},
};

typedef struct derive {
    const esv_jval *val[K_COUNT];                           /* the given changes */
    const esv_jval *rate[EMBEDSVC_CLASS_COUNT];             /* rates by class */
    const esv_jval *rate_is_max[EMBEDSVC_CLASS_COUNT];      /* rate_is_max by class */
    esv_out *o;
} derive;

static bool type_ok(const esv_jval *v, unsigned types)
{
    switch (v->type) {
    case ESV_JNULL:
        return types & T_NULL;
    case ESV_JTRUE:
    case ESV_JFALSE:
        return types & T_BOOL;
    case ESV_JNUMBER:
        return types & T_INTEGER; /* the integer pattern and range are the loader's checks */
    case ESV_JSTRING:
        return types & T_STRING;
    case ESV_JARRAY:
        return types & T_ARRAY;
    case ESV_JOBJECT:
        return types & T_OBJECT;
    }
    return false;
}

static int class_code(const char *s, size_t len)
{
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        const char *code = embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c);
        if (strlen(code) == len && memcmp(code, s, len) == 0)
            return c;
    }
    return -1;
}

/* Reads a per-class object (rates, rate_is_max). */
static int read_per_class(const esv_walk *w, const esv_path *path, const esv_jval *obj, unsigned type,
                          const char *what, const esv_jval **out)
{
    for (const esv_jval *m = obj->child; m; m = m->next) {
        esv_path mp = {path, m->key, m->key_len, 0};
        int c = class_code(m->key, m->key_len);
        if (c < 0)
            return esv_walk_fail(w, &mp, m->key_offset, "parse.unknown_field",
                                 "unknown class \"%.64s\" (expected basic_public, inclusive or commercial)", m->key);
        if (!type_ok(m, type))
            return esv_walk_type_error(w, &mp, m, what);
        out[c] = m;
    }
    return EMBEDSVC_OK;
}

/* The checks of the changes document, member by member in document order (reference §10). */
static int read_changes(derive *d, const esv_walk *w, const esv_jval *root)
{
    if (root->type != ESV_JOBJECT)
        return esv_walk_type_error(w, NULL, root, "an object of changes");
    for (const esv_jval *m = root->child; m; m = m->next) {
        esv_path mp = {NULL, m->key, m->key_len, 0};
        int k = -1;
        for (int i = 0; i < K_COUNT && k < 0; i++)
            if (strlen(keys[i].name) == m->key_len && memcmp(keys[i].name, m->key, m->key_len) == 0)
                k = i;
        if (k < 0)
            return esv_walk_unknown(w, &mp, m);
        if (!type_ok(m, keys[k].types))
            return esv_walk_type_error(w, &mp, m, keys[k].what);
        if (k == K_SUBSIDY_BUILD_MODES) {
            size_t i = 0;
            for (const esv_jval *e = m->child; e; e = e->next, i++) {
                esv_path ep = {&mp, NULL, 0, i};
                if (e->type != ESV_JSTRING)
                    return esv_walk_type_error(w, &ep, e, "a build mode code");
            }
        } else if (k == K_RATES) {
            int rc = read_per_class(w, &mp, m, T_INTEGER, "an integer rate_bp", d->rate);
            if (rc != EMBEDSVC_OK)
                return rc;
        } else if (k == K_RATE_IS_MAX) {
            int rc = read_per_class(w, &mp, m, T_BOOL, "a boolean", d->rate_is_max);
            if (rc != EMBEDSVC_OK)
                return rc;
        }
        d->val[k] = m;
    }
    return EMBEDSVC_OK;
}

/* ---- writing the merged document (compact JSON) ---- */

static void put(derive *d, const char *s)
{
    esv_out_put(d->o, s, strlen(s));
}

static void put_value(derive *d, const esv_jval *v)
{
    esv_json_write_value(d->o, v);
}

static bool key_is(const esv_jval *m, const char *key)
{
    return strlen(key) == m->key_len && memcmp(key, m->key, m->key_len) == 0;
}

/* The index of the change that replaces member m of a section, or -1. */
static int change_for(const derive *d, int at, const esv_jval *m)
{
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].at == at && d->val[k] && key_is(m, keys[k].name))
            return k;
    return -1;
}

static void put_key(derive *d, const char *key, size_t len, bool *first)
{
    if (!*first)
        put(d, ",");
    *first = false;
    esv_out_json_string(d->o, key, len);
    put(d, ":");
}

/* The suffix of a derived title: the changed keys other than id, version and the titles. */
static void put_title(derive *d, const esv_jval *base, bool zh)
{
    esv_buf t = {0};
    esv_out o = {&t, d->o->al, true};
    esv_out_put(&o, base->str, base->len);
    const char *open = zh ? "（调整" : " (derived", *close = zh ? "）" : ")";
    esv_out_put(&o, open, strlen(open));
    bool first = true;
    for (int k = K_EFFECTIVE_FROM; k < K_COUNT; k++)
        if (d->val[k]) {
            const char *sep = first ? (zh ? "：" : ": ") : (zh ? "、" : ", ");
            esv_out_put(&o, sep, strlen(sep));
            esv_out_put(&o, keys[k].name, strlen(keys[k].name));
            first = false;
        }
    esv_out_put(&o, close, strlen(close));
    if (o.ok)
        esv_out_json_string(d->o, t.data, t.len);
    else
        d->o->ok = false;
    esv_buf_free(&t, d->o->al);
}

/* "<base version>+derived" */
static void put_version(derive *d, const esv_jval *base)
{
    esv_buf t = {0};
    esv_out o = {&t, d->o->al, true};
    esv_out_put(&o, base->str, base->len);
    esv_out_put(&o, "+derived", 8);
    if (o.ok)
        esv_out_json_string(d->o, t.data, t.len);
    else
        d->o->ok = false;
    esv_buf_free(&t, d->o->al);
}

static void put_section(derive *d, const esv_jval *obj, int at)
{
    put(d, "{");
    bool first = true;
    for (const esv_jval *m = obj->child; m; m = m->next) {
        put_key(d, m->key, m->key_len, &first);
        int k = change_for(d, at, m);
        if (k >= 0)
            put_value(d, d->val[k]);
        else
            put_value(d, m);
    }
    /* a change of a key the base's canonical form leaves out (none today, but the form may grow) */
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].at == at && d->val[k] && !esv_json_get(obj, keys[k].name)) {
            put_key(d, keys[k].name, strlen(keys[k].name), &first);
            put_value(d, d->val[k]);
        }
    put(d, "}");
}

static void put_classes(derive *d, const esv_jval *arr)
{
    if (arr->type != ESV_JARRAY) {
        put_value(d, arr);
        return;
    }
    put(d, "[");
    for (const esv_jval *e = arr->child; e; e = e->next) {
        const esv_jval *code = e->type == ESV_JOBJECT ? esv_json_get(e, "code") : NULL;
        int c = code && code->type == ESV_JSTRING ? class_code(code->str, code->len) : -1;
        if (c < 0) {
            put_value(d, e);
        } else {
            put(d, "{");
            bool first = true;
            for (const esv_jval *m = e->child; m; m = m->next) {
                put_key(d, m->key, m->key_len, &first);
                if (key_is(m, "rate_bp") && d->rate[c])
                    put_value(d, d->rate[c]);
                else if (key_is(m, "rate_is_max") && d->rate_is_max[c])
                    put_value(d, d->rate_is_max[c]);
                else
                    put_value(d, m);
            }
            put(d, "}");
        }
        if (e->next)
            put(d, ",");
    }
    put(d, "]");
}

static void put_policy(derive *d, const esv_jval *root)
{
    put(d, "{");
    bool first = true;
    for (const esv_jval *m = root->child; m; m = m->next) {
        put_key(d, m->key, m->key_len, &first);
        int k = change_for(d, AT_TOP, m);
        if (k >= 0)
            put_value(d, d->val[k]);
        else if (key_is(m, "rules") && m->type == ESV_JOBJECT)
            put_section(d, m, AT_RULES);
        else if (key_is(m, "subsidy") && m->type == ESV_JOBJECT)
            put_section(d, m, AT_SUBSIDY);
        else if (key_is(m, "classes"))
            put_classes(d, m);
        else if (key_is(m, "version") && m->type == ESV_JSTRING)
            put_version(d, m);
        else if ((key_is(m, "title_zh") || key_is(m, "title_en")) && m->type == ESV_JSTRING)
            put_title(d, m, key_is(m, "title_zh"));
        else
            put_value(d, m);
    }
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].at == AT_TOP && d->val[k] && !esv_json_get(root, keys[k].name)) {
            put_key(d, keys[k].name, strlen(keys[k].name), &first);
            put_value(d, d->val[k]);
        }
    put(d, "}");
}

int embedsvc_policy_derive(const embedsvc_policy *base, const char *changes, size_t len,
                           const embedsvc_allocator *alloc, embedsvc_policy **out, embedsvc_error *err)
{
    if (out)
        *out = NULL;
    if (!base || !out || (!changes && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "incomplete allocator");

    int rc = EMBEDSVC_OK;
    char *base_json = NULL;
    size_t base_len = 0;
    esv_buf merged = {0};
    esv_json *cp = esv_json_new(&al), *bp = esv_json_new(&al);
    if (!cp || !bp) {
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
        goto done;
    }

    /* 1. the changes */
    const esv_jval *croot;
    rc = esv_json_parse(cp, changes ? changes : "", len, &croot, err);
    if (rc != EMBEDSVC_OK)
        goto done;
    derive d = {{NULL}, {NULL}, {NULL}, NULL};
    esv_walk w = {changes, len, err};
    rc = read_changes(&d, &w, croot);
    if (rc != EMBEDSVC_OK)
        goto done;

    /* 2. the base as canonical JSON, parsed */
    rc = embedsvc_policy_to_json(base, NULL, 0, &base_len);
    if (rc != EMBEDSVC_ERANGE && rc != EMBEDSVC_OK) {
        rc = esv_error_set(err, rc, rc == EMBEDSVC_ENOMEM ? "nomem" : "invalid_argument",
                           "the base policy cannot be written");
        goto done;
    }
    base_json = esv_malloc(&al, base_len + 1);
    if (!base_json) {
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
        goto done;
    }
    rc = embedsvc_policy_to_json(base, base_json, base_len + 1, NULL);
    if (rc != EMBEDSVC_OK) {
        rc = esv_error_set(err, rc, rc == EMBEDSVC_ENOMEM ? "nomem" : "invalid_argument",
                           "the base policy cannot be written");
        goto done;
    }
    const esv_jval *broot;
    rc = esv_json_parse(bp, base_json, base_len, &broot, err);
    if (rc != EMBEDSVC_OK) /* the canonical form always parses; only ENOMEM gets here */
        goto done;

    /* 3. merged, then loaded as a policy file */
    esv_out o = {&merged, &al, true};
    d.o = &o;
    put_policy(&d, broot);
    if (!o.ok) {
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
        goto done;
    }
    rc = embedsvc_policy_load_buffer(merged.data, merged.len, alloc, out, err);
    if (rc != EMBEDSVC_OK && rc != EMBEDSVC_ENOMEM && err && err->size >= sizeof(embedsvc_error)) {
        /* positions in a document the caller never saw: keep the path, drop the position */
        err->line = 0;
        err->column = 0;
        err->offset = 0;
        char msg[EMBEDSVC_ERROR_MESSAGE_SIZE], code[EMBEDSVC_ERROR_CODE_SIZE], path[EMBEDSVC_ERROR_PATH_SIZE];
        memcpy(msg, err->message, sizeof(msg));
        memcpy(code, err->code, sizeof(code));
        memcpy(path, err->path, sizeof(path));
        esv_error_set(err, rc, code, "derived policy: %s", msg);
        memcpy(err->path, path, sizeof(path));
    }

done:
    esv_buf_free(&merged, &al);
    esv_free(&al, base_json);
    esv_json_free(cp);
    esv_json_free(bp);
    return rc;
}
