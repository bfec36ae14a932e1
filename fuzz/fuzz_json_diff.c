/* Differential fuzzing of the JSON reader against jansson (tests/json_oracle.c): on the same bytes
 * both accept the same tree or both reject, except where only our limits (depth, string length) or
 * only jansson's number range decide. Built only where jansson is available. */
#include "fuzz.h"

#include <stdio.h>

int esv_json_oracle_check(const char *data, size_t len, char *why, size_t why_size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[512];
    int rc = esv_json_oracle_check((const char *)data, size, why, sizeof(why));
    if (rc > 0)
        fprintf(stderr, "reader and jansson disagree: %s\n", why);
    FUZZ_CHECK(rc <= 0);
    return 0;
}
