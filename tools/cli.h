/* Helpers shared by the commands of the embedsvc tool: text layout and amounts for reports. */
#ifndef EMBEDSVC_TOOLS_CLI_H
#define EMBEDSVC_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXIT_BAD_INPUT 2

/* "<stdin>" for "-", else the path. */
const char *cli_display_name(const char *path);
/* Display width of UTF-8 text in a terminal: East Asian wide characters count 2. */
int cli_display_width(const char *s);
/* Prints s padded with spaces to width columns, right-aligned when right. */
void cli_print_padded(FILE *f, const char *s, int width, bool right);
/* Amounts and percentages: esv_report_yuan() and the rest of report/report.h. */
/* Writes a JSON string literal (quotes, backslashes and control characters escaped). */
void cli_json_string(FILE *f, const char *s);

#endif
