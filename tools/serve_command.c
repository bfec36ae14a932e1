/* `embedsvc serve`: its options and help, compiled into both executables. embedsvc itself does
 * not link libmicrohttpd (loading it, GnuTLS and eight more libraries under them took more than
 * half of `embedsvc check`'s 2.5 ms): its cli_serve_run (serve_exec.c) checks the options as every command
 * does and then runs the embedsvc-serve helper, whose cli_serve_run (cmd_serve.c) is the server
 * (docs/decisions.md §9.15). */
#include "cli.h"

static const cli_opt options[] = {
    {"listen", 0, CLI_VALUE, "HOST:PORT",
     "where to listen (default 127.0.0.1:8080: loopback only); for other\n"
     "                         machines say so: 0.0.0.0:8080 or [::]:8080. Port 0 picks a free\n"
     "                         port; the address is printed on stderr as \"embedsvc serve:\n"
     "                         listening on http://127.0.0.1:PORT (...)\""},
    {"policy", 0, CLI_LIST, "FILE",
     "load a policy (\"default\": the compiled-in one, also when none is\n"
     "                         given); the first is the default of every route, the others are\n"
     "                         chosen with ?policy=ID"},
    {"threads", 0, CLI_VALUE, "N", "worker threads (default: one per CPU)"},
    {"decision-log", 0, CLI_VALUE, "FILE|-",
     "append one JSON line per decision (time, decision_id, route,\n"
     "                         policy id and version, project_id, eligible, subsidy_eligible,\n"
     "                         total_fen, duration_us; line for a batch line), written by its\n"
     "                         own thread"},
    {"token-file", 0, CLI_VALUE, "FILE",
     "require \"Authorization: Bearer TOKEN\" (the file's first line) on\n"
     "                         every route but /healthz and /readyz; 401 otherwise"},
    {"drain-timeout", 0, CLI_VALUE, "SECS",
     "on SIGTERM/SIGINT: stop accepting, wait up to SECS (default 30)\n"
     "                         for the requests in flight, exit 0"},
    {"lang", 0, CLI_VALUE, "zh|en", "accepted as by every command; the answers carry both languages"},
    {0},
};

const cli_command cli_cmd_serve = {
    "serve",
    "",
    "the HTTP decision service (evaluate, batch, classify, stage, compare over HTTP)",
    "An HTTP decision service over the same engine as the other commands, for case systems that\n"
    "integrate over HTTP (libmicrohttpd). Every answer is byte-identical to the matching command's\n"
    "JSON. Routes:\n"
    "  POST /v1/evaluate[?policy=ID]    embedsvc.project/1 -> embedsvc.result/1 (= check --json)\n"
    "  POST /v1/batch[?policy=ID]       JSON Lines in, JSON Lines out (= batch), streamed\n"
    "  POST /v1/classify[?policy=ID]    {\"texts\":[...]} (or text/plain, one per line) ->\n"
    "                                   {\"classifications\":[...]} (the objects of classify --json)\n"
    "  POST /v1/stage?target=STAGE      project -> may it move to STAGE (= stage --json)\n"
    "  POST /v1/compare[?policy=ID]...  JSON Lines portfolio -> embedsvc.compare/1 (= compare --json);\n"
    "                                   repeat policy= (the first is the baseline); default: all loaded\n"
    "  GET  /v1/policies                the loaded policies (the first is the default)\n"
    "  GET  /v1/policies/ID             the canonical policy JSON (= policy show)\n"
    "  GET  /healthz, /readyz           liveness; readiness (503 while shutting down)\n"
    "  GET  /metrics                    Prometheus text format: requests by route and status, latency\n"
    "                                   histogram, evaluations, errors\n"
    "  GET  /openapi.json               the OpenAPI 3.1 description of all of the above\n"
    "\n"
    "Errors are JSON {\"error\":{\"code\",\"message\",\"line\",\"column\",\"path\"}} with the codes of the\n"
    "CLI: 400 bad input, 401 no or wrong token, 404 unknown route or policy, 405 wrong method (with\n"
    "Allow), 413 a document over 16 MiB (refused from Content-Length before it is read). Every\n"
    "answer carries X-Embedsvc-Engine, X-Embedsvc-Policy-Id and X-Embedsvc-Policy-Version.\n"
    "SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit 0. See docs/serve.md.",
    options,
    "  0  stopped by SIGTERM or SIGINT (after the requests in flight)\n"
    "  2  usage, a policy or token file that does not load, or an address that cannot be bound\n",
    "  embedsvc serve --policy default --policy policies/reform-cap-3000wan.json &\n"
    "  curl -s --data-binary @examples/projects/renovated-complex.json http://127.0.0.1:8080/v1/evaluate\n"
    "  embedsvc serve --listen 0.0.0.0:8080 --token-file /etc/embedsvc/token --decision-log decisions.jsonl\n",
    cli_serve_run,
};
