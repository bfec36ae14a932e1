/* Helpers shared by the commands of the embedsvc tool. */
#include "cli.h"

#include "report.h"

#include <string.h>

const char *cli_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_display_width(const char *s)
{
    return esv_report_width(s);
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
