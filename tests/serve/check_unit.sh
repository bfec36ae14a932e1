#!/usr/bin/env bash
# The example systemd unit of `embedsvc serve` passes `systemd-analyze verify`, with ExecStart
# pointing at the embedsvc just built. Usage: check_unit.sh EMBEDSVC SOURCE_ROOT
set -euo pipefail
bin=$(realpath "$1")
root=$2
command -v systemd-analyze >/dev/null || { echo "skip: no systemd-analyze"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/bin/embedsvc|$bin|" "$root/examples/serve/embedsvc.service" > "$tmp/embedsvc.service"
out=$(systemd-analyze verify "$tmp/embedsvc.service" 2>&1) || { echo "$out"; exit 1; }
# verify prints warnings without failing: any line about the unit is a failure here
if grep -F "embedsvc.service" <<<"$out"; then exit 1; fi
grep -q -- '--listen 127.0.0.1:8080' "$root/examples/serve/embedsvc.service"
echo "ok: examples/serve/embedsvc.service verifies"
