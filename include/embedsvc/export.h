/*
 * libembedsvc — community embedded service facility policy as code.
 * SPDX-License-Identifier: MIT
 */

/**
 * @file
 * @brief The export macro of the public API, and how to link statically.
 *
 * Every public function is declared with `EMBEDSVC_API`. Building libembedsvc
 * defines `EMBEDSVC_BUILDING`, which exports the symbols (with default
 * visibility; everything else is hidden). A program that links the **static**
 * library `libembedsvc.a` on Windows defines `EMBEDSVC_STATIC` before
 * including any header (`pkg-config --cflags --static libembedsvc` gives it),
 * so that the functions are not declared `__declspec(dllimport)`; on other
 * systems `EMBEDSVC_STATIC` changes nothing and may always be defined.
 */
#ifndef EMBEDSVC_EXPORT_H
#define EMBEDSVC_EXPORT_H

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

#endif /* EMBEDSVC_EXPORT_H */
