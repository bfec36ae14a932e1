/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief JSON Lines framing (reference §7): the one routine that cuts input into physical lines.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 *
 * The line rules of reference §7 in one place: a line ends at `\n`; a trailing
 * `\r` is removed; a line of only the white space of reference §4 is blank
 * (it gives no output); lines are numbered from 1, every physical line
 * counted; a last line without `\n` is a line. A line longer than the
 * document limit of reference §10 is reported as over the limit without its
 * bytes being held: the reader keeps at most `limit + 1` bytes of a line, so
 * its memory is bounded whatever the input. The batch (embedsvc_batch_framed())
 * and the comparison (embedsvc_compare_framed()) take the lines it gives.
 *
 * @code
 * embedsvc_lines *lr;
 * embedsvc_line line;
 * embedsvc_lines_new(0, NULL, &lr);
 * while ((n = read(fd, buf, sizeof buf)) > 0) {
 *     embedsvc_lines_feed(lr, buf, n);
 *     while (embedsvc_lines_next(lr, &line) == 1)
 *         embedsvc_batch_framed(batch, &line, &out, &out_len);   // and write out
 * }
 * embedsvc_lines_finish(lr);
 * while (embedsvc_lines_next(lr, &line) == 1)
 *     embedsvc_batch_framed(batch, &line, &out, &out_len);
 * embedsvc_lines_free(lr);
 * @endcode
 *
 * This is an extension beyond the specification's interface (reference §7 fixes
 * the rules, not this API).
 */
#ifndef EMBEDSVC_LINES_H
#define EMBEDSVC_LINES_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup lines JSON Lines framing
 * @{
 */

/** The document limit of reference §10 in bytes (16 MiB): the default line limit. */
#define EMBEDSVC_LINE_LIMIT 16777216

/** What a physical line is, by the rules of reference §7. */
typedef enum embedsvc_line_kind {
    EMBEDSVC_LINE_TEXT = 0,      /**< A document to parse: embedsvc_line::text holds it. */
    EMBEDSVC_LINE_BLANK = 1,     /**< Only the white space of reference §4 (or empty): skipped, no output. */
    EMBEDSVC_LINE_OVER_LIMIT = 2 /**< Not blank and longer than the limit: its bytes were not kept (embedsvc_line::text is NULL). */
} embedsvc_line_kind;

/** One physical line, as embedsvc_lines_next() hands it out. */
typedef struct embedsvc_line {
    /** The line's number: every physical line counts, from 1. */
    int64_t number;
    /** The offset of the line's first byte in the whole input (all pieces fed so far). */
    int64_t offset;
    /** The line without its `\n` and without a trailing `\r`; NULL when it is longer than the
     *  limit (::EMBEDSVC_LINE_OVER_LIMIT, or a blank line that long), whose bytes are not kept.
     *  Valid until the next call on the reader. A line that lies whole within the piece being read
     *  points into that piece. */
    const char *text;
    /** The length of the line without `\n` and trailing `\r`; for an over-limit line its length
     *  as counted (its bytes are not kept). */
    size_t len;
    /** What the line is. */
    embedsvc_line_kind kind;
} embedsvc_line;

/** An incremental line reader: bytes in, in pieces of any size; physical lines out. */
typedef struct embedsvc_lines embedsvc_lines;

/**
 * Applies the rules of reference §7 to one physical line already cut (without
 * its `\n`): removes a trailing `\r`, then tells whether the line is blank,
 * over @p limit, or a document.
 * @param data the line's bytes (may be NULL when @p len is 0).
 * @param len their number.
 * @param limit the longest document in bytes; 0 for ::EMBEDSVC_LINE_LIMIT.
 * @param[out] text_len receives the length without the trailing `\r`, or NULL.
 * @return the kind of the line. A blank line is blank whatever its length.
 */
EMBEDSVC_API embedsvc_line_kind embedsvc_line_examine(const char *data, size_t len, size_t limit, size_t *text_len);

/**
 * Fills @p err with the error of a document over the limit of reference §10:
 * `parse.limit`, the same code, message and position that embedsvc_project_parse()
 * gives for such a document. The batch and the comparison report an
 * ::EMBEDSVC_LINE_OVER_LIMIT line with it.
 * @param[out] err the error (initialised with ::EMBEDSVC_ERROR_INIT), or NULL.
 * @return ::EMBEDSVC_EPARSE.
 */
EMBEDSVC_API int embedsvc_line_limit_error(embedsvc_error *err);

/**
 * Creates a line reader.
 * @param limit the longest line kept, in bytes after a trailing `\r` is removed
 *        (0: ::EMBEDSVC_LINE_LIMIT). A longer line is ::EMBEDSVC_LINE_OVER_LIMIT.
 *        The batch and the comparison report such a line as the document limit
 *        of reference §10, so give them lines read with the default.
 * @param alloc allocator, or NULL.
 * @param[out] out receives the reader; free it with embedsvc_lines_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out,
 *         a @p limit above ::EMBEDSVC_LINE_LIMIT, or an allocator without all three functions).
 */
EMBEDSVC_API int embedsvc_lines_new(size_t limit, const embedsvc_allocator *alloc, embedsvc_lines **out);

/**
 * Frees a reader.
 * @param lines the reader, or NULL.
 */
EMBEDSVC_API void embedsvc_lines_free(embedsvc_lines *lines);

/**
 * Gives the reader the next piece of input. The reader reads the piece in
 * place: keep its bytes unchanged until embedsvc_lines_next() has returned 0
 * (it then holds, bounded, what it still needs of a line that goes on in the
 * next piece).
 * @param lines the reader.
 * @param data the bytes (may be NULL when @p len is 0).
 * @param len their number.
 * @return ::EMBEDSVC_OK; ::EMBEDSVC_EINVAL for a bad argument; ::EMBEDSVC_ESTATE
 *         when the previous piece has lines not yet taken (call
 *         embedsvc_lines_next() until it returns 0) or after embedsvc_lines_finish().
 */
EMBEDSVC_API int embedsvc_lines_feed(embedsvc_lines *lines, const char *data, size_t len);

/**
 * Marks the end of the input: the bytes after the last `\n`, if any, are a
 * last line, which embedsvc_lines_next() hands out next.
 * @param lines the reader.
 * @return ::EMBEDSVC_OK, or ::EMBEDSVC_EINVAL for a NULL reader.
 */
EMBEDSVC_API int embedsvc_lines_finish(embedsvc_lines *lines);

/**
 * Takes the next physical line.
 *
 * A piece fed whole and followed by embedsvc_lines_finish() before the first
 * call gives every line (but those longer than the limit) as a pointer into
 * the piece.
 * @param lines the reader.
 * @param[out] line receives the line; its text is valid until the next call on the reader.
 * @return 1 a line was given; 0 none is complete in what was fed (feed more, or
 *         after embedsvc_lines_finish(): the input is at its end); a negative
 *         ::embedsvc_status: ::EMBEDSVC_ENOMEM (the reader could not keep the
 *         start of a line; call again to retry), ::EMBEDSVC_EINVAL for a bad argument.
 */
EMBEDSVC_API int embedsvc_lines_next(embedsvc_lines *lines, embedsvc_line *line);

/**
 * The number of lines handed out so far.
 * @param lines the reader.
 * @return the count, or -1 for a NULL reader.
 */
EMBEDSVC_API int64_t embedsvc_lines_count(const embedsvc_lines *lines);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_LINES_H */
