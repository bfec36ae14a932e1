/* embedsvc — the command-line tool (reference §11). A client of the public API only. */
#include <embedsvc.h>

#include "cli.h"

#include "compare.h"

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

static const char *class_label(const embedsvc_policy *p, int cls, bool zh)
{
    if (cls < 0)
        return "-";
    return embedsvc_policy_class_name(p, (embedsvc_class)cls, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN);
}

static void print_report(const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh)
{
    FILE *f = stdout;
    const char *name = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME);
    const char *district = embedsvc_project_get_text(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISTRICT);
    char a[48], b[48], c[48];
    fprintf(f, zh ? "项目：%s%s%s%s%s\n" : "Project: %s%s%s%s%s\n", embedsvc_result_project_id(r), name ? "  " : "",
            name ? name : "", district ? "  " : "", district ? district : "");
    fprintf(f, zh ? "政策：%s 第 %s 版\n" : "Policy: %s version %s\n", embedsvc_policy_text(p, "id"),
            embedsvc_policy_text(p, "version"));
    int eligible = embedsvc_result_eligible(r), subsidy = embedsvc_result_subsidy_eligible(r);
    if (zh)
        fprintf(f, "结论：%s\n\n",
                subsidy    ? "符合嵌入式服务设施条件，可申请市级补助"
                : eligible ? "符合嵌入式服务设施条件，但不能申请补助（见下）"
                           : "不符合条件（见下）");
    else
        fprintf(f, "Decision: %s\n\n",
                subsidy    ? "eligible, and may apply for the municipal subsidy"
                : eligible ? "eligible, but not for the subsidy (see below)"
                           : "not eligible (see below)");

    /* functions */
    int wscen = zh ? 8 : 8, wcls = zh ? 8 : 8;
    size_t nf = embedsvc_project_function_count(pr);
    for (size_t i = 0; i < nf; i++) {
        int s = embedsvc_result_function_scenario(r, i);
        const char *sn = s >= 0 ? embedsvc_policy_scenario_name(p, (size_t)s, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN)
                                : "-";
        if (cli_display_width(sn) > wscen)
            wscen = cli_display_width(sn);
        const char *cn = class_label(p, embedsvc_result_function_class(r, i), zh);
        if (cli_display_width(cn) > wcls)
            wcls = cli_display_width(cn);
    }
    fputs(zh ? "功能  " : "  #   ", f);
    cli_print_padded(f, zh ? "服务场景" : "Scenario", wscen, false);
    fputs("  ", f);
    cli_print_padded(f, zh ? "服务类别" : "Class", wcls, false);
    fputs("  ", f);
    cli_print_padded(f, zh ? "分摊投资（元）" : "Investment (yuan)", 20, true);
    fputs("  ", f);
    cli_print_padded(f, zh ? "补助（元）" : "Subsidy (yuan)", 18, true);
    fputc('\n', f);
    for (size_t i = 0; i < nf; i++) {
        int s = embedsvc_result_function_scenario(r, i);
        const char *sn = s >= 0 ? embedsvc_policy_scenario_name(p, (size_t)s, zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN)
                                : "-";
        fprintf(f, "%4zu  ", i);
        cli_print_padded(f, sn, wscen, false);
        fputs("  ", f);
        cli_print_padded(f, class_label(p, embedsvc_result_function_class(r, i), zh), wcls, false);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_function_investment_fen(r, i), a, sizeof(a));
        cli_print_padded(f, a, 20, true);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_function_subsidy_fen(r, i), a, sizeof(a));
        cli_print_padded(f, a, 18, true);
        fputc('\n', f);
    }

    /* subsidy */
    fputs(zh ? "\n补助（三、(二)）\n" : "\nSubsidy (三、(二))\n", f);
    int wname = 0;
    for (int k = 0; k < 3; k++)
        if (cli_display_width(class_label(p, k, zh)) > wname)
            wname = cli_display_width(class_label(p, k, zh));
    fputs("  ", f);
    cli_print_padded(f, zh ? "服务类别" : "Class", wname, false);
    fputs("  ", f);
    cli_print_padded(f, zh ? "基数（元）" : "Base (yuan)", 20, true);
    fputs("  ", f);
    cli_print_padded(f, zh ? "比例" : "Rate", 7, true);
    fputs("  ", f);
    cli_print_padded(f, zh ? "金额（元）" : "Amount (yuan)", 18, true);
    fputc('\n', f);
    for (int k = 0; k < 3; k++) {
        fputs("  ", f);
        cli_print_padded(f, class_label(p, k, zh), wname, false);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_class_base_fen(r, (embedsvc_class)k), a, sizeof(a));
        cli_print_padded(f, a, 20, true);
        fputs("  ", f);
        cli_format_percent(embedsvc_result_class_rate_bp(r, (embedsvc_class)k), b, sizeof(b));
        cli_print_padded(f, b, 7, true);
        fputs("  ", f);
        cli_format_yuan(embedsvc_result_class_amount_fen(r, (embedsvc_class)k), a, sizeof(a));
        cli_print_padded(f, a, 18, true);
        fputc('\n', f);
    }
    int64_t cap, headroom;
    cli_format_yuan(embedsvc_result_uncapped_fen(r), a, sizeof(a));
    fprintf(f, zh ? "  上限前（基本+普惠）：%s 元\n" : "  Before the cap (basic + inclusive): %s yuan\n", a);
    if (embedsvc_result_cap_fen(r, &cap)) {
        embedsvc_result_cap_headroom_fen(r, &headroom);
        cli_format_yuan(cap, a, sizeof(a));
        cli_format_wan(cap, b, sizeof(b));
        cli_format_yuan(headroom, c, sizeof(c));
        fprintf(f, zh ? "  上限：%s 元（%s 万元）%s，余量 %s 元\n" : "  Cap: %s yuan (%s 万元)%s, headroom %s yuan\n",
                a, b, embedsvc_result_capped(r) ? (zh ? "，已按上限核定" : ", applied") : "", c);
    } else {
        fputs(zh ? "  上限：无\n" : "  Cap: none\n", f);
    }
    int64_t total = embedsvc_result_total_fen(r);
    cli_format_yuan(total, a, sizeof(a));
    cli_format_wan(total, b, sizeof(b));
    fprintf(f, zh ? "  补助合计：%s 元（%s 万元）\n" : "  Total subsidy: %s yuan (%s 万元)\n", a, b);

    /* checks */
    fputs(zh ? "\n检查\n" : "\nChecks\n", f);
    for (size_t i = 0; i < embedsvc_result_check_count(r); i++) {
        int passed = embedsvc_result_check_passed(r, i);
        int64_t v = 0, t = 0;
        const char *vt = NULL;
        int vk = embedsvc_result_check_value(r, i, &v, &vt);
        int tk = embedsvc_result_check_threshold(r, i, &t);
        fprintf(f, "  %s %-20s", passed < 0 ? "-" : passed ? "✓" : "✗", embedsvc_result_check_rule(r, i));
        if (vk == 1)
            fprintf(f, " %lld", (long long)v);
        else if (vk == 2)
            fprintf(f, " %s", vt);
        if (tk == 1)
            fprintf(f, " / %lld", (long long)t);
        fprintf(f, "  [%s]\n", embedsvc_result_check_cite(r, i));
    }

    /* findings */
    size_t n = embedsvc_result_finding_count(r);
    fputs(zh ? "\n发现\n" : "\nFindings\n", f);
    if (n == 0)
        fputs(zh ? "  （无）\n" : "  (none)\n", f);
    char msg[2048];
    for (size_t i = 0; i < n; i++) {
        int sev = embedsvc_result_finding_severity(r, i);
        int fn = embedsvc_result_finding_function(r, i);
        const char *cite = embedsvc_result_finding_cite(r, i);
        embedsvc_result_finding_message(r, i, zh ? "zh" : "en", msg, sizeof(msg));
        fprintf(f, "  [%s] %s", zh ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_SEVERITY, sev)
                                   : embedsvc_enum_code(EMBEDSVC_ENUM_SEVERITY, sev),
                embedsvc_result_finding_code(r, i));
        if (fn >= 0)
            fprintf(f, zh ? "（功能 %d）" : " (function %d)", fn);
        if (cite)
            fprintf(f, " [%s]", cite);
        fprintf(f, "\n      %s\n", msg);
    }
}

static void print_unmet(const embedsvc_stage_report *rep, bool zh)
{
    char msg[1024];
    for (size_t i = 0; i < embedsvc_stage_report_count(rep); i++) {
        embedsvc_stage_report_message(rep, i, zh ? "zh" : "en", msg, sizeof(msg));
        printf("  ✗ %s [%s]\n      %s\n", embedsvc_stage_report_code(rep, i), embedsvc_stage_report_cite(rep, i), msg);
    }
}

/* The funding process section of the report: the next stage and what it still needs. */
static void print_process(const embedsvc_policy *p, const embedsvc_project *pr, const embedsvc_result *r, bool zh)
{
    int64_t stage;
    if (embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_STAGE, &stage) != 1)
        return;
    embedsvc_stage_report *rep = NULL;
    if (embedsvc_stage_report_new(NULL, &rep) != EMBEDSVC_OK)
        return;
    const char *(*name)(embedsvc_enum, int) = zh ? embedsvc_enum_name_zh : embedsvc_enum_code;
    printf(zh ? "\n资金流程（四、2）\n  当前阶段：%s\n" : "\nFunding process (四、2)\n  Stage: %s\n",
           name(EMBEDSVC_ENUM_STAGE, (int)stage));
    if (stage + 1 < EMBEDSVC_STAGE_COUNT &&
        embedsvc_stage_check(p, pr, (embedsvc_stage)(stage + 1), rep, NULL) == EMBEDSVC_OK) {
        printf(zh ? "  下一阶段：%s，%s\n" : "  Next stage: %s, %s\n", name(EMBEDSVC_ENUM_STAGE, (int)stage + 1),
               embedsvc_stage_report_allowed(rep) ? (zh ? "条件已具备" : "all preconditions met")
                                                  : (zh ? "尚缺：" : "still missing:"));
        print_unmet(rep, zh);
    }
    int64_t progress, approved, disbursed = 0, due;
    if (stage == EMBEDSVC_STAGE_DISBURSEMENT &&
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_PROGRESS, &progress) == 1) {
        embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISBURSED, &disbursed);
        /* the approved amount defaults to the computed total (reference §9) */
        if (embedsvc_project_get_int(pr, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_APPROVED, &approved) != 1)
            approved = embedsvc_result_total_fen(r);
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (embedsvc_disbursement(approved, progress, disbursed, &due, &err) == EMBEDSVC_OK) {
            char a[48];
            cli_format_yuan(due, a, sizeof(a));
            printf(zh ? "  按工程进度现可下达：%s 元\n" : "  Due now by construction progress: %s yuan\n", a);
        } else {
            printf("  %s: %s\n", err.code, err.message);
        }
    }
    embedsvc_stage_report_free(rep);
}

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
        print_report(p, pr, r, o->zh);
        print_process(p, pr, r, o->zh);
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
    const char *(*name)(embedsvc_enum, int) = o->zh ? embedsvc_enum_name_zh : embedsvc_enum_code;
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
    printf(o->zh ? "%s → %s：%s\n" : "%s -> %s: %s\n", name(EMBEDSVC_ENUM_STAGE, embedsvc_stage_report_current(rep)),
           name(EMBEDSVC_ENUM_STAGE, target),
           ok ? (o->zh ? "可以进入" : "allowed") : (o->zh ? "尚不能进入，缺少：" : "not yet allowed, missing:"));
    print_unmet(rep, o->zh);
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
    /* the same decimal rules as in a project file (reference §2) */
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
    cli_format_yuan(approved, a, sizeof(a));
    cli_format_percent((int)progress, pct, sizeof(pct));
    int64_t limit;
    embedsvc_disbursement(approved, progress, 0, &limit, NULL); /* the cumulative limit */
    cli_format_yuan(limit, b, sizeof(b));
    cli_format_yuan(disbursed, c, sizeof(c));
    cli_format_yuan(due, d, sizeof(d));
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
    char total[48], wan[48];
    cli_format_yuan(embedsvc_batch_stat(b, EMBEDSVC_BATCH_TOTAL_FEN), total, sizeof(total));
    cli_format_wan(embedsvc_batch_stat(b, EMBEDSVC_BATCH_TOTAL_FEN), wan, sizeof(wan));
    long long projects = embedsvc_batch_stat(b, EMBEDSVC_BATCH_PROJECTS);
    long long errors = embedsvc_batch_stat(b, EMBEDSVC_BATCH_ERRORS);
    double secs = now_seconds() - start;
    if (o->zh)
        fprintf(stderr, "embedsvc: 项目 %lld 个，符合条件 %lld 个（可申请补助 %lld 个），补助合计 %s 元（%s 万元），"
                        "错误行 %lld 行；用时 %.2f 秒\n",
                projects, (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_ELIGIBLE),
                (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE), total, wan, errors, secs);
    else
        fprintf(stderr, "embedsvc: %lld projects, %lld eligible (%lld for the subsidy), total subsidy %s yuan (%s 万元), "
                        "%lld error lines; %.2f s\n",
                projects, (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_ELIGIBLE),
                (long long)embedsvc_batch_stat(b, EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE), total, wan, errors, secs);
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
    embedsvc_name nm = o->zh ? EMBEDSVC_NAME_ZH : EMBEDSVC_NAME_EN;
    for (int i = 0; i < argc; i++) {
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (embedsvc_classify(p, argv[i], strlen(argv[i]), c, &err) != EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: argument %d: %s: %s\n", i + 1, err.code, err.message);
            status = EXIT_BAD_INPUT;
            continue;
        }
        embedsvc_match m = embedsvc_classification_match(c);
        int s = embedsvc_classification_scenario(c), it = embedsvc_classification_item(c);
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
        printf("%s\n  %s: %s", argv[i], o->zh ? "匹配" : "match", kinds[m]);
        if (embedsvc_classification_term(c))
            printf(o->zh ? "（词条“%s”）" : " (term \"%s\")", embedsvc_classification_term(c));
        putchar('\n');
        if (m == EMBEDSVC_MATCH_AMBIGUOUS) {
            printf("  %s:", o->zh ? "候选" : "candidates");
            for (size_t k = 0; k < embedsvc_classification_candidate_count(c); k++) {
                int cs, ci;
                embedsvc_classification_candidate(c, k, &cs, &ci);
                if (ci >= 0)
                    printf(" %s%s", o->zh ? "项目 " : "item ", embedsvc_policy_item_name(p, (size_t)ci, EMBEDSVC_NAME_ZH));
                else
                    printf(" %s", embedsvc_policy_scenario_name(p, (size_t)cs, EMBEDSVC_NAME_CODE));
                if (k + 1 < embedsvc_classification_candidate_count(c))
                    putchar(',');
            }
            putchar('\n');
        }
        if (m == EMBEDSVC_MATCH_EXACT || m == EMBEDSVC_MATCH_CONTAINS) {
            if (scode)
                printf("  %s: %s %s\n", o->zh ? "服务场景" : "scenario", scode,
                       embedsvc_policy_scenario_name(p, (size_t)s, nm));
            else
                printf("  %s: %s\n", o->zh ? "服务场景" : "scenario", o->zh ? "无（该项目不属于任何场景）" : "none (the item belongs to no scenario)");
            if (it >= 0)
                printf("  %s: %s\n", o->zh ? "服务项目" : "item", embedsvc_policy_item_name(p, (size_t)it, EMBEDSVC_NAME_ZH));
            printf("  %s: %s", o->zh ? "服务类别" : "class", ccode ? ccode : (o->zh ? "不确定" : "unknown"));
            if (ccode)
                printf(" %s", embedsvc_policy_class_name(p, (embedsvc_class)cls, nm));
            putchar('\n');
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
