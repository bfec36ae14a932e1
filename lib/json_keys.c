/* The JSON reader's duplicate keys (reference §10: parse.duplicate_key, the second occurrence,
 * compared after unescaping): objects of up to 16 members pairwise, larger ones by sorting hashes. */
#include "json_internal.h"

/* Objects of up to this many members are checked pair by pair: at most 120 comparisons, most of
 * them decided by the lengths alone, cheaper than hashing and sorting (a project has ~10 keys);
 * the work stays linear in the document (each key is compared with at most 15 others). */
#define PAIRWISE_MAX 16

#include <stdio.h>
#include <string.h>

static inline uint64_t key_hash(const char *k, size_t n)
{
    const uint64_t mul = UINT64_C(0x9E3779B97F4A7C15);
    uint64_t h = n * mul;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, k, 8);
        h = (h ^ w) * mul;
        h ^= h >> 31;
        k += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, k, n);
    h = (h ^ w) * mul;
    return h ^ (h >> 29);
}

static inline bool same_key(const esv_jval *a, const esv_jval *b)
{
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

static inline int entry_cmp(const dup_entry *a, const dup_entry *b)
{
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    if (a->m->key_len != b->m->key_len)
        return a->m->key_len < b->m->key_len ? -1 : 1;
    return memcmp(a->m->key, b->m->key, a->m->key_len);
}

/* Stable bottom-up merge sort (worst case O(n log n)); tmp has room for n entries. */
static void sort_entries(dup_entry *a, dup_entry *tmp, size_t n)
{
    const size_t run = 16;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = n - lo > run ? lo + run : n;
        for (size_t i = lo + 1; i < hi; i++) {
            dup_entry x = a[i];
            size_t j = i;
            while (j > lo && entry_cmp(&x, &a[j - 1]) < 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    dup_entry *src = a, *dst = tmp;
    for (size_t w = run; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = n - lo > w ? lo + w : n;
            size_t hi = n - mid > w ? mid + w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = entry_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        dup_entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
}

/* Finds the second occurrence of a key that comes first in the object, or NULL. Returns false on
 * ENOMEM. */
static bool find_duplicate(esv_json *p, const esv_jval *obj, const esv_jval **dup)
{
    size_t n = obj->len;
    *dup = NULL;
    if (n <= PAIRWISE_MAX) {
        const esv_jval *m[PAIRWISE_MAX];
        size_t k = 0;
        for (const esv_jval *v = obj->child; v; v = v->next) {
            for (size_t i = 0; i < k; i++) {
                if (same_key(m[i], v)) {
                    *dup = v;
                    return true;
                }
            }
            m[k++] = v;
        }
        return true;
    }
    if (n > p->scratch_cap / 2) {
        if (n > SIZE_MAX / (2 * sizeof(dup_entry)))
            return false;
        size_t cap = 2 * n;
        dup_entry *s = esv_realloc(&p->al, p->scratch, cap * sizeof(dup_entry));
        if (!s)
            return false;
        p->scratch = s;
        p->scratch_cap = cap;
    }
    dup_entry *e = p->scratch;
    size_t k = 0;
    for (const esv_jval *v = obj->child; v; v = v->next) {
        e[k].hash = key_hash(v->key, v->key_len);
        e[k].m = v;
        k++;
    }
    sort_entries(e, e + n, n);
    const esv_jval *best = NULL;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        if (j < n && entry_cmp(&e[i], &e[j]) == 0) {
            if (!best || e[j].m->key_offset < best->key_offset)
                best = e[j].m;
            while (j < n && entry_cmp(&e[i], &e[j]) == 0)
                j++;
        }
        i = j;
    }
    *dup = best;
    return true;
}

/* Checks the object of frames[depth - 1] (being closed) for a duplicate key earlier than the one
 * recorded. Returns false on ENOMEM. */
bool esv_jp_check_object(pctx *c, size_t depth)
{
    const esv_jval *obj = c->p->frames[depth - 1].node;
    if (obj->len < 2 || (c->dup_found && obj->offset > c->dup_offset))
        return true;
    const esv_jval *dup;
    if (!find_duplicate(c->p, obj, &dup))
        return false;
    if (!dup || (c->dup_found && dup->key_offset >= c->dup_offset))
        return true;
    c->dup_found = true;
    c->dup_offset = dup->key_offset;
    char msg[EMBEDSVC_ERROR_MESSAGE_SIZE], key[120];
    esv_jp_quote_key(key, sizeof(key), dup->key, dup->key_len);
    snprintf(msg, sizeof(msg), "duplicate key %s", key);
    esv_jp_set_error(c, "parse.duplicate_key", msg, dup->key_offset, depth, dup->key, dup->key_len);
    return true;
}
