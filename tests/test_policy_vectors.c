/* Policy vectors: policies that must be refused (reference §8), through the public C API.
 *
 * Usage: test_policy_vectors DIR
 * Each NAME.json of DIR is a policy and NAME.expected.json holds
 * {"error": {"code": …, "path": …, "message_contains": …}}: loading NAME.json must fail with that
 * code, at that JSON path, with a message containing that text, and with a position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json.h"

#define MAX_CASES 256

static char g_dir[1024];
static char g_names[MAX_CASES][256];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void run_case(void **state)
{
    const char *name = *state;
    char path[1400], want_path[1400];
    snprintf(path, sizeof path, "%s/%s.json", g_dir, name);
    snprintf(want_path, sizeof want_path, "%s/%s.expected.json", g_dir, name);
    size_t len;
    char *want_text = slurp(want_path, &len);
    esv_alloc al;
    assert_true(esv_alloc_init(&al, NULL));
    esv_json *json = esv_json_new(&al);
    assert_non_null(json);
    const esv_jval *root;
    assert_int_equal(esv_json_parse(json, want_text, len, &root, NULL), EMBEDSVC_OK);
    const esv_jval *want = esv_json_get(root, "error");
    assert_non_null(want);
    const esv_jval *code = esv_json_get(want, "code"), *jpath = esv_json_get(want, "path"),
                   *contains = esv_json_get(want, "message_contains");
    assert_non_null(code);
    assert_non_null(jpath);

    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc = embedsvc_policy_load_file(path, NULL, &p, &err);
    if (rc == EMBEDSVC_OK || strcmp(err.code, code->str) != 0 || strcmp(err.path, jpath->str) != 0 ||
        (contains && !strstr(err.message, contains->str)))
        print_error("  %s: got %d %s at '%s' (%u:%u): %s\n  want %s at '%s' with \"%s\"\n", name, rc, err.code,
                    err.path, err.line, err.column, err.message, code->str, jpath->str,
                    contains ? contains->str : "");
    embedsvc_policy_free(p);
    assert_int_not_equal(rc, EMBEDSVC_OK);
    assert_string_equal(err.code, code->str);
    assert_string_equal(err.path, jpath->str);
    if (contains)
        assert_non_null(strstr(err.message, contains->str));
    assert_true(err.line >= 1 && err.column >= 1);
    esv_json_free(json);
    free(want_text);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    snprintf(g_dir, sizeof g_dir, "%s", argv[1]);
    DIR *d = opendir(g_dir);
    if (!d) {
        perror(g_dir);
        return 2;
    }
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_CASES) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0 || strstr(e->d_name, ".expected.json"))
            continue;
        snprintf(g_names[n], sizeof g_names[n], "%.*s", (int)(len - 5), e->d_name);
        n++;
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "%s: no policy vectors\n", g_dir);
        return 1;
    }
    qsort(g_names, n, sizeof g_names[0], by_name);
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){g_names[i], run_case, NULL, NULL, g_names[i]};
    int rc = _cmocka_run_group_tests("policy_vectors", tests, n, NULL, NULL);
    free(tests);
    return rc;
}
