/* Tests of JSON Lines framing (lib/lines.c, reference §7): the same lines whatever the pieces the
 * input comes in, '\r\n', blank lines, numbering and offsets, a last line without '\n', the
 * limit (a line exactly at it and one byte over), bounded memory for an over-limit line fed in
 * small pieces, allocation failures, and the batch's and comparison's error line for an
 * over-limit line, byte for byte that of the whole line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <embedsvc.h>

#include "failing_alloc.h"

/* A line as handed out, its text copied. */
typedef struct got {
    int64_t number, offset;
    embedsvc_line_kind kind;
    size_t len;
    char *text; /* NULL when the reader gave none */
} got;

typedef struct lines_out {
    got *v;
    size_t n, cap;
} lines_out;

static void out_free(lines_out *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->v[i].text);
    free(o->v);
    memset(o, 0, sizeof(*o));
}

static void keep(lines_out *o, const embedsvc_line *ln)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 16;
        o->v = realloc(o->v, o->cap * sizeof(*o->v));
        assert_non_null(o->v);
    }
    got *g = &o->v[o->n++];
    g->number = ln->number;
    g->offset = ln->offset;
    g->kind = ln->kind;
    g->len = ln->len;
    g->text = NULL;
    if (ln->text) {
        g->text = malloc(ln->len + 1);
        assert_non_null(g->text);
        memcpy(g->text, ln->text, ln->len);
        g->text[ln->len] = '\0';
    }
}

static void drain(embedsvc_lines *r, lines_out *o)
{
    embedsvc_line ln;
    int rc;
    while ((rc = embedsvc_lines_next(r, &ln)) == 1)
        keep(o, &ln);
    assert_int_equal(rc, 0);
}

/* Frames data fed in pieces of `step` bytes (0: one piece), the first piece `first` bytes. */
static void frame(const char *data, size_t len, size_t limit, size_t first, size_t step, lines_out *o)
{
    embedsvc_lines *r = NULL;
    assert_int_equal(embedsvc_lines_new(limit, NULL, &r), EMBEDSVC_OK);
    memset(o, 0, sizeof(*o));
    size_t pos = 0;
    while (pos < len) {
        size_t n = pos == 0 && first ? first : step ? step : len;
        if (n > len - pos)
            n = len - pos;
        assert_int_equal(embedsvc_lines_feed(r, data + pos, n), EMBEDSVC_OK);
        drain(r, o);
        pos += n;
    }
    assert_int_equal(embedsvc_lines_finish(r), EMBEDSVC_OK);
    drain(r, o);
    assert_int_equal(embedsvc_lines_count(r), (int64_t)o->n);
    embedsvc_lines_free(r);
}

static void assert_same(const lines_out *a, const lines_out *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->v[i].number, b->v[i].number);
        assert_int_equal(a->v[i].offset, b->v[i].offset);
        assert_int_equal(a->v[i].kind, b->v[i].kind);
        assert_int_equal(a->v[i].len, b->v[i].len);
        assert_true((a->v[i].text == NULL) == (b->v[i].text == NULL));
        if (a->v[i].text)
            assert_memory_equal(a->v[i].text, b->v[i].text, a->v[i].len);
    }
}

/* Every physical line: its kind and text; a trailing '\r' removed, U+3000 white space. */
static const char sample[] = "{\"a\":1}\r\n"   /* 1 */
                             "\n"              /* 2 blank (empty) */
                             "  \t\r\n"        /* 3 blank */
                             "\xE3\x80\x80\n"  /* 4 blank (U+3000) */
                             "\xE3\x80 x\n"    /* 5 text: a broken U+3000 is not white space */
                             "x\r\r\n"         /* 6 text "x\r": one '\r' goes */
                             "\r\n"            /* 7 blank */
                             "0123456789\n"    /* 8 text: exactly the limit (10) */
                             "0123456789\r\n"  /* 9 text: the limit, then '\r' */
                             "0123456789A\n"   /* 10 over: one byte over */
                             "0123456789A\r\n" /* 11 over, len 11 */
                             "                                        \n" /* 12 blank, over the limit */
                             "\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80\r\n" /* 13 blank, 12 bytes */
                             "last";           /* 14 text, no '\n' */

static void check_sample(const lines_out *o)
{
    static const struct {
        embedsvc_line_kind kind;
        const char *text;
        size_t len;
        int64_t offset;
    } want[] = {
        {EMBEDSVC_LINE_TEXT, "{\"a\":1}", 7, 0},
        {EMBEDSVC_LINE_BLANK, NULL, 0, 9},
        {EMBEDSVC_LINE_BLANK, NULL, 3, 10},
        {EMBEDSVC_LINE_BLANK, NULL, 3, 15},
        {EMBEDSVC_LINE_TEXT, "\xE3\x80 x", 4, 19},
        {EMBEDSVC_LINE_TEXT, "x\r", 2, 24},
        {EMBEDSVC_LINE_BLANK, NULL, 0, 28},
        {EMBEDSVC_LINE_TEXT, "0123456789", 10, 30},
        {EMBEDSVC_LINE_TEXT, "0123456789", 10, 41},
        {EMBEDSVC_LINE_OVER_LIMIT, NULL, 11, 53},
        {EMBEDSVC_LINE_OVER_LIMIT, NULL, 11, 65},
        {EMBEDSVC_LINE_BLANK, NULL, 40, 78}, /* no text: longer than the limit */
        {EMBEDSVC_LINE_BLANK, NULL, 12, 119},
        {EMBEDSVC_LINE_TEXT, "last", 4, 133},
    };
    assert_int_equal(o->n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < o->n; i++) {
        assert_int_equal(o->v[i].number, (int64_t)i + 1);
        assert_int_equal(o->v[i].kind, want[i].kind);
        assert_int_equal(o->v[i].len, want[i].len);
        assert_int_equal(o->v[i].offset, want[i].offset);
        if (want[i].len > 10) /* over the limit: the bytes are not handed out, blank or not */
            assert_null(o->v[i].text);
        else
            assert_non_null(o->v[i].text);
        if (want[i].text) {
            assert_non_null(o->v[i].text);
            assert_memory_equal(o->v[i].text, want[i].text, want[i].len);
        }
    }
}

static void test_lines_of_one_piece(void **state)
{
    (void)state;
    lines_out o;
    frame(sample, sizeof(sample) - 1, 10, 0, 0, &o);
    check_sample(&o);
    out_free(&o);
}

static void test_pieces_split_at_every_byte_give_the_same_lines(void **state)
{
    (void)state;
    size_t len = sizeof(sample) - 1;
    lines_out whole;
    frame(sample, len, 10, 0, 0, &whole);
    for (size_t cut = 1; cut < len; cut++) { /* two pieces, cut at every byte */
        lines_out o;
        frame(sample, len, 10, cut, len, &o);
        assert_same(&o, &whole);
        out_free(&o);
    }
    for (size_t step = 1; step <= 13; step++) { /* pieces of 1 to 13 bytes */
        lines_out o;
        frame(sample, len, 10, 0, step, &o);
        check_sample(&o);
        out_free(&o);
    }
    out_free(&whole);
}

static void test_one_piece_is_read_in_place(void **state)
{
    (void)state;
    embedsvc_lines *r = NULL;
    assert_int_equal(embedsvc_lines_new(10, NULL, &r), EMBEDSVC_OK);
    const char *data = sample;
    assert_int_equal(embedsvc_lines_feed(r, data, sizeof(sample) - 1), EMBEDSVC_OK);
    assert_int_equal(embedsvc_lines_finish(r), EMBEDSVC_OK);
    embedsvc_line ln;
    while (embedsvc_lines_next(r, &ln) == 1)
        if (ln.text)
            assert_ptr_equal(ln.text, data + ln.offset); /* the last line too: no copy */
    embedsvc_lines_free(r);
}

static void test_last_line_and_empty_input(void **state)
{
    (void)state;
    lines_out o;
    frame("", 0, 0, 0, 0, &o);
    assert_int_equal(o.n, 0);
    out_free(&o);
    frame("\n", 1, 0, 0, 0, &o); /* one empty line */
    assert_int_equal(o.n, 1);
    assert_int_equal(o.v[0].kind, EMBEDSVC_LINE_BLANK);
    out_free(&o);
    frame("a\n", 2, 0, 0, 0, &o); /* no line after the last '\n' */
    assert_int_equal(o.n, 1);
    out_free(&o);
    frame("a\nbc", 4, 0, 3, 1, &o); /* the last line without '\n', begun in an earlier piece */
    assert_int_equal(o.n, 2);
    assert_int_equal(o.v[1].len, 2);
    assert_string_equal(o.v[1].text, "bc");
    assert_int_equal(o.v[1].offset, 2);
    out_free(&o);
    frame("a\r", 2, 0, 1, 1, &o); /* its '\r' goes too */
    assert_int_equal(o.n, 1);
    assert_int_equal(o.v[0].len, 1);
    out_free(&o);
}

static void test_examine_one_line(void **state)
{
    (void)state;
    size_t n = 99;
    assert_int_equal(embedsvc_line_examine(NULL, 0, 0, &n), EMBEDSVC_LINE_BLANK);
    assert_int_equal(n, 0);
    assert_int_equal(embedsvc_line_examine("x\r", 2, 0, &n), EMBEDSVC_LINE_TEXT);
    assert_int_equal(n, 1);
    assert_int_equal(embedsvc_line_examine("abc\r", 4, 3, &n), EMBEDSVC_LINE_TEXT);
    assert_int_equal(embedsvc_line_examine("abcd", 4, 3, &n), EMBEDSVC_LINE_OVER_LIMIT);
    assert_int_equal(embedsvc_line_examine("    ", 4, 3, NULL), EMBEDSVC_LINE_BLANK);
    assert_int_equal(embedsvc_line_examine("\xE3\x80\x80", 3, 0, NULL), EMBEDSVC_LINE_BLANK);
    assert_int_equal(embedsvc_line_examine("\xE3\x80", 2, 0, NULL), EMBEDSVC_LINE_TEXT);
}

static void test_misuse(void **state)
{
    (void)state;
    embedsvc_lines *r = NULL;
    embedsvc_line ln;
    assert_int_equal(embedsvc_lines_new(0, NULL, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_lines_new(EMBEDSVC_LINE_LIMIT + 1, NULL, &r), EMBEDSVC_EINVAL);
    assert_null(r);
    assert_int_equal(embedsvc_lines_new(0, NULL, &r), EMBEDSVC_OK);
    assert_int_equal(embedsvc_lines_feed(NULL, "a", 1), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_lines_feed(r, NULL, 1), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_lines_next(r, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_lines_next(NULL, &ln), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_lines_finish(NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_lines_count(NULL), -1);
    assert_int_equal(embedsvc_lines_feed(r, "a\nb\n", 4), EMBEDSVC_OK);
    assert_int_equal(embedsvc_lines_next(r, &ln), 1);
    /* the piece still has a line: a new piece would lose it */
    assert_int_equal(embedsvc_lines_feed(r, "c\n", 2), EMBEDSVC_ESTATE);
    assert_int_equal(embedsvc_lines_next(r, &ln), 1);
    assert_int_equal(ln.number, 2);
    assert_int_equal(embedsvc_lines_next(r, &ln), 0);
    assert_int_equal(embedsvc_lines_finish(r), EMBEDSVC_OK);
    assert_int_equal(embedsvc_lines_feed(r, "c\n", 2), EMBEDSVC_ESTATE);
    assert_int_equal(embedsvc_lines_next(r, &ln), 0);
    embedsvc_lines_free(r);
    embedsvc_lines_free(NULL);
}

/* A line of `total` bytes of `fill`, fed in pieces of `step`, to a reader over a counting allocator. */
static void feed_long(size_t limit, size_t total, size_t step, char fill, embedsvc_line_kind want)
{
    failing f = {0};
    embedsvc_allocator al = failing_allocator(&f);
    embedsvc_lines *r = NULL;
    assert_int_equal(embedsvc_lines_new(limit, &al, &r), EMBEDSVC_OK);
    char *piece = malloc(step);
    assert_non_null(piece);
    memset(piece, fill, step);
    size_t base = f.bytes; /* the reader itself */
    size_t keep_max = (limit ? limit : EMBEDSVC_LINE_LIMIT) + 1;
    embedsvc_line ln;
    for (size_t fed = 0; fed < total; fed += step) {
        size_t n = total - fed < step ? total - fed : step;
        assert_int_equal(embedsvc_lines_feed(r, piece, n), EMBEDSVC_OK);
        assert_int_equal(embedsvc_lines_next(r, &ln), 0);
        assert_true(f.bytes - base <= keep_max); /* never more than the limit of the line */
    }
    assert_int_equal(embedsvc_lines_feed(r, "\n{}\n", 4), EMBEDSVC_OK);
    assert_int_equal(embedsvc_lines_next(r, &ln), 1);
    assert_int_equal(ln.kind, want);
    assert_int_equal(ln.len, total);
    assert_int_equal(ln.number, 1);
    assert_int_equal(embedsvc_lines_next(r, &ln), 1);
    assert_int_equal(ln.kind, EMBEDSVC_LINE_TEXT);
    assert_int_equal(ln.number, 2);
    assert_int_equal(ln.offset, (int64_t)total + 1);
    assert_true(f.peak - base <= keep_max);
    embedsvc_lines_free(r);
    assert_int_equal(f.live, 0);
    assert_int_equal(f.bytes, 0);
    free(piece);
}

static void test_over_limit_line_in_small_pieces_keeps_memory_bounded(void **state)
{
    (void)state;
    feed_long(4096, 1u << 20, 7, 'x', EMBEDSVC_LINE_OVER_LIMIT);
    feed_long(4096, 1u << 20, 4093, ' ', EMBEDSVC_LINE_BLANK); /* white space only stays blank */
    feed_long(4096, 4096, 5, 'x', EMBEDSVC_LINE_TEXT);       /* exactly the limit: kept */
    feed_long(4096, 4097, 5, 'x', EMBEDSVC_LINE_OVER_LIMIT); /* one byte over */
    /* the default limit (16 MiB), a 40 MiB line in 64 KiB pieces */
    feed_long(0, (size_t)40 << 20, (size_t)64 << 10, 'y', EMBEDSVC_LINE_OVER_LIMIT);
}

static void test_lines_fail_cleanly_and_retry(void **state)
{
    (void)state;
    size_t len = sizeof(sample) - 1;
    lines_out want;
    frame(sample, len, 10, 0, 3, &want);
    bool reached = true;
    for (size_t fail = 1; reached; fail++) {
        failing f = {0};
        embedsvc_allocator al = failing_allocator(&f);
        failing_arm(&f, fail);
        embedsvc_lines *r = NULL;
        int rc = embedsvc_lines_new(10, &al, &r);
        if (rc != EMBEDSVC_OK) {
            assert_int_equal(rc, EMBEDSVC_ENOMEM);
            assert_null(r);
            assert_int_equal(f.live, 0);
            continue;
        }
        lines_out o = {0};
        embedsvc_line ln;
        size_t nomem = 0;
        for (size_t pos = 0;; pos += 3) {
            bool end = pos >= len;
            if (!end)
                assert_int_equal(embedsvc_lines_feed(r, sample + pos, len - pos < 3 ? len - pos : 3), EMBEDSVC_OK);
            else
                assert_int_equal(embedsvc_lines_finish(r), EMBEDSVC_OK);
            while ((rc = embedsvc_lines_next(r, &ln)) != 0) {
                if (rc == EMBEDSVC_ENOMEM) { /* nothing taken: the same call again succeeds */
                    nomem++;
                    continue;
                }
                assert_int_equal(rc, 1);
                keep(&o, &ln);
            }
            if (end)
                break;
        }
        assert_same(&o, &want);
        reached = f.failed;
        assert_int_equal(nomem, f.failed ? 1 : 0);
        embedsvc_lines_free(r);
        assert_int_equal(f.live, 0);
        out_free(&o);
    }
    out_free(&want);
}

/* A document over the 16 MiB limit: '{"id":"' then 'a' up to limit + 1 bytes, no closing. */
static char *big_doc(size_t *len)
{
    *len = EMBEDSVC_LINE_LIMIT + 1;
    char *d = malloc(*len);
    assert_non_null(d);
    memset(d, 'a', *len);
    memcpy(d, "{\"id\":\"", 7);
    return d;
}

static void test_limit_error_is_the_parsers(void **state)
{
    (void)state;
    size_t len;
    char *d = big_doc(&len);
    embedsvc_project *p = NULL;
    assert_int_equal(embedsvc_project_new(NULL, &p), EMBEDSVC_OK);
    embedsvc_error want = EMBEDSVC_ERROR_INIT, got_err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_project_parse(p, d, len, &want), EMBEDSVC_EPARSE);
    assert_int_equal(embedsvc_line_limit_error(&got_err), EMBEDSVC_EPARSE);
    assert_int_equal(embedsvc_line_limit_error(NULL), EMBEDSVC_EPARSE);
    assert_memory_equal(&got_err, &want, sizeof(want));
    assert_string_equal(got_err.code, "parse.limit");
    embedsvc_project_free(p);
    free(d);
}

static void test_batch_and_compare_report_an_over_limit_line_as_the_whole_line(void **state)
{
    (void)state;
    embedsvc_policy *policy = NULL;
    assert_int_equal(embedsvc_policy_default(NULL, &policy, NULL), EMBEDSVC_OK);
    size_t len;
    char *d = big_doc(&len);
    /* the whole line to embedsvc_batch_line(), as line 3 */
    embedsvc_batch *whole = NULL, *framed = NULL;
    assert_int_equal(embedsvc_batch_new(policy, NULL, &whole), EMBEDSVC_OK);
    assert_int_equal(embedsvc_batch_new(policy, NULL, &framed), EMBEDSVC_OK);
    const char *out;
    size_t out_len;
    assert_int_equal(embedsvc_batch_line(whole, "", 0, &out, &out_len), 2);
    assert_int_equal(embedsvc_batch_line(whole, " \r", 2, &out, &out_len), 2);
    assert_int_equal(embedsvc_batch_line(whole, d, len, &out, &out_len), 1);
    char *want = strdup(out);
    assert_non_null(want);
    /* the reader's over-limit line (no bytes) to embedsvc_batch_framed(), the blank lines skipped */
    embedsvc_line ln = {3, 12345, NULL, len, EMBEDSVC_LINE_OVER_LIMIT};
    assert_int_equal(embedsvc_batch_framed(framed, &ln, &out, &out_len), 1);
    assert_string_equal(out, want);
    assert_int_equal(out_len, strlen(want));
    assert_int_equal(embedsvc_batch_stat(framed, EMBEDSVC_BATCH_LINES), 3);
    assert_int_equal(embedsvc_batch_stat(framed, EMBEDSVC_BATCH_ERRORS), 1);
    /* numbers must increase; a bad kind is refused */
    assert_int_equal(embedsvc_batch_framed(framed, &ln, &out, &out_len), EMBEDSVC_EINVAL);
    embedsvc_line bad = {4, 0, NULL, 0, (embedsvc_line_kind)7};
    assert_int_equal(embedsvc_batch_framed(framed, &bad, &out, &out_len), EMBEDSVC_EINVAL);
    embedsvc_line text = {9, 0, "{}", 2, EMBEDSVC_LINE_TEXT};
    assert_int_equal(embedsvc_batch_framed(framed, &text, &out, &out_len), 1);
    assert_non_null(strstr(out, "\"line\":9,"));
    embedsvc_line blank = {10, 0, "  ", 2, EMBEDSVC_LINE_BLANK};
    assert_int_equal(embedsvc_batch_framed(framed, &blank, &out, &out_len), 2);
    assert_null(out);
    assert_int_equal(embedsvc_batch_framed(NULL, &blank, &out, &out_len), EMBEDSVC_EINVAL);

    /* the comparison: the same error as for the whole line */
    const embedsvc_policy *ps[1] = {policy};
    embedsvc_compare *c1 = NULL, *c2 = NULL;
    assert_int_equal(embedsvc_compare_new(ps, 1, NULL, &c1), EMBEDSVC_OK);
    assert_int_equal(embedsvc_compare_new(ps, 1, NULL, &c2), EMBEDSVC_OK);
    embedsvc_error e1 = EMBEDSVC_ERROR_INIT, e2 = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_compare_line(c1, d, len, &e1), 1);
    embedsvc_line first = {1, 0, NULL, len, EMBEDSVC_LINE_OVER_LIMIT};
    assert_int_equal(embedsvc_compare_framed(c2, &first, &e2), 1);
    assert_memory_equal(&e1, &e2, sizeof(e1));
    assert_int_equal(embedsvc_compare_stat(c2, EMBEDSVC_COMPARE_STAT_ERRORS), 1);
    assert_int_equal(embedsvc_compare_framed(c2, &first, &e2), EMBEDSVC_EINVAL);
    embedsvc_compare_free(c1);
    embedsvc_compare_free(c2);

    free(want);
    free(d);
    embedsvc_batch_free(whole);
    embedsvc_batch_free(framed);
    embedsvc_policy_free(policy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_of_one_piece),
        cmocka_unit_test(test_pieces_split_at_every_byte_give_the_same_lines),
        cmocka_unit_test(test_one_piece_is_read_in_place),
        cmocka_unit_test(test_last_line_and_empty_input),
        cmocka_unit_test(test_examine_one_line),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_over_limit_line_in_small_pieces_keeps_memory_bounded),
        cmocka_unit_test(test_lines_fail_cleanly_and_retry),
        cmocka_unit_test(test_limit_error_is_the_parsers),
        cmocka_unit_test(test_batch_and_compare_report_an_over_limit_line_as_the_whole_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
