/* The one number format of libembedsvc's readable output (report/format.c): standalone (only the
 * C library), so that libembedsvc's finding messages are written with it too. */
#ifndef EMBEDSVC_REPORT_FORMAT_H
#define EMBEDSVC_REPORT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------------------------------------
 * Exact integer arithmetic only. Each function writes a NUL-terminated string into out (cut to
 * size, like snprintf) and returns the length of the whole string; 48 bytes always suffice.
 *   yuan:    fen with 2 decimals and thousands separators: 1,234,567.89; -0.01; 0.00
 *   万元:    fen / 1,000,000 rounded half away from zero to 2 decimals: 187.64 (1 万元 = 10,000 yuan)
 *   million: fen / 100,000,000 rounded half away from zero to 4 decimals: 1.8764 (the same
 *            precision as 2 decimals of 万元, 100 yuan)
 *   percent: basis points, trailing zeros of the 2 decimals dropped: 30%, 30.1%, 25.75%, 0% */
size_t esv_report_yuan(int64_t fen, char *out, size_t size);
size_t esv_report_wan(int64_t fen, char *out, size_t size);
size_t esv_report_million(int64_t fen, char *out, size_t size);
size_t esv_report_percent(int64_t bp, char *out, size_t size);
/* An amount with its unit in the reader's language: "1,234.56 元" / "1,234.56 yuan". */
size_t esv_report_money(int64_t fen, const char *lang, char *out, size_t size);
/* A large amount with its unit: "187.64 万元" / "1.8764 million yuan". */
size_t esv_report_large(int64_t fen, const char *lang, char *out, size_t size);
/* The unit of esv_report_large(): "万元" / "million yuan". */
const char *esv_report_large_unit(const char *lang);

#ifdef __cplusplus
}
#endif

#endif
