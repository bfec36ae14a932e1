/* Shared declarations of the libFuzzer harnesses and of the standalone corpus replay driver.
 *
 * Every harness defines LLVMFuzzerTestOneInput(). Built with -fsanitize=fuzzer it is driven by
 * libFuzzer; built with standalone.c (any compiler, no sanitizer needed) it replays the committed
 * corpus in `meson test --suite fuzz`. A harness checks invariants, not only survival: a violation
 * prints what broke and aborts, which both libFuzzer and the replay test report as a failure. */
#ifndef EMBEDSVC_FUZZ_H
#define EMBEDSVC_FUZZ_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "file:line: invariant broken: what" and aborts. */
__attribute__((noreturn)) void fuzz_fail(const char *file, int line, const char *what);

#define FUZZ_CHECK(cond)                                  \
    do {                                                  \
        if (!(cond))                                      \
            fuzz_fail(__FILE__, __LINE__, #cond);         \
    } while (0)

/* The compiled-in default policy, loaded once per process (never freed: it stays reachable). */
const embedsvc_policy *fuzz_default_policy(void);

/* Parses JSON text with the library's own reader (a parser kept per process) and aborts when it
 * does not parse; returns the root. The tree is valid until the next call. */
const esv_jval *fuzz_parse_json(const char *json, size_t len);

/* Checks a filled embedsvc_error after a failure with status rc: status and code set, message and
 * path valid UTF-8, position inside the document of doc_len bytes (doc_len SIZE_MAX: no document). */
void fuzz_check_error(const embedsvc_error *err, int rc, size_t doc_len);

/* Checks every invariant of an evaluated result (reference §3, §6): sums, the cap, the class amounts,
 * the findings and their messages, and that its JSON (written twice, byte for byte the same)
 * parses with the library's reader and says what the accessors say. Returns the JSON, owned by
 * the result. */
const char *fuzz_check_result(const embedsvc_policy *policy, const embedsvc_project *project,
                              embedsvc_result *result, size_t *json_len);

/* Evaluates project under policy into a fresh result, checks it, and returns a malloc'd copy of
 * its JSON (the caller frees it). Aborts when the evaluation fails. */
char *fuzz_evaluate_checked(const embedsvc_policy *policy, const embedsvc_project *project, size_t *json_len);

#endif
