/* Filling the caller-owned embedsvc_error, respecting the size the caller knows. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FITS(err, field) ((err)->size >= offsetof(embedsvc_error, field) + sizeof((err)->field))

/* Copies src, keeping the field valid UTF-8: a message quoting user text with a precision ("%.64s")
 * or cut by vsnprintf may end a character early; the bytes of such a cut (or any invalid) sequence
 * are dropped, and the copy itself never cuts a character. */
static void copy_field(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src), i = 0, o = 0;
    while (i < n && o < size - 1) {
        size_t ok = esv_utf8_valid_prefix(src + i, n - i);
        if (ok == 0) {
            i++;
            continue;
        }
        if (ok > size - 1 - o) {
            ok = size - 1 - o;
            while (ok > 0 && ((unsigned char)src[i + ok] & 0xC0) == 0x80)
                ok--;
            if (ok == 0)
                break;
        }
        memcpy(dst + o, src + i, ok);
        o += ok;
        i += ok;
    }
    dst[o] = '\0';
}

int esv_error_set(embedsvc_error *err, int status, const char *code, const char *fmt, ...)
{
    if (!err || err->size < offsetof(embedsvc_error, status) + sizeof(err->status))
        return status;
    err->status = status;
    if (FITS(err, line))
        err->line = 0;
    if (FITS(err, column))
        err->column = 0;
    if (FITS(err, offset))
        err->offset = 0;
    if (FITS(err, code))
        copy_field(err->code, sizeof(err->code), code);
    if (FITS(err, message)) {
        char tmp[4 * EMBEDSVC_ERROR_MESSAGE_SIZE]; /* copy_field truncates on a character boundary */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tmp, sizeof(tmp), fmt, ap);
        va_end(ap);
        copy_field(err->message, sizeof(err->message), tmp);
    }
    if (FITS(err, path))
        err->path[0] = '\0';
    return status;
}

void esv_position(const char *doc, size_t doc_len, size_t offset, uint32_t *line, uint32_t *column)
{
    size_t i = 0;
    uint32_t l = 1, c = 1;
    if (doc_len >= 3 && memcmp(doc, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (offset > doc_len)
        offset = doc_len;
    for (; i < offset; i++) {
        unsigned char ch = (unsigned char)doc[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

void esv_error_position(embedsvc_error *err, const char *doc, size_t doc_len, size_t offset)
{
    if (!err)
        return;
    uint32_t line, column;
    esv_position(doc, doc_len, offset, &line, &column);
    if (FITS(err, line))
        err->line = line;
    if (FITS(err, column))
        err->column = column;
    if (FITS(err, offset))
        err->offset = offset;
}

void esv_error_path(embedsvc_error *err, const char *path, size_t len)
{
    if (!err || !FITS(err, path))
        return;
    size_t cap = sizeof(err->path);
    if (len < cap) {
        memcpy(err->path, path, len);
        err->path[len] = '\0';
        return;
    }
    size_t n = cap - 4;
    while (n > 0 && ((unsigned char)path[n] & 0xC0) == 0x80)
        n--;
    memcpy(err->path, path, n);
    memcpy(err->path + n, "...", 4);
}
