/* The memo of a result object (memo.h). Two direct-mapped tables of fixed size, each entry keyed
 * on every input of what it holds, so that a hit gives exactly what computing would:
 *   - labels: the classification of a function's label (reference §4) depends only on the policy
 *     and the label's bytes;
 *   - messages: a finding's two messages depend only on the policy, the finding's code, its
 *     parameters a and b and its text (the inputs of findings.c's templates).
 * The findings and labels of a portfolio repeat — the same label inferred to the same scenario,
 * line after line — so most are found here. The policy is keyed by its serial, not its address:
 * a policy freed and another loaded at the same address never meets the first one's entries.
 * An entry is overwritten by the next key that maps to it; a label or text longer than an entry
 * keeps is computed every time. Memory: sizeof(struct esv_memo), about 180 KiB, per result
 * object from its second evaluation on. */
#include "memo.h"

#include <string.h>

#define SLOTS 256     /* entries of each table (a power of two) */
#define TEXT_MAX 64   /* bytes of a label or a finding's text that an entry keeps */
#define BLOB_MAX 512  /* bytes of the two messages that an entry keeps */
#define NO_TEXT UINT16_MAX

typedef struct label_slot {
    uint64_t policy; /* the policy's serial; 0: empty */
    uint16_t len;
    char text[TEXT_MAX];
    embedsvc_match match;
    int scenario, item, cls;
    const esv_term *term;
} label_slot;

struct esv_memo_msg {
    uint64_t policy; /* 0: empty */
    int64_t a, b;
    uint16_t code, text_len, blob_len;
    char text[TEXT_MAX];
    char blob[BLOB_MAX];
};

struct esv_memo {
    size_t mask; /* entries in use - 1: SLOTS, or esv_memo_test_slots */
    label_slot labels[SLOTS];
    esv_memo_msg msgs[SLOTS];
};

unsigned esv_memo_test_slots;

void esv_memo_prepare(embedsvc_result *r)
{
    if (r->evaluations < 2 && ++r->evaluations == 2 && !r->memo) {
        r->memo = esv_calloc(&r->al, 1, sizeof(*r->memo));
        if (r->memo)
            r->memo->mask = (esv_memo_test_slots && esv_memo_test_slots < SLOTS ? esv_memo_test_slots : SLOTS) - 1;
    }
}

/* FNV-1a over the bytes, from h. */
static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    return h;
}

#define HASH_START UINT64_C(1469598103934665603)

static size_t slot_of(const struct esv_memo *m, uint64_t h)
{
    return (size_t)(h ^ (h >> 29)) & m->mask;
}

bool esv_memo_classify(embedsvc_result *r, const embedsvc_policy *p, const char *text, size_t len,
                       esv_class_out *out)
{
    if (!r->memo || len > TEXT_MAX)
        return esv_classify_text(p, text, len, out);
    label_slot *m = &r->memo->labels[slot_of(r->memo, hash_bytes(HASH_START, text, len))];
    if (m->policy == p->serial && m->len == len && memcmp(m->text, text, len) == 0) {
        out->match = m->match;
        out->scenario = m->scenario;
        out->item = m->item;
        out->cls = m->cls;
        out->term = m->term;
        out->n_candidates = 0;
        return true;
    }
    if (!esv_classify_text(p, text, len, out))
        return false;
    m->policy = p->serial;
    m->len = (uint16_t)len;
    memcpy(m->text, text, len);
    m->match = out->match;
    m->scenario = out->scenario;
    m->item = out->item;
    m->cls = out->cls;
    m->term = out->term;
    return true;
}

esv_memo_msg *esv_memo_msg_find(const embedsvc_result *r, const esv_finding *f, const char *text, size_t text_len,
                                bool *hit, const char **blob, size_t *len)
{
    *hit = false;
    if (!r->memo || text_len > TEXT_MAX)
        return NULL;
    uint64_t h = (HASH_START ^ (uint64_t)f->code) * UINT64_C(1099511628211);
    h = (h ^ (uint64_t)f->a) * UINT64_C(1099511628211);
    h = (h ^ (uint64_t)f->b) * UINT64_C(1099511628211);
    esv_memo_msg *m = &r->memo->msgs[slot_of(r->memo, hash_bytes(h, text, text_len))];
    uint16_t tl = text ? (uint16_t)text_len : NO_TEXT;
    if (m->policy == r->policy->serial && m->code == (uint16_t)f->code && m->a == f->a && m->b == f->b &&
        m->text_len == tl && (!text || memcmp(m->text, text, text_len) == 0)) {
        *hit = true;
        *blob = m->blob;
        *len = m->blob_len;
    }
    return m;
}

void esv_memo_msg_store(esv_memo_msg *m, const embedsvc_result *r, const esv_finding *f, const char *text,
                        size_t text_len, const char *blob, size_t len)
{
    if (!m || len > BLOB_MAX)
        return;
    m->policy = r->policy->serial;
    m->code = (uint16_t)f->code;
    m->a = f->a;
    m->b = f->b;
    m->text_len = text ? (uint16_t)text_len : NO_TEXT;
    if (text)
        memcpy(m->text, text, text_len);
    m->blob_len = (uint16_t)len;
    memcpy(m->blob, blob, len);
}
