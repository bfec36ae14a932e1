/* Large temporary output files written past the page cache with io_uring (Linux),
 * tools/io_direct.c; used by cli_out of tools/io.c. Where that cannot be, cli_direct_open()
 * returns NULL and the file is written with write(2). */
#ifndef EMBEDSVC_TOOLS_IO_DIRECT_H
#define EMBEDSVC_TOOLS_IO_DIRECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cli_direct cli_direct;

/* Goes on writing the file open on fd, of `at` bytes so far (a multiple of 4096), with O_DIRECT
 * and io_uring; NULL when the system or the file system cannot (fd is then as it was). */
cli_direct *cli_direct_open(int fd, uint64_t at);
/* Appends data; 0, or the errno value of a write that failed (then every later call returns it). */
int cli_direct_write(cli_direct *d, const void *data, size_t len);
/* Waits for every write, writes the tail, sets the file's length to the bytes written and frees
 * d; 0 or an errno value. The data is then on the device as far as write(2) + sync_file_range
 * would put it: O_DIRECT writes are complete, the tail is in the page cache (to be waited for). */
int cli_direct_finish(cli_direct *d);
/* Waits for what is in flight and frees d (NULL: nothing), on failure; the file is the caller's. */
void cli_direct_discard(cli_direct *d);

#endif
