#!/usr/bin/env bash
# `embedsvc batch -j N` writes exactly what `-j 1` writes (issue 19): the conformance vectors and
# a generated portfolio, with error lines, blank lines, white-space lines and CRLF, under the
# default policy and under each alternative policy of the vectors; from a file and from a pipe.
# Lines that cross reads, from a pipe in small pieces, against what the input is.
# `embedsvc compare -j N` likewise, with its error lines, and where a total would overflow.
# Usage: test_cli_parallel.sh PATH/TO/embedsvc SOURCE_ROOT PYTHON VECTOR_DIR...
set -u
bin=$1
root=$2
py=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
export LANG=C.UTF-8
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }

# every project of the vector directories on one line each, mixed with lines that are not
# projects, repeated so that the input spans many chunks (of 128 KiB, tools/pipeline.c)
"$py" - "$tmp/vectors.jsonl" "$@" <<'EOF'
import glob, json, os, sys
out, dirs = sys.argv[1], sys.argv[2:]
lines = []
for d in dirs:
    for f in sorted(glob.glob(os.path.join(d, "**", "*.json"), recursive=True)):
        if f.endswith("expected.json") or "/policies/" in f or f.endswith("policy.json") or "/expected/" in f:
            continue
        raw = open(f, "rb").read()
        if b"embedsvc.policy/1" in raw:
            continue
        lines.append(raw.replace(b"\n", b" "))  # as it is, on one line (malformed vectors stay malformed)
extra = [b"", b"   \t", b'{"id": "broken", ', "\u3000".encode(), b'{"id":"x","build_mode":"new"}\r', b"[]", b"\xff\xfe"]
with open(out, "wb") as f:
    for rep in range(40):
        for i, l in enumerate(lines):
            f.write(l + b"\n")
            if i % 17 == 0:
                f.write(extra[(i + rep) % len(extra)] + b"\n")
    f.write(b'{"id":"last-without-newline"}')
EOF
"$py" "$root/bench/gen_portfolio.py" 8000 --seed 11 -o "$tmp/gen.jsonl"
size=$(stat -c %s "$tmp/vectors.jsonl")
if [ "$size" -gt $((3 << 20)) ]; then ok "the vector input spans several chunks ($size bytes)"; else bad "the vector input spans several chunks ($size bytes)"; fi

same() { # NAME INPUT POLICY: -j 2, -j 3 and a pipe give what -j 1 gives
  local name=$1 in=$2 pol=$3
  "$bin" batch --policy "$pol" -j 1 "$in" -o "$tmp/j1" 2>"$tmp/e1"
  local s1=$?
  for j in 2 3; do
    "$bin" batch --policy "$pol" -j $j "$in" -o "$tmp/jn" 2>"$tmp/en"
    local sn=$?
    if [ "$s1" -eq "$sn" ] && cmp -s "$tmp/j1" "$tmp/jn"; then ok "$name: -j $j = -j 1 (exit $sn)"; else bad "$name: -j $j = -j 1" "exit $sn vs $s1; $(cmp "$tmp/j1" "$tmp/jn" 2>&1 | head -1)"; fi
    if [ "$(sed 's/；用时.*//; s/; [0-9.]* s$//' "$tmp/e1")" = "$(sed 's/；用时.*//; s/; [0-9.]* s$//' "$tmp/en")" ]; then ok "$name: -j $j: the same summary"; else bad "$name: -j $j: the same summary" "$(cat "$tmp/e1" "$tmp/en")"; fi
  done
  cat "$in" | "$bin" batch --policy "$pol" -j 2 - >"$tmp/jp" 2>/dev/null
  if cmp -s "$tmp/j1" "$tmp/jp"; then ok "$name: -j 2 from a pipe = -j 1"; else bad "$name: -j 2 from a pipe = -j 1"; fi
}
same "vectors, default policy" "$tmp/vectors.jsonl" default
instrumented=false # under valgrind (a wrapper script) or ASan: the alternative policies once
if [ "$(head -c 2 "$bin")" = "#!" ] || LC_ALL=C grep -q __asan_init "$bin" 2>/dev/null; then instrumented=true; fi
for pol in "$root"/tests/vectors/policies/*.json; do
  $instrumented && [ "$(basename "$pol")" != alt-cap-3000wan.json ] && continue
  same "vectors, $(basename "$pol")" "$tmp/vectors.jsonl" "$pol"
done
same "generated portfolio" "$tmp/gen.jsonl" default
# Lines across reads (tools/io.c reads into the chunks and keeps a line where it was read, and
# copies one begun in an earlier read): lines longer than a chunk, bad lines and blank lines, from
# a file and from a pipe written in pieces of 1 byte to 200 KB. Checked against what the input
# is: one output line per line that is not blank, and each error line at its physical line.
"$py" - "$tmp/gen.jsonl" "$tmp/reads.jsonl" "$tmp/reads.expect" <<'EOF'
import random, sys
random.seed(5)
projects = open(sys.argv[1], "rb").read().split(b"\n")[:1500]
out, expect = [], []
for i, p in enumerate(projects):
    r = random.random()
    if r < 0.04:  # longer than a chunk, and broken
        line = b'{"label": "' + b"x" * random.choice([150000, 300000, 700000]) + b'", '
    elif r < 0.10:
        line = b'{"id": "broken-%d", ' % i
    elif r < 0.16:
        line = random.choice([b"", b"  \t", "\u3000".encode(), b"\r"])
    else:
        line = p + (b"\r" if r < 0.2 else b"")
    out.append(line)
    if line.strip(b" \t\r").replace("\u3000".encode(), b""):
        expect.append("error %d" % (i + 1) if line.endswith(b", ") else "result")
open(sys.argv[2], "wb").write(b"\n".join(out))  # the last line without its newline
open(sys.argv[3], "w").write("\n".join(expect) + "\n")
EOF
"$bin" batch -j 1 "$tmp/reads.jsonl" >"$tmp/reads.j1" 2>/dev/null
if "$py" -c '
import json, sys
got = ["error %d" % o["line"] if "error" in o else "result" for o in map(json.loads, open(sys.argv[1]))]
sys.exit(got != open(sys.argv[2]).read().split("\n")[:-1])' "$tmp/reads.j1" "$tmp/reads.expect"; then
  ok "lines across reads: one output line per line that is not blank, errors at their lines"
else
  bad "lines across reads: one output line per line that is not blank, errors at their lines"
fi
for j in 1 2 3; do
  "$py" -c '
import random, sys
random.seed(int(sys.argv[2]))
data, i, out = open(sys.argv[1], "rb").read(), 0, sys.stdout.buffer
while i < len(data):
    n = random.choice([1, 7, 100, 4096, 65536, 200000])
    out.write(data[i:i + n]); out.flush(); i += n
' "$tmp/reads.jsonl" "$j" | "$bin" batch -j $j - >"$tmp/reads.jp" 2>/dev/null
  if cmp -s "$tmp/reads.j1" "$tmp/reads.jp"; then ok "lines across reads: -j $j from a pipe in small pieces = -j 1 from the file"; else bad "lines across reads: -j $j from a pipe in small pieces = -j 1 from the file"; fi
done
# a large output: past its first MiB a -o file is written straight to the disk in 2 MiB buffers
# (tools/io_direct.c), a pipe with write(2); three runs of -j 2 against the pipe (a race between
# the buffers would show only in some runs)
if ! $instrumented; then
  "$py" "$root/bench/gen_portfolio.py" 25000 --seed 12 -o "$tmp/big.jsonl"
  "$bin" batch -j 1 - <"$tmp/big.jsonl" >"$tmp/big.pipe" 2>/dev/null
  for run in 1 2 3; do
    "$bin" batch -j 2 "$tmp/big.jsonl" -o "$tmp/big.out" 2>/dev/null
    if cmp -s "$tmp/big.pipe" "$tmp/big.out"; then ok "a $(($(stat -c %s "$tmp/big.out") >> 20)) MiB output file, -j 2 (run $run) = the pipe"; else bad "a large output file, -j 2 (run $run) = the pipe" "$(cmp "$tmp/big.pipe" "$tmp/big.out" 2>&1 | head -1)"; fi
  done
fi
# `embedsvc compare -j N` reports what -j 1 reports: the tables and --json (stdout), the error lines
# and the summary (stderr), from a file and from a pipe
compare_same() { # NAME INPUT [OPTION]
  local name=$1 in=$2 opt=${3:-}
  local pols=(--policy default --policy "$root/tests/vectors/policies/alt-cap-3000wan.json"
    --policy "$root/tests/vectors/policies/alt-inclusive-20pct.json")
  "$bin" compare "${pols[@]}" $opt -j 1 "$in" >"$tmp/c1" 2>"$tmp/ce1"
  local s1=$?
  "$bin" compare "${pols[@]}" $opt -j 1 - <"$in" >"$tmp/cp1" 2>"$tmp/cpe1"
  for j in 2 3 pipe; do
    local sn want=c1 wante=ce1
    if [ "$j" = pipe ]; then
      cat "$in" | "$bin" compare "${pols[@]}" $opt -j 2 - >"$tmp/cn" 2>"$tmp/cen"
      sn=$?
      want=cp1 wante=cpe1
    else
      "$bin" compare "${pols[@]}" $opt -j $j "$in" >"$tmp/cn" 2>"$tmp/cen"
      sn=$?
    fi
    if [ "$s1" -eq "$sn" ] && cmp -s "$tmp/$want" "$tmp/cn"; then ok "compare $opt, $name: -j $j = -j 1 (exit $sn)"; else bad "compare $opt, $name: -j $j = -j 1" "exit $sn vs $s1; $(cmp "$tmp/$want" "$tmp/cn" 2>&1 | head -1)"; fi
    if [ "$(sed 's/[0-9.]* s$//; s/[0-9.]* 秒$//' "$tmp/$wante")" = "$(sed 's/[0-9.]* s$//; s/[0-9.]* 秒$//' "$tmp/cen")" ]; then ok "compare $opt, $name: -j $j: the same messages"; else bad "compare $opt, $name: -j $j: the same messages" "$(diff "$tmp/$wante" "$tmp/cen" | head -5)"; fi
  done
}
compare_same "vectors" "$tmp/vectors.jsonl" --json
cerrs=$(grep -c ': parse\.' "$tmp/ce1")
[ "$cerrs" -gt 100 ] && ok "compare: the vector input has error lines ($cerrs)" || bad "compare: the vector input has error lines ($cerrs)"
if ! $instrumented; then # under valgrind, the one run above
compare_same "vectors" "$tmp/vectors.jsonl"
compare_same "generated portfolio" "$tmp/gen.jsonl" --json
# a total that would overflow stops compare at the same line for every N: a policy that pays all
# of 10^12 yuan (10^14 fen) a project, over more such projects than 64 bits can sum
"$py" - "$root/policies/beijing-2024-trial.json" "$tmp/all.json" "$tmp/huge.jsonl" <<'EOF'
import sys
src, pol, out = sys.argv[1:]
t = open(src, encoding="utf-8").read()
t = t.replace('"cap_fen": 5000000000', '"cap_fen": null').replace('"rate_bp": 0,', '"rate_bp": 10000,')
open(pol, "w", encoding="utf-8").write(t)
big = ('{"id":"BIG%d","build_mode":"new","total_investment":"1000000000000","functions":['
       '{"scenario":"elderly_care","service_class":"commercial","investment":"400000000000"},'
       '{"scenario":"community_meals","investment":"300000000000"},'
       '{"scenario":"child_care","investment":"300000000000"}]}\n')
with open(out, "w") as f:
    for i in range(93000):
        f.write(big % i)
EOF
"$bin" compare --policy "$tmp/all.json" --json -j 1 "$tmp/huge.jsonl" >"$tmp/h1" 2>"$tmp/he1"
h1=$?
for j in 2 3; do
  "$bin" compare --policy "$tmp/all.json" --json -j $j "$tmp/huge.jsonl" >"$tmp/hn" 2>"$tmp/hen"
  hn=$?
  if [ "$h1" -eq 2 ] && [ "$hn" -eq 2 ] && cmp -s "$tmp/h1" "$tmp/hn" && cmp -s "$tmp/he1" "$tmp/hen" && grep -q ':92234:.*compare.overflow' "$tmp/hen"; then
    ok "compare -j $j stops where a total would overflow, as -j 1: $(head -c 100 "$tmp/hen")"
  else
    bad "compare -j $j stops where a total would overflow, as -j 1" "exit $hn vs $h1: $(cat "$tmp/he1" "$tmp/hen" | head -4)"
  fi
done
fi

lines=$(grep -c '"line":' "$tmp/j1")
[ "$lines" -eq 0 ] && ok "the generated portfolio has no error line" || bad "the generated portfolio has no error line" "$lines"
errs=$("$bin" batch -j 2 "$tmp/vectors.jsonl" 2>/dev/null | grep -c '"error":')
[ "$errs" -gt 100 ] && ok "the vector input has error lines ($errs)" || bad "the vector input has error lines ($errs)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
