#!/usr/bin/env bash
# Tests of the embedsvc command line (reference §11) and of the shared library's exports.
# Usage: test_cli.sh PATH/TO/embedsvc SOURCE_ROOT
set -u
bin=$1
root=$2
lib=$(dirname "$bin")/../lib/libembedsvc.so.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }
# expect NAME EXPECTED_STATUS COMMAND... ; output in $tmp/out, $tmp/err
expect() {
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
contains() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "missing '$3' in: $(head -c 400 "$2")"; fi
}

export LANG=C.UTF-8

expect "help exits 0" 0 "$bin" --help
contains "help lists the commands" "$tmp/out" "classify TEXT..."
expect "version exits 0" 0 "$bin" --version
contains "version names the ABI" "$tmp/out" "ABI 1"
expect "no command is a usage error" 2 "$bin"
expect "unknown command is a usage error" 2 "$bin" frobnicate
expect "unknown option is a usage error" 2 "$bin" --frobnicate check x

# classify: the issue's three texts
expect "classify exits 0 when all match" 0 "$bin" classify --json 朝阳区双井街道养老服务驿站 便利店 扶残助残
sed -n 1p "$tmp/out" >"$tmp/l1"; sed -n 2p "$tmp/out" >"$tmp/l2"; sed -n 3p "$tmp/out" >"$tmp/l3"
contains "classify: station is elderly_care by contains" "$tmp/l1" '"match":"contains","scenario":"elderly_care","service_class":null'
contains "classify: convenience store is housekeeping/commercial" "$tmp/l2" '"match":"exact","scenario":"housekeeping","service_class":"commercial","term":"便利店"'
contains "classify: disability assistance is basic_public without scenario" "$tmp/l3" '"scenario":null,"service_class":"basic_public"'
expect "classify text shows the item" 0 "$bin" --lang en classify 便利店
contains "classify text names the item in English (Retail)" "$tmp/out" "Item: Retail"
expect "classify exits 1 on no match" 1 "$bin" classify 停车场
expect "classify exits 1 on ambiguity" 1 "$bin" classify --json 家政便民理发
contains "ambiguous lists candidates" "$tmp/out" '"candidates":[{"scenario":"housekeeping","item":"家政便民"},{"scenario":"housekeeping","item":"便民理发"}]'
expect "classify rejects invalid UTF-8" 2 "$bin" classify "$(printf 'a\xffb')"

# policy show | policy check - round trip, and show is a fixed point
"$bin" policy show >"$tmp/p1.json" 2>"$tmp/err"
if "$bin" policy check - <"$tmp/p1.json" >"$tmp/out" 2>"$tmp/err"; then ok "policy show | policy check - round-trips"; else bad "policy show | policy check - round-trips" "$(cat "$tmp/err")"; fi
"$bin" --policy "$tmp/p1.json" policy show >"$tmp/p2.json"
if cmp -s "$tmp/p1.json" "$tmp/p2.json"; then ok "policy show is a fixed point"; else bad "policy show is a fixed point"; fi
if cmp -s "$tmp/p1.json" "$root/policies/beijing-2024-trial.json"; then ok "policy show equals the shipped file"; else bad "policy show equals the shipped file" "$(diff "$tmp/p1.json" "$root/policies/beijing-2024-trial.json" | head -5)"; fi
for f in "$root"/tests/vectors/policies/*.json; do
  expect "policy check $(basename "$f")" 0 "$bin" policy check "$f"
done

# malformed policies: a clear error with position and path, exit 2, never a crash
printf '{"schema":"embedsvc.policy/1",\n "id": 5}' >"$tmp/bad1.json"
expect "policy with a wrong type is rejected" 2 "$bin" policy check "$tmp/bad1.json"
contains "policy type error has line:column and path" "$tmp/err" "bad1.json:2:8: parse.type:"
contains "policy type error names the path" "$tmp/err" "(at /id)"
sed 's/"scenario": "housekeeping"/"scenario": "nowhere"/' "$root/policies/beijing-2024-trial.json" >"$tmp/bad2.json"
expect "policy with a dangling reference is rejected" 2 "$bin" policy check "$tmp/bad2.json"
contains "dangling reference is policy.invalid at its path" "$tmp/err" "policy.invalid"
contains "dangling reference names the item path" "$tmp/err" "(at /items/10/scenario)"
printf '{"schema": "embedsvc.policy/1", "id": "x",' >"$tmp/bad3.json"
expect "truncated policy is a syntax error" 2 "$bin" policy check "$tmp/bad3.json"
contains "truncated policy reports parse.syntax" "$tmp/err" "parse.syntax"
expect "missing policy file is an error" 2 "$bin" --policy "$tmp/none.json" policy show

# check
capped="$root/examples/projects/capped-large-complex.json"
expect "check of an eligible project exits 0" 0 "$bin" --lang zh check "$capped"
contains "capped project totals exactly 5000万" "$tmp/out" "补助合计：50,000,000.00 元（5,000.00 万元）"
contains "capped project reports subsidy.capped" "$tmp/out" "subsidy.capped"
expect "check --json of the capped project" 0 "$bin" check --json "$capped"
contains "json total_fen is the cap" "$tmp/out" '"total_fen":5000000000}'
contains "json starts with the schema" "$tmp/out" '{"schema":"embedsvc.result/1","project_id":'
expect "check of an ineligible project exits 1" 1 "$bin" check "$root/examples/projects/missing-core.json"
printf '{"id":"X","build_mode":"new","total_investment":"1.001","functions":[{}]}' >"$tmp/badp.json"
expect "check of bad money exits 2" 2 "$bin" check "$tmp/badp.json"
contains "bad money error format" "$tmp/err" "embedsvc: $tmp/badp.json:1:49: money.precision:"
expect "check reads stdin" 0 "$bin" check --json - <"$capped"

# batch
printf '%s\n' "$(tr -d '\n' <"$capped")" '{"id": "broken", ' '' "$(tr -d '\n' <"$root/examples/projects/missing-core.json")" >"$tmp/in.jsonl"
expect "batch with a malformed line exits 1" 1 "$bin" --lang en batch "$tmp/in.jsonl" -o "$tmp/out.jsonl"
lines=$(wc -l <"$tmp/out.jsonl")
if [ "$lines" -eq 3 ]; then ok "batch writes one line per non-blank input line"; else bad "batch writes one line per non-blank input line" "got $lines"; fi
sed -n 2p "$tmp/out.jsonl" >"$tmp/l2"
contains "batch error line has line and column" "$tmp/l2" '{"schema":"embedsvc.result/1","line":2,"error":{"code":"parse.syntax"'
contains "batch error line column" "$tmp/l2" '"line":1,"column":18}}'
contains "batch summary on stderr" "$tmp/err" "1 error"
grep -v broken "$tmp/in.jsonl" >"$tmp/good.jsonl"
expect "batch of good lines exits 0" 0 "$bin" batch "$tmp/good.jsonl"
expect "batch from stdin" 0 "$bin" batch - <"$tmp/good.jsonl"
expect "batch of a missing file exits 2" 2 "$bin" batch "$tmp/none.jsonl"
# --policy follows the file: a 3000万 cap
alt="$root/tests/vectors/policies/alt-cap-3000wan.json"
expect "batch under an alternative policy" 0 "$bin" --policy "$alt" batch "$tmp/good.jsonl" -o "$tmp/alt.jsonl"
contains "alternative cap is used" "$tmp/alt.jsonl" '"cap_fen":3000000000,"capped":true,"cap_headroom_fen":0,"total_fen":3000000000}'

# funding process (四、2)
expect "disburse computes the amount due" 0 "$bin" disburse --approved 30000000 --progress 0.45 --disbursed 10000000
contains "disburse: 3,500,000.00 元 due" "$tmp/out" "现可下达 3,500,000.00 元"
expect "disburse --json" 0 "$bin" disburse --json --approved 30000000 --progress 0.45 --disbursed 10000000
contains "disburse json" "$tmp/out" '"limit_fen":1350000000,"disbursed_fen":1000000000,"due_fen":350000000}'
expect "disburse never goes negative" 0 "$bin" disburse --json --approved 100 --progress 0.1 --disbursed 50
contains "disburse due 0 when ahead of progress" "$tmp/out" '"due_fen":0}'
expect "disburse rejects progress above 1" 2 "$bin" disburse --approved 100 --progress 1.0001
expect "disburse rejects disbursed above approved" 2 "$bin" disburse --approved 100 --progress 1 --disbursed 100.01
contains "overdisbursed is named" "$tmp/err" "process.overdisbursed"
expect "disburse needs --approved" 2 "$bin" disburse --progress 0.5
expect "joint_review to fund_approval without feasibility is refused" 1 "$bin" --lang en stage "$capped" fund_approval
contains "the missing feasibility approval is cited" "$tmp/out" "[process.feasibility_missing · 四、2]"
expect "skipping a stage is refused" 1 "$bin" --lang en stage "$capped" disbursement
contains "skipping is named" "$tmp/out" "process.not_next_stage"
expect "check --json has the process object" 0 "$bin" check --json "$capped"
contains "process object lists the unmet precondition" "$tmp/out" '"process":{"stage":"joint_review","next_stage":"fund_approval","unmet":[{"code":"process.feasibility_missing","cite":"四、2"'
expect "check report shows the process section" 0 "$bin" --lang en check "$capped"
contains "report: next stage" "$tmp/out" "Next stage: fund approval, still missing:"
expect "unknown stage is a usage error" 2 "$bin" stage "$capped" paradise
printf '{"id":"D","build_mode":"new","total_investment":"3000000","stage":"disbursement","progress":"0.5","functions":[{"scenario":"elderly_care","service_class":"basic_public","investment":"1000000"},{"scenario":"community_meals","investment":"1000000"},{"scenario":"infant_care","service_class":"inclusive","investment":"1000000"}]}' >"$tmp/disb.json"
expect "check of a project at the disbursement stage" 0 "$bin" --lang en check "$tmp/disb.json"
contains "report: due now defaults approved to the computed total" "$tmp/out" "due now: 300,000.00 yuan"

# the shared library exports only embedsvc_* and has the SONAME libembedsvc.so.1
if command -v nm >/dev/null && [ -e "$lib" ]; then
  others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^embedsvc_' | grep -v '^EMBEDSVC_1$' || true)
  if [ -z "$others" ]; then ok "only embedsvc_ symbols are exported"; else bad "only embedsvc_ symbols are exported" "$others"; fi
  soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
  if [ "$soname" = "libembedsvc.so.1" ]; then ok "SONAME is libembedsvc.so.1"; else bad "SONAME is libembedsvc.so.1" "$soname"; fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
