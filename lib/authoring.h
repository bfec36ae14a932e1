/* Internal helpers of the policy-authoring files (derive, tests, diff, policy sets). Not installed. */
#ifndef EMBEDSVC_AUTHORING_H
#define EMBEDSVC_AUTHORING_H

#include "json.h"

/* Writes a parsed value back as compact JSON (numbers as their exact tokens, keys in document order). */
void esv_json_write_value(esv_out *o, const esv_jval *v);

/* Appends "/" and the JSON pointer escaping of a key ("~" -> "~0", "/" -> "~1"). false on ENOMEM. */
bool esv_json_pointer_append(esv_buf *buf, const esv_alloc *al, const char *key, size_t len);

/* Reads a whole file into a NUL-terminated buffer of at most ESV_JSON_MAX_SIZE + 1 bytes (so that the
 * parser reports the limit); EMBEDSVC_EIO / EMBEDSVC_ENOMEM with err set. */
int esv_read_file(const char *path, const esv_alloc *al, esv_buf *out, embedsvc_error *err);

#endif
