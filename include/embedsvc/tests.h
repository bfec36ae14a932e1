/**
 * @file tests.h
 * Policy test files (`embedsvc.tests/1`): cases of a project and the part of
 * its result that a policy must give, run against a policy.
 *
 * The format is described in the guide (docs/guide.en.md, "Policy test
 * files") and by `schemas/embedsvc.tests.schema.json`. In short:
 *
 *     {"schema": "embedsvc.tests/1",
 *      "policy": {"id": "beijing-2024-trial", "version": "1"},   (optional)
 *      "policy_file": "../beijing-2024-trial.json",               (optional)
 *      "cases": [{"name": "…", "project": {…embedsvc.project/1…},
 *                 "expect": {"eligible": true, "total_yuan": "1876400.00",
 *                            "subsidy": {"inclusive": {"amount_fen": 120000000}},
 *                            "checks": {"min_functions": {"passed": true, "value": 3}},
 *                            "findings": ["function.scenario_inferred"],
 *                            "absent_findings": ["subsidy.capped"]}}]}
 *
 * Included by `embedsvc.h`; may also be included on its own.
 */
#ifndef EMBEDSVC_TESTS_H
#define EMBEDSVC_TESTS_H

#include "embedsvc/export.h"
#include <stddef.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup tests Policy test files
 * @{
 */

/** The outcome of running one test file: a verdict and a diff per case. */
typedef struct embedsvc_test_report embedsvc_test_report;

/**
 * Runs the cases of an `embedsvc.tests/1` document against a policy.
 *
 * Each case's project is parsed and evaluated under @p policy, and every
 * expectation is compared with the result: a case passes when all hold. A
 * project that does not parse fails its case unless the case expects that
 * error (`expect.error`). When the file names a policy (`policy.id`, and
 * `policy.version` when given) that @p policy is not, no case runs and the
 * call fails with `tests.policy_mismatch`.
 *
 * @param policy the policy to test, or NULL for the compiled-in default.
 * @param data the test file's JSON text (need not be NUL-terminated).
 * @param len its length in bytes.
 * @param alloc allocator for the report and the work, or NULL.
 * @param[out] out receives the report (free it with embedsvc_test_report_free()); NULL on failure.
 * @param err filled on failure, or NULL: a `parse.*` code with line, column
 *        and path when the file is not a valid test file; `tests.policy_mismatch`.
 * @return ::EMBEDSVC_OK (whether or not the cases pass), ::EMBEDSVC_EPARSE,
 *         ::EMBEDSVC_ESTATE (policy mismatch), ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_tests_run(const embedsvc_policy *policy, const char *data, size_t len,
                                    const embedsvc_allocator *alloc, embedsvc_test_report **out,
                                    embedsvc_error *err);

/**
 * Reads the optional `policy_file` of a test file: the policy file the cases
 * are written for, relative to the test file's directory.
 * @param data the test file's JSON text.
 * @param len its length in bytes.
 * @param buf receives the NUL-terminated path (truncated to @p size - 1 bytes), or NULL when @p size is 0.
 * @param size size of @p buf.
 * @param err filled on failure, or NULL.
 * @return 1 when the file names a policy file, 0 when it does not,
 *         ::EMBEDSVC_EPARSE when it is not a valid test file, ::EMBEDSVC_ERANGE when
 *         @p buf is too small, ::EMBEDSVC_ENOMEM.
 */
EMBEDSVC_API int embedsvc_tests_policy_file(const char *data, size_t len, char *buf, size_t size,
                                            embedsvc_error *err);

/**
 * Frees a report.
 * @param report the report, or NULL.
 */
EMBEDSVC_API void embedsvc_test_report_free(embedsvc_test_report *report);

/**
 * Returns the number of cases of the report.
 * @param report the report.
 * @return the count (0 for NULL).
 */
EMBEDSVC_API size_t embedsvc_test_report_count(const embedsvc_test_report *report);

/**
 * Returns the number of cases that failed.
 * @param report the report.
 * @return the count (0 for NULL).
 */
EMBEDSVC_API size_t embedsvc_test_report_failed(const embedsvc_test_report *report);

/**
 * Returns the name of a case.
 * @param report the report.
 * @param index the case, 0-based.
 * @return the UTF-8 name, or NULL when @p index is out of range.
 */
EMBEDSVC_API const char *embedsvc_test_report_name(const embedsvc_test_report *report, size_t index);

/**
 * Tells whether a case passed.
 * @param report the report.
 * @param index the case, 0-based.
 * @return 1 passed, 0 failed, -1 when @p index is out of range.
 */
EMBEDSVC_API int embedsvc_test_report_passed(const embedsvc_test_report *report, size_t index);

/**
 * Returns the differences of a failed case: for each expectation that does
 * not hold, a line with its JSON path in the result (e.g. `/subsidy/total_fen`)
 * followed by an `expected:` and an `actual:` line, indented by two spaces
 * (amounts in fen are also shown in yuan).
 * @param report the report.
 * @param index the case, 0-based.
 * @return the text ("" for a case that passed), or NULL when @p index is out of range.
 */
EMBEDSVC_API const char *embedsvc_test_report_diff(const embedsvc_test_report *report, size_t index);

/**
 * Returns the report as TAP-like text: `TAP version 13`, the plan `1..N`,
 * then `ok N - name` or `not ok N - name` per case, each failure followed by
 * its differences as `  # ` diagnostic lines, and a closing `# passed P of N`.
 * @param report the report.
 * @param[out] len receives the length in bytes, or NULL.
 * @return the NUL-terminated text, owned by the report; NULL for NULL.
 */
EMBEDSVC_API const char *embedsvc_test_report_tap(const embedsvc_test_report *report, size_t *len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_TESTS_H */
