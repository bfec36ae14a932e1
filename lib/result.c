/* Results (reference §6): accessors and the embedsvc.result/1 writer (compact, deterministic). */
#include "memo.h"
#include "model.h"

#include <assert.h>
#include <string.h>

int embedsvc_result_new(const embedsvc_allocator *alloc, embedsvc_result **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_result *r = esv_calloc(&al, 1, sizeof(*r));
    if (!r)
        return EMBEDSVC_ENOMEM;
    r->al = al;
    *out = r;
    return EMBEDSVC_OK;
}

void embedsvc_result_free(embedsvc_result *r)
{
    if (!r)
        return;
    esv_alloc al = r->al;
    esv_buf_free(&r->json, &al);
    esv_buf_free(&r->texts, &al);
    esv_buf_free(&r->scratch, &al);
    esv_free(&al, r->memo);
    esv_free(&al, r);
}

/* ---- the writer ---- */

typedef esv_out out;

/* `lit` must be a string literal (sizeof of an array), never a pointer expression. */
#define PUT_LIT(o, lit) esv_out_put(o, "" lit, sizeof(lit) - 1)

static void put_cstr_or_null(out *o, const char *s)
{
    if (s)
        esv_out_json_string(o, s, strlen(s));
    else
        PUT_LIT(o, "null");
}

/* A finding's severity and the key after it, by embedsvc_severity. */
static const esv_frag severity_json[] = {
    [EMBEDSVC_SEVERITY_INFO] = ESV_FRAG("info\",\"function\":"),
    [EMBEDSVC_SEVERITY_WARNING] = ESV_FRAG("warning\",\"function\":"),
    [EMBEDSVC_SEVERITY_ERROR] = ESV_FRAG("error\",\"function\":"),
};

/* A function's service class and the key after it, by embedsvc_class (+1: none). */
static const esv_frag class_json[] = {
    ESV_FRAG("null,\"investment_fen\":"),
    ESV_FRAG("\"basic_public\",\"investment_fen\":"),
    ESV_FRAG("\"inclusive\",\"investment_fen\":"),
    ESV_FRAG("\"commercial\",\"investment_fen\":"),
};

static void put_code(out *o, embedsvc_enum kind, int v)
{
    put_cstr_or_null(o, v >= 0 ? embedsvc_enum_code(kind, v) : NULL);
}

/* The two messages of f, copied from the memo of r when it has them (memo.c). */
static void put_messages(out *o, embedsvc_result *r, const esv_finding *f, esv_buf *msg)
{
    const char *text = esv_finding_text(r, f), *blob;
    size_t text_len = text ? strlen(text) : 0, len;
    bool hit;
    esv_memo_msg *m = esv_memo_msg_find(r, f, text, text_len, &hit, &blob, &len);
    if (hit) {
        esv_out_put(o, blob, len);
        return;
    }
    const size_t start = o->b->len;
    for (int zh = 1; zh >= 0 && o->ok; zh--) {
        if (zh)
            PUT_LIT(o, ",\"message_zh\":");
        else
            PUT_LIT(o, ",\"message_en\":");
        if (o->ok && !esv_finding_message_json(r, f, zh, o->b, msg, o->al))
            o->ok = false;
    }
    if (o->ok)
        esv_memo_msg_store(m, r, f, text, text_len, o->b->data + start, o->b->len - start);
}

/* The funding process (an addition to reference §6, present only when the project gives its stage). */
static void write_process(embedsvc_result *r, out *o, esv_buf *msg)
{
    const esv_process *x = &r->process;
    PUT_LIT(o, ",\"process\":{\"stage\":");
    put_code(o, EMBEDSVC_ENUM_STAGE, x->stage);
    PUT_LIT(o, ",\"next_stage\":");
    put_code(o, EMBEDSVC_ENUM_STAGE, x->next);
    PUT_LIT(o, ",\"unmet\":[");
    for (size_t i = 0; i < x->n_unmet && o->ok; i++) {
        const esv_finding *f = &x->unmet[i];
        if (i)
            PUT_LIT(o, ",");
        PUT_LIT(o, "{\"code\":");
        put_cstr_or_null(o, esv_code_names[f->code]);
        esv_out_frag(o, esv_code_json_cite[f->code]);
        put_messages(o, r, f, msg);
        PUT_LIT(o, "}");
    }
    PUT_LIT(o, "],\"operation_model\":");
    put_code(o, EMBEDSVC_ENUM_OPERATION_MODEL, x->operation_model);
    PUT_LIT(o, ",\"approved_fen\":");
    esv_out_int(o, x->approved_fen);
    PUT_LIT(o, ",\"progress_bp\":");
    if (x->has_progress)
        esv_out_int(o, x->progress_bp);
    else
        PUT_LIT(o, "null");
    PUT_LIT(o, ",\"disbursed_fen\":");
    esv_out_int(o, x->disbursed_fen);
    PUT_LIT(o, ",\"due_fen\":");
    if (x->has_due)
        esv_out_int(o, x->due_fen);
    else
        PUT_LIT(o, "null");
    PUT_LIT(o, "}");
}

/* ---- sections: the fixed-size parts of a result, written with a bare cursor ----
 *
 * Most of a result is keys and numbers whose size is known up to a bound before they are written:
 * a section reserves room for its bound once (w_begin) and then writes with a cursor and no checks
 * (the W_* macros); w_end makes it part of the buffer. The bounds count every literal byte of a
 * section (W_BOUND), ESV_JSON_INT_MAX per integer, and ESV_JSON_ESCAPE_MAX per string byte plus 2
 * quotes per string (w_str_bound); the assert in w_end checks that a section stayed within what it
 * reserved. */

/* Reserves `bound` bytes; NULL (and o->ok false) when there is no memory. */
static char *w_begin(out *o, size_t bound)
{
    if (!o->ok || !esv_buf_reserve(o->b, o->al, bound)) {
        o->ok = false;
        return NULL;
    }
    return o->b->data + o->b->len;
}

static void w_end(out *o, char *d, size_t bound)
{
    size_t len = (size_t)(d - o->b->data);
    assert(len - o->b->len <= bound);
    (void)bound;
    o->b->len = len;
    o->b->data[len] = '\0';
}

/* Room a string of n bytes may take as a JSON literal; SIZE_MAX / 8 (a reserve that fails) when it
 * is too long, so that the bound of a section (a few of these and constants) cannot wrap. */
static size_t w_str_bound(size_t n)
{
    return n > (SIZE_MAX / 8 - 2) / ESV_JSON_ESCAPE_MAX ? SIZE_MAX / 8 : n * ESV_JSON_ESCAPE_MAX + 2;
}

#define W_LIT(d, lit) (memcpy((d), "" lit, sizeof(lit) - 1), (d) += sizeof(lit) - 1)
#define W_FRAG(d, f) (memcpy((d), (f).s, (f).n), (d) += (f).n)
#define W_INT(d, v) ((d) = esv_json_int((d), (v)))
#define W_BOOL(d, v) ((v) ? W_LIT(d, "true") : W_LIT(d, "false"))

static char *w_str_or_null(char *d, const char *s, size_t n)
{
    if (s)
        return esv_json_quote(d, s, n);
    W_LIT(d, "null");
    return d;
}

/* The literal bytes of a section: an upper bound of its keys and punctuation. */
#define W_BOUND 512

bool esv_result_write_json(embedsvc_result *r)
{
    const embedsvc_policy *p = r->policy;
    out o = {&r->json, &r->al, true};
    r->json.len = 0;

    size_t bound = W_BOUND + 5 * ESV_JSON_INT_MAX + w_str_bound(r->project_id_len) + w_str_bound(p->id.len) +
                   w_str_bound(p->version.len);
    char *d = w_begin(&o, bound);
    if (!d)
        return false;
    W_LIT(d, "{\"schema\":\"embedsvc.result/1\",\"project_id\":");
    d = esv_json_quote(d, r->project_id, r->project_id_len);
    W_LIT(d, ",\"policy\":{\"id\":");
    d = esv_json_quote(d, p->id.s, p->id.len);
    W_LIT(d, ",\"version\":");
    d = esv_json_quote(d, p->version.s, p->version.len);
    W_LIT(d, "},\"engine\":\"libembedsvc " EMBEDSVC_VERSION_STRING "\",\"eligible\":");
    W_BOOL(d, r->eligible);
    W_LIT(d, ",\"subsidy_eligible\":");
    W_BOOL(d, r->subsidy_eligible);
    W_LIT(d, ",\"counts\":{\"functions\":");
    W_INT(d, r->counts[0]);
    W_LIT(d, ",\"valid_functions\":");
    W_INT(d, r->counts[1]);
    W_LIT(d, ",\"distinct_scenarios\":");
    W_INT(d, r->counts[2]);
    W_LIT(d, ",\"core_scenarios\":");
    W_INT(d, r->counts[3]);
    W_LIT(d, ",\"preferred_scenarios\":");
    W_INT(d, r->counts[4]);
    W_LIT(d, "},\"functions\":[");
    w_end(&o, d, bound);

    for (size_t i = 0; i < r->n_functions; i++) {
        const esv_fresult *f = &r->functions[i];
        const esv_text *code = f->scenario >= 0 ? &p->scenarios[f->scenario].code : NULL;
        bound = W_BOUND + 3 * ESV_JSON_INT_MAX + (code ? w_str_bound(code->len) : 0);
        if (!(d = w_begin(&o, bound)))
            return false;
        if (i)
            *d++ = ',';
        W_LIT(d, "{\"index\":");
        W_INT(d, (int64_t)i);
        W_LIT(d, ",\"scenario\":");
        if (code)
            d = esv_json_quote(d, code->s, code->len);
        else
            W_LIT(d, "null");
        W_LIT(d, ",\"service_class\":");
        W_FRAG(d, class_json[f->cls >= 0 && f->cls < EMBEDSVC_CLASS_COUNT ? f->cls + 1 : 0]);
        W_INT(d, f->investment_fen);
        W_LIT(d, ",\"subsidy_fen\":");
        W_INT(d, f->subsidy_fen);
        *d++ = '}';
        w_end(&o, d, bound);
    }

    bound = 4 * W_BOUND + 16 * ESV_JSON_INT_MAX;
    if (!(d = w_begin(&o, bound)))
        return false;
    W_LIT(d, "],\"subsidy\":{");
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++) {
        *d++ = '"';
        const char *code = embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, c);
        size_t n = strlen(code);
        memcpy(d, code, n); /* a code of the library's vocabulary: a few ASCII letters */
        d += n;
        W_LIT(d, "\":{\"base_fen\":");
        W_INT(d, r->base[c]);
        W_LIT(d, ",\"rate_bp\":");
        W_INT(d, r->rate_bp[c]);
        W_LIT(d, ",\"amount_fen\":");
        W_INT(d, r->amount[c]);
        W_LIT(d, "},");
    }
    W_LIT(d, "\"uncapped_fen\":");
    W_INT(d, r->uncapped_fen);
    W_LIT(d, ",\"cap_fen\":");
    if (r->has_cap)
        W_INT(d, r->cap_fen);
    else
        W_LIT(d, "null");
    W_LIT(d, ",\"capped\":");
    W_BOOL(d, r->capped);
    W_LIT(d, ",\"cap_headroom_fen\":");
    if (r->has_cap)
        W_INT(d, r->headroom_fen);
    else
        W_LIT(d, "null");
    W_LIT(d, ",\"total_fen\":");
    W_INT(d, r->total_fen);
    W_LIT(d, "},\"checks\":[");
    w_end(&o, d, bound);

    for (int i = 0; i < ESV_CHECK_COUNT; i++) {
        const esv_check *c = &r->checks[i];
        size_t text_len = c->value_kind == 2 && c->value_text ? strlen(c->value_text) : 0;
        bound = W_BOUND + esv_check_json_head[i].n + esv_check_json_cite[i].n + 2 * ESV_JSON_INT_MAX +
                w_str_bound(text_len);
        if (!(d = w_begin(&o, bound)))
            return false;
        if (i)
            *d++ = ',';
        W_FRAG(d, esv_check_json_head[i]);
        if (c->passed < 0)
            W_LIT(d, "null,\"value\":");
        else if (c->passed)
            W_LIT(d, "true,\"value\":");
        else
            W_LIT(d, "false,\"value\":");
        if (c->value_kind == 1)
            W_INT(d, c->value);
        else if (c->value_kind == 2)
            d = w_str_or_null(d, c->value_text, text_len);
        else
            W_LIT(d, "null");
        if (c->has_threshold) {
            W_LIT(d, ",\"threshold\":");
            W_INT(d, c->threshold);
        } else {
            W_LIT(d, ",\"threshold\":null");
        }
        W_FRAG(d, esv_check_json_cite[i]);
        w_end(&o, d, bound);
    }
    PUT_LIT(&o, "],\"findings\":[");
    esv_buf *msg = &r->scratch;
    for (size_t i = 0; i < r->n_findings; i++) {
        const esv_finding *f = &r->findings[i];
        const esv_frag *sev = &severity_json[(unsigned)f->severity < ESV_ARRAY_LEN(severity_json) ? f->severity
                                                                                                   : EMBEDSVC_SEVERITY_ERROR];
        bound = W_BOUND + esv_code_json_head[f->code].n + sev->n + esv_code_json_cite[f->code].n + ESV_JSON_INT_MAX;
        if (!(d = w_begin(&o, bound)))
            return false;
        if (i)
            *d++ = ',';
        W_FRAG(d, esv_code_json_head[f->code]);
        W_FRAG(d, *sev);
        if (f->function >= 0)
            W_INT(d, f->function);
        else
            W_LIT(d, "null");
        W_FRAG(d, esv_code_json_cite[f->code]);
        w_end(&o, d, bound);
        put_messages(&o, r, f, msg);
        PUT_LIT(&o, "}");
    }
    PUT_LIT(&o, "]");
    if (r->process.present)
        write_process(r, &o, msg);
    PUT_LIT(&o, "}");
    return o.ok;
}

int embedsvc_result_to_json(embedsvc_result *r, const char **json, size_t *len, embedsvc_error *err)
{
    if (!r || !json || !r->policy)
        return esv_error_set(err, EMBEDSVC_EINVAL, "invalid_argument", "no evaluated result");
    if (!esv_result_write_json(r)) {
        r->json.len = 0;
        return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    *json = r->json.data;
    if (len)
        *len = r->json.len;
    return EMBEDSVC_OK;
}

/* ---- accessors ---- */

const char *embedsvc_result_project_id(const embedsvc_result *r)
{
    return r && r->policy ? r->project_id : NULL;
}

int embedsvc_result_eligible(const embedsvc_result *r)
{
    return r && r->eligible;
}

int embedsvc_result_subsidy_eligible(const embedsvc_result *r)
{
    return r && r->subsidy_eligible;
}

int embedsvc_result_count(const embedsvc_result *r, embedsvc_count which)
{
    if (!r || (unsigned)which > EMBEDSVC_COUNT_PREFERRED_SCENARIOS)
        return -1;
    return r->counts[which];
}

int embedsvc_result_function_scenario(const embedsvc_result *r, size_t i)
{
    return r && i < r->n_functions ? r->functions[i].scenario : -1;
}

embedsvc_class embedsvc_result_function_class(const embedsvc_result *r, size_t i)
{
    return r && i < r->n_functions ? (embedsvc_class)r->functions[i].cls : EMBEDSVC_CLASS_NONE;
}

int64_t embedsvc_result_function_investment_fen(const embedsvc_result *r, size_t i)
{
    return r && i < r->n_functions ? r->functions[i].investment_fen : -1;
}

int64_t embedsvc_result_function_subsidy_fen(const embedsvc_result *r, size_t i)
{
    return r && i < r->n_functions ? r->functions[i].subsidy_fen : -1;
}

static bool class_ok(const embedsvc_result *r, embedsvc_class c)
{
    return r && c >= 0 && c < EMBEDSVC_CLASS_COUNT;
}

int64_t embedsvc_result_class_base_fen(const embedsvc_result *r, embedsvc_class c)
{
    return class_ok(r, c) ? r->base[c] : -1;
}

int embedsvc_result_class_rate_bp(const embedsvc_result *r, embedsvc_class c)
{
    return class_ok(r, c) ? r->rate_bp[c] : -1;
}

int64_t embedsvc_result_class_amount_fen(const embedsvc_result *r, embedsvc_class c)
{
    return class_ok(r, c) ? r->amount[c] : -1;
}

int64_t embedsvc_result_uncapped_fen(const embedsvc_result *r)
{
    return r ? r->uncapped_fen : 0;
}

int embedsvc_result_cap_fen(const embedsvc_result *r, int64_t *cap_fen)
{
    if (!r || !r->has_cap)
        return 0;
    if (cap_fen)
        *cap_fen = r->cap_fen;
    return 1;
}

int embedsvc_result_capped(const embedsvc_result *r)
{
    return r && r->capped;
}

int embedsvc_result_cap_headroom_fen(const embedsvc_result *r, int64_t *headroom_fen)
{
    if (!r || !r->has_cap)
        return 0;
    if (headroom_fen)
        *headroom_fen = r->headroom_fen;
    return 1;
}

int64_t embedsvc_result_total_fen(const embedsvc_result *r)
{
    return r ? r->total_fen : 0;
}

size_t embedsvc_result_check_count(const embedsvc_result *r)
{
    return r && r->policy ? ESV_CHECK_COUNT : 0;
}

const char *embedsvc_result_check_rule(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_check_count(r) ? esv_check_rules[i] : NULL;
}

int embedsvc_result_check_passed(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_check_count(r) ? r->checks[i].passed : -1;
}

int embedsvc_result_check_value(const embedsvc_result *r, size_t i, int64_t *number, const char **text)
{
    if (i >= embedsvc_result_check_count(r))
        return -1;
    const esv_check *c = &r->checks[i];
    if (c->value_kind == 1 && number)
        *number = c->value;
    if (c->value_kind == 2 && text)
        *text = c->value_text;
    return c->value_kind;
}

int embedsvc_result_check_threshold(const embedsvc_result *r, size_t i, int64_t *number)
{
    if (i >= embedsvc_result_check_count(r))
        return -1;
    if (!r->checks[i].has_threshold)
        return 0;
    if (number)
        *number = r->checks[i].threshold;
    return 1;
}

const char *embedsvc_result_check_cite(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_check_count(r) ? esv_check_cites[i] : NULL;
}

size_t embedsvc_result_finding_count(const embedsvc_result *r)
{
    return r && r->policy ? r->n_findings : 0;
}

const char *embedsvc_result_finding_code(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_finding_count(r) ? esv_code_names[r->findings[i].code] : NULL;
}

int embedsvc_result_finding_severity(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_finding_count(r) ? r->findings[i].severity : -1;
}

int embedsvc_result_finding_function(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_finding_count(r) ? r->findings[i].function : -1;
}

const char *embedsvc_result_finding_cite(const embedsvc_result *r, size_t i)
{
    return i < embedsvc_result_finding_count(r) ? esv_code_cites[r->findings[i].code] : NULL;
}

int esv_message_snprintf(const embedsvc_result *r, const esv_finding *f, const char *lang, char *buf, size_t size)
{
    if (!lang || (!buf && size))
        return EMBEDSVC_EINVAL;
    bool zh;
    if (strcmp(lang, "zh") == 0)
        zh = true;
    else if (strcmp(lang, "en") == 0)
        zh = false;
    else
        return EMBEDSVC_EINVAL;
    esv_alloc al = r->al;
    esv_buf msg = {0};
    if (!esv_finding_message(r, f, zh, &msg, &al)) {
        esv_buf_free(&msg, &al);
        return EMBEDSVC_ENOMEM;
    }
    if (size) {
        size_t n = msg.len < size - 1 ? msg.len : size - 1;
        while (n > 0 && n < msg.len && ((unsigned char)msg.data[n] & 0xC0) == 0x80)
            n--; /* never cut a character in half */
        memcpy(buf, msg.data, n);
        buf[n] = '\0';
    }
    int len = (int)msg.len;
    esv_buf_free(&msg, &al);
    return len;
}

int embedsvc_result_finding_message(const embedsvc_result *r, size_t i, const char *lang, char *buf, size_t size)
{
    if (i >= embedsvc_result_finding_count(r))
        return EMBEDSVC_EINVAL;
    return esv_message_snprintf(r, &r->findings[i], lang, buf, size);
}
