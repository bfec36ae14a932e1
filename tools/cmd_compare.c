/* embedsvc compare PORTFOLIO.jsonl|- — one portfolio under several policies: a summary table,
 * --json rows, and a self-contained HTML report (issue 10). */
#include "cli.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt options[] = {
    {"policy", 0, CLI_LIST, "FILE", "a policy to compare; the first is the baseline (\"default\": the\n"
                                    "                         compiled-in one; none given: the default only)"},
    CLI_OPT_LANG,
    {"json", 0, CLI_FLAG, NULL, "print the comparison as JSON instead of the tables"},
    {"html", 0, CLI_VALUE, "FILE", "also write a self-contained HTML report to FILE (atomically)"},
    {0},
};

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
    embedsvc_policy *policies[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    embedsvc_compare *c = NULL;
    esv_report_compare_log *log = NULL; /* the HTML report's error lines and reasons */
    char *html = NULL;
    cli_chunk chunk = {0};
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
    int rc;
    while ((rc = cli_reader_next(in, &chunk, 1u << 20)) > 0) {
        for (size_t i = 0; i < chunk.nlines; i++) {
            embedsvc_line line = cli_chunk_line(&chunk, i);
            embedsvc_error err = EMBEDSVC_ERROR_INIT;
            int lrc = log ? esv_report_compare_framed(log, c, &line, &err) : embedsvc_compare_framed(c, &line, &err);
            if (lrc == 1 || (lrc < 0 && err.code[0]))
                cli_report_error(in_name, line.number, &err);
            else if (lrc < 0)
                fprintf(stderr, "embedsvc: %s: line %lld: %s\n", cli_display_name(in_name), (long long)line.number,
                        embedsvc_status_name(lrc));
            if (lrc < 0)
                goto out;
        }
    }
    if (rc < 0)
        goto out;
    double secs = cli_now() - start;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (cli_flag(a, "json")) {
        const char *json;
        size_t len;
        if (embedsvc_compare_to_json(c, &json, &len, &err) != EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: %s: %s\n", err.code, cli_esc(err.message));
            goto out;
        }
        fwrite(json, 1, len, stdout);
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
    free(chunk.data);
    free(chunk.lines);
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
