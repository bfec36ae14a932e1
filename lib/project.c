/* Projects (reference §5): the embedsvc.project/1 reader and the builder API. One table of fields
 * drives both, so that a value set through the API is checked exactly as the same value in JSON. */
#include "model.h"

#include <string.h>

typedef enum kind {
    K_ID,
    K_TEXT,
    K_DATE,
    K_ENUM,
    K_MONEY,
    K_RATE,
    K_AREA,
    K_MINUTES,
    K_BOOL,
} kind;

struct field_spec {
    char key[24]; /* the key_len bytes of the key, then its closing quote (as the fast reader meets it) */
    unsigned char key_len;
    unsigned char field; /* embedsvc_field */
    unsigned char kind;
    signed char enum_kind;
    bool function_level;
    size_t offset; /* of the esv_text or esv_opt in embedsvc_project or esv_function */
};
typedef esv_field_spec field_spec;

/* The key k followed by '"', and its length (a key must leave room for its quote and NUL in key:
 * the array size is negative, a compile error, when it does not). */
#define KEY(k) k "\"", sizeof(k) - 1 + 0 * sizeof(char[sizeof(k) + 1 <= 24 ? 1 : -1])
/* The fields of each level, in the order of reference §5, as X(key, field, kind, enum kind, member):
 * one list gives the table and the names of its places (P_id, F_label, ...) for the dispatch of
 * esv_project_key_at below. */
#define PROJECT_FIELDS(X)                                                                                     \
    X(id, EMBEDSVC_FIELD_ID, K_ID, -1, id)                                                                     \
    X(name, EMBEDSVC_FIELD_NAME, K_TEXT, -1, name)                                                             \
    X(district, EMBEDSVC_FIELD_DISTRICT, K_TEXT, -1, district)                                                 \
    X(street, EMBEDSVC_FIELD_STREET, K_TEXT, -1, street)                                                       \
    X(community, EMBEDSVC_FIELD_COMMUNITY, K_TEXT, -1, community)                                              \
    X(application_date, EMBEDSVC_FIELD_APPLICATION_DATE, K_DATE, -1, application_date)                         \
    X(build_mode, EMBEDSVC_FIELD_BUILD_MODE, K_ENUM, EMBEDSVC_ENUM_BUILD_MODE, build_mode)                     \
    X(layout, EMBEDSVC_FIELD_LAYOUT, K_ENUM, EMBEDSVC_ENUM_LAYOUT, layout)                                     \
    X(total_investment, EMBEDSVC_FIELD_TOTAL_INVESTMENT, K_MONEY, -1, total_investment)                        \
    X(inclusive_rate, EMBEDSVC_FIELD_INCLUSIVE_RATE, K_RATE, -1, inclusive_rate)                               \
    X(walk_minutes, EMBEDSVC_FIELD_WALK_MINUTES, K_MINUTES, -1, walk_minutes)                                  \
    X(operation_model, EMBEDSVC_FIELD_OPERATION_MODEL, K_ENUM, EMBEDSVC_ENUM_OPERATION_MODEL, operation_model) \
    X(exemption_reason, EMBEDSVC_FIELD_EXEMPTION_REASON, K_TEXT, -1, exemption_reason)                         \
    X(stage, EMBEDSVC_FIELD_STAGE, K_ENUM, EMBEDSVC_ENUM_STAGE, stage)                                         \
    X(residents_consulted, EMBEDSVC_FIELD_RESIDENTS_CONSULTED, K_BOOL, -1, residents_consulted)                \
    X(feasibility_approved, EMBEDSVC_FIELD_FEASIBILITY_APPROVED, K_BOOL, -1, feasibility_approved)             \
    X(estimate_depth_report, EMBEDSVC_FIELD_ESTIMATE_DEPTH_REPORT, K_BOOL, -1, estimate_depth_report)          \
    X(progress, EMBEDSVC_FIELD_PROGRESS, K_RATE, -1, progress)                                                 \
    X(approved, EMBEDSVC_FIELD_APPROVED, K_MONEY, -1, approved)                                                \
    X(disbursed, EMBEDSVC_FIELD_DISBURSED, K_MONEY, -1, disbursed)                                             \
    X(annual_revenue, EMBEDSVC_FIELD_ANNUAL_REVENUE, K_MONEY, -1, annual_revenue)                              \
    X(annual_cost, EMBEDSVC_FIELD_ANNUAL_COST, K_MONEY, -1, annual_cost)

#define FUNCTION_FIELDS(X)                                                                    \
    X(scenario, EMBEDSVC_FIELD_SCENARIO, K_TEXT, -1, scenario)                                 \
    X(service_class, EMBEDSVC_FIELD_SERVICE_CLASS, K_ENUM, EMBEDSVC_ENUM_CLASS, service_class) \
    X(item, EMBEDSVC_FIELD_ITEM, K_TEXT, -1, item)                                             \
    X(label, EMBEDSVC_FIELD_LABEL, K_TEXT, -1, label)                                          \
    X(floor_area_m2, EMBEDSVC_FIELD_FLOOR_AREA, K_AREA, -1, area)                              \
    X(investment, EMBEDSVC_FIELD_INVESTMENT, K_MONEY, -1, investment)

#define P_SPEC(k, f, kd, e, m) {KEY(#k), f, kd, e, false, offsetof(embedsvc_project, m)},
#define F_SPEC(k, f, kd, e, m) {KEY(#k), f, kd, e, true, offsetof(esv_function, m)},
#define P_PLACE(k, f, kd, e, m) P_##k,
#define F_PLACE(k, f, kd, e, m) F_##k,

static const field_spec project_fields[] = {PROJECT_FIELDS(P_SPEC)};
static const field_spec function_fields[] = {FUNCTION_FIELDS(F_SPEC)};
enum { PROJECT_FIELDS(P_PLACE) P_COUNT };
enum { FUNCTION_FIELDS(F_PLACE) F_COUNT };

/* Whether the n bytes (n >= 1) at a and b are equal: for the keys of 2 to 24 bytes two or three
 * overlapping loads each, without a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 24) {
        uint64_t a0, a1, a2, b0, b1, b2;
        size_t mid = n > 16 ? 8 : 0; /* the middle word, or the first again */
        memcpy(&a0, a, 8), memcpy(&a1, a + mid, 8), memcpy(&a2, a + n - 8, 8);
        memcpy(&b0, b, 8), memcpy(&b1, b + mid, 8), memcpy(&b2, b + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4), memcpy(&a1, a + n - 4, 4), memcpy(&b0, b, 4), memcpy(&b1, b + n - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n >= 2 && n < 4) {
        uint16_t a0, a1, b0, b1;
        memcpy(&a0, a, 2), memcpy(&a1, a + n - 2, 2), memcpy(&b0, b, 2), memcpy(&b1, b + n - 2, 2);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return memcmp(a, b, n) == 0;
}

/* The field of the len-byte key in table t, or NULL (the full reader's search; the fast reader's is
 * esv_project_key_at below). */
static const field_spec *spec_by_key(const field_spec *t, size_t n, const char *key, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (len == t[i].key_len && same_bytes(t[i].key, key, len))
            return &t[i];
    return NULL;
}

static const field_spec *spec_by_field(embedsvc_field f, bool function_level)
{
    const field_spec *t = function_level ? function_fields : project_fields;
    size_t n = function_level ? ESV_ARRAY_LEN(function_fields) : ESV_ARRAY_LEN(project_fields);
    for (size_t i = 0; i < n; i++)
        if (t[i].field == (unsigned char)f)
            return &t[i];
    return NULL;
}

static void *slot(embedsvc_project *p, int function, const field_spec *s)
{
    char *base = s->function_level ? (char *)&p->functions[function] : (char *)p;
    return base + s->offset;
}

static bool is_text_kind(kind k)
{
    return k == K_ID || k == K_TEXT || k == K_DATE;
}

/* Checks and stores a value given as text (a JSON string's content or a number's token).
 * `borrow`: the text is a NUL-terminated string of the project's own JSON parser, valid until the
 * next parse, which clears the project first — so it is referenced, not copied.
 * Returns NULL, or an error code with *msg. ENOMEM is reported as code "nomem". */
static const char *store_value(embedsvc_project *p, int function, const field_spec *s, const char *text, size_t len,
                               bool borrow, const char **msg)
{
    void *dst = slot(p, function, s);
    switch ((kind)s->kind) {
    case K_ID: {
        size_t i = 0;
        while (i < len && (unsigned char)text[i] >= 0x20 && (unsigned char)text[i] < 0x7F)
            i++; /* printable ASCII, as ids mostly are: a character a byte */
        size_t cps = i;
        while (i < len) {
            uint32_t cp = esv_utf8_next(text, len, &i);
            if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
                *msg = "an id must not contain control characters";
                return "parse.value";
            }
            cps++;
        }
        if (cps < 1 || cps > 64) {
            *msg = "an id has 1 to 64 characters";
            return "parse.value";
        }
    }
        /* fall through */
    case K_TEXT:
    case K_DATE: {
        if (s->kind == K_DATE && !esv_date_valid(text, len)) {
            *msg = "expected a calendar date YYYY-MM-DD";
            return "parse.value";
        }
        esv_text *t = dst;
        const char *copy = borrow ? text : esv_arena_strndup(&p->arena, &p->al, text, len);
        if (!copy) {
            *msg = "out of memory";
            return "nomem";
        }
        t->s = copy;
        t->len = len;
        return NULL;
    }
    case K_ENUM: {
        int e = embedsvc_enum_parse((embedsvc_enum)s->enum_kind, text, len);
        if (e < 0) {
            *msg = "unknown value";
            return "parse.value";
        }
        *(esv_opt *)dst = (esv_opt){true, e};
        return NULL;
    }
    case K_MONEY:
    case K_RATE:
    case K_AREA: {
        esv_decimal_kind dk = s->kind == K_MONEY ? ESV_DEC_MONEY : s->kind == K_RATE ? ESV_DEC_RATE : ESV_DEC_AREA;
        int64_t v;
        const char *code = esv_decimal_parse(dk, text, len, &v, msg);
        if (code)
            return code;
        *(esv_opt *)dst = (esv_opt){true, v};
        return NULL;
    }
    case K_MINUTES: {
        int64_t v;
        if (!esv_integer_parse(text, len, 0, 1440, &v)) {
            *msg = "expected an integer from 0 to 1440";
            return "parse.value";
        }
        *(esv_opt *)dst = (esv_opt){true, v};
        return NULL;
    }
    case K_BOOL:
        if (len == 4 && memcmp(text, "true", 4) == 0)
            *(esv_opt *)dst = (esv_opt){true, 1};
        else if (len == 5 && memcmp(text, "false", 5) == 0)
            *(esv_opt *)dst = (esv_opt){true, 0};
        else {
            *msg = "expected true or false";
            return "parse.value";
        }
        return NULL;
    }
    *msg = "unknown field";
    return "parse.value";
}

static bool json_type_ok(kind k, esv_jtype t)
{
    switch (k) {
    case K_ID:
    case K_TEXT:
    case K_DATE:
    case K_ENUM:
        return t == ESV_JSTRING;
    case K_MONEY:
    case K_RATE:
    case K_AREA:
        return t == ESV_JSTRING || t == ESV_JNUMBER;
    case K_MINUTES:
        return t == ESV_JNUMBER;
    case K_BOOL:
        return t == ESV_JTRUE || t == ESV_JFALSE;
    }
    return false;
}

static const char *kind_expect(kind k)
{
    switch (k) {
    case K_ID:
    case K_TEXT:
        return "a string";
    case K_DATE:
        return "a date string YYYY-MM-DD";
    case K_ENUM:
        return "a code string";
    case K_MONEY:
        return "an amount in yuan (number or string)";
    case K_RATE:
        return "a rate (number or string)";
    case K_AREA:
        return "an area in m² (number or string)";
    case K_MINUTES:
        return "an integer";
    case K_BOOL:
        return "true or false";
    }
    return "?";
}

static int member(embedsvc_project *p, const esv_walk *w, const esv_path *parent, const field_spec *table, size_t n,
                  int function, const esv_jval *m)
{
    esv_path mp = {parent, m->key, m->key_len, 0};
    const field_spec *s = spec_by_key(table, n, m->key, m->key_len);
    if (!s)
        return esv_walk_unknown(w, &mp, m);
    if (!json_type_ok((kind)s->kind, m->type))
        return esv_walk_type_error(w, &mp, m, kind_expect((kind)s->kind));
    const char *text = m->str;
    size_t len = m->len;
    if (m->type == ESV_JTRUE) {
        text = "true";
        len = 4;
    } else if (m->type == ESV_JFALSE) {
        text = "false";
        len = 5;
    }
    const char *msg;
    const char *code = store_value(p, function, s, text, len, m->type == ESV_JSTRING, &msg);
    if (!code)
        return EMBEDSVC_OK;
    if (strcmp(code, "nomem") == 0)
        return esv_error_set(w->err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    return esv_walk_fail(w, &mp, m->offset, code, "%s", msg);
}

static const char *const required_keys[] = {"id", "build_mode", "total_investment", "functions"};

static int read_project(embedsvc_project *p, const esv_walk *w, const esv_jval *root)
{
    if (root->type != ESV_JOBJECT)
        return esv_walk_expect(w, NULL, root, ESV_JOBJECT, "a project object");
    for (const esv_jval *m = root->child; m; m = m->next) {
        int rc;
        if (m->key_len == 6 && memcmp(m->key, "schema", 6) == 0) {
            esv_path mp = {NULL, m->key, m->key_len, 0};
            rc = esv_walk_expect(w, &mp, m, ESV_JSTRING, "\"embedsvc.project/1\"");
            if (rc == EMBEDSVC_OK && !(m->len == 18 && memcmp(m->str, "embedsvc.project/1", 18) == 0))
                rc = esv_walk_fail(w, &mp, m->offset, "parse.value", "expected \"embedsvc.project/1\"");
        } else if (m->key_len == 9 && memcmp(m->key, "functions", 9) == 0) {
            esv_path fp = {NULL, m->key, m->key_len, 0};
            rc = esv_walk_expect(w, &fp, m, ESV_JARRAY, "an array of functions");
            if (rc == EMBEDSVC_OK && (m->len < 1 || m->len > EMBEDSVC_MAX_FUNCTIONS))
                rc = esv_walk_fail(w, &fp, m->offset, "parse.value", "a project has 1 to 64 functions, not %zu",
                                   m->len);
            size_t i = 0;
            for (const esv_jval *e = m->child; e && rc == EMBEDSVC_OK; e = e->next, i++) {
                esv_path ep = {&fp, NULL, 0, i};
                rc = esv_walk_expect(w, &ep, e, ESV_JOBJECT, "a function object");
                memset(&p->functions[i], 0, sizeof(p->functions[i]));
                for (const esv_jval *fm = e->child; fm && rc == EMBEDSVC_OK; fm = fm->next)
                    rc = member(p, w, &ep, function_fields, ESV_ARRAY_LEN(function_fields), (int)i, fm);
            }
            p->n_functions = i;
            p->has_functions = true;
        } else {
            rc = member(p, w, NULL, project_fields, ESV_ARRAY_LEN(project_fields), EMBEDSVC_PROJECT_LEVEL, m);
        }
        if (rc != EMBEDSVC_OK)
            return rc;
    }
    if (!p->id.s)
        return esv_walk_missing(w, NULL, root->offset, required_keys[0]);
    if (!p->build_mode.has)
        return esv_walk_missing(w, NULL, root->offset, required_keys[1]);
    if (!p->total_investment.has)
        return esv_walk_missing(w, NULL, root->offset, required_keys[2]);
    if (!p->has_functions)
        return esv_walk_missing(w, NULL, root->offset, required_keys[3]);
    return EMBEDSVC_OK;
}

/* ---- public API ---- */

int embedsvc_project_new(const embedsvc_allocator *alloc, embedsvc_project **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_project *p = esv_calloc(&al, 1, sizeof(*p));
    if (!p)
        return EMBEDSVC_ENOMEM;
    p->al = al;
    *out = p;
    return EMBEDSVC_OK;
}

void embedsvc_project_free(embedsvc_project *p)
{
    if (!p)
        return;
    esv_alloc al = p->al;
    esv_arena_free(&p->arena, &al);
    if (p->json)
        esv_json_free(p->json);
    esv_free(&al, p);
}

void embedsvc_project_clear(embedsvc_project *p)
{
    if (!p)
        return;
    esv_arena_reset(&p->arena);
    /* everything between the arena/parser and the end of the struct is data */
    size_t start = offsetof(embedsvc_project, id);
    memset((char *)p + start, 0, offsetof(embedsvc_project, functions) - start);
    p->n_functions = 0;
}

/* The full reader: the document as a tree (json.c), then its members. Reports every defect. */
int esv_project_read_tree(embedsvc_project *p, const char *data, size_t len, embedsvc_error *err)
{
    embedsvc_project_clear(p);
    if (!p->json) {
        p->json = esv_json_new(&p->al);
        if (!p->json)
            return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    const esv_jval *root;
    int rc = esv_json_parse(p->json, data, len, &root, err);
    if (rc == EMBEDSVC_OK) {
        esv_walk w = {data, len, err};
        rc = read_project(p, &w, root);
    }
    if (rc != EMBEDSVC_OK)
        embedsvc_project_clear(p);
    return rc;
}

int embedsvc_project_parse(embedsvc_project *p, const char *data, size_t len, embedsvc_error *err)
{
    if (!p || (!data && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "invalid argument");
    if (!data)
        data = "";
    /* a valid document in one pass (project_scan.c); anything else again through the full reader,
     * which finds its first defect in the order of reference §10 */
    embedsvc_project_clear(p);
    int rc = esv_project_scan(p, data, len);
    if (rc == 0)
        return EMBEDSVC_OK;
    if (rc < 0) {
        embedsvc_project_clear(p);
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    return esv_project_read_tree(p, data, len, err);
}

/* ---- what the fast reader (project_scan.c) shares ---- */

/* The places of the keys of each level that begin with a letter, each plus one (0 ends a list): the
 * first byte of a key leaves one to four to compare. A key missing here is not lost — the fast
 * reader gives up on it and the full reader reads it — and tests/test_project.c has the fast reader
 * take a document holding every key of both levels. */
#define AT(c) [(c) - 'a']
static const unsigned char project_by_letter[26][4] = {
    AT('a') = {1 + P_application_date, 1 + P_approved, 1 + P_annual_revenue, 1 + P_annual_cost},
    AT('b') = {1 + P_build_mode},
    AT('c') = {1 + P_community},
    AT('d') = {1 + P_district, 1 + P_disbursed},
    AT('e') = {1 + P_exemption_reason, 1 + P_estimate_depth_report},
    AT('f') = {1 + P_feasibility_approved},
    AT('i') = {1 + P_id, 1 + P_inclusive_rate},
    AT('l') = {1 + P_layout},
    AT('n') = {1 + P_name},
    AT('o') = {1 + P_operation_model},
    AT('p') = {1 + P_progress},
    AT('r') = {1 + P_residents_consulted},
    AT('s') = {1 + P_street, 1 + P_stage},
    AT('t') = {1 + P_total_investment},
    AT('w') = {1 + P_walk_minutes},
};
static const unsigned char function_by_letter[26][4] = {
    AT('f') = {1 + F_floor_area_m2},
    AT('i') = {1 + F_investment, 1 + F_item},
    AT('l') = {1 + F_label},
    AT('s') = {1 + F_service_class, 1 + F_scenario},
};
#undef AT

const esv_field_spec *esv_project_key_at(bool function_level, const char *text, size_t avail, size_t *len)
{
    unsigned letter = avail ? (unsigned)(unsigned char)text[0] - 'a' : 26;
    if (letter >= 26)
        return NULL;
    const field_spec *t = function_level ? function_fields : project_fields;
    const unsigned char *places = function_level ? function_by_letter[letter] : project_by_letter[letter];
    for (size_t k = 0; k < 4 && places[k]; k++) {
        const field_spec *s = &t[places[k] - 1];
        if (avail > s->key_len && same_bytes(s->key, text, s->key_len + 1u)) {
            *len = s->key_len;
            return s;
        }
    }
    return NULL;
}

int esv_project_field_id(const esv_field_spec *s)
{
    return s->field;
}

int esv_project_store(embedsvc_project *p, int function, const esv_field_spec *s, esv_jtype type, const char *text,
                      size_t len)
{
    if (!json_type_ok((kind)s->kind, type))
        return 1;
    const char *msg;
    const char *code = store_value(p, function, s, text, len, false, &msg);
    return !code ? 0 : strcmp(code, "nomem") == 0 ? -1 : 1;
}

static bool same_text(const esv_text *a, const esv_text *b)
{
    if (!a->s || !b->s)
        return !a->s && !b->s;
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0 && a->s[a->len] == '\0' && b->s[b->len] == '\0';
}

static bool same_fields(const char *a, const char *b, const field_spec *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is_text_kind((kind)t[i].kind)) {
            if (!same_text((const esv_text *)(a + t[i].offset), (const esv_text *)(b + t[i].offset)))
                return false;
        } else {
            const esv_opt *x = (const esv_opt *)(a + t[i].offset), *y = (const esv_opt *)(b + t[i].offset);
            if (x->has != y->has || (x->has && x->v != y->v))
                return false;
        }
    }
    return true;
}

bool esv_project_same(const embedsvc_project *a, const embedsvc_project *b)
{
    if (a->n_functions != b->n_functions || a->has_functions != b->has_functions ||
        !same_fields((const char *)a, (const char *)b, project_fields, ESV_ARRAY_LEN(project_fields)))
        return false;
    for (size_t i = 0; i < a->n_functions; i++)
        if (!same_fields((const char *)&a->functions[i], (const char *)&b->functions[i], function_fields,
                         ESV_ARRAY_LEN(function_fields)))
            return false;
    return true;
}

int embedsvc_project_add_function(embedsvc_project *p, size_t *index)
{
    if (!p)
        return EMBEDSVC_EINVAL;
    if (p->n_functions >= EMBEDSVC_MAX_FUNCTIONS)
        return EMBEDSVC_ERANGE;
    memset(&p->functions[p->n_functions], 0, sizeof(p->functions[0]));
    if (index)
        *index = p->n_functions;
    p->n_functions++;
    p->has_functions = true;
    return EMBEDSVC_OK;
}

size_t embedsvc_project_function_count(const embedsvc_project *p)
{
    return p ? p->n_functions : 0;
}

/* Resolves (project, function, field) to its spec; NULL for a bad handle, function index or field. */
static const field_spec *resolve(const embedsvc_project *p, int function, embedsvc_field field)
{
    if (!p || function < EMBEDSVC_PROJECT_LEVEL || (function >= 0 && (size_t)function >= p->n_functions))
        return NULL;
    return spec_by_field(field, function >= 0);
}

static int setter_fail(embedsvc_error *err, int function, const field_spec *s, const char *code, const char *msg)
{
    esv_path fp = {NULL, "functions", 9, 0};
    esv_path ip = {&fp, NULL, 0, function >= 0 ? (size_t)function : 0};
    esv_path kp = {function >= 0 ? &ip : NULL, s->key, s->key_len, 0};
    esv_walk w = {NULL, 0, err}; /* no document: the error has a path but no position */
    int status = strcmp(code, "nomem") == 0 ? EMBEDSVC_ENOMEM : EMBEDSVC_EPARSE;
    return esv_walk_fail_status(&w, status, &kp, 0, code, "%s", msg);
}

int embedsvc_project_set_text(embedsvc_project *p, int function, embedsvc_field field, const char *text, size_t len,
                              embedsvc_error *err)
{
    const field_spec *s = resolve(p, function, field);
    if (!s || (!text && len))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "no such field or function");
    if (!text)
        text = "";
    size_t valid = esv_utf8_valid_prefix(text, len);
    if (valid != len || memchr(text, '\0', len))
        return setter_fail(err, function, s, "parse.encoding", "not valid UTF-8 text (or contains NUL)");
    if (len > ESV_JSON_MAX_STRING)
        return setter_fail(err, function, s, "parse.limit", "longer than 4096 bytes");
    const char *msg;
    const char *code = store_value(p, function, s, text, len, false, &msg);
    return code ? setter_fail(err, function, s, code, msg) : EMBEDSVC_OK;
}

int embedsvc_project_set_int(embedsvc_project *p, int function, embedsvc_field field, int64_t value,
                             embedsvc_error *err)
{
    const field_spec *s = resolve(p, function, field);
    if (!s || is_text_kind((kind)s->kind))
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "no such numeric field or function");
    int64_t max = 0;
    switch ((kind)s->kind) {
    case K_ENUM:
        max = value <= INT32_MAX && embedsvc_enum_code((embedsvc_enum)s->enum_kind, (int)value) ? value : -1;
        break;
    case K_MONEY:
        max = INT64_C(100000000000000);
        break;
    case K_RATE:
        max = 10000;
        break;
    case K_AREA:
        max = INT64_C(1000000000);
        break;
    case K_MINUTES:
        max = 1440;
        break;
    case K_BOOL:
        max = 1;
        break;
    default:
        break;
    }
    if (value < 0 || value > max) {
        if (s->kind == K_MONEY)
            return setter_fail(err, function, s, value < 0 ? "money.negative" : "money.range",
                               value < 0 ? "money must not be negative" : "money above 1,000,000,000,000 yuan");
        return setter_fail(err, function, s, "parse.value", "value out of range");
    }
    *(esv_opt *)slot(p, function, s) = (esv_opt){true, value};
    return EMBEDSVC_OK;
}

int embedsvc_project_unset(embedsvc_project *p, int function, embedsvc_field field)
{
    const field_spec *s = resolve(p, function, field);
    if (!s)
        return EMBEDSVC_EINVAL;
    void *dst = slot(p, function, s);
    if (is_text_kind((kind)s->kind))
        *(esv_text *)dst = (esv_text){NULL, 0};
    else
        *(esv_opt *)dst = (esv_opt){false, 0};
    return EMBEDSVC_OK;
}

const char *embedsvc_project_get_text(const embedsvc_project *p, int function, embedsvc_field field)
{
    const field_spec *s = resolve(p, function, field);
    if (!s || !is_text_kind((kind)s->kind))
        return NULL;
    return ((const esv_text *)slot((embedsvc_project *)p, function, s))->s;
}

int embedsvc_project_get_int(const embedsvc_project *p, int function, embedsvc_field field, int64_t *value)
{
    const field_spec *s = resolve(p, function, field);
    if (!s || is_text_kind((kind)s->kind) || !value)
        return EMBEDSVC_EINVAL;
    const esv_opt *o = slot((embedsvc_project *)p, function, s);
    if (!o->has)
        return 0;
    *value = o->v;
    return 1;
}
