/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief Version of the header and of the library linked.
 *
 * Part of the public API of libembedsvc. Include `<embedsvc.h>` for all of it,
 * or this header alone: it includes what it needs.
 */
#ifndef EMBEDSVC_VERSION_H
#define EMBEDSVC_VERSION_H

#include "embedsvc/export.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* EMBEDSVC_VERSION_H */
