/* embedsvc serve: the entry point of the command (tools/cmd_serve.c). */
#ifndef EMBEDSVC_TOOLS_CMD_SERVE_H
#define EMBEDSVC_TOOLS_CMD_SERVE_H

/* Runs `embedsvc serve` with argv the arguments after the command; returns the exit status
 * (0 after a clean shutdown on SIGTERM/SIGINT, 2 usage or start-up errors). */
int cmd_serve(int argc, char **argv);
/* Its --help text. */
extern const char cmd_serve_help[];

#endif
