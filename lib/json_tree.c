/* Writing parsed JSON trees back as text, and reading whole files (policy authoring). */
#include "authoring.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void esv_json_write_value(esv_out *o, const esv_jval *v)
{
    switch (v->type) {
    case ESV_JNULL:
        esv_out_put(o, "null", 4);
        break;
    case ESV_JFALSE:
        esv_out_put(o, "false", 5);
        break;
    case ESV_JTRUE:
        esv_out_put(o, "true", 4);
        break;
    case ESV_JNUMBER:
        esv_out_put(o, v->str, v->len);
        break;
    case ESV_JSTRING:
        esv_out_json_string(o, v->str, v->len);
        break;
    case ESV_JARRAY:
        esv_out_put(o, "[", 1);
        for (const esv_jval *e = v->child; e; e = e->next) {
            esv_json_write_value(o, e); /* depth is bounded by the reader (ESV_JSON_MAX_DEPTH) */
            if (e->next)
                esv_out_put(o, ",", 1);
        }
        esv_out_put(o, "]", 1);
        break;
    case ESV_JOBJECT:
        esv_out_put(o, "{", 1);
        for (const esv_jval *m = v->child; m; m = m->next) {
            esv_out_json_string(o, m->key, m->key_len);
            esv_out_put(o, ":", 1);
            esv_json_write_value(o, m);
            if (m->next)
                esv_out_put(o, ",", 1);
        }
        esv_out_put(o, "}", 1);
        break;
    }
}

bool esv_json_pointer_append(esv_buf *buf, const esv_alloc *al, const char *key, size_t len)
{
    if (!esv_buf_append(buf, al, "/", 1))
        return false;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = key[i] == '~' ? "~0" : key[i] == '/' ? "~1" : NULL;
        if (!rep)
            continue;
        if (!esv_buf_append(buf, al, key + start, i - start) || !esv_buf_append(buf, al, rep, 2))
            return false;
        start = i + 1;
    }
    return esv_buf_append(buf, al, key + start, len - start);
}

int esv_read_file(const char *path, const esv_alloc *al, esv_buf *out, embedsvc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return esv_error_set(err, EMBEDSVC_EIO, "io", "cannot open %.200s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    int rc = EMBEDSVC_OK;
    if (!esv_buf_reserve(out, al, 0))
        rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    else
        out->data[out->len] = '\0';
    while (rc == EMBEDSVC_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (out->len + n > ESV_JSON_MAX_SIZE + 1)
            break;
        if (!esv_buf_append(out, al, chunk, n))
            rc = esv_error_set(err, EMBEDSVC_ENOMEM, "nomem", "out of memory");
    }
    if (rc == EMBEDSVC_OK && ferror(f))
        rc = esv_error_set(err, EMBEDSVC_EIO, "io", "cannot read %.200s: %s", path, strerror(errno));
    fclose(f);
    return rc;
}
