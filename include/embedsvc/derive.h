/**
 * @file derive.h
 * Policy derivation: a reform as a few changed values of an existing policy.
 *
 * Included by `embedsvc.h`; may also be included on its own.
 */
#ifndef EMBEDSVC_DERIVE_H
#define EMBEDSVC_DERIVE_H

#include "embedsvc/export.h"
#include <stddef.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @addtogroup policy
 * @{
 */

/**
 * Derives a new policy from @p base by changing a few of its values.
 *
 * @p changes is a UTF-8 JSON object; every key is optional:
 *
 * | key | JSON type | replaces in the policy (reference §8) |
 * |---|---|---|
 * | `id`, `version`, `title_zh`, `title_en` | string | the same top-level key |
 * | `effective_from`, `effective_to` | date string or null | the same top-level key |
 * | `min_functions`, `min_core_functions` | integer | `rules.<key>` |
 * | `preferred_severity` | string | `rules.preferred_severity` |
 * | `subsidy_build_modes` | array of build-mode codes | `rules.subsidy_build_modes` |
 * | `max_walk_minutes` | integer or null | `rules.max_walk_minutes` |
 * | `cap_fen` | integer or null | `subsidy.cap_fen` |
 * | `cap_allocation` | string | `subsidy.cap_allocation` |
 * | `rates` | object: class code → integer | `classes[code].rate_bp` |
 * | `rate_is_max` | object: class code → boolean | `classes[code].rate_is_max` |
 *
 * The canonical JSON of @p base (embedsvc_policy_to_json()) with these
 * replacements is loaded and checked exactly as a policy file
 * (embedsvc_policy_load_buffer()), so a derived policy obeys every rule a
 * policy file does.
 *
 * Marking: unless given in @p changes, `id` stays that of @p base,
 * `version` becomes `<base version>+derived`, and each title the base has
 * gains a suffix naming the changed keys (other than `id`, `version` and the
 * titles) in the order of the table above: `title_zh` + `（调整：cap_fen、rates）`,
 * `title_en` + ` (derived: cap_fen, rates)`; with no such key the suffix is
 * `（调整）` / ` (derived)`. A title the base does not have stays absent.
 *
 * Errors:
 * - @p changes does not parse: the `parse.*` error of the JSON reader, with
 *   its line, column and path in @p changes;
 * - it is not an object, or a value has the wrong JSON type: `parse.type`
 *   with the path in @p changes (e.g. `/rates/inclusive`);
 * - an unknown key, or a key of `rates` / `rate_is_max` that is not a class
 *   code: `parse.unknown_field` with its path in @p changes;
 * - the derived policy is not valid: the error of the policy loader
 *   (`policy.invalid`, `parse.value` …) with the JSON path in the derived
 *   policy, e.g. `/rules/min_functions` or `/classes/1/rate_bp`; line,
 *   column and offset are 0 because that document is not the caller's.
 *
 * @param base the policy to start from.
 * @param changes the JSON object of changes (need not be NUL-terminated).
 * @param len length of @p changes in bytes.
 * @param alloc allocator for the new policy and the work, or NULL for the C library's.
 * @param[out] out receives the new policy (free it with embedsvc_policy_free());
 *             set to NULL on failure.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK; ::EMBEDSVC_EPARSE or ::EMBEDSVC_EPOLICY as above;
 *         ::EMBEDSVC_ENOMEM; ::EMBEDSVC_EINVAL for a NULL @p base or @p out.
 */
EMBEDSVC_API int embedsvc_policy_derive(const embedsvc_policy *base, const char *changes, size_t len,
                                        const embedsvc_allocator *alloc, embedsvc_policy **out,
                                        embedsvc_error *err);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_DERIVE_H */
