/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief The common case in one call: project JSON in, result JSON out.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_CHECK_H
#define EMBEDSVC_CHECK_H

#include "embedsvc/export.h"
#include <stddef.h>
#include "embedsvc/error.h"
#include "embedsvc/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup check One call
 *
 * embedsvc_check_json() parses an `embedsvc.project/1` document, evaluates it
 * under a policy and writes the `embedsvc.result/1` JSON — the work of
 * embedsvc_project_new(), embedsvc_result_new(), embedsvc_project_parse(),
 * embedsvc_evaluate(), embedsvc_result_to_json() and the two `_free` calls,
 * in one:
 *
 * @code
 * char *json;
 * size_t len;
 * embedsvc_error err = EMBEDSVC_ERROR_INIT;
 * if (embedsvc_check_json(policy, text, text_len, &json, &len, &err) == EMBEDSVC_OK) {
 *     fwrite(json, 1, len, stdout);
 *     embedsvc_check_json_free(policy, json);
 * } else {
 *     fprintf(stderr, "%u:%u: %s: %s\n", err.line, err.column, err.code, err.message);
 * }
 * @endcode
 * @{
 */

/**
 * Evaluates one project document and returns its result JSON.
 *
 * The text is exactly the line that `embedsvc check --json` prints for the
 * same policy and project, without its final newline: compact, one line,
 * deterministic (reference §6).
 *
 * Ownership: `*result_json` is a new NUL-terminated string allocated with the
 * policy's allocator (the one given to embedsvc_policy_default() or
 * embedsvc_policy_load_buffer(), or the C library's); the caller frees it with
 * embedsvc_check_json_free(), with the same policy, before the policy is freed.
 * Because a shared policy's allocator is then called from every thread that
 * checks, a custom allocator of a shared policy must be thread-safe.
 *
 * @param policy the policy.
 * @param json the project's JSON text (need not be NUL-terminated).
 * @param len its length in bytes.
 * @param[out] result_json receives the result JSON; set to NULL on failure.
 * @param[out] result_len receives its length in bytes (without the NUL), or NULL.
 * @param err filled on failure, or NULL: the project's `parse.*` or `money.*`
 *            error with its line, column and JSON path, as embedsvc_project_parse() gives it.
 * @return ::EMBEDSVC_OK (whether or not the project is eligible: read `eligible`
 *         in the JSON), ::EMBEDSVC_EPARSE, ::EMBEDSVC_ERANGE, ::EMBEDSVC_ENOMEM or
 *         ::EMBEDSVC_EINVAL (NULL @p policy, @p result_json, or @p json with a non-zero @p len).
 */
EMBEDSVC_API int embedsvc_check_json(const embedsvc_policy *policy, const char *json, size_t len, char **result_json,
                                     size_t *result_len, embedsvc_error *err);

/**
 * Frees a string returned by embedsvc_check_json().
 * @param policy the policy it was made with.
 * @param result_json the string, or NULL.
 */
EMBEDSVC_API void embedsvc_check_json_free(const embedsvc_policy *policy, char *result_json);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_CHECK_H */
