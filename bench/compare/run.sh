#!/usr/bin/env bash
# Times `embedsvc compare` over a synthetic 100,000-project portfolio under three policies (the
# compiled-in default and the two worked reforms of policies/), as text, --json and --html.
# Usage: bench/compare/run.sh [BUILD_DIR] [N]     (default build, 100000)
# Prints one line per mode with the wall-clock seconds (best of 3) and the size of the output.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
n=${2:-100000}
bin=$build/tools/embedsvc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
portfolio=$work/portfolio-$n.jsonl
python3 "$root/bench/compare/gen_portfolio.py" "$n" 1 >"$portfolio"
policies=(--policy default --policy "$root/policies/reform-cap-3000wan.json"
          --policy "$root/policies/reform-inclusive-20pct.json")
echo "portfolio: $n projects, $(wc -c <"$portfolio") bytes; $(nproc) CPUs; $("$bin" --version)"

best() { # NAME OUTPUT COMMAND...: best wall time of 3 runs
  local name=$1 out=$2 t best=
  shift 2
  for _ in 1 2 3; do
    local start=$EPOCHREALTIME
    "$@" >"$out" 2>"$work/stderr" || [ $? -eq 1 ] # exit 1: the portfolio has error lines
    t=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  printf '%-8s %6.2f s  output %s bytes  (%s)\n' "$name" "$best" "$(wc -c <"$out")" "$(tail -1 "$work/stderr")"
}

best text "$work/out.txt" "$bin" compare --lang en "${policies[@]}" "$portfolio"
best json "$work/out.json" "$bin" compare --json "${policies[@]}" "$portfolio"
best html "$work/out.txt" "$bin" compare --lang en --html "$work/report.html" "${policies[@]}" "$portfolio"
echo "html report: $(wc -c <"$work/report.html") bytes"
best batch "$work/out.jsonl" "$bin" batch "$portfolio"
