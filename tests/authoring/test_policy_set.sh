#!/usr/bin/env bash
# Tests of versions in force by date (include/embedsvc/policyset.h) through `check --policies DIR`
# and `batch --policies DIR`: the shipped example set, the rule for no date and uncovered dates,
# and the load errors (overlapping windows, two policy ids, a duplicate version, an empty directory).
# Usage: test_policy_set.sh PATH/TO/embedsvc SOURCE_ROOT PYTHON
set -u
bin=$1
root=$2
py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }
expect() {
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $got, expected $want: $(head -c 600 "$tmp/out" "$tmp/err")"; fi
}
contains() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "missing '$3' in: $(head -c 600 "$2")"; fi; }
lacks() { if grep -qF -- "$3" "$2"; then bad "$1" "unexpected '$3' in: $(head -c 600 "$2")"; else ok "$1"; fi; }
export LANG=C.UTF-8
set_dir="$root/policies/versions/beijing-2024-trial"
project="$root/docs/examples/project.json"
dated() { sed "s/\"application_date\": \"2025-03-01\"/\"application_date\": \"$1\"/" "$project" >"$tmp/p-$1.json"; echo "$tmp/p-$1.json"; }

# the example set is what make-example.py writes from the default policy
mkdir "$tmp/regen"
cp -r "$root/policies" "$tmp/regen/"
"$py" "$tmp/regen/policies/versions/make-example.py"
if diff -r "$tmp/regen/policies/versions/beijing-2024-trial" "$set_dir" >/dev/null; then ok "example set up to date"; else bad "example set up to date" "run policies/versions/make-example.py"; fi
# version 1 is the default policy with an end date
expect "version 1 = the default policy but its window" 1 "$bin" policy diff --json default "$set_dir/1.json"
contains "only effective_to differs" "$tmp/out" '"changes":[{"path":"/effective_to","change":"changed","before":null,"after":"2025-12-31","cite":null}]'

# by date
expect "2025 project: version 1" 0 "$bin" check --json --policies "$set_dir" "$(dated 2025-03-01)"
contains "stamp version 1" "$tmp/out" '"policy":{"id":"beijing-2024-trial","version":"1"}'
contains "25% inclusive under version 1" "$tmp/out" '"inclusive":{"base_fen":480000000,"rate_bp":2500,"amount_fen":120000000}'
lacks "in force" "$tmp/out" "policy.not_in_force"
expect "last day of version 1" 0 "$bin" check --json --policies "$set_dir" "$(dated 2025-12-31)"
contains "stamp version 1 on its last day" "$tmp/out" '"version":"1"}'
expect "first day of version 2026.1-example" 0 "$bin" check --json --policies "$set_dir" "$(dated 2026-01-01)"
contains "stamp 2026.1-example" "$tmp/out" '"policy":{"id":"beijing-2024-trial","version":"2026.1-example"}'
contains "cap of 4000万 in the result" "$tmp/out" '"cap_fen":4000000000'
contains "25% is the maximum of the later version" "$tmp/out" '"rule":"inclusive_rate","passed":true,"value":2500,"threshold":2500'
grep -v application_date "$project" >"$tmp/nodate.json"
expect "no date: the latest version" 0 "$bin" check --json --policies "$set_dir" "$tmp/nodate.json"
contains "no date stamp" "$tmp/out" '"version":"2026.1-example"'
expect "readable report names the version" 0 "$bin" check --lang en --policies "$set_dir" "$(dated 2025-06-01)"
contains "report: version 1" "$tmp/out" "[beijing-2024-trial, version 1]"
expect "--policy and --policies together" 2 "$bin" check --policy default --policies "$set_dir" "$project"

# batch: each line under its own version; error lines still numbered
{
  tr -d '\n' <"$(dated 2025-03-01)"; echo
  echo
  tr -d '\n' <"$(dated 2026-05-01)"; echo
  echo '{"id":"bad"'
  tr -d '\n' <"$tmp/nodate.json"; echo
} >"$tmp/mixed.jsonl"
expect "batch --policies" 1 "$bin" batch --policies "$set_dir" "$tmp/mixed.jsonl"
n=$(wc -l <"$tmp/out")
[ "$n" -eq 4 ] && ok "batch: one output line per project line" || bad "batch: one output line per project line" "$n"
sed -n 1p "$tmp/out" >"$tmp/l1"; sed -n 2p "$tmp/out" >"$tmp/l2"; sed -n 3p "$tmp/out" >"$tmp/l3"; sed -n 4p "$tmp/out" >"$tmp/l4"
contains "batch line 1: version 1" "$tmp/l1" '"version":"1"}'
contains "batch line 3: 2026.1-example" "$tmp/l2" '"version":"2026.1-example"}'
contains "batch line 4: error line numbered 4" "$tmp/l3" '"line":4,"error":{"code":"parse.syntax"'
contains "batch line 5: no date, latest" "$tmp/l4" '"version":"2026.1-example"}'
for j in 1 2; do
  expect "batch -j $j same output" 1 "$bin" batch -j $j --policies "$set_dir" "$tmp/mixed.jsonl"
  cp "$tmp/out" "$tmp/j$j"
done
cmp -s "$tmp/j1" "$tmp/j2" && ok "batch: -j 1 and -j 2 agree" || bad "batch: -j 1 and -j 2 agree"

# dates no window covers: a gap and before the first version
mkdir "$tmp/gap"
"$py" - "$root/policies/beijing-2024-trial.json" "$tmp/gap" <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
a = dict(p, version="a", effective_from="2025-01-01", effective_to="2025-06-30")
b = dict(p, version="b", effective_from="2026-01-01", effective_to="2026-12-31")
for name, d in (("a.json", a), ("b.json", b)):
    json.dump(d, open(sys.argv[2] + "/" + name, "w", encoding="utf-8"), ensure_ascii=False)
open(sys.argv[2] + "/notes.tests.json", "w").write("not a policy: test files are skipped")
PY
expect "gap: the version in force before" 0 "$bin" check --json --policies "$tmp/gap" "$(dated 2025-09-01)"
contains "gap: version a" "$tmp/out" '"version":"a"}'
contains "gap: not in force" "$tmp/out" '"code":"policy.not_in_force"'
expect "before every version: the earliest" 0 "$bin" check --json --policies "$tmp/gap" "$(dated 2024-06-01)"
contains "before: version a" "$tmp/out" '"version":"a"}'
contains "before: not in force" "$tmp/out" '"code":"policy.not_in_force"'
expect "after every version: the last" 0 "$bin" check --json --policies "$tmp/gap" "$(dated 2027-06-01)"
contains "after: version b" "$tmp/out" '"version":"b"}'
contains "after: not in force" "$tmp/out" '"code":"policy.not_in_force"'

# load errors
mkdir "$tmp/overlap"
"$py" - "$root/policies/beijing-2024-trial.json" "$tmp/overlap" <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump(dict(p, version="a", effective_from=None, effective_to="2025-06-30"), open(sys.argv[2] + "/a.json", "w"))
json.dump(dict(p, version="b", effective_from="2025-06-30", effective_to=None), open(sys.argv[2] + "/b.json", "w"))
PY
expect "overlapping windows are a load error" 2 "$bin" check --policies "$tmp/overlap" "$project"
contains "overlap message" "$tmp/err" "policy.invalid: $tmp/overlap/b.json: the windows of version b (2025-06-30 to (open)) and version a ((open) to 2025-06-30) overlap (at /effective_from)"
mkdir "$tmp/ids"
cp "$root/policies/beijing-2024-trial.json" "$tmp/ids/a.json"
cp "$root/policies/reform-cap-3000wan.json" "$tmp/ids/b.json"
expect "two policy ids are a load error" 2 "$bin" batch --policies "$tmp/ids" "$tmp/mixed.jsonl"
contains "ids message" "$tmp/err" "a policy set holds versions of one policy"
mkdir "$tmp/dup"
"$py" - "$root/policies/beijing-2024-trial.json" "$tmp/dup" <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump(dict(p, effective_to="2025-06-30"), open(sys.argv[2] + "/a.json", "w"))
json.dump(dict(p, effective_from="2026-01-01"), open(sys.argv[2] + "/b.json", "w"))
PY
expect "a duplicate version is a load error" 2 "$bin" check --policies "$tmp/dup" "$project"
contains "duplicate message" "$tmp/err" 'version "1" of "beijing-2024-trial" is already in the set (at /version)'
mkdir "$tmp/empty"
expect "an empty directory is a load error" 2 "$bin" check --policies "$tmp/empty" "$project"
contains "empty message" "$tmp/err" "no policy file"
echo '{"schema":"embedsvc.policy/1"}' >"$tmp/empty/x.json"
expect "a bad file in the directory" 2 "$bin" check --policies "$tmp/empty" "$project"
contains "bad file named" "$tmp/err" "x.json: required field"
expect "a missing directory" 2 "$bin" check --policies "$tmp/none" "$project"

echo "passed $pass, failed $fail"
[ "$fail" -eq 0 ]
