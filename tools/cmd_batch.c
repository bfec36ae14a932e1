/* embedsvc batch [IN.jsonl|-] [-o OUT] [-j N] — JSON Lines (reference §7): one output line per
 * non-blank input line, in input order, a summary on stderr.
 *
 * The input is cut into chunks of whole lines by the library's line reader (tools/io.c,
 * embedsvc/lines.h: bounded memory); each line keeps its number, so a worker's batch needs no
 * knowledge of the lines other workers had. The chunks go through tools/pipeline.c: with -j N,
 * N threads (the main one among them) each evaluate a chunk with their own embedsvc_batch over
 * the shared (immutable) policy, and the chunks are written one at a time in input order; with
 * -j 1 all of it runs on the main thread. Both run the same per-chunk code,
 * so their output is byte-identical. The summary is summed in input order with a check on the
 * 64-bit total: the line where it would overflow stops the run (exit 2, no summary). */
#include "cli.h"
#include "pipeline.h"
#include "policyset_cli.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_opt options[] = {
    {"output", 'o', CLI_VALUE, "FILE", "write the result lines here (default: standard output); written to a\n"
                                       "                         temporary file and renamed when complete"},
    {"threads", 'j', CLI_VALUE, "N", "evaluate on N threads (default: all cores); the output is the same"},
    CLI_OPT_POLICY,
    CLI_OPT_POLICIES,
    CLI_OPT_LANG,
    {0},
};

/* One output line of a chunk: its input line, the project's total (-1 for an error line) and
 * where it ends in the chunk's output. */
typedef struct out_line {
    int64_t line, total_fen;
    size_t end;
} out_line;

/* The results of one chunk. */
typedef struct slot {
    char *out;
    size_t out_len, out_cap;
    out_line *lines;
    size_t nlines, lines_cap;
    int64_t projects, eligible, subsidy;
    int64_t fail_line; /* a line the library could not process (fail_rc < 0) */
    int fail_rc;
} slot;

/* The in-order totals of the run. */
typedef struct summary {
    int64_t lines, projects, eligible, subsidy, errors, total_fen;
} summary;

typedef struct run {
    const embedsvc_policy *policy;
    const embedsvc_policy_set *set; /* --policies: the version by application_date */
    cli_out out;
    const char *in_name;
    summary sum;
    bool failed, progress, zh;
    double start, last;
} run;

/* Evaluates the lines of a chunk with the thread's batch (each keeps its input line number). */
static void process_chunk(void *ctx, void *thread, const cli_chunk *in, void *slot_data)
{
    (void)ctx;
    cli_batches *b = thread;
    slot *s = slot_data;
    s->out_len = s->nlines = 0;
    s->projects = s->eligible = s->subsidy = 0;
    s->fail_rc = 0;
    if (!b) {
        s->fail_rc = EMBEDSVC_ENOMEM;
        s->fail_line = in->nlines ? in->lines[0].number : in->last_line;
        return;
    }
    for (size_t i = 0; i < in->nlines; i++) {
        embedsvc_line line = cli_chunk_line(in, i);
        const char *res;
        size_t len;
        int rc = cli_batches_framed(b, &line, &res, &len);
        if (rc < 0) {
            s->fail_rc = rc;
            s->fail_line = line.number;
            return;
        }
        if (rc == 2)
            continue;
        if (!cli_grow((void **)&s->out, &s->out_cap, s->out_len + len + 1, 1, 1024) ||
            !cli_grow((void **)&s->lines, &s->lines_cap, s->nlines + 1, sizeof(out_line), 1024)) {
            s->fail_rc = EMBEDSVC_ENOMEM;
            s->fail_line = line.number;
            return;
        }
        memcpy(s->out + s->out_len, res, len);
        s->out_len += len;
        s->out[s->out_len++] = '\n';
        int64_t total = -1;
        if (rc == 0) {
            const embedsvc_result *r = cli_batches_last_result(b);
            s->projects++;
            s->eligible += embedsvc_result_eligible(r);
            s->subsidy += embedsvc_result_subsidy_eligible(r);
            total = embedsvc_result_total_fen(r);
        }
        s->lines[s->nlines++] = (out_line){line.number, total, s->out_len};
    }
}

static void progress_line(run *R)
{
    double t = cli_now();
    if (t - R->last < 0.25)
        return;
    R->last = t;
    fprintf(stderr, "\rembedsvc: %lld lines, %.0f lines/s ", (long long)R->sum.lines,
            (double)R->sum.lines / (t - R->start));
}

/* Writes a processed chunk and adds it to the totals, in input order. False stops the run. */
static bool consume_chunk(void *ctx, const cli_chunk *in, void *slot_data)
{
    run *R = ctx;
    slot *s = slot_data;
    size_t upto = s->out_len, i;
    int64_t bad_line = 0;
    for (i = 0; i < s->nlines; i++) { /* the total, summed line by line as -j 1 would */
        int64_t t = s->lines[i].total_fen;
        if (t < 0)
            continue;
        if (t > INT64_MAX - R->sum.total_fen) {
            bad_line = s->lines[i].line;
            upto = i ? s->lines[i - 1].end : 0;
            break;
        }
        R->sum.total_fen += t;
    }
    if (!cli_out_write(&R->out, s->out, upto))
        return false;
    if (bad_line || s->fail_rc == EMBEDSVC_ERANGE) {
        fprintf(stderr, "embedsvc: %s: line %lld: the total subsidy would exceed %lld fen (64 bits); stopped\n",
                cli_display_name(R->in_name), (long long)(bad_line ? bad_line : s->fail_line), (long long)INT64_MAX);
        return false;
    }
    if (s->fail_rc < 0) {
        fprintf(stderr, "embedsvc: %s: line %lld: %s\n", cli_display_name(R->in_name), (long long)s->fail_line,
                s->fail_rc == EMBEDSVC_ENOMEM ? "out of memory" : embedsvc_status_name(s->fail_rc));
        return false;
    }
    R->sum.projects += s->projects;
    R->sum.eligible += s->eligible;
    R->sum.subsidy += s->subsidy;
    R->sum.errors += (int64_t)s->nlines - s->projects;
    R->sum.lines = in->last_line;
    if (R->progress)
        progress_line(R);
    return true;
}

static void slot_free(void *slot_data)
{
    slot *s = slot_data;
    free(s->out);
    free(s->lines);
}

static void *thread_new(void *ctx)
{
    run *R = ctx;
    return cli_batches_new(R->policy, R->set);
}

static void thread_free(void *ctx, void *thread)
{
    (void)ctx;
    cli_batches_free(thread);
}

static const cli_pipeline_ops batch_ops = {sizeof(slot), thread_new, thread_free, process_chunk, consume_chunk, slot_free};

/* ---- the command ---- */

static void print_summary(const run *R)
{
    char total[64], wan[64];
    esv_report_money(R->sum.total_fen, R->zh ? "zh" : "en", total, sizeof(total));
    esv_report_large(R->sum.total_fen, R->zh ? "zh" : "en", wan, sizeof(wan));
    const summary *s = &R->sum;
    double secs = cli_now() - R->start;
    if (R->zh)
        fprintf(stderr, "embedsvc: 项目 %lld 个，符合条件 %lld 个（可申请补助 %lld 个），补助合计 %s（%s），"
                        "错误行 %lld 行；用时 %.2f 秒\n",
                (long long)s->projects, (long long)s->eligible, (long long)s->subsidy, total, wan,
                (long long)s->errors, secs);
    else
        fprintf(stderr, "embedsvc: %lld projects, %lld eligible (%lld for the subsidy), total subsidy %s (%s), "
                        "%lld error lines; %.2f s\n",
                (long long)s->projects, (long long)s->eligible, (long long)s->subsidy, total, wan,
                (long long)s->errors, secs);
}

static int run_batch(const cli_command *cmd, cli_args *a)
{
    if (a->npos > 1)
        cli_usage_error(cmd, "batch takes at most one input file");
    int threads = cli_threads_option(cmd, cli_get(a, "threads"));
    run R = {.in_name = a->npos == 1 ? a->pos[0] : "-", .zh = a->zh};
    cli_reader *in = cli_reader_open(R.in_name);
    if (!in)
        return EXIT_BAD_INPUT;
    const char *out_name = cli_get(a, "output");
    if (cli_out_is_input(out_name, cli_reader_fd(in), R.in_name)) {
        cli_reader_close(in);
        return EXIT_BAD_INPUT;
    }
    if (cli_get(a, "policies") && cli_get(a, "policy"))
        cli_usage_error(cmd, "--policy and --policies exclude each other");
    embedsvc_policy_set *set = cli_get(a, "policies") ? cli_load_policy_set(cli_get(a, "policies")) : NULL;
    embedsvc_policy *p = set ? NULL : cli_load_policy(cli_get(a, "policy"));
    R.policy = p;
    R.set = set;
    if (!cli_out_open(&R.out, out_name)) {
        embedsvc_policy_free(p);
        embedsvc_policy_set_free(set);
        cli_reader_close(in);
        return EXIT_BAD_INPUT;
    }
    R.progress = isatty(STDERR_FILENO);
    R.start = R.last = cli_now();
    R.failed = !cli_pipeline_run(in, threads, &batch_ops, &R);
    if (R.progress)
        fputs("\r\033[K", stderr);
    bool ok = !R.failed && !R.out.failed;
    ok = ok ? cli_out_commit(&R.out) : (cli_out_abort(&R.out), false);
    if (ok)
        print_summary(&R);
    cli_reader_close(in);
    embedsvc_policy_free(p);
    embedsvc_policy_set_free(set);
    return !ok ? EXIT_BAD_INPUT : R.sum.errors ? 1 : 0;
}

const cli_command cli_cmd_batch = {
    "batch",
    "[IN.jsonl|-]",
    "evaluate JSON Lines, one result line per project line; a summary on stderr",
    "Evaluates a JSON Lines file (or standard input), one embedsvc.project/1 per line, and writes\n"
    "one line per non-blank input line in input order: the result JSON, or an error line with the\n"
    "line number, code, message and position. A line longer than 16 MiB is a parse.limit error\n"
    "line and is skipped without being held in memory. A summary (projects, eligible, total\n"
    "subsidy, error lines) goes to stderr, with a progress line when stderr is a terminal. With -o\n"
    "an existing file is replaced only when the run completes; an interrupted or failed run leaves\n"
    "it untouched. The output may not be the input file.",
    options,
    "  0  every line was parsed and evaluated\n"
    "  1  some lines were error lines (the output has one for each)\n"
    "  2  I/O error, usage, the output is the input, or the total subsidy would overflow\n",
    "  embedsvc batch examples/projects/portfolio.jsonl -o results.jsonl\n"
    "  embedsvc batch -j 1 --policy policies/reform-cap-3000wan.json - < portfolio.jsonl\n"
    "  embedsvc batch --policies policies/versions/beijing-2024-trial portfolio.jsonl\n",
    run_batch,
};
