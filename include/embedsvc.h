/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file embedsvc.h
 * @brief The public C API of libembedsvc.
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
 * ::embedsvc_classification or ::embedsvc_batch may be used by one thread at a
 * time; distinct objects may be used concurrently.
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

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond EMBEDSVC_INTERNAL */
#if defined(_WIN32) && defined(EMBEDSVC_BUILDING)
#define EMBEDSVC_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(EMBEDSVC_STATIC)
#define EMBEDSVC_API __declspec(dllimport)
#elif defined(__GNUC__) && defined(EMBEDSVC_BUILDING)
#define EMBEDSVC_API __attribute__((visibility("default")))
#else
#define EMBEDSVC_API
#endif
/** @endcond */

/**
 * @defgroup version Version
 * @{
 */

/** Major version of the library this header belongs to. */
#define EMBEDSVC_VERSION_MAJOR 0
/** Minor version of the library this header belongs to. */
#define EMBEDSVC_VERSION_MINOR 1
/** Patch version of the library this header belongs to. */
#define EMBEDSVC_VERSION_PATCH 0
/** The version as one number: major * 10000 + minor * 100 + patch. */
#define EMBEDSVC_VERSION_NUMBER \
    (EMBEDSVC_VERSION_MAJOR * 10000 + EMBEDSVC_VERSION_MINOR * 100 + EMBEDSVC_VERSION_PATCH)
/** The version as text, "major.minor.patch". */
#define EMBEDSVC_VERSION_STRING "0.1.0"
/** The ABI version: the number in the SONAME `libembedsvc.so.N`. */
#define EMBEDSVC_ABI_VERSION 1

/**
 * Returns the version number of the library actually linked
 * (compare with ::EMBEDSVC_VERSION_NUMBER).
 * @return major * 10000 + minor * 100 + patch.
 */
EMBEDSVC_API int embedsvc_version(void);

/**
 * Returns the version of the library actually linked, as text.
 * @return a static string such as "0.1.0".
 */
EMBEDSVC_API const char *embedsvc_version_string(void);

/**
 * Returns the ABI version of the library actually linked.
 * @return the N of `libembedsvc.so.N`.
 */
EMBEDSVC_API int embedsvc_abi_version(void);

/** @} */

/**
 * @defgroup errors Status codes and errors
 * @{
 */

/** Return status of the library's functions: 0 or a negative code. */
typedef enum embedsvc_status {
    EMBEDSVC_OK = 0,          /**< Success. */
    EMBEDSVC_EINVAL = -1,     /**< An argument is invalid (NULL handle, index out of range, bad enum). */
    EMBEDSVC_ENOMEM = -2,     /**< An allocation failed; nothing was changed or leaked. */
    EMBEDSVC_EPARSE = -3,     /**< The input does not parse or does not validate; see the error's code. */
    EMBEDSVC_EPOLICY = -4,    /**< A policy parses but is inconsistent (`policy.invalid`). */
    EMBEDSVC_EIO = -5,        /**< A file could not be read. */
    EMBEDSVC_ERANGE = -6,     /**< An arithmetic result does not fit, or a value is out of range. */
    EMBEDSVC_ESTATE = -7      /**< The operation does not apply in this state (e.g. disbursed above approved). */
} embedsvc_status;

/** Size of embedsvc_error::code, including the terminating NUL. */
#define EMBEDSVC_ERROR_CODE_SIZE 32
/** Size of embedsvc_error::message, including the terminating NUL. */
#define EMBEDSVC_ERROR_MESSAGE_SIZE 256
/** Size of embedsvc_error::path, including the terminating NUL. */
#define EMBEDSVC_ERROR_PATH_SIZE 512

/**
 * A caller-owned description of a failure.
 *
 * Initialise it with ::EMBEDSVC_ERROR_INIT: the library writes only the
 * fields that fit in @ref size bytes, so a program compiled against this
 * header keeps working with a later library whose struct has grown.
 */
typedef struct embedsvc_error {
    /** `sizeof(embedsvc_error)` as the caller knows it; set by ::EMBEDSVC_ERROR_INIT. */
    size_t size;
    /** The ::embedsvc_status returned with this error. */
    int status;
    /** Line of the error in the input, 1-based; 0 when not about a position. */
    uint32_t line;
    /** Column of the error, 1-based, counting Unicode code points; 0 when not about a position. */
    uint32_t column;
    /** Byte offset of the error from the start of the input. */
    uint64_t offset;
    /** Machine-readable code of SPEC §10, e.g. "parse.syntax", "money.precision", "policy.invalid". */
    char code[EMBEDSVC_ERROR_CODE_SIZE];
    /** Human-readable English message. */
    char message[EMBEDSVC_ERROR_MESSAGE_SIZE];
    /** JSON pointer (RFC 6901) to the offending value; "" for the whole document. Truncated with "..." when longer. */
    char path[EMBEDSVC_ERROR_PATH_SIZE];
} embedsvc_error;

/** Initialiser of an ::embedsvc_error. */
#define EMBEDSVC_ERROR_INIT {sizeof(embedsvc_error), 0, 0, 0, 0, "", "", ""}

/**
 * Returns the name of a status code.
 * @param status an ::embedsvc_status value.
 * @return a static string such as "EMBEDSVC_ENOMEM"; "EMBEDSVC_UNKNOWN" for other values.
 */
EMBEDSVC_API const char *embedsvc_status_name(int status);

/** @} */

/**
 * @defgroup memory Memory
 * @{
 */

/**
 * A custom allocator. All three functions are required; `ctx` is passed back
 * to each. `realloc_fn` is never called with a NULL pointer or a zero size,
 * and `free_fn` never with NULL.
 */
typedef struct embedsvc_allocator {
    /** Allocates `size` bytes (never 0); returns NULL on failure. */
    void *(*malloc_fn)(void *ctx, size_t size);
    /** Resizes a block to `size` bytes; returns NULL on failure, leaving the block intact. */
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    /** Frees a block. */
    void (*free_fn)(void *ctx, void *ptr);
    /** Passed to every call. */
    void *ctx;
} embedsvc_allocator;

/** @} */

/**
 * @defgroup vocabulary Vocabulary
 * @{
 */

/** Service class (服务类别, SPEC §1.2). */
typedef enum embedsvc_class {
    EMBEDSVC_CLASS_NONE = -1,          /**< Unknown or not determined. */
    EMBEDSVC_CLASS_BASIC_PUBLIC = 0,   /**< 基本公共服务类 `basic_public`. */
    EMBEDSVC_CLASS_INCLUSIVE = 1,      /**< 普惠非基本公共服务类 `inclusive`. */
    EMBEDSVC_CLASS_COMMERCIAL = 2      /**< 便民商业类 `commercial`. */
} embedsvc_class;

/** Number of service classes. */
#define EMBEDSVC_CLASS_COUNT 3

/** Build mode (建设方式, SPEC §1.5). */
typedef enum embedsvc_build_mode {
    EMBEDSVC_BUILD_NEW = 0,        /**< 新建 `new`. */
    EMBEDSVC_BUILD_EXPANSION = 1,  /**< 改扩建 `expansion`. */
    EMBEDSVC_BUILD_RENOVATION = 2, /**< 存量设施改造 `renovation`. */
    EMBEDSVC_BUILD_OTHER = 3       /**< 其他 `other`. */
} embedsvc_build_mode;

/** Layout (布局, SPEC §1.5). */
typedef enum embedsvc_layout {
    EMBEDSVC_LAYOUT_COMPLEX = 0,   /**< 综合体 `complex`. */
    EMBEDSVC_LAYOUT_SCATTERED = 1  /**< 插花式 `scattered`. */
} embedsvc_layout;

/** Operation model (运营模式, SPEC §1.5). */
typedef enum embedsvc_operation_model {
    EMBEDSVC_OPERATION_PUBLIC_BUILT_PRIVATE_RUN = 0, /**< 公建民营 `public_built_private_run`. */
    EMBEDSVC_OPERATION_PRIVATE_RUN_PUBLIC_AIDED = 1, /**< 民办公助 `private_run_public_aided`. */
    EMBEDSVC_OPERATION_GOVERNMENT_PURCHASE = 2,      /**< 政府购买服务 `government_purchase`. */
    EMBEDSVC_OPERATION_OTHER = 3                     /**< 其他 `other`. */
} embedsvc_operation_model;

/** Stage of the funding process (SPEC §1.5, §9, `四、2`). */
typedef enum embedsvc_stage {
    EMBEDSVC_STAGE_CALL = 0,          /**< 征集 `call`. */
    EMBEDSVC_STAGE_APPLICATION = 1,   /**< 申报 `application`. */
    EMBEDSVC_STAGE_JOINT_REVIEW = 2,  /**< 联合审查 `joint_review`. */
    EMBEDSVC_STAGE_FUND_APPROVAL = 3, /**< 资金审批 `fund_approval`. */
    EMBEDSVC_STAGE_DISBURSEMENT = 4   /**< 资金下达 `disbursement`. */
} embedsvc_stage;

/** Severity of a finding. */
typedef enum embedsvc_severity {
    EMBEDSVC_SEVERITY_INFO = 0,    /**< `info`: for the record. */
    EMBEDSVC_SEVERITY_WARNING = 1, /**< `warning`: needs attention, does not decide eligibility. */
    EMBEDSVC_SEVERITY_ERROR = 2    /**< `error`: the project is not eligible. */
} embedsvc_severity;

/** The enumerations whose codes embedsvc_enum_code() and embedsvc_enum_parse() translate. */
typedef enum embedsvc_enum {
    EMBEDSVC_ENUM_CLASS = 0,           /**< ::embedsvc_class */
    EMBEDSVC_ENUM_BUILD_MODE = 1,      /**< ::embedsvc_build_mode */
    EMBEDSVC_ENUM_LAYOUT = 2,          /**< ::embedsvc_layout */
    EMBEDSVC_ENUM_OPERATION_MODEL = 3, /**< ::embedsvc_operation_model */
    EMBEDSVC_ENUM_STAGE = 4,           /**< ::embedsvc_stage */
    EMBEDSVC_ENUM_SEVERITY = 5         /**< ::embedsvc_severity */
} embedsvc_enum;

/**
 * Returns the ASCII code of an enumeration value, e.g. "basic_public".
 * @param kind which enumeration.
 * @param value a value of it.
 * @return a static string, or NULL when @p value is not a value of @p kind.
 */
EMBEDSVC_API const char *embedsvc_enum_code(embedsvc_enum kind, int value);

/**
 * Returns the Chinese name of an enumeration value, e.g. "基本公共服务类".
 * For ::EMBEDSVC_ENUM_CLASS these are the default names; a policy may rename
 * its classes (embedsvc_policy_class_name_zh()).
 * @param kind which enumeration.
 * @param value a value of it.
 * @return a static UTF-8 string, or NULL when @p value is not a value of @p kind.
 */
EMBEDSVC_API const char *embedsvc_enum_name_zh(embedsvc_enum kind, int value);

/**
 * Translates a code or an exact Chinese name to an enumeration value. There
 * is no case folding or trimming (SPEC §1).
 * @param kind which enumeration.
 * @param text the code or Chinese name.
 * @param len length of @p text in bytes.
 * @return the value (>= 0), or -1 when @p text names no value.
 */
EMBEDSVC_API int embedsvc_enum_parse(embedsvc_enum kind, const char *text, size_t len);

/** @} */

/**
 * @defgroup policy Policies
 * @{
 */

/** An immutable, thread-shareable policy (SPEC §8). */
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
 * Loads an `embedsvc.policy/1` document from memory and checks it (SPEC §8).
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
 * keys in the order of SPEC §8), which loads back to an equal policy.
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
    EMBEDSVC_RULE_MAX_OPERATING_MARGIN = 7 /**< `rules.max_operating_margin_bp` (optional; null or absent: check off). */
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

/**
 * @defgroup classify Classification
 * @{
 */

/** Kind of match of a classification (SPEC §4). */
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
 * Classifies free text (a facility or service name) against a policy (SPEC §4).
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

/**
 * @defgroup project Projects
 * @{
 */

/** One project application (SPEC §5), reusable across parses. */
typedef struct embedsvc_project embedsvc_project;

/** Maximum number of functions of a project. */
#define EMBEDSVC_MAX_FUNCTIONS 64

/**
 * Creates an empty project.
 * @param alloc allocator, or NULL.
 * @param[out] out receives the project; free it with embedsvc_project_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_project_new(const embedsvc_allocator *alloc, embedsvc_project **out);

/**
 * Frees a project.
 * @param project the project, or NULL.
 */
EMBEDSVC_API void embedsvc_project_free(embedsvc_project *project);

/**
 * Empties a project, keeping its memory for reuse.
 * @param project the project.
 */
EMBEDSVC_API void embedsvc_project_clear(embedsvc_project *project);

/**
 * Parses an `embedsvc.project/1` document into @p project, replacing its
 * content. All checks of SPEC §5 and §10 are made; the first defect is
 * reported with its position and JSON path, and the project is then empty.
 * @param project the project to fill.
 * @param data the JSON text.
 * @param len its length in bytes.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPARSE or ::EMBEDSVC_ENOMEM.
 */
EMBEDSVC_API int embedsvc_project_parse(embedsvc_project *project, const char *data, size_t len,
                                        embedsvc_error *err);

/** Fields of a project and of its functions, for the builder API. */
typedef enum embedsvc_field {
    EMBEDSVC_FIELD_ID = 0,                     /**< `id`: text. */
    EMBEDSVC_FIELD_NAME = 1,                   /**< `name`: text. */
    EMBEDSVC_FIELD_DISTRICT = 2,               /**< `district`: text. */
    EMBEDSVC_FIELD_STREET = 3,                 /**< `street`: text. */
    EMBEDSVC_FIELD_COMMUNITY = 4,              /**< `community`: text. */
    EMBEDSVC_FIELD_APPLICATION_DATE = 5,       /**< `application_date`: YYYY-MM-DD. */
    EMBEDSVC_FIELD_BUILD_MODE = 6,             /**< `build_mode`: code or Chinese name; integer ::embedsvc_build_mode. */
    EMBEDSVC_FIELD_LAYOUT = 7,                 /**< `layout`: code or Chinese name; integer ::embedsvc_layout. */
    EMBEDSVC_FIELD_TOTAL_INVESTMENT = 8,       /**< `total_investment`: yuan as text; integer fen. */
    EMBEDSVC_FIELD_INCLUSIVE_RATE = 9,         /**< `inclusive_rate`: decimal text; integer basis points. */
    EMBEDSVC_FIELD_WALK_MINUTES = 10,          /**< `walk_minutes`: integer 0–1440. */
    EMBEDSVC_FIELD_OPERATION_MODEL = 11,       /**< `operation_model`: code or Chinese name; integer ::embedsvc_operation_model. */
    EMBEDSVC_FIELD_EXEMPTION_REASON = 12,      /**< `exemption_reason`: text. */
    EMBEDSVC_FIELD_STAGE = 13,                 /**< `stage`: code or Chinese name; integer ::embedsvc_stage. */
    EMBEDSVC_FIELD_RESIDENTS_CONSULTED = 14,   /**< `residents_consulted`: "true"/"false"; integer 0/1. */
    EMBEDSVC_FIELD_FEASIBILITY_APPROVED = 15,  /**< `feasibility_approved`: "true"/"false"; integer 0/1. */
    EMBEDSVC_FIELD_ESTIMATE_DEPTH_REPORT = 16, /**< `estimate_depth_report`: "true"/"false"; integer 0/1. */
    EMBEDSVC_FIELD_PROGRESS = 17,              /**< `progress`: decimal text; integer basis points. */
    EMBEDSVC_FIELD_APPROVED = 18,              /**< `approved`: yuan as text; integer fen. */
    EMBEDSVC_FIELD_DISBURSED = 19,             /**< `disbursed`: yuan as text; integer fen. */
    EMBEDSVC_FIELD_ANNUAL_REVENUE = 20,        /**< `annual_revenue`: yuan as text; integer fen (operation check, `三、(三)`). */
    EMBEDSVC_FIELD_ANNUAL_COST = 21,           /**< `annual_cost`: yuan as text; integer fen (operation check, `三、(三)`). */
    EMBEDSVC_FIELD_SCENARIO = 32,              /**< function `scenario`: text (code or Chinese name). */
    EMBEDSVC_FIELD_SERVICE_CLASS = 33,         /**< function `service_class`: code or Chinese name; integer ::embedsvc_class. */
    EMBEDSVC_FIELD_ITEM = 34,                  /**< function `item`: text. */
    EMBEDSVC_FIELD_LABEL = 35,                 /**< function `label`: text. */
    EMBEDSVC_FIELD_FLOOR_AREA = 36,            /**< function `floor_area_m2`: decimal text; integer hundredths of m². */
    EMBEDSVC_FIELD_INVESTMENT = 37             /**< function `investment`: yuan as text; integer fen. */
} embedsvc_field;

/** The @p function argument of the setters that addresses the project itself. */
#define EMBEDSVC_PROJECT_LEVEL (-1)

/**
 * Appends an empty function to a project.
 * @param project the project.
 * @param[out] index receives the new function's index, or NULL.
 * @return ::EMBEDSVC_OK, or ::EMBEDSVC_ERANGE when it already has ::EMBEDSVC_MAX_FUNCTIONS.
 */
EMBEDSVC_API int embedsvc_project_add_function(embedsvc_project *project, size_t *index);

/**
 * Returns the number of functions of a project.
 * @param project the project.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_project_function_count(const embedsvc_project *project);

/**
 * Sets a field from text, exactly as the JSON field's value would be read
 * (a JSON string's content or a number's token): the same checks and error
 * codes as embedsvc_project_parse(), with the field's JSON path in @p err.
 * @param project the project.
 * @param function ::EMBEDSVC_PROJECT_LEVEL for a project field, else a function index.
 * @param field the field.
 * @param text the value.
 * @param len its length in bytes.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPARSE, ::EMBEDSVC_EINVAL or ::EMBEDSVC_ENOMEM.
 */
EMBEDSVC_API int embedsvc_project_set_text(embedsvc_project *project, int function, embedsvc_field field,
                                           const char *text, size_t len, embedsvc_error *err);

/**
 * Sets a numeric, boolean or enumerated field from its integer form (fen,
 * basis points, hundredths of m², minutes, 0/1, enum value), with the ranges of SPEC §2 and §5.
 * @param project the project.
 * @param function ::EMBEDSVC_PROJECT_LEVEL for a project field, else a function index.
 * @param field the field.
 * @param value the value.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EPARSE (out of range) or ::EMBEDSVC_EINVAL (not such a field).
 */
EMBEDSVC_API int embedsvc_project_set_int(embedsvc_project *project, int function, embedsvc_field field,
                                          int64_t value, embedsvc_error *err);

/**
 * Removes a field's value (an optional field then counts as absent).
 * @param project the project.
 * @param function ::EMBEDSVC_PROJECT_LEVEL or a function index.
 * @param field the field.
 * @return ::EMBEDSVC_OK or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_project_unset(embedsvc_project *project, int function, embedsvc_field field);

/**
 * Reads a text field (text fields and `application_date`).
 * @param project the project.
 * @param function ::EMBEDSVC_PROJECT_LEVEL or a function index.
 * @param field the field.
 * @return the value, or NULL when absent or not a text field.
 */
EMBEDSVC_API const char *embedsvc_project_get_text(const embedsvc_project *project, int function,
                                                   embedsvc_field field);

/**
 * Reads a numeric, boolean or enumerated field in its integer form.
 * @param project the project.
 * @param function ::EMBEDSVC_PROJECT_LEVEL or a function index.
 * @param field the field.
 * @param[out] value receives the value when present.
 * @return 1 when present, 0 when absent, ::EMBEDSVC_EINVAL when not such a field.
 */
EMBEDSVC_API int embedsvc_project_get_int(const embedsvc_project *project, int function, embedsvc_field field,
                                          int64_t *value);

/** @} */

/**
 * @defgroup evaluate Evaluation and results
 * @{
 */

/** The outcome of an evaluation (SPEC §6), reusable across evaluations. */
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
 * Evaluates a project under a policy (SPEC §3) into @p result, replacing its
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
 * Writes the result as `embedsvc.result/1` JSON (SPEC §6): compact, one line,
 * deterministic. The text is owned by @p result and valid until it is
 * evaluated into again or freed.
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

/** Counts of a result (`counts` of SPEC §6). */
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
 * Returns the number of checks (SPEC §3.2; always all of them, in table order).
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

/**
 * @defgroup process Funding process and disbursement (SPEC §9, `四、2`)
 *
 * The five stages run in order call → application → joint_review →
 * fund_approval → disbursement, and a case moves only to the next stage.
 * embedsvc_stage_check() lists every unmet precondition of a move;
 * embedsvc_disbursement() computes what may be paid now given construction
 * progress.
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
 * Checks whether a project may move to @p target (SPEC §9): the target must be
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
 * Computes the amount that may be disbursed now (SPEC §9, an interpretation of
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

/**
 * @defgroup batch Batch evaluation (JSON Lines)
 * @{
 */

/** A JSON Lines batch (SPEC §7): line numbering, evaluation and a summary. */
typedef struct embedsvc_batch embedsvc_batch;

/**
 * Creates a batch that evaluates under @p policy.
 * @param policy the policy (kept by reference; keep it alive).
 * @param alloc allocator, or NULL.
 * @param[out] out receives the batch; free it with embedsvc_batch_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM, or ::EMBEDSVC_EINVAL (NULL @p out, or an allocator
 *         without all three functions).
 */
EMBEDSVC_API int embedsvc_batch_new(const embedsvc_policy *policy, const embedsvc_allocator *alloc,
                                    embedsvc_batch **out);

/**
 * Frees a batch.
 * @param batch the batch, or NULL.
 */
EMBEDSVC_API void embedsvc_batch_free(embedsvc_batch *batch);

/**
 * Processes the next physical line of the input (without its `\n`; a
 * trailing `\r` is removed here). Lines count from 1 across calls.
 * @param batch the batch.
 * @param line the line's bytes.
 * @param len their number.
 * @param[out] out receives the output line (result JSON, or the error line of
 *             SPEC §7), NUL-terminated, without a newline, owned by the batch
 *             and valid until the next call; NULL for a skipped blank line.
 * @param[out] out_len receives its length, or NULL.
 * @return 0 a result was written; 1 an error line was written; 2 the line was
 *         blank and skipped; a negative ::embedsvc_status when nothing could be
 *         written (::EMBEDSVC_ENOMEM).
 */
EMBEDSVC_API int embedsvc_batch_line(embedsvc_batch *batch, const char *line, size_t len, const char **out,
                                     size_t *out_len);

/**
 * Returns the result of the last line that gave a result (return value 0 of
 * embedsvc_batch_line()), to read with the result accessors.
 * @param batch the batch.
 * @return the result, owned by the batch.
 */
EMBEDSVC_API const embedsvc_result *embedsvc_batch_last_result(const embedsvc_batch *batch);

/** Totals of a batch, read with embedsvc_batch_stat(). */
typedef enum embedsvc_batch_stat_kind {
    EMBEDSVC_BATCH_LINES = 0,     /**< Physical lines seen. */
    EMBEDSVC_BATCH_PROJECTS = 1,  /**< Lines that gave a result. */
    EMBEDSVC_BATCH_ELIGIBLE = 2,  /**< Results that were eligible. */
    EMBEDSVC_BATCH_ERRORS = 3,    /**< Lines that gave an error line. */
    EMBEDSVC_BATCH_TOTAL_FEN = 4, /**< Sum of `total_fen` over the results. */
    EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE = 5 /**< Results that were subsidy-eligible. */
} embedsvc_batch_stat_kind;

/**
 * Reads a total of the batch so far.
 * @param batch the batch.
 * @param which which total.
 * @return the total, or -1 for a bad argument.
 */
EMBEDSVC_API int64_t embedsvc_batch_stat(const embedsvc_batch *batch, embedsvc_batch_stat_kind which);

/** @} */

/* ---- compare (issue 10) ---- */

/**
 * @defgroup compare Policy comparison (what-if)
 *
 * Evaluates one portfolio of projects under several policies in one pass —
 * the current policy and the reforms an analyst is weighing — and aggregates
 * what each would cost and who would lose or gain eligibility. The first
 * policy is the **baseline**: every change is measured against it.
 *
 * Each project is parsed once and evaluated under every policy, reusing one
 * result object per policy, so that a comparison allocates nothing per
 * project except for the rows it keeps. It keeps:
 *
 * - the **totals** of each policy (embedsvc_compare_total());
 * - the totals of each **district** (`district` of the project), in the order
 *   in which the districts are first seen; projects without a district form
 *   one group whose name is NULL (embedsvc_compare_district_value());
 * - the **changed projects**: those whose `eligible`, `subsidy_eligible` or
 *   `total_fen` under some policy differs from the baseline, in input order
 *   (embedsvc_compare_changed_value()). Projects that do not change are not
 *   stored, so memory grows with the changes and the districts, not with the
 *   portfolio.
 *
 * Every one of these is read with the same ::embedsvc_compare_value kinds: a
 * changed project is read as a portfolio of one.
 *
 * The aggregates equal, to the fen, the sums of embedsvc_evaluate() of each
 * project under each policy. embedsvc_compare_to_json() writes them as rows
 * ready for a data frame; embedsvc_compare_to_html() writes a self-contained
 * HTML report with inline SVG charts.
 * @{
 */

/** Maximum number of policies of one comparison. */
#define EMBEDSVC_COMPARE_MAX_POLICIES 16

/** A comparison of one portfolio under several policies. */
typedef struct embedsvc_compare embedsvc_compare;

/**
 * What a comparison counts and sums, per policy: over the whole portfolio
 * (embedsvc_compare_total()), a district (embedsvc_compare_district_value())
 * or one changed project (embedsvc_compare_changed_value(), where the counts
 * are 0 or 1). The "lost", "gained", "down", "up", "changed" and "delta"
 * kinds compare a project's result under the policy with its result under the
 * baseline (policy 0), and are 0 for the baseline itself. Kinds may be added
 * at the end in later versions; embedsvc_compare_value_name() returns NULL
 * past the last one.
 */
typedef enum embedsvc_compare_value {
    EMBEDSVC_COMPARE_PROJECTS = 0,                 /**< `projects`: projects evaluated. */
    EMBEDSVC_COMPARE_ELIGIBLE = 1,                 /**< `eligible`: projects that are eligible. */
    EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE = 2,         /**< `subsidy_eligible`: projects that are subsidy-eligible. */
    EMBEDSVC_COMPARE_CAPPED = 3,                   /**< `capped`: subsidy-eligible projects whose subsidy the cap reduced. */
    EMBEDSVC_COMPARE_TOTAL_FEN = 4,                /**< `total_fen`: the sum of `total_fen`. */
    EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN = 5,         /**< `basic_public_fen`: the sum of the basic public class amounts (after the cap). */
    EMBEDSVC_COMPARE_INCLUSIVE_FEN = 6,            /**< `inclusive_fen`: the sum of the inclusive class amounts (after the cap). */
    EMBEDSVC_COMPARE_COMMERCIAL_FEN = 7,           /**< `commercial_fen`: the sum of the commercial class amounts. */
    EMBEDSVC_COMPARE_LOST_ELIGIBLE = 8,            /**< `lost_eligible`: eligible under the baseline, not under this policy. */
    EMBEDSVC_COMPARE_GAINED_ELIGIBLE = 9,          /**< `gained_eligible`: not eligible under the baseline, eligible under this policy. */
    EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE = 10,   /**< `lost_subsidy_eligible`: subsidy-eligible under the baseline only. */
    EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE = 11, /**< `gained_subsidy_eligible`: subsidy-eligible under this policy only. */
    EMBEDSVC_COMPARE_SUBSIDY_DOWN = 12,            /**< `subsidy_down`: projects whose `total_fen` is lower than under the baseline. */
    EMBEDSVC_COMPARE_SUBSIDY_UP = 13,              /**< `subsidy_up`: projects whose `total_fen` is higher than under the baseline. */
    EMBEDSVC_COMPARE_CHANGED = 14,                 /**< `changed`: projects whose `eligible`, `subsidy_eligible` or `total_fen` differs from the baseline. */
    EMBEDSVC_COMPARE_DELTA_FEN = 15                /**< `delta_fen`: `total_fen` minus the baseline's (may be negative). */
} embedsvc_compare_value;

/**
 * Returns the name of a value kind, as used for the keys of
 * embedsvc_compare_to_json(), e.g. "total_fen".
 * @param which the kind.
 * @return a static string, or NULL past the last kind.
 */
EMBEDSVC_API const char *embedsvc_compare_value_name(embedsvc_compare_value which);

/**
 * Creates a comparison of the given policies; the first is the baseline.
 * @param policies the policies (kept by reference; keep them alive while the
 *                 comparison is used). The same policy may be given twice.
 * @param n their number, 1 to ::EMBEDSVC_COMPARE_MAX_POLICIES.
 * @param alloc allocator for all of the comparison's memory, or NULL.
 * @param[out] out receives the comparison; free it with embedsvc_compare_free().
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_EINVAL (no policy, too many, or a NULL one)
 *         or ::EMBEDSVC_ENOMEM.
 */
EMBEDSVC_API int embedsvc_compare_new(const embedsvc_policy *const *policies, size_t n,
                                      const embedsvc_allocator *alloc, embedsvc_compare **out);

/**
 * Frees a comparison.
 * @param compare the comparison, or NULL.
 */
EMBEDSVC_API void embedsvc_compare_free(embedsvc_compare *compare);

/**
 * Adds the next physical line of a JSON Lines portfolio (without its `\n`),
 * with the line semantics of SPEC §7 and embedsvc_batch_line(): a trailing
 * `\r` is removed, a line of white space only is skipped, and a line that
 * fails to parse or to evaluate under any of the policies is counted as an
 * error and adds nothing. Lines count from 1 across calls.
 * @param compare the comparison.
 * @param line the line's bytes.
 * @param len their number.
 * @param err filled with the line's parse or evaluation error when 1 is
 *            returned (its line and column are within the line), or NULL.
 * @return 0 the project was added; 1 the line is an error; 2 the line was
 *         blank; a negative ::embedsvc_status when nothing could be added
 *         (::EMBEDSVC_ENOMEM, or ::EMBEDSVC_ERANGE when a sum would overflow).
 */
EMBEDSVC_API int embedsvc_compare_line(embedsvc_compare *compare, const char *line, size_t len,
                                       embedsvc_error *err);

/**
 * Adds a parsed or built project: evaluates it under every policy and adds
 * it to the aggregates. Its line number (embedsvc_compare_changed_line()) is 0.
 * @param compare the comparison.
 * @param project the project.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK; the status of embedsvc_evaluate() when the project
 *         cannot be evaluated under a policy (nothing is added);
 *         ::EMBEDSVC_ENOMEM; ::EMBEDSVC_ERANGE when a sum would overflow.
 */
EMBEDSVC_API int embedsvc_compare_project(embedsvc_compare *compare, const embedsvc_project *project,
                                          embedsvc_error *err);

/** Counts of the input of a comparison, read with embedsvc_compare_stat(). */
typedef enum embedsvc_compare_stat_kind {
    EMBEDSVC_COMPARE_STAT_LINES = 0,    /**< Physical lines seen by embedsvc_compare_line(). */
    EMBEDSVC_COMPARE_STAT_PROJECTS = 1, /**< Projects added (by lines or embedsvc_compare_project()). */
    EMBEDSVC_COMPARE_STAT_ERRORS = 2    /**< Lines that were errors. */
} embedsvc_compare_stat_kind;

/**
 * Reads a count of the input so far.
 * @param compare the comparison.
 * @param which which count.
 * @return the count, or -1 for a bad argument.
 */
EMBEDSVC_API int64_t embedsvc_compare_stat(const embedsvc_compare *compare, embedsvc_compare_stat_kind which);

/**
 * Returns the number of policies compared.
 * @param compare the comparison.
 * @return the count (0 for NULL).
 */
EMBEDSVC_API size_t embedsvc_compare_policy_count(const embedsvc_compare *compare);

/**
 * Returns one of the policies compared.
 * @param compare the comparison.
 * @param policy the policy's index (0 is the baseline).
 * @return the policy, or NULL for a bad index.
 */
EMBEDSVC_API const embedsvc_policy *embedsvc_compare_policy(const embedsvc_compare *compare, size_t policy);

/**
 * Reads a total of the whole portfolio under one policy.
 * @param compare the comparison.
 * @param policy the policy's index.
 * @param which which value.
 * @return the value, or -1 for a bad argument (no valid value of a count or
 *         an amount is negative; ::EMBEDSVC_COMPARE_DELTA_FEN may be).
 */
EMBEDSVC_API int64_t embedsvc_compare_total(const embedsvc_compare *compare, size_t policy,
                                            embedsvc_compare_value which);

/**
 * Returns the number of districts seen.
 * @param compare the comparison.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_compare_district_count(const embedsvc_compare *compare);

/**
 * Returns the name of a district, in first-seen order.
 * @param compare the comparison.
 * @param district the district's index.
 * @return the project's `district` text, or NULL for the group of projects
 *         without a district (or a bad index).
 */
EMBEDSVC_API const char *embedsvc_compare_district_name(const embedsvc_compare *compare, size_t district);

/**
 * Reads a total of one district under one policy.
 * @param compare the comparison.
 * @param district the district's index.
 * @param policy the policy's index.
 * @param which which value.
 * @return the value, or -1 for a bad argument (as embedsvc_compare_total()).
 */
EMBEDSVC_API int64_t embedsvc_compare_district_value(const embedsvc_compare *compare, size_t district,
                                                     size_t policy, embedsvc_compare_value which);

/**
 * Returns the number of changed projects: those whose `eligible`,
 * `subsidy_eligible` or `total_fen` under some policy differs from the baseline.
 * @param compare the comparison.
 * @return the count.
 */
EMBEDSVC_API size_t embedsvc_compare_changed_count(const embedsvc_compare *compare);

/**
 * Returns a text field of a changed project, in input order.
 * @param compare the comparison.
 * @param index the changed project's index.
 * @param field ::EMBEDSVC_FIELD_ID, ::EMBEDSVC_FIELD_NAME or ::EMBEDSVC_FIELD_DISTRICT.
 * @return the text, or NULL when the project has none (or a bad argument).
 */
EMBEDSVC_API const char *embedsvc_compare_changed_text(const embedsvc_compare *compare, size_t index,
                                                       embedsvc_field field);

/**
 * Returns the input line of a changed project.
 * @param compare the comparison.
 * @param index the changed project's index.
 * @return the line number counted by embedsvc_compare_line(), 0 for a project
 *         added by embedsvc_compare_project(), or -1 for a bad index.
 */
EMBEDSVC_API int64_t embedsvc_compare_changed_line(const embedsvc_compare *compare, size_t index);

/**
 * Reads a value of one changed project under one policy, e.g. whether it is
 * eligible (0 or 1) or its `total_fen`.
 * @param compare the comparison.
 * @param index the changed project's index.
 * @param policy the policy's index.
 * @param which which value.
 * @return the value, or -1 for a bad argument (as embedsvc_compare_total()).
 */
EMBEDSVC_API int64_t embedsvc_compare_changed_value(const embedsvc_compare *compare, size_t index, size_t policy,
                                                    embedsvc_compare_value which);

/**
 * Writes the comparison as `embedsvc.compare/1` JSON: compact, one line,
 * deterministic. Besides the policies (`policies`) and the input counts, it
 * holds three lists of flat rows, ready for a data frame: `totals` (one row per
 * policy), `districts` (one row per district and policy) and `changes` (one
 * row per changed project and policy), each row with the policy's `policy`
 * id and `policy_index` and every value of ::embedsvc_compare_value under the
 * key embedsvc_compare_value_name() (in `changes`, without `projects`, and
 * with the counts as booleans). docs/compare.md shows an example.
 * @param compare the comparison.
 * @param[out] json receives the NUL-terminated text, owned by the comparison
 *             and valid until it is changed, written to JSON again, or freed.
 * @param[out] len receives its length in bytes, or NULL.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_compare_to_json(embedsvc_compare *compare, const char **json, size_t *len,
                                          embedsvc_error *err);

/**
 * Writes the comparison as one self-contained HTML document (UTF-8, inline
 * CSS and inline SVG charts, no script, nothing fetched from a network): the
 * policies, a summary table, the subsidy by class per policy, the subsidy by
 * district (the first 40 districts), the changes against the baseline per
 * policy, the projects whose eligibility or subsidy eligibility changes (a
 * chart of the first 30 and a table of the first 500; the number left out is
 * stated), and a table of the districts. All text from the data is escaped.
 * The output is deterministic (no date or time in it).
 * @param compare the comparison.
 * @param lang "zh" or "en": the language of the labels.
 * @param caption a line of text under the heading (e.g. the portfolio's file
 *                name), or NULL for none.
 * @param[out] html receives the NUL-terminated document, owned by the
 *             comparison and valid until it is changed, written to HTML
 *             again, or freed.
 * @param[out] len receives its length in bytes, or NULL.
 * @param err filled on failure, or NULL.
 * @return ::EMBEDSVC_OK, ::EMBEDSVC_ENOMEM or ::EMBEDSVC_EINVAL.
 */
EMBEDSVC_API int embedsvc_compare_to_html(embedsvc_compare *compare, const char *lang, const char *caption,
                                          const char **html, size_t *len, embedsvc_error *err);

/** @} */

/* ---- end compare ---- */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_H */

#include "embedsvc/derive.h"
