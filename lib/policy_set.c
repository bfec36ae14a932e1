/* Policy sets (include/embedsvc/policyset.h): versions of one policy with non-overlapping windows of
 * dates, and the version in force on a date. Dates are YYYY-MM-DD, so their byte order is their
 * calendar order. */
#include "authoring.h"
#include "model.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct embedsvc_policy_set {
    esv_alloc al;
    embedsvc_policy **v; /* ordered by effective_from, an open start first */
    size_t n, cap;
};

int embedsvc_policy_set_new(const embedsvc_allocator *alloc, embedsvc_policy_set **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_policy_set *s = esv_calloc(&al, 1, sizeof(*s));
    if (!s)
        return EMBEDSVC_ENOMEM;
    s->al = al;
    *out = s;
    return EMBEDSVC_OK;
}

void embedsvc_policy_set_free(embedsvc_policy_set *s)
{
    if (!s)
        return;
    esv_alloc al = s->al;
    for (size_t i = 0; i < s->n; i++)
        embedsvc_policy_free(s->v[i]);
    esv_free(&al, s->v);
    esv_free(&al, s);
}

/* NULL (open) sorts before every date as a start, after every date as an end. */
static int cmp_from(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b ? 0 : !a ? -1 : 1;
    return strcmp(a, b);
}

static const char *from_of(const embedsvc_policy *p)
{
    return embedsvc_policy_text(p, "effective_from");
}

static const char *to_of(const embedsvc_policy *p)
{
    return embedsvc_policy_text(p, "effective_to");
}

/* start <= end, with open bounds */
static bool not_after(const char *start, const char *end)
{
    return !start || !end || strcmp(start, end) <= 0;
}

static bool overlap(const embedsvc_policy *a, const embedsvc_policy *b)
{
    return not_after(from_of(a), to_of(b)) && not_after(from_of(b), to_of(a));
}

static void window(const embedsvc_policy *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s to %s", from_of(p) ? from_of(p) : "(open)", to_of(p) ? to_of(p) : "(open)");
}

static int invalid(embedsvc_error *err, const char *path, const char *name, const char *msg)
{
    esv_error_set(err, EMBEDSVC_EPOLICY, "policy.invalid", "%s%s%s", name ? name : "", name ? ": " : "", msg);
    esv_error_path(err, path, strlen(path));
    return EMBEDSVC_EPOLICY;
}

int embedsvc_policy_set_add(embedsvc_policy_set *s, embedsvc_policy *p, const char *name, embedsvc_error *err)
{
    if (!s || !p)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    const char *id = embedsvc_policy_text(p, "id"), *version = embedsvc_policy_text(p, "version");
    for (size_t i = 0; i < s->n; i++) {
        const embedsvc_policy *q = s->v[i];
        char msg[EMBEDSVC_ERROR_MESSAGE_SIZE];
        if (strcmp(embedsvc_policy_text(q, "id"), id) != 0) {
            snprintf(msg, sizeof(msg), "a policy set holds versions of one policy: \"%.60s\" is not \"%.60s\"", id,
                     embedsvc_policy_text(q, "id"));
            return invalid(err, "/id", name, msg);
        }
        if (strcmp(embedsvc_policy_text(q, "version"), version) == 0) {
            snprintf(msg, sizeof(msg), "version \"%.60s\" of \"%.60s\" is already in the set", version, id);
            return invalid(err, "/version", name, msg);
        }
    }
    for (size_t i = 0; i < s->n; i++)
        if (overlap(p, s->v[i])) {
            char wa[64], wb[64], msg[2 * EMBEDSVC_ERROR_MESSAGE_SIZE];
            window(p, wa, sizeof(wa));
            window(s->v[i], wb, sizeof(wb));
            snprintf(msg, sizeof(msg), "the windows of version %.40s (%s) and version %.40s (%s) overlap", version, wa,
                     embedsvc_policy_text(s->v[i], "version"), wb);
            return invalid(err, "/effective_from", name, msg);
        }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        embedsvc_policy **v = esv_realloc(&s->al, s->v, cap * sizeof(*v));
        if (!v)
            return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
        s->v = v;
        s->cap = cap;
    }
    size_t at = s->n;
    while (at > 0 && cmp_from(from_of(s->v[at - 1]), from_of(p)) > 0) {
        s->v[at] = s->v[at - 1];
        at--;
    }
    s->v[at] = p;
    s->n++;
    return EMBEDSVC_OK;
}

static bool policy_file_name(const char *n)
{
    size_t len = strlen(n);
    return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".json") == 0 &&
           !(len > 11 && strcmp(n + len - 11, ".tests.json") == 0);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int embedsvc_policy_set_load_dir(const char *dir, const embedsvc_allocator *alloc, embedsvc_policy_set **out,
                                 embedsvc_error *err)
{
    if (out)
        *out = NULL;
    if (!dir || !out)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    embedsvc_policy_set *s = NULL;
    int rc = embedsvc_policy_set_new(alloc, &s);
    if (rc != EMBEDSVC_OK)
        return esv_error_set(err, rc, rc == EMBEDSVC_ENOMEM ? "nomem" : "invalid_argument",
                             rc == EMBEDSVC_ENOMEM ? "out of memory" : "incomplete allocator");
    DIR *d = opendir(dir);
    if (!d) {
        embedsvc_policy_set_free(s);
        return esv_error_set(err, EMBEDSVC_EIO, "io", "cannot open the directory %.200s", dir);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while (rc == EMBEDSVC_OK && (e = readdir(d)) != NULL) {
        if (!policy_file_name(e->d_name))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            char **nn = esv_realloc(&s->al, names, nc * sizeof(char *));
            if (!nn) {
                rc = EMBEDSVC_ENOMEM;
                break;
            }
            names = nn;
            cap = nc;
        }
        size_t len = strlen(dir) + 1 + strlen(e->d_name);
        names[n] = esv_malloc(&s->al, len + 1);
        if (!names[n]) {
            rc = EMBEDSVC_ENOMEM;
            break;
        }
        snprintf(names[n], len + 1, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (rc == EMBEDSVC_ENOMEM)
        esv_error_set(err, rc, "nomem", "out of memory");
    else if (n == 0)
        rc = invalid(err, "", dir, "no policy file (*.json) in the directory");
    if (n)
        qsort(names, n, sizeof(char *), name_cmp);
    for (size_t i = 0; i < n && rc == EMBEDSVC_OK; i++) {
        embedsvc_policy *p = NULL;
        rc = embedsvc_policy_load_file(names[i], alloc, &p, err);
        if (rc == EMBEDSVC_OK) {
            rc = embedsvc_policy_set_add(s, p, names[i], err);
            if (rc != EMBEDSVC_OK)
                embedsvc_policy_free(p);
        } else if (err && err->size >= sizeof(embedsvc_error)) {
            /* name the file: its position and path stay as the loader gave them */
            char msg[2 * EMBEDSVC_ERROR_MESSAGE_SIZE];
            snprintf(msg, sizeof(msg), "%.200s: %s", names[i], err->message);
            embedsvc_error keep = *err;
            esv_error_set(err, keep.status, keep.code, "%s", msg); /* cuts on a character boundary */
            err->line = keep.line;
            err->column = keep.column;
            err->offset = keep.offset;
            memcpy(err->path, keep.path, sizeof(err->path));
        }
    }
    for (size_t i = 0; i < n; i++)
        esv_free(&s->al, names[i]);
    esv_free(&s->al, names);
    if (rc != EMBEDSVC_OK) {
        embedsvc_policy_set_free(s);
        return rc;
    }
    *out = s;
    return EMBEDSVC_OK;
}

size_t embedsvc_policy_set_count(const embedsvc_policy_set *s)
{
    return s ? s->n : 0;
}

const embedsvc_policy *embedsvc_policy_set_policy(const embedsvc_policy_set *s, size_t i)
{
    return s && i < s->n ? s->v[i] : NULL;
}

const embedsvc_policy *embedsvc_policy_set_select(const embedsvc_policy_set *s, const char *date, size_t len)
{
    if (!s || s->n == 0)
        return NULL;
    if (!date || len != 10 || !esv_date_valid(date, len))
        return s->v[s->n - 1]; /* no date: the latest version */
    char d[11];
    memcpy(d, date, 10);
    d[10] = '\0';
    const embedsvc_policy *before = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const char *from = from_of(s->v[i]), *to = to_of(s->v[i]);
        bool started = !from || strcmp(from, d) <= 0;
        if (started && (!to || strcmp(d, to) <= 0))
            return s->v[i];
        if (started)
            before = s->v[i]; /* in force before the date; the latest such wins */
    }
    return before ? before : s->v[0];
}

const embedsvc_policy *embedsvc_policy_set_select_json(const embedsvc_policy_set *s, const char *data, size_t len)
{
    if (!s || s->n == 0)
        return NULL;
    const embedsvc_policy *latest = s->v[s->n - 1];
    esv_json *jp = esv_json_new(&s->al);
    if (!jp)
        return latest;
    const esv_jval *root;
    const embedsvc_policy *p = latest;
    if (esv_json_parse(jp, data ? data : "", data ? len : 0, &root, NULL) == EMBEDSVC_OK &&
        root->type == ESV_JOBJECT) {
        const esv_jval *date = esv_json_get(root, "application_date");
        if (date && date->type == ESV_JSTRING)
            p = embedsvc_policy_set_select(s, date->str, date->len);
    }
    esv_json_free(jp);
    return p;
}

int embedsvc_policy_set_evaluate(const embedsvc_policy_set *s, const embedsvc_project *project,
                                 embedsvc_result *result, embedsvc_error *err)
{
    if (!s || s->n == 0 || !project)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    const char *date = embedsvc_project_get_text(project, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_APPLICATION_DATE);
    const embedsvc_policy *p = embedsvc_policy_set_select(s, date, date ? strlen(date) : 0);
    return embedsvc_evaluate(p, project, result, err);
}
