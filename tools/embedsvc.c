/* embedsvc — the command-line tool (SPEC §11). A client of the public API only. */
#include <embedsvc.h>

#include "cli.h"

#include "compare.h"
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


typedef struct options {
    const char *policy_file;
    bool zh;
    bool json;
    const char *output;
    const char *approved, *progress, *disbursed;
    const char *policy_files[EMBEDSVC_COMPARE_MAX_POLICIES]; /* every --policy, for compare */
    size_t n_policy_files;
    const char *html;
} options;

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("embedsvc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'embedsvc --help'.\n", stderr);
    exit(EXIT_BAD_INPUT);
}

static void usage(FILE *f)
{
    fputs("Usage: embedsvc [OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "Community embedded service facility projects (社区嵌入式服务设施) under the Beijing measures:\n"
          "eligibility, subsidy to the fen, and classification of facility names.\n"
          "\n"
          "Commands:\n"
          "  check FILE|-                 evaluate one embedsvc.project/1 file; a report, or --json\n"
          "                               exit 0 eligible, 1 not eligible, 2 bad input\n"
          "  batch [IN.jsonl|-] [-o OUT]  evaluate JSON Lines, one result line per project line;\n"
          "                               summary on stderr; exit 0 all parsed, 1 some lines bad, 2 I/O\n"
          "  classify TEXT...             map facility names to a service scenario and class;\n"
          "                               exit 1 when any text is unmatched or ambiguous\n"
          "  stage FILE|- STAGE           may the project move to STAGE (call, application, joint_review,\n"
          "                               fund_approval, disbursement)? lists every unmet precondition;\n"
          "                               exit 0 allowed, 1 not allowed, 2 bad input\n"
          "  disburse --approved YUAN --progress RATE [--disbursed YUAN]\n"
          "                               the amount that may be disbursed now (四、2)\n"
          "  compare PORTFOLIO.jsonl|-    evaluate a portfolio under each --policy (repeat it; the first is\n"
          "                               the baseline; 'default' names the compiled-in policy): totals,\n"
          "                               districts, eligibility changes; --json rows, --html FILE report;\n"
          "                               exit 0 all parsed, 1 some lines bad, 2 I/O\n"
          "  policy show                  print the policy JSON (the compiled-in one by default)\n"
          "  policy check FILE|-          load and validate a policy file; exit 0 valid, 2 invalid\n"
          "\n"
          "Options:\n"
          "  --policy FILE   use this embedsvc.policy/1 file instead of the compiled-in policy\n"
          "                  (\"default\" names the compiled-in one)\n"
          "  --lang zh|en    language of reports (default: en when LANG starts with \"en\", else zh)\n"
          "  --json          machine-readable output (check, classify, compare)\n"
          "  --html FILE     write a self-contained HTML report (compare)\n"
          "  -o, --output F  output file (batch; default standard output)\n"
          "  --version       print the library and ABI version\n"
          "  -h, --help      print this help\n"
          "\n"
          "Examples:\n"
          "  embedsvc check examples/projects/renovated-complex.json\n"
          "  embedsvc batch examples/projects/portfolio.jsonl -o results.jsonl\n"
          "  embedsvc classify 朝阳区双井街道养老服务驿站 便利店\n"
          "  embedsvc compare --policy default --policy policies/reform-cap-3000wan.json \\\n"
          "      examples/projects/portfolio.jsonl --html report.html\n",
          f);
}

/* ---- input ---- */

/* Reads a whole file (or stdin for "-"), at most limit + 1 bytes so that the library reports the limit. */
static char *read_all(const char *path, size_t limit, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embedsvc: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > limit) {
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = !buf || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_display_name(path), buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static void report_error(const char *file, const embedsvc_error *err)
{
    if (err->line)
        fprintf(stderr, "embedsvc: %s:%u:%u: %s: %s", cli_display_name(file), err->line, err->column, err->code,
                err->message);
    else
        fprintf(stderr, "embedsvc: %s: %s: %s", cli_display_name(file), err->code, err->message);
    if (err->path[0])
        fprintf(stderr, " (at %s)", err->path);
    fputc('\n', stderr);
}

static embedsvc_policy *load_policy(const options *o)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc;
    if (!o->policy_file || strcmp(o->policy_file, "default") == 0) { /* "default": the compiled-in policy */
        rc = embedsvc_policy_default(NULL, &p, &err);
    } else {
        size_t len;
        char *data = read_all(o->policy_file, 16u << 20, &len);
        if (!data)
            exit(EXIT_BAD_INPUT);
        rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
        free(data);
    }
    if (rc != EMBEDSVC_OK) {
        report_error(o->policy_file ? o->policy_file : "<default policy>", &err);
        exit(EXIT_BAD_INPUT);
    }
    return p;
}

/* ---- check ---- */

static int cmd_check(const options *o, int argc, char **argv)
{
    if (argc != 1)
        die_usage("check takes one FILE (or - for standard input)");
    const char *file = argv[0];
    size_t len;
    char *data = read_all(file, 16u << 20, &len);
    if (!data)
        return EXIT_BAD_INPUT;
    embedsvc_policy *p = load_policy(o);
    embedsvc_project *pr = NULL;
    embedsvc_result *r = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int status = EXIT_BAD_INPUT;
    if (embedsvc_project_new(NULL, &pr) != EMBEDSVC_OK || embedsvc_result_new(NULL, &r) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        goto out;
    }
    if (embedsvc_project_parse(pr, data, len, &err) != EMBEDSVC_OK ||
        embedsvc_evaluate(p, pr, r, &err) != EMBEDSVC_OK) {
        report_error(file, &err);
        goto out;
    }
    if (o->json) {
        const char *json;
        size_t n;
        if (embedsvc_result_to_json(r, &json, &n, &err) != EMBEDSVC_OK) {
            report_error(file, &err);
            goto out;
        }
        fwrite(json, 1, n, stdout);
        fputc('\n', stdout);
    } else {
        if (esv_report_check_text(stdout, p, pr, r, o->zh ? "zh" : "en") != 0)
            fprintf(stderr, "embedsvc: write error: %s\n", strerror(errno));
    }
    status = embedsvc_result_eligible(r) ? 0 : 1;
out:
    embedsvc_result_free(r);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
    free(data);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "embedsvc: write error: %s\n", strerror(errno));
        return EXIT_BAD_INPUT;
    }
    return status;
}

static int cmd_stage(const options *o, int argc, char **argv)
{
    if (argc != 2)
        die_usage("stage takes FILE (or -) and a target STAGE");
    int target = embedsvc_enum_parse(EMBEDSVC_ENUM_STAGE, argv[1], strlen(argv[1]));
    if (target < 0)
        die_usage("unknown stage '%s' (call, application, joint_review, fund_approval, disbursement)", argv[1]);
    size_t len;
    char *data = read_all(argv[0], 16u << 20, &len);
    if (!data)
        return EXIT_BAD_INPUT;
    embedsvc_policy *p = load_policy(o);
    embedsvc_project *pr = NULL;
    embedsvc_stage_report *rep = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    int status = EXIT_BAD_INPUT;
    if (embedsvc_project_new(NULL, &pr) != EMBEDSVC_OK || embedsvc_stage_report_new(NULL, &rep) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        goto out;
    }
    if (embedsvc_project_parse(pr, data, len, &err) != EMBEDSVC_OK ||
        embedsvc_stage_check(p, pr, (embedsvc_stage)target, rep, &err) != EMBEDSVC_OK) {
        report_error(argv[0], &err);
        goto out;
    }
    bool ok = embedsvc_stage_report_allowed(rep);
    status = ok ? 0 : 1;
    if (o->json) {
        char zh[1024], en[1024];
        printf("{\"stage\":\"%s\",\"target\":\"%s\",\"allowed\":%s,\"unmet\":[",
               embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, embedsvc_stage_report_current(rep)),
               embedsvc_enum_code(EMBEDSVC_ENUM_STAGE, target), ok ? "true" : "false");
        for (size_t i = 0; i < embedsvc_stage_report_count(rep); i++) {
            embedsvc_stage_report_message(rep, i, "zh", zh, sizeof(zh));
            embedsvc_stage_report_message(rep, i, "en", en, sizeof(en));
            printf("%s{\"code\":\"%s\",\"cite\":\"%s\",\"message_zh\":", i ? "," : "", embedsvc_stage_report_code(rep, i),
                   embedsvc_stage_report_cite(rep, i));
            cli_json_string(stdout, zh);
            fputs(",\"message_en\":", stdout);
            cli_json_string(stdout, en);
            fputc('}', stdout);
        }
        fputs("]}\n", stdout);
        goto out;
    }
    if (esv_report_stage_text(stdout, rep, o->zh ? "zh" : "en") != 0) {
        fprintf(stderr, "embedsvc: write error: %s\n", strerror(errno));
        status = EXIT_BAD_INPUT;
    }
out:
    embedsvc_stage_report_free(rep);
    embedsvc_project_free(pr);
    embedsvc_policy_free(p);
    free(data);
    return status;
}

static int64_t option_money(const char *name, const char *text)
{
    int64_t v;
    embedsvc_project *pr = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    /* the same decimal rules as in a project file (SPEC §2) */
    if (embedsvc_project_new(NULL, &pr) != EMBEDSVC_OK)
        die_usage("out of memory");
    embedsvc_field f = strcmp(name, "--progress") == 0 ? EMBEDSVC_FIELD_PROGRESS : EMBEDSVC_FIELD_APPROVED;
    int rc = embedsvc_project_set_text(pr, EMBEDSVC_PROJECT_LEVEL, f, text, strlen(text), &err);
    if (rc == EMBEDSVC_OK)
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, f, &v);
    embedsvc_project_free(pr);
    if (rc != EMBEDSVC_OK)
        die_usage("%s %s: %s: %s", name, text, err.code, err.message);
    return v;
}

static int cmd_disburse(const options *o, int argc, char **argv)
{
    (void)argv;
    if (argc != 0 || !o->approved || !o->progress)
        die_usage("disburse takes --approved YUAN --progress RATE [--disbursed YUAN]");
    int64_t approved = option_money("--approved", o->approved);
    int64_t progress = option_money("--progress", o->progress);
    int64_t disbursed = o->disbursed ? option_money("--disbursed", o->disbursed) : 0;
    int64_t due;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_disbursement(approved, progress, disbursed, &due, &err) != EMBEDSVC_OK) {
        fprintf(stderr, "embedsvc: %s: %s\n", err.code, err.message);
        return EXIT_BAD_INPUT;
    }
    char a[48], b[48], c[48], d[48], pct[16];
    esv_report_yuan(approved, a, sizeof(a));
    esv_report_percent(progress, pct, sizeof(pct));
    int64_t limit;
    embedsvc_disbursement(approved, progress, 0, &limit, NULL); /* the cumulative limit */
    esv_report_yuan(limit, b, sizeof(b));
    esv_report_yuan(disbursed, c, sizeof(c));
    esv_report_yuan(due, d, sizeof(d));
    if (o->json)
        printf("{\"approved_fen\":%lld,\"progress_bp\":%lld,\"limit_fen\":%lld,\"disbursed_fen\":%lld,\"due_fen\":%lld}\n",
               (long long)approved, (long long)progress, (long long)limit, (long long)disbursed, (long long)due);
    else if (o->zh)
        printf("核定 %s 元 × 工程进度 %s = 累计可下达 %s 元；已下达 %s 元；现可下达 %s 元\n", a, pct, b, c, d);
    else
        printf("approved %s yuan × progress %s = %s yuan cumulative; disbursed %s yuan; due now %s yuan\n", a, pct, b,
               c, d);
    return 0;
}

/* ---- batch ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_batch(const options *o, int argc, char **argv)
{
    if (argc > 1)
        die_usage("batch takes at most one input file");
    const char *in_name = argc == 1 ? argv[0] : "-";
    FILE *in = strcmp(in_name, "-") == 0 ? stdin : fopen(in_name, "rb");
    if (!in) {
        fprintf(stderr, "embedsvc: %s: %s\n", in_name, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    embedsvc_policy *p = load_policy(o);
    FILE *out = stdout;
    if (o->output && strcmp(o->output, "-") != 0) {
        out = fopen(o->output, "wb");
        if (!out) {
            fprintf(stderr, "embedsvc: %s: %s\n", o->output, strerror(errno));
            embedsvc_policy_free(p);
            if (in != stdin)
                fclose(in);
            return EXIT_BAD_INPUT;
        }
    }
    static char outbuf[1 << 20];
    setvbuf(out, outbuf, _IOFBF, sizeof(outbuf));
    embedsvc_batch *b = NULL;
    if (embedsvc_batch_new(p, NULL, &b) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        embedsvc_policy_free(p);
        return EXIT_BAD_INPUT;
    }
    bool progress = isatty(STDERR_FILENO);
    double start = now_seconds(), last = start;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int status = 0;
    while ((got = getline(&line, &cap, in)) != -1) {
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        const char *res;
        size_t res_len;
        int rc = embedsvc_batch_line(b, line, len, &res, &res_len);
        if (rc < 0) {
            fprintf(stderr, "embedsvc: %s: line %lld: %s\n", cli_display_name(in_name),
                    (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_LINES), embedsvc_status_name(rc));
            status = EXIT_BAD_INPUT;
            break;
        }
        if (rc == 2)
            continue;
        fwrite(res, 1, res_len, out);
        fputc('\n', out);
        if (progress && (embedsvc_batch_stat(b, EMBEDSVC_BATCH_LINES) & 1023) == 0) {
            double t = now_seconds();
            if (t - last >= 0.25) {
                last = t;
                fprintf(stderr, "\rembedsvc: %lld lines, %.0f lines/s ", (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_LINES),
                        (double)embedsvc_batch_stat(b, EMBEDSVC_BATCH_LINES) / (t - start));
            }
        }
    }
    if (ferror(in) || (status == 0 && !feof(in))) { /* getline also stops when it cannot grow its buffer */
        fprintf(stderr, "embedsvc: %s: read error: %s\n", cli_display_name(in_name), strerror(errno));
        status = EXIT_BAD_INPUT;
    }
    free(line);
    if (fflush(out) != 0 || ferror(out) || (out != stdout && fclose(out) != 0)) {
        fprintf(stderr, "embedsvc: %s: write error: %s\n", o->output ? o->output : "<stdout>", strerror(errno));
        status = EXIT_BAD_INPUT;
    }
    if (in != stdin)
        fclose(in);
    if (progress)
        fputs("\r\033[K", stderr);
    char total[64], large[64];
    esv_report_money(embedsvc_batch_stat(b, EMBEDSVC_BATCH_TOTAL_FEN), o->zh ? "zh" : "en", total, sizeof(total));
    esv_report_large(embedsvc_batch_stat(b, EMBEDSVC_BATCH_TOTAL_FEN), o->zh ? "zh" : "en", large, sizeof(large));
    long long projects = embedsvc_batch_stat(b, EMBEDSVC_BATCH_PROJECTS);
    long long errors = embedsvc_batch_stat(b, EMBEDSVC_BATCH_ERRORS);
    double secs = now_seconds() - start;
    if (o->zh)
        fprintf(stderr, "embedsvc: 项目 %lld 个，符合条件 %lld 个（可申请补助 %lld 个），补助合计 %s（%s），"
                        "错误行 %lld 行；用时 %.2f 秒\n",
                projects, (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_ELIGIBLE),
                (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE), total, large, errors, secs);
    else
        fprintf(stderr, "embedsvc: %lld projects, %lld eligible (%lld for the subsidy), total subsidy %s (%s), "
                        "%lld error lines; %.2f s\n",
                projects, (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_ELIGIBLE),
                (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE), total, large, errors, secs);
    embedsvc_batch_free(b);
    embedsvc_policy_free(p);
    if (status == 0 && errors > 0)
        status = 1;
    return status;
}

/* ---- classify ---- */

static void json_string_or_null(FILE *f, const char *s)
{
    if (s)
        cli_json_string(f, s);
    else
        fputs("null", f);
}

static int cmd_classify(const options *o, int argc, char **argv)
{
    if (argc < 1)
        die_usage("classify takes one or more TEXT arguments");
    static const char *const kinds[] = {"none", "exact", "contains", "ambiguous"};
    embedsvc_policy *p = load_policy(o);
    embedsvc_classification *c = NULL;
    if (embedsvc_classification_new(NULL, &c) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        embedsvc_policy_free(p);
        return EXIT_BAD_INPUT;
    }
    int status = 0;
    for (int i = 0; i < argc; i++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (embedsvc_classify(p, argv[i], strlen(argv[i]), c, &err) != EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: argument %d: %s: %s\n", i + 1, err.code, err.message);
            status = EXIT_BAD_INPUT;
            continue;
        }
        embedsvc_match m = embedsvc_classification_match(c);
        int s = embedsvc_classification_scenario(c);
        int cls = embedsvc_classification_class(c);
        const char *scode = s >= 0 ? embedsvc_policy_scenario_name(p, (size_t)s, EMBEDSVC_NAME_CODE) : NULL;
        const char *ccode = cls >= 0 ? embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, cls) : NULL;
        if (m == EMBEDSVC_MATCH_NONE || m == EMBEDSVC_MATCH_AMBIGUOUS)
            if (status == 0)
                status = 1;
        if (o->json) {
            fputs("{\"text\":", stdout);
            cli_json_string(stdout, argv[i]);
            printf(",\"match\":\"%s\",\"scenario\":", kinds[m]);
            json_string_or_null(stdout, scode);
            fputs(",\"service_class\":", stdout);
            json_string_or_null(stdout, ccode);
            fputs(",\"term\":", stdout);
            json_string_or_null(stdout, embedsvc_classification_term(c));
            if (m == EMBEDSVC_MATCH_AMBIGUOUS) {
                fputs(",\"candidates\":[", stdout);
                for (size_t k = 0; k < embedsvc_classification_candidate_count(c); k++) {
                    int cs, ci;
                    embedsvc_classification_candidate(c, k, &cs, &ci);
                    fputs(k ? ",{\"scenario\":" : "{\"scenario\":", stdout);
                    json_string_or_null(stdout, cs >= 0 ? embedsvc_policy_scenario_name(p, (size_t)cs, EMBEDSVC_NAME_CODE)
                                                        : NULL);
                    fputs(",\"item\":", stdout);
                    json_string_or_null(stdout, ci >= 0 ? embedsvc_policy_item_name(p, (size_t)ci, EMBEDSVC_NAME_ZH)
                                                        : NULL);
                    fputc('}', stdout);
                }
                fputc(']', stdout);
            }
            fputs("}\n", stdout);
            continue;
        }
        if (esv_report_classify_text(stdout, p, argv[i], c, o->zh ? "zh" : "en") != 0) {
            fprintf(stderr, "embedsvc: write error: %s\n", strerror(errno));
            status = EXIT_BAD_INPUT;
            break;
        }
    }
    embedsvc_classification_free(c);
    embedsvc_policy_free(p);
    return status;
}

/* ---- policy ---- */

static int cmd_policy(const options *o, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "show") == 0) {
        if (argc != 1)
            die_usage("policy show takes no argument (use --policy FILE)");
        embedsvc_policy *p = load_policy(o);
        size_t need = 0;
        int rc = embedsvc_policy_to_json(p, NULL, 0, &need);
        char *buf = rc == EMBEDSVC_ERANGE || rc == EMBEDSVC_OK ? malloc(need + 1) : NULL;
        if (!buf || embedsvc_policy_to_json(p, buf, need + 1, &need) != EMBEDSVC_OK) {
            fputs("embedsvc: out of memory\n", stderr);
            free(buf);
            embedsvc_policy_free(p);
            return EXIT_BAD_INPUT;
        }
        fwrite(buf, 1, need, stdout);
        free(buf);
        embedsvc_policy_free(p);
        return fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (argc >= 1 && strcmp(argv[0], "check") == 0) {
        if (argc != 2)
            die_usage("policy check takes one FILE (or - for standard input)");
        size_t len;
        char *data = read_all(argv[1], 16u << 20, &len);
        if (!data)
            return EXIT_BAD_INPUT;
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        embedsvc_policy *p = NULL;
        int rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
        free(data);
        if (rc != EMBEDSVC_OK) {
            report_error(argv[1], &err);
            return EXIT_BAD_INPUT;
        }
        printf(o->zh ? "%s：有效的政策文件 %s 第 %s 版（%zu 个服务场景，%zu 个服务项目）\n"
                     : "%s: valid policy %s version %s (%zu scenarios, %zu items)\n",
               cli_display_name(argv[1]), embedsvc_policy_text(p, "id"), embedsvc_policy_text(p, "version"),
               embedsvc_policy_scenario_count(p), embedsvc_policy_item_count(p));
        embedsvc_policy_free(p);
        return 0;
    }
    die_usage("policy takes 'show' or 'check FILE'");
}

/* ---- main ---- */

static void add_policy(options *o, const char *file)
{
    if (o->n_policy_files == EMBEDSVC_COMPARE_MAX_POLICIES)
        die_usage("at most %d --policy options", EMBEDSVC_COMPARE_MAX_POLICIES);
    o->policy_file = file;
    o->policy_files[o->n_policy_files++] = file;
}

int main(int argc, char **argv)
{
    options o = {0};
    const char *lang = getenv("LANG");
    o.zh = !(lang && strncmp(lang, "en", 2) == 0);
    char **args = calloc((size_t)argc + 1, sizeof(char *));
    if (!args)
        return EXIT_BAD_INPUT;
    int nargs = 0;
    bool only_args = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            args[nargs++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_args = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(args);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("embedsvc %s (libembedsvc %s, ABI %d)\n", EMBEDSVC_VERSION_STRING, embedsvc_version_string(),
                   embedsvc_abi_version());
            free(args);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            o.json = true;
        } else if (strcmp(a, "--policy") == 0 || strcmp(a, "--lang") == 0 || strcmp(a, "-o") == 0 ||
                   strcmp(a, "--output") == 0 || strcmp(a, "--approved") == 0 || strcmp(a, "--progress") == 0 ||
                   strcmp(a, "--disbursed") == 0 || strcmp(a, "--html") == 0) {
            if (i + 1 >= argc)
                die_usage("%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--policy") == 0)
                add_policy(&o, v);
            else if (strcmp(a, "--html") == 0)
                o.html = v;
            else if (strcmp(a, "--lang") == 0) {
                if (strcmp(v, "zh") == 0)
                    o.zh = true;
                else if (strcmp(v, "en") == 0)
                    o.zh = false;
                else
                    die_usage("--lang takes zh or en, not '%s'", v);
            } else if (strcmp(a, "--approved") == 0)
                o.approved = v;
            else if (strcmp(a, "--progress") == 0)
                o.progress = v;
            else if (strcmp(a, "--disbursed") == 0)
                o.disbursed = v;
            else
                o.output = v;
        } else if (strncmp(a, "--policy=", 9) == 0) {
            add_policy(&o, a + 9);
        } else if (strncmp(a, "--lang=", 7) == 0) {
            if (strcmp(a + 7, "zh") == 0)
                o.zh = true;
            else if (strcmp(a + 7, "en") == 0)
                o.zh = false;
            else
                die_usage("--lang takes zh or en, not '%s'", a + 7);
        } else {
            die_usage("unknown option '%s'", a);
        }
    }
    if (nargs == 0) {
        usage(stderr);
        free(args);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = args[0];
    int rc;
    if (strcmp(cmd, "check") == 0)
        rc = cmd_check(&o, nargs - 1, args + 1);
    else if (strcmp(cmd, "batch") == 0)
        rc = cmd_batch(&o, nargs - 1, args + 1);
    else if (strcmp(cmd, "classify") == 0)
        rc = cmd_classify(&o, nargs - 1, args + 1);
    else if (strcmp(cmd, "stage") == 0)
        rc = cmd_stage(&o, nargs - 1, args + 1);
    else if (strcmp(cmd, "disburse") == 0)
        rc = cmd_disburse(&o, nargs - 1, args + 1);
    else if (strcmp(cmd, "policy") == 0)
        rc = cmd_policy(&o, nargs - 1, args + 1);
    else if (strcmp(cmd, "compare") == 0)
        rc = embedsvc_cli_compare(&(embedsvc_cli_compare_options){o.policy_files, o.n_policy_files, o.zh, o.json,
                                                                  o.html},
                                  nargs - 1, args + 1);
    else
        die_usage("unknown command '%s'", cmd);
    free(args);
    return rc;
}
