/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Projects: parsing `embedsvc.project/1` JSON and building field by field.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_PROJECT_H
#define EMBEDSVC_PROJECT_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>
#include "embedsvc/error.h"
#include "embedsvc/memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup project Projects
 * @{
 */

/** One project application (reference §5), reusable across parses. */
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
 * content. All checks of reference §5 and §10 are made; the first defect is
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
 * basis points, hundredths of m², minutes, 0/1, enum value), with the ranges of reference §2 and §5.
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

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_PROJECT_H */
