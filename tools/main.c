/* embedsvc — the command-line tool (reference §11). A client of the public API only.
 * main() finds the command in the table below and hands it its arguments; each command
 * (tools/cmd_*.c) parses only its own options. See cli.h for how to add a command. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_check, cli_cmd_batch, cli_cmd_classify, cli_cmd_stage, cli_cmd_disburse,
    cli_cmd_compare, cli_cmd_policy_show, cli_cmd_policy_check, cli_cmd_policy_diff,
    cli_cmd_test;
#ifdef EMBEDSVC_HAVE_SERVE
extern const cli_command cli_cmd_serve;
#endif

char **cli_argv;

/* The command table, in the order of `embedsvc --help`. The embedsvc-serve helper
 * (tools/meson.build) is this file with EMBEDSVC_SERVE_HELPER: serve is its only command. */
const cli_command *const cli_commands[] = {
#ifndef EMBEDSVC_SERVE_HELPER
    &cli_cmd_check,
    &cli_cmd_batch,
    &cli_cmd_classify,
    &cli_cmd_stage,
    &cli_cmd_disburse,
    &cli_cmd_compare,
    &cli_cmd_policy_show,
    &cli_cmd_policy_check,
    &cli_cmd_policy_diff,
    &cli_cmd_test,
#endif
#ifdef EMBEDSVC_HAVE_SERVE
    &cli_cmd_serve,
#endif
    NULL,
};

static void usage(FILE *f)
{
    fputs("Usage: embedsvc COMMAND [OPTIONS] [ARGS]\n"
          "       embedsvc help COMMAND | embedsvc COMMAND --help\n"
          "\n"
          "Community embedded service facility projects (社区嵌入式服务设施) under the Beijing measures:\n"
          "eligibility, subsidy to the fen, and classification of facility names.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; cli_commands[i]; i++) {
        const cli_command *c = cli_commands[i];
        char left[64];
        snprintf(left, sizeof(left), "%s%s%s", c->name, c->args[0] ? " " : "", c->args);
        fprintf(f, "  %-30s %s\n", left, c->summary);
    }
    fputs("\n"
          "Common options (`embedsvc help COMMAND` lists each command's own):\n"
          "  --policy FILE   use this embedsvc.policy/1 file instead of the compiled-in policy\n"
          "  --lang zh|en    language of the text (default: en when LANG starts with \"en\", else zh)\n"
          "  -h, --help      print the command's help\n"
          "\n"
          "  --version       print the library and ABI version\n"
          "\n"
          "Exit status: 0 success (eligible, allowed, matched), 1 a negative answer or some bad\n"
          "lines, 2 bad input, usage, I/O or write error.\n"
          "\n"
          "Examples:\n"
          "  embedsvc check examples/projects/renovated-complex.json\n"
          "  embedsvc batch examples/projects/portfolio.jsonl -o results.jsonl\n"
          "  embedsvc classify 朝阳区双井街道养老服务驿站 便利店\n"
          "  embedsvc compare --policy default --policy policies/reform-cap-3000wan.json \\\n"
          "      examples/projects/portfolio.jsonl --html report.html\n",
          f);
}

/* The command named by argv[0] (and argv[1] for a two-word command); *words is 1 or 2. */
static const cli_command *find_command(int argc, char **argv, int *words)
{
    for (size_t i = 0; argc >= 2 && cli_commands[i]; i++) {
        const char *n = cli_commands[i]->name, *sp = strchr(n, ' ');
        if (sp && strlen(argv[0]) == (size_t)(sp - n) && strncmp(n, argv[0], (size_t)(sp - n)) == 0 &&
            strcmp(sp + 1, argv[1]) == 0) {
            *words = 2;
            return cli_commands[i];
        }
    }
    for (size_t i = 0; argc >= 1 && cli_commands[i]; i++)
        if (strcmp(cli_commands[i]->name, argv[0]) == 0) {
            *words = 1;
            return cli_commands[i];
        }
    return NULL;
}

/* A group of two-word commands ("policy"): prints its sub-commands. */
static bool print_group(FILE *f, const char *word)
{
    size_t len = strlen(word);
    bool any = false;
    for (size_t i = 0; cli_commands[i]; i++) {
        const char *n = cli_commands[i]->name;
        if (strncmp(n, word, len) == 0 && n[len] == ' ') {
            if (!any)
                fprintf(f, "Usage: embedsvc %s SUBCOMMAND [OPTIONS] [ARGS]\n\nSubcommands:\n", word);
            any = true;
            fprintf(f, "  %-30s %s\n", n, cli_commands[i]->summary);
        }
    }
    if (any)
        fprintf(f, "\nTry 'embedsvc %s SUBCOMMAND --help'.\n", word);
    return any;
}

/* Does some command take a value after option s (e.g. --policy FILE)? For options before the
 * command, which main() moves after it. */
static bool takes_value(const char *s)
{
    for (size_t i = 0; cli_commands[i]; i++)
        for (const cli_opt *o = cli_commands[i]->options; o->name; o++)
            if (o->kind != CLI_FLAG &&
                ((s[1] == '-' && strcmp(s + 2, o->name) == 0) || (s[1] == o->short_name && !s[2])))
                return true;
    return false;
}

static int help_command(int argc, char **argv)
{
    if (argc == 0) {
        usage(stdout);
        return 0;
    }
    int words;
    const cli_command *c = find_command(argc, argv, &words);
    if (c && words == argc) {
        cli_print_help(stdout, c);
        return 0;
    }
    if (argc == 1 && print_group(stdout, argv[0]))
        return 0;
    cli_usage_error(NULL, "no command '%s'", cli_esc(argv[0]));
}

static int dispatch(int argc, char **argv)
{
    /* options before the command go after it: `embedsvc --lang en check x` */
    char **args = calloc((size_t)argc + 1, sizeof(char *));
    if (!args) {
        fputs("embedsvc: out of memory\n", stderr);
        return EXIT_BAD_INPUT;
    }
    int lead = 0, i = 0;
    bool help = false, version = false;
    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "-") != 0 && strcmp(argv[i], "--") != 0) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            help = true;
        if (strcmp(argv[i], "--version") == 0)
            version = true;
        if (!strchr(argv[i], '=') && takes_value(argv[i]) && i + 1 < argc)
            args[lead++] = argv[i++];
        args[lead++] = argv[i++];
    }
    int rest = argc - i, words = 0, rc;
    if (version && rest == 0) { /* `embedsvc --version`, also after --lang or --policy */
        free(args);
        printf("embedsvc %s (libembedsvc %s, ABI %d)\n", EMBEDSVC_VERSION_STRING, embedsvc_version_string(),
               embedsvc_abi_version());
        return 0;
    }
    const cli_command *c = rest ? find_command(rest, argv + i, &words) : NULL;
    if (rest && strcmp(argv[i], "help") == 0) {
        free(args);
        return help_command(rest - 1, argv + i + 1);
    }
    if (!c) {
        free(args);
        if (rest == 0 && help) {
            usage(stdout);
            return 0;
        }
        if (rest == 0) {
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
        if (print_group(rest >= 2 && (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0) ? stdout
                                                                                                            : stderr,
                        argv[i]))
            return rest >= 2 && (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0)
                       ? 0
                       : EXIT_BAD_INPUT;
        cli_usage_error(NULL, "unknown command '%s'", cli_esc(argv[i]));
    }
    int n = lead;
    for (int k = i + words; k < argc; k++)
        args[n++] = argv[k];
    cli_args a;
    rc = cli_parse(c, n, args, &a);
    if (rc == 0)
        rc = c->run(c, &a);
    else
        rc = 0; /* --help */
    free(a.pos);
    free(args);
    return rc;
}

int main(int argc, char **argv)
{
    cli_argv = argv;
    int rc = dispatch(argc - 1, argv + 1);
    int wrc = cli_close_stdout();
    return wrc ? wrc : rc;
}
