/* `embedsvc serve` in embedsvc: the options are checked (by main(), against serve_command.c's
 * spec, as for every command), then this process becomes the embedsvc-serve helper with the same
 * arguments: the same process id, so SIGTERM from a supervisor reaches the server. The helper is
 * looked for next to this executable (the build tree), then at EMBEDSVC_SERVE_HELPER_REL from this
 * executable's directory (an install, also unpacked under another root), then at
 * EMBEDSVC_SERVE_HELPER_PATH (the configured install path). */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The helper's path into out (PATH_MAX bytes): the first candidate that is an executable file. */
static void find_helper(char *out)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    const char *slash = n > 0 ? memrchr(self, '/', (size_t)n) : NULL;
    static const char *const rel[] = {"embedsvc-serve", EMBEDSVC_SERVE_HELPER_REL};
    for (size_t i = 0; slash && i < sizeof(rel) / sizeof(rel[0]); i++) {
        int len = snprintf(out, PATH_MAX, "%.*s/%s", (int)(slash - self), self, rel[i]);
        if (len > 0 && len < PATH_MAX && access(out, X_OK) == 0)
            return;
    }
    snprintf(out, PATH_MAX, "%s", EMBEDSVC_SERVE_HELPER_PATH);
}

int cli_serve_run(const cli_command *cmd, cli_args *a)
{
    (void)cmd;
    (void)a;
    char path[PATH_MAX];
    find_helper(path);
    fflush(NULL);
    execv(path, cli_argv);
    fprintf(stderr, "embedsvc serve: cannot run the server %s: %s\n", cli_esc(path), strerror(errno));
    return 2;
}
