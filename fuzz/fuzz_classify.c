/* Fuzzes classification of arbitrary bytes (SPEC §4) under the default policy.
 *
 * Invariants: invalid UTF-8 is a parse.encoding error, never a match; the outcome is consistent
 * (an exact match's term normalises to the text, a contained term is in the text, an ambiguous
 * match lists >= 2 candidates in policy order with no scenario next to one of its items, a class
 * agrees with the policy); the outcome does not change when only what normalisation removes or
 * folds changes (white space, U+3000, ASCII case, full-width ASCII). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

typedef struct outcome {
    embedsvc_match match;
    int scenario, item;
    embedsvc_class cls;
    const char *term;
    size_t n_candidates;
    int candidates[2][64];
} outcome;

static char *normalised(const char *s, size_t len, size_t *out_len)
{
    char *buf = malloc(len + 1);
    FUZZ_CHECK(buf != NULL);
    size_t cps;
    *out_len = esv_normalise(s, len, buf, &cps);
    FUZZ_CHECK(*out_len <= len);
    return buf;
}

static int single_class(const embedsvc_policy *p, int scenario)
{
    int flags = embedsvc_policy_scenario_flags(p, (size_t)scenario), cls = EMBEDSVC_CLASS_NONE, n = 0;
    for (int c = 0; c < EMBEDSVC_CLASS_COUNT; c++)
        if (flags & EMBEDSVC_SCENARIO_ALLOWS(c)) {
            cls = c;
            n++;
        }
    return n == 1 ? cls : EMBEDSVC_CLASS_NONE;
}

static void read_outcome(const embedsvc_classification *c, outcome *o)
{
    memset(o, 0, sizeof(*o));
    o->match = embedsvc_classification_match(c);
    o->scenario = embedsvc_classification_scenario(c);
    o->item = embedsvc_classification_item(c);
    o->cls = embedsvc_classification_class(c);
    o->term = embedsvc_classification_term(c);
    o->n_candidates = embedsvc_classification_candidate_count(c);
    for (size_t i = 0; i < o->n_candidates && i < 64; i++)
        FUZZ_CHECK(embedsvc_classification_candidate(c, i, &o->candidates[0][i], &o->candidates[1][i]) ==
                   EMBEDSVC_OK);
    FUZZ_CHECK(embedsvc_classification_candidate(c, o->n_candidates, NULL, NULL) == EMBEDSVC_EINVAL);
}

static void check_outcome(const embedsvc_policy *p, const outcome *o, const char *text, size_t len)
{
    const int ns = (int)embedsvc_policy_scenario_count(p), ni = (int)embedsvc_policy_item_count(p);
    switch (o->match) {
    case EMBEDSVC_MATCH_NONE:
        FUZZ_CHECK(o->scenario == -1 && o->item == -1 && o->cls == EMBEDSVC_CLASS_NONE);
        /* no term matched, or a non-service term (reference §4), which is then the matched term */
        FUZZ_CHECK(o->n_candidates == 0);
        if (o->term) {
            bool listed = false;
            for (size_t k = 0; k < embedsvc_policy_non_service_count(p) && !listed; k++)
                listed = strcmp(embedsvc_policy_non_service_term(p, k), o->term) == 0;
            FUZZ_CHECK(listed);
        }
        break;
    case EMBEDSVC_MATCH_EXACT:
    case EMBEDSVC_MATCH_CONTAINS: {
        FUZZ_CHECK(o->term != NULL && o->n_candidates == 0);
        if (o->item >= 0) {
            FUZZ_CHECK(o->item < ni);
            FUZZ_CHECK(o->scenario == embedsvc_policy_item_scenario(p, (size_t)o->item));
            FUZZ_CHECK((int)o->cls == embedsvc_policy_item_class(p, (size_t)o->item));
        } else {
            FUZZ_CHECK(o->item == -1 && o->scenario >= 0 && o->scenario < ns);
            FUZZ_CHECK((int)o->cls == single_class(p, o->scenario));
        }
        size_t tn, tl;
        char *t = normalised(text, len, &tn);
        char *term = normalised(o->term, strlen(o->term), &tl);
        FUZZ_CHECK(tl > 0);
        if (o->match == EMBEDSVC_MATCH_EXACT)
            FUZZ_CHECK(tn == tl && memcmp(t, term, tn) == 0);
        else
            FUZZ_CHECK(tl < tn && memmem(t, tn, term, tl) != NULL);
        free(t);
        free(term);
        break;
    }
    case EMBEDSVC_MATCH_AMBIGUOUS: {
        FUZZ_CHECK(o->scenario == -1 && o->item == -1 && o->cls == EMBEDSVC_CLASS_NONE);
        FUZZ_CHECK(o->term != NULL && o->n_candidates >= 2);
        long prev = -1;
        for (size_t i = 0; i < o->n_candidates && i < 64; i++) {
            const int s = o->candidates[0][i], it = o->candidates[1][i];
            long key;
            if (it >= 0) {
                FUZZ_CHECK(it < ni && s == embedsvc_policy_item_scenario(p, (size_t)it));
                key = 1000 + it;
            } else {
                FUZZ_CHECK(it == -1 && s >= 0 && s < ns);
                key = s;
                for (size_t j = 0; j < o->n_candidates && j < 64; j++)
                    FUZZ_CHECK(o->candidates[1][j] < 0 || o->candidates[0][j] != s);
            }
            FUZZ_CHECK(key > prev); /* policy order, no target twice */
            prev = key;
        }
        break;
    }
    default:
        fuzz_fail(__FILE__, __LINE__, "unknown match kind");
    }
}

static void same_outcome(const outcome *a, const outcome *b)
{
    FUZZ_CHECK(a->match == b->match && a->scenario == b->scenario && a->item == b->item && a->cls == b->cls);
    FUZZ_CHECK(a->term == b->term && a->n_candidates == b->n_candidates);
    FUZZ_CHECK(memcmp(a->candidates, b->candidates, sizeof(a->candidates)) == 0);
}

/* U+3000 + the text with ASCII letters upper-cased + " \t": the same after normalisation. */
static char *variant_spaced(const char *s, size_t len, size_t *out_len)
{
    char *v = malloc(len + 5);
    FUZZ_CHECK(v != NULL);
    memcpy(v, "\xE3\x80\x80", 3);
    for (size_t i = 0; i < len; i++)
        v[3 + i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
    v[3 + len] = ' ';
    v[4 + len] = '\t';
    *out_len = len + 5;
    return v;
}

/* Printable ASCII (U+0021-U+007E) written as full-width forms (U+FF01-U+FF5E). */
static char *variant_fullwidth(const char *s, size_t len, size_t *out_len)
{
    char *v = malloc(3 * len + 1);
    FUZZ_CHECK(v != NULL);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x21 && c <= 0x7E) {
            o += esv_utf8_encode((uint32_t)c + 0xFEE0u, v + o);
        } else {
            v[o++] = (char)c;
        }
    }
    *out_len = o;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static embedsvc_classification *c;
    const embedsvc_policy *policy = fuzz_default_policy();
    if (!c)
        FUZZ_CHECK(embedsvc_classification_new(NULL, &c) == EMBEDSVC_OK);
    const char *text = (const char *)data;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const int rc = embedsvc_classify(policy, text, size, c, &err);
    if (esv_utf8_valid_prefix(text, size) != size) {
        FUZZ_CHECK(rc == EMBEDSVC_EPARSE && strcmp(err.code, "parse.encoding") == 0);
        fuzz_check_error(&err, rc, size);
        return 0;
    }
    FUZZ_CHECK(rc == EMBEDSVC_OK);
    outcome o, again;
    read_outcome(c, &o);
    check_outcome(policy, &o, text, size);

    FUZZ_CHECK(embedsvc_classify(policy, text, size, c, &err) == EMBEDSVC_OK);
    read_outcome(c, &again);
    same_outcome(&o, &again);

    size_t vlen;
    char *v = variant_spaced(text, size, &vlen);
    FUZZ_CHECK(embedsvc_classify(policy, v, vlen, c, &err) == EMBEDSVC_OK);
    read_outcome(c, &again);
    same_outcome(&o, &again);
    free(v);

    v = variant_fullwidth(text, size, &vlen);
    FUZZ_CHECK(embedsvc_classify(policy, v, vlen, c, &err) == EMBEDSVC_OK);
    read_outcome(c, &again);
    same_outcome(&o, &again);
    free(v);
    return 0;
}
