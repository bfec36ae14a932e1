/* embedsvc batch [IN.jsonl|-] [-o OUT] [-j N] — JSON Lines (reference §7): one output line per
 * non-blank input line, in input order, a summary on stderr.
 *
 * The input is cut into chunks of whole lines by the library's line reader (tools/io.c,
 * embedsvc/lines.h: bounded memory); each line keeps its number, so a worker's batch needs no
 * knowledge of the lines other workers had. With -j 1 each chunk
 * is evaluated and written in turn. With -j N, N threads (the main one among them) each take the
 * next chunk, evaluate it with their own embedsvc_batch over the shared (immutable) policy, and
 * write whatever chunks are done at the head, in input order, when no other thread is writing;
 * at most 2N + 2 chunks are in flight. Both paths run the same per-chunk code,
 * so their output is byte-identical. The summary is summed in input order with a check on the
 * 64-bit total: the line where it would overflow stops the run (exit 2, no summary). */
#include "cli.h"
#include "policyset_cli.h"
#include "report.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Input bytes per chunk: the results of one (about 0.6 MiB) are still in the caches when they are
 * copied to the output (the page cache, or tools/io_direct.c's buffers) (docs/decisions.md §9.13). */
#define CHUNK_TARGET (1u << 17)
#define MAX_THREADS 64

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

typedef enum slot_state { SLOT_FREE, SLOT_WORKING, SLOT_DONE, SLOT_END } slot_state;

typedef struct slot {
    cli_chunk in;
    char *out;
    size_t out_len, out_cap;
    out_line *lines;
    size_t nlines, lines_cap;
    int64_t projects, eligible, subsidy;
    int64_t fail_line; /* a line the library could not process (fail_rc < 0) */
    int fail_rc;
    bool read_error; /* SLOT_END: the input ended by a read error */
    slot_state state;
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
    /* the pipeline of -j N */
    cli_reader *in;            /* read under in_mu */
    size_t next_seq;           /* the next chunk to read (in_mu) */
    bool input_done;           /* (in_mu) */
    slot *slots;
    size_t nslots, head;       /* head: the next chunk to write (mu) */
    bool writing, quit;        /* (mu) */
    pthread_mutex_t in_mu, mu; /* in_mu before mu */
    pthread_cond_t freed;
} run;

/* Evaluates the lines of s->in with batch b (each keeps its input line number). */
static void process_chunk(cli_batches *b, slot *s)
{
    s->out_len = s->nlines = 0;
    s->projects = s->eligible = s->subsidy = 0;
    s->fail_rc = 0;
    for (size_t i = 0; i < s->in.nlines; i++) {
        embedsvc_line line = cli_chunk_line(&s->in, i);
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
static bool consume_chunk(run *R, slot *s)
{
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
    R->sum.lines = s->in.last_line;
    if (R->progress)
        progress_line(R);
    return true;
}

static void slot_free(slot *s)
{
    free(s->in.lines);
    free(s->in.data);
    free(s->out);
    free(s->lines);
}

/* ---- -j 1 ---- */

static void run_serial(run *R, cli_reader *in)
{
    cli_batches *b = cli_batches_new(R->policy, R->set);
    if (!b) {
        fputs("embedsvc: out of memory\n", stderr);
        R->failed = true;
        return;
    }
    slot s = {0};
    int rc;
    while ((rc = cli_reader_next(in, &s.in, CHUNK_TARGET)) > 0) {
        process_chunk(b, &s);
        if (!consume_chunk(R, &s))
            break;
    }
    R->failed = rc != 0;
    slot_free(&s);
    cli_batches_free(b);
}

/* ---- -j N ---- */

/* Each of the N threads (the calling one among them) takes the next chunk of the input (under
 * in_mu, which keeps the chunks in input order), evaluates it into its slot, and marks it done.
 * Whoever then finds no thread writing writes, in input order, every done chunk at the head: the
 * results are mostly written by the thread that just made them, while they are in its caches,
 * and no thread only waits for others to hand it work. Chunk seq lives in slot seq % nslots; a
 * thread waits for that slot to be written before it reads into it, so at most nslots chunks are
 * in memory. */
static void write_ready(run *R) /* R->mu held, R->writing set */
{
    for (;;) {
        slot *s = &R->slots[R->head % R->nslots];
        if (R->quit || (s->state != SLOT_DONE && s->state != SLOT_END))
            return;
        if (s->state == SLOT_END) { /* every chunk before it is written */
            R->failed |= s->read_error;
            R->quit = true;
            pthread_cond_broadcast(&R->freed);
            return;
        }
        pthread_mutex_unlock(&R->mu);
        bool ok = consume_chunk(R, s);
        pthread_mutex_lock(&R->mu);
        if (!ok) {
            R->failed = true;
            R->quit = true;
            pthread_cond_broadcast(&R->freed);
            return;
        }
        s->state = SLOT_FREE;
        R->head++;
        pthread_cond_broadcast(&R->freed);
    }
}

static void *pipeline(void *arg)
{
    run *R = arg;
    cli_batches *b = cli_batches_new(R->policy, R->set);
    for (;;) {
        pthread_mutex_lock(&R->in_mu);
        slot *s = &R->slots[R->next_seq % R->nslots];
        pthread_mutex_lock(&R->mu);
        while (!R->quit && s->state != SLOT_FREE)
            pthread_cond_wait(&R->freed, &R->mu);
        bool stop = R->quit || R->input_done;
        if (!stop)
            s->state = SLOT_WORKING; /* being read and evaluated */
        pthread_mutex_unlock(&R->mu);
        if (stop) {
            pthread_mutex_unlock(&R->in_mu);
            break;
        }
        int rc = cli_reader_next(R->in, &s->in, CHUNK_TARGET);
        R->next_seq++;
        R->input_done = rc <= 0;
        pthread_mutex_unlock(&R->in_mu);
        if (rc > 0 && b) {
            process_chunk(b, s);
        } else if (rc > 0) {
            s->fail_rc = EMBEDSVC_ENOMEM;
            s->fail_line = s->in.nlines ? s->in.lines[0].number : s->in.last_line;
        }
        s->read_error = rc < 0;
        pthread_mutex_lock(&R->mu);
        s->state = rc > 0 ? SLOT_DONE : SLOT_END;
        if (!R->writing) {
            R->writing = true;
            write_ready(R);
            R->writing = false;
        }
        pthread_mutex_unlock(&R->mu);
        if (rc <= 0)
            break;
    }
    cli_batches_free(b);
    return NULL;
}

static void run_parallel(run *R, cli_reader *in, int threads)
{
    R->in = in;
    R->nslots = 2 * (size_t)threads + 2;
    R->slots = calloc(R->nslots, sizeof(slot));
    pthread_t others[MAX_THREADS];
    int started = 0;
    if (!R->slots) {
        fputs("embedsvc: out of memory\n", stderr);
        R->failed = true;
        return;
    }
    pthread_mutex_init(&R->in_mu, NULL);
    pthread_mutex_init(&R->mu, NULL);
    pthread_cond_init(&R->freed, NULL);
    while (started < threads - 1 && pthread_create(&others[started], NULL, pipeline, R) == 0)
        started++; /* fewer threads than asked for: the same output, later */
    pipeline(R);
    for (int i = 0; i < started; i++)
        pthread_join(others[i], NULL);
    for (size_t i = 0; i < R->nslots; i++)
        slot_free(&R->slots[i]);
    free(R->slots);
    pthread_mutex_destroy(&R->in_mu);
    pthread_mutex_destroy(&R->mu);
    pthread_cond_destroy(&R->freed);
}

/* ---- the command ---- */

static int threads_option(const cli_command *cmd, const char *v)
{
    if (!v) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < 1 || n > MAX_THREADS)
        cli_usage_error(cmd, "option '--threads' (-j) takes a number of threads from 1 to %d, not '%s'", MAX_THREADS, cli_esc(v));
    return (int)n;
}

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
    int threads = threads_option(cmd, cli_get(a, "threads"));
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
    if (threads == 1)
        run_serial(&R, in);
    else
        run_parallel(&R, in, threads);
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
