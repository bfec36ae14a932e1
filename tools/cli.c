/* Helpers shared by the commands of the embedsvc tool: option parsing against a command's spec,
 * help, messages, escaping of text from input, and amounts for reports. */
#include "cli.h"
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- options ---- */

static int find_long(const cli_opt *spec, const char *name, size_t len)
{
    for (int i = 0; spec[i].name; i++)
        if (strlen(spec[i].name) == len && memcmp(spec[i].name, name, len) == 0)
            return i;
    return -1;
}

static int find_short(const cli_opt *spec, char c)
{
    for (int i = 0; spec[i].name; i++)
        if (spec[i].short_name == c)
            return i;
    return -1;
}

/* An option not in cmd's spec: one that another command takes "does not apply", else unknown. */
static void unknown_option(const cli_command *cmd, const char *shown, const char *name, size_t len)
    __attribute__((noreturn));
static void unknown_option(const cli_command *cmd, const char *shown, const char *name, size_t len)
{
    for (size_t i = 0; name && cli_commands[i]; i++)
        if (find_long(cli_commands[i]->options, name, len) >= 0)
            cli_usage_error(cmd, "option '%s' does not apply to '%s'", cli_esc(shown), cmd->name);
    for (size_t i = 0; !name && shown[1] && cli_commands[i]; i++)
        if (find_short(cli_commands[i]->options, shown[1]) >= 0 && !shown[2])
            cli_usage_error(cmd, "option '%s' does not apply to '%s'", cli_esc(shown), cmd->name);
    cli_usage_error(cmd, "unknown option '%s' for '%s'", cli_esc(shown), cmd->name);
}

static void set_value(const cli_command *cmd, cli_args *a, int k, const char *shown, const char *v)
{
    const cli_opt *o = &cmd->options[k];
    cli_value *val = &a->opt[k];
    if (o->kind == CLI_FLAG) {
        val->value = "1";
        val->count++;
        return;
    }
    if (!v)
        cli_usage_error(cmd, "option '%s' needs a value (%s)", cli_esc(shown), o->value_name);
    if (!v[0])
        cli_usage_error(cmd, "option '%s' needs a non-empty value (%s)", cli_esc(shown), o->value_name);
    if (o->kind == CLI_VALUE && val->count)
        cli_usage_error(cmd, "option '%s' given more than once ('%s' takes one)", cli_esc(shown), cmd->name);
    if (o->kind == CLI_LIST) {
        if (val->count == CLI_MAX_LIST)
            cli_usage_error(cmd, "option '%s' given more than %d times", cli_esc(shown), CLI_MAX_LIST);
        val->list[val->count] = v;
    }
    val->count++;
    val->value = v;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof(*a));
    a->cmd = cmd;
    a->pos = calloc((size_t)argc + 1, sizeof(char *));
    if (!a->pos) {
        fputs("embedsvc: out of memory\n", stderr);
        exit(EXIT_BAD_INPUT);
    }
    bool only_args = false, help = false;
    for (int i = 0; i < argc; i++) {
        char *s = argv[i];
        if (only_args || s[0] != '-' || strcmp(s, "-") == 0) {
            a->pos[a->npos++] = s;
            continue;
        }
        if (strcmp(s, "--") == 0) {
            only_args = true;
            continue;
        }
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            help = true;
            continue;
        }
        int k;
        const char *v = NULL;
        if (s[1] == '-') { /* --name, --name=value */
            const char *eq = strchr(s + 2, '=');
            size_t n = eq ? (size_t)(eq - (s + 2)) : strlen(s + 2);
            k = find_long(cmd->options, s + 2, n);
            if (k < 0) {
                char name[80];
                snprintf(name, sizeof(name), "%.*s", (int)(n + 2 < 79 ? n + 2 : 79), s);
                unknown_option(cmd, name, s + 2, n);
            }
            if (eq) {
                if (cmd->options[k].kind == CLI_FLAG)
                    cli_usage_error(cmd, "option '--%s' takes no value", cmd->options[k].name);
                v = eq + 1;
            } else if (cmd->options[k].kind != CLI_FLAG) {
                v = i + 1 < argc ? argv[++i] : NULL;
            }
            char shown[64];
            snprintf(shown, sizeof(shown), "--%s", cmd->options[k].name);
            set_value(cmd, a, k, shown, v);
        } else { /* -o FILE, -oFILE, -j4 */
            k = find_short(cmd->options, s[1]);
            if (k < 0 || (s[2] && cmd->options[k].kind == CLI_FLAG))
                unknown_option(cmd, s, NULL, 0);
            if (cmd->options[k].kind != CLI_FLAG)
                v = s[2] ? s + 2 : i + 1 < argc ? argv[++i] : NULL;
            char shown[3] = {'-', s[1], 0};
            set_value(cmd, a, k, shown, v);
        }
    }
    const char *lang = getenv("LANG");
    a->zh = !(lang && strncmp(lang, "en", 2) == 0);
    const char *l = cli_get(a, "lang");
    if (l) {
        if (strcmp(l, "zh") != 0 && strcmp(l, "en") != 0)
            cli_usage_error(cmd, "--lang takes zh or en, not '%s'", cli_esc(l));
        a->zh = strcmp(l, "zh") == 0;
    }
    if (help) {
        cli_print_help(stdout, cmd);
        return 1;
    }
    return 0;
}

static const cli_value *lookup(const cli_args *a, const char *name)
{
    int k = find_long(a->cmd->options, name, strlen(name));
    return k < 0 ? NULL : &a->opt[k];
}

const char *cli_get(const cli_args *a, const char *name)
{
    const cli_value *v = lookup(a, name);
    return v ? v->value : NULL;
}

bool cli_flag(const cli_args *a, const char *name)
{
    return cli_get(a, name) != NULL;
}

const cli_value *cli_list(const cli_args *a, const char *name)
{
    return lookup(a, name);
}

/* ---- help ---- */

void cli_print_help(FILE *f, const cli_command *cmd)
{
    fprintf(f, "Usage: embedsvc %s [OPTIONS]%s%s\n\n%s\n", cmd->name, cmd->args[0] ? " " : "", cmd->args,
            cmd->description);
    fputs("\nOptions:\n", f);
    for (const cli_opt *o = cmd->options; o->name; o++) {
        char left[64];
        int n = o->short_name ? snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->name)
                              : snprintf(left, sizeof(left), "--%s", o->name);
        if (o->value_name)
            snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->value_name);
        fprintf(f, "  %-22s %s%s\n", left, o->help, o->kind == CLI_LIST ? " (repeatable)" : "");
    }
    fprintf(f, "  %-22s %s\n", "-h, --help", "print this help");
    if (cmd->exit_codes && cmd->exit_codes[0])
        fprintf(f, "\nExit status:\n%s", cmd->exit_codes);
    if (cmd->examples && cmd->examples[0])
        fprintf(f, "\nExamples:\n%s", cmd->examples);
}

void cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("embedsvc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nUsage: embedsvc %s [OPTIONS]%s%s\nTry 'embedsvc %s --help'.\n", cmd->name,
                cmd->args[0] ? " " : "", cmd->args, cmd->name);
    else
        fputs("\nTry 'embedsvc --help'.\n", stderr);
    exit(EXIT_BAD_INPUT);
}

/* ---- messages and input ---- */

const char *cli_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : cli_esc(path);
}

void cli_report_error(const char *file, int64_t line, const embedsvc_error *err)
{
    fprintf(stderr, "embedsvc: %s:", cli_display_name(file));
    if (line > 0)
        fprintf(stderr, "%lld:%u:", (long long)line, err->column);
    else if (err->line)
        fprintf(stderr, "%u:%u:", err->line, err->column);
    fprintf(stderr, " %s: %s", err->code, cli_esc(err->message));
    if (err->path[0])
        fprintf(stderr, " (at %s)", cli_esc(err->path));
    fputc('\n', stderr);
}

char *cli_read_all(const char *path, size_t limit, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_display_name(path), strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > limit)
                break;
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
    int e = errno;
    bool failed = !buf || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_display_name(path), buf ? strerror(e) : "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

embedsvc_policy *cli_try_load_policy(const char *file)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    embedsvc_policy *p = NULL;
    int rc;
    if (!file || strcmp(file, "default") == 0) {
        rc = embedsvc_policy_default(NULL, &p, &err);
    } else {
        size_t len;
        char *data = cli_read_all(file, CLI_DOC_LIMIT, &len);
        if (!data)
            return NULL;
        rc = embedsvc_policy_load_buffer(data, len, NULL, &p, &err);
        free(data);
    }
    if (rc != EMBEDSVC_OK) {
        cli_report_error(file ? file : "<default policy>", 0, &err);
        return NULL;
    }
    return p;
}

embedsvc_policy *cli_load_policy(const char *file)
{
    embedsvc_policy *p = cli_try_load_policy(file);
    if (!p)
        exit(EXIT_BAD_INPUT);
    return p;
}

int cli_close_stdout(void)
{
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = true;
        e = errno;
    }
    if (!bad)
        return 0;
    fprintf(stderr, "embedsvc: write error: %s\n", strerror(e ? e : EIO));
    return EXIT_BAD_INPUT;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- escaping and layout: report/ (the one routine of every readable output) ---- */

size_t cli_escape_text(const char *str, size_t len, char *out)
{
    return esv_report_escape(str, len, out, 6 * len + 1);
}

#define ESC_RING 16
static char *esc_ring[ESC_RING];
static unsigned esc_next;

static void esc_free(void)
{
    for (int i = 0; i < ESC_RING; i++) {
        free(esc_ring[i]);
        esc_ring[i] = NULL;
    }
}

const char *cli_esc(const char *s)
{
    if (!s)
        return s;
    size_t len = strlen(s);
    /* escaping never shortens: the same length means nothing needed it */
    if (esv_report_escape(s, len, NULL, 0) == len)
        return s;
    if (esc_next == 0)
        atexit(esc_free);
    unsigned slot = esc_next++ % ESC_RING;
    free(esc_ring[slot]);
    esc_ring[slot] = esv_report_escape_dup(s);
    return esc_ring[slot] ? esc_ring[slot] : "?";
}

int cli_display_width(const char *s)
{
    return esv_report_width(s);
}

void cli_print_padded(FILE *f, const char *s, int width, bool right)
{
    int pad = width - cli_display_width(s);
    for (int i = 0; right && i < pad; i++)
        fputc(' ', f);
    fputs(s, f);
    for (int i = 0; !right && i < pad; i++)
        fputc(' ', f);
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}
