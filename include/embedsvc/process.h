/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief The funding process: stage checks and disbursement (an extension beyond the reference).
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_PROCESS_H
#define EMBEDSVC_PROCESS_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"
#include "embedsvc/project.h"
#include "embedsvc/vocabulary.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup process Funding process and disbursement (reference §9, `四、2`)
 *
 * The five stages run in order call → application → joint_review →
 * fund_approval → disbursement, and a case moves only to the next stage.
 * embedsvc_stage_check() lists every unmet precondition of a move;
 * embedsvc_disbursement() computes what may be paid now given construction
 * progress.
 *
 * @note **Extension.** This group (stage reports, embedsvc_disbursement(), and the `process` block
 * that embedsvc_result_to_json() writes for a project that gives its `stage`) goes beyond the reference (docs/reference.md), which
 * specifies the stages and their preconditions (§9) but no API for them. It is tested and supported, but it is not part of the
 * conformance contract: its output may gain fields in a minor release.
 * @{
 */

/** Number of stages of the funding process. */
#define EMBEDSVC_STAGE_COUNT 5

/** The unmet preconditions of a move to a stage, reusable across checks. */
typedef struct embedsvc_stage_report embedsvc_stage_report;

/**
 * Creates a stage report.
 * @param alloc allocator, or NULL.
 * @param[out] out receives the report; free it with embedsvc_stage_report_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_stage_report_new(const embedsvc_allocator *alloc, embedsvc_stage_report **out);

/**
 * Frees a stage report.
 * @param report the report, or NULL.
 */
EMBEDSVC_API void embedsvc_stage_report_free(embedsvc_stage_report *report);

/**
 * Checks whether a project may move to @p target (reference §9): the target must be
 * the stage after the project's `stage` (a project without `stage` is at
 * `call`); `application` needs an eligible project whose residents and local
 * businesses were consulted; `fund_approval` needs a subsidy-eligible project
 * with the feasibility approval and a fund application report at
 * budget-estimate depth; `disbursement` needs `disbursed` not above the
 * approved amount. Every unmet precondition is listed, none stops the others.
 * @param policy the policy the project is evaluated under.
 * @param project the project.
 * @param target the stage to move to.
 * @param report the report to fill.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK (whether or not the move is allowed), or a negative
 *         status when the project cannot be evaluated.
 */
EMBEDSVC_API int embedsvc_stage_check(const embedsvc_policy *policy, const embedsvc_project *project,
                                      embedsvc_stage target, embedsvc_stage_report *report, embedsvc_error *err);

/**
 * Tells whether the checked move is allowed: no unmet precondition.
 * @param report a filled report.
 * @return 1 or 0.
 */
EMBEDSVC_API int embedsvc_stage_report_allowed(const embedsvc_stage_report *report);

/**
 * Returns the project's current stage, as checked.
 * @param report a filled report.
 * @return an ::embedsvc_stage.
 */
EMBEDSVC_API int embedsvc_stage_report_current(const embedsvc_stage_report *report);

/**
 * Returns the stage the move was checked to.
 * @param report a filled report.
 * @return an ::embedsvc_stage.
 */
EMBEDSVC_API int embedsvc_stage_report_target(const embedsvc_stage_report *report);

/**
 * Returns the number of unmet preconditions.
 * @param report a filled report.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_stage_report_count(const embedsvc_stage_report *report);

/**
 * Returns the code of an unmet precondition, e.g. "process.feasibility_missing".
 * @param report a filled report.
 * @param index the precondition's index.
 * @return the code, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_stage_report_code(const embedsvc_stage_report *report, size_t index);

/**
 * Returns the citation of an unmet precondition ("四、2").
 * @param report a filled report.
 * @param index the precondition's index.
 * @return the cite, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_stage_report_cite(const embedsvc_stage_report *report, size_t index);

/**
 * Writes the message of an unmet precondition in Chinese ("zh") or English
 * ("en"); works like snprintf().
 * @param report a filled report.
 * @param index the precondition's index.
 * @param lang "zh" or "en".
 * @param buf destination, or NULL when @p size is 0.
 * @param size size of @p buf.
 * @return the full length of the message, or a negative ::embedsvc_status.
 */
EMBEDSVC_API int embedsvc_stage_report_message(const embedsvc_stage_report *report, size_t index,
                                               const char *lang, char *buf, size_t size);

/**
 * Computes the amount that may be disbursed now (reference §9, an interpretation of
 * "按照…工程进度适时下达"): floor(approved × progress / 10000) − disbursed, never
 * negative.
 * @param approved_fen the approved subsidy, 0 to 10^14 fen.
 * @param progress_bp construction progress, 0 to 10000 basis points.
 * @param disbursed_fen the amount disbursed so far, 0 to 10^14 fen.
 * @param[out] due_fen receives the amount due now.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK; ::EMBEDSVC_ERANGE for a value out of range
 *         (`process.progress_range`, `money.range`, `money.negative`);
 *         ::EMBEDSVC_ESTATE when @p disbursed_fen is above @p approved_fen
 *         (`process.overdisbursed`).
 */
EMBEDSVC_API int embedsvc_disbursement(int64_t approved_fen, int64_t progress_bp, int64_t disbursed_fen,
                                       int64_t *due_fen, embedsvc_error *err);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_PROCESS_H */
