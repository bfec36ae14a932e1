/* Policy comparison (issue 10): one portfolio evaluated under several policies in one pass, with
 * totals per policy, per district and the projects that change against the baseline (policy 0);
 * written as JSON rows or as a self-contained HTML report with inline SVG charts. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NV 16 /* value kinds of embedsvc_compare_value */
#define NP EMBEDSVC_COMPARE_MAX_POLICIES

static const char *const value_names[NV] = {
    "projects",      "eligible",       "subsidy_eligible", "capped",
    "total_fen",     "basic_public_fen", "inclusive_fen",  "commercial_fen",
    "lost_eligible", "gained_eligible", "lost_subsidy_eligible", "gained_subsidy_eligible",
    "subsidy_down",  "subsidy_up",     "changed",          "delta_fen",
};

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
    esv_buf json, html;
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
    esv_buf_free(&c->html, &al);
    esv_free(&al, c);
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

/* Makes room for one more district (arrays and hash table); false on ENOMEM, nothing lost. */
static bool district_reserve(embedsvc_compare *c)
{
    const esv_alloc *al = &c->al;
    size_t row = c->n * NV;
    if (c->n_districts == c->cap_districts &&
        !grow_table(al, (void **)&c->districts, sizeof(cmp_district), &c->dvals, row, &c->cap_districts, 16))
        return false;
    if ((c->n_districts + 1) * 2 > c->hash_cap) {
        size_t cap = c->hash_cap ? c->hash_cap * 2 : 32;
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

static bool changed_reserve(embedsvc_compare *c)
{
    if (c->n_changed < c->cap_changed)
        return true;
    return grow_table(&c->al, (void **)&c->changed, sizeof(cmp_changed), &c->cvals, c->n * NV, &c->cap_changed, 64);
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
        if (!district_reserve(c) ||
            (pr->district.s && !(dname = esv_arena_strndup(&c->strings, &c->al, pr->district.s, pr->district.len))))
            return esv_error_set(err, EMBEDSVC_ENOMEM, "compare.nomem", "out of memory");
    }
    if (changed) {
        if (!changed_reserve(c) || !(id = esv_arena_strndup(&c->strings, &c->al, pr->id.s, pr->id.len)) ||
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
    int rc = evaluate_all(c, pr, err);
    return rc == EMBEDSVC_OK ? add_evaluated(c, pr, 0, err) : rc;
}

int embedsvc_compare_line(embedsvc_compare *c, const char *line, size_t len, embedsvc_error *err)
{
    if (!c || (!line && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison or line");
    int64_t lineno = ++c->stats[EMBEDSVC_COMPARE_STAT_LINES];
    if (len && line[len - 1] == '\r')
        len--;
    if (esv_is_blank(line, len))
        return 2;
    int rc = embedsvc_project_parse(c->project, line ? line : "", len, err);
    if (rc == EMBEDSVC_OK)
        rc = evaluate_all(c, c->project, err);
    if (rc == EMBEDSVC_OK)
        return add_evaluated(c, c->project, lineno, err);
    if (rc == EMBEDSVC_ENOMEM)
        return rc;
    c->stats[EMBEDSVC_COMPARE_STAT_ERRORS]++;
    return 1;
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

static void puts_(writer *w, const char *s)
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
        puts_(w, ",\"");
        puts_(w, value_names[k]);
        puts_(w, "\":");
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

int embedsvc_compare_to_json(embedsvc_compare *c, const char **json, size_t *len, embedsvc_error *err)
{
    if (!c || !json)
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL comparison or output");
    *json = NULL;
    c->json.len = 0;
    writer w = {&c->json, &c->al, true};
    puts_(&w, "{\"schema\":\"embedsvc.compare/1\",\"engine\":\"libembedsvc " EMBEDSVC_VERSION_STRING
              "\",\"policies\":[");
    for (size_t p = 0; p < c->n; p++) {
        const embedsvc_policy *pol = c->policies[p];
        putf(&w, "%s{\"index\":%zu,\"id\":", p ? "," : "", p);
        json_str(&w, embedsvc_policy_text(pol, "id"));
        puts_(&w, ",\"version\":");
        json_str(&w, embedsvc_policy_text(pol, "version"));
        puts_(&w, ",\"title_zh\":");
        json_str(&w, embedsvc_policy_text(pol, "title_zh"));
        puts_(&w, ",\"title_en\":");
        json_str(&w, embedsvc_policy_text(pol, "title_en"));
        puts_(&w, p ? ",\"baseline\":false}" : ",\"baseline\":true}");
    }
    putf(&w, "],\"lines\":%lld,\"projects\":%lld,\"errors\":%lld,\"totals\":[",
         (long long)c->stats[EMBEDSVC_COMPARE_STAT_LINES], (long long)c->stats[EMBEDSVC_COMPARE_STAT_PROJECTS],
         (long long)c->stats[EMBEDSVC_COMPARE_STAT_ERRORS]);
    for (size_t p = 0; p < c->n; p++) {
        puts_(&w, p ? ",{" : "{");
        json_policy_ref(&w, c, p);
        json_values(&w, c->totals + p * NV, false);
        puts_(&w, "}");
    }
    puts_(&w, "],\"districts\":[");
    for (size_t d = 0; d < c->n_districts; d++)
        for (size_t p = 0; p < c->n; p++) {
            puts_(&w, d || p ? ",{\"district\":" : "{\"district\":");
            json_str(&w, c->districts[d].name);
            puts_(&w, ",");
            json_policy_ref(&w, c, p);
            json_values(&w, c->dvals + (d * c->n + p) * NV, false);
            puts_(&w, "}");
        }
    puts_(&w, "],\"changes\":[");
    for (size_t i = 0; i < c->n_changed && w.ok; i++) {
        const cmp_changed *x = &c->changed[i];
        for (size_t p = 0; p < c->n; p++) {
            puts_(&w, i || p ? ",{\"project_id\":" : "{\"project_id\":");
            json_str(&w, x->id);
            puts_(&w, ",\"name\":");
            json_str(&w, x->name);
            puts_(&w, ",\"district\":");
            json_str(&w, c->districts[x->district].name);
            puts_(&w, ",\"line\":");
            esv_out_int(&w, x->line);
            puts_(&w, ",");
            json_policy_ref(&w, c, p);
            json_values(&w, c->cvals + (i * c->n + p) * NV, true);
            puts_(&w, "}");
        }
    }
    puts_(&w, "]}");
    return finish(&w, &c->json, json, len, err);
}

/* ---- HTML ---- */

/* Rows of the table of projects whose eligibility changes, and bars of the charts. */
#define HTML_MAX_PROJECT_ROWS 500
#define HTML_MAX_PROJECT_BARS 30
#define HTML_MAX_DISTRICT_BARS 40

typedef struct labels {
    bool zh;
    const char *lang, *title, *generated, *baseline, *policies, *version, *name_col, *summary, *metric, *by_class,
        *by_district, *eligibility, *eligibility_projects, *district_table, *district, *no_district, *project,
        *line, *wan, *none_changed, *one_policy, *no_subsidy, *eligible_mark, *not_eligible_mark, *delta_row;
    const char *rows[NV]; /* names of the value kinds in the summary (NULL: the class's name) */
} labels;

static const labels labels_zh = {
    .zh = true,
    .lang = "zh-CN",
    .title = "政策比较：补助与资格",
    .generated = "由 libembedsvc " EMBEDSVC_VERSION_STRING " 生成",
    .baseline = "基准",
    .policies = "政策",
    .version = "版本",
    .name_col = "名称",
    .summary = "汇总",
    .metric = "指标",
    .by_class = "各政策分类别补助（万元）",
    .by_district = "各区补助合计（万元）",
    .eligibility = "资格与补助变化（较基准，项目数）",
    .eligibility_projects = "资格变化的项目（补助，万元）",
    .district_table = "各区明细",
    .district = "区",
    .no_district = "（未填区）",
    .project = "项目",
    .line = "行",
    .wan = "万元",
    .none_changed = "没有项目的资格发生变化。",
    .one_policy = "只有一项政策，没有可比较的对象。",
    .no_subsidy = "没有补助。",
    .eligible_mark = "✓ 符合",
    .not_eligible_mark = "✗ 不符合",
    .delta_row = "较基准增减（万元）",
    .rows = {"项目数", "符合条件", "可申请补助", "触及上限", "补助合计（万元）", NULL, NULL, NULL, "失去资格", "新获资格",
             "失去补助资格", "新获补助资格", "补助减少的项目", "补助增加的项目", "有变化的项目", NULL},
};

static const labels labels_en = {
    .zh = false,
    .lang = "en",
    .title = "Policy comparison: subsidy and eligibility",
    .generated = "Generated by libembedsvc " EMBEDSVC_VERSION_STRING,
    .baseline = "baseline",
    .policies = "Policies",
    .version = "Version",
    .name_col = "Name",
    .summary = "Summary",
    .metric = "Measure",
    .by_class = "Subsidy by class per policy (万元)",
    .by_district = "Total subsidy by district (万元)",
    .eligibility = "Changes against the baseline (projects)",
    .eligibility_projects = "Projects whose eligibility changes (subsidy, 万元)",
    .district_table = "Districts",
    .district = "District",
    .no_district = "(no district)",
    .project = "Project",
    .line = "Line",
    .wan = "万元",
    .none_changed = "No project changes eligibility.",
    .one_policy = "Only one policy: nothing to compare with.",
    .no_subsidy = "No subsidy.",
    .eligible_mark = "✓ eligible",
    .not_eligible_mark = "✗ not eligible",
    .delta_row = "Change against the baseline (万元)",
    .rows = {"Projects", "Eligible", "Subsidy-eligible", "Capped", "Total subsidy (万元)", NULL, NULL, NULL,
             "Lost eligibility", "Gained eligibility", "Lost subsidy eligibility", "Gained subsidy eligibility",
             "Projects with less subsidy", "Projects with more subsidy", "Projects that change", NULL},
};

/* "N more not listed" under a truncated chart or table. */
static void put_more(writer *w, const labels *L, size_t n, const char *tag)
{
    char tmp[96];
    if (L->zh)
        snprintf(tmp, sizeof(tmp), "另有 %zu 个未列出（完整列表见 JSON 输出）", n);
    else
        snprintf(tmp, sizeof(tmp), "%zu more not listed (the JSON output has them all)", n);
    putf(w, "<%s class=\"note\">%s</%s>\n", tag, tmp, tag);
}

/* 16 policy colours, then the three classes. */
static const char *const policy_colors[NP] = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf",
};
static const char *const class_colors[EMBEDSVC_CLASS_COUNT] = {"#3a6ea5", "#f0a04b", "#8cb369"};

static void html_esc(writer *w, const char *s)
{
    if (!s)
        return;
    size_t start = 0, i = 0;
    for (; s[i]; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        esv_out_put(w, s + start, i - start);
        puts_(w, rep);
        start = i + 1;
    }
    esv_out_put(w, s + start, i - start);
}

/* before, the escaped text, after: an element around text from the data or the labels. */
static void put_esc(writer *w, const char *before, const char *text, const char *after)
{
    puts_(w, before);
    html_esc(w, text);
    puts_(w, after);
}

static const char *district_label(const embedsvc_compare *c, size_t d, const labels *L)
{
    return c->districts[d].name ? c->districts[d].name : L->no_district;
}

/* fen as 万元: exact, with 2 to 6 decimals and thousands separators. */
static void format_wan(int64_t fen, char *out, size_t size)
{
    uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[24], frac[8];
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)(u / 1000000));
    snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(u % 1000000));
    int keep = 6;
    while (keep > 2 && frac[keep - 1] == '0')
        keep--;
    frac[keep] = '\0';
    size_t o = 0;
    if (fen < 0)
        out[o++] = '-';
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, size - o, ".%s", frac);
}

static void put_wan(writer *w, int64_t fen)
{
    char tmp[48];
    format_wan(fen, tmp, sizeof(tmp));
    puts_(w, tmp);
}

/* A bar length in pixels: floor(v * width / max), exact. */
static int64_t scale(int64_t v, int64_t width, int64_t max)
{
    if (max <= 0 || v <= 0)
        return 0;
    return (int64_t)((esv_u128)v * (esv_u128)width / (esv_u128)max);
}

static const char *class_name(const embedsvc_compare *c, int k, bool zh)
{
    return embedsvc_policy_class_name(c->policies[0], (embedsvc_class)k, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

/* Chart geometry: a label column, a bar area and room for the value. */
#define CH_W 960
#define CH_LABEL 230
#define CH_BAR 560

static void svg_open(writer *w, const char *id, int64_t height, const char *title)
{
    putf(w, "<figure><svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%lld\" viewBox=\"0 0 %d %lld\" role=\"img\"><title>",
         id, CH_W, (long long)height, CH_W, (long long)height);
    put_esc(w, "", title, "</title>");
}

/* Closes a chart's figure with a caption: the text `note`, or else "n more not listed" when more > 0. */
static void svg_close(writer *w, const labels *L, const char *note, size_t more)
{
    puts_(w, "</svg>");
    if (note)
        put_esc(w, "<figcaption>", note, "</figcaption>");
    else if (more)
        put_more(w, L, more, "figcaption");
    puts_(w, "</figure>\n");
}

static void svg_text(writer *w, int64_t x, int64_t y, const char *anchor, const char *cls, const char *text)
{
    putf(w, "<text x=\"%lld\" y=\"%lld\" text-anchor=\"%s\" class=\"%s\">", (long long)x, (long long)y, anchor, cls);
    put_esc(w, "", text, "</text>");
}

/* A bar; with a tooltip "a · b: value" when value is not NULL (b may be NULL). */
static void svg_rect(writer *w, int64_t x, int64_t y, int64_t width, int64_t height, const char *fill,
                     const char *a, const char *b, const char *value)
{
    putf(w, "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" height=\"%lld\" fill=\"%s\">", (long long)x, (long long)y,
         (long long)width, (long long)height, fill);
    if (value) {
        put_esc(w, "<title>", a, "");
        if (b)
            put_esc(w, " · ", b, "");
        put_esc(w, ": ", value, "</title>");
    }
    puts_(w, "</rect>");
}

/* Approximate width of text at the chart's font size: wide (CJK) characters 12 px, others 7. */
static int64_t text_px(const char *s)
{
    int64_t px = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            px += *p >= 0xE0 ? 12 : 7;
    return px;
}

#define LEGEND_ROW 20
#define BAR_H 12 /* a bar of the grouped bar charts */

/* The label of a group of bars, centred on the group. */
static void svg_group_label(writer *w, int64_t y, int64_t group, const char *text)
{
    svg_text(w, CH_LABEL - 8, y + group / 2 + 2, "end", "label", text);
}

/* A bar of a grouped chart at y (at least 1 px wide, so that a zero shows), with its tooltip. */
static void svg_bar(writer *w, int64_t y, int64_t len, const char *fill, const char *a, const char *b, const char *tip)
{
    svg_rect(w, CH_LABEL, y, len > 0 ? len : 1, BAR_H, fill, a, b, tip);
}

/* The value written after a bar of a grouped chart. */
static void svg_bar_value(writer *w, int64_t y, int64_t len, const char *value)
{
    svg_text(w, CH_LABEL + len + 5, y + BAR_H - 2, "start", "value small", value);
}

/* Lays out (and, with w, draws) a legend at the top of a chart, wrapping at the chart's width;
 * returns the y where the chart's content starts. */
static int64_t svg_legend(writer *w, const char *const *names, const char *const *colors, size_t n)
{
    int64_t x = CH_LABEL, y = 8;
    for (size_t i = 0; i < n; i++) {
        int64_t width = 16 + text_px(names[i]) + 14;
        if (x > CH_LABEL && x + width > CH_W) {
            x = CH_LABEL;
            y += LEGEND_ROW;
        }
        if (w) {
            svg_rect(w, x, y, 12, 12, colors[i], NULL, NULL, NULL);
            svg_text(w, x + 16, y + 11, "start", "legend", names[i]);
        }
        x += width;
    }
    return y + LEGEND_ROW + 4;
}

static void chart_by_class(writer *w, const embedsvc_compare *c, const labels *L)
{
    const char *names[EMBEDSVC_CLASS_COUNT];
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
        names[k] = class_name(c, k, L->zh);
    int64_t max = 0;
    for (size_t p = 0; p < c->n; p++)
        if (c->totals[p * NV + EMBEDSVC_COMPARE_TOTAL_FEN] > max)
            max = c->totals[p * NV + EMBEDSVC_COMPARE_TOTAL_FEN];
    int64_t row = 34, top = svg_legend(NULL, names, class_colors, EMBEDSVC_CLASS_COUNT);
    svg_open(w, "chart-class", top + (int64_t)c->n * row + 10, L->by_class);
    svg_legend(w, names, class_colors, EMBEDSVC_CLASS_COUNT);
    for (size_t p = 0; p < c->n; p++) {
        const int64_t *t = c->totals + p * NV;
        int64_t y = top + (int64_t)p * row;
        svg_text(w, CH_LABEL - 8, y + 19, "end", "label", policy_id(c, p));
        int64_t cum = 0, x0 = 0;
        for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++) {
            int64_t a = t[EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN + k];
            cum += a;
            int64_t x1 = scale(cum, CH_BAR, max);
            if (a > 0) {
                char v[64];
                format_wan(a, v, sizeof(v));
                strcat(v, " 万元");
                svg_rect(w, CH_LABEL + x0, y + 6, x1 - x0 > 0 ? x1 - x0 : 1, 20, class_colors[k], policy_id(c, p),
                         names[k], v);
            }
            x0 = x1;
        }
        char v[48];
        format_wan(t[EMBEDSVC_COMPARE_TOTAL_FEN], v, sizeof(v));
        svg_text(w, CH_LABEL + x0 + 6, y + 21, "start", "value", v);
    }
    svg_close(w, L, max == 0 ? L->no_subsidy : NULL, 0);
}

/* The policy legend; returns the y where the content starts. */
static int64_t policy_legend(writer *w, const embedsvc_compare *c)
{
    const char *names[NP];
    for (size_t p = 0; p < c->n; p++)
        names[p] = policy_id(c, p);
    return svg_legend(w, names, policy_colors, c->n);
}

/* The height of a group of one bar per policy. */
static int64_t policy_group(const embedsvc_compare *c)
{
    return (int64_t)c->n * (BAR_H + 2) + 10;
}

/* Opens a chart of `groups` groups of one bar per policy under the policy legend; returns the y of
 * the first group. */
static int64_t policy_chart_open(writer *w, const embedsvc_compare *c, const char *id, size_t groups,
                                 const char *title)
{
    int64_t top = policy_legend(NULL, c);
    svg_open(w, id, top + (int64_t)groups * policy_group(c) + 10, title);
    policy_legend(w, c);
    return top;
}

/* The largest total_fen of a row of values (one project or district under every policy). */
static int64_t max_total(const embedsvc_compare *c, const int64_t *row, int64_t max)
{
    for (size_t p = 0; p < c->n; p++)
        if (row[p * NV + EMBEDSVC_COMPARE_TOTAL_FEN] > max)
            max = row[p * NV + EMBEDSVC_COMPARE_TOTAL_FEN];
    return max;
}

static void chart_by_district(writer *w, const embedsvc_compare *c, const labels *L)
{
    size_t nd = c->n_districts < HTML_MAX_DISTRICT_BARS ? c->n_districts : HTML_MAX_DISTRICT_BARS;
    int64_t max = 0;
    for (size_t d = 0; d < nd; d++)
        max = max_total(c, c->dvals + d * c->n * NV, max);
    int64_t group = policy_group(c), top = policy_chart_open(w, c, "chart-district", nd, L->by_district);
    for (size_t d = 0; d < nd; d++) {
        int64_t y = top + (int64_t)d * group;
        const char *name = district_label(c, d, L);
        svg_group_label(w, y, group, name);
        for (size_t p = 0; p < c->n; p++) {
            int64_t v = c->dvals[(d * c->n + p) * NV + EMBEDSVC_COMPARE_TOTAL_FEN];
            int64_t len = scale(v, CH_BAR, max), by = y + 4 + (int64_t)p * (BAR_H + 2);
            char val[64];
            format_wan(v, val, sizeof(val));
            svg_bar_value(w, by, len, val);
            strcat(val, " 万元");
            svg_bar(w, by, len, policy_colors[p], name, policy_id(c, p), val);
        }
    }
    svg_close(w, L, NULL, c->n_districts - nd);
}

/* Counts of changes per policy other than the baseline: grouped bars of the change kinds. */
static void chart_changes(writer *w, const embedsvc_compare *c, const labels *L)
{
    static const int kinds[] = {EMBEDSVC_COMPARE_LOST_ELIGIBLE, EMBEDSVC_COMPARE_GAINED_ELIGIBLE,
                                EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE, EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE,
                                EMBEDSVC_COMPARE_SUBSIDY_DOWN, EMBEDSVC_COMPARE_SUBSIDY_UP};
    static const char *const colors[] = {"#d62728", "#2ca02c", "#ff9896", "#98df8a", "#e377c2", "#17becf"};
    enum { NK = sizeof(kinds) / sizeof(kinds[0]) };
    const char *names[NK];
    for (int k = 0; k < NK; k++)
        names[k] = L->rows[kinds[k]];
    int64_t max = 0;
    for (size_t p = 1; p < c->n; p++)
        for (int k = 0; k < NK; k++)
            if (c->totals[p * NV + kinds[k]] > max)
                max = c->totals[p * NV + kinds[k]];
    int64_t group = NK * (BAR_H + 2) + 12, top = svg_legend(NULL, names, colors, NK);
    svg_open(w, "chart-eligibility", top + (int64_t)(c->n - 1) * group + 10, L->eligibility);
    svg_legend(w, names, colors, NK);
    for (size_t p = 1; p < c->n; p++) {
        int64_t y = top + (int64_t)(p - 1) * group;
        svg_group_label(w, y, group, policy_id(c, p));
        for (int k = 0; k < NK; k++) {
            int64_t v = c->totals[p * NV + kinds[k]];
            int64_t len = scale(v, CH_BAR, max), by = y + 4 + (int64_t)k * (BAR_H + 2);
            char val[32];
            snprintf(val, sizeof(val), "%lld", (long long)v);
            svg_bar(w, by, len, colors[k], policy_id(c, p), names[k], val);
            svg_bar_value(w, by, len, val);
        }
    }
    svg_close(w, L, c->n < 2 ? L->one_policy : NULL, 0);
}

static bool eligibility_changes(const embedsvc_compare *c, size_t i)
{
    for (size_t p = 1; p < c->n; p++) {
        const int64_t *x = c->cvals + (i * c->n + p) * NV;
        if (x[EMBEDSVC_COMPARE_LOST_ELIGIBLE] || x[EMBEDSVC_COMPARE_GAINED_ELIGIBLE] ||
            x[EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE] || x[EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE])
            return true;
    }
    return false;
}

/* The subsidy of the first projects whose eligibility changes, one bar per policy. */
static void chart_projects(writer *w, const embedsvc_compare *c, const labels *L, size_t n_elig)
{
    size_t shown = n_elig < HTML_MAX_PROJECT_BARS ? n_elig : HTML_MAX_PROJECT_BARS;
    int64_t max = 0;
    for (size_t i = 0, k = 0; i < c->n_changed && k < shown; i++) {
        if (!eligibility_changes(c, i))
            continue;
        k++;
        max = max_total(c, c->cvals + i * c->n * NV, max);
    }
    int64_t group = policy_group(c),
            top = policy_chart_open(w, c, "chart-projects", shown, L->eligibility_projects);
    for (size_t i = 0, k = 0; i < c->n_changed && k < shown; i++) {
        if (!eligibility_changes(c, i))
            continue;
        int64_t y = top + (int64_t)k * group;
        k++;
        svg_group_label(w, y, group, c->changed[i].id);
        for (size_t p = 0; p < c->n; p++) {
            const int64_t *x = c->cvals + (i * c->n + p) * NV;
            int64_t len = scale(x[EMBEDSVC_COMPARE_TOTAL_FEN], CH_BAR, max), by = y + 4 + (int64_t)p * (BAR_H + 2);
            char val[64], wan[48];
            format_wan(x[EMBEDSVC_COMPARE_TOTAL_FEN], wan, sizeof(wan));
            snprintf(val, sizeof(val), "%s %s", x[EMBEDSVC_COMPARE_ELIGIBLE] ? "✓" : "✗", wan);
            svg_bar(w, by, len, policy_colors[p], c->changed[i].id, policy_id(c, p), val);
            svg_bar_value(w, by, len, val);
        }
    }
    svg_close(w, L, n_elig == 0 ? L->none_changed : NULL, n_elig - shown);
}

static void td_num(writer *w, int64_t v)
{
    putf(w, "<td class=\"n\">%lld</td>", (long long)v);
}

static void td_wan(writer *w, int64_t fen)
{
    puts_(w, "<td class=\"n\">");
    put_wan(w, fen);
    puts_(w, "</td>");
}

static void th_policies(writer *w, const embedsvc_compare *c)
{
    for (size_t p = 0; p < c->n; p++) {
        putf(w, "<th class=\"n\"><span class=\"swatch\" style=\"background:%s\"></span>", policy_colors[p]);
        put_esc(w, "", policy_id(c, p), "</th>");
    }
}

static void summary_table(writer *w, const embedsvc_compare *c, const labels *L)
{
    static const int order[] = {EMBEDSVC_COMPARE_PROJECTS,
                                EMBEDSVC_COMPARE_ELIGIBLE,
                                EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE,
                                EMBEDSVC_COMPARE_CAPPED,
                                EMBEDSVC_COMPARE_TOTAL_FEN,
                                EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN,
                                EMBEDSVC_COMPARE_INCLUSIVE_FEN,
                                EMBEDSVC_COMPARE_COMMERCIAL_FEN,
                                EMBEDSVC_COMPARE_DELTA_FEN,
                                EMBEDSVC_COMPARE_LOST_ELIGIBLE,
                                EMBEDSVC_COMPARE_GAINED_ELIGIBLE,
                                EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE,
                                EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE,
                                EMBEDSVC_COMPARE_SUBSIDY_DOWN,
                                EMBEDSVC_COMPARE_SUBSIDY_UP,
                                EMBEDSVC_COMPARE_CHANGED};
    put_esc(w, "<table id=\"summary\"><thead><tr><th>", L->metric, "</th>");
    th_policies(w, c);
    puts_(w, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < ESV_ARRAY_LEN(order); i++) {
        int k = order[i];
        bool money = k >= EMBEDSVC_COMPARE_TOTAL_FEN && k <= EMBEDSVC_COMPARE_COMMERCIAL_FEN;
        bool vs_baseline = k >= EMBEDSVC_COMPARE_LOST_ELIGIBLE;
        bool class_row = k >= EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN && k <= EMBEDSVC_COMPARE_COMMERCIAL_FEN;
        const char *label = k == EMBEDSVC_COMPARE_DELTA_FEN ? L->delta_row
                            : class_row                     ? class_name(c, k - EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN, L->zh)
                                                            : L->rows[k];
        put_esc(w, class_row ? "<tr class=\"sub\"><th>" : "<tr><th>", label, "</th>");
        for (size_t p = 0; p < c->n; p++) {
            int64_t v = c->totals[p * NV + k];
            if (vs_baseline && p == 0)
                puts_(w, "<td class=\"n\">—</td>");
            else if (money || k == EMBEDSVC_COMPARE_DELTA_FEN)
                td_wan(w, v);
            else
                td_num(w, v);
        }
        puts_(w, "</tr>\n");
    }
    puts_(w, "</tbody></table>\n");
}

static void projects_table(writer *w, const embedsvc_compare *c, const labels *L, size_t n_elig)
{
    if (n_elig == 0)
        return;
    put_esc(w, "<table id=\"eligibility-changes\"><thead><tr><th>", L->project, "</th>");
    put_esc(w, "<th>", L->name_col, "</th>");
    put_esc(w, "<th>", L->district, "</th>");
    put_esc(w, "<th class=\"n\">", L->line, "</th>");
    th_policies(w, c);
    puts_(w, "</tr></thead><tbody>\n");
    size_t k = 0;
    for (size_t i = 0; i < c->n_changed && k < HTML_MAX_PROJECT_ROWS; i++) {
        if (!eligibility_changes(c, i))
            continue;
        k++;
        const cmp_changed *x = &c->changed[i];
        put_esc(w, "<tr><td>", x->id, "</td>");
        put_esc(w, "<td>", x->name, "</td>");
        put_esc(w, "<td>", district_label(c, x->district, L), "</td>");
        td_num(w, x->line);
        for (size_t p = 0; p < c->n; p++) {
            const int64_t *v = c->cvals + (i * c->n + p) * NV;
            bool e = v[EMBEDSVC_COMPARE_ELIGIBLE], s = v[EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE];
            putf(w, "<td class=\"n %s\">", e ? (s ? "ok" : "warn") : "bad");
            put_esc(w, "", e ? L->eligible_mark : L->not_eligible_mark, " ");
            put_wan(w, v[EMBEDSVC_COMPARE_TOTAL_FEN]);
            puts_(w, "</td>");
        }
        puts_(w, "</tr>\n");
    }
    puts_(w, "</tbody></table>\n");
    if (n_elig > k)
        put_more(w, L, n_elig - k, "p");
}

static void district_table(writer *w, const embedsvc_compare *c, const labels *L)
{
    put_esc(w, "<table id=\"districts\"><thead><tr><th>", L->district, "</th>");
    put_esc(w, "<th class=\"n\">", L->rows[EMBEDSVC_COMPARE_PROJECTS], "</th>");
    for (size_t p = 0; p < c->n; p++) {
        put_esc(w, "<th class=\"n\">", policy_id(c, p), "<br>");
        put_esc(w, "", L->rows[EMBEDSVC_COMPARE_ELIGIBLE], " / ");
        put_esc(w, "", L->wan, "</th>");
    }
    puts_(w, "</tr></thead><tbody>\n");
    for (size_t d = 0; d < c->n_districts; d++) {
        const int64_t *v = c->dvals + d * c->n * NV;
        put_esc(w, "<tr><td>", district_label(c, d, L), "</td>");
        td_num(w, v[EMBEDSVC_COMPARE_PROJECTS]);
        for (size_t p = 0; p < c->n; p++) {
            putf(w, "<td class=\"n\">%lld / ", (long long)v[p * NV + EMBEDSVC_COMPARE_ELIGIBLE]);
            put_wan(w, v[p * NV + EMBEDSVC_COMPARE_TOTAL_FEN]);
            puts_(w, "</td>");
        }
        puts_(w, "</tr>\n");
    }
    puts_(w, "</tbody></table>\n");
}

static const char html_style[] =
    "<style>\n"
    "body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",system-ui,sans-serif;"
    "margin:2em auto;max-width:1000px;padding:0 1em;color:#222;background:#fff}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
    "th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "thead th{background:#f4f4f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.sub th{font-weight:normal;padding-left:1.6em}\n"
    "td.ok{color:#1a7f37}td.warn{color:#9a6700}td.bad{color:#cf222e}\n"
    ".swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em}\n"
    "figure{margin:1em 0}svg.chart{max-width:100%;height:auto;font-size:12px}\n"
    "svg .label{fill:#222}svg .value{fill:#444}svg .small{font-size:11px}svg .legend{fill:#333;font-size:12px}\n"
    "figcaption,.note,.meta{color:#555;font-size:.9em}\n"
    "</style>\n";

int embedsvc_compare_to_html(embedsvc_compare *c, const char *lang, const char *caption, const char **html,
                             size_t *len, embedsvc_error *err)
{
    if (!c || !html || !lang || (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0))
        return esv_error_set(err, EMBEDSVC_EINVAL, "api.invalid", "NULL argument, or lang not \"zh\" or \"en\"");
    *html = NULL;
    bool zh = lang[0] == 'z';
    const labels *L = zh ? &labels_zh : &labels_en;
    c->html.len = 0;
    writer ww = {&c->html, &c->al, true}, *w = &ww;
    size_t n_elig = 0;
    for (size_t i = 0; i < c->n_changed; i++)
        n_elig += eligibility_changes(c, i);

    putf(w, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
         L->lang);
    put_esc(w, "", L->title, "</title>\n");
    puts_(w, html_style);
    put_esc(w, "</head>\n<body>\n<h1>", L->title, "</h1>\n");
    if (caption)
        put_esc(w, "<p class=\"caption\">", caption, "</p>\n");
    long long projects = c->stats[EMBEDSVC_COMPARE_STAT_PROJECTS], errors = c->stats[EMBEDSVC_COMPARE_STAT_ERRORS];
    if (zh)
        putf(w, "<p class=\"meta\">项目 %lld 个，各按 %zu 项政策评估", projects, c->n);
    else
        putf(w, "<p class=\"meta\">%lld projects, each evaluated under %zu policies", projects, c->n);
    if (errors)
        putf(w, zh ? "；错误行 %lld 行（未计入）" : "; error lines: %lld (not counted)", errors);
    put_esc(w, zh ? "。" : ". ", L->generated, zh ? "。</p>\n" : ".</p>\n");

    /* policies */
    put_esc(w, "<h2>", L->policies, "</h2>\n<table id=\"policies\"><thead><tr><th>#</th><th>id</th>");
    put_esc(w, "<th>", L->version, "</th>");
    put_esc(w, "<th>", L->name_col, "</th></tr></thead><tbody>\n");
    for (size_t p = 0; p < c->n; p++) {
        const embedsvc_policy *pol = c->policies[p];
        putf(w, "<tr><td><span class=\"swatch\" style=\"background:%s\"></span>%zu</td><td>", policy_colors[p], p);
        html_esc(w, policy_id(c, p));
        if (p == 0)
            put_esc(w, " (", L->baseline, ")");
        put_esc(w, "</td><td>", embedsvc_policy_text(pol, "version"), "</td>");
        put_esc(w, "<td>", embedsvc_policy_text(pol, zh ? "title_zh" : "title_en"), "</td></tr>\n");
    }
    puts_(w, "</tbody></table>\n");

    put_esc(w, "<h2>", L->summary, "</h2>\n");
    summary_table(w, c, L);
    put_esc(w, "<h2>", L->by_class, "</h2>\n");
    chart_by_class(w, c, L);
    put_esc(w, "<h2>", L->by_district, "</h2>\n");
    chart_by_district(w, c, L);
    put_esc(w, "<h2>", L->eligibility, "</h2>\n");
    chart_changes(w, c, L);
    put_esc(w, "<h2>", L->eligibility_projects, "</h2>\n");
    chart_projects(w, c, L, n_elig);
    projects_table(w, c, L, n_elig);
    put_esc(w, "<h2>", L->district_table, "</h2>\n");
    district_table(w, c, L);
    puts_(w, "</body>\n</html>\n");
    return finish(w, &c->html, html, len, err);
}
