/**
 * @file diff.h
 * What changed between two policies: every rule, rate, cap, scenario,
 * class, item, alias and non-service term, with the citation of the rule.
 *
 * Included by `embedsvc.h`; may also be included on its own.
 */
#ifndef EMBEDSVC_DIFF_H
#define EMBEDSVC_DIFF_H

#include "embedsvc/export.h"
#include <stddef.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup diff Policy differences
 * @{
 */

/** The differences between two policies, in the order of the policy file (reference §8). */
typedef struct embedsvc_policy_diff embedsvc_policy_diff;

/**
 * Compares two policies.
 *
 * Scenarios and classes are matched by code, items by `name_zh`; lists of
 * names (aliases, `allowed_classes`, `subsidy_build_modes`,
 * `non_service_terms`) are compared as sets, one difference per name added or
 * removed; every other value is compared as a whole. The order of scenarios
 * and items is not compared.
 *
 * Each difference has a path naming the value with codes and names instead
 * of array indexes (`/rules/min_functions`, `/classes/inclusive/rate_bp`,
 * `/scenarios/elderly_care/aliases`, `/items/便民理发/class`), a change
 * (`changed`, `added`, `removed`), the value before and after as JSON text,
 * and the section of the policy text the value belongs to.
 *
 * @param a the first policy ("before").
 * @param b the second policy ("after").
 * @param alloc allocator for the result, or NULL.
 * @param[out] out receives the differences (free with embedsvc_policy_diff_free()).
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_policy_diff_new(const embedsvc_policy *a, const embedsvc_policy *b,
                                          const embedsvc_allocator *alloc, embedsvc_policy_diff **out,
                                          embedsvc_error *err);

/**
 * Frees the differences.
 * @param diff the differences, or NULL.
 */
EMBEDSVC_API void embedsvc_policy_diff_free(embedsvc_policy_diff *diff);

/**
 * Returns the number of differences (0 when the policies are the same).
 * @param diff the differences.
 * @return the count (0 for NULL).
 */
EMBEDSVC_API size_t embedsvc_policy_diff_count(const embedsvc_policy_diff *diff);

/**
 * Returns the path of a difference, e.g. `/subsidy/cap_fen`.
 * @param diff the differences.
 * @param index the difference, 0-based.
 * @return the UTF-8 path, or NULL when @p index is out of range.
 */
EMBEDSVC_API const char *embedsvc_policy_diff_path(const embedsvc_policy_diff *diff, size_t index);

/**
 * Returns the kind of a difference.
 * @param diff the differences.
 * @param index the difference, 0-based.
 * @return "changed", "added" or "removed"; NULL when @p index is out of range.
 */
EMBEDSVC_API const char *embedsvc_policy_diff_change(const embedsvc_policy_diff *diff, size_t index);

/**
 * Returns the value before (in the first policy) as compact JSON.
 * @param diff the differences.
 * @param index the difference, 0-based.
 * @return the JSON text, or NULL for an added value or an @p index out of range.
 */
EMBEDSVC_API const char *embedsvc_policy_diff_before(const embedsvc_policy_diff *diff, size_t index);

/**
 * Returns the value after (in the second policy) as compact JSON.
 * @param diff the differences.
 * @param index the difference, 0-based.
 * @return the JSON text, or NULL for a removed value or an @p index out of range.
 */
EMBEDSVC_API const char *embedsvc_policy_diff_after(const embedsvc_policy_diff *diff, size_t index);

/**
 * Returns the section of the policy text the changed value belongs to, e.g. "四、1" or "三、(二)".
 * @param diff the differences.
 * @param index the difference, 0-based.
 * @return the citation, or NULL for values that are not rules of the text
 *         (identity, titles, dates, non-service terms) or an @p index out of range.
 */
EMBEDSVC_API const char *embedsvc_policy_diff_cite(const embedsvc_policy_diff *diff, size_t index);

/**
 * Returns the differences as one line of JSON:
 * `{"schema":"embedsvc.policy-diff/1","a":{"id":…,"version":…},"b":{…},"same":false,
 * "changes":[{"path":…,"change":…,"before":…,"after":…,"cite":…},…]}` (absent
 * values and citations are null).
 * @param diff the differences.
 * @param[out] len receives the length in bytes, or NULL.
 * @return the NUL-terminated text owned by @p diff, or NULL for NULL.
 */
EMBEDSVC_API const char *embedsvc_policy_diff_to_json(const embedsvc_policy_diff *diff, size_t *len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_DIFF_H */
