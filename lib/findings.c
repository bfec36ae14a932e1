/* The findings table (findings.def): codes, cites, severities, and the Chinese and English
 * messages rendered from its templates — what is wrong and what would fix it, with the names,
 * limits and lists of the policy in force. No printf: the templates are compiled at build time
 * (gen_findings.py -> findings_ops.h) into ops — literal runs, stored also escaped for JSON, and
 * the {name} values and {if:cond} conditions below, by number. A message is rendered either as
 * text (esv_finding_message) or straight into the result JSON (esv_finding_message_json). */
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
    bool json;  /* writing the message as the content of a JSON string literal, escaped */
    size_t raw; /* bytes of the message before escaping */
} ctx;

static void put(ctx *c, const char *s, size_t n)
{
    if (!c->ok || !n)
        return;
    c->raw += n;
    if (!c->json) {
        c->ok = esv_buf_append(c->b, c->al, s, n);
    } else if (n > (SIZE_MAX - 16) / ESV_JSON_ESCAPE_MAX || !esv_buf_reserve(c->b, c->al, n * ESV_JSON_ESCAPE_MAX)) {
        c->ok = false;
    } else {
        c->b->len = (size_t)(esv_json_escape(c->b->data + c->b->len, s, n) - c->b->data);
        c->b->data[c->b->len] = '\0';
    }
}

static void puts_(ctx *c, const char *s)
{
    if (s)
        put(c, s, strlen(s));
}

static void put_int(ctx *c, int64_t v)
{
    if (!c->ok)
        return;
    size_t before = c->b->len;
    c->ok = esv_buf_append_int(c->b, c->al, v);
    c->raw += c->b->len - before; /* digits need no escaping: as many bytes raw as written */
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

static void put_text(ctx *c, const esv_text *t)
{
    if (t->s)
        put(c, t->s, t->len);
}

static const esv_text *scen_name(const ctx *c, int64_t s)
{
    const esv_scenario *sc = &c->p->scenarios[s];
    return c->zh ? &sc->name_zh : &sc->name_en;
}

static const esv_text *class_name(const ctx *c, int64_t k)
{
    return c->zh ? &c->p->classes[k].name_zh : &c->p->classes[k].name_en;
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
        put_text(c, scen_name(c, x));
}

static void v_class(ctx *c, int64_t x)
{
    if (x >= 0 && x < EMBEDSVC_CLASS_COUNT)
        put_text(c, class_name(c, x));
}

static void v_item(ctx *c, int64_t x)
{
    if (x >= 0 && (size_t)x < c->p->n_items)
        put_text(c, c->zh ? &c->p->items[x].name_zh : &c->p->items[x].name_en);
}

static void v_allowed(ctx *c, int64_t s)
{
    bool first = true;
    for (int k = 0; k < EMBEDSVC_CLASS_COUNT; k++)
        if (c->p->scenarios[s].allowed & (1u << k)) {
            if (!first)
                puts_(c, sep(c));
            put_text(c, class_name(c, k));
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
            put_text(c, scen_name(c, (int64_t)s));
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
        put_text(c, &c->p->non_service.v[x]);
}

static void v_scen0_code(ctx *c, int64_t x)
{
    (void)x;
    put_text(c, &c->p->scenarios[0].code);
}

static void v_scen0_zh(ctx *c, int64_t x)
{
    (void)x;
    put_text(c, &c->p->scenarios[0].name_zh);
}

static void v_item_scenario(ctx *c, int64_t x)
{
    (void)x;
    const esv_item *it = conflict_item(c);
    if (it && it->scenario >= 0)
        put_text(c, scen_name(c, it->scenario));
}

static void v_item_class(ctx *c, int64_t x)
{
    (void)x;
    const esv_item *it = conflict_item(c);
    if (it)
        put_text(c, class_name(c, it->cls));
}

static void v_inclusive(ctx *c, int64_t x)
{
    (void)x;
    put_text(c, class_name(c, EMBEDSVC_CLASS_INCLUSIVE));
}

static void v_policy_id(ctx *c, int64_t x)
{
    (void)x;
    put_text(c, &c->p->id);
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

/* The values of {name}, by name (V_name in the generated ops). */
#define ESV_MSG_VALUES(X) \
    X(text, v_text) \
    X(a, v_int) \
    X(b, v_int) \
    X(yuan, v_yuan) \
    X(pct, v_pct) \
    X(scen, v_scen) \
    X(class, v_class) \
    X(item, v_item) \
    X(allowed, v_allowed) \
    X(core_list, v_core_list) \
    X(preferred_list, v_preferred_list) \
    X(mode, v_mode) \
    X(modes, v_modes) \
    X(stage, v_stage) \
    X(next_stage, v_next_stage) \
    X(label_why, v_label_why) \
    X(non_service, v_non_service) \
    X(scen0_code, v_scen0_code) \
    X(scen0_zh, v_scen0_zh) \
    X(item_scenario, v_item_scenario) \
    X(item_class, v_item_class) \
    X(inclusive, v_inclusive) \
    X(policy_id, v_policy_id) \
    X(effective_from, v_effective_from) \
    X(effective_to, v_effective_to)

enum {
#define X(name, fn) V_##name,
    ESV_MSG_VALUES(X)
#undef X
};

static void (*const value_fn[])(ctx *c, int64_t arg) = {
#define X(name, fn) [V_##name] = fn,
    ESV_MSG_VALUES(X)
#undef X
};

/* ---- the conditions of {if:cond} ---- */

#define ESV_MSG_CONDS(X) \
    X(why_scenario) \
    X(why_item) \
    X(why_nothing) \
    X(why_label) \
    X(why_non_service) \
    X(a_given) \
    X(b_given) \
    X(a_and_b) \
    X(item_has_scenario) \
    X(has_preferred) \
    X(no_preferred) \
    X(exempt) \
    X(ask_one) \
    X(ask_reason) \
    X(rate_is_max) \
    X(rate_is_fixed) \
    X(has_modes) \
    X(no_modes) \
    X(walk_is_15) \
    X(has_next) \
    X(no_next)

enum {
#define X(name) C_##name,
    ESV_MSG_CONDS(X)
#undef X
};

static bool condition(const ctx *c, int which)
{
    const esv_finding *f = c->f;
    const esv_item *it;
    switch (which) {
    case C_why_scenario:
        return f->a == ESV_WHY_SCENARIO_TEXT;
    case C_why_item:
        return f->a == ESV_WHY_ITEM_NO_SCENARIO;
    case C_why_nothing:
        return f->a == ESV_WHY_NOTHING_GIVEN;
    case C_why_label:
        return f->a == ESV_WHY_LABEL;
    case C_why_non_service:
        return f->a == ESV_WHY_NON_SERVICE;
    case C_a_given:
        return f->a >= 0;
    case C_b_given:
        return f->b >= 0;
    case C_a_and_b:
        return f->a >= 0 && f->b >= 0;
    case C_item_has_scenario:
        return (it = conflict_item(c)) != NULL && it->scenario >= 0;
    case C_has_preferred:
        return has_preferred(c);
    case C_no_preferred:
        return !has_preferred(c);
    case C_exempt:
        return f->a != 0;
    case C_ask_one:
        return f->a == 0 && has_preferred(c);
    case C_ask_reason:
        return f->a == 0 && !has_preferred(c);
    case C_rate_is_max:
        return c->p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_is_max;
    case C_rate_is_fixed:
        return !c->p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_is_max;
    case C_has_modes:
        return c->p->subsidy_build_modes != 0;
    case C_no_modes:
        return c->p->subsidy_build_modes == 0;
    case C_walk_is_15:
        return f->b == 15; /* the 一刻钟便民生活圈 of 三、(一) is named only when the limit is that circle */
    case C_has_next:
        return f->a + 1 < EMBEDSVC_STAGE_COUNT;
    case C_no_next:
        return f->a + 1 >= EMBEDSVC_STAGE_COUNT;
    }
    return false;
}

/* ---- rendering the ops ---- */

typedef enum { ESV_MSG_STOP, ESV_MSG_LIT, ESV_MSG_VALUE, ESV_MSG_IF, ESV_MSG_END } esv_msg_kind;

typedef struct esv_msg_op {
    unsigned char kind;     /* esv_msg_kind */
    unsigned char id;       /* VALUE: V_name; IF: C_name */
    unsigned char arg;      /* VALUE: 0 none, 1 the finding's a, 2 its b */
    unsigned short len;     /* LIT: bytes of text */
    unsigned short esc_len; /* LIT: bytes of esc */
    const char *text;       /* LIT: the literal run */
    const char *esc;        /* LIT: the same, escaped for a JSON string */
} esv_msg_op;

#include "findings_ops.h"

static void put_literal(ctx *c, const esv_msg_op *op)
{
    if (!c->json) {
        put(c, op->text, op->len);
    } else if (c->ok) {
        c->raw += op->len;
        c->ok = esv_buf_append(c->b, c->al, op->esc, op->esc_len);
    }
}

static void render(ctx *c, const esv_msg_op *op)
{
    bool skipping = false;
    for (; op->kind != ESV_MSG_STOP && c->ok; op++) {
        switch ((esv_msg_kind)op->kind) {
        case ESV_MSG_LIT:
            if (!skipping)
                put_literal(c, op);
            break;
        case ESV_MSG_VALUE:
            if (!skipping)
                value_fn[op->id](c, op->arg == 1 ? c->f->a : op->arg == 2 ? c->f->b : 0);
            break;
        case ESV_MSG_IF:
            skipping = !condition(c, op->id);
            break;
        case ESV_MSG_END:
        case ESV_MSG_STOP:
            skipping = false;
            break;
        }
    }
}

bool esv_finding_message(const embedsvc_result *r, const esv_finding *f, bool zh, esv_buf *buf, const esv_alloc *al)
{
    ctx c = {r, r->policy, f, zh, buf, al, true, false, 0};
    const size_t start = buf->len;
    if ((unsigned)f->code < ESV_CODE_COUNT)
        render(&c, msg_ops[zh][f->code]);
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

bool esv_finding_message_json(const embedsvc_result *r, const esv_finding *f, bool zh, esv_buf *buf, esv_buf *scratch,
                              const esv_alloc *al)
{
    const size_t start = buf->len;
    if (!esv_buf_append(buf, al, "\"", 1))
        return false;
    ctx c = {r, r->policy, f, zh, buf, al, true, true, 0};
    if ((unsigned)f->code < ESV_CODE_COUNT)
        render(&c, msg_ops[zh][f->code]);
    if (!c.ok)
        return false;
    if (c.raw <= ESV_JSON_MAX_STRING)
        return esv_buf_append(buf, al, "\"", 1);
    /* over the limit: the message cut as esv_finding_message() cuts it, then escaped */
    buf->len = start;
    buf->data[start] = '\0';
    scratch->len = 0;
    return esv_finding_message(r, f, zh, scratch, al) && esv_json_write_string(buf, al, scratch->data, scratch->len);
}
