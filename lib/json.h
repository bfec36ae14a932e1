/* The library's own strict JSON reader (RFC 8259 + the limits of reference §10). Not installed.
 *
 * esv_json_parse() builds a read-only tree in an arena owned by the parser. The arena is kept
 * between parses, so a parser reused for documents of similar size allocates nothing. Strings
 * are unescaped, NUL-terminated UTF-8; numbers keep their exact token text so that money and
 * rates never pass through binary floating point. */
#ifndef EMBEDSVC_JSON_H
#define EMBEDSVC_JSON_H

#include "internal.h"

#define ESV_JSON_MAX_SIZE (16u * 1024u * 1024u) /* bytes of a document */
#define ESV_JSON_MAX_DEPTH 32                   /* the top-level value is depth 1 */
#define ESV_JSON_MAX_STRING 4096                /* UTF-8 bytes of a string or key after unescaping */

typedef enum esv_jtype {
    ESV_JNULL,
    ESV_JFALSE,
    ESV_JTRUE,
    ESV_JNUMBER,
    ESV_JSTRING,
    ESV_JARRAY,
    ESV_JOBJECT,
} esv_jtype;

typedef struct esv_jval esv_jval;
struct esv_jval {
    esv_jtype type;
    /* JSTRING: unescaped bytes (NUL-terminated, may not contain NUL since \u0000 is rejected);
     * JNUMBER: the number token exactly as written in the source (NOT NUL-terminated; points into
     * the caller's document, which must outlive the tree). */
    const char *str;
    size_t len;          /* length of str; for JARRAY/JOBJECT the number of children */
    size_t offset;       /* byte offset in the document of the value's first byte */
    esv_jval *child;     /* JARRAY/JOBJECT: first element/member, in document order */
    esv_jval *next;      /* next sibling */
    /* Members of an object only: */
    const char *key;     /* unescaped, NUL-terminated */
    size_t key_len;
    size_t key_offset;   /* byte offset of the key's opening quote */
};

typedef struct esv_json esv_json; /* a reusable parser owning its arena */

esv_json *esv_json_new(const esv_alloc *al);
void esv_json_free(esv_json *p);

/* Parses one document. On success returns EMBEDSVC_OK and *root (valid until the next parse or
 * free; numbers point into `data`). On failure returns EMBEDSVC_EPARSE (or EMBEDSVC_ENOMEM) and
 * fills err with code, message, line, column, offset and path.
 *
 * A UTF-8 BOM at the very start is skipped. Offsets count from the start of `data` (BOM included);
 * line/column count code points after the BOM (esv_error_position).
 *
 * The defect reported, when there are several, is the first of (reference §10):
 *   1. size > ESV_JSON_MAX_SIZE                       -> parse.limit, at offset 0, path ""
 *   2. the first invalid UTF-8 byte                   -> parse.encoding, path ""
 *   3. the first syntax error (incl. trailing garbage, control characters in strings, bad
 *      escapes such as \x, an empty document)          -> parse.syntax, path ""
 *   4. the first limit or escape error in document order: a value deeper than
 *      ESV_JSON_MAX_DEPTH (any value, scalars included, whose depth = enclosing containers + 1),
 *      a string or key longer than ESV_JSON_MAX_STRING bytes after unescaping -> parse.limit;
 *      an unpaired surrogate escape or \u0000           -> parse.encoding;
 *      path = JSON pointer of the offending value (of the member for a key)
 *   5. the first duplicate key (the second occurrence, compared after unescaping)
 *                                                       -> parse.duplicate_key, path of the member
 * Parsing goes on after a defect of kind 4 or 5 so that an earlier-priority defect later in the
 * document still wins. Worst-case time is O(n log n) in the document size; stack use is bounded
 * (no recursion on nesting). */
int esv_json_parse(esv_json *p, const char *data, size_t len, const esv_jval **root, embedsvc_error *err);

/* Looks up a member by key (first match), or NULL. */
const esv_jval *esv_json_get(const esv_jval *object, const char *key);
/* The same for a key of len bytes (not NUL-terminated); NULL for a non-object. */
const esv_jval *esv_json_member(const esv_jval *object, const char *key, size_t len);


/* Writes a JSON string literal (with quotes) for UTF-8 text: escapes '"', '\\' and U+0000-U+001F
 * (\b \f \n \r \t or \u00XX); everything else verbatim. Returns false on ENOMEM. (json_write.c) */
bool esv_json_write_string(esv_buf *buf, const esv_alloc *al, const char *s, size_t len);

/* The bytes one input byte can take escaped ("\u001f"), and the most an int64 takes ("-" and 19 digits). */
#define ESV_JSON_ESCAPE_MAX 6
#define ESV_JSON_INT_MAX 20

/* The content of a string literal, escaped as esv_json_write_string does, without the quotes, at d,
 * which must have room for ESV_JSON_ESCAPE_MAX * len bytes; returns the end of what was written. */
char *esv_json_escape(char *d, const char *s, size_t len);

/* The string literal of esv_json_write_string, quotes included, at d, which must have room for
 * ESV_JSON_ESCAPE_MAX * len + 2 bytes; returns the end of what was written. */
char *esv_json_quote(char *d, const char *s, size_t len);

/* v in decimal at d (room for ESV_JSON_INT_MAX bytes); returns the end. */
char *esv_json_int(char *d, int64_t v);

/* esv_json_write_string on a writer. */
static inline void esv_out_json_string(esv_out *o, const char *s, size_t len)
{
    if (o->ok && !esv_json_write_string(o->b, o->al, s, len))
        o->ok = false;
}

#endif
