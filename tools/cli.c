/* Helpers shared by the commands of the embedsvc tool. */
#include "cli.h"

#include <string.h>

const char *cli_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp = *p;
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        if (n > 1)
            cp &= 0x3Fu >> (n - 1);
        for (int i = 1; i < n && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        for (int i = 0; i < n && *p; i++)
            p++;
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}

void cli_print_padded(FILE *f, const char *s, int width, bool right)
{
    int pad = width - cli_display_width(s);
    for (int i = 0; right && i < pad; i++)
        fputc(' ', f);
    fputs(s, f);
    for (int i = 0; !right && i < pad; i++)
        fputc(' ', f);
}

/* The integer part of |v| / unit with thousands separators, after a '-' when negative. */
static size_t grouped(int64_t v, uint64_t unit, char *out, size_t size)
{
    char digits[32];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)(u / unit));
    size_t o = 0;
    if (v < 0 && o + 1 < size)
        out[o++] = '-';
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o < size ? o : size - 1] = '\0';
    return o;
}

void cli_format_yuan(int64_t fen, char *out, size_t size)
{
    uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    size_t o = grouped(fen, 100, out, size);
    snprintf(out + o, size - o, ".%02u", (unsigned)(u % 100));
}

void cli_format_wan(int64_t fen, char *out, size_t size)
{
    uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char frac[8];
    snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(u % 1000000));
    int keep = 6;
    while (keep > 2 && frac[keep - 1] == '0')
        keep--;
    frac[keep] = '\0';
    size_t o = grouped(fen, 1000000, out, size);
    snprintf(out + o, size - o, ".%s", frac);
}

void cli_format_percent(int64_t bp, char *out, size_t size)
{
    if (bp % 100 == 0)
        snprintf(out, size, "%lld%%", (long long)(bp / 100));
    else
        snprintf(out, size, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}
