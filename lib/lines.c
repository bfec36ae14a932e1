/* JSON Lines framing (reference §7; include/embedsvc/lines.h): the one routine that cuts input
 * into physical lines for the batch, the comparison, the CLI and the bindings. A line that lies
 * whole inside the piece being read is handed out in place; one that goes on into the next
 * piece is kept in the reader's buffer, at most limit + 1 bytes of it (enough to tell whether
 * the line without its trailing '\r' is over the limit). Past that only its length, its last
 * byte and whether it is still white space are kept, so memory stays bounded whatever the
 * input; such a line is over the limit (or blank, when it is white space only). */
#include "json.h"
#include "model.h"

#include <string.h>

_Static_assert(EMBEDSVC_LINE_LIMIT == ESV_JSON_MAX_SIZE, "the line limit is the document limit of reference §10");

#define BUF_KEEP ((size_t)1 << 20) /* a larger buffer is given back once its line is handed out */

struct embedsvc_lines {
    esv_alloc al;
    size_t limit;
    /* the piece being read: piece[pos..len) is unread; it starts at piece_off in the input */
    const char *piece;
    size_t piece_len, pos;
    int64_t piece_off;
    bool finished;
    /* the line in progress, begun in an earlier piece */
    char *buf;
    size_t buf_cap;
    size_t line_len;    /* its bytes so far (all of them in buf unless over) */
    int64_t line_start; /* the offset of its first byte */
    bool over;          /* longer than limit + 1 bytes: the rest is only counted */
    int blank;          /* over: 0 white space so far, 1/2 inside U+3000 (E3 80 80), -1 not blank */
    unsigned char last; /* over: its last byte */
    int64_t count;      /* lines handed out */
};

embedsvc_line_kind embedsvc_line_examine(const char *data, size_t len, size_t limit, size_t *text_len)
{
    if (limit == 0)
        limit = EMBEDSVC_LINE_LIMIT;
    if (len && data[len - 1] == '\r')
        len--;
    if (text_len)
        *text_len = len;
    if (esv_is_blank(data, len))
        return EMBEDSVC_LINE_BLANK;
    return len > limit ? EMBEDSVC_LINE_OVER_LIMIT : EMBEDSVC_LINE_TEXT;
}

int embedsvc_line_limit_error(embedsvc_error *err)
{
    /* a document over ESV_JSON_MAX_SIZE, as esv_json_parse() reports it too: at offset 0, path "" */
    esv_error_set(err, EMBEDSVC_EPARSE, "parse.limit", "document larger than %u bytes (16 MiB)",
                  (unsigned)ESV_JSON_MAX_SIZE);
    esv_error_position(err, "", 0, 0);
    return EMBEDSVC_EPARSE;
}

int embedsvc_lines_new(size_t limit, const embedsvc_allocator *alloc, embedsvc_lines **out)
{
    if (!out)
        return EMBEDSVC_EINVAL;
    *out = NULL;
    esv_alloc al;
    if (limit > EMBEDSVC_LINE_LIMIT || !esv_alloc_init(&al, alloc))
        return EMBEDSVC_EINVAL;
    embedsvc_lines *r = esv_calloc(&al, 1, sizeof(*r));
    if (!r)
        return EMBEDSVC_ENOMEM;
    r->al = al;
    r->limit = limit ? limit : EMBEDSVC_LINE_LIMIT;
    *out = r;
    return EMBEDSVC_OK;
}

void embedsvc_lines_free(embedsvc_lines *r)
{
    if (!r)
        return;
    esv_alloc al = r->al;
    esv_free(&al, r->buf);
    esv_free(&al, r);
}

int embedsvc_lines_feed(embedsvc_lines *r, const char *data, size_t len)
{
    if (!r || (!data && len))
        return EMBEDSVC_EINVAL;
    if (r->finished || r->pos < r->piece_len)
        return EMBEDSVC_ESTATE;
    r->piece_off += (int64_t)r->piece_len;
    r->piece = data;
    r->piece_len = len;
    r->pos = 0;
    return EMBEDSVC_OK;
}

int embedsvc_lines_finish(embedsvc_lines *r)
{
    if (!r)
        return EMBEDSVC_EINVAL;
    r->finished = true;
    return EMBEDSVC_OK;
}

int64_t embedsvc_lines_count(const embedsvc_lines *r)
{
    return r ? r->count : -1;
}

/* The white space of reference §4 (ASCII 09-0D, 20, and U+3000 as E3 80 80), byte by byte across
 * pieces; the same set as esv_is_blank(). */
static int blank_feed(int state, const char *s, size_t n)
{
    for (size_t i = 0; i < n && state >= 0; i++) {
        unsigned char c = (unsigned char)s[i];
        if (state == 0)
            state = esv_is_space_ascii(c) ? 0 : c == 0xE3 ? 1 : -1;
        else
            state = c != 0x80 ? -1 : state == 1 ? 2 : 0;
    }
    return state;
}

/* Adds s[0..n) to the line in progress. False (nothing changed) when the buffer cannot grow. */
static bool line_add(embedsvc_lines *r, const char *s, size_t n)
{
    if (r->line_len == 0) {
        if (r->buf_cap > BUF_KEEP) { /* the room of an earlier long line */
            esv_free(&r->al, r->buf);
            r->buf = NULL;
            r->buf_cap = 0;
        }
        r->line_start = r->piece_off + (int64_t)r->pos;
    }
    if (!r->over) {
        size_t keep = r->limit + 1;
        if (n <= keep - r->line_len) {
            size_t need = r->line_len + n;
            if (need > r->buf_cap) {
                size_t cap = r->buf_cap ? r->buf_cap : keep < 256 ? keep : 256; /* never above keep */
                while (cap < need)
                    cap = cap > keep / 2 ? keep : 2 * cap;
                char *nb = r->buf ? esv_realloc(&r->al, r->buf, cap) : esv_malloc(&r->al, cap);
                if (!nb)
                    return false;
                r->buf = nb;
                r->buf_cap = cap;
            }
            if (n)
                memcpy(r->buf + r->line_len, s, n);
            r->line_len += n;
            return true;
        }
        r->over = true; /* from here on the line is only counted */
        r->blank = blank_feed(0, r->buf, r->line_len);
        r->last = r->line_len ? (unsigned char)r->buf[r->line_len - 1] : 0;
    }
    r->blank = blank_feed(r->blank, s, n);
    if (n)
        r->last = (unsigned char)s[n - 1];
    r->line_len += n;
    return true;
}

/* Hands out the line in progress (it ended, or the input did). */
static void emit_held(embedsvc_lines *r, embedsvc_line *line)
{
    line->number = ++r->count;
    line->offset = r->line_start;
    if (r->over) {
        line->len = r->line_len - (r->last == '\r');
        line->kind = r->blank == 0 ? EMBEDSVC_LINE_BLANK : EMBEDSVC_LINE_OVER_LIMIT;
        line->text = NULL; /* its bytes are gone */
    } else {
        line->kind = embedsvc_line_examine(r->buf, r->line_len, r->limit, &line->len);
        line->text = line->len > r->limit ? NULL : r->buf ? r->buf : "";
    }
    r->line_len = 0;
    r->over = false;
}

int embedsvc_lines_next(embedsvc_lines *r, embedsvc_line *line)
{
    if (!r || !line)
        return EMBEDSVC_EINVAL;
    if (r->pos < r->piece_len) {
        const char *s = r->piece + r->pos;
        size_t n = r->piece_len - r->pos;
        const char *nl = memchr(s, '\n', n);
        size_t take = nl ? (size_t)(nl - s) : n;
        if (!nl && !r->finished) { /* the line goes on in the next piece: keep what is needed */
            if (!line_add(r, s, take))
                return EMBEDSVC_ENOMEM;
            r->pos = r->piece_len;
            return 0;
        }
        if (r->line_len == 0) { /* whole inside the piece: handed out in place */
            line->number = ++r->count;
            line->offset = r->piece_off + (int64_t)r->pos;
            line->kind = embedsvc_line_examine(s, take, r->limit, &line->len);
            line->text = line->len > r->limit ? NULL : s; /* as if it had been held */
        } else {
            if (!line_add(r, s, take))
                return EMBEDSVC_ENOMEM;
            emit_held(r, line);
        }
        r->pos += take + (nl ? 1 : 0);
        return 1;
    }
    if (r->finished && r->line_len > 0) { /* a last line without '\n', begun in an earlier piece */
        emit_held(r, line);
        return 1;
    }
    return 0;
}
