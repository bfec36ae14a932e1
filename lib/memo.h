/* The memo of a result object (memo.c): what the evaluation of one project computed that the
 * next project is likely to need again, keyed on exactly the inputs it depends on. */
#ifndef ESV_MEMO_H
#define ESV_MEMO_H

#include "model.h"

/* Starts the memo of r at its second evaluation (an object reused for many projects: a batch, a
 * Python evaluate_many); a single evaluation pays nothing for it. Without memory there is no
 * memo and everything is computed, as before. */
void esv_memo_prepare(embedsvc_result *r);

/* For the tests: when set (a power of two below 256), the memos created from then on use this many
 * entries per table, so that every key meets the others in the same few entries. */
extern unsigned esv_memo_test_slots;

/* esv_classify_text of a function's label under p, through the memo of r when it has one. On a
 * hit only match, scenario, item, cls and term are filled (n_candidates is 0): what §3.1 needs. */
bool esv_memo_classify(embedsvc_result *r, const embedsvc_policy *p, const char *text, size_t len,
                       esv_class_out *out);

/* The two messages of a finding as written into a result (`,"message_zh":"…","message_en":"…"`). */
typedef struct esv_memo_msg esv_memo_msg;

/* The entry for finding f of r (its text `text`, or NULL): *hit when it holds f's messages, in
 * (*blob, *len). NULL when r has no memo or the text is too long to be kept. */
esv_memo_msg *esv_memo_msg_find(const embedsvc_result *r, const esv_finding *f, const char *text, size_t text_len,
                                bool *hit, const char **blob, size_t *len);
/* Keeps the messages of f (written as `blob`) in entry m, found by esv_memo_msg_find; a blob too
 * long for an entry is not kept. */
void esv_memo_msg_store(esv_memo_msg *m, const embedsvc_result *r, const esv_finding *f, const char *text,
                        size_t text_len, const char *blob, size_t len);

#endif
