/* Output files written atomically, checked writes, and JSON Lines read with bounded memory —
 * shared by the commands of the embedsvc tool (declared in cli.h). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- atomic output files ---- */

#define OUT_SLOTS 4
static char tmp_name[OUT_SLOTS][PATH_MAX + 32];
static volatile sig_atomic_t tmp_live[OUT_SLOTS];
static bool handlers_installed;

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files, then die of the signal as usual. */
static void on_signal(int sig)
{
    for (int i = 0; i < OUT_SLOTS; i++)
        if (tmp_live[i])
            unlink(tmp_name[i]);
    raise(sig); /* SA_RESETHAND restored the default action; delivered when this returns */
}

static void remove_temporaries(void)
{
    for (int i = 0; i < OUT_SLOTS; i++)
        if (tmp_live[i]) {
            tmp_live[i] = 0;
            unlink(tmp_name[i]);
        }
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = true;
    atexit(remove_temporaries);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* e.g. SIGHUP under nohup stays ignored */
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static void block_signals(bool block, sigset_t *old)
{
    if (block) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &set, old);
    } else {
        pthread_sigmask(SIG_SETMASK, old, NULL);
    }
}

bool cli_out_open(cli_out *o, const char *path)
{
    memset(o, 0, sizeof(*o));
    o->slot = -1;
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return true;
    }
    o->path = path;
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) { /* a device or a FIFO: written in place */
        o->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (o->fd < 0) {
            fprintf(stderr, "embedsvc: %s: %s\n", cli_esc(path), strerror(errno));
            return false;
        }
        return true;
    }
    int slot = 0;
    while (slot < OUT_SLOTS && tmp_live[slot])
        slot++;
    const char *base = strrchr(path, '/');
    size_t dirlen = base ? (size_t)(base - path) + 1 : 0;
    base = base ? base + 1 : path;
    if (slot == OUT_SLOTS || strlen(path) + 24 > sizeof(tmp_name[0])) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_esc(path), strerror(ENAMETOOLONG));
        return false;
    }
    install_handlers();
    sigset_t old;
    block_signals(true, &old);
    snprintf(tmp_name[slot], sizeof(tmp_name[slot]), "%.*s.%s.embedsvc-XXXXXX", (int)dirlen, path, base);
    o->fd = mkostemp(tmp_name[slot], O_CLOEXEC);
    if (o->fd >= 0)
        tmp_live[slot] = 1;
    int e = errno;
    block_signals(false, &old);
    if (o->fd < 0) {
        fprintf(stderr, "embedsvc: %s: cannot create a temporary file beside it: %s\n", cli_esc(path), strerror(e));
        return false;
    }
    o->slot = slot;
    /* the mode the file would have had: the target's, or 0666 less the umask */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    fchmod(o->fd, mode);
    return true;
}

static void write_failed(cli_out *o, int e)
{
    if (o->failed)
        return;
    o->failed = true;
    if (o->path)
        fprintf(stderr, "embedsvc: write error: %s: %s\n", cli_esc(o->path), strerror(e));
    else
        fprintf(stderr, "embedsvc: write error: %s\n", strerror(e));
}

#define CLI_WRITE_PIECE ((size_t)256 << 10) /* large writes, but within the caches */

bool cli_out_write(cli_out *o, const void *data, size_t len)
{
    const char *p = data;
    while (len && !o->failed) {
        ssize_t n = write(o->fd, p, len < CLI_WRITE_PIECE ? len : CLI_WRITE_PIECE);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            write_failed(o, n < 0 ? errno : EIO);
            break;
        }
        p += n;
        len -= (size_t)n;
    }
    return !o->failed;
}

bool cli_out_commit(cli_out *o)
{
    if (!o->path)
        return !o->failed;
    if (o->failed) {
        cli_out_abort(o);
        return false;
    }
    int rc = close(o->fd);
    o->fd = -1;
    if (rc != 0) {
        write_failed(o, errno);
        cli_out_abort(o);
        return false;
    }
    if (o->slot < 0)
        return true;
    sigset_t old;
    block_signals(true, &old);
    rc = rename(tmp_name[o->slot], o->path);
    int e = errno;
    if (rc == 0)
        tmp_live[o->slot] = 0;
    block_signals(false, &old);
    if (rc != 0) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_esc(o->path), strerror(e));
        cli_out_abort(o);
        return false;
    }
    o->slot = -1;
    return true;
}

void cli_out_abort(cli_out *o)
{
    if (o->path && o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->slot >= 0) {
        sigset_t old;
        block_signals(true, &old);
        unlink(tmp_name[o->slot]);
        tmp_live[o->slot] = 0;
        block_signals(false, &old);
        o->slot = -1;
    }
}

bool cli_out_is_input(const char *out, int in_fd, const char *in_path)
{
    struct stat so, si;
    bool to_stdout = !out || strcmp(out, "-") == 0;
    bool same = !to_stdout && in_path && strcmp(in_path, "-") != 0 && strcmp(out, in_path) == 0;
    if (!same && (to_stdout ? fstat(STDOUT_FILENO, &so) : stat(out, &so)) == 0) { /* also `> input` */
        int rc = in_fd >= 0 ? fstat(in_fd, &si) : in_path && strcmp(in_path, "-") != 0 ? stat(in_path, &si) : -1;
        same = rc == 0 && S_ISREG(si.st_mode) && si.st_dev == so.st_dev && si.st_ino == so.st_ino;
    }
    if (same)
        fprintf(stderr, "embedsvc: %s: the output is the input %s; refusing to overwrite it (write elsewhere)\n",
                to_stdout ? "<stdout>" : cli_esc(out), in_path ? cli_display_name(in_path) : "");
    return same;
}

/* ---- JSON Lines with bounded memory ---- */

#define READ_SIZE (1u << 20)
#define KEEP (CLI_DOC_LIMIT + 2) /* longer than this is over the limit, even after a '\r' goes */

struct cli_reader {
    int fd;
    const char *name;
    bool eof, last_short;
    char *buf;
    size_t pos, len;
    char *carry; /* a line begun in one chunk and handed on to the next */
    size_t carry_len;
    bool over; /* the line in progress is longer than KEEP: the rest is being skipped */
    int blank; /* over-long line: 0 white space so far, 1/2 inside U+3000 (E3 80 80), -1 not blank */
    int64_t next_line;
};

static const char *long_line;

static void long_line_unmap(void)
{
    munmap((void *)long_line, KEEP);
}

/* KEEP bytes that stand for an over-long line: over the limit, not white space, not ending in
 * '\r'. Mapped but never touched except its first and last page, so it costs no memory. */
const char *cli_long_line(size_t *len)
{
    *len = KEEP;
    return long_line;
}

cli_reader *cli_reader_open(const char *path)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_esc(path), strerror(errno));
        return NULL;
    }
    cli_reader *r = calloc(1, sizeof(*r));
    if (r)
        r->buf = malloc(READ_SIZE);
    if (!r || !r->buf) {
        fputs("embedsvc: out of memory\n", stderr);
        if (fd != STDIN_FILENO)
            close(fd);
        free(r);
        return NULL;
    }
    if (!long_line) {
        void *m = mmap(NULL, KEEP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) {
            fputs("embedsvc: out of memory\n", stderr);
            free(r->buf);
            free(r);
            if (fd != STDIN_FILENO)
                close(fd);
            return NULL;
        }
        ((char *)m)[0] = '?';
        ((char *)m)[KEEP - 1] = '?';
        mprotect(m, KEEP, PROT_READ);
        long_line = m;
        atexit(long_line_unmap);
    }
    r->fd = fd;
    r->name = path;
    r->next_line = 1;
    return r;
}

int cli_reader_fd(const cli_reader *r)
{
    return r->fd;
}

void cli_reader_close(cli_reader *r)
{
    if (!r)
        return;
    if (r->fd != STDIN_FILENO)
        close(r->fd);
    free(r->buf);
    free(r->carry);
    free(r);
}

/* The white space of reference §4 (ASCII 09-0D, 20, and U+3000), byte by byte across calls. */
static int blank_feed(int state, const char *s, size_t n)
{
    for (size_t i = 0; i < n && state >= 0; i++) {
        unsigned char c = (unsigned char)s[i];
        if (state == 0)
            state = c == 0x20 || (c >= 0x09 && c <= 0x0D) ? 0 : c == 0xE3 ? 1 : -1;
        else
            state = c != 0x80 ? -1 : state == 1 ? 2 : 0;
    }
    return state;
}

static bool reserve(cli_chunk *c, size_t need)
{
    if (need <= c->cap)
        return true;
    size_t cap = c->cap ? c->cap : READ_SIZE + 4096;
    while (cap < need)
        cap *= 2;
    char *nd = realloc(c->data, cap);
    if (!nd)
        return false;
    c->data = nd;
    c->cap = cap;
    return true;
}

/* Gives back the room an over-long line took. */
static void shrink(cli_chunk *c)
{
    if (c->cap <= 4 * READ_SIZE)
        return;
    char *nd = realloc(c->data, c->len + READ_SIZE);
    if (nd) {
        c->data = nd;
        c->cap = c->len + READ_SIZE;
    }
}

/* Adds bytes to the line in progress, the *tail bytes after the chunk's complete lines. Once
 * the line is longer than KEEP its bytes are dropped and the rest only looked at (is the line
 * white space only?). */
static bool line_add(cli_reader *r, cli_chunk *c, size_t *tail, const char *p, size_t n)
{
    if (!r->over) {
        if (*tail + n <= KEEP) {
            if (!reserve(c, c->len + *tail + n + 1))
                return false;
            memcpy(c->data + c->len + *tail, p, n);
            *tail += n;
            return true;
        }
        r->over = true;
        r->blank = blank_feed(0, c->data + c->len, *tail);
        *tail = 0;
        shrink(c);
    }
    r->blank = blank_feed(r->blank, p, n);
    return true;
}

/* Ends the line in progress. An over-long line that is white space only is an empty line; any
 * other is an empty line listed in c->long_lines, for which cli_long_line() stands in. */
static bool line_end(cli_reader *r, cli_chunk *c, size_t *tail)
{
    if (r->over && r->blank != 0) {
        if (c->nlong == c->long_cap) {
            size_t cap = c->long_cap ? 2 * c->long_cap : 16;
            int64_t *nl = realloc(c->long_lines, cap * sizeof(int64_t));
            if (!nl)
                return false;
            c->long_lines = nl;
            c->long_cap = cap;
        }
        c->long_lines[c->nlong++] = r->next_line;
    }
    if (!reserve(c, c->len + *tail + 1))
        return false;
    c->data[c->len + *tail] = '\n';
    c->len += *tail + 1;
    c->lines++;
    *tail = 0;
    r->over = false;
    r->next_line++;
    return true;
}

int cli_reader_next(cli_reader *r, cli_chunk *c, size_t target)
{
    c->len = 0;
    c->lines = 0;
    c->nlong = 0;
    c->first_line = r->next_line;
    if (c->cap > 8 * target + KEEP / 2) { /* do not keep the room of an over-long line */
        free(c->data);
        c->data = NULL;
        c->cap = 0;
    }
    size_t tail = 0;
    if (r->carry_len) {
        if (!reserve(c, r->carry_len + 1))
            goto nomem;
        memcpy(c->data, r->carry, r->carry_len);
        tail = r->carry_len;
        free(r->carry);
        r->carry = NULL;
        r->carry_len = 0;
    }
    bool partial = tail > 0 || r->over;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof || (c->lines && r->last_short))
                break; /* do not wait for more input while holding lines */
            ssize_t n = read(r->fd, r->buf, READ_SIZE);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                fprintf(stderr, "embedsvc: %s: read error: %s\n", cli_display_name(r->name), strerror(errno));
                return -1;
            }
            r->pos = 0;
            r->len = (size_t)n;
            r->last_short = (size_t)n < READ_SIZE;
            if (n == 0) {
                r->eof = true;
                if (partial && !line_end(r, c, &tail)) /* a last line without its newline */
                    goto nomem;
                break;
            }
        }
        char *start = r->buf + r->pos;
        char *nl = memchr(start, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - start) : r->len - r->pos;
        if (!line_add(r, c, &tail, start, n))
            goto nomem;
        if (!nl) {
            partial = true;
            r->pos = r->len;
            continue;
        }
        if (!line_end(r, c, &tail))
            goto nomem;
        partial = false;
        r->pos = (size_t)(nl + 1 - r->buf);
        if (c->len >= target)
            break;
    }
    if (tail) { /* the line in progress goes on in the next chunk */
        r->carry = malloc(tail);
        if (!r->carry)
            goto nomem;
        memcpy(r->carry, c->data + c->len, tail);
        r->carry_len = tail;
    }
    return c->lines ? 1 : 0;
nomem:
    fprintf(stderr, "embedsvc: %s: out of memory reading a line\n", cli_display_name(r->name));
    return -1;
}
