/**
 * @file
 * @brief Policy sets: the versions of one policy, each in force for a window of dates, and the
 * choice of the version in force on a project's `application_date`.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_POLICYSET_H
#define EMBEDSVC_POLICYSET_H

#include "embedsvc/export.h"
#include <stddef.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"
#include "embedsvc/project.h"
#include "embedsvc/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup policyset Policy sets (versions in force by date)
 * @{
 *
 * A set holds versions of one policy `id`. A version's window is
 * [`effective_from`, `effective_to`], both days included, an absent bound
 * being open; no two windows of a set may overlap. The version for a date:
 * - the version whose window contains the date;
 * - a date no window contains: the latest version in force before it (a
 *   gap between versions, or after the last one has ended), else the
 *   earliest version; its evaluation then carries `policy.not_in_force`;
 * - no date (or not a valid date): the latest version (the one with the
 *   latest `effective_from`).
 */

/** Versions of one policy, ordered by `effective_from`. */
typedef struct embedsvc_policy_set embedsvc_policy_set;

/**
 * Creates an empty set.
 * @param alloc allocator for the set, or NULL.
 * @param[out] out receives the set (free with embedsvc_policy_set_free()).
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_policy_set_new(const embedsvc_allocator *alloc, embedsvc_policy_set **out);

/**
 * Adds a version. On success the set owns @p policy (it is freed with the
 * set); on failure the caller keeps it.
 * @param set the set.
 * @param policy the version to add.
 * @param name a name for messages (the file name), or NULL.
 * @param err filled on failure, or NULL: `policy.invalid` when @p policy has
 *        another `id` than the set's versions (path `/id`), the `version` of a
 *        version already in the set (path `/version`), or a window that
 *        overlaps another version's (path `/effective_from`); the message names both versions.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPOLICY, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_policy_set_add(embedsvc_policy_set *set, embedsvc_policy *policy, const char *name,
                                         embedsvc_error *err);

/**
 * Loads every policy file of a directory into a new set: the files whose
 * names end in `.json` but not in `.tests.json`, in byte order of their names.
 * @param dir the directory.
 * @param alloc allocator for the set and its policies, or NULL.
 * @param[out] out receives the set; NULL on failure.
 * @param err filled on failure, or NULL: the error of the first file that does
 *        not load, or of embedsvc_policy_set_add(), with the file's name at the
 *        start of the message; `policy.invalid` for a directory with no policy file.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EIO, ::EMBEDSVC_EPARSE, ::EMBEDSVC_EPOLICY or ::EMBEDSVC_ENOMEM.
 */
EMBEDSVC_API int embedsvc_policy_set_load_dir(const char *dir, const embedsvc_allocator *alloc,
                                              embedsvc_policy_set **out, embedsvc_error *err);

/**
 * Frees a set and its policies.
 * @param set the set, or NULL.
 */
EMBEDSVC_API void embedsvc_policy_set_free(embedsvc_policy_set *set);

/**
 * Returns the number of versions.
 * @param set the set.
 * @return the count (0 for NULL).
 */
EMBEDSVC_API size_t embedsvc_policy_set_count(const embedsvc_policy_set *set);

/**
 * Returns a version, in the order of `effective_from` (an open start first).
 * @param set the set.
 * @param index the version, 0-based.
 * @return the policy (owned by the set), or NULL when @p index is out of range.
 */
EMBEDSVC_API const embedsvc_policy *embedsvc_policy_set_policy(const embedsvc_policy_set *set, size_t index);

/**
 * Returns the version for a date, by the rule of this group.
 * @param set the set.
 * @param date a `YYYY-MM-DD` date, or NULL (or anything that is not a valid date) for none.
 * @param len length of @p date in bytes.
 * @return the version (owned by the set), or NULL for an empty set.
 */
EMBEDSVC_API const embedsvc_policy *embedsvc_policy_set_select(const embedsvc_policy_set *set, const char *date,
                                                               size_t len);

/**
 * Returns the version for the `application_date` of a project document
 * (embedsvc.project/1 JSON), read without validating the rest of it: a
 * document that does not parse, or has no valid date, gets the latest version
 * (for a batch, whose error line then comes from that version's parse).
 * @param set the set.
 * @param data the project's JSON text.
 * @param len its length in bytes.
 * @return the version, or NULL for an empty set.
 */
EMBEDSVC_API const embedsvc_policy *embedsvc_policy_set_select_json(const embedsvc_policy_set *set,
                                                                    const char *data, size_t len);

/**
 * Evaluates a project under the version for its `application_date`; the
 * result's policy stamp names that version.
 * @param set the set.
 * @param project a parsed project.
 * @param result the result to fill.
 * @param err filled on failure, or NULL.
 * @return as embedsvc_evaluate(); ::EMBEDSVC_EINVAL for an empty set.
 */
EMBEDSVC_API int embedsvc_policy_set_evaluate(const embedsvc_policy_set *set, const embedsvc_project *project,
                                              embedsvc_result *result, embedsvc_error *err);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_POLICYSET_H */
