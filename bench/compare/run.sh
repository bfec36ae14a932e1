#!/usr/bin/env bash
# Times `embedsvc compare` over a synthetic 100,000-project portfolio under three policies (the
# compiled-in default and the two worked reforms of policies/), as text, --json and --html.
# Usage: bench/compare/run.sh [BUILD_DIR] [N]     (default build, 100000)
# Prints one line per mode with the wall-clock seconds and the peak memory (medians of 5 whole
# runs, /usr/bin/time) and the size of the output.
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

median() { # NAME OUTPUT COMMAND...: median wall time and peak memory of 5 runs
  local name=$1 out=$2 times=() rss=()
  shift 2
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$out" 2>"$work/stderr" || [ $? -eq 1 ] # 1: error lines
    read -r t m < <(tail -1 "$work/time") # after "Command exited with non-zero status 1"
    times+=("$t")
    rss+=("$m")
  done
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  m=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n 3p)
  printf '%-8s %6.2f s  %4d MB  output %s bytes  (%s)\n' "$name" "$t" $((m / 1024)) "$(wc -c <"$out")" \
    "$(tail -1 "$work/stderr")"
}

median text "$work/out.txt" "$bin" compare --lang en "${policies[@]}" "$portfolio"
median json "$work/out.json" "$bin" compare --json "${policies[@]}" "$portfolio"
median html "$work/out.txt" "$bin" compare --lang en --html "$work/report.html" "${policies[@]}" "$portfolio"
echo "html report: $(wc -c <"$work/report.html") bytes"
median batch "$work/out.jsonl" "$bin" batch "$portfolio"
