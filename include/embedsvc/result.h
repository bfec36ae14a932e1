/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Evaluation of a project under a policy, and its result.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_RESULT_H
#define EMBEDSVC_RESULT_H

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
 * @defgroup evaluate Evaluation and results
 * @{
 */

/** The outcome of an evaluation (reference §6), reusable across evaluations. */
typedef struct embedsvc_result embedsvc_result;

/**
 * Creates a result object. It holds room for the largest project, so that
 * evaluating into it again allocates nothing.
 * @param alloc allocator, or NULL.
 * @param[out] out receives the result; free it with embedsvc_result_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_result_new(const embedsvc_allocator *alloc, embedsvc_result **out);

/**
 * Frees a result.
 * @param result the result, or NULL.
 */
EMBEDSVC_API void embedsvc_result_free(embedsvc_result *result);

/**
 * Evaluates a project under a policy (reference §3) into @p result, replacing its
 * content. Every finding is reported; evaluation never stops at the first.
 * The result refers to @p policy; keep the policy alive while reading it.
 * @param policy the policy.
 * @param project a parsed or built project.
 * @param result the result to fill.
 * @param err filled on failure, or NULL (`parse.missing_field` for a built
 *            project without a required field).
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPARSE, ::EMBEDSVC_ERANGE, ::EMBEDSVC_ENOMEM (copying the
 *         texts that findings quote) or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_evaluate(const embedsvc_policy *policy, const embedsvc_project *project,
                                   embedsvc_result *result, embedsvc_error *err);

/**
 * Writes the result as `embedsvc.result/1` JSON (reference §6): compact, one line,
 * deterministic. The text is owned by @p result and valid until it is
 * evaluated into again or freed.
 *
 * @note **Extension.** For a project that gives its `stage`, the JSON also has a
 * `process` block (the funding process of reference §9: stage, next stage,
 * unmet preconditions, amounts; see embedsvc/process.h), and with a policy that
 * sets `rules.max_operating_margin_bp` it may have the `operation.*` findings;
 * both go beyond the result format of reference §6.
 * @param result an evaluated result.
 * @param[out] json receives the NUL-terminated text.
 * @param[out] len receives its length in bytes, or NULL.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_result_to_json(embedsvc_result *result, const char **json, size_t *len,
                                         embedsvc_error *err);

/**
 * Returns the project id of an evaluated result.
 * @param result the result.
 * @return the id.
 */
EMBEDSVC_API const char *embedsvc_result_project_id(const embedsvc_result *result);

/**
 * Tells whether the project is eligible: no finding of severity error.
 * @param result the result.
 * @return 1 or 0.
 */
EMBEDSVC_API int embedsvc_result_eligible(const embedsvc_result *result);

/**
 * Tells whether the project is eligible for subsidy: eligible and built in a
 * subsidised build mode.
 * @param result the result.
 * @return 1 or 0.
 */
EMBEDSVC_API int embedsvc_result_subsidy_eligible(const embedsvc_result *result);

/** Counts of a result (`counts` of reference §6). */
typedef enum embedsvc_count {
    EMBEDSVC_COUNT_FUNCTIONS = 0,           /**< `functions`. */
    EMBEDSVC_COUNT_VALID_FUNCTIONS = 1,     /**< `valid_functions`. */
    EMBEDSVC_COUNT_DISTINCT_SCENARIOS = 2,  /**< `distinct_scenarios`. */
    EMBEDSVC_COUNT_CORE_SCENARIOS = 3,      /**< `core_scenarios`. */
    EMBEDSVC_COUNT_PREFERRED_SCENARIOS = 4  /**< `preferred_scenarios`. */
} embedsvc_count;

/**
 * Reads a count.
 * @param result the result.
 * @param which which count.
 * @return the count, or -1 for a bad argument.
 */
EMBEDSVC_API int embedsvc_result_count(const embedsvc_result *result, embedsvc_count which);

/**
 * Returns the scenario of a function of the result.
 * @param result the result.
 * @param index the function's index.
 * @return the scenario's index in the policy, or -1 when not determined (or a bad index).
 */
EMBEDSVC_API int embedsvc_result_function_scenario(const embedsvc_result *result, size_t index);

/**
 * Returns the class of a function of the result.
 * @param result the result.
 * @param index the function's index.
 * @return an ::embedsvc_class; ::EMBEDSVC_CLASS_NONE for an invalid function.
 */
EMBEDSVC_API embedsvc_class embedsvc_result_function_class(const embedsvc_result *result, size_t index);

/**
 * Returns a function's share of the engineering investment (`investment_fen`).
 * @param result the result.
 * @param index the function's index.
 * @return fen, or -1 for a bad index.
 */
EMBEDSVC_API int64_t embedsvc_result_function_investment_fen(const embedsvc_result *result, size_t index);

/**
 * Returns a function's subsidy (`subsidy_fen`).
 * @param result the result.
 * @param index the function's index.
 * @return fen, or -1 for a bad index.
 */
EMBEDSVC_API int64_t embedsvc_result_function_subsidy_fen(const embedsvc_result *result, size_t index);

/**
 * Returns the base of a class: the investment shares of its valid functions.
 * @param result the result.
 * @param cls the class.
 * @return fen, or -1 for a bad argument.
 */
EMBEDSVC_API int64_t embedsvc_result_class_base_fen(const embedsvc_result *result, embedsvc_class cls);

/**
 * Returns the rate applied to a class, in basis points.
 * @param result the result.
 * @param cls the class.
 * @return basis points, or -1 for a bad argument.
 */
EMBEDSVC_API int embedsvc_result_class_rate_bp(const embedsvc_result *result, embedsvc_class cls);

/**
 * Returns the subsidy of a class after the cap (0 when not subsidy-eligible).
 * @param result the result.
 * @param cls the class.
 * @return fen, or -1 for a bad argument.
 */
EMBEDSVC_API int64_t embedsvc_result_class_amount_fen(const embedsvc_result *result, embedsvc_class cls);

/**
 * Returns basic + inclusive amounts before the cap (`uncapped_fen`).
 * @param result the result.
 * @return fen.
 */
EMBEDSVC_API int64_t embedsvc_result_uncapped_fen(const embedsvc_result *result);

/**
 * Reads the cap of the two public classes (`cap_fen`).
 * @param result the result.
 * @param[out] cap_fen receives the cap when the policy has one.
 * @return 1 when there is a cap, 0 when not.
 */
EMBEDSVC_API int embedsvc_result_cap_fen(const embedsvc_result *result, int64_t *cap_fen);

/**
 * Tells whether the cap bound (`capped`).
 * @param result the result.
 * @return 1 or 0.
 */
EMBEDSVC_API int embedsvc_result_capped(const embedsvc_result *result);

/**
 * Reads how far the uncapped amount is below the cap (`cap_headroom_fen`).
 * @param result the result.
 * @param[out] headroom_fen receives max(0, cap − uncapped) when there is a cap.
 * @return 1 when there is a cap, 0 when not.
 */
EMBEDSVC_API int embedsvc_result_cap_headroom_fen(const embedsvc_result *result, int64_t *headroom_fen);

/**
 * Returns the total subsidy (`total_fen`).
 * @param result the result.
 * @return fen.
 */
EMBEDSVC_API int64_t embedsvc_result_total_fen(const embedsvc_result *result);

/**
 * Returns the number of checks (reference §3.2; always all of them, in table order).
 * @param result the result.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_result_check_count(const embedsvc_result *result);

/**
 * Returns the rule code of a check, e.g. "min_functions".
 * @param result the result.
 * @param index the check's index.
 * @return the code, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_result_check_rule(const embedsvc_result *result, size_t index);

/**
 * Tells whether a check passed.
 * @param result the result.
 * @param index the check's index.
 * @return 1 passed, 0 failed, -1 not evaluated (`null`) or a bad index.
 */
EMBEDSVC_API int embedsvc_result_check_passed(const embedsvc_result *result, size_t index);

/**
 * Reads the value of a check: a number, a code (`subsidy_build_mode`), or null.
 * @param result the result.
 * @param index the check's index.
 * @param[out] number receives a numeric value; may be NULL.
 * @param[out] text receives a textual value; may be NULL.
 * @return 1 numeric, 2 text, 0 null, -1 bad index.
 */
EMBEDSVC_API int embedsvc_result_check_value(const embedsvc_result *result, size_t index, int64_t *number,
                                             const char **text);

/**
 * Reads the threshold of a check.
 * @param result the result.
 * @param index the check's index.
 * @param[out] number receives the threshold; may be NULL.
 * @return 1 when there is one, 0 for null, -1 bad index.
 */
EMBEDSVC_API int embedsvc_result_check_threshold(const embedsvc_result *result, size_t index, int64_t *number);

/**
 * Returns the citation of a check, e.g. "四、1".
 * @param result the result.
 * @param index the check's index.
 * @return the cite, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_result_check_cite(const embedsvc_result *result, size_t index);

/**
 * Returns the number of findings.
 * @param result the result.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_result_finding_count(const embedsvc_result *result);

/**
 * Returns the code of a finding, e.g. "project.too_few_functions".
 * @param result the result.
 * @param index the finding's index.
 * @return the code, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_result_finding_code(const embedsvc_result *result, size_t index);

/**
 * Returns the severity of a finding.
 * @param result the result.
 * @param index the finding's index.
 * @return an ::embedsvc_severity, or -1 for a bad index.
 */
EMBEDSVC_API int embedsvc_result_finding_severity(const embedsvc_result *result, size_t index);

/**
 * Returns the function a finding is about.
 * @param result the result.
 * @param index the finding's index.
 * @return the function's index, or -1 for a project finding (or a bad index).
 */
EMBEDSVC_API int embedsvc_result_finding_function(const embedsvc_result *result, size_t index);

/**
 * Returns the citation of a finding, e.g. "三、(二)".
 * @param result the result.
 * @param index the finding's index.
 * @return the cite, or NULL when the finding has none (or a bad index).
 */
EMBEDSVC_API const char *embedsvc_result_finding_cite(const embedsvc_result *result, size_t index);

/**
 * Writes the message of a finding, in Chinese (@p lang "zh") or English ("en").
 * Works like snprintf().
 * @param result the result.
 * @param index the finding's index.
 * @param lang "zh" or "en".
 * @param buf destination, or NULL when @p size is 0.
 * @param size size of @p buf.
 * @return the full length of the message without the NUL, or a negative
 *         ::embedsvc_status for a bad argument.
 */
EMBEDSVC_API int embedsvc_result_finding_message(const embedsvc_result *result, size_t index, const char *lang,
                                                 char *buf, size_t size);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_RESULT_H */
