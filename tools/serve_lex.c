/* embedsvc serve: the JSON lexer of the /v1/classify body reader (tools/serve_texts.c): white
 * space, strings (escapes, surrogate pairs, the 4096-byte limit), numbers and literals, with the
 * first error of each class recorded by position so that the reader can report them in the order
 * of reference §10; and the UTF-8 check and the error record (code, message, path, line, column). */
#include "serve_lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kind of the value that starts at r->i (NULL at the end: the parser reports that). */
jkind sj_kind_at(const reader *r)
{
    if (r->i >= r->n)
        return J_NULL;
    switch (r->s[r->i]) {
    case '{':
        return J_OBJECT;
    case '[':
        return J_ARRAY;
    case '"':
        return J_STRING;
    case 'n':
        return J_NULL;
    case 't':
    case 'f':
        return J_BOOL;
    default:
        return J_NUMBER;
    }
}

const char *const sj_kind_name[] = {"null", "a boolean", "a number", "a string", "an array", "an object"};

void sj_syntax(reader *r, const char *msg)
{
    if (!r->syntax) {
        r->syntax = true;
        r->syntax_at = r->i;
        snprintf(r->syntax_msg, sizeof(r->syntax_msg), "%s", msg);
    }
}

void sj_defer(reader *r, size_t at, const char *code, const char *msg)
{
    if (!r->deferred) {
        r->deferred = true;
        r->deferred_at = at;
        snprintf(r->deferred_code, sizeof(r->deferred_code), "%s", code);
        snprintf(r->deferred_msg, sizeof(r->deferred_msg), "%s", msg);
    }
}

void sj_ws(reader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

int sj_hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

void sj_put_utf8(sbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sbuf_append(b, u, n);
}

/* A string at r->i (the opening quote), decoded into r->str. */
bool sj_string(reader *r)
{
    size_t start = r->i;
    r->i++;
    r->str.len = 0;
    sbuf_append(&r->str, "", 0);
    for (;;) {
        if (r->i >= r->n) {
            sj_syntax(r, "unterminated string");
            return false;
        }
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            break;
        }
        if (c < 0x20) {
            sj_syntax(r, "control character in a string");
            return false;
        }
        if (c != '\\') {
            size_t run = r->i;
            while (r->i < r->n && r->s[r->i] != '"' && r->s[r->i] != '\\' && (unsigned char)r->s[r->i] >= 0x20)
                r->i++;
            sbuf_append(&r->str, r->s + run, r->i - run);
            continue;
        }
        size_t esc = r->i;
        if (r->i + 1 >= r->n) {
            sj_syntax(r, "unterminated string");
            return false;
        }
        char e = r->s[r->i + 1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char out[] = "\"\\/\b\f\n\r\t";
            sbuf_append(&r->str, &out[simple - "\"\\/bfnrt"], 1);
            r->i += 2;
            continue;
        }
        if (e != 'u') {
            r->i++;
            sj_syntax(r, "invalid escape in a string");
            return false;
        }
        int cp = r->i + 6 <= r->n ? sj_hex4(r->s + r->i + 2) : -1;
        if (cp < 0) {
            r->i += 2;
            sj_syntax(r, "invalid \\u escape");
            return false;
        }
        r->i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = r->i + 6 <= r->n && r->s[r->i] == '\\' && r->s[r->i + 1] == 'u' ? sj_hex4(r->s + r->i + 2) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                r->i += 6;
                sj_put_utf8(&r->str, 0x10000u + (((unsigned)cp - 0xD800u) << 10) + ((unsigned)lo - 0xDC00u));
                continue;
            }
            sj_defer(r, esc, "parse.encoding", "unpaired surrogate in a \\u escape");
            continue;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            sj_defer(r, esc, "parse.encoding", "unpaired surrogate in a \\u escape");
            continue;
        }
        if (cp == 0) {
            sj_defer(r, esc, "parse.encoding", "\\u0000 is not allowed");
            continue;
        }
        sj_put_utf8(&r->str, (unsigned)cp);
    }
    if (r->str.failed)
        r->oom = true;
    if (r->str.len > MAX_STRING)
        sj_defer(r, start, "parse.limit", "string longer than 4096 bytes");
    return true;
}

bool sj_literal(reader *r, const char *word)
{
    size_t l = strlen(word);
    if (r->n - r->i < l || memcmp(r->s + r->i, word, l) != 0) {
        sj_syntax(r, "invalid literal");
        return false;
    }
    r->i += l;
    return true;
}

/* The digits at *i (at least one, else a syntax error at the end of what was read). */
static bool digit_run(reader *r, size_t *i)
{
    size_t d = *i;
    while (*i < r->n && r->s[*i] >= '0' && r->s[*i] <= '9')
        (*i)++;
    if (*i > d)
        return true;
    r->i = *i;
    sj_syntax(r, "invalid number");
    return false;
}

bool sj_number(reader *r)
{
    size_t i = r->i;
    if (i < r->n && r->s[i] == '-')
        i++;
    if (i < r->n && r->s[i] == '0') {
        i++;
    } else if (i >= r->n || r->s[i] < '1' || r->s[i] > '9' || !digit_run(r, &i)) {
        r->i = i;
        sj_syntax(r, "invalid number");
        return false;
    }
    if (i < r->n && r->s[i] == '.') {
        i++;
        if (!digit_run(r, &i))
            return false;
    }
    if (i < r->n && (r->s[i] == 'e' || r->s[i] == 'E')) {
        i++;
        if (i < r->n && (r->s[i] == '+' || r->s[i] == '-'))
            i++;
        if (!digit_run(r, &i))
            return false;
    }
    r->i = i;
    return true;
}

/* The offset of the first invalid UTF-8 byte (no overlong forms, no surrogates), or len. */
size_t sj_utf8_bad(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += n;
    }
    return len;
}

void sj_position(const char *doc, size_t len, size_t off, embedsvc_error *err)
{
    uint32_t l = 1, c = 1;
    size_t i = len >= 3 && memcmp(doc, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (; i < off && i < len; i++) {
        if (doc[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)doc[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    err->line = l;
    err->column = c;
    err->offset = off;
}

bool sj_fail(embedsvc_error *err, const char *doc, size_t len, size_t off, const char *code, const char *path,
                 const char *msg)
{
    err->status = EMBEDSVC_EPARSE;
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->message, sizeof(err->message), "%s", msg);
    snprintf(err->path, sizeof(err->path), "%s", path);
    sj_position(doc, len, off, err);
    return false;
}
