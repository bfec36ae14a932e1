/* A large output file written past the page cache (O_DIRECT) through io_uring, while the command
 * goes on working — the temporary files of tools/io.c (declared in io_direct.h).
 *
 * The data is copied into a ring of 2 MiB buffers; each full buffer is handed to the kernel as
 * one write (io_uring, raw system calls: no library needed) and the command goes on filling the
 * next while the disk writes it. The file's size is set ahead of the writes (ftruncate: a sparse
 * tail, no blocks), doubling from 64 MiB, so that no write extends the file (ext4 would wait for
 * such a write), and set to the bytes written at the end. The tail, less than a buffer, is
 * written the ordinary way. Where the system or the file system cannot (no O_DIRECT, io_uring
 * absent or forbidden, an older kernel without IORING_OP_WRITE), the rest is written with
 * pwrite: the same bytes, only slower; a real write error (a full disk, an I/O error, the file
 * size limit) is reported as such. docs/decisions.md §9.9. */
#include "io_direct.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#if __has_include(<linux/io_uring.h>)
#include <linux/io_uring.h>
#endif
#endif

#if defined(O_DIRECT) && defined(SYS_io_uring_setup) && defined(SYS_io_uring_enter) && defined(IORING_OFF_SQ_RING)
#define HAVE_DIRECT 1
#endif

#ifdef HAVE_DIRECT

#define BUF_SIZE ((size_t)2 << 20)     /* a multiple of every block size O_DIRECT may need; one huge page */
#define BUF_COUNT 4                    /* up to 8 MiB in flight */
#define RING_SIZE (BUF_COUNT * BUF_SIZE)
#define HUGE_PAGE ((size_t)2 << 20)    /* the buffers are aligned to it */
#define FIRST_SIZE ((uint64_t)64 << 20) /* the file's first size set ahead; then doubled */
#define PIECE ((size_t)256 << 10)      /* pwrite size where direct writing is not possible */

struct cli_direct {
    int fd, ring_fd;
    bool buffered;    /* direct writing stopped: the rest with pwrite */
    int err;          /* the first write error (errno), 0 if none */
    int cur;          /* the buffer being filled */
    size_t fill;      /* bytes in it */
    uint64_t at;      /* the file offset of its first byte */
    uint64_t size;    /* the file's size as set ahead, 0 if never */
    uint64_t limit;   /* RLIMIT_FSIZE: the size is never set past it */
    int in_flight;
    bool busy[BUF_COUNT];
    uint64_t off_of[BUF_COUNT]; /* the offset of each buffer in flight */
    char *mem;                  /* the buffers: RING_SIZE bytes, mapped for them */
    /* the io_uring queues, mapped from ring_fd */
    void *sq_map, *cq_map;
    size_t sq_map_len, cq_map_len;
    struct io_uring_sqe *sqes;
    size_t sqes_len;
    unsigned *sq_tail, *sq_array, sq_mask;
    unsigned *cq_head, *cq_tail, cq_mask;
    struct io_uring_cqe *cqes;
};

static int uring_setup(unsigned entries, struct io_uring_params *p)
{
    return (int)syscall(SYS_io_uring_setup, entries, p);
}

static int uring_enter(int fd, unsigned submit, unsigned wait, unsigned flags)
{
    return (int)syscall(SYS_io_uring_enter, fd, submit, wait, flags, NULL, (size_t)0);
}

/* Writes len bytes at off with pwrite; 0 or an errno value. */
static int pwrite_all(int fd, const char *p, size_t len, uint64_t off)
{
    while (len) {
        ssize_t n = pwrite(fd, p, len < PIECE ? len : PIECE, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

/* Takes O_DIRECT off the descriptor (what is in flight goes on as it was submitted): the rest
 * is written with pwrite. */
static void clear_direct(cli_direct *d)
{
    int fl = fcntl(d->fd, F_GETFL);
    if (fl >= 0 && (fl & O_DIRECT))
        (void)fcntl(d->fd, F_SETFL, fl & ~O_DIRECT);
    d->buffered = true;
}

/* One completed write: a write the file system refused as direct I/O (EINVAL, EOPNOTSUPP), or
 * wrote short, is written again with pwrite from where it stopped; another failure is the
 * write error. */
static void completed(cli_direct *d, const struct io_uring_cqe *c)
{
    int i = (int)c->user_data;
    d->busy[i] = false;
    d->in_flight--;
    if (c->res == (int)BUF_SIZE)
        return;
    if (c->res < 0 && c->res != -EINVAL && c->res != -EOPNOTSUPP) {
        d->err = d->err ? d->err : -c->res;
        return;
    }
    size_t done = c->res > 0 ? (size_t)c->res : 0;
    clear_direct(d);
    if (!d->err)
        d->err = pwrite_all(d->fd, d->mem + (size_t)i * BUF_SIZE + done, BUF_SIZE - done, d->off_of[i] + done);
}

/* Collects completions until at most `most` writes are in flight (0: all done). */
static void reap(cli_direct *d, int most)
{
    while (d->in_flight > most) {
        unsigned head = *d->cq_head, tail = __atomic_load_n(d->cq_tail, __ATOMIC_ACQUIRE);
        if (head == tail) {
            if (uring_enter(d->ring_fd, 0, 1, IORING_ENTER_GETEVENTS) < 0 && errno != EINTR) {
                d->err = d->err ? d->err : errno; /* not with a valid ring; rather than spin */
                return;
            }
            continue;
        }
        for (; head != tail; head++)
            completed(d, &d->cqes[head & d->cq_mask]);
        __atomic_store_n(d->cq_head, head, __ATOMIC_RELEASE);
    }
}

/* Stops direct writing: waits for what is in flight, and takes O_DIRECT off the descriptor. */
static void go_buffered(cli_direct *d)
{
    reap(d, 0);
    clear_direct(d);
}

/* Hands buffer i, full, to the kernel as a write at d->at; false when it cannot be queued. */
static bool submit(cli_direct *d, int i)
{
    unsigned tail = *d->sq_tail, index = tail & d->sq_mask;
    struct io_uring_sqe *e = &d->sqes[index];
    memset(e, 0, sizeof(*e));
    e->opcode = IORING_OP_WRITE;
    e->fd = d->fd;
    e->addr = (uint64_t)(uintptr_t)(d->mem + (size_t)i * BUF_SIZE);
    e->len = (uint32_t)BUF_SIZE;
    e->off = d->at;
    e->user_data = (uint64_t)i;
    d->sq_array[index] = index;
    __atomic_store_n(d->sq_tail, tail + 1, __ATOMIC_RELEASE);
    int n;
    do
        n = uring_enter(d->ring_fd, 1, 0, 0);
    while (n < 0 && errno == EINTR);
    if (n != 1) {
        __atomic_store_n(d->sq_tail, tail, __ATOMIC_RELEASE); /* not consumed: taken back */
        return false;
    }
    d->busy[i] = true;
    d->off_of[i] = d->at;
    d->in_flight++;
    return true;
}

/* Writes the full current buffer: handed to the kernel, or with pwrite. */
static void flush_buffer(cli_direct *d)
{
    int i = d->cur;
    if (!d->buffered && d->at + BUF_SIZE > d->size) {
        uint64_t size = d->at >= FIRST_SIZE / 2 ? 2 * d->at : FIRST_SIZE;
        if (size > d->limit)
            size = d->limit;
        if (d->at + BUF_SIZE > size || ftruncate(d->fd, (off_t)size) != 0)
            go_buffered(d); /* the file size limit is then met by the write that reaches it */
        else
            d->size = size;
    }
    if (!d->buffered && !submit(d, i))
        go_buffered(d);
    if (d->buffered && !d->err)
        d->err = pwrite_all(d->fd, d->mem + (size_t)i * BUF_SIZE, BUF_SIZE, d->at);
    d->at += BUF_SIZE;
    d->fill = 0;
    d->cur = (d->cur + 1) % BUF_COUNT;
}

/* The buffers: anonymous memory aligned to a huge page and asked to be backed by huge pages
 * (madvise; a hint), so that pinning a buffer for the disk takes one page table entry rather
 * than 256; NULL when it cannot be mapped. */
static char *map_buffers(void)
{
    size_t len = RING_SIZE + HUGE_PAGE;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    size_t lead = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
    if (lead)
        munmap(p, lead);
    munmap(p + lead + RING_SIZE, len - lead - RING_SIZE);
#ifdef MADV_HUGEPAGE
    (void)madvise(p + lead, RING_SIZE, MADV_HUGEPAGE);
#endif
    return p + lead;
}

static void unmap(void *p, size_t len)
{
    if (p && p != MAP_FAILED)
        munmap(p, len);
}

/* Sets up the io_uring queues of d; false when the kernel does not give them. */
static bool ring_open(cli_direct *d)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof(p));
    d->ring_fd = uring_setup(BUF_COUNT, &p);
    if (d->ring_fd < 0)
        return false;
    (void)fcntl(d->ring_fd, F_SETFD, FD_CLOEXEC);
    d->sq_map_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    d->cq_map_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (p.features & IORING_FEAT_SINGLE_MMAP) /* Linux 5.4: one mapping for both queues */
        d->sq_map_len = d->cq_map_len = d->sq_map_len > d->cq_map_len ? d->sq_map_len : d->cq_map_len;
    d->sq_map = mmap(NULL, d->sq_map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, d->ring_fd, IORING_OFF_SQ_RING);
    if (d->sq_map == MAP_FAILED)
        return false;
    if (p.features & IORING_FEAT_SINGLE_MMAP) {
        d->cq_map = d->sq_map;
    } else {
        d->cq_map = mmap(NULL, d->cq_map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, d->ring_fd,
                         IORING_OFF_CQ_RING);
        if (d->cq_map == MAP_FAILED)
            return false;
    }
    d->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
    d->sqes = mmap(NULL, d->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, d->ring_fd, IORING_OFF_SQES);
    if (d->sqes == MAP_FAILED)
        return false;
    char *sq = d->sq_map, *cq = d->cq_map;
    d->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    d->sq_mask = *(unsigned *)(sq + p.sq_off.ring_mask);
    d->sq_array = (unsigned *)(sq + p.sq_off.array);
    d->cq_head = (unsigned *)(cq + p.cq_off.head);
    d->cq_tail = (unsigned *)(cq + p.cq_off.tail);
    d->cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
    d->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
    return true;
}

cli_direct *cli_direct_open(int fd, uint64_t at)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_DIRECT) != 0)
        return NULL;
    cli_direct *d = calloc(1, sizeof(*d));
    if (d) {
        d->fd = fd;
        d->ring_fd = -1;
        d->at = d->size = at;
        struct rlimit rl;
        d->limit = getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (uint64_t)rl.rlim_cur : UINT64_MAX;
        bool ok = ring_open(d) && (d->mem = map_buffers()) != NULL;
        if (ok)
            return d;
        cli_direct_discard(d);
    }
    (void)fcntl(fd, F_SETFL, fl);
    return NULL;
}

int cli_direct_write(cli_direct *d, const void *data, size_t len)
{
    const char *p = data;
    while (len && !d->err) {
        while (d->fill == 0 && d->busy[d->cur] && !d->err) /* writes complete in any order */
            reap(d, d->in_flight - 1);
        if (d->err)
            break;
        size_t n = BUF_SIZE - d->fill < len ? BUF_SIZE - d->fill : len;
        memcpy(d->mem + (size_t)d->cur * BUF_SIZE + d->fill, p, n);
        d->fill += n;
        p += n;
        len -= n;
        if (d->fill == BUF_SIZE)
            flush_buffer(d);
    }
    return d->err;
}

int cli_direct_finish(cli_direct *d)
{
    go_buffered(d);
    if (!d->err && d->fill)
        d->err = pwrite_all(d->fd, d->mem + (size_t)d->cur * BUF_SIZE, d->fill, d->at);
    uint64_t length = d->at + d->fill;
    if (!d->err && d->size != length && ftruncate(d->fd, (off_t)length) != 0)
        d->err = errno;
    int e = d->err;
    cli_direct_discard(d);
    return e;
}

void cli_direct_discard(cli_direct *d)
{
    if (!d)
        return;
    if (d->cqes)
        reap(d, 0); /* the buffers are the kernel's until their writes complete */
    unmap(d->sqes, d->sqes_len);
    if (d->cq_map != d->sq_map)
        unmap(d->cq_map, d->cq_map_len);
    unmap(d->sq_map, d->sq_map_len);
    if (d->ring_fd >= 0)
        close(d->ring_fd); /* the kernel takes the ring down in the background */
    unmap(d->mem, RING_SIZE);
    free(d);
}

#else /* no O_DIRECT or no io_uring: the caller writes as usual */

cli_direct *cli_direct_open(int fd, uint64_t at)
{
    (void)fd, (void)at;
    return NULL;
}

int cli_direct_write(cli_direct *d, const void *data, size_t len)
{
    (void)d, (void)data, (void)len;
    return EINVAL;
}

int cli_direct_finish(cli_direct *d)
{
    (void)d;
    return EINVAL;
}

void cli_direct_discard(cli_direct *d) { (void)d; }

#endif
