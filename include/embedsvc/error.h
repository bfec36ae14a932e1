/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Status codes and the caller-owned error record.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_ERROR_H
#define EMBEDSVC_ERROR_H

#include "embedsvc/export.h"
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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
    /** Machine-readable code of reference §10, e.g. "parse.syntax", "money.precision", "policy.invalid". */
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

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_ERROR_H */
