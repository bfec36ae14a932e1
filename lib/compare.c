/* Policy comparison (issue 10): one portfolio evaluated under several policies in one pass, with
 * totals per policy, per district and the projects that change against the baseline (policy 0);
 * written as JSON rows. The readable reports (text, HTML with charts) are built on the public
 * accessors in report/, outside the library. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NV 16 /* value kinds of embedsvc_compare_value */
#define NP EMBEDSVC_COMPARE_MAX_POLICIES

/* The value kinds in the order of embedsvc_compare_value: one list gives their names and the
 * members `,"name":` of the JSON rows, so that a row is written without measuring a key. */
#define VALUE_KINDS(X)                                                                          \
    X(projects) X(eligible) X(subsidy_eligible) X(capped) X(total_fen) X(basic_public_fen)      \
    X(inclusive_fen) X(commercial_fen) X(lost_eligible) X(gained_eligible)                      \
    X(lost_subsidy_eligible) X(gained_subsidy_eligible) X(subsidy_down) X(subsidy_up) X(changed) \
    X(delta_fen)
#define VALUE_NAME(k) #k,
#define VALUE_MEMBER(k) ESV_FRAG(",\"" #k "\":"),
static const char *const value_names[] = {VALUE_KINDS(VALUE_NAME)};
static const esv_frag value_members[] = {VALUE_KINDS(VALUE_MEMBER)};
_Static_assert(ESV_ARRAY_LEN(value_names) == NV, "a name for each value kind");

/* Kinds that are 0 or 1 for one project (booleans in the rows of `changes`). */
static const bool value_is_flag[NV] = {
    [EMBEDSVC_COMPARE_ELIGIBLE] = true,
    [EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE] = true,
    [EMBEDSVC_COMPARE_CAPPED] = true,
    [EMBEDSVC_COMPARE_LOST_ELIGIBLE] = true,
    [EMBEDSVC_COMPARE_GAINED_ELIGIBLE] = true,
    [EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE] = true,
    [EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE] = true,
    [EMBEDSVC_COMPARE_SUBSIDY_DOWN] = true,
    [EMBEDSVC_COMPARE_SUBSIDY_UP] = true,
    [EMBEDSVC_COMPARE_CHANGED] = true,
};

typedef struct cmp_district {
    const char *name; /* NULL: the projects without a district */
    size_t len;
    uint64_t hash;
} cmp_district;

typedef struct cmp_changed {
    const char *id, *name;
    size_t district;
    int64_t line;
} cmp_changed;

struct embedsvc_compare {
    esv_alloc al;
    size_t n; /* policies */
    const embedsvc_policy *policies[NP];
    embedsvc_result *results[NP];
    embedsvc_project *project;
    int64_t stats[3];
    int64_t first_line; /* the first line given, 0 before any */
    int64_t totals[NP * NV];
    esv_arena strings; /* district names, changed projects' ids and names */
    cmp_district *districts;
    int64_t *dvals; /* n_districts x n x NV */
    size_t n_districts, cap_districts;
    size_t *dhash; /* open addressing: district index + 1, 0 empty */
    size_t hash_cap;
    size_t no_district; /* index of the group without a district, or SIZE_MAX */
    cmp_changed *changed;
    int64_t *cvals; /* n_changed x n x NV */
    size_t n_changed, cap_changed;
    esv_buf json;
    uint32_t version; /* counts the calls that may change it, for embedsvc_compare_to_json_next() */
};

const char *embedsvc_compare_value_name(embedsvc_compare_value which)
{
    return (unsigned)which < NV ? value_names[which] : NULL;
}

int embedsvc_compare_new(const embedsvc_policy *const *policies, size_t n, const embedsvc_allocator *alloc,
                         embedsvc_compare **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    if (!policies || n == 0 || n > NP)
        return EMBEDSVC_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!policies[i])
            return EMBEDSVC_EINVAL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_compare *c = esv_calloc(&al, 1, sizeof(*c));
    if (!c)
        return EMBEDSVC_ENOMEM;
    c->al = al;
    c->n = n;
    c->no_district = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        c->policies[i] = policies[i];
    bool ok = embedsvc_project_new(alloc, &c->project) == EMBEDSVC_OK;
    for (size_t i = 0; ok && i < n; i++)
        ok = embedsvc_result_new(alloc, &c->results[i]) == EMBEDSVC_OK;
    if (!ok) {
        embedsvc_compare_free(c);
        return EMBEDSVC_ENOMEM;
    }
    *out = c;
    return EMBEDSVC_OK;
}

void embedsvc_compare_free(embedsvc_compare *c)
{
    if (!c)
        return;
    esv_alloc al = c->al;
    embedsvc_project_free(c->project);
    for (size_t i = 0; i < c->n; i++)
        embedsvc_result_free(c->results[i]);
    esv_arena_free(&c->strings, &al);
    esv_free(&al, c->districts);
    esv_free(&al, c->dvals);
    esv_free(&al, c->dhash);
    esv_free(&al, c->changed);
    esv_free(&al, c->cvals);
    esv_buf_free(&c->json, &al);
    esv_free(&al, c);
}

void embedsvc_compare_reset(embedsvc_compare *c)
{
    if (!c)
        return;
    memset(c->stats, 0, sizeof(c->stats));
    c->first_line = 0;
    memset(c->totals, 0, sizeof(c->totals));
    esv_arena_reset(&c->strings);
    c->n_districts = 0;
    c->no_district = SIZE_MAX;
    if (c->dhash)
        memset(c->dhash, 0, c->hash_cap * sizeof(size_t));
    c->n_changed = 0;
    c->version++;
}

/* ---- adding a project ---- */

/* Grows a table of rows (row_size bytes each) and its matrix of values (nvals per row) to
 * twice its capacity (`first` rows at first). On failure the capacity is unchanged and nothing leaks. */
static bool grow_table(const esv_alloc *al, void **rows, size_t row_size, int64_t **vals, size_t nvals, size_t *cap,
                       size_t first)
{
    size_t n = *cap ? *cap * 2 : first;
    if (n > SIZE_MAX / sizeof(int64_t) / nvals || n > SIZE_MAX / row_size)
        return false;
    void *r = esv_realloc(al, *rows, n * row_size);
    if (!r)
        return false;
    *rows = r;
    int64_t *v = esv_realloc(al, *vals, n * nvals * sizeof(int64_t));
    if (!v)
        return false;
    *vals = v;
    *cap = n;
    return true;
}

static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

/* The district's index, or SIZE_MAX when not seen yet. */
static size_t district_find(const embedsvc_compare *c, const esv_text *d, uint64_t h)
{
    if (!d->s)
        return c->no_district;
    if (!c->hash_cap)
        return SIZE_MAX;
    for (size_t i = (size_t)h & (c->hash_cap - 1);; i = (i + 1) & (c->hash_cap - 1)) {
        size_t k = c->dhash[i];
        if (!k)
            return SIZE_MAX;
        const cmp_district *x = &c->districts[k - 1];
        if (x->hash == h && x->name && x->len == d->len && memcmp(x->name, d->s, d->len) == 0)
            return k - 1;
    }
}

static void hash_put(size_t *table, size_t cap, uint64_t h, size_t index)
{
    size_t i = (size_t)h & (cap - 1);
    while (table[i])
        i = (i + 1) & (cap - 1);
    table[i] = index + 1;
}

/* Makes room for `extra` more districts (arrays and hash table); false on ENOMEM, nothing lost. */
static bool district_reserve(embedsvc_compare *c, size_t extra)
{
    const esv_alloc *al = &c->al;
    size_t row = c->n * NV, need = c->n_districts + extra;
    while (need > c->cap_districts)
        if (!grow_table(al, (void **)&c->districts, sizeof(cmp_district), &c->dvals, row, &c->cap_districts, 16))
            return false;
    if (need * 2 > c->hash_cap) {
        size_t cap = c->hash_cap ? c->hash_cap * 2 : 32;
        while (need * 2 > cap)
            cap *= 2;
        size_t *t = esv_calloc(al, cap, sizeof(size_t));
        if (!t)
            return false;
        for (size_t k = 0; k < c->n_districts; k++)
            if (c->districts[k].name)
                hash_put(t, cap, c->districts[k].hash, k);
        esv_free(al, c->dhash);
        c->dhash = t;
        c->hash_cap = cap;
    }
    return true;
}

static bool changed_reserve(embedsvc_compare *c, size_t extra)
{
    while (c->n_changed + extra > c->cap_changed)
        if (!grow_table(&c->al, (void **)&c->changed, sizeof(cmp_changed), &c->cvals, c->n * NV, &c->cap_changed, 64))
            return false;
    return true;
}

/* The values of the project just evaluated under every policy; returns whether it changed. */
static bool project_values(const embedsvc_compare *c, int64_t *v)
{
    const embedsvc_result *r0 = c->results[0];
    bool changed = false;
    for (size_t p = 0; p < c->n; p++) {
        const embedsvc_result *r = c->results[p];
        int64_t *x = v + p * NV;
        bool e = r->eligible, s = r->subsidy_eligible;
        x[EMBEDSVC_COMPARE_PROJECTS] = 1;
        x[EMBEDSVC_COMPARE_ELIGIBLE] = e;
        x[EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE] = s;
        x[EMBEDSVC_COMPARE_CAPPED] = s && r->capped;
        x[EMBEDSVC_COMPARE_TOTAL_FEN] = r->total_fen;
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
            x[EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN + k] = r->amount[k];
        x[EMBEDSVC_COMPARE_LOST_ELIGIBLE] = r0->eligible && !e;
        x[EMBEDSVC_COMPARE_GAINED_ELIGIBLE] = !r0->eligible && e;
        x[EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE] = r0->subsidy_eligible && !s;
        x[EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE] = !r0->subsidy_eligible && s;
        x[EMBEDSVC_COMPARE_SUBSIDY_DOWN] = r->total_fen < r0->total_fen;
        x[EMBEDSVC_COMPARE_SUBSIDY_UP] = r->total_fen > r0->total_fen;
        bool ch = e != r0->eligible || s != r0->subsidy_eligible || r->total_fen != r0->total_fen;
        x[EMBEDSVC_COMPARE_CHANGED] = ch;
        x[EMBEDSVC_COMPARE_DELTA_FEN] = r->total_fen - r0->total_fen; /* both >= 0: cannot overflow */
        changed |= ch;
    }
    return changed;
}

/* sum[i] = a[i] + v[i] for every i, or false on overflow. */
static bool add_checked(int64_t *sum, const int64_t *a, const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (__builtin_add_overflow(a[i], v[i], &sum[i]))
            return false;
    return true;
}

/* Adds the project in c->project, evaluated into c->results, to the aggregates. Either everything
 * is added or nothing. */
static int add_evaluated(embedsvc_compare *c, const embedsvc_project *pr, int64_t line, embedsvc_error *err)
{
    size_t row = c->n * NV;
    int64_t v[NP * NV], tot[NP * NV], dist[NP * NV];
    bool changed = project_values(c, v);
    if (!add_checked(tot, c->totals, v, row))
        return esv_error_set(err, EMBEDSVC_ERANGE, "compare.overflow", "a total of the comparison overflows");
    uint64_t h = pr->district.s ? hash_text(pr->district.s, pr->district.len) : 0;
    size_t d = district_find(c, &pr->district, h);
    if (d != SIZE_MAX && !add_checked(dist, c->dvals + d * row, v, row))
        return esv_error_set(err, EMBEDSVC_ERANGE, "compare.overflow", "a district total of the comparison overflows");
    /* everything that may fail, before anything is changed */
    const char *dname = NULL, *id = NULL, *name = NULL;
    if (d == SIZE_MAX) {
        if (!district_reserve(c, 1) ||
            (pr->district.s && !(dname = esv_arena_strndup(&c->strings, &c->al, pr->district.s, pr->district.len))))
            return esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
    }
    if (changed) {
        if (!changed_reserve(c, 1) || !(id = esv_arena_strndup(&c->strings, &c->al, pr->id.s, pr->id.len)) ||
            (pr->name.s && !(name = esv_arena_strndup(&c->strings, &c->al, pr->name.s, pr->name.len))))
            return esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
    }
    /* commit */
    memcpy(c->totals, tot, row * sizeof(int64_t));
    if (d == SIZE_MAX) {
        d = c->n_districts++;
        c->districts[d] = (cmp_district){dname, pr->district.len, h};
        memcpy(c->dvals + d * row, v, row * sizeof(int64_t));
        if (dname)
            hash_put(c->dhash, c->hash_cap, h, d);
        else
            c->no_district = d;
    } else {
        memcpy(c->dvals + d * row, dist, row * sizeof(int64_t));
    }
    if (changed) {
        c->changed[c->n_changed] = (cmp_changed){id, name, d, line};
        memcpy(c->cvals + c->n_changed * row, v, row * sizeof(int64_t));
        c->n_changed++;
    }
    c->stats[EMBEDSVC_COMPARE_STAT_PROJECTS]++;
    return EMBEDSVC_OK;
}

static int evaluate_all(embedsvc_compare *c, const embedsvc_project *pr, embedsvc_error *err)
{
    for (size_t p = 0; p < c->n; p++) {
        int rc = embedsvc_evaluate(c->policies[p], pr, c->results[p], err);
        if (rc != EMBEDSVC_OK)
            return rc;
    }
    return EMBEDSVC_OK;
}

int embedsvc_compare_project(embedsvc_compare *c, const embedsvc_project *pr, embedsvc_error *err)
{
    if (!c || !pr)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison or project");
    c->version++;
    int rc = evaluate_all(c, pr, err);
    return rc == EMBEDSVC_OK ? add_evaluated(c, pr, 0, err) : rc;
}

static int compare_one(embedsvc_compare *c, int64_t lineno, embedsvc_line_kind kind, const char *text, size_t len,
                       embedsvc_error *err)
{
    c->version++;
    c->stats[EMBEDSVC_COMPARE_STAT_LINES] = lineno;
    if (!c->first_line)
        c->first_line = lineno;
    if (kind == EMBEDSVC_LINE_BLANK)
        return 2;
    int rc = kind == EMBEDSVC_LINE_OVER_LIMIT ? embedsvc_line_limit_error(err)
                                               : embedsvc_project_parse(c->project, text ? text : "", len, err);
    if (rc == EMBEDSVC_OK)
        rc = evaluate_all(c, c->project, err);
    if (rc == EMBEDSVC_OK)
        return add_evaluated(c, c->project, lineno, err);
    if (rc == EMBEDSVC_ENOMEM)
        return rc;
    c->stats[EMBEDSVC_COMPARE_STAT_ERRORS]++;
    return 1;
}

int embedsvc_compare_line(embedsvc_compare *c, const char *line, size_t len, embedsvc_error *err)
{
    if (!c || (!line && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison or line");
    embedsvc_line_kind kind = embedsvc_line_examine(line, len, 0, &len); /* lines.c: '\r', blank, limit */
    return compare_one(c, c->stats[EMBEDSVC_COMPARE_STAT_LINES] + 1, kind, line, len, err);
}

int embedsvc_compare_framed(embedsvc_compare *c, const embedsvc_line *line, embedsvc_error *err)
{
    if (!c || !line || line->number <= c->stats[EMBEDSVC_COMPARE_STAT_LINES] ||
        (unsigned)line->kind > EMBEDSVC_LINE_OVER_LIMIT || (line->kind != EMBEDSVC_LINE_OVER_LIMIT && !line->text && line->len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison or line, or a line number not above the last");
    return compare_one(c, line->number, line->kind, line->text, line->len, err);
}

/* ---- merging ---- */

int embedsvc_compare_merge(embedsvc_compare *into, const embedsvc_compare *from, embedsvc_error *err)
{
    if (!into || !from || into == from)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison, or a comparison merged into itself");
    bool same = into->n == from->n;
    for (size_t p = 0; same && p < into->n; p++)
        same = into->policies[p] == from->policies[p];
    if (!same)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "the comparisons are not of the same policies");
    if (from->first_line && from->first_line <= into->stats[EMBEDSVC_COMPARE_STAT_LINES])
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid",
                             "the merged comparison's lines do not all come after the other's");
    into->version++;
    const esv_alloc *al = &into->al;
    size_t row = into->n * NV, nd = from->n_districts;
    int64_t tot[NP * NV];
    if (!add_checked(tot, into->totals, from->totals, row))
        return esv_error_set(err, EMBEDSVC_ERANGE, "compare.overflow", "a total of the comparison overflows");
    /* where each of from's districts goes (an index of into, or a new one) and its sums */
    size_t *to = esv_calloc(al, nd ? nd : 1, sizeof(size_t));
    int64_t *sums = to && nd <= SIZE_MAX / sizeof(int64_t) / row ? esv_calloc(al, nd ? nd * row : 1, sizeof(int64_t)) : NULL;
    int rc = EMBEDSVC_OK;
    size_t added = 0;
    if (!sums) {
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nd; k++) {
        const cmp_district *x = &from->districts[k];
        esv_text name = {x->name, x->len};
        size_t d = district_find(into, &name, x->hash);
        to[k] = d;
        if (d == SIZE_MAX)
            added++;
        else if (!add_checked(sums + k * row, into->dvals + d * row, from->dvals + k * row, row)) {
            rc = esv_error_set(err, EMBEDSVC_ERANGE, "compare.overflow", "a district total of the comparison overflows");
            goto out;
        }
    }
    /* everything that may fail, before anything is changed: room, and the new strings (a
     * failure leaves them unused in the arena, freed with the comparison) */
    if (!district_reserve(into, added) || !changed_reserve(into, from->n_changed)) {
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
        goto out;
    }
    for (size_t k = 0, j = into->n_districts; k < nd; k++) {
        const cmp_district *x = &from->districts[k];
        if (to[k] != SIZE_MAX)
            continue;
        const char *dname = x->name ? esv_arena_strndup(&into->strings, al, x->name, x->len) : NULL;
        if (x->name && !dname) {
            rc = esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
            goto out;
        }
        into->districts[j++] = (cmp_district){dname, x->len, x->hash};
    }
    for (size_t i = 0; i < from->n_changed; i++) {
        const cmp_changed *x = &from->changed[i];
        const char *id = esv_arena_strndup(&into->strings, al, x->id, strlen(x->id));
        const char *name = x->name ? esv_arena_strndup(&into->strings, al, x->name, strlen(x->name)) : NULL;
        if (!id || (x->name && !name)) {
            rc = esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
            goto out;
        }
        into->changed[into->n_changed + i] = (cmp_changed){id, name, x->district, x->line};
    }
    /* commit: the totals, the districts (the new ones in from's order of first appearance,
     * which follows into's), the changed projects in their order */
    memcpy(into->totals, tot, row * sizeof(int64_t));
    for (size_t k = 0; k < nd; k++) {
        if (to[k] != SIZE_MAX) {
            memcpy(into->dvals + to[k] * row, sums + k * row, row * sizeof(int64_t));
            continue;
        }
        size_t d = into->n_districts++;
        to[k] = d;
        memcpy(into->dvals + d * row, from->dvals + k * row, row * sizeof(int64_t));
        if (into->districts[d].name)
            hash_put(into->dhash, into->hash_cap, into->districts[d].hash, d);
        else
            into->no_district = d;
    }
    for (size_t i = 0; i < from->n_changed; i++) {
        cmp_changed *x = &into->changed[into->n_changed];
        x->district = to[x->district];
        memcpy(into->cvals + into->n_changed * row, from->cvals + i * row, row * sizeof(int64_t));
        into->n_changed++;
    }
    into->stats[EMBEDSVC_COMPARE_STAT_PROJECTS] += from->stats[EMBEDSVC_COMPARE_STAT_PROJECTS];
    into->stats[EMBEDSVC_COMPARE_STAT_ERRORS] += from->stats[EMBEDSVC_COMPARE_STAT_ERRORS];
    if (from->stats[EMBEDSVC_COMPARE_STAT_LINES] > into->stats[EMBEDSVC_COMPARE_STAT_LINES])
        into->stats[EMBEDSVC_COMPARE_STAT_LINES] = from->stats[EMBEDSVC_COMPARE_STAT_LINES];
    if (!into->first_line)
        into->first_line = from->first_line;
out:
    esv_free(al, sums);
    esv_free(al, to);
    return rc;
}

/* ---- accessors ---- */

int64_t embedsvc_compare_stat(const embedsvc_compare *c, embedsvc_compare_stat_kind which)
{
    if (!c || (unsigned)which >= ESV_ARRAY_LEN(c->stats))
        return -1;
    return c->stats[which];
}

size_t embedsvc_compare_policy_count(const embedsvc_compare *c)
{
    return c ? c->n : 0;
}

const embedsvc_policy *embedsvc_compare_policy(const embedsvc_compare *c, size_t policy)
{
    return c && policy < c->n ? c->policies[policy] : NULL;
}

int64_t embedsvc_compare_total(const embedsvc_compare *c, size_t policy, embedsvc_compare_value which)
{
    if (!c || policy >= c->n || (unsigned)which >= NV)
        return -1;
    return c->totals[policy * NV + which];
}

size_t embedsvc_compare_district_count(const embedsvc_compare *c)
{
    return c ? c->n_districts : 0;
}

const char *embedsvc_compare_district_name(const embedsvc_compare *c, size_t district)
{
    return c && district < c->n_districts ? c->districts[district].name : NULL;
}

int64_t embedsvc_compare_district_value(const embedsvc_compare *c, size_t district, size_t policy,
                                        embedsvc_compare_value which)
{
    if (!c || district >= c->n_districts || policy >= c->n || (unsigned)which >= NV)
        return -1;
    return c->dvals[(district * c->n + policy) * NV + which];
}

size_t embedsvc_compare_changed_count(const embedsvc_compare *c)
{
    return c ? c->n_changed : 0;
}

const char *embedsvc_compare_changed_text(const embedsvc_compare *c, size_t index, embedsvc_field field)
{
    if (!c || index >= c->n_changed)
        return NULL;
    const cmp_changed *x = &c->changed[index];
    switch (field) {
    case EMBEDSVC_FIELD_ID:
        return x->id;
    case EMBEDSVC_FIELD_NAME:
        return x->name;
    case EMBEDSVC_FIELD_DISTRICT:
        return c->districts[x->district].name;
    default:
        return NULL;
    }
}

int64_t embedsvc_compare_changed_line(const embedsvc_compare *c, size_t index)
{
    return c && index < c->n_changed ? c->changed[index].line : -1;
}

int64_t embedsvc_compare_changed_value(const embedsvc_compare *c, size_t index, size_t policy,
                                       embedsvc_compare_value which)
{
    if (!c || index >= c->n_changed || policy >= c->n || (unsigned)which >= NV)
        return -1;
    return c->cvals[(index * c->n + policy) * NV + which];
}

/* ---- writing ---- */

typedef esv_out writer;

/* Inlined, so that the length of a literal is a constant. */
static inline void puts_(writer *w, const char *s)
{
    esv_out_put(w, s, strlen(s));
}

static void putf(writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(writer *w, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        w->ok = false; /* only short, fixed formats go through here */
        return;
    }
    esv_out_put(w, tmp, (size_t)n);
}

static void json_str(writer *w, const char *s)
{
    if (!s)
        puts_(w, "null");
    else
        esv_out_json_string(w, s, strlen(s));
}

static void json_values(writer *w, const int64_t *x, bool project_row)
{
    for (int k = project_row ? 1 : 0; k < NV; k++) {
        esv_out_frag(w, value_members[k]);
        if (project_row && value_is_flag[k])
            puts_(w, x[k] ? "true" : "false");
        else
            esv_out_int(w, x[k]);
    }
}

static const char *policy_id(const embedsvc_compare *c, size_t p)
{
    return c->policies[p]->id.s;
}

static void json_policy_ref(writer *w, const embedsvc_compare *c, size_t p)
{
    puts_(w, "\"policy\":");
    json_str(w, policy_id(c, p));
    puts_(w, ",\"policy_index\":");
    esv_out_int(w, (int64_t)p);
}

static int finish(writer *w, esv_buf *b, const char **out, size_t *len, embedsvc_error *err)
{
    if (!w->ok)
        return esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
    if (!esv_buf_reserve(b, w->al, 0))
        return esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
    b->data[b->len] = '\0';
    *out = b->data;
    if (len)
        *len = b->len;
    return EMBEDSVC_OK;
}

/* The head of the document: the policies, the counts, the totals, and the opening of `districts`. */
static void json_head(writer *w, const embedsvc_compare *c)
{
    puts_(w, "{\"schema\":\"embedsvc.compare/1\",\"engine\":\"libembedsvc " EMBEDSVC_VERSION_STRING
             "\",\"policies\":[");
    for (size_t p = 0; p < c->n; p++) {
        const embedsvc_policy *pol = c->policies[p];
        putf(w, "%s{\"index\":%zu,\"id\":", p ? "," : "", p);
        json_str(w, embedsvc_policy_text(pol, "id"));
        puts_(w, ",\"version\":");
        json_str(w, embedsvc_policy_text(pol, "version"));
        puts_(w, ",\"title_zh\":");
        json_str(w, embedsvc_policy_text(pol, "title_zh"));
        puts_(w, ",\"title_en\":");
        json_str(w, embedsvc_policy_text(pol, "title_en"));
        puts_(w, p ? ",\"baseline\":false}" : ",\"baseline\":true}");
    }
    putf(w, "],\"lines\":%lld,\"projects\":%lld,\"errors\":%lld,\"totals\":[",
         (long long)c->stats[EMBEDSVC_COMPARE_STAT_LINES], (long long)c->stats[EMBEDSVC_COMPARE_STAT_PROJECTS],
         (long long)c->stats[EMBEDSVC_COMPARE_STAT_ERRORS]);
    for (size_t p = 0; p < c->n; p++) {
        puts_(w, p ? ",{" : "{");
        json_policy_ref(w, c, p);
        json_values(w, c->totals + p * NV, false);
        puts_(w, "}");
    }
    puts_(w, "],\"districts\":[");
}

/* Row i of `districts`: district i / n under policy i % n. */
static void json_district_row(writer *w, const embedsvc_compare *c, size_t i)
{
    size_t d = i / c->n, p = i % c->n;
    puts_(w, i ? ",{\"district\":" : "{\"district\":");
    json_str(w, c->districts[d].name);
    puts_(w, ",");
    json_policy_ref(w, c, p);
    json_values(w, c->dvals + i * NV, false);
    puts_(w, "}");
}

/* The rows of `changes` of changed project i, one per policy. The members that name the project
 * are the same in each: written once, then copied. */
static void json_changed_rows(writer *w, const embedsvc_compare *c, size_t i)
{
    const cmp_changed *x = &c->changed[i];
    puts_(w, i ? ",{" : "{");
    size_t from = w->b->len;
    puts_(w, "\"project_id\":");
    json_str(w, x->id);
    puts_(w, ",\"name\":");
    json_str(w, x->name);
    puts_(w, ",\"district\":");
    json_str(w, c->districts[x->district].name);
    puts_(w, ",\"line\":");
    esv_out_int(w, x->line);
    puts_(w, ",");
    size_t n = w->b->len - from;
    for (size_t p = 0; p < c->n && w->ok; p++) {
        if (p) {
            puts_(w, ",{");
            if (w->ok && !esv_buf_reserve(w->b, w->al, n))
                w->ok = false;
            esv_out_put(w, w->b->data + from, n); /* the room is reserved: the bytes do not move */
        }
        json_policy_ref(w, c, p);
        json_values(w, c->cvals + (i * c->n + p) * NV, true);
        puts_(w, "}");
    }
}

/* The document is a sequence of units, each written whole: the head, the rows of `districts`, the
 * opening of `changes`, the rows of each changed project, the end. */
static size_t unit_count(const embedsvc_compare *c)
{
    return 1 + c->n_districts * c->n + 1 + c->n_changed + 1;
}

static void json_unit(writer *w, const embedsvc_compare *c, size_t u)
{
    size_t rows = c->n_districts * c->n;
    if (u == 0)
        json_head(w, c);
    else if (u <= rows)
        json_district_row(w, c, u - 1);
    else if (u == rows + 1)
        puts_(w, "],\"changes\":[");
    else if (u - rows - 2 < c->n_changed)
        json_changed_rows(w, c, u - rows - 2);
    else
        puts_(w, "]}");
}

/* Writes the units from u on until the buffer holds at least `limit` bytes or the document ends;
 * returns the next unit. */
static size_t json_emit(writer *w, const embedsvc_compare *c, size_t u, size_t limit)
{
    size_t end = unit_count(c);
    while (u < end && w->b->len < limit && w->ok)
        json_unit(w, c, u++);
    return u;
}

int embedsvc_compare_to_json(embedsvc_compare *c, const char **json, size_t *len, embedsvc_error *err)
{
    if (!c || !json)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison or output");
    *json = NULL;
    c->json.len = 0;
    writer w = {&c->json, &c->al, true};
    json_emit(&w, c, 0, SIZE_MAX);
    return finish(&w, &c->json, json, len, err);
}

/* The size from which a piece of embedsvc_compare_to_json_next() ends at the end of a unit: small
 * enough to stay in the caches between the writing and the copy out, large enough for few calls. */
#define PIECE_SIZE ((size_t)256 << 10)
/* A position: the comparison's version (28 bits: a stale position is told from a current one
 * unless a multiple of 2^28 changes came between) above the next unit (36 bits: 68 billion rows,
 * more than the memory of any machine holds); 0 the start. */
#define UNIT_BITS 36
#define VERSION_MASK ((UINT64_C(1) << (64 - UNIT_BITS)) - 1)

int embedsvc_compare_to_json_next(embedsvc_compare *c, uint64_t *position, const char **json, size_t *len,
                                  embedsvc_error *err)
{
    if (!c || !position || !json || !len)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison, position or output");
    *json = NULL;
    *len = 0;
    uint64_t version = c->version & VERSION_MASK, u = *position & ((UINT64_C(1) << UNIT_BITS) - 1);
    size_t end = unit_count(c);
    if (*position && (*position >> UNIT_BITS) != version)
        return esv_error_set(err, EMBEDSVC_ESTATE, "compare.changed",
                             "the comparison changed after the first piece of its JSON was written");
    if (u > end)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "not a position of this comparison's JSON");
    if (end >> UNIT_BITS) /* more rows than a position counts */
        return esv_error_set(err, EMBEDSVC_ERANGE, "compare.overflow", "too many rows to write in pieces");
    c->json.len = 0;
    writer w = {&c->json, &c->al, true};
    u = json_emit(&w, c, (size_t)u, PIECE_SIZE);
    int rc = finish(&w, &c->json, json, len, err);
    if (rc == EMBEDSVC_OK) /* on failure the position stays: the next call writes the same piece */
        *position = version << UNIT_BITS | u;
    return rc;
}
