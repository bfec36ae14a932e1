/* Fuzzes the project reader (embedsvc_project_parse), then evaluation and result serialization.
 *
 * Invariants: parsing is deterministic and leaves the project empty on failure, with a well-formed
 * error; a parsed project always evaluates (reference §2: every stored value fits), and the result
 * passes fuzz_check_result (sums, cap, class amounts, findings, JSON round trip, deterministic
 * bytes); the same project rebuilt field by field with the builder API evaluates to the same bytes.
 * The two readers behind embedsvc_project_parse agree: whatever the fast one (lib/project_scan.c)
 * accepts, the full one (json.c's tree) accepts too, with the same fields byte for byte; and what
 * the full one accepts the fast one never refuses for want of memory. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static const embedsvc_field project_fields[] = {
    EMBEDSVC_FIELD_ID,
    EMBEDSVC_FIELD_NAME,
    EMBEDSVC_FIELD_DISTRICT,
    EMBEDSVC_FIELD_STREET,
    EMBEDSVC_FIELD_COMMUNITY,
    EMBEDSVC_FIELD_APPLICATION_DATE,
    EMBEDSVC_FIELD_BUILD_MODE,
    EMBEDSVC_FIELD_LAYOUT,
    EMBEDSVC_FIELD_TOTAL_INVESTMENT,
    EMBEDSVC_FIELD_INCLUSIVE_RATE,
    EMBEDSVC_FIELD_WALK_MINUTES,
    EMBEDSVC_FIELD_OPERATION_MODEL,
    EMBEDSVC_FIELD_EXEMPTION_REASON,
    EMBEDSVC_FIELD_STAGE,
    EMBEDSVC_FIELD_RESIDENTS_CONSULTED,
    EMBEDSVC_FIELD_FEASIBILITY_APPROVED,
    EMBEDSVC_FIELD_ESTIMATE_DEPTH_REPORT,
    EMBEDSVC_FIELD_PROGRESS,
    EMBEDSVC_FIELD_APPROVED,
    EMBEDSVC_FIELD_DISBURSED,
};

static const embedsvc_field function_fields[] = {
    EMBEDSVC_FIELD_SCENARIO,      EMBEDSVC_FIELD_SERVICE_CLASS, EMBEDSVC_FIELD_ITEM,
    EMBEDSVC_FIELD_LABEL,         EMBEDSVC_FIELD_FLOOR_AREA,    EMBEDSVC_FIELD_INVESTMENT,
};

/* Copies one field through the getters and setters. */
static void copy_field(const embedsvc_project *from, embedsvc_project *to, int function, embedsvc_field field)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    const char *text = embedsvc_project_get_text(from, function, field);
    if (text) {
        int rc = embedsvc_project_set_text(to, function, field, text, strlen(text), &err);
        FUZZ_CHECK(rc == EMBEDSVC_OK);
        FUZZ_CHECK(strcmp(embedsvc_project_get_text(to, function, field), text) == 0);
        return;
    }
    int64_t v = 0, w = 0;
    int has = embedsvc_project_get_int(from, function, field, &v);
    FUZZ_CHECK(has == 0 || has == 1 || has == EMBEDSVC_EINVAL);
    if (has == 1) {
        FUZZ_CHECK(embedsvc_project_set_int(to, function, field, v, &err) == EMBEDSVC_OK);
        FUZZ_CHECK(embedsvc_project_get_int(to, function, field, &w) == 1 && w == v);
    }
}

static void rebuild(const embedsvc_project *from, embedsvc_project *to)
{
    embedsvc_project_clear(to);
    FUZZ_CHECK(embedsvc_project_function_count(to) == 0);
    for (size_t i = 0; i < sizeof(project_fields) / sizeof(project_fields[0]); i++)
        copy_field(from, to, EMBEDSVC_PROJECT_LEVEL, project_fields[i]);
    for (size_t f = 0; f < embedsvc_project_function_count(from); f++) {
        size_t index = 99;
        FUZZ_CHECK(embedsvc_project_add_function(to, &index) == EMBEDSVC_OK && index == f);
        for (size_t i = 0; i < sizeof(function_fields) / sizeof(function_fields[0]); i++)
            copy_field(from, to, (int)f, function_fields[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static embedsvc_project *project, *again, *built, *tree;
    const embedsvc_policy *policy = fuzz_default_policy();
    if (!project) {
        FUZZ_CHECK(embedsvc_project_new(NULL, &project) == EMBEDSVC_OK);
        FUZZ_CHECK(embedsvc_project_new(NULL, &again) == EMBEDSVC_OK);
        FUZZ_CHECK(embedsvc_project_new(NULL, &built) == EMBEDSVC_OK);
        FUZZ_CHECK(embedsvc_project_new(NULL, &tree) == EMBEDSVC_OK);
    }
    const char *doc = (const char *)data;
    embedsvc_error err = EMBEDSVC_ERROR_INIT, err2 = EMBEDSVC_ERROR_INIT;
    const int rc = embedsvc_project_parse(project, doc, size, &err);
    const int rc2 = embedsvc_project_parse(again, doc, size, &err2); /* a reused object, other history */
    FUZZ_CHECK(rc == rc2);

    embedsvc_error err3 = EMBEDSVC_ERROR_INIT;
    embedsvc_project_clear(built);
    const int fast = esv_project_scan(built, doc, size);
    const int full = esv_project_read_tree(tree, doc, size, &err3);
    FUZZ_CHECK(fast == 0 || fast == 1);
    FUZZ_CHECK(full == rc);
    if (fast == 0) {
        FUZZ_CHECK(full == EMBEDSVC_OK);
        FUZZ_CHECK(esv_project_same(built, tree));
        FUZZ_CHECK(esv_project_same(built, project));
    }
    if (rc != EMBEDSVC_OK) {
        FUZZ_CHECK(rc == EMBEDSVC_EPARSE);
        fuzz_check_error(&err, rc, size);
        FUZZ_CHECK(strcmp(err.code, err2.code) == 0 && strcmp(err.message, err2.message) == 0 &&
                   strcmp(err.path, err2.path) == 0 && err.offset == err2.offset && err.line == err2.line &&
                   err.column == err2.column);
        FUZZ_CHECK(embedsvc_project_function_count(project) == 0);
        FUZZ_CHECK(embedsvc_project_get_text(project, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_ID) == NULL);
        return 0;
    }
    const size_t nf = embedsvc_project_function_count(project);
    FUZZ_CHECK(nf >= 1 && nf <= EMBEDSVC_MAX_FUNCTIONS);

    size_t len_a, len_b, len_c;
    char *a = fuzz_evaluate_checked(policy, project, &len_a);
    char *b = fuzz_evaluate_checked(policy, again, &len_b);
    FUZZ_CHECK(len_a == len_b && memcmp(a, b, len_a) == 0);

    rebuild(project, built);
    char *c = fuzz_evaluate_checked(policy, built, &len_c);
    FUZZ_CHECK(len_a == len_c && memcmp(a, c, len_a) == 0);
    free(a);
    free(b);
    free(c);
    return 0;
}
