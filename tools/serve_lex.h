/* embedsvc serve: the JSON lexer of the /v1/classify body reader (tools/serve_lex.c), shared with
 * the reader of its shape (tools/serve_texts.c). */
#ifndef EMBEDSVC_TOOLS_SERVE_LEX_H
#define EMBEDSVC_TOOLS_SERVE_LEX_H

#include "serve.h"

#define MAX_DEPTH 32
#define MAX_STRING 4096

typedef struct reader {
    const char *s;
    size_t n, i;
    /* the first error of each class, by document position */
    bool syntax;
    size_t syntax_at;
    char syntax_msg[128];
    bool deferred; /* limit or escape */
    size_t deferred_at;
    char deferred_code[32], deferred_msg[128];
    bool dup;
    size_t dup_at;
    char dup_path[EMBEDSVC_ERROR_PATH_SIZE];
    sbuf str; /* the last decoded string */
    bool oom;
} reader;

typedef enum jkind { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jkind;

extern const char *const sj_kind_name[];
/* The kind of the value that starts at r->i. */
jkind sj_kind_at(const reader *r);
/* Record the first error of each class (syntax; a limit or escape error) at its position. */
void sj_syntax(reader *r, const char *msg);
void sj_defer(reader *r, size_t at, const char *code, const char *msg);
void sj_ws(reader *r);
int sj_hex4(const char *p);
void sj_put_utf8(sbuf *b, unsigned cp);
/* Read a string into r->str, a literal, a number; false on a syntax error (recorded). */
bool sj_string(reader *r);
bool sj_literal(reader *r, const char *word);
bool sj_number(reader *r);
/* The offset of the first invalid UTF-8 byte, or len. */
size_t sj_utf8_bad(const unsigned char *s, size_t len);
void sj_position(const char *doc, size_t len, size_t off, embedsvc_error *err);
/* Fills err (parse error at byte off, line and column computed); returns false. */
bool sj_fail(embedsvc_error *err, const char *doc, size_t len, size_t off, const char *code, const char *path,
             const char *msg);

#endif
