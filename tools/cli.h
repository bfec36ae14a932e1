/* The embedsvc command-line tool: the command table, the per-command option specs, and the
 * helpers every command shares (tools/cli.c: options, help, messages, escaping, amounts;
 * tools/io.c: checked output, atomic output files, JSON Lines read through embedsvc/lines.h).
 *
 * How to add a command (e.g. `embedsvc serve`):
 *   1. Write tools/cmd_serve.c. In it, an option spec (a {0}-terminated array of cli_opt; the
 *      common ones are the CLI_OPT_* macros below), a run function
 *      `static int run(const cli_command *cmd, cli_args *a)` that reads its options with
 *      cli_get()/cli_flag()/cli_list() and its positional arguments from a->pos/a->npos, and
 *      `const cli_command cli_cmd_serve = { "serve", "[ARGS]", "one-line summary", "description",
 *      options, "exit status lines", "example lines", run };`. The parser rejects every option
 *      not in the spec, a repeated single-value option and an empty value; `--help`/`-h` prints
 *      the help built from these fields, and so does `embedsvc help serve`.
 *   2. Add `extern const cli_command cli_cmd_serve;` and `&cli_cmd_serve` to the table in
 *      tools/main.c (a command with a sub-command is named "policy diff": two words).
 *   3. Add cmd_serve.c to tools/meson.build.
 * Output: print with stdio to stdout; main() flushes and closes stdout and turns any write error
 * into exit 2 (`embedsvc: write error: …`). A file the command writes goes through cli_out
 * (atomic: a temporary file renamed over the target on success). Text taken from input (names,
 * file names, library messages) goes through cli_esc() before it reaches a terminal.
 */
#ifndef EMBEDSVC_TOOLS_CLI_H
#define EMBEDSVC_TOOLS_CLI_H

#include <embedsvc.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXIT_BAD_INPUT 2
#define CLI_MAX_OPTIONS 16
#define CLI_MAX_LIST EMBEDSVC_COMPARE_MAX_POLICIES
/* The document limit of reference §10 (16 MiB), for files read whole (JSON Lines: the line reader's
 * EMBEDSVC_LINE_LIMIT, the same number). */
#define CLI_DOC_LIMIT (16u << 20)

/* ---- options and commands ---- */

typedef enum cli_opt_kind {
    CLI_FLAG,  /* --json */
    CLI_VALUE, /* --policy FILE, --policy=FILE, -o FILE, -oFILE; at most once */
    CLI_LIST   /* a value that may be repeated, up to CLI_MAX_LIST times (compare --policy) */
} cli_opt_kind;

typedef struct cli_opt {
    const char *name;       /* long name without "--" */
    char short_name;        /* 'o', or 0 */
    cli_opt_kind kind;
    const char *value_name; /* "FILE" in the help; NULL for a flag */
    const char *help;       /* one line (may contain "\n" + spaces for more) */
} cli_opt;

#define CLI_OPT_POLICY {"policy", 0, CLI_VALUE, "FILE", "use this embedsvc.policy/1 file (\"default\": the compiled-in one)"}
#define CLI_OPT_LANG {"lang", 0, CLI_VALUE, "zh|en", "language of the text (default: en when LANG starts with \"en\", else zh)"}
#define CLI_OPT_JSON {"json", 0, CLI_FLAG, NULL, "machine-readable JSON output"}

typedef struct cli_value {
    const char *value;              /* the (last) value, or NULL when absent; "1" for a flag */
    const char *list[CLI_MAX_LIST]; /* every value of a CLI_LIST */
    int count;
} cli_value;

struct cli_command;

typedef struct cli_args {
    const struct cli_command *cmd;
    cli_value opt[CLI_MAX_OPTIONS]; /* parallel to cmd->options */
    char **pos;                     /* the positional arguments */
    int npos;
    bool zh; /* --lang, else LANG */
} cli_args;

typedef struct cli_command {
    const char *name;        /* "check", or "policy show" */
    const char *args;        /* synopsis of the positional arguments: "FILE|-" */
    const char *summary;     /* one line for `embedsvc --help` */
    const char *description; /* a paragraph for `embedsvc CMD --help` */
    const cli_opt *options;  /* {0}-terminated */
    const char *exit_codes;  /* lines "  0  …\n" */
    const char *examples;    /* lines "  embedsvc …\n" */
    int (*run)(const struct cli_command *cmd, cli_args *a);
} cli_command;

/* The command table (tools/main.c), NULL-terminated. */
extern const cli_command *const cli_commands[];
/* main()'s argv, as the program was started. */
extern char **cli_argv;
/* `embedsvc serve`'s run (serve_command.c): the server in the embedsvc-serve helper (cmd_serve.c);
 * in embedsvc, the start of that helper with the same arguments (serve_exec.c). */
int cli_serve_run(const cli_command *cmd, cli_args *a);

/* Parses argv (the arguments after the command name) against cmd's option spec. Returns 0, or 1
 * when --help was given (the help is printed); a usage error exits 2 with a message. */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a);
/* The value of option `name` (NULL when absent), whether a flag is set, and a list option. */
const char *cli_get(const cli_args *a, const char *name);
bool cli_flag(const cli_args *a, const char *name);
const cli_value *cli_list(const cli_args *a, const char *name);
/* Prints cmd's help (usage, description, options, exit status, examples). */
void cli_print_help(FILE *f, const cli_command *cmd);
/* "embedsvc: MESSAGE", the command's usage line and "Try 'embedsvc CMD --help'."; exits 2. */
void cli_usage_error(const cli_command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* ---- messages and input ---- */

/* "<stdin>" for "-", else the path (escaped with cli_esc). */
const char *cli_display_name(const char *path);
/* `embedsvc: FILE:LINE:COLUMN: code: message (at /path)` on stderr, all of it escaped. */
void cli_report_error(const char *file, int64_t line, const embedsvc_error *err);
/* Reads a whole file (or stdin for "-"), at most limit + 1 bytes so that the library reports the
 * limit. NULL (after a message on stderr) on failure. */
char *cli_read_all(const char *path, size_t limit, size_t *len);
/* Loads a policy: NULL or "default" is the compiled-in one. Exits 2 with a message on failure. */
embedsvc_policy *cli_load_policy(const char *file);
/* The same, but NULL after the message instead of exiting (for commands that go on). */
embedsvc_policy *cli_try_load_policy(const char *file);
/* Flushes and closes stdout; on a write error prints `embedsvc: write error: …` and returns 2. */
int cli_close_stdout(void);

/* ---- text for people ---- */

/* Human-readable text from input with C0/C1 controls, DEL, bidi controls (U+202A–202E,
 * U+2066–2069), U+2028/2029 and invalid UTF-8 shown escaped (`\n`, `\t`, `\u001b`, `\xff`).
 * Returns s itself when nothing needs escaping, else a copy valid for the next 15 calls.
 * The escaping is report/'s esv_report_escape(), the one routine of every readable output. */
const char *cli_esc(const char *s);
/* The escaping itself: writes the escaped form of s[0..len) to out (room for 6 * len + 1 bytes);
 * returns its length. */
size_t cli_escape_text(const char *s, size_t len, char *out);
/* Display width of UTF-8 text in a terminal: East Asian wide characters count 2. */
int cli_display_width(const char *s);
/* Prints s padded with spaces to width columns, right-aligned when right. */
void cli_print_padded(FILE *f, const char *s, int width, bool right);
/* Amounts and percentages: esv_report_yuan(), esv_report_money(), esv_report_large(),
 * esv_report_percent() of report/report.h (the one number format). */
/* Writes a JSON string literal (quotes, backslashes and control characters escaped). */
void cli_json_string(FILE *f, const char *s);
/* Seconds on the monotonic clock. */
double cli_now(void);

/* ---- output files and input lines (tools/io.c) ---- */

/* An output: standard output ("-" or NULL), or a file written atomically: a temporary file in
 * the target's directory, renamed over the target by cli_out_commit(); removed by
 * cli_out_abort(), at exit and on SIGINT/SIGTERM/SIGHUP, so that an existing target is never
 * left half-written. A target that exists and is not a regular file (a device, a FIFO) is
 * written in place. */
typedef struct cli_out {
    int fd;
    const char *path; /* as given, NULL for stdout */
    int slot;         /* the temporary file's slot for the signal handler, or -1 */
    bool failed;      /* a write failed (the message is printed) */
    bool regular;     /* a regular file (a file given by path: its pages are handed to writeback
                         as they are written) */
    uint64_t written, handed; /* bytes written, and handed to writeback */
    uint64_t reserved; /* the end of the blocks allocated ahead (fallocate), 0 if none */
    bool reserve;      /* allocate ahead: a temporary file not written past the page cache, or
                          standard output at the end of a regular file */
    bool direct_tried; /* the temporary file was offered to tools/io_direct.c */
    struct cli_direct *direct; /* writing it past the page cache, or NULL */
} cli_out;

/* Grows the array *p of *cap elements of `size` bytes to hold `need` (doubling, from `first`);
 * false when that memory cannot be had (the array is then as it was). */
bool cli_grow(void **p, size_t *cap, size_t need, size_t size, size_t first);

/* Opens the output; false after a message on stderr. */
bool cli_out_open(cli_out *o, const char *path);
/* Writes all of data; false (once, after `embedsvc: write error: …`) on failure. */
bool cli_out_write(cli_out *o, const void *data, size_t len);
/* Closes and renames the temporary file over the target; false after a message on failure
 * (the temporary file is then removed). For stdout: nothing (main closes stdout). */
bool cli_out_commit(cli_out *o);
/* Closes and removes the temporary file; the target is untouched. */
void cli_out_abort(cli_out *o);
/* True when the output `out` (NULL or "-": standard output) is the input: the same path, or the
 * same regular file (device and inode) as the open descriptor in_fd or the file in_path; prints
 * the refusal. */
bool cli_out_is_input(const char *out, int in_fd, const char *in_path);

/* Reads JSON Lines with bounded memory through the library's line reader (embedsvc/lines.h:
 * the rules of reference §7; a line over the 16 MiB limit is not kept, only reported as
 * EMBEDSVC_LINE_OVER_LIMIT). Lines are handed out in chunks: the non-blank lines of about
 * `target` bytes of input, or fewer when input is slow to come (a pipe, a terminal); blank lines
 * give no output and are left out (their numbers are skipped). */
typedef struct cli_reader cli_reader;
typedef struct cli_line {
    int64_t number;      /* the physical line number (from 1) */
    size_t off, len;     /* its text in the chunk's data or held bytes (none for an over-limit line) */
    int kind;            /* EMBEDSVC_LINE_TEXT or EMBEDSVC_LINE_OVER_LIMIT */
    bool in_place;       /* in data, where it was read; else in held */
} cli_line;
typedef struct cli_chunk {
    char *data; /* the input as read, with the lines that lie whole within one read */
    size_t len, cap;
    char *held; /* the lines begun in an earlier read, copied */
    size_t held_len, held_cap;
    cli_line *lines;
    size_t nlines, lines_cap;
    int64_t last_line; /* the number of the last physical line read so far (blank ones too) */
} cli_chunk;

/* Line i of the chunk, for embedsvc_batch_framed() / embedsvc_compare_framed(). */
embedsvc_line cli_chunk_line(const cli_chunk *c, size_t i);

/* Opens path ("-": stdin); NULL after a message. */
cli_reader *cli_reader_open(const char *path);
int cli_reader_fd(const cli_reader *r);
/* Fills c (replacing its contents) with the next lines. Returns 1 when it holds lines, 0 at the
 * end of input, -1 on a read error or when memory runs out (after a message). */
int cli_reader_next(cli_reader *r, cli_chunk *c, size_t target);
void cli_reader_close(cli_reader *r);

#endif
