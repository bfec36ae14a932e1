/* Fuzzes JSON Lines framing (lib/lines.c, reference §7): the line reader against a naive
 * splitter written here independently.
 *
 * The first two bytes choose the line limit (1 to 64 bytes, small so that over-limit lines are
 * common) and the size of the pieces the rest is fed in (1 to 32 bytes, or all at once).
 * Invariants: the reader gives, whatever the pieces, exactly the physical lines of the splitter —
 * the same numbers (from 1, every line), offsets, lengths without '\n' and a trailing '\r',
 * kinds (blank: only the white space of reference §4; over the limit; text) and text; fed as one
 * piece and finished first, every kept line points into the input; and the reader never holds
 * more than limit + 1 bytes of a line (a counting allocator). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

/* ---- a counting allocator: the bytes live and their peak ---- */

typedef union header {
    size_t size;
    max_align_t align;
} header;

static size_t live_bytes, peak_bytes;

static void *c_malloc(void *ctx, size_t size)
{
    (void)ctx;
    header *h = malloc(sizeof(header) + size);
    FUZZ_CHECK(h != NULL);
    h->size = size;
    live_bytes += size;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
    return h + 1;
}

static void *c_realloc(void *ctx, void *p, size_t size)
{
    (void)ctx;
    header *h = (header *)p - 1;
    size_t old = h->size;
    h = realloc(h, sizeof(header) + size);
    FUZZ_CHECK(h != NULL);
    h->size = size;
    live_bytes = live_bytes - old + size;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
    return h + 1;
}

static void c_free(void *ctx, void *p)
{
    (void)ctx;
    header *h = (header *)p - 1;
    live_bytes -= h->size;
    free(h);
}

/* ---- the naive splitter ---- */

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
            i++;
        else if (len - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else
            return false;
    }
    return true;
}

typedef struct want {
    size_t offset, len;
    embedsvc_line_kind kind;
} want;

/* The physical lines of data (want[] has room for size + 1). */
static size_t split(const char *data, size_t size, size_t limit, want *w)
{
    size_t n = 0, start = 0;
    while (start < size) {
        const char *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        size_t len = end - start;
        if (len && data[end - 1] == '\r')
            len--;
        w[n].offset = start;
        w[n].len = len;
        w[n].kind = blank(data + start, len) ? EMBEDSVC_LINE_BLANK
                    : len > limit           ? EMBEDSVC_LINE_OVER_LIMIT
                                            : EMBEDSVC_LINE_TEXT;
        n++;
        start = end + 1;
    }
    return n;
}

static void check_line(const embedsvc_line *ln, const want *w, size_t i, const char *data, size_t limit)
{
    FUZZ_CHECK(ln->number == (int64_t)i + 1);
    FUZZ_CHECK(ln->offset == (int64_t)w->offset);
    FUZZ_CHECK(ln->len == w->len);
    FUZZ_CHECK(ln->kind == w->kind);
    if (w->len > limit) {
        FUZZ_CHECK(ln->text == NULL);
    } else {
        FUZZ_CHECK(ln->text != NULL);
        FUZZ_CHECK(w->len == 0 || memcmp(ln->text, data + w->offset, w->len) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 2)
        return 0;
    size_t limit = 1 + bytes[0] % 64, step = bytes[1] % 33; /* 0: one piece */
    const char *data = (const char *)bytes + 2;
    size -= 2;
    want *w = malloc((size + 1) * sizeof(*w));
    FUZZ_CHECK(w != NULL);
    size_t n = split(data, size, limit, w);
    embedsvc_allocator al = EMBEDSVC_ALLOCATOR_INIT(c_malloc, c_realloc, c_free, NULL);

    /* in pieces */
    embedsvc_lines *r = NULL;
    live_bytes = peak_bytes = 0;
    FUZZ_CHECK(embedsvc_lines_new(limit, &al, &r) == EMBEDSVC_OK);
    size_t base = live_bytes, got = 0, pos = 0;
    embedsvc_line ln;
    int rc;
    for (bool end = false; !end;) {
        end = pos >= size;
        if (end) {
            FUZZ_CHECK(embedsvc_lines_finish(r) == EMBEDSVC_OK);
        } else {
            size_t k = step == 0 || step > size - pos ? size - pos : step;
            FUZZ_CHECK(embedsvc_lines_feed(r, data + pos, k) == EMBEDSVC_OK);
            pos += k;
        }
        while ((rc = embedsvc_lines_next(r, &ln)) == 1) {
            FUZZ_CHECK(got < n);
            check_line(&ln, &w[got], got, data, limit);
            got++;
        }
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(peak_bytes - base <= limit + 1);
    }
    FUZZ_CHECK(got == n);
    FUZZ_CHECK(embedsvc_lines_count(r) == (int64_t)n);
    embedsvc_lines_free(r);
    FUZZ_CHECK(live_bytes == 0);

    /* one piece, finished first: every kept line in place */
    FUZZ_CHECK(embedsvc_lines_new(limit, NULL, &r) == EMBEDSVC_OK);
    FUZZ_CHECK(embedsvc_lines_feed(r, data, size) == EMBEDSVC_OK);
    FUZZ_CHECK(embedsvc_lines_finish(r) == EMBEDSVC_OK);
    for (got = 0; (rc = embedsvc_lines_next(r, &ln)) == 1; got++) {
        FUZZ_CHECK(got < n);
        check_line(&ln, &w[got], got, data, limit);
        FUZZ_CHECK(ln.text == NULL || ln.text == data + ln.offset);
        /* the one-line rules agree, on the line as in the input ('\r' and all) */
        size_t end = (size_t)ln.offset + ln.len, len = 0;
        size_t raw = ln.len + (end < size && data[end] == '\r');
        FUZZ_CHECK(embedsvc_line_examine(data + ln.offset, raw, limit, &len) == ln.kind && len == ln.len);
    }
    FUZZ_CHECK(rc == 0 && got == n);
    embedsvc_lines_free(r);
    free(w);
    return 0;
}
