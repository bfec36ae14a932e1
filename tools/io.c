/* Output files written atomically, checked writes, and JSON Lines read with bounded memory —
 * shared by the commands of the embedsvc tool (declared in cli.h). */
#include "cli.h"
#include "io_direct.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- atomic output files ---- */

#define OUT_SLOTS 4
static char tmp_name[OUT_SLOTS][PATH_MAX + 32];
static volatile sig_atomic_t tmp_live[OUT_SLOTS];
static volatile sig_atomic_t stdout_reserved; /* standard output has blocks allocated past its end */
static bool handlers_installed;

/* Gives back the blocks allocated past the end of standard output (a regular file): a truncation
 * to the size it has, which changes no byte. */
static void give_back_stdout(void)
{
    struct stat st;
    if (stdout_reserved && fstat(STDOUT_FILENO, &st) == 0)
        (void)ftruncate(STDOUT_FILENO, st.st_size);
    stdout_reserved = 0;
}

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files and give back what standard output holds
 * ahead, then die of the signal as usual. */
static void on_signal(int sig)
{
    for (int i = 0; i < OUT_SLOTS; i++)
        if (tmp_live[i])
            unlink(tmp_name[i]);
    give_back_stdout(); /* fstat and ftruncate are async-signal-safe */
    raise(sig); /* SA_RESETHAND restored the default action; delivered when this returns */
}

static void remove_temporaries(void)
{
    for (int i = 0; i < OUT_SLOTS; i++)
        if (tmp_live[i]) {
            tmp_live[i] = 0;
            unlink(tmp_name[i]);
        }
    give_back_stdout();
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
        struct stat st;
        o->regular = fstat(o->fd, &st) == 0 && S_ISREG(st.st_mode);
        off_t at = o->regular ? lseek(o->fd, 0, SEEK_CUR) : -1; /* `>>` or a shared descriptor */
        o->written = o->handed = at > 0 ? (uint64_t)at : 0;
        /* `> FILE`: blocks allocated ahead, as for a temporary file, when the output is at the
         * file's end, not appended to (where another writer's data could follow ours) */
        int fl = o->regular ? fcntl(o->fd, F_GETFL) : -1;
        o->reserve = fl >= 0 && !(fl & O_APPEND) && at == st.st_size;
        if (o->reserve)
            install_handlers();
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
    o->regular = true;
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
#define CLI_WRITEBACK_STEP ((uint64_t)8 << 20)

/* Starts the writeback of what an output file got since the last call, every 8 MiB (Linux), so
 * that a large output is written out while the work goes on rather than all at the end, where
 * cli_out_commit waits for it before the rename. A hint only: its failure is not a write error
 * (a real one surfaces at write, at the wait in cli_out_commit or at close). Not for standard
 * output: nothing waits for its data, which the system writes back as it does any program's. */
static void hand_to_writeback(cli_out *o)
{
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    if (o->regular && o->path && o->written - o->handed >= CLI_WRITEBACK_STEP) {
        (void)sync_file_range(o->fd, (off64_t)o->handed, (off64_t)(o->written - o->handed), SYNC_FILE_RANGE_WRITE);
        o->handed = o->written;
    }
#else
    (void)o;
#endif
}

#define CLI_RESERVE_STEP ((uint64_t)32 << 20)

/* Allocates the blocks of a temporary output ahead of its writes, 32 MiB at a time, beyond its
 * end (fallocate with FALLOC_FL_KEEP_SIZE; Linux): the file system then places the file as it is
 * written rather than in delayed allocation at writeback, and the rename over an existing file has
 * no delayed blocks to force out (ext4 auto_da_alloc). What is left over is given back at commit.
 * A hint only: on a file system that cannot, the file is written as before, and a full disk is
 * reported by the write that meets it. */
static void reserve_ahead(cli_out *o, size_t len)
{
#if defined(__linux__) && defined(FALLOC_FL_KEEP_SIZE)
    if (!o->reserve || o->written + len <= o->reserved)
        return;
    uint64_t from = o->reserved > o->written ? o->reserved : o->written;
    uint64_t step = o->written + len - from > CLI_RESERVE_STEP ? o->written + len - from : CLI_RESERVE_STEP;
    if (!o->path)
        stdout_reserved = 1; /* before the blocks exist: a signal during the call gives them back */
    if (fallocate(o->fd, FALLOC_FL_KEEP_SIZE, (off_t)from, (off_t)step) == 0)
        o->reserved = from + step;
    else
        o->reserve = false;
#else
    (void)o, (void)len;
#endif
}

/* Writes all of data with write(2) in large pieces; false after the message on failure. */
static bool write_all(cli_out *o, const char *p, size_t len)
{
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
        o->written += (uint64_t)n;
    }
    return !o->failed;
}

/* A temporary file's first MiB is written with write(2); from there on, past the page cache
 * (tools/io_direct.c), where the system allows. */
#define CLI_DIRECT_FROM ((uint64_t)1 << 20)

bool cli_out_write(cli_out *o, const void *data, size_t len)
{
    const char *p = data;
    if (o->slot >= 0 && !o->direct_tried && o->written + len >= CLI_DIRECT_FROM) {
        size_t head = (size_t)(CLI_DIRECT_FROM - o->written); /* no blocks allocated ahead yet */
        if (!write_all(o, p, head))
            return false;
        p += head;
        len -= head;
        o->direct_tried = true;
        o->direct = cli_direct_open(o->fd, o->written);
        o->reserve = !o->direct; /* a temporary file that cannot be written past the page cache */
    }
    if (o->direct) {
        int e = o->failed ? 0 : cli_direct_write(o->direct, p, len);
        if (e)
            write_failed(o, e);
        o->written += len;
        return !o->failed;
    }
    reserve_ahead(o, len);
    write_all(o, p, len);
    hand_to_writeback(o);
    return !o->failed;
}

/* Standard output's blocks allocated ahead given back, if no other writer has made the file
 * longer than what this process wrote (then its blocks stay). */
static void give_back_ahead(cli_out *o)
{
    struct stat st;
    if (o->path || !stdout_reserved)
        return;
    sigset_t old;
    block_signals(true, &old);
    if (o->reserved > o->written && fstat(o->fd, &st) == 0 && (uint64_t)st.st_size == o->written)
        (void)ftruncate(o->fd, st.st_size);
    stdout_reserved = 0;
    block_signals(false, &old);
    o->reserved = 0;
}

bool cli_out_commit(cli_out *o)
{
    if (!o->path) {
        give_back_ahead(o);
        return !o->failed;
    }
    if (o->failed) {
        cli_out_abort(o);
        return false;
    }
    if (o->direct) {
        int e = cli_direct_finish(o->direct);
        o->direct = NULL;
        if (e) {
            write_failed(o, e);
            cli_out_abort(o);
            return false;
        }
    }
    if (o->reserved > o->written && ftruncate(o->fd, (off_t)o->written) != 0) { /* the blocks left over */
        write_failed(o, errno);
        cli_out_abort(o);
        return false;
    }
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    /* The data on disk before it replaces the target: the blocks allocated ahead would otherwise
     * leave the file system nothing to force out at the rename, and a crash soon after it could
     * leave a file of the right size whose last part was never written. Most of it was handed to
     * writeback already (hand_to_writeback), so this waits for the last few MiB. */
    if (o->slot >= 0 &&
        sync_file_range(o->fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0 &&
        errno != ENOSYS && errno != EINVAL) { /* a system or file system without it */
        write_failed(o, errno);
        cli_out_abort(o);
        return false;
    }
#endif
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
    give_back_ahead(o);
    cli_direct_discard(o->direct);
    o->direct = NULL;
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

/* The lines come from the library's reader (include/embedsvc/lines.h): the line rules of
 * reference §7 and the 16 MiB limit are its, and it keeps at most the limit of a line. The input
 * is read straight into the chunk's data and fed to it piece by piece; a line that lies whole
 * within a piece is handed out in place, so the chunk keeps it where it was read, and only a
 * line begun in an earlier piece is copied (into the chunk's held bytes). A chunk ends only at
 * the end of a piece, when the reader keeps nothing of it: the next chunk may be read into
 * other memory while this one is being evaluated (docs/decisions.md §9.13). */

/* The least read: when a chunk is nearly full, its last read still takes this much. */
#define MIN_READ ((size_t)1 << 14)

struct cli_reader {
    int fd;
    const char *name;
    bool eof, last_short;
    int64_t fed; /* bytes fed to lines so far: the input offset of the next piece */
    embedsvc_lines *lines;
};

cli_reader *cli_reader_open(const char *path)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "embedsvc: %s: %s\n", cli_esc(path), strerror(errno));
        return NULL;
    }
    cli_reader *r = calloc(1, sizeof(*r));
    if (!r || embedsvc_lines_new(0, NULL, &r->lines) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        if (fd != STDIN_FILENO)
            close(fd);
        free(r);
        return NULL;
    }
    r->fd = fd;
    r->name = path;
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
    embedsvc_lines_free(r->lines);
    free(r);
}

bool cli_grow(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : first;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            return false;
        c *= 2;
    }
    void *n = realloc(*p, c * size);
    if (!n)
        return false;
    *p = n;
    *cap = c;
    return true;
}

/* Adds a line of the reader to the chunk: in place at data + at, or else its bytes (none for an
 * over-limit line) copied to the held bytes. */
static bool chunk_add(cli_chunk *c, const embedsvc_line *ln, bool in_place, size_t at)
{
    if (!cli_grow((void **)&c->lines, &c->lines_cap, c->nlines + 1, sizeof(cli_line), 1024))
        return false;
    cli_line l = {ln->number, at, ln->len, ln->kind, in_place};
    if (ln->text && !in_place) {
        if (!cli_grow((void **)&c->held, &c->held_cap, c->held_len + ln->len, 1, 1u << 16))
            return false;
        memcpy(c->held + c->held_len, ln->text, ln->len);
        l.off = c->held_len;
        c->held_len += ln->len;
    }
    c->lines[c->nlines++] = l;
    return true;
}

embedsvc_line cli_chunk_line(const cli_chunk *c, size_t i)
{
    const cli_line *l = &c->lines[i];
    const char *text = l->kind == EMBEDSVC_LINE_OVER_LIMIT ? NULL : (l->in_place ? c->data : c->held) + l->off;
    embedsvc_line ln = {l->number, 0, text, l->len, (embedsvc_line_kind)l->kind};
    return ln;
}

int cli_reader_next(cli_reader *r, cli_chunk *c, size_t target)
{
    c->len = c->held_len = 0;
    c->nlines = 0;
    if (c->held_cap > 8 * target + EMBEDSVC_LINE_LIMIT / 2) { /* do not keep the room of an over-long line */
        free(c->held);
        c->held = NULL;
        c->held_cap = 0;
    }
    for (;;) {
        if (c->nlines && (c->len + c->held_len + 16 * c->nlines >= target || r->last_short))
            return 1; /* full, or do not wait for more input while holding lines */
        if (r->eof)
            return c->nlines ? 1 : 0;
        size_t want = target > c->len + MIN_READ ? target - c->len : MIN_READ;
        if (!cli_grow((void **)&c->data, &c->cap, c->len + want, 1, target + MIN_READ))
            goto nomem;
        ssize_t n = read(r->fd, c->data + c->len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "embedsvc: %s: read error: %s\n", cli_display_name(r->name), strerror(errno));
            return -1;
        }
        r->last_short = (size_t)n < want;
        size_t start = c->len, end = start; /* end: past the last line kept in place */
        int64_t piece = r->fed;
        if (n == 0) {
            r->eof = true;
            embedsvc_lines_finish(r->lines); /* a last line without its newline comes next */
        } else {
            embedsvc_lines_feed(r->lines, c->data + start, (size_t)n);
            r->fed += n;
        }
        embedsvc_line ln;
        int rc;
        while ((rc = embedsvc_lines_next(r->lines, &ln)) == 1) {
            c->last_line = ln.number;
            if (ln.kind == EMBEDSVC_LINE_BLANK) /* no output: the line number is all that counts */
                continue;
            bool in_place = ln.text && n > 0 && ln.offset >= piece; /* whole within this piece */
            size_t at = in_place ? start + (size_t)(ln.offset - piece) : 0;
            if (!chunk_add(c, &ln, in_place, at))
                goto nomem;
            if (in_place)
                end = at + ln.len;
        }
        if (rc < 0)
            goto nomem;
        c->len = end; /* the rest of the piece is a line the reader now holds, or blank lines */
    }
nomem:
    fprintf(stderr, "embedsvc: %s: out of memory reading a line\n", cli_display_name(r->name));
    return -1;
}
