/* embedsvc compare PORTFOLIO.jsonl|- — one portfolio under several policies: a summary table,
 * --json rows, and a self-contained HTML report (issue 10).
 *
 * The portfolio goes through tools/pipeline.c in chunks of whole lines. With -j N each chunk is
 * evaluated by one of N threads into a comparison of its own, and the chunks' comparisons are
 * merged into the run's in input order (embedsvc_compare_merge), their error lines reported
 * then; a chunk where anything but an error line happened (out of memory, a sum that would
 * overflow, or a merge that fails) is instead given again, line by line, to the run's
 * comparison, as -j 1 gives every chunk, so that what is reported and where it stops is the same
 * for every N. --html needs every changed line in order (its reasons), so it runs on one thread. */
#include "cli.h"
#include "pipeline.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt options[] = {
    {"policy", 0, CLI_LIST, "FILE", "a policy to compare; the first is the baseline (\"default\": the\n"
                                    "                         compiled-in one; none given: the default only)"},
    CLI_OPT_LANG,
    {"json", 0, CLI_FLAG, NULL, "print the comparison as JSON instead of the tables"},
    {"html", 0, CLI_VALUE, "FILE", "also write a self-contained HTML report to FILE (atomically)"},
    {"threads", 'j', CLI_VALUE, "N", "evaluate on N threads (default: all cores; one with --html); the\n"
                                     "                         output is the same"},
    {0},
};

/* An error line of a chunk, reported when the chunk is merged. */
typedef struct chunk_error {
    int64_t line;
    embedsvc_error err;
} chunk_error;

/* A chunk's comparison (-j N). */
typedef struct slot {
    embedsvc_compare *c;
    chunk_error *errors;
    size_t nerrors, cap;
    bool redo; /* give the chunk to the run's comparison line by line */
} slot;

typedef struct cmp_run {
    const char *in_name;
    embedsvc_compare *c; /* the run's */
    esv_report_compare_log *log;
    const embedsvc_policy *const *policies;
    size_t n;
    bool parallel;
} cmp_run;

/* Gives the lines of a chunk to the run's comparison, reporting error lines; false (after a
 * message) when a line could not be added at all. */
static bool compare_lines(cmp_run *R, const cli_chunk *in)
{
    for (size_t i = 0; i < in->nlines; i++) {
        embedsvc_line line = cli_chunk_line(in, i);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int lrc = R->log ? esv_report_compare_framed(R->log, R->c, &line, &err) : embedsvc_compare_framed(R->c, &line, &err);
        if (lrc == 1 || (lrc < 0 && err.code[0]))
            cli_report_error(R->in_name, line.number, &err);
        else if (lrc < 0)
            fprintf(stderr, "embedsvc: %s: line %lld: %s\n", cli_display_name(R->in_name), (long long)line.number,
                    embedsvc_status_name(lrc));
        if (lrc < 0)
            return false;
    }
    return true;
}

/* -j N: the chunk into a comparison of its own. */
static void process_chunk(void *ctx, void *thread, const cli_chunk *in, void *slot_data)
{
    (void)thread;
    cmp_run *R = ctx;
    slot *s = slot_data;
    s->nerrors = 0;
    s->redo = true;
    if (!R->parallel || (!s->c && embedsvc_compare_new(R->policies, R->n, NULL, &s->c) != EMBEDSVC_OK))
        return;
    embedsvc_compare_reset(s->c); /* kept from the slot's last chunk: its evaluations' memos */
    for (size_t i = 0; i < in->nlines; i++) {
        embedsvc_line line = cli_chunk_line(in, i);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int lrc = embedsvc_compare_framed(s->c, &line, &err);
        if (lrc < 0 || (lrc == 1 && !cli_grow((void **)&s->errors, &s->cap, s->nerrors + 1, sizeof(chunk_error), 16)))
            return;
        if (lrc == 1)
            s->errors[s->nerrors++] = (chunk_error){line.number, err};
    }
    s->redo = false;
}

/* In input order: the chunk's comparison merged into the run's, or its lines given again. */
static bool consume_chunk(void *ctx, const cli_chunk *in, void *slot_data)
{
    cmp_run *R = ctx;
    slot *s = slot_data;
    bool merged = !s->redo && embedsvc_compare_merge(R->c, s->c, NULL) == EMBEDSVC_OK;
    if (!merged)
        return compare_lines(R, in);
    for (size_t i = 0; i < s->nerrors; i++)
        cli_report_error(R->in_name, s->errors[i].line, &s->errors[i].err);
    return true;
}

static void slot_free(void *slot_data)
{
    slot *s = slot_data;
    embedsvc_compare_free(s->c);
    free(s->errors);
}

static const cli_pipeline_ops compare_ops = {sizeof(slot), NULL, NULL, process_chunk, consume_chunk, slot_free};

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos != 1)
        cli_usage_error(cmd, "compare takes one portfolio (JSON Lines file, or - for standard input)");
    const char *in_name = a->pos[0];
    const cli_value *pv = cli_list(a, "policy");
    static const char *const default_only[] = {"default"};
    const char *const *files = pv->count ? pv->list : default_only;
    size_t n = pv->count ? (size_t)pv->count : 1;
    const char *html_name = cli_get(a, "html");
    int threads = cli_threads_option(cmd, cli_get(a, "threads"));
    if (html_name)
        threads = 1;
    embedsvc_policy *policies[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    embedsvc_compare *c = NULL;
    esv_report_compare_log *log = NULL; /* the HTML report's error lines and reasons */
    char *html = NULL;
    cli_out html_out = {.fd = -1, .slot = -1};
    int status = EXIT_BAD_INPUT;
    cli_reader *in = cli_reader_open(in_name);
    if (!in)
        return EXIT_BAD_INPUT;
    if (html_name) { /* the report may overwrite neither the portfolio nor a policy */
        bool same = cli_out_is_input(html_name, cli_reader_fd(in), in_name);
        for (size_t p = 0; p < n && !same; p++)
            same = strcmp(files[p], "default") != 0 && cli_out_is_input(html_name, -1, files[p]);
        if (same)
            goto out;
    }
    for (size_t p = 0; p < n; p++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        int rc = strcmp(files[p], "default") == 0 ? embedsvc_policy_default(NULL, &policies[p], &err)
                                                   : embedsvc_policy_load_file(files[p], NULL, &policies[p], &err);
        if (rc != EMBEDSVC_OK) {
            cli_report_error(files[p], 0, &err);
            goto out;
        }
    }
    if (embedsvc_compare_new((const embedsvc_policy *const *)policies, n, NULL, &c) != EMBEDSVC_OK ||
        (html_name && esv_report_compare_log_new(&log) != EMBEDSVC_OK)) {
        fputs("embedsvc: out of memory\n", stderr);
        goto out;
    }
    double start = cli_now();
    cmp_run R = {in_name, c, log, (const embedsvc_policy *const *)policies, n, threads > 1};
    if (!cli_pipeline_run(in, threads, &compare_ops, &R))
        goto out;
    double secs = cli_now() - start;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (cli_flag(a, "json")) { /* in pieces: the document is never whole in memory */
        uint64_t at = 0;
        const char *piece;
        size_t len;
        int rc;
        while ((rc = embedsvc_compare_to_json_next(c, &at, &piece, &len, &err)) == EMBEDSVC_OK && len &&
               fwrite(piece, 1, len, stdout) == len) /* a write error is reported when stdout is closed */
            ;
        if (rc != EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: %s: %s\n", err.code, cli_esc(err.message));
            goto out;
        }
        putchar('\n');
    } else {
        render_compare(stdout, c, in_name, a->zh);
    }
    if (html_name) {
        size_t len = 0;
        if (!(html = render_compare_html(c, log, a->zh, strcmp(in_name, "-") == 0 ? "<stdin>" : in_name, files, &len))) {
            fputs("embedsvc: out of memory\n", stderr);
            goto out;
        }
        if (!cli_out_open(&html_out, html_name))
            goto out;
        if (!cli_out_write(&html_out, html, len) || !cli_out_commit(&html_out))
            goto out;
    }
    long long projects = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_PROJECTS);
    long long errors = embedsvc_compare_stat(c, EMBEDSVC_COMPARE_STAT_ERRORS);
    const char *shown = html_name ? cli_esc(html_name) : "";
    if (a->zh)
        fprintf(stderr, "embedsvc: 项目 %lld 个 × 政策 %zu 项，错误行 %lld 行；评估用时 %.2f 秒%s%s\n", projects, n,
                errors, secs, html_name ? "；报告已写入 " : "", shown);
    else
        fprintf(stderr, "embedsvc: %lld projects × %zu policies, error lines: %lld; evaluated in %.2f s%s%s\n",
                projects, n, errors, secs, html_name ? "; report written to " : "", shown);
    status = errors ? 1 : 0;
out:
    cli_out_abort(&html_out);
    free(html);
    esv_report_compare_log_free(log);
    cli_reader_close(in);
    embedsvc_compare_free(c);
    for (size_t p = 0; p < n; p++)
        embedsvc_policy_free(policies[p]);
    return status;
}

const cli_command cli_cmd_compare = {
    "compare",
    "PORTFOLIO.jsonl|-",
    "evaluate a portfolio under each --policy: totals, districts, eligibility changes",
    "Evaluates every project of a JSON Lines portfolio under each --policy (the first is the\n"
    "baseline) and prints the totals, the totals by district and the projects whose eligibility\n"
    "changes; --json gives the rows as JSON, --html FILE a self-contained report. Error lines are\n"
    "reported on stderr and not counted; a line longer than 16 MiB is skipped as parse.limit.",
    options,
    "  0  every line was parsed and evaluated\n"
    "  1  some lines were errors (not counted)\n"
    "  2  I/O error, usage, an invalid policy, or a total that would overflow\n",
    "  embedsvc compare --policy default --policy policies/reform-cap-3000wan.json \\\n"
    "      examples/projects/portfolio.jsonl --html report.html\n"
    "  embedsvc compare --json - < portfolio.jsonl\n",
    run,
};
