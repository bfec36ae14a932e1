/* The one number format of every readable output (docs/guide.en.md, "Reports and number
 * formatting"): yuan with 2 decimals and thousands separators, 万元 with 2 decimals, million yuan
 * with 4, percent from basis points. Exact integer arithmetic, never a double.
 *
 * This file depends on nothing but the C library: it is compiled into libembedsvc too (hidden),
 * whose finding messages write their amounts and rates with it, so that the library's sentences
 * and the reports cannot disagree. */
#include "report_format.h"

#include <stdbool.h>
#include <string.h>

static bool is_zh(const char *lang)
{
    return lang && strcmp(lang, "zh") == 0;
}

/* Writes sign, the integer part of `whole` with thousands separators, and `decimals` digits of
 * frac (0 <= frac < 10^decimals), snprintf-like. */
static size_t put_number(bool negative, uint64_t whole, uint64_t frac, int decimals, char *out, size_t size)
{
    char digits[24], tmp[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    size_t o = 0;
    if (negative)
        tmp[o++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        tmp[o++] = digits[i];
        if (i && i % 3 == 0)
            tmp[o++] = ',';
    }
    if (decimals) {
        tmp[o++] = '.';
        for (int i = decimals - 1; i >= 0; i--) {
            uint64_t p = 1;
            for (int k = 0; k < i; k++)
                p *= 10;
            tmp[o++] = (char)('0' + frac / p % 10);
        }
    }
    tmp[o] = '\0';
    if (size) {
        size_t k = o < size ? o : size - 1;
        memcpy(out, tmp, k);
        out[k] = '\0';
    }
    return o;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

size_t esv_report_yuan(int64_t fen, char *out, size_t size)
{
    uint64_t u = magnitude(fen);
    return put_number(fen < 0, u / 100, u % 100, 2, out, size);
}

/* fen / unit rounded half away from zero to `decimals` digits (unit / 10^decimals fen a step). */
static size_t rounded(int64_t fen, uint64_t unit, int decimals, char *out, size_t size)
{
    uint64_t step = unit;
    for (int i = 0; i < decimals; i++)
        step /= 10;
    uint64_t u = magnitude(fen);
    uint64_t steps = u / step + (u % step >= (step + 1) / 2 ? 1 : 0); /* no overflow: step >= 100 */
    uint64_t scale = unit / step;
    /* -0.00 for an amount that rounds to zero would say the sign of nothing */
    return put_number(fen < 0 && steps > 0, steps / scale, steps % scale, decimals, out, size);
}

size_t esv_report_wan(int64_t fen, char *out, size_t size)
{
    return rounded(fen, 1000000, 2, out, size);
}

size_t esv_report_million(int64_t fen, char *out, size_t size)
{
    return rounded(fen, 100000000, 4, out, size);
}

size_t esv_report_percent(int64_t bp, char *out, size_t size)
{
    uint64_t u = magnitude(bp);
    char tmp[48];
    size_t o = put_number(bp < 0, u / 100, 0, 0, tmp, sizeof(tmp));
    unsigned frac = (unsigned)(u % 100);
    if (frac) {
        tmp[o++] = '.';
        tmp[o++] = (char)('0' + frac / 10);
        if (frac % 10)
            tmp[o++] = (char)('0' + frac % 10);
    }
    tmp[o++] = '%';
    tmp[o] = '\0';
    if (size) {
        size_t k = o < size ? o : size - 1;
        memcpy(out, tmp, k);
        out[k] = '\0';
    }
    return o;
}

static size_t with_unit(size_t n, const char *unit, char *out, size_t size)
{
    char tmp[96];
    size_t u = strlen(unit);
    if (n + 1 + u >= sizeof(tmp))
        return n + 1 + u; /* cannot happen: numbers take at most 27 bytes, units 12 */
    if (n >= size) /* the number itself was cut: so is the whole */
        return n + 1 + u;
    memcpy(tmp, out, n);
    tmp[n] = ' ';
    memcpy(tmp + n + 1, unit, u + 1);
    size_t k = n + 1 + u < size ? n + 1 + u : size - 1;
    memcpy(out, tmp, k);
    out[k] = '\0';
    return n + 1 + u;
}

size_t esv_report_money(int64_t fen, const char *lang, char *out, size_t size)
{
    return with_unit(esv_report_yuan(fen, out, size), is_zh(lang) ? "元" : "yuan", out, size);
}

const char *esv_report_large_unit(const char *lang)
{
    return is_zh(lang) ? "万元" : "million yuan";
}

size_t esv_report_large(int64_t fen, const char *lang, char *out, size_t size)
{
    size_t n = is_zh(lang) ? esv_report_wan(fen, out, size) : esv_report_million(fen, out, size);
    return with_unit(n, esv_report_large_unit(lang), out, size);
}
