#!/usr/bin/env bash
# The command line under misuse, faults and hostile text (issue 13, points 1, 2, 3, 4, 5, 7, 8),
# and each command's own help (issue 21). Each case failed on 0.1.0.
# Usage: test_cli_misuse.sh PATH/TO/embedsvc SOURCE_ROOT PYTHON
set -u
bin=$1
root=$2
py=${3:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0
export LANG=C.UTF-8

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', expected '$3'"; fi; }
expect() { # NAME EXPECTED_STATUS COMMAND... ; output in $tmp/out, $tmp/err
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
contains() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "missing '$3' in: $(head -c 400 "$2")"; fi; }
lacks() { if grep -qF -- "$3" "$2"; then bad "$1" "unexpected '$3' in: $(head -c 400 "$2")"; else ok "$1"; fi; }
no_temporaries() { # NAME DIR: no temporary file of ours is left
  local left
  left=$(find "$2" -name '.*.embedsvc-*' | head -3)
  if [ -z "$left" ]; then ok "$1"; else bad "$1" "left: $left"; fi
}
# a byte (octal) in a file?
has_byte() { LC_ALL=C grep -q "$(printf "$2")" "$1"; }

# Under valgrind (scripts/sanitize wraps the CLI in a script) or ASan, memory figures are the
# tool's, and the slowest runs are done once.
instrumented=false
if [ "$(head -c 2 "$bin")" = "#!" ] || LC_ALL=C grep -q __asan_init "$bin" 2>/dev/null; then instrumented=true; fi

capped="$root/examples/projects/capped-large-complex.json"
oneline() { tr -d '\n' <"$1"; echo; }
oneline "$capped" >"$tmp/p.jsonl"
oneline "$root/examples/projects/missing-core.json" >>"$tmp/p.jsonl"
cp "$tmp/p.jsonl" "$tmp/p.orig"

# ---- 1. the output is the input ----
expect "batch -o the input is refused" 2 "$bin" batch "$tmp/p.jsonl" -o "$tmp/p.jsonl"
contains "the refusal says why" "$tmp/err" "the output is the input"
if cmp -s "$tmp/p.jsonl" "$tmp/p.orig"; then ok "the input is intact"; else bad "the input is intact"; fi
ln "$tmp/p.jsonl" "$tmp/hard.jsonl"
expect "batch -o a hard link of the input is refused" 2 "$bin" batch "$tmp/p.jsonl" -o "$tmp/hard.jsonl"
expect "batch -o ./input (another path, same inode) is refused" 2 "$bin" batch "$tmp/p.jsonl" -o "$tmp/./p.jsonl"
expect "batch - -o FILE with FILE on stdin is refused" 2 "$bin" batch - -o "$tmp/p.jsonl" <"$tmp/p.jsonl"
"$bin" batch "$tmp/p.jsonl" >>"$tmp/p.jsonl" 2>"$tmp/err"
check "batch FILE >>FILE is refused (it would read its own output)" "$?" "2"
if cmp -s "$tmp/p.jsonl" "$tmp/p.orig"; then ok "the input is still intact"; else bad "the input is still intact"; fi
expect "compare --html the portfolio is refused" 2 "$bin" compare "$tmp/p.jsonl" --html "$tmp/p.jsonl"
if cmp -s "$tmp/p.jsonl" "$tmp/p.orig"; then ok "the portfolio is intact"; else bad "the portfolio is intact"; fi

# ---- 2. atomic output files ----
printf 'precious\n' >"$tmp/target.jsonl"
mkdir "$tmp/adir"
expect "batch of a directory fails" 2 "$bin" batch "$tmp/adir" -o "$tmp/target.jsonl"
check "a failed run leaves the existing target untouched" "$(cat "$tmp/target.jsonl")" "precious"
no_temporaries "a failed run leaves no temporary file" "$tmp"
expect "batch to a new file" 0 "$bin" batch "$tmp/p.jsonl" -o "$tmp/new.jsonl"
check "the new file has both lines" "$(wc -l <"$tmp/new.jsonl")" "2"
check "the new file has the mode of a new file (umask 022)" "$(stat -c %a "$tmp/new.jsonl")" "644"
chmod 600 "$tmp/target.jsonl"
expect "batch over an existing file" 0 "$bin" batch "$tmp/p.jsonl" -o "$tmp/target.jsonl"
check "the replaced file keeps its mode" "$(stat -c %a "$tmp/target.jsonl")" "600"
check "the replaced file has the results" "$(wc -l <"$tmp/target.jsonl")" "2"
# a run killed while it waits for more input: the temporary file exists, the target is untouched
"$py" "$root/bench/gen_portfolio.py" 3000 --seed 7 -o "$tmp/gen.jsonl"
set -m # background jobs of a script ignore SIGINT unless job control is on
for sig in TERM INT HUP; do
  printf 'precious\n' >"$tmp/target.jsonl"
  rm -f "$tmp/fifo"
  mkfifo "$tmp/fifo"
  # (under valgrind on one thread: a process killed with threads alive leaves their stacks as
  # "possibly lost" in valgrind's log)
  jsig=()
  $instrumented && jsig=(-j 1)
  "$bin" batch "${jsig[@]}" "$tmp/fifo" -o "$tmp/target.jsonl" 2>"$tmp/err" &
  pid=$!
  exec 3<>"$tmp/fifo" # held open: the batch waits for more input
  cat "$tmp/gen.jsonl" >&3 &
  catpid=$!
  for _ in $(seq 600); do # until the results are in the temporary file
    t=$(find "$tmp" -name '.target.jsonl.embedsvc-*' -size +100k | head -1)
    [ -n "$t" ] && break
    sleep 0.1
  done
  [ -n "$t" ] && ok "SIG$sig: the results go to a temporary file first" || bad "SIG$sig: the results go to a temporary file first"
  kill -"$sig" "$pid"
  wait "$pid" 2>/dev/null
  st=$?
  kill "$catpid" 2>/dev/null
  wait "$catpid" 2>/dev/null
  exec 3>&-
  check "SIG$sig: the run dies of the signal" "$st" "$((128 + $(kill -l "$sig")))"
  check "SIG$sig: the existing target is untouched" "$(cat "$tmp/target.jsonl")" "precious"
  no_temporaries "SIG$sig: the temporary file is removed" "$tmp"
done
# standard output redirected to a file: blocks are allocated ahead of the writes (32 MiB at a
# time) and what is left over is given back, at the end and when the run is killed
blocks_fit() { # NAME FILE: the file holds no more than its size in blocks (and 1 MiB of slack)
  local b s
  read -r b s < <(stat -c '%b %s' "$2")
  if [ $((b * 512)) -le $((s + 1048576)) ]; then ok "$1"; else bad "$1" "$((b * 512)) bytes of blocks for $s bytes"; fi
}
"$bin" batch "$tmp/gen.jsonl" >"$tmp/so.jsonl" 2>"$tmp/err"
check "batch > FILE: exit 0" "$?" "0"
"$bin" batch "$tmp/gen.jsonl" -o "$tmp/o.jsonl" 2>/dev/null
if cmp -s "$tmp/so.jsonl" "$tmp/o.jsonl"; then ok "batch > FILE: the bytes of -o FILE"; else bad "batch > FILE: the bytes of -o FILE"; fi
blocks_fit "batch > FILE: the blocks allocated ahead are given back" "$tmp/so.jsonl"
{ printf 'first\n'; "$bin" batch "$tmp/gen.jsonl" 2>/dev/null; printf 'last\n'; } >"$tmp/so2.jsonl"
check "batch between two writers of the same descriptor: theirs kept" \
  "$(head -1 "$tmp/so2.jsonl")|$(tail -1 "$tmp/so2.jsonl")|$(wc -l <"$tmp/so2.jsonl")" "first|last|3002"
blocks_fit "batch between two writers: no blocks left ahead" "$tmp/so2.jsonl"
printf 'kept\n' >"$tmp/so3.jsonl"
"$bin" batch "$tmp/gen.jsonl" >>"$tmp/so3.jsonl" 2>/dev/null
check "batch >> FILE: appended" "$(head -1 "$tmp/so3.jsonl")|$(wc -l <"$tmp/so3.jsonl")" "kept|3001"
rm -f "$tmp/fifo"
mkfifo "$tmp/fifo"
"$bin" batch "${jsig[@]}" "$tmp/fifo" >"$tmp/so.jsonl" 2>"$tmp/err" &
pid=$!
exec 3<>"$tmp/fifo"
cat "$tmp/gen.jsonl" >&3 &
catpid=$!
for _ in $(seq 600); do
  [ "$(stat -c %s "$tmp/so.jsonl")" -gt 100000 ] && break
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" 2>/dev/null
st=$?
kill "$catpid" 2>/dev/null
wait "$catpid" 2>/dev/null
exec 3>&-
check "batch > FILE, SIGTERM: the run dies of the signal" "$st" "143"
blocks_fit "batch > FILE, SIGTERM: the blocks allocated ahead are given back" "$tmp/so.jsonl"
set +m
# compare --html is atomic too: a failing run (a bad policy) leaves the old report
printf 'old report\n' >"$tmp/r.html"
expect "compare with a bad policy fails" 2 "$bin" compare --policy "$tmp/adir" "$tmp/p.jsonl" --html "$tmp/r.html"
check "the old report is untouched" "$(cat "$tmp/r.html")" "old report"

# ---- 3. the batch total cannot wrap ----
"$bin" policy show >"$tmp/default-policy.json"
"$py" - "$tmp/default-policy.json" "$tmp/big-policy.json" "$tmp/max.jsonl" "$tmp/max.line" <<'EOF'
import json, sys
pol = json.load(open(sys.argv[1]))
pol["id"] = "no-cap-full-rates"
pol["subsidy"]["cap_fen"] = None
pol["rules"]["min_core_functions"] = 1
for c in pol["classes"]:
    if c["rate_bp"] > 0:
        c["rate_bp"] = 10000
json.dump(pol, open(sys.argv[2], "w"), ensure_ascii=False)
# maximal projects: the largest investment the money range allows, all of it basic public
# services subsidised at 100%: the total of int64 fen overflows after about 92,000 of them
third = 333333333333
proj = {"id": "MAX", "build_mode": "new", "total_investment": str(3 * third),
        "functions": [{"scenario": s, "service_class": "basic_public", "investment": str(third)}
                      for s in ("elderly_care", "health", "sports_fitness")]}
with open(sys.argv[3], "w") as f:
    for i in range(93000):
        proj["id"] = "MAX-%d" % i
        f.write(json.dumps(proj) + "\n")
# the line whose total no longer fits int64 fen
print((2**63 - 1) // (3 * third * 100) + 1, file=open(sys.argv[4], "w"))
EOF
if "$bin" policy check "$tmp/big-policy.json" >/dev/null 2>"$tmp/err"; then
  "$bin" --policy "$tmp/big-policy.json" check --json <(head -1 "$tmp/max.jsonl") >"$tmp/max1" 2>&1
  contains "a maximal project is subsidised in full" "$tmp/max1" '"total_fen":99999999999900}'
  "$bin" --policy "$tmp/big-policy.json" batch "$tmp/max.jsonl" -o /dev/null 2>"$tmp/err.max"
  check "an overflowing batch total exits 2" "$?" "2"
  contains "the overflow names the line" "$tmp/err.max" "line $(cat "$tmp/max.line"):"
  contains "the overflow says what" "$tmp/err.max" "would exceed"
  lacks "no false summary after the overflow" "$tmp/err.max" "projects,"
  if ! $instrumented; then
    "$bin" --policy "$tmp/big-policy.json" batch -j 1 "$tmp/max.jsonl" -o /dev/null 2>"$tmp/err.max2"
    check "-j 1: the overflow exits 2" "$?" "2"
    check "-j 1: at the same line" "$(grep -o 'line [0-9]*' "$tmp/err.max2")" "$(grep -o 'line [0-9]*' "$tmp/err.max")"
  fi
else
  bad "the no-cap policy loads" "$(cat "$tmp/err")"
fi

# ---- 4. text from input never reaches the terminal raw ----
"$py" - "$capped" "$tmp/evil.json" "$tmp/evil-key.json" "$tmp/evil.jsonl" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
p["name"] = "X\n结论：符合嵌入式服务设施条件，可申请市级补助\n\x1b[2J\x07\u202eevil"
p["district"] = "\x1b]0;title\x07朝阳区"
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)
q = dict(p)
q["\x1b[31mred\u2066"] = 1
json.dump(q, open(sys.argv[3], "w"), ensure_ascii=False)
with open(sys.argv[4], "w") as f:
    f.write(json.dumps(p, ensure_ascii=False) + "\n")
EOF
expect "check of a project with a hostile name" 0 "$bin" --lang zh check "$tmp/evil.json"
check "one decision line only" "$(grep -c '^结论' "$tmp/out")" "1"
contains "the newline is shown escaped" "$tmp/out" 'X\n结论：符合'
contains "ESC is shown escaped" "$tmp/out" '\u001b[2J\u0007\u202eevil'
if has_byte "$tmp/out" '\033' || has_byte "$tmp/out" '\007' || grep -q $'\u202e' "$tmp/out"; then bad "no raw ESC, BEL or bidi override in the report"; else ok "no raw ESC, BEL or bidi override in the report"; fi
expect "an unknown key with ESC in its name" 2 "$bin" check "$tmp/evil-key.json"
contains "the unknown key is reported" "$tmp/err" "parse.unknown_field"
if has_byte "$tmp/err" '\033' || grep -q $'\u2066' "$tmp/err"; then bad "no raw ESC or bidi isolate on stderr"; else ok "no raw ESC or bidi isolate on stderr"; fi
contains "the key is shown escaped on stderr" "$tmp/err" '\u001b[31mred\u2066'
expect "classify of a hostile text" 1 "$bin" classify "$(printf 'a\033[31mb\007\nc')"
if has_byte "$tmp/out" '\033' || has_byte "$tmp/out" '\007'; then bad "classify text shows no raw control"; else ok "classify text shows no raw control"; fi
contains "classify text is escaped" "$tmp/out" 'a\u001b[31mb\u0007\nc'
expect "classify --json stays exact JSON" 1 "$bin" classify --json "$(printf 'a\033b')"
contains "classify JSON escapes ESC" "$tmp/out" '"text":"a\u001bb"'
expect "compare of a hostile district" 0 "$bin" compare "$tmp/evil.jsonl"
if has_byte "$tmp/out" '\033' || has_byte "$tmp/out" '\007'; then bad "compare text shows no raw control"; else ok "compare text shows no raw control"; fi
contains "compare text shows the district escaped" "$tmp/out" '\u001b]0;title\u0007朝阳区'
expect "a file name with ESC" 2 "$bin" check "$tmp/$(printf 'no\033such')"
if has_byte "$tmp/err" '\033'; then bad "file names are escaped on stderr"; else ok "file names are escaped on stderr"; fi

# ---- 5. write errors ----
if [ -w /dev/full ]; then
  wr() { # NAME COMMAND...: exit 2 and the message with stdout on /dev/full
    "${@:2}" >/dev/full 2>"$tmp/err" </dev/null
    local st=$?
    if [ "$st" -eq 2 ] && grep -q '^embedsvc: write error: ' "$tmp/err"; then ok "$1 >/dev/full"; else bad "$1 >/dev/full" "exit $st: $(head -c 200 "$tmp/err")"; fi
  }
  wr "classify" "$bin" classify 便利店
  wr "classify --json" "$bin" classify --json 便利店
  wr "stage" "$bin" stage "$capped" fund_approval
  wr "disburse" "$bin" disburse --approved 100 --progress 0.5
  wr "policy show" "$bin" policy show
  wr "policy check" "$bin" policy check "$root/policies/beijing-2024-trial.json"
  wr "--version" "$bin" --version
  wr "--help" "$bin" --help
  wr "help check" "$bin" help check
  wr "check --help" "$bin" check --help
  wr "check" "$bin" check "$capped"
  wr "check --json" "$bin" check --json "$capped"
  wr "batch" "$bin" batch "$tmp/p.jsonl"
  wr "batch -j 2" "$bin" batch -j 2 "$tmp/gen.jsonl"
  wr "batch -o /dev/full" "$bin" batch "$tmp/p.jsonl" -o /dev/full
  wr "compare" "$bin" compare "$tmp/p.jsonl"
  wr "compare --json" "$bin" compare --json "$tmp/p.jsonl"
fi
# a regular output file that cannot grow past the file size limit (blocks are allocated ahead of
# the writes, 32 MiB at a time): the write error, the old file kept, no temporary left
mkdir -p "$tmp/fsize"
printf 'old\n' >"$tmp/fsize/out.jsonl"
for j in 1 2; do
  (trap '' XFSZ; ulimit -f 256; exec "$bin" batch -j "$j" "$tmp/gen.jsonl" -o "$tmp/fsize/out.jsonl") >"$tmp/out" 2>"$tmp/err"
  check "batch -j $j -o FILE past the file size limit: exit 2" "$?" "2"
  contains "batch -j $j past the file size limit: a write error" "$tmp/err" "embedsvc: write error: "
  check "batch -j $j past the file size limit: the old output is kept" "$(cat "$tmp/fsize/out.jsonl")" "old"
  no_temporaries "batch -j $j past the file size limit" "$tmp/fsize"
done
"$bin" batch "$tmp/gen.jsonl" -o "$tmp/fsize/out.jsonl" 2>"$tmp/err"
size=$(stat -c %s "$tmp/fsize/out.jsonl") alloc=$(($(stat -c %b "$tmp/fsize/out.jsonl") * $(stat -c %B "$tmp/fsize/out.jsonl")))
if [ "$alloc" -le $((size + (1 << 20))) ]; then ok "batch -o FILE gives back the blocks allocated ahead ($alloc bytes for $size)"; else bad "batch -o FILE gives back the blocks allocated ahead" "$alloc bytes allocated for $size"; fi

# ---- 7. a line past the 16 MiB limit is skipped with bounded memory ----
"$py" - "$tmp/long.jsonl" "$capped" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write('{"id":"long","name":"' + "a" * (40 << 20) + '"}\n')
    f.write(json.dumps(json.load(open(sys.argv[2])), ensure_ascii=False) + "\n")
    f.write(" " * (20 << 20) + "\n")  # an over-long line of white space only stays blank
    f.write('{"id":"x"}\n')
EOF
for j in all 1 2; do
  jopt=()
  [ "$j" = all ] || jopt=(-j "$j")
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$tmp/rss" "$bin" batch "${jopt[@]}" "$tmp/long.jsonl" -o "$tmp/long.out" 2>"$tmp/err"
  else
    "$bin" batch "${jopt[@]}" "$tmp/long.jsonl" -o "$tmp/long.out" 2>"$tmp/err"
  fi
  check "-j $j: a 40 MiB line is an error line, the batch goes on (exit 1)" "$?" "1"
  check "-j $j: three output lines" "$(wc -l <"$tmp/long.out")" "3"
  contains "-j $j: the long line is parse.limit at line 1" "$tmp/long.out" '{"schema":"embedsvc.result/1","line":1,"error":{"code":"parse.limit"'
  contains "-j $j: the line after it is evaluated" "$tmp/long.out" '"project_id":"BJ-2025-TZ-0003"'
  contains "-j $j: the last line keeps its number" "$tmp/long.out" '{"schema":"embedsvc.result/1","line":4,'
  if [ -x /usr/bin/time ] && ! $instrumented; then
    rss=$(tail -1 "$tmp/rss")
    if [ "$rss" -lt 32768 ]; then ok "-j $j: max RSS ${rss} KB < 32 MiB with a 40 MiB line"; else bad "-j $j: max RSS ${rss} KB < 32 MiB with a 40 MiB line"; fi
  fi
done
expect "compare skips the long line too" 1 "$bin" compare "$tmp/long.jsonl"
contains "compare reports parse.limit with the line" "$tmp/err" "long.jsonl:1:1: parse.limit"
contains "compare counts the evaluated lines" "$tmp/out" "项目 1 个，错误行 2 行"

# ---- 8. each command takes only its own options ----
usage() { # NAME OPTION-NAMED COMMAND...
  local name=$1 opt=$2; shift 2
  expect "$name" 2 "$@"
  contains "$name: the message names $opt" "$tmp/err" "'$opt'"
  contains "$name: the usage follows" "$tmp/err" "Usage: embedsvc"
}
usage "check --approved" --approved "$bin" check --approved 5 "$capped"
usage "check --html" --html "$bin" check --html "$tmp/x.html" "$capped"
[ ! -e "$tmp/x.html" ] && ok "check --html wrote nothing" || bad "check --html wrote nothing"
usage "check -o" -o "$bin" check -o "$tmp/x" "$capped"
usage "check --policy twice" --policy "$bin" check --policy default --policy default "$capped"
usage "batch --policy twice" --policy "$bin" batch --policy default --policy=default "$tmp/p.jsonl"
usage "check --policy=" --policy "$bin" check --policy= "$capped"
usage "check --policy ''" --policy "$bin" check --policy '' "$capped"
usage "batch -o ''" -o "$bin" batch "$tmp/p.jsonl" -o ''
usage "batch --json" --json "$bin" batch --json "$tmp/p.jsonl"
usage "classify --html" --html "$bin" classify --html x 便利店
usage "policy show --json" --json "$bin" policy show --json
usage "disburse --html" --html "$bin" disburse --approved 1 --progress 1 --html x
usage "disburse --approved twice" --approved "$bin" disburse --approved 1 --approved 2 --progress 1
usage "stage -j" -j "$bin" stage -j 2 "$capped" fund_approval
usage "compare -o" -o "$bin" compare -o x "$tmp/p.jsonl"
usage "batch -j 0" --threads "$bin" batch -j 0 "$tmp/p.jsonl"
usage "batch --threads=x" --threads "$bin" batch --threads=x "$tmp/p.jsonl"
usage "--lang twice" --lang "$bin" --lang en check --lang zh "$capped"
usage "--json=1" --json "$bin" check --json=1 "$capped"
expect "compare takes --policy more than once" 0 "$bin" compare --policy default --policy default "$tmp/gen.jsonl"
expect "options before the command still work" 0 "$bin" --lang en --policy default check "$capped"
expect "--version after --lang" 0 "$bin" --lang en --version
contains "--version after --lang prints the version" "$tmp/out" "libembedsvc "

# ---- each command's own help (issue 21) ----
for c in check batch classify stage disburse compare "policy show" "policy check"; do
  # shellcheck disable=SC2086
  expect "$c --help" 0 "$bin" $c --help
  cp "$tmp/out" "$tmp/help1"
  contains "$c --help: its own usage" "$tmp/help1" "Usage: embedsvc $c "
  contains "$c --help: exit status" "$tmp/help1" "Exit status:"
  contains "$c --help: examples" "$tmp/help1" "Examples:"
  # shellcheck disable=SC2086
  expect "help $c" 0 "$bin" help $c
  if cmp -s "$tmp/out" "$tmp/help1"; then ok "help $c = $c --help"; else bad "help $c = $c --help"; fi
done
"$bin" check --help >"$tmp/h1"; "$bin" batch --help >"$tmp/h2"
if cmp -s "$tmp/h1" "$tmp/h2"; then bad "check and batch have different help"; else ok "check and batch have different help"; fi
contains "batch --help lists -j" "$tmp/h2" "-j, --threads N"
expect "help of an unknown command" 2 "$bin" help frobnicate
expect "policy --help lists the subcommands" 0 "$bin" policy --help
contains "policy --help names policy check" "$tmp/out" "policy check"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
