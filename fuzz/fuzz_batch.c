/* Fuzzes batch evaluation (reference §7): the input is split at '\n' and fed to embedsvc_batch_line.
 *
 * Invariants: exactly one output line per non-blank input line (a blank one gives none); every
 * output is one line of JSON that the library's reader parses; an error line names its physical
 * line number; a result line is byte for byte what parsing and evaluating that line alone gives;
 * the batch's totals add up.
 *
 * Kept fast (thousands of inputs a second) so that it explores framing rather than evaluation: the
 * per-result invariants of evaluation (sums, the cap, the findings, the JSON written twice) are the
 * project harness's job, so the line evaluated alone here is compared byte for byte without them,
 * and result lines are parsed back only for the first result of an input (error lines always). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only the white space of reference §4 (written independently of lib/batch.c). */
static bool blank(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
            i++;
        } else if (len - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0) {
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

static void check_error_line(const esv_jval *root, int64_t lineno, const embedsvc_error *solo_err)
{
    const esv_jval *line = esv_json_get(root, "line");
    const esv_jval *error = esv_json_get(root, "error");
    FUZZ_CHECK(line && line->type == ESV_JNUMBER);
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lld", (long long)lineno);
    FUZZ_CHECK(n > 0 && line->len == (size_t)n && memcmp(line->str, buf, (size_t)n) == 0);
    FUZZ_CHECK(error && error->type == ESV_JOBJECT);
    const esv_jval *code = esv_json_get(error, "code"), *message = esv_json_get(error, "message");
    const esv_jval *path = esv_json_get(error, "path");
    FUZZ_CHECK(code && code->type == ESV_JSTRING && strcmp(code->str, solo_err->code) == 0);
    FUZZ_CHECK(message && message->type == ESV_JSTRING && strcmp(message->str, solo_err->message) == 0);
    FUZZ_CHECK(path && path->type == ESV_JSTRING && strcmp(path->str, solo_err->path) == 0);
    const esv_jval *l = esv_json_get(error, "line"), *c = esv_json_get(error, "column");
    FUZZ_CHECK(l && l->type == ESV_JNUMBER && c && c->type == ESV_JNUMBER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static embedsvc_project *solo;
    static embedsvc_result *solo_result;
    const embedsvc_policy *policy = fuzz_default_policy();
    if (!solo) {
        FUZZ_CHECK(embedsvc_project_new(NULL, &solo) == EMBEDSVC_OK);
        FUZZ_CHECK(embedsvc_result_new(NULL, &solo_result) == EMBEDSVC_OK);
    }
    bool parsed_a_result = false;
    embedsvc_batch *batch = NULL;
    FUZZ_CHECK(embedsvc_batch_new(policy, NULL, &batch) == EMBEDSVC_OK);

    const char *in = (const char *)data;
    int64_t lines = 0, results = 0, errors = 0, eligible = 0, subsidy_eligible = 0, total = 0;
    size_t start = 0;
    while (start < size) {
        const char *nl = memchr(in + start, '\n', size - start);
        const size_t end = nl ? (size_t)(nl - in) : size;
        const char *line = in + start;
        const size_t len = end - start;
        start = end + 1;

        const char *out = NULL;
        size_t out_len = 0;
        const int rc = embedsvc_batch_line(batch, line, len, &out, &out_len);
        lines++;
        FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_LINES) == lines);
        const size_t doc_len = len && line[len - 1] == '\r' ? len - 1 : len;
        if (blank(line, doc_len)) {
            FUZZ_CHECK(rc == 2 && out == NULL && out_len == 0);
            continue;
        }
        FUZZ_CHECK(rc == 0 || rc == 1);
        FUZZ_CHECK(out != NULL && strlen(out) == out_len);
        FUZZ_CHECK(memchr(out, '\n', out_len) == NULL && memchr(out, '\r', out_len) == NULL);
        /* the output is valid JSON: kept, since the next parse below reuses the reader */
        char *copy = malloc(out_len + 1);
        FUZZ_CHECK(copy != NULL);
        memcpy(copy, out, out_len + 1);
        const esv_jval *root = NULL;
        if (rc == 1 || !parsed_a_result) {
            root = fuzz_parse_json(copy, out_len);
            FUZZ_CHECK(root->type == ESV_JOBJECT);
            const esv_jval *schema = esv_json_get(root, "schema");
            FUZZ_CHECK(schema && schema->type == ESV_JSTRING && strcmp(schema->str, "embedsvc.result/1") == 0);
            parsed_a_result = parsed_a_result || rc == 0;
        }

        /* the same line alone */
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        const int solo_rc = embedsvc_project_parse(solo, line, doc_len, &err);
        if (rc == 1) {
            FUZZ_CHECK(solo_rc == EMBEDSVC_EPARSE);
            fuzz_check_error(&err, solo_rc, doc_len);
            check_error_line(root, lines, &err);
            errors++;
        } else {
            FUZZ_CHECK(solo_rc == EMBEDSVC_OK);
            FUZZ_CHECK(embedsvc_batch_last_result(batch) != NULL);
            const char *solo_json = NULL;
            size_t solo_len = 0;
            FUZZ_CHECK(embedsvc_evaluate(policy, solo, solo_result, &err) == EMBEDSVC_OK);
            FUZZ_CHECK(embedsvc_result_to_json(solo_result, &solo_json, &solo_len, &err) == EMBEDSVC_OK);
            FUZZ_CHECK(solo_len == out_len && memcmp(solo_json, copy, out_len) == 0);
            const embedsvc_result *r = embedsvc_batch_last_result(batch);
            results++;
            eligible += embedsvc_result_eligible(r);
            subsidy_eligible += embedsvc_result_subsidy_eligible(r);
            total += embedsvc_result_total_fen(r);
        }
        free(copy);
    }
    FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_LINES) == lines);
    FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_PROJECTS) == results);
    FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_ERRORS) == errors);
    FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_ELIGIBLE) == eligible);
    FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE) == subsidy_eligible);
    FUZZ_CHECK(embedsvc_batch_stat(batch, EMBEDSVC_BATCH_TOTAL_FEN) == total);
    embedsvc_batch_free(batch);
    return 0;
}
