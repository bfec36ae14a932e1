/* The findings table (findings.def): codes, cites, severities, and the Chinese and English
 * messages rendered from its templates — what is wrong and what would fix it, with the names,
 * limits and lists of the policy in force. No printf: a template is copied byte by byte, and each
 * {name} is written by the small functions below. */
#include "model.h"
#include "report_format.h"

#include <string.h>

const char *const esv_code_names[ESV_CODE_COUNT] = {
#define ESV_FINDING(id, code, sev, cite, zh, en) [id] = code,
#include "findings.def"
#undef ESV_FINDING
};

const char *const esv_code_cites[ESV_CODE_COUNT] = {
#define ESV_FINDING(id, code, sev, cite, zh, en) [id] = cite,
#include "findings.def"
#undef ESV_FINDING
};

const signed char esv_code_severity[ESV_CODE_COUNT] = {
#define ESV_FINDING(id, code, sev, cite, zh, en) [id] = sev,
#include "findings.def"
#undef ESV_FINDING
};

static const char *const templates[2][ESV_CODE_COUNT] = {
    {
#define ESV_FINDING(id, code, sev, cite, zh, en) [id] = en,
#include "findings.def"
#undef ESV_FINDING
    },
    {
#define ESV_FINDING(id, code, sev, cite, zh, en) [id] = zh,
#include "findings.def"
#undef ESV_FINDING
    },
};

const char *esv_finding_template(esv_code code, bool zh)
{
    return (unsigned)code < ESV_CODE_COUNT ? templates[zh][code] : NULL;
}

/* ---- writing ---- */

typedef struct ctx {
    const embedsvc_result *r;
    const embedsvc_policy *p;
    const esv_finding *f;
    bool zh;
    esv_buf *b;
    const esv_alloc *al;
    bool ok;
} ctx;

static void put(ctx *c, const char *s, size_t n)
{
    if (c->ok && n)
        c->ok = esv_buf_append(c->b, c->al, s, n);
}

static void puts_(ctx *c, const char *s)
{
    if (s)
        put(c, s, strlen(s));
}

static void put_int(ctx *c, int64_t v)
{
    if (c->ok)
        c->ok = esv_buf_append_int(c->b, c->al, v);
}

/* Amounts and rates by the one number format of the reports (report/format.c, compiled into the
 * library): fen as yuan 1,234,567.89; basis points as 30%, 25.5%, 25.75%. */
static void put_yuan(ctx *c, int64_t fen)
{
    char out[48];
    put(c, out, esv_report_yuan(fen, out, sizeof(out)));
}

static void put_pct(ctx *c, int64_t bp)
{
    char out[48];
    put(c, out, esv_report_percent(bp, out, sizeof(out)));
}

static const char *sep(const ctx *c)
{
    return c->zh ? "、" : ", ";
}

static const char *scen_name(const ctx *c, int64_t s)
{
    const esv_scenario *sc = &c->p->scenarios[s];
    return c->zh ? sc->name_zh.s : sc->name_en.s;
}

static const char *class_name(const ctx *c, int64_t k)
{
    return c->zh ? c->p->classes[k].name_zh.s : c->p->classes[k].name_en.s;
}

static const esv_item *conflict_item(const ctx *c)
{
    const char *t = esv_finding_text(c->r, c->f);
    int i = t ? esv_item_find(c->p, t, strlen(t)) : -1;
    return i >= 0 ? &c->p->items[i] : NULL;
}

static bool has_preferred(const ctx *c)
{
    return c->p->preferred_mask != 0;
}

/* ---- the values of {name} and {name:a} / {name:b} ---- */

static void v_text(ctx *c, int64_t x)
{
    (void)x;
    puts_(c, esv_finding_text(c->r, c->f));
}

static void v_int(ctx *c, int64_t x)
{
    put_int(c, x);
}

static void v_scen(ctx *c, int64_t x)
{
    if (x >= 0 && (size_t)x < c->p->n_scenarios)
        puts_(c, scen_name(c, x));
}

static void v_class(ctx *c, int64_t x)
{
    if (x >= 0 && x < EMBEDSVC_CLASS_COUNT)
        puts_(c, class_name(c, x));
}

static void v_item(ctx *c, int64_t x)
{
    if (x >= 0 && (size_t)x < c->p->n_items)
        puts_(c, c->zh ? c->p->items[x].name_zh.s : c->p->items[x].name_en.s);
}

static void v_allowed(ctx *c, int64_t s)
{
    bool first = true;
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
        if (c->p->scenarios[s].allowed & (1u << k)) {
            if (!first)
                puts_(c, sep(c));
            puts_(c, class_name(c, k));
            first = false;
        }
}

static void scenario_list(ctx *c, uint64_t mask)
{
    bool first = true;
    for (size_t s = 0; s < c->p->n_scenarios; s++)
        if (mask & ((uint64_t)1 << s)) {
            if (!first)
                puts_(c, sep(c));
            puts_(c, scen_name(c, (int64_t)s));
            first = false;
        }
}

static void v_core_list(ctx *c, int64_t x)
{
    (void)x;
    scenario_list(c, c->p->core_mask);
}

static void v_preferred_list(ctx *c, int64_t x)
{
    (void)x;
    scenario_list(c, c->p->preferred_mask);
}

static const char *mode_name(const ctx *c, int m)
{
    return c->zh ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_BUILD_MODE, m) : embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, m);
}

static void v_mode(ctx *c, int64_t x)
{
    puts_(c, mode_name(c, (int)x));
}

static void v_modes(ctx *c, int64_t x)
{
    (void)x;
    bool first = true;
    for (int m = 0; m < 4; m++)
        if (c->p->subsidy_build_modes & (1u << m)) {
            if (!first)
                puts_(c, sep(c));
            puts_(c, mode_name(c, m));
            first = false;
        }
}

static void v_stage(ctx *c, int64_t x)
{
    puts_(c, c->zh ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_STAGE, (int)x) : embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, (int)x));
}

static void v_next_stage(ctx *c, int64_t x)
{
    (void)x;
    if (c->f->a + 1 < EMBEDSVC_STAGE_COUNT)
        v_stage(c, c->f->a + 1);
}

static void v_yuan(ctx *c, int64_t x)
{
    put_yuan(c, x);
}

static void v_pct(ctx *c, int64_t x)
{
    put_pct(c, x);
}

static void v_label_why(ctx *c, int64_t x)
{
    (void)x;
    embedsvc_match m = (embedsvc_match)c->f->b;
    if (c->zh)
        puts_(c, m == EMBEDSVC_MATCH_AMBIGUOUS ? "对应多个服务场景或项目"
                 : m == EMBEDSVC_MATCH_NONE    ? "未能匹配任何服务场景"
                                               : "匹配的服务项目不属于任何服务场景");
    else
        puts_(c, m == EMBEDSVC_MATCH_AMBIGUOUS ? "matches several scenarios or items"
                 : m == EMBEDSVC_MATCH_NONE    ? "matches no scenario"
                                               : "matches an item that belongs to no scenario");
}

static void v_non_service(ctx *c, int64_t x)
{
    if (x >= 0 && (size_t)x < c->p->non_service.n)
        puts_(c, c->p->non_service.v[x].s);
}

static void v_scen0_code(ctx *c, int64_t x)
{
    (void)x;
    puts_(c, c->p->scenarios[0].code.s);
}

static void v_scen0_zh(ctx *c, int64_t x)
{
    (void)x;
    puts_(c, c->p->scenarios[0].name_zh.s);
}

static void v_item_scenario(ctx *c, int64_t x)
{
    (void)x;
    const esv_item *it = conflict_item(c);
    if (it && it->scenario >= 0)
        puts_(c, scen_name(c, it->scenario));
}

static void v_item_class(ctx *c, int64_t x)
{
    (void)x;
    const esv_item *it = conflict_item(c);
    if (it)
        puts_(c, class_name(c, it->cls));
}

static void v_inclusive(ctx *c, int64_t x)
{
    (void)x;
    puts_(c, class_name(c, EMBEDSVC_CLASS_INCLUSIVE));
}

static void v_policy_id(ctx *c, int64_t x)
{
    (void)x;
    puts_(c, c->p->id.s);
}

static void v_date_or_open(ctx *c, const esv_text *d)
{
    puts_(c, d->s ? d->s : c->zh ? "不限" : "open");
}

static void v_effective_from(ctx *c, int64_t x)
{
    (void)x;
    v_date_or_open(c, &c->p->effective_from);
}

static void v_effective_to(ctx *c, int64_t x)
{
    (void)x;
    v_date_or_open(c, &c->p->effective_to);
}

static const struct value {
    const char *name;
    void (*write)(ctx *c, int64_t arg);
} values[] = {
    {"text", v_text},
    {"a", v_int},
    {"b", v_int},
    {"yuan", v_yuan},
    {"pct", v_pct},
    {"scen", v_scen},
    {"class", v_class},
    {"item", v_item},
    {"allowed", v_allowed},
    {"core_list", v_core_list},
    {"preferred_list", v_preferred_list},
    {"mode", v_mode},
    {"modes", v_modes},
    {"stage", v_stage},
    {"next_stage", v_next_stage},
    {"label_why", v_label_why},
    {"non_service", v_non_service},
    {"scen0_code", v_scen0_code},
    {"scen0_zh", v_scen0_zh},
    {"item_scenario", v_item_scenario},
    {"item_class", v_item_class},
    {"inclusive", v_inclusive},
    {"policy_id", v_policy_id},
    {"effective_from", v_effective_from},
    {"effective_to", v_effective_to},
};

/* ---- the conditions of {if:cond} ---- */

static bool condition(const ctx *c, const char *name, size_t n, bool *known)
{
    const esv_finding *f = c->f;
    const esv_item *it;
    *known = true;
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    if (IS("why_scenario"))
        return f->a == ESV_WHY_SCENARIO_TEXT;
    if (IS("why_item"))
        return f->a == ESV_WHY_ITEM_NO_SCENARIO;
    if (IS("why_nothing"))
        return f->a == ESV_WHY_NOTHING_GIVEN;
    if (IS("why_label"))
        return f->a == ESV_WHY_LABEL;
    if (IS("why_non_service"))
        return f->a == ESV_WHY_NON_SERVICE;
    if (IS("a_given"))
        return f->a >= 0;
    if (IS("b_given"))
        return f->b >= 0;
    if (IS("a_and_b"))
        return f->a >= 0 && f->b >= 0;
    if (IS("item_has_scenario"))
        return (it = conflict_item(c)) != NULL && it->scenario >= 0;
    if (IS("has_preferred"))
        return has_preferred(c);
    if (IS("no_preferred"))
        return !has_preferred(c);
    if (IS("exempt"))
        return f->a != 0;
    if (IS("ask_one"))
        return f->a == 0 && has_preferred(c);
    if (IS("ask_reason"))
        return f->a == 0 && !has_preferred(c);
    if (IS("rate_is_max"))
        return c->p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_is_max;
    if (IS("rate_is_fixed"))
        return !c->p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_is_max;
    if (IS("has_modes"))
        return c->p->subsidy_build_modes != 0;
    if (IS("no_modes"))
        return c->p->subsidy_build_modes == 0;
    if (IS("walk_is_15"))
        return f->b == 15; /* the 一刻钟便民生活圈 of 三、(一) is named only when the limit is that circle */
    if (IS("has_next"))
        return f->a + 1 < EMBEDSVC_STAGE_COUNT;
    if (IS("no_next"))
        return f->a + 1 >= EMBEDSVC_STAGE_COUNT;
#undef IS
    *known = false;
    return false;
}

/* Writes one {…} slot (name without the braces). An unknown name is written as "{?name}", which
 * the message test rejects. */
static void slot(ctx *c, const char *name, size_t n)
{
    const char *colon = memchr(name, ':', n);
    size_t base = colon ? (size_t)(colon - name) : n;
    int64_t arg = 0;
    if (colon) {
        if (n - base != 2 || (colon[1] != 'a' && colon[1] != 'b'))
            goto unknown;
        arg = colon[1] == 'a' ? c->f->a : c->f->b;
    } else if (n == 1 && (name[0] == 'a' || name[0] == 'b')) {
        arg = name[0] == 'a' ? c->f->a : c->f->b;
    }
    for (size_t i = 0; i < ESV_ARRAY_LEN(values); i++)
        if (strlen(values[i].name) == base && memcmp(values[i].name, name, base) == 0) {
            values[i].write(c, arg);
            return;
        }
unknown:
    put(c, "{?", 2);
    put(c, name, n);
    put(c, "}", 1);
}

static void render(ctx *c, const char *t)
{
    bool skipping = false;
    while (*t && c->ok) {
        const char *open = strchr(t, '{');
        if (!open) {
            if (!skipping)
                puts_(c, t);
            return;
        }
        if (!skipping)
            put(c, t, (size_t)(open - t));
        const char *close = strchr(open, '}');
        if (!close) { /* a template error: shown, and caught by the test */
            puts_(c, open);
            return;
        }
        const char *name = open + 1;
        size_t n = (size_t)(close - name);
        if (n == 3 && memcmp(name, "end", 3) == 0) {
            skipping = false;
        } else if (n > 3 && memcmp(name, "if:", 3) == 0) {
            bool known;
            skipping = !condition(c, name + 3, n - 3, &known);
            if (!known) {
                put(c, "{?", 2);
                put(c, name, n);
                put(c, "}", 1);
            }
        } else if (!skipping) {
            slot(c, name, n);
        }
        t = close + 1;
    }
}

bool esv_finding_message(const embedsvc_result *r, const esv_finding *f, bool zh, esv_buf *buf, const esv_alloc *al)
{
    ctx c = {r, r->policy, f, zh, buf, al, true};
    const size_t start = buf->len;
    if ((unsigned)f->code < ESV_CODE_COUNT)
        render(&c, templates[zh][f->code]);
    /* A message is a string of the result JSON: keep it within the 4096-byte limit of reference
     * §10, which readers of embedsvc JSON (this library's included) apply. A longer one (a long
     * quoted label, long policy names) is cut at a character and ends with "…". */
    if (c.ok && buf->len - start > ESV_JSON_MAX_STRING) {
        size_t n = start + ESV_JSON_MAX_STRING - 3;
        while (n > start && ((unsigned char)buf->data[n] & 0xC0) == 0x80)
            n--;
        memcpy(buf->data + n, "\xE2\x80\xA6", 3);
        buf->len = n + 3;
        buf->data[buf->len] = '\0';
    }
    return c.ok;
}
