/* Helpers of the policy-authoring commands (tools/authoring.h). */
#include "authoring.h"

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *auth_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embedsvc: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0, limit = (16u << 20) + 1; /* one byte over the limit: the library reports it */
    char *buf = malloc(cap + 1);
    while (buf && n < limit) {
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = !buf || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_display_name(path), buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

void auth_report_error(const char *file, const embedsvc_error *err)
{
    if (err->line)
        fprintf(stderr, "embedsvc: %s:%u:%u: %s: %s", cli_display_name(file), err->line, err->column, err->code,
                err->message);
    else
        fprintf(stderr, "embedsvc: %s: %s: %s", cli_display_name(file), err->code, err->message);
    if (err->path[0])
        fprintf(stderr, " (at %s)", err->path);
    fputc('\n', stderr);
}

embedsvc_policy *auth_load_policy(const char *path)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc;
    if (!path || strcmp(path, "default") == 0) {
        rc = embedsvc_policy_default(NULL, &p, &err);
    } else {
        size_t len;
        char *data = auth_read_file(path, &len);
        if (!data)
            return NULL;
        rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
        free(data);
    }
    if (rc != EMBEDSVC_OK) {
        auth_report_error(path ? path : "<default policy>", &err);
        return NULL;
    }
    return p;
}
