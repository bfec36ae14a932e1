/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief JSON Lines batches (reference §7).
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_BATCH_H
#define EMBEDSVC_BATCH_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>
#include "embedsvc/memory.h"
#include "embedsvc/lines.h"
#include "embedsvc/policy.h"
#include "embedsvc/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup batch Batch evaluation (JSON Lines)
 * @{
 */

/** A JSON Lines batch (reference §7): line numbering, evaluation and a summary. */
typedef struct embedsvc_batch embedsvc_batch;

/**
 * Creates a batch that evaluates under @p policy.
 * @param policy the policy (kept by reference; keep it alive).
 * @param alloc allocator, or NULL.
 * @param[out] out receives the batch; free it with embedsvc_batch_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_batch_new(const embedsvc_policy *policy, const embedsvc_allocator *alloc,
                                    embedsvc_batch **out);

/**
 * Frees a batch.
 * @param batch the batch, or NULL.
 */
EMBEDSVC_API void embedsvc_batch_free(embedsvc_batch *batch);

/**
 * Processes the next physical line of the input (without its `\n`; a
 * trailing `\r` is removed here: the rules of embedsvc_line_examine()). Lines
 * count from 1 across calls (from the last line number seen, after
 * embedsvc_batch_framed()).
 *
 * The summary total (::EMBEDSVC_BATCH_TOTAL_FEN) is a checked sum: when adding
 * a line's `total_fen` would exceed `INT64_MAX`, the call returns
 * ::EMBEDSVC_ERANGE, writes nothing for that line, counts it only in
 * ::EMBEDSVC_BATCH_LINES (so that embedsvc_batch_stat() names the line), and
 * the batch stops: every later call returns ::EMBEDSVC_ERANGE. Every other
 * total, ::EMBEDSVC_BATCH_TOTAL_FEN included, stays that of the lines before,
 * whose results were written.
 * @param batch the batch.
 * @param line the line's bytes.
 * @param len their number.
 * @param[out] out receives the output line (result JSON, or the error line of
 *             reference §7), NUL-terminated, without a newline, owned by the batch
 *             and valid until the next call; NULL for a skipped blank line.
 * @param[out] out_len receives its length, or NULL.
 * @return 0 a result was written; 1 an error line was written; 2 the line was
 *         blank and skipped; a negative ::embedsvc_status when nothing could be
 *         written (::EMBEDSVC_ENOMEM; ::EMBEDSVC_ERANGE when the summary total
 *         overflowed).
 */
EMBEDSVC_API int embedsvc_batch_line(embedsvc_batch *batch, const char *line, size_t len, const char **out,
                                     size_t *out_len);

/**
 * Processes a line handed out by embedsvc_lines_next() (reference §7): as
 * embedsvc_batch_line(), with the line's number, kind and text settled by the
 * reader. A blank line gives nothing (2); an ::EMBEDSVC_LINE_OVER_LIMIT line,
 * whose bytes the reader did not keep, gives the `parse.limit` error line that
 * embedsvc_batch_line() gives for the whole line (1). The line numbers may skip
 * (lines given to another batch, e.g. another thread's, or left out by the
 * caller, such as blank ones) but must increase; the error line names
 * embedsvc_line::number. Read the lines with the default limit
 * (::EMBEDSVC_LINE_LIMIT).
 * @param batch the batch.
 * @param line the line.
 * @param[out] out as for embedsvc_batch_line().
 * @param[out] out_len as for embedsvc_batch_line().
 * @return as embedsvc_batch_line(); ::EMBEDSVC_EINVAL also for a line whose
 *         number is not above ::EMBEDSVC_BATCH_LINES, or a bad kind.
 */
EMBEDSVC_API int embedsvc_batch_framed(embedsvc_batch *batch, const embedsvc_line *line, const char **out,
                                       size_t *out_len);

/**
 * Returns the result of the last line that gave a result (return value 0 of
 * embedsvc_batch_line()), to read with the result accessors.
 * @param batch the batch.
 * @return the result, owned by the batch.
 */
EMBEDSVC_API const embedsvc_result *embedsvc_batch_last_result(const embedsvc_batch *batch);

/** Totals of a batch, read with embedsvc_batch_stat(). */
typedef enum embedsvc_batch_stat_kind {
    EMBEDSVC_BATCH_LINES = 0,     /**< Physical lines seen: the number of the last line given. */
    EMBEDSVC_BATCH_PROJECTS = 1,  /**< Lines that gave a result. */
    EMBEDSVC_BATCH_ELIGIBLE = 2,  /**< Results that were eligible. */
    EMBEDSVC_BATCH_ERRORS = 3,    /**< Lines that gave an error line. */
    EMBEDSVC_BATCH_TOTAL_FEN = 4, /**< Sum of `total_fen` over the results (a checked sum; see embedsvc_batch_line()). */
    EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE = 5 /**< Results that were subsidy-eligible. */
} embedsvc_batch_stat_kind;

/**
 * Reads a total of the batch so far.
 * @param batch the batch.
 * @param which which total.
 * @return the total, or -1 for a bad argument.
 */
EMBEDSVC_API int64_t embedsvc_batch_stat(const embedsvc_batch *batch, embedsvc_batch_stat_kind which);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_BATCH_H */
