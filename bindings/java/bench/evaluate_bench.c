/*
 * Per-call cost of embedsvc_evaluate() from C, the baseline of EvaluateBench.java: the same
 * project, parsed once, evaluated into one reused result; five rounds of N calls, the fastest
 * round reported (the machine's noise only ever adds time).
 *
 *   evaluate_bench PROJECT.json [N]
 * SPDX-License-Identifier: MIT
 */
#include <embedsvc.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 5

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *policy = NULL;
    embedsvc_project *project = NULL;
    embedsvc_result *result = NULL;
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    long i, eligible = 0;
    size_t len = 0;
    char *json;
    double t0, t1, best = 0;
    int rc = 1;

    if (argc < 2 || n <= 0) {
        fprintf(stderr, "usage: evaluate_bench PROJECT.json [N]\n");
        return 2;
    }
    json = read_file(argv[1], &len);
    if (!json) {
        perror(argv[1]);
        return 2;
    }
    if (embedsvc_policy_default(NULL, &policy, &err) != EMBEDSVC_OK || embedsvc_project_new(NULL, &project) != 0 ||
        embedsvc_result_new(NULL, &result) != 0 || embedsvc_project_parse(project, json, len, &err) != 0) {
        fprintf(stderr, "evaluate_bench: %s: %s\n", err.code, err.message);
        goto out;
    }
    for (i = 0; i < n / 10; i++) /* warm-up */
        embedsvc_evaluate(policy, project, result, NULL);
    for (int round = 0; round < ROUNDS; round++) {
        t0 = now_ns();
        for (i = 0; i < n; i++) {
            if (embedsvc_evaluate(policy, project, result, &err) != EMBEDSVC_OK)
                goto out;
            eligible += embedsvc_result_eligible(result);
        }
        t1 = now_ns();
        if (round == 0 || t1 - t0 < best)
            best = t1 - t0;
    }
    printf("C     evaluate: %.1f ns/call (best of %d rounds of %ld calls; %ld eligible, total_fen %lld)\n",
           best / (double)n, ROUNDS, n, eligible, (long long)embedsvc_result_total_fen(result));
    rc = 0;
out:
    embedsvc_result_free(result);
    embedsvc_project_free(project);
    embedsvc_policy_free(policy);
    free(json);
    return rc;
}
