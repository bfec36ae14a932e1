/* The fast reader of embedsvc.project/1 (reference §5): one pass over the text straight into the
 * project, without building a tree, for the documents almost every caller sends — valid ones.
 *
 * It accepts a document only when the full reader (project.c over json.c) accepts it, and then
 * stores the same values: the values go through the same field table and checks
 * (esv_project_store). Anything else — a syntax error, an escape in a string, a byte order mark, an
 * unknown or repeated key, a value the checks refuse, a string over the limit, a missing required
 * field — makes it give up, and embedsvc_project_parse reads the document again with the full
 * reader, which reports the first defect in the order of reference §10. So the fast reader never
 * reports an error and needs no positions. The fuzz harness fuzz_project and tests/test_project.c
 * check that the two readers agree on every document the fast one accepts. */
#include "json_internal.h"
#include "model.h"

#include <string.h>

typedef struct scan {
    const unsigned char *p, *end;
    embedsvc_project *proj;
    bool nomem; /* a store ran out of memory */
} scan;

static inline void skip_ws(scan *c)
{
    while (c->p < c->end && *c->p <= ' ' && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
        c->p++; /* the byte after a token, almost always above ' ', is decided by one comparison */
}

/* Consumes the byte ch after white space; false when it is not there. */
static inline bool eat(scan *c, unsigned char ch)
{
    skip_ws(c);
    if (c->p == c->end || *c->p != ch)
        return false;
    c->p++;
    return true;
}

/* The closing quote of the string whose content starts at q — the first '"', '\\' or control
 * character — or end; *high non-zero when a byte at or around the content may be above 0x7F. */
static inline const unsigned char *string_end(const unsigned char *q, const unsigned char *end, uint64_t *high)
{
    uint64_t h = 0;
    while (end - q >= 8) {
        uint64_t v = esv_load64(q);
        h |= v;
        uint64_t m = esv_json_special_mask(v);
        if (m) {
            *high = h & ESV_SWAR_HIGH;
            return q + esv_json_special_index(q, m);
        }
        q += 8;
    }
    while (q < end && !esv_json_special[*q])
        h |= *q++;
    *high = h & ESV_SWAR_HIGH; /* the words read above and, in the low byte, the bytes after them */
    return q;
}

/* A string at c->p (its opening quote) without escapes or control characters, valid UTF-8 and
 * within the limit: its content in *s, *n. */
static inline bool string(scan *c, const char **s, size_t *n)
{
    uint64_t high;
    const unsigned char *q = string_end(c->p + 1, c->end, &high);
    if (q == c->end || *q != '"')
        return false;
    size_t len = (size_t)(q - c->p - 1);
    if (len > ESV_JSON_MAX_STRING || (high && esv_jp_utf8_check((const char *)c->p + 1, len) != len))
        return false;
    *s = (const char *)c->p + 1;
    *n = len;
    c->p = q + 1;
    return true;
}

/* A number token of RFC 8259 at c->p. */
static bool number(scan *c, const char **s, size_t *n)
{
    const unsigned char *q;
    const char *expected;
    if (esv_json_number(c->p, c->end, &q, &expected) != ESV_NUM_OK)
        return false;
    *s = (const char *)c->p;
    *n = (size_t)(q - c->p);
    c->p = q;
    return true;
}

static bool literal(scan *c, const char *lit, size_t n)
{
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool store(scan *c, int function, const esv_field_spec *s, esv_jtype type, const char *text, size_t len)
{
    int rc = esv_project_store(c->proj, function, s, type, text, len);
    if (rc < 0)
        c->nomem = true;
    return rc == 0;
}

/* The value of the member of field s (of function `function`, or EMBEDSVC_PROJECT_LEVEL). */
static bool value(scan *c, int function, const esv_field_spec *s)
{
    skip_ws(c);
    if (c->p == c->end)
        return false;
    const char *text;
    size_t len;
    switch (*c->p) {
    case '"':
        return string(c, &text, &len) && store(c, function, s, ESV_JSTRING, text, len);
    case 't':
        return literal(c, "true", 4) && store(c, function, s, ESV_JTRUE, "true", 4);
    case 'f':
        return literal(c, "false", 5) && store(c, function, s, ESV_JFALSE, "false", 5);
    default:
        return number(c, &text, &len) && store(c, function, s, ESV_JNUMBER, text, len);
    }
}

/* After a member or element: 1 for a ',' (another follows), 0 for the closing bracket, -1 to give up. */
static int next(scan *c, unsigned char close)
{
    skip_ws(c);
    if (c->p == c->end)
        return -1;
    unsigned char ch = *c->p++;
    return ch == ',' ? 1 : ch == close ? 0 : -1;
}

enum { KEY_FIELD, KEY_SCHEMA, KEY_FUNCTIONS, KEY_NONE };

/* A key (after white space) and its colon: KEY_FIELD with *s the field of the table it names at this
 * level, KEY_SCHEMA or KEY_FUNCTIONS (project level), or KEY_NONE to give up. A key is matched with
 * its closing quote in place, so it is never measured: a key that is none of these — unknown, or
 * written with an escape — makes the reader give up, as any defect does. */
static int key(scan *c, bool function_level, const esv_field_spec **s)
{
    skip_ws(c);
    if (c->p == c->end || *c->p != '"')
        return KEY_NONE;
    c->p++;
    size_t n;
    int kind = KEY_FIELD;
    if ((*s = esv_project_key_at(function_level, (const char *)c->p, (size_t)(c->end - c->p), &n)) != NULL)
        c->p += n + 1;
    else if (!function_level && literal(c, "schema\"", 7)) /* the two keys outside the table */
        kind = KEY_SCHEMA;
    else if (!function_level && literal(c, "functions\"", 10))
        kind = KEY_FUNCTIONS;
    else
        return KEY_NONE;
    return eat(c, ':') ? kind : KEY_NONE;
}

/* The value of a field member, once per object (*seen: the fields read so far). */
static bool field_member(scan *c, int function, const esv_field_spec *s, uint64_t *seen)
{
    uint64_t bit = UINT64_C(1) << esv_project_field_id(s);
    if ((*seen & bit) || !value(c, function, s))
        return false;
    *seen |= bit;
    return true;
}

/* The members of one function object, its '{' consumed. */
static bool function_object(scan *c, int i)
{
    memset(&c->proj->functions[i], 0, sizeof(c->proj->functions[i]));
    if (eat(c, '}'))
        return true;
    uint64_t seen = 0;
    for (;;) {
        const esv_field_spec *s;
        if (key(c, true, &s) != KEY_FIELD || !field_member(c, i, s, &seen))
            return false;
        int more = next(c, '}');
        if (more <= 0)
            return more == 0;
    }
}

/* The functions array, its '[' consumed: 1 to EMBEDSVC_MAX_FUNCTIONS function objects. */
static bool functions(scan *c)
{
    size_t i = 0;
    for (;;) {
        if (i == EMBEDSVC_MAX_FUNCTIONS || !eat(c, '{') || !function_object(c, (int)i))
            return false;
        i++;
        int more = next(c, ']');
        if (more < 0)
            return false;
        if (more == 0)
            break;
    }
    c->proj->n_functions = i;
    c->proj->has_functions = true;
    return true;
}

/* The project object, up to the end of the document. */
static bool document(scan *c)
{
    if (!eat(c, '{'))
        return false;
    embedsvc_project *p = c->proj;
    uint64_t seen = 0;
    const uint64_t schema_bit = UINT64_C(1) << 62, functions_bit = UINT64_C(1) << 63;
    for (;;) {
        const esv_field_spec *s;
        int kind = key(c, false, &s);
        if (kind == KEY_FIELD) {
            if (!field_member(c, EMBEDSVC_PROJECT_LEVEL, s, &seen))
                return false;
        } else if (kind == KEY_SCHEMA) {
            const char *v;
            size_t vn;
            skip_ws(c);
            if ((seen & schema_bit) || c->p == c->end || *c->p != '"' || !string(c, &v, &vn) || vn != 18 ||
                memcmp(v, "embedsvc.project/1", 18) != 0)
                return false;
            seen |= schema_bit;
        } else if (kind == KEY_FUNCTIONS) {
            if ((seen & functions_bit) || !eat(c, '[') || !functions(c))
                return false;
            seen |= functions_bit;
        } else {
            return false;
        }
        int more = next(c, '}');
        if (more < 0)
            return false;
        if (more == 0)
            break;
    }
    skip_ws(c);
    /* the required fields of read_project: id, build_mode, total_investment, functions */
    return c->p == c->end && p->id.s && p->build_mode.has && p->total_investment.has && (seen & functions_bit);
}

int esv_project_scan(embedsvc_project *p, const char *data, size_t len)
{
    if (len > ESV_JSON_MAX_SIZE)
        return 1;
    scan c = {(const unsigned char *)data, (const unsigned char *)data + len, p, false};
    bool ok = document(&c);
    return c.nomem ? -1 : ok ? 0 : 1;
}
