#!/usr/bin/env bash
# `embedsvc serve` runs the embedsvc-serve helper: embedsvc itself does not load libmicrohttpd;
# `embedsvc serve` becomes the helper next to it, keeping its process id; with no helper to be
# found, it names the path it tried and exits 2, after checking the options as before.
# Usage: check_helper.sh EMBEDSVC LIBDIR
set -euo pipefail
# Under scripts/sanitize's valgrind wrapper (a script) there is no executable to inspect: the
# helper's memory is checked there by the serve test, which runs it under valgrind.
if [ "$(head -c 2 "$1")" = "#!" ]; then echo "skip: $1 is a wrapper script"; exit 77; fi
bin=$(realpath "$1")
libdir=$(realpath "$2")
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

needed=$(readelf -d "$bin" | grep NEEDED)
if grep -q libmicrohttpd <<<"$needed"; then fail "embedsvc links libmicrohttpd: $needed"; fi
readelf -d "$(dirname "$bin")/embedsvc-serve" | grep NEEDED | grep -q libmicrohttpd \
  || fail "embedsvc-serve does not link libmicrohttpd"

"$bin" serve --listen 127.0.0.1:0 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/err" && break; sleep 0.1; done
grep -q "listening on" "$tmp/err" || { cat "$tmp/err"; fail "serve did not start"; }
[ "$(readlink "/proc/$pid/exe")" = "$(dirname "$bin")/embedsvc-serve" ] \
  || fail "process $pid runs $(readlink "/proc/$pid/exe"), not embedsvc-serve"
kill -TERM "$pid"
wait "$pid" || fail "serve did not exit 0 on SIGTERM"
pid=

# A copy of embedsvc with no helper beside it (nor installed under its prefix)
cp "$bin" "$tmp/embedsvc"
rc=0
LD_LIBRARY_PATH=$libdir "$tmp/embedsvc" serve --listen 127.0.0.1:0 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "without a helper: exit $rc, not 2 (is an embedsvc-serve installed at the configured path?)"
grep -q "^embedsvc serve: cannot run the server .*embedsvc-serve: " "$tmp/err" || { cat "$tmp/err"; fail "no message naming the helper"; }
rc=0
LD_LIBRARY_PATH=$libdir "$tmp/embedsvc" serve --no-such-option 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] && grep -q "unknown option '--no-such-option' for 'serve'" "$tmp/err" \
  || { cat "$tmp/err"; fail "options are not checked before the helper is looked for"; }
echo "ok: embedsvc does not link libmicrohttpd; serve runs embedsvc-serve as the same process"
