/* Exact decimal input (reference §2), 128-bit products and largest-remainder apportionment (§3.3).
 * No binary floating point: text is read digit by digit. */
#include "internal.h"

#include <string.h>

#define MONEY_MAX_FEN INT64_C(100000000000000)  /* 10^12 yuan */
#define AREA_MAX_HUNDREDTHS INT64_C(1000000000)  /* 10^7 m² */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

const char *esv_decimal_parse(esv_decimal_kind kind, const char *text, size_t len, int64_t *out,
                              const char **message)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && text[i] == '-') {
        negative = true;
        i++;
    }
    unsigned places = kind == ESV_DEC_RATE ? 4 : 2;
    size_t int_start = i;
    uint64_t iv = 0, fv = 0; /* the digits, read as they are scanned (iv wraps when too long: unused then) */
    while (i < len && is_digit(text[i]))
        iv = iv * 10 + (uint64_t)(text[i++] - '0');
    size_t int_len = i - int_start;
    size_t frac_start = 0, frac_len = 0;
    if (int_len == 0 || (int_len > 1 && text[int_start] == '0')) {
        *message = "not a plain decimal number (expected digits like 123 or 123.45)";
        return "parse.value";
    }
    if (i < len && text[i] == '.') {
        i++;
        frac_start = i;
        while (i < len && is_digit(text[i])) {
            if (i - frac_start < places)
                fv = fv * 10 + (uint64_t)(text[i] - '0');
            i++;
        }
        frac_len = i - frac_start;
        if (frac_len == 0) {
            *message = "not a plain decimal number (a '.' must be followed by digits)";
            return "parse.value";
        }
    }
    if (i != len) {
        *message = "not a plain decimal number (no exponent, sign '+', spaces or other characters)";
        return "parse.value";
    }
    if (negative) {
        if (kind == ESV_DEC_MONEY) {
            *message = "money must not be negative";
            return "money.negative";
        }
        *message = "must not be negative";
        return "parse.value";
    }
    for (size_t k = places; k < frac_len; k++) {
        if (text[frac_start + k] != '0') {
            if (kind == ESV_DEC_MONEY) {
                *message = "money has more than 2 decimal places (finer than one fen)";
                return "money.precision";
            }
            *message = kind == ESV_DEC_RATE ? "a rate has at most 4 decimal places"
                                            : "an area has at most 2 decimal places";
            return "parse.value";
        }
    }
    /* The scaled integer. The pattern has no leading zeros, so more than 15 integer digits is above
     * every range (10^12 yuan, 10^7 m², 1), and 15 digits with 4 places still fit 64 bits. */
    bool too_big = int_len > 15;
    for (size_t p = frac_len; p < places; p++)
        fv *= 10;
    uint64_t v = iv * (places == 4 ? 10000 : 100) + fv;
    int64_t max = kind == ESV_DEC_MONEY ? MONEY_MAX_FEN : kind == ESV_DEC_RATE ? 10000 : AREA_MAX_HUNDREDTHS;
    if (too_big || v > (uint64_t)max) {
        if (kind == ESV_DEC_MONEY) {
            *message = "money above 1,000,000,000,000 yuan";
            return "money.range";
        }
        *message = kind == ESV_DEC_RATE ? "a rate must lie in [0, 1]" : "an area must be at most 10,000,000 m²";
        return "parse.value";
    }
    *out = (int64_t)v;
    *message = NULL;
    return NULL;
}

bool esv_integer_parse(const char *text, size_t len, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && text[i] == '-') {
        negative = true;
        i++;
    }
    size_t start = i;
    while (i < len && is_digit(text[i]))
        i++;
    size_t n = i - start;
    if (i != len || n == 0 || (n > 1 && text[start] == '0') || n > 18)
        return false;
    int64_t v = 0;
    for (size_t k = start; k < i; k++)
        v = v * 10 + (text[k] - '0');
    if (negative)
        v = -v;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool esv_date_valid(const char *t, size_t len)
{
    if (len != 10 || t[4] != '-' || t[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(t[i]))
            return false;
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    int d = (t[8] - '0') * 10 + (t[9] - '0');
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    int dim = days[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 29;
    return d <= dim;
}

bool esv_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    if (a < 0 || b < 0 || c <= 0)
        return false;
    esv_u128 q = (esv_u128)(uint64_t)a * (uint64_t)b / (uint64_t)c;
    if (q > (esv_u128)INT64_MAX)
        return false;
    *out = (int64_t)q;
    return true;
}
