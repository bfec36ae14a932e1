/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file embedsvc.h
 * @brief The public C API of libembedsvc: the umbrella header over the per-topic headers of `embedsvc/`.
 *
 * libembedsvc decides whether a Beijing community embedded service facility
 * project (社区嵌入式服务设施项目) may apply for municipal funding and how much
 * subsidy it gets, to the fen, with every reason cited to the policy text.
 *
 * The library works on three kinds of object:
 *
 * - a **policy** (::embedsvc_policy): the rules, rates and vocabulary; the
 *   Beijing trial policy is compiled in (embedsvc_policy_default()), others load
 *   from `embedsvc.policy/1` JSON files;
 * - a **project** (::embedsvc_project): one application, parsed from
 *   `embedsvc.project/1` JSON (embedsvc_project_parse()) or built field by field;
 * - a **result** (::embedsvc_result): what embedsvc_evaluate() found, read with
 *   accessors or written as `embedsvc.result/1` JSON.
 *
 * Conventions:
 *
 * - Every function that can fail returns ::EMBEDSVC_OK (0) or a negative
 *   ::embedsvc_status, and fills the caller-owned ::embedsvc_error when one is
 *   given (it may be NULL).
 * - Strings are UTF-8, passed with an explicit length; returned strings are
 *   NUL-terminated and owned by the object they come from. Codes, cites and
 *   rule names (finding and check codes and cites, check rules, a check's text
 *   value, enumeration codes and names) are static strings, valid for the
 *   lifetime of the program.
 * - Money is an integer number of fen (分, 0.01 yuan) in `int64_t`; rates are
 *   integer basis points (1/10000). No floating point is used anywhere.
 * - The library never prints, exits, aborts, or reads the environment or the
 *   locale. It has no global mutable state.
 *
 * Threading: a loaded ::embedsvc_policy is immutable and may be used by any
 * number of threads at once. A ::embedsvc_project, ::embedsvc_result,
 * ::embedsvc_classification, ::embedsvc_batch or ::embedsvc_compare may be used
 * by one thread at a time; distinct objects may be used concurrently (one
 * comparison per thread, merged with embedsvc_compare_merge()).
 *
 * Memory: every `_new`/`_load`/`_default` has a matching `_free`. An optional
 * ::embedsvc_allocator passed at creation is used for all of that object's
 * memory; an allocation failure returns ::EMBEDSVC_ENOMEM and leaves nothing
 * allocated.
 *
 * A complete example (it is compiled and run by the test suite as
 * `examples/c/evaluate.c`):
 *
 * @code
 * #include <embedsvc.h>
 * #include <stdio.h>
 * #include <string.h>
 *
 * int main(void)
 * {
 *     static const char project_json[] =
 *         "{\"id\":\"DEMO-1\",\"build_mode\":\"renovation\","
 *         "\"total_investment\":\"3000000\",\"functions\":["
 *         "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
 *         "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
 *         "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";
 *     embedsvc_error err = EMBEDSVC_ERROR_INIT;
 *     embedsvc_policy *policy = NULL;
 *     embedsvc_project *project = NULL;
 *     embedsvc_result *result = NULL;
 *     const char *json;
 *     size_t len;
 *     int rc = 1;
 *
 *     if (embedsvc_policy_default(NULL, &policy, &err) != EMBEDSVC_OK ||
 *         embedsvc_project_new(NULL, &project) != EMBEDSVC_OK ||
 *         embedsvc_result_new(NULL, &result) != EMBEDSVC_OK)
 *         goto out;
 *     if (embedsvc_project_parse(project, project_json, strlen(project_json), &err) != EMBEDSVC_OK ||
 *         embedsvc_evaluate(policy, project, result, &err) != EMBEDSVC_OK) {
 *         fprintf(stderr, "%u:%u: %s: %s\n", err.line, err.column, err.code, err.message);
 *         goto out;
 *     }
 *     printf("eligible: %d, subsidy: %lld fen\n", embedsvc_result_eligible(result),
 *            (long long)embedsvc_result_total_fen(result));
 *     if (embedsvc_result_to_json(result, &json, &len, &err) == EMBEDSVC_OK)
 *         printf("%s\n", json);
 *     rc = 0;
 * out:
 *     embedsvc_result_free(result);
 *     embedsvc_project_free(project);
 *     embedsvc_policy_free(policy);
 *     return rc;
 * }
 * @endcode
 */
#ifndef EMBEDSVC_H
#define EMBEDSVC_H

#include "embedsvc/export.h"
#include "embedsvc/version.h"
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/vocabulary.h"
#include "embedsvc/policy.h"
#include "embedsvc/classify.h"
#include "embedsvc/project.h"
#include "embedsvc/result.h"
#include "embedsvc/process.h"
#include "embedsvc/lines.h"
#include "embedsvc/batch.h"
#include "embedsvc/compare.h"
#include "embedsvc/check.h"
#include "embedsvc/derive.h"
#include "embedsvc/tests.h"
#include "embedsvc/diff.h"
#include "embedsvc/policyset.h"

#endif /* EMBEDSVC_H */
