/* Batch evaluation of JSON Lines (reference §7): one output line per non-blank input line, in
 * order; a line that fails to parse gives an error line and the batch goes on. The summary total
 * is checked: a sum that would not fit is an error (reference §2), never a wrap. The line rules
 * (a trailing '\r', blank lines, the limit) are lines.c's: embedsvc_batch_line() examines a line
 * cut by the caller, embedsvc_batch_framed() takes one from the reader of lines.c. */
#include "model.h"

#include <string.h>

struct embedsvc_batch {
    esv_alloc al;
    const embedsvc_policy *policy;
    embedsvc_project *project;
    embedsvc_result *result;
    esv_buf out;
    int64_t stats[6];
    bool overflowed; /* the total of total_fen overflowed: every later line is refused */
};

int embedsvc_batch_new(const embedsvc_policy *policy, const embedsvc_allocator *alloc, embedsvc_batch **out)
{
    if (!policy || !out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (!esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_batch *b = esv_calloc(&al, 1, sizeof(*b));
    if (!b)
        return EMBEDSVC_ENOMEM;
    b->al = al;
    b->policy = policy;
    if (embedsvc_project_new(alloc, &b->project) != EMBEDSVC_OK ||
        embedsvc_result_new(alloc, &b->result) != EMBEDSVC_OK) {
        embedsvc_batch_free(b);
        return EMBEDSVC_ENOMEM;
    }
    *out = b;
    return EMBEDSVC_OK;
}

void embedsvc_batch_free(embedsvc_batch *b)
{
    if (!b)
        return;
    esv_alloc al = b->al;
    embedsvc_project_free(b->project);
    embedsvc_result_free(b->result);
    esv_buf_free(&b->out, &al);
    esv_free(&al, b);
}

static bool write_error_line(embedsvc_batch *b, int64_t line, const embedsvc_error *e)
{
    esv_buf *o = &b->out;
    const esv_alloc *al = &b->al;
    static const char a[] = "{\"schema\":\"embedsvc.result/1\",\"line\":";
    static const char c[] = ",\"error\":{\"code\":";
    return esv_buf_append(o, al, a, sizeof(a) - 1) && esv_buf_append_int(o, al, line) &&
           esv_buf_append(o, al, c, sizeof(c) - 1) && esv_json_write_string(o, al, e->code, strlen(e->code)) &&
           esv_buf_append(o, al, ",\"message\":", 11) && esv_json_write_string(o, al, e->message, strlen(e->message)) &&
           esv_buf_append(o, al, ",\"path\":", 8) && esv_json_write_string(o, al, e->path, strlen(e->path)) &&
           esv_buf_append(o, al, ",\"line\":", 8) && esv_buf_append_int(o, al, e->line) &&
           esv_buf_append(o, al, ",\"column\":", 10) && esv_buf_append_int(o, al, e->column) && esv_buf_append(o, al, "}}", 2);
}

/* One line, its number and kind settled (lines.c): the result, the error line, or nothing. */
static int batch_one(embedsvc_batch *b, int64_t lineno, embedsvc_line_kind kind, const char *text, size_t len,
                     const char **out, size_t *out_len)
{
    b->stats[EMBEDSVC_BATCH_LINES] = lineno;
    if (kind == EMBEDSVC_LINE_BLANK)
        return 2;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int rc = kind == EMBEDSVC_LINE_OVER_LIMIT ? embedsvc_line_limit_error(&err)
                                               : embedsvc_project_parse(b->project, text ? text : "", len, &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(b->policy, b->project, b->result, &err);
    if (rc == EMBEDSVC_OK) {
        const char *json;
        size_t n;
        rc = embedsvc_result_to_json(b->result, &json, &n, &err);
        if (rc != EMBEDSVC_OK)
            return rc;
        int64_t total;
        if (__builtin_add_overflow(b->stats[EMBEDSVC_BATCH_TOTAL_FEN], embedsvc_result_total_fen(b->result), &total)) {
            /* nothing is written for this line and no total counts it: the summary cannot be had */
            b->overflowed = true;
            return EMBEDSVC_ERANGE;
        }
        b->stats[EMBEDSVC_BATCH_TOTAL_FEN] = total;
        b->stats[EMBEDSVC_BATCH_PROJECTS]++;
        b->stats[EMBEDSVC_BATCH_ELIGIBLE] += embedsvc_result_eligible(b->result);
        b->stats[EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE] += embedsvc_result_subsidy_eligible(b->result);
        *out = json;
        if (out_len)
            *out_len = n;
        return 0;
    }
    if (rc == EMBEDSVC_ENOMEM)
        return rc;
    b->out.len = 0;
    if (!write_error_line(b, lineno, &err))
        return EMBEDSVC_ENOMEM;
    b->stats[EMBEDSVC_BATCH_ERRORS]++;
    *out = b->out.data;
    if (out_len)
        *out_len = b->out.len;
    return 1;
}

int embedsvc_batch_line(embedsvc_batch *b, const char *line, size_t len, const char **out, size_t *out_len)
{
    if (!b || !out || (!line && len))
        return EMBEDSVC_EINVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (b->overflowed)
        return EMBEDSVC_ERANGE;
    embedsvc_line_kind kind = embedsvc_line_examine(line, len, 0, &len);
    return batch_one(b, b->stats[EMBEDSVC_BATCH_LINES] + 1, kind, line, len, out, out_len);
}

int embedsvc_batch_framed(embedsvc_batch *b, const embedsvc_line *line, const char **out, size_t *out_len)
{
    if (!b || !out || !line || line->number <= b->stats[EMBEDSVC_BATCH_LINES] ||
        (unsigned)line->kind > EMBEDSVC_LINE_OVER_LIMIT || (line->kind != EMBEDSVC_LINE_OVER_LIMIT && !line->text && line->len))
        return EMBEDSVC_EINVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (b->overflowed)
        return EMBEDSVC_ERANGE;
    return batch_one(b, line->number, line->kind, line->text, line->len, out, out_len);
}

const embedsvc_result *embedsvc_batch_last_result(const embedsvc_batch *b)
{
    return b ? b->result : NULL;
}

int64_t embedsvc_batch_stat(const embedsvc_batch *b, embedsvc_batch_stat_kind which)
{
    if (!b || (unsigned)which >= ESV_ARRAY_LEN(b->stats))
        return -1;
    return b->stats[which];
}
