/* The chunk pipeline of `batch -j N` and `compare -j N` (tools/pipeline.c): the input is cut into
 * chunks of whole lines (cli_reader_next), each chunk is processed by one of N threads, and the
 * processed chunks are consumed one at a time in input order, so that what a command writes does
 * not depend on N (docs/decisions.md §9.13). */
#ifndef EMBEDSVC_TOOLS_PIPELINE_H
#define EMBEDSVC_TOOLS_PIPELINE_H

#include "cli.h"

typedef struct cli_pipeline_ops {
    size_t slot_size; /* bytes of the command's state for one chunk (zeroed once, kept across chunks) */
    /* Per-thread state (NULL is passed on to process as it is); freed with thread_free. */
    void *(*thread_new)(void *ctx);
    void (*thread_free)(void *ctx, void *thread);
    /* Processes a chunk into slot; runs on any thread, in parallel with the others. */
    void (*process)(void *ctx, void *thread, const cli_chunk *in, void *slot);
    /* Takes a processed chunk, one at a time, in input order; false stops the run. */
    bool (*consume)(void *ctx, const cli_chunk *in, void *slot);
    /* Frees what a slot holds, at the end. */
    void (*slot_free)(void *slot);
} cli_pipeline_ops;

/* Runs the input through the pipeline on `threads` threads (the calling one among them; 1: all
 * on the calling thread), with at most 2 x threads + 2 chunks (1 for one thread) of about
 * 128 KiB of input in memory. True when the input was read to its end and every chunk consumed;
 * false after a read error, a consume that returned false, or a message about memory. */
bool cli_pipeline_run(cli_reader *in, int threads, const cli_pipeline_ops *ops, void *ctx);

/* The value of a -j/--threads option: 1 to 64; NULL gives the number of cores online. */
int cli_threads_option(const cli_command *cmd, const char *value);

#endif
