/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Service classes, build modes, layouts, operation models, stages, severities and their codes.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_VOCABULARY_H
#define EMBEDSVC_VOCABULARY_H

#include "embedsvc/export.h"
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup vocabulary Vocabulary
 * @{
 */

/** Service class (服务类别, reference §1.2). */
typedef enum embedsvc_class {
    EMBEDSVC_CLASS_NONE = -1,          /**< Unknown or not determined. */
    EMBEDSVC_CLASS_BASIC_PUBLIC = 0,   /**< 基本公共服务类 `basic_public`. */
    EMBEDSVC_CLASS_INCLUSIVE = 1,      /**< 普惠非基本公共服务类 `inclusive`. */
    EMBEDSVC_CLASS_COMMERCIAL = 2      /**< 便民商业类 `commercial`. */
} embedsvc_class;

/** Number of service classes. */
#define EMBEDSVC_CLASS_COUNT 3

/** Build mode (建设方式, reference §1.5). */
typedef enum embedsvc_build_mode {
    EMBEDSVC_BUILD_NEW = 0,        /**< 新建 `new`. */
    EMBEDSVC_BUILD_EXPANSION = 1,  /**< 改扩建 `expansion`. */
    EMBEDSVC_BUILD_RENOVATION = 2, /**< 存量设施改造 `renovation`. */
    EMBEDSVC_BUILD_OTHER = 3       /**< 其他 `other`. */
} embedsvc_build_mode;

/** Layout (布局, reference §1.5). */
typedef enum embedsvc_layout {
    EMBEDSVC_LAYOUT_COMPLEX = 0,   /**< 综合体 `complex`. */
    EMBEDSVC_LAYOUT_SCATTERED = 1  /**< 插花式 `scattered`. */
} embedsvc_layout;

/** Operation model (运营模式, reference §1.5). */
typedef enum embedsvc_operation_model {
    EMBEDSVC_OPERATION_PUBLIC_BUILT_PRIVATE_RUN = 0, /**< 公建民营 `public_built_private_run`. */
    EMBEDSVC_OPERATION_PRIVATE_RUN_PUBLIC_AIDED = 1, /**< 民办公助 `private_run_public_aided`. */
    EMBEDSVC_OPERATION_GOVERNMENT_PURCHASE = 2,      /**< 政府购买服务 `government_purchase`. */
    EMBEDSVC_OPERATION_OTHER = 3                     /**< 其他 `other`. */
} embedsvc_operation_model;

/** Stage of the funding process (reference §1.5, §9, `四、2`). */
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
 * its classes (embedsvc_policy_class_name() with ::EMBEDSVC_NAME_ZH).
 * @param kind which enumeration.
 * @param value a value of it.
 * @return a static UTF-8 string, or NULL when @p value is not a value of @p kind.
 */
EMBEDSVC_API const char *embedsvc_enum_name_zh(embedsvc_enum kind, int value);

/**
 * Translates a code or an exact Chinese name to an enumeration value. There
 * is no case folding or trimming (reference §1).
 * @param kind which enumeration.
 * @param text the code or Chinese name.
 * @param len length of @p text in bytes.
 * @return the value (>= 0), or -1 when @p text names no value.
 */
EMBEDSVC_API int embedsvc_enum_parse(embedsvc_enum kind, const char *text, size_t len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_VOCABULARY_H */
