/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Comparison of one portfolio under several policies (an extension beyond the reference).
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_COMPARE_H
#define EMBEDSVC_COMPARE_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>
#include "embedsvc/error.h"
#include "embedsvc/lines.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"
#include "embedsvc/project.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup compare Policy comparison (what-if)
 *
 * Evaluates one portfolio of projects under several policies in one pass —
 * the current policy and the reforms an analyst is weighing — and aggregates
 * what each would cost and who would lose or gain eligibility. The first
 * policy is the **baseline**: every change is measured against it.
 *
 * Each project is parsed once and evaluated under every policy, reusing one
 * result object per policy, so that a comparison allocates nothing per
 * project except for the rows it keeps. It keeps:
 *
 * - the **totals** of each policy (embedsvc_compare_total());
 * - the totals of each **district** (`district` of the project), in the order
 *   in which the districts are first seen; projects without a district form
 *   one group whose name is NULL (embedsvc_compare_district_value());
 * - the **changed projects**: those whose `eligible`, `subsidy_eligible` or
 *   `total_fen` under some policy differs from the baseline, in input order
 *   (embedsvc_compare_changed_value()). Projects that do not change are not
 *   stored, so memory grows with the changes and the districts, not with the
 *   portfolio.
 *
 * Every one of these is read with the same ::embedsvc_compare_value kinds: a
 * changed project is read as a portfolio of one.
 *
 * The aggregates equal, to the fen, the sums of embedsvc_evaluate() of each
 * project under each policy. embedsvc_compare_to_json() writes them as rows
 * ready for a data frame. The readable reports of a comparison (text, and the
 * HTML what-if report with its charts) are presentation, outside the library:
 * the `report/` library of the source tree builds them from these accessors.
 *
 * @note **Extension.** Comparison goes beyond the reference (docs/reference.md),
 * which specifies the evaluation of one project under one policy. It is tested
 * and supported, but it is not part of the conformance contract: its output may
 * gain fields in a minor release.
 * @{
 */

/** Maximum number of policies of one comparison. */
#define EMBEDSVC_COMPARE_MAX_POLICIES 16

/** A comparison of one portfolio under several policies. */
typedef struct embedsvc_compare embedsvc_compare;

/**
 * What a comparison counts and sums, per policy: over the whole portfolio
 * (embedsvc_compare_total()), a district (embedsvc_compare_district_value())
 * or one changed project (embedsvc_compare_changed_value(), where the counts
 * are 0 or 1). The "lost", "gained", "down", "up", "changed" and "delta"
 * kinds compare a project's result under the policy with its result under the
 * baseline (policy 0), and are 0 for the baseline itself. Kinds may be added
 * at the end in later versions; embedsvc_compare_value_name() returns NULL
 * past the last one.
 */
typedef enum embedsvc_compare_value {
    EMBEDSVC_COMPARE_PROJECTS = 0,                 /**< `projects`: projects evaluated. */
    EMBEDSVC_COMPARE_ELIGIBLE = 1,                 /**< `eligible`: projects that are eligible. */
    EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE = 2,         /**< `subsidy_eligible`: projects that are subsidy-eligible. */
    EMBEDSVC_COMPARE_CAPPED = 3,                   /**< `capped`: subsidy-eligible projects whose subsidy the cap reduced. */
    EMBEDSVC_COMPARE_TOTAL_FEN = 4,                /**< `total_fen`: the sum of `total_fen`. */
    EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN = 5,         /**< `basic_public_fen`: the sum of the basic public class amounts (after the cap). */
    EMBEDSVC_COMPARE_INCLUSIVE_FEN = 6,            /**< `inclusive_fen`: the sum of the inclusive class amounts (after the cap). */
    EMBEDSVC_COMPARE_COMMERCIAL_FEN = 7,           /**< `commercial_fen`: the sum of the commercial class amounts. */
    EMBEDSVC_COMPARE_LOST_ELIGIBLE = 8,            /**< `lost_eligible`: eligible under the baseline, not under this policy. */
    EMBEDSVC_COMPARE_GAINED_ELIGIBLE = 9,          /**< `gained_eligible`: not eligible under the baseline, eligible under this policy. */
    EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE = 10,   /**< `lost_subsidy_eligible`: subsidy-eligible under the baseline only. */
    EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE = 11, /**< `gained_subsidy_eligible`: subsidy-eligible under this policy only. */
    EMBEDSVC_COMPARE_SUBSIDY_DOWN = 12,            /**< `subsidy_down`: projects whose `total_fen` is lower than under the baseline. */
    EMBEDSVC_COMPARE_SUBSIDY_UP = 13,              /**< `subsidy_up`: projects whose `total_fen` is higher than under the baseline. */
    EMBEDSVC_COMPARE_CHANGED = 14,                 /**< `changed`: projects whose `eligible`, `subsidy_eligible` or `total_fen` differs from the baseline. */
    EMBEDSVC_COMPARE_DELTA_FEN = 15                /**< `delta_fen`: `total_fen` minus the baseline's (may be negative). */
} embedsvc_compare_value;

/**
 * Returns the name of a value kind, as used for the keys of
 * embedsvc_compare_to_json(), e.g. "total_fen".
 * @param which the kind.
 * @return a static string, or NULL past the last kind.
 */
EMBEDSVC_API const char *embedsvc_compare_value_name(embedsvc_compare_value which);

/**
 * Creates a comparison of the given policies; the first is the baseline.
 * @param policies the policies (kept by reference; keep them alive while the
 *                 comparison is used). The same policy may be given twice.
 * @param n their number, 1 to ::EMBEDSVC_COMPARE_MAX_POLICIES.
 * @param alloc allocator for all of the comparison's memory, or NULL.
 * @param[out] out receives the comparison; free it with embedsvc_compare_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EINVAL (no policy, too many, or a NULL one)
 *         or ::EMBEDSVC_ENOMEM.
 */
EMBEDSVC_API int embedsvc_compare_new(const embedsvc_policy *const *policies, size_t n,
                                      const embedsvc_allocator *alloc, embedsvc_compare **out);

/**
 * Frees a comparison.
 * @param compare the comparison, or NULL.
 */
EMBEDSVC_API void embedsvc_compare_free(embedsvc_compare *compare);

/**
 * Forgets every line and project added, as if the comparison had just been
 * created with the same policies, but keeps its memory and what its
 * evaluations keep from one project to the next: a comparison reused for the
 * next part of a portfolio (e.g. before embedsvc_compare_merge() of each part)
 * evaluates faster than a new one.
 * @param compare the comparison, or NULL (nothing happens).
 */
EMBEDSVC_API void embedsvc_compare_reset(embedsvc_compare *compare);

/**
 * Adds the next physical line of a JSON Lines portfolio (without its `\n`),
 * with the line semantics of reference §7 and embedsvc_batch_line(): a trailing
 * `\r` is removed, a line of white space only is skipped, and a line that
 * fails to parse or to evaluate under any of the policies is counted as an
 * error and adds nothing. Lines count from 1 across calls.
 * @param compare the comparison.
 * @param line the line's bytes.
 * @param len their number.
 * @param err filled with the line's parse or evaluation error when 1 is
 *            returned (its line and column are within the line), or NULL.
 * @return 0 the project was added; 1 the line is an error; 2 the line was
 *         blank; a negative ::embedsvc_status when nothing could be added
 *         (::EMBEDSVC_ENOMEM, or ::EMBEDSVC_ERANGE when a sum would overflow).
 */
EMBEDSVC_API int embedsvc_compare_line(embedsvc_compare *compare, const char *line, size_t len,
                                       embedsvc_error *err);

/**
 * Adds a line handed out by embedsvc_lines_next(): as embedsvc_compare_line(),
 * with the line's number, kind and text settled by the reader (an
 * ::EMBEDSVC_LINE_OVER_LIMIT line is the `parse.limit` error that
 * embedsvc_compare_line() gives for the whole line). The line numbers may skip
 * but must increase.
 * @param compare the comparison.
 * @param line the line (read with the default limit, ::EMBEDSVC_LINE_LIMIT).
 * @param err as for embedsvc_compare_line().
 * @return as embedsvc_compare_line(); ::EMBEDSVC_EINVAL also for a line whose
 *         number is not above ::EMBEDSVC_COMPARE_STAT_LINES.
 */
EMBEDSVC_API int embedsvc_compare_framed(embedsvc_compare *compare, const embedsvc_line *line, embedsvc_error *err);

/**
 * Adds a parsed or built project: evaluates it under every policy and adds
 * it to the aggregates. Its line number (embedsvc_compare_changed_line()) is 0.
 * @param compare the comparison.
 * @param project the project.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK; the status of embedsvc_evaluate() when the project
 *         cannot be evaluated under a policy (nothing is added);
 *         ::EMBEDSVC_ENOMEM; ::EMBEDSVC_ERANGE when a sum would overflow.
 */
EMBEDSVC_API int embedsvc_compare_project(embedsvc_compare *compare, const embedsvc_project *project,
                                          embedsvc_error *err);

/**
 * Adds everything one comparison has counted to another, as if the lines and
 * projects given to `from` had been given to `into` after its own: the totals
 * and the district totals are added, districts `into` has not seen are added
 * after its own in the order `from` saw them, the changed projects of `from`
 * follow those of `into`, and the counts of embedsvc_compare_stat() are
 * combined. A portfolio cut into consecutive parts, each given to its own
 * comparison (one per thread), and merged in input order gives a comparison
 * equal to one that read it all; `from` is left as it was.
 * @param into the comparison added to.
 * @param from a comparison of the same policies (the same handles, in the
 *             same order) whose lines, if any were given, all have numbers
 *             above ::EMBEDSVC_COMPARE_STAT_LINES of `into`.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK; ::EMBEDSVC_EINVAL (NULL, the same comparison twice,
 *         other policies, or lines not after those of `into`);
 *         ::EMBEDSVC_ERANGE when a sum would overflow; ::EMBEDSVC_ENOMEM.
 *         On failure `into` is unchanged.
 */
EMBEDSVC_API int embedsvc_compare_merge(embedsvc_compare *into, const embedsvc_compare *from, embedsvc_error *err);

/** Counts of the input of a comparison, read with embedsvc_compare_stat(). */
typedef enum embedsvc_compare_stat_kind {
    EMBEDSVC_COMPARE_STAT_LINES = 0,    /**< Physical lines seen: the number of the last line given to embedsvc_compare_line() or embedsvc_compare_framed(). */
    EMBEDSVC_COMPARE_STAT_PROJECTS = 1, /**< Projects added (by lines or embedsvc_compare_project()). */
    EMBEDSVC_COMPARE_STAT_ERRORS = 2    /**< Lines that were errors. */
} embedsvc_compare_stat_kind;

/**
 * Reads a count of the input so far.
 * @param compare the comparison.
 * @param which which count.
 * @return the count, or -1 for a bad argument.
 */
EMBEDSVC_API int64_t embedsvc_compare_stat(const embedsvc_compare *compare, embedsvc_compare_stat_kind which);

/**
 * Returns the number of policies compared.
 * @param compare the comparison.
 * @return the count (0 for NULL).
 */
EMBEDSVC_API size_t embedsvc_compare_policy_count(const embedsvc_compare *compare);

/**
 * Returns one of the policies compared.
 * @param compare the comparison.
 * @param policy the policy's index (0 is the baseline).
 * @return the policy, or NULL for a bad index.
 */
EMBEDSVC_API const embedsvc_policy *embedsvc_compare_policy(const embedsvc_compare *compare, size_t policy);

/**
 * Reads a total of the whole portfolio under one policy.
 * @param compare the comparison.
 * @param policy the policy's index.
 * @param which which value.
 * @return the value, or -1 for a bad argument (no valid value of a count or
 *         an amount is negative; ::EMBEDSVC_COMPARE_DELTA_FEN may be).
 */
EMBEDSVC_API int64_t embedsvc_compare_total(const embedsvc_compare *compare, size_t policy,
                                            embedsvc_compare_value which);

/**
 * Returns the number of districts seen.
 * @param compare the comparison.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_compare_district_count(const embedsvc_compare *compare);

/**
 * Returns the name of a district, in first-seen order.
 * @param compare the comparison.
 * @param district the district's index.
 * @return the project's `district` text, or NULL for the group of projects
 *         without a district (or a bad index).
 */
EMBEDSVC_API const char *embedsvc_compare_district_name(const embedsvc_compare *compare, size_t district);

/**
 * Reads a total of one district under one policy.
 * @param compare the comparison.
 * @param district the district's index.
 * @param policy the policy's index.
 * @param which which value.
 * @return the value, or -1 for a bad argument (as embedsvc_compare_total()).
 */
EMBEDSVC_API int64_t embedsvc_compare_district_value(const embedsvc_compare *compare, size_t district,
                                                     size_t policy, embedsvc_compare_value which);

/**
 * Returns the number of changed projects: those whose `eligible`,
 * `subsidy_eligible` or `total_fen` under some policy differs from the baseline.
 * @param compare the comparison.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_compare_changed_count(const embedsvc_compare *compare);

/**
 * Returns a text field of a changed project, in input order.
 * @param compare the comparison.
 * @param index the changed project's index.
 * @param field ::EMBEDSVC_FIELD_ID, ::EMBEDSVC_FIELD_NAME or ::EMBEDSVC_FIELD_DISTRICT.
 * @return the text, or NULL when the project has none (or a bad argument).
 */
EMBEDSVC_API const char *embedsvc_compare_changed_text(const embedsvc_compare *compare, size_t index,
                                                       embedsvc_field field);

/**
 * Returns the input line of a changed project.
 * @param compare the comparison.
 * @param index the changed project's index.
 * @return the line number counted by embedsvc_compare_line(), 0 for a project
 *         added by embedsvc_compare_project(), or -1 for a bad index.
 */
EMBEDSVC_API int64_t embedsvc_compare_changed_line(const embedsvc_compare *compare, size_t index);

/**
 * Reads a value of one changed project under one policy, e.g. whether it is
 * eligible (0 or 1) or its `total_fen`.
 * @param compare the comparison.
 * @param index the changed project's index.
 * @param policy the policy's index.
 * @param which which value.
 * @return the value, or -1 for a bad argument (as embedsvc_compare_total()).
 */
EMBEDSVC_API int64_t embedsvc_compare_changed_value(const embedsvc_compare *compare, size_t index, size_t policy,
                                                    embedsvc_compare_value which);

/**
 * Writes the comparison as `embedsvc.compare/1` JSON: compact, one line,
 * deterministic. Besides the policies (`policies`) and the input counts, it
 * holds three lists of flat rows, ready for a data frame: `totals` (one row per
 * policy), `districts` (one row per district and policy) and `changes` (one
 * row per changed project and policy), each row with the policy's `policy`
 * id and `policy_index` and every value of ::embedsvc_compare_value under the
 * key embedsvc_compare_value_name() (in `changes`, without `projects`, and
 * with the counts as booleans). docs/compare.md shows an example.
 * @param compare the comparison.
 * @param[out] json receives the NUL-terminated text, owned by the comparison
 *             and valid until it is changed, written to JSON again, or freed.
 * @param[out] len receives its length in bytes, or NULL.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_compare_to_json(embedsvc_compare *compare, const char **json, size_t *len,
                                          embedsvc_error *err);

/**
 * Writes the same `embedsvc.compare/1` JSON as embedsvc_compare_to_json(), a
 * piece per call, for a portfolio whose document is too large to hold at once
 * (the rows of a changed project take about 1.5 KB under three policies).
 * `*position` is 0 for the first piece; each call gives the piece at
 * `*position`, about 256 KiB ending at the end of a row, and moves `*position`
 * past it. After the last piece a call gives a piece of length 0 and leaves
 * `*position` as it is. The pieces, in order, are the bytes
 * embedsvc_compare_to_json() gives, each valid UTF-8 on its own. Start again
 * from 0 to write the document again; several positions may be in use at once
 * (each piece is valid only until the next call, as below).
 *
 * The comparison must not change from the first piece to the last: once a
 * line or project is added, or a comparison merged into it, or it is reset,
 * a position taken before is refused with ::EMBEDSVC_ESTATE (`compare.changed`)
 * (unless exactly a multiple of 2^28 such calls came between).
 * @code
 * uint64_t at = 0;
 * const char *piece;
 * size_t len;
 * while ((rc = embedsvc_compare_to_json_next(c, &at, &piece, &len, &err)) == EMBEDSVC_OK && len)
 *     fwrite(piece, 1, len, out);
 * @endcode
 * @param compare the comparison.
 * @param[in,out] position 0, or what an earlier call left there.
 * @param[out] json receives the piece, NUL-terminated, owned by the comparison
 *             and valid until it is changed, written to JSON again, or freed.
 * @param[out] len receives the piece's length in bytes; 0 after the last piece.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK; ::EMBEDSVC_ENOMEM, after which `*position` is as it
 *         was and the next call writes the same piece again; ::EMBEDSVC_ESTATE
 *         as above; ::EMBEDSVC_ERANGE for a document of more than 2^36 rows;
 *         or ::EMBEDSVC_EINVAL (a NULL argument, or a position past the end of
 *         the document).
 */
EMBEDSVC_API int embedsvc_compare_to_json_next(embedsvc_compare *compare, uint64_t *position, const char **json,
                                               size_t *len, embedsvc_error *err);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_COMPARE_H */
