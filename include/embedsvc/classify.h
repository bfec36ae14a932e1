/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Classification of a free-text function name (reference §4).
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_CLASSIFY_H
#define EMBEDSVC_CLASSIFY_H

#include "embedsvc/export.h"
#include <stddef.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/policy.h"
#include "embedsvc/vocabulary.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup classify Classification
 * @{
 */

/** Kind of match of a classification (reference §4). */
typedef enum embedsvc_match {
    EMBEDSVC_MATCH_NONE = 0,      /**< `none`: no term matched. */
    EMBEDSVC_MATCH_EXACT = 1,     /**< `exact`: the text equals a term. */
    EMBEDSVC_MATCH_CONTAINS = 2,  /**< `contains`: the text contains the longest term(s) of one target. */
    EMBEDSVC_MATCH_AMBIGUOUS = 3  /**< `ambiguous`: the longest terms belong to several targets. */
} embedsvc_match;

/** The outcome of embedsvc_classify(), reusable across calls. */
typedef struct embedsvc_classification embedsvc_classification;

/**
 * Creates a classification object.
 * @param alloc allocator, or NULL.
 * @param[out] out receives the object; free it with embedsvc_classification_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_classification_new(const embedsvc_allocator *alloc, embedsvc_classification **out);

/**
 * Frees a classification object.
 * @param c the object, or NULL.
 */
EMBEDSVC_API void embedsvc_classification_free(embedsvc_classification *c);

/**
 * Classifies free text (a facility or service name) against a policy (reference §4).
 * The object refers to @p policy until the next call; keep the policy alive while reading it.
 * @param policy the policy.
 * @param text UTF-8 text.
 * @param len its length in bytes.
 * @param out the object to fill.
 * @param err filled on failure, or NULL (`parse.encoding` for invalid UTF-8).
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPARSE, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_classify(const embedsvc_policy *policy, const char *text, size_t len,
                                   embedsvc_classification *out, embedsvc_error *err);

/**
 * Returns the kind of match.
 * @param c a filled classification.
 * @return an ::embedsvc_match.
 */
EMBEDSVC_API embedsvc_match embedsvc_classification_match(const embedsvc_classification *c);

/**
 * Returns the scenario found.
 * @param c a filled classification.
 * @return the scenario's index in the policy, or -1 (none, ambiguous, or an item with no scenario).
 */
EMBEDSVC_API int embedsvc_classification_scenario(const embedsvc_classification *c);

/**
 * Returns the item found.
 * @param c a filled classification.
 * @return the item's index in the policy, or -1 when the target is a scenario or nothing.
 */
EMBEDSVC_API int embedsvc_classification_item(const embedsvc_classification *c);

/**
 * Returns the class found.
 * @param c a filled classification.
 * @return an ::embedsvc_class; ::EMBEDSVC_CLASS_NONE when unknown.
 */
EMBEDSVC_API embedsvc_class embedsvc_classification_class(const embedsvc_classification *c);

/**
 * Returns the matched term (for exact and contains matches, and the first
 * kept term for ambiguous ones).
 * @param c a filled classification.
 * @return the term as written in the policy, or NULL for no match.
 */
EMBEDSVC_API const char *embedsvc_classification_term(const embedsvc_classification *c);

/**
 * Returns the number of competing targets of an ambiguous match.
 * @param c a filled classification.
 * @return 0 unless the match is ::EMBEDSVC_MATCH_AMBIGUOUS.
 */
EMBEDSVC_API size_t embedsvc_classification_candidate_count(const embedsvc_classification *c);

/**
 * Returns one competing target of an ambiguous match, in policy order.
 * @param c a filled classification.
 * @param i the candidate's index.
 * @param[out] scenario receives the target's scenario index or -1; may be NULL.
 * @param[out] item receives the target's item index, or -1 when the target is a scenario; may be NULL.
 * @return ::EMBEDSVC_OK or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_classification_candidate(const embedsvc_classification *c, size_t i, int *scenario,
                                                   int *item);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_CLASSIFY_H */
