/* The JSON reader's errors (json.h: the priority order of defects): the message, the position
 * and the JSON pointer of the value, built from the open containers of the parse. */
#include "json_internal.h"

#include <stdio.h>
#include <string.h>

static inline void path_put(char *out, size_t *n, char ch)
{
    if (*n < PATH_CAP)
        out[*n] = ch;
    (*n)++;
}

static void path_key(char *out, size_t *n, const char *key, size_t len)
{
    path_put(out, n, '/');
    for (size_t i = 0; i < len && *n < PATH_CAP; i++) {
        if (key[i] == '~') {
            path_put(out, n, '~');
            path_put(out, n, '0');
        } else if (key[i] == '/') {
            path_put(out, n, '~');
            path_put(out, n, '1');
        } else {
            path_put(out, n, key[i]);
        }
    }
}

/* Writes the JSON pointer of the value being parsed in frames[0..nframes-1] into out (PATH_CAP
 * bytes, not NUL-terminated); the last frame's member key is replaced by last_key when given.
 * Returns the length, or PATH_CAP when truncated (esv_error_path then adds "..."). */
static size_t build_path(const esv_json *p, size_t nframes, const char *last_key, size_t last_len, char *out)
{
    size_t n = 0;
    for (size_t d = 0; d < nframes && n < PATH_CAP; d++) {
        const esv_frame *f = &p->frames[d];
        if (f->is_obj) {
            if (d + 1 == nframes && last_key)
                path_key(out, &n, last_key, last_len);
            else
                path_key(out, &n, f->key, f->key_len);
        } else {
            char num[24];
            int k = snprintf(num, sizeof(num), "/%zu", f->index);
            for (int i = 0; i < k; i++)
                path_put(out, &n, num[i]);
        }
    }
    return n < PATH_CAP ? n : PATH_CAP;
}

void esv_jp_set_error(pctx *c, const char *code, const char *msg, size_t offset, size_t nframes,
                      const char *last_key, size_t last_len)
{
    if (!c->err)
        return;
    esv_error_set(c->err, EMBEDSVC_EPARSE, code, "%s", msg);
    esv_error_position(c->err, c->data, c->len, offset);
    char path[PATH_CAP];
    size_t n = build_path(c->p, nframes, last_key, last_len, path);
    esv_error_path(c->err, path, n);
}

/* Records a limit or escape error (kind 4 of json.h) of the value in frames[0..nframes-1]. */
void esv_jp_record_limit(pctx *c, const char *code, const char *msg, size_t offset, size_t nframes)
{
    c->failed4 = true;
    esv_jp_set_error(c, code, msg, offset, nframes, NULL, 0);
}

int esv_jp_fail_syntax(pctx *c, size_t offset, const char *msg)
{
    esv_jp_set_error(c, "parse.syntax", msg, offset, 0, NULL, 0);
    return EMBEDSVC_EPARSE;
}

/* Describes the byte at q (a whole character when non-ASCII) for a message. */
static void describe_char(const unsigned char *q, const unsigned char *end, char *out, size_t size)
{
    if (*q >= 0x20 && *q < 0x7F) {
        snprintf(out, size, "'%c'", *q);
    } else if (*q < 0x80) {
        snprintf(out, size, "U+%04X", (unsigned)*q);
    } else {
        size_t i = 0;
        uint32_t cp = esv_utf8_next((const char *)q, (size_t)(end - q), &i);
        snprintf(out, size, "'%.*s' (U+%04X)", (int)i, (const char *)q, (unsigned)cp);
    }
}

int esv_jp_fail_unexpected(pctx *c, const unsigned char *q, const unsigned char *end, const char *expected)
{
    char ch[32], msg[128];
    describe_char(q, end, ch, sizeof(ch));
    snprintf(msg, sizeof(msg), "unexpected character %s, %s", ch, expected);
    return esv_jp_fail_syntax(c, (size_t)(q - (const unsigned char *)c->data), msg);
}

int esv_jp_fail_eof(pctx *c, const char *msg)
{
    return esv_jp_fail_syntax(c, c->len, msg);
}

int esv_jp_fail_nomem(embedsvc_error *err)
{
    return esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
}

/* Formats a key as a JSON string for a message, cut (at a character boundary) when long. */
void esv_jp_quote_key(char *out, size_t size, const char *key, size_t len)
{
    size_t o = 0, i = 0;
    out[o++] = '"';
    while (i < len && o + 12 < size) {
        unsigned char ch = (unsigned char)key[i];
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", (unsigned)ch);
        } else {
            out[o++] = (char)ch;
        }
        i++;
    }
    while (i < len && o > 1 && ((unsigned char)key[i] & 0xC0) == 0x80) {
        /* do not cut a character: drop its first bytes */
        i--;
        o--;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}
