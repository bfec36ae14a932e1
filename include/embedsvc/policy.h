/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Policies: the compiled-in default, loading, the canonical writer and accessors.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_POLICY_H
#define EMBEDSVC_POLICY_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"
#include "embedsvc/vocabulary.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup policy Policies
 * @{
 */

/** An immutable, thread-shareable policy (reference §8). */
typedef struct embedsvc_policy embedsvc_policy;

/**
 * Creates the compiled-in default policy (`beijing-2024-trial`), built from
 * `policies/beijing-2024-trial.json`.
 * @param alloc allocator for the policy, or NULL for the C library's.
 * @param[out] out receives the policy; free it with embedsvc_policy_free().
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_policy_default(const embedsvc_allocator *alloc, embedsvc_policy **out,
                                         embedsvc_error *err);

/**
 * Returns the JSON text of the compiled-in default policy.
 * @param[out] len receives its length in bytes, or NULL.
 * @return the static, NUL-terminated text.
 */
EMBEDSVC_API const char *embedsvc_policy_default_json(size_t *len);

/**
 * Loads an `embedsvc.policy/1` document from memory and checks it (reference §8).
 * @param data the JSON text (need not be NUL-terminated).
 * @param len its length in bytes.
 * @param alloc allocator for the policy, or NULL.
 * @param[out] out receives the policy; set to NULL on failure.
 * @param err filled on failure, or NULL: a `parse.*` code, or `policy.invalid`
 *            with the JSON path of the inconsistency.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPARSE, ::EMBEDSVC_EPOLICY, ::EMBEDSVC_ENOMEM or
 *         ::EMBEDSVC_EINVAL (NULL @p out or @p data, or an incomplete allocator).
 */
EMBEDSVC_API int embedsvc_policy_load_buffer(const char *data, size_t len, const embedsvc_allocator *alloc,
                                             embedsvc_policy **out, embedsvc_error *err);

/**
 * Loads a policy file, as embedsvc_policy_load_buffer().
 * @param path the file's path.
 * @param alloc allocator for the policy, or NULL.
 * @param[out] out receives the policy; set to NULL on failure.
 * @param err filled on failure, or NULL.
 * @return as embedsvc_policy_load_buffer(), or ::EMBEDSVC_EIO when the file cannot be read.
 */
EMBEDSVC_API int embedsvc_policy_load_file(const char *path, const embedsvc_allocator *alloc,
                                           embedsvc_policy **out, embedsvc_error *err);

/**
 * Frees a policy. Results and classifications made with it must not be read afterwards.
 * @param policy the policy, or NULL.
 */
EMBEDSVC_API void embedsvc_policy_free(embedsvc_policy *policy);

/**
 * Writes the policy as canonical `embedsvc.policy/1` JSON (two-space indented,
 * keys in the order of reference §8), which loads back to an equal policy.
 * Works like snprintf(): at most @p size bytes including a NUL are written.
 * @param policy the policy.
 * @param buf destination, or NULL when @p size is 0.
 * @param size size of @p buf.
 * @param[out] needed receives the full length without the NUL.
 * @return ::EMBEDSVC_OK when it fit, ::EMBEDSVC_ERANGE when @p buf was too small,
 *         ::EMBEDSVC_ENOMEM when the text could not be built (the policy's allocator is used).
 */
EMBEDSVC_API int embedsvc_policy_to_json(const embedsvc_policy *policy, char *buf, size_t size, size_t *needed);

/**
 * Returns a text field of the policy.
 * @param policy the policy.
 * @param field one of "id", "version", "title_zh", "title_en", "effective_from", "effective_to".
 * @return the value, or NULL when it is absent/null or @p field is unknown.
 */
EMBEDSVC_API const char *embedsvc_policy_text(const embedsvc_policy *policy, const char *field);

/** Numeric rules of a policy, read with embedsvc_policy_rule(). */
typedef enum embedsvc_rule {
    EMBEDSVC_RULE_MIN_FUNCTIONS = 0,       /**< `rules.min_functions`. */
    EMBEDSVC_RULE_MIN_CORE_FUNCTIONS = 1,  /**< `rules.min_core_functions`. */
    EMBEDSVC_RULE_PREFERRED_SEVERITY = 2,  /**< `rules.preferred_severity`: an ::embedsvc_severity, or -1 for `off`. */
    EMBEDSVC_RULE_SUBSIDY_BUILD_MODES = 3, /**< `rules.subsidy_build_modes` as a bit set of 1 << ::embedsvc_build_mode. */
    EMBEDSVC_RULE_MAX_WALK_MINUTES = 4,    /**< `rules.max_walk_minutes` (may be null). */
    EMBEDSVC_RULE_CAP_FEN = 5,             /**< `subsidy.cap_fen` (may be null). */
    EMBEDSVC_RULE_CAP_PROPORTIONAL = 6,    /**< 1 when `subsidy.cap_allocation` is `proportional`, 0 for `basic_first`. */
    EMBEDSVC_RULE_MAX_OPERATING_MARGIN = 7 /**< `rules.max_operating_margin_bp` (optional; null or absent: check off). **Extension**: the operation check of `三、(三)` goes beyond the reference. */
} embedsvc_rule;

/**
 * Reads a numeric rule.
 * @param policy the policy.
 * @param rule which rule.
 * @param[out] value receives the value when set.
 * @return 1 when the rule has a value, 0 when it is null, ::EMBEDSVC_EINVAL for a bad argument.
 */
EMBEDSVC_API int embedsvc_policy_rule(const embedsvc_policy *policy, embedsvc_rule rule, int64_t *value);

/**
 * Returns the number of scenarios of the policy.
 * @param policy the policy.
 * @return 1 to 32.
 */
EMBEDSVC_API size_t embedsvc_policy_scenario_count(const embedsvc_policy *policy);

/**
 * Finds a scenario by code or exact Chinese name.
 * @param policy the policy.
 * @param text the code or name.
 * @param len its length in bytes.
 * @return the scenario's index, or -1.
 */
EMBEDSVC_API int embedsvc_policy_scenario_find(const embedsvc_policy *policy, const char *text, size_t len);

/** Text fields of a scenario or an item. */
typedef enum embedsvc_name {
    EMBEDSVC_NAME_CODE = 0, /**< The scenario code (scenarios only). */
    EMBEDSVC_NAME_ZH = 1,   /**< `name_zh`. */
    EMBEDSVC_NAME_EN = 2    /**< `name_en`. */
} embedsvc_name;

/**
 * Returns a name of a scenario.
 * @param policy the policy.
 * @param index the scenario's index.
 * @param which which name.
 * @return the name, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_policy_scenario_name(const embedsvc_policy *policy, size_t index,
                                                       embedsvc_name which);

/**
 * Returns the flags of a scenario.
 * @param policy the policy.
 * @param index the scenario's index.
 * @return a bit set: bit 0 core, bit 1 preferred, bits 8..10 the allowed classes
 *         (1 << (8 + ::embedsvc_class)); -1 for a bad index.
 */
EMBEDSVC_API int embedsvc_policy_scenario_flags(const embedsvc_policy *policy, size_t index);

/** embedsvc_policy_scenario_flags(): the scenario is core. */
#define EMBEDSVC_SCENARIO_CORE 0x1
/** embedsvc_policy_scenario_flags(): the scenario is preferred. */
#define EMBEDSVC_SCENARIO_PREFERRED 0x2
/** embedsvc_policy_scenario_flags(): the scenario allows class @p c. */
#define EMBEDSVC_SCENARIO_ALLOWS(c) (0x100 << (c))

/**
 * Returns the number of items of the policy.
 * @param policy the policy.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_policy_item_count(const embedsvc_policy *policy);

/**
 * Returns a name of an item (::EMBEDSVC_NAME_ZH or ::EMBEDSVC_NAME_EN).
 * @param policy the policy.
 * @param index the item's index.
 * @param which which name.
 * @return the name, or NULL for a bad index or ::EMBEDSVC_NAME_CODE.
 */
EMBEDSVC_API const char *embedsvc_policy_item_name(const embedsvc_policy *policy, size_t index,
                                                   embedsvc_name which);

/**
 * Returns the class of an item.
 * @param policy the policy.
 * @param index the item's index.
 * @return an ::embedsvc_class, or ::EMBEDSVC_CLASS_NONE for a bad index.
 */
EMBEDSVC_API int embedsvc_policy_item_class(const embedsvc_policy *policy, size_t index);

/**
 * Returns the scenario of an item.
 * @param policy the policy.
 * @param index the item's index.
 * @return the scenario's index, or -1 when the item has none (or for a bad index).
 */
EMBEDSVC_API int embedsvc_policy_item_scenario(const embedsvc_policy *policy, size_t index);

/**
 * Returns the number of aliases of a scenario (@p is_item 0) or an item (1).
 * @param policy the policy.
 * @param is_item 0 for a scenario, 1 for an item.
 * @param index the scenario's or item's index.
 * @return the count (0 for a bad index).
 */
EMBEDSVC_API size_t embedsvc_policy_alias_count(const embedsvc_policy *policy, int is_item, size_t index);

/**
 * Returns an alias of a scenario or an item.
 * @param policy the policy.
 * @param is_item 0 for a scenario, 1 for an item.
 * @param index the scenario's or item's index.
 * @param alias the alias's index.
 * @return the alias, or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_policy_alias(const embedsvc_policy *policy, int is_item, size_t index,
                                               size_t alias);

/**
 * Returns the number of non-service terms of the policy (`non_service_terms`, reference §4, §8):
 * names of things that are not community services. A text whose kept match is one of them
 * classifies as ::EMBEDSVC_MATCH_NONE with that term.
 * @param policy the policy.
 * @return the count; 0 for NULL.
 */
EMBEDSVC_API size_t embedsvc_policy_non_service_count(const embedsvc_policy *policy);

/**
 * Returns a non-service term, as written in the policy.
 * @param policy the policy.
 * @param index the term's index, in policy order.
 * @return the term (owned by the policy), or NULL for a bad index.
 */
EMBEDSVC_API const char *embedsvc_policy_non_service_term(const embedsvc_policy *policy, size_t index);

/**
 * Returns a name of a service class as the policy gives it.
 * @param policy the policy.
 * @param cls the class.
 * @param which ::EMBEDSVC_NAME_CODE, ::EMBEDSVC_NAME_ZH or ::EMBEDSVC_NAME_EN.
 * @return the name, or NULL for a bad argument.
 */
EMBEDSVC_API const char *embedsvc_policy_class_name(const embedsvc_policy *policy, embedsvc_class cls,
                                                    embedsvc_name which);

/**
 * Returns the subsidy rate of a class in basis points.
 * @param policy the policy.
 * @param cls the class.
 * @return 0 to 10000, or -1 for a bad argument.
 */
EMBEDSVC_API int embedsvc_policy_class_rate_bp(const embedsvc_policy *policy, embedsvc_class cls);

/**
 * Tells whether a class's rate is a maximum that a project may request below.
 * @param policy the policy.
 * @param cls the class.
 * @return 1 (`rate_is_max`), 0, or -1 for a bad argument.
 */
EMBEDSVC_API int embedsvc_policy_class_rate_is_max(const embedsvc_policy *policy, embedsvc_class cls);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_POLICY_H */
