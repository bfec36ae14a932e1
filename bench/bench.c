/* libembedsvc benchmarks (not a test). Usage: bench PORTFOLIO.jsonl
 *
 * Prints one "key value" line per figure, read by bench/run:
 *   (a) embedsvc_evaluate of pre-parsed 6-function projects with a reused result: ns and heap
 *       allocations per evaluation;
 *   (b) parse + evaluate + serialize of every line (what `embedsvc batch` does): MB/s, projects/s;
 *   (b') parse + evaluate without writing;
 *   (c) the library's JSON reader alone vs jansson's json_loadb on the same lines. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "embedsvc.h"
#include "json.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t n_allocs;

static void *count_malloc(void *ctx, size_t n)
{
    (void)ctx;
    n_allocs++;
    return malloc(n);
}

static void *count_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    n_allocs++;
    return realloc(p, n);
}

static void count_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static const embedsvc_allocator counting = EMBEDSVC_ALLOCATOR_INIT(count_malloc, count_realloc, count_free, NULL);

typedef struct lines {
    char *data;
    size_t size;
    size_t n;
    const char **line;
    size_t *len;
} lines;

static lines read_lines(const char *path)
{
    lines L = {0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    L.size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    L.data = malloc(L.size + 1);
    if (fread(L.data, 1, L.size, f) != L.size) {
        perror(path);
        exit(2);
    }
    fclose(f);
    for (size_t i = 0; i < L.size; i++)
        L.n += L.data[i] == '\n';
    L.line = malloc((L.n + 1) * sizeof(char *));
    L.len = malloc((L.n + 1) * sizeof(size_t));
    size_t k = 0, start = 0;
    for (size_t i = 0; i < L.size; i++)
        if (L.data[i] == '\n') {
            L.line[k] = L.data + start;
            L.len[k++] = i - start;
            start = i + 1;
        }
    L.n = k;
    return L;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench PORTFOLIO.jsonl\n");
        return 2;
    }
    lines L = read_lines(argv[1]);
    embedsvc_policy *policy;
    if (embedsvc_policy_default(NULL, &policy, NULL) != EMBEDSVC_OK)
        return 1;
    printf("lines %zu\nbytes %zu\n", L.n, L.size);

    /* (a) pre-parsed 6-function projects */
    enum { MAXP = 1000 };
    embedsvc_project *projects[MAXP];
    size_t np = 0;
    for (size_t i = 0; i < L.n && np < MAXP; i++) {
        embedsvc_project *p;
        embedsvc_project_new(NULL, &p);
        if (embedsvc_project_parse(p, L.line[i], L.len[i], NULL) == EMBEDSVC_OK &&
            embedsvc_project_function_count(p) == 6)
            projects[np++] = p;
        else
            embedsvc_project_free(p);
    }
    embedsvc_result *result;
    embedsvc_result_new(&counting, &result);
    for (size_t i = 0; i < np; i++) /* warm up: the result's buffers reach their size */
        embedsvc_evaluate(policy, projects[i], result, NULL);
    size_t rounds = 200;
    double best = 1e9;
    size_t allocs = 0;
    for (int rep = 0; rep < 3; rep++) {
        n_allocs = 0;
        double t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < np; i++)
                embedsvc_evaluate(policy, projects[i], result, NULL);
        double t = now() - t0;
        if (t < best)
            best = t;
        allocs = n_allocs;
    }
    printf("a_projects %zu\na_ns_per_eval %.1f\na_allocs_per_eval %.3f\n", np, best * 1e9 / (double)(rounds * np),
           (double)allocs / (double)(rounds * np));
    for (size_t i = 0; i < np; i++)
        embedsvc_project_free(projects[i]);

    /* (b) batch: parse + evaluate + serialize; (b') without serialize */
    embedsvc_batch *batch;
    embedsvc_batch_new(policy, NULL, &batch);
    double tb = 1e9, tb2 = 1e9;
    size_t out_bytes = 0;
    embedsvc_project *project;
    embedsvc_project_new(NULL, &project);
    for (int rep = 0; rep < 3; rep++) {
        out_bytes = 0;
        double t0 = now();
        for (size_t i = 0; i < L.n; i++) {
            const char *out;
            size_t n;
            embedsvc_batch_line(batch, L.line[i], L.len[i], &out, &n);
            out_bytes += n + 1;
        }
        double t = now() - t0;
        if (t < tb)
            tb = t;
        t0 = now();
        for (size_t i = 0; i < L.n; i++)
            if (embedsvc_project_parse(project, L.line[i], L.len[i], NULL) == EMBEDSVC_OK)
                embedsvc_evaluate(policy, project, result, NULL);
        t = now() - t0;
        if (t < tb2)
            tb2 = t;
    }
    double mb = (double)L.size / 1e6;
    printf("b_seconds %.4f\nb_mb_per_s %.1f\nb_projects_per_s %.0f\nb_output_bytes %zu\n", tb, mb / tb,
           (double)L.n / tb, out_bytes);
    printf("b2_seconds %.4f\nb2_mb_per_s %.1f\nb2_projects_per_s %.0f\n", tb2, mb / tb2, (double)L.n / tb2);

    /* (c) JSON reader alone vs jansson */
    esv_alloc al;
    esv_alloc_init(&al, NULL);
    esv_json *reader = esv_json_new(&al);
    double tc = 1e9, tj = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (size_t i = 0; i < L.n; i++) {
            const esv_jval *root;
            esv_json_parse(reader, L.line[i], L.len[i], &root, NULL);
        }
        double t = now() - t0;
        if (t < tc)
            tc = t;
        t0 = now();
        for (size_t i = 0; i < L.n; i++) {
            json_error_t e;
            json_t *j = json_loadb(L.line[i], L.len[i], 0, &e);
            json_decref(j);
        }
        t = now() - t0;
        if (t < tj)
            tj = t;
    }
    printf("c_reader_mb_per_s %.1f\nc_jansson_mb_per_s %.1f\nc_ratio %.2f\n", mb / tc, mb / tj, tj / tc);
    printf("b_vs_jansson %.2f\nb2_vs_jansson %.2f\n", tj / tb, tj / tb2);
    esv_json_free(reader);
    embedsvc_project_free(project);
    embedsvc_batch_free(batch);
    embedsvc_result_free(result);
    embedsvc_policy_free(policy);
    free(L.line);
    free(L.len);
    free(L.data);
    return 0;
}
