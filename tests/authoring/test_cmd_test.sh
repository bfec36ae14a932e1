#!/usr/bin/env bash
# Tests of `embedsvc test` (policy test files, embedsvc.tests/1): the shipped files pass, a deliberately
# wrong expectation fails with a readable diff, bad input is exit 2 with a position.
# Usage: test_cmd_test.sh PATH/TO/embedsvc SOURCE_ROOT
set -u
bin=$1
root=$2
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
contains() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "missing '$3' in: $(head -c 600 "$2")"; fi
}
lacks() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then bad "$1" "unexpected '$3' in: $(head -c 600 "$2")"; else ok "$1"; fi
}
export LANG=C.UTF-8

# every shipped test file passes, each under the policy its "policy_file" names
shipped=$(ls "$root"/policies/tests/*.tests.json "$root"/policies/versions/*.tests.json 2>/dev/null)
[ -n "$shipped" ] && ok "test files are shipped" || bad "test files are shipped"
for f in $shipped; do
  expect "shipped $(basename "$f") passes" 0 "$bin" test "$f"
  lacks "shipped $(basename "$f"): no failed case" "$tmp/out" "not ok"
done
# all at once: one plan, numbered across the files
expect "all shipped files at once" 0 "$bin" test $shipped
contains "TAP header" "$tmp/out" "TAP version 13"
n=$(grep -c '^ok ' "$tmp/out")
contains "one plan over every case" "$tmp/out" "1..$n"
[ "$n" -ge 15 ] && ok "at least 15 shipped cases ($n)" || bad "at least 15 shipped cases" "$n"

# a deliberately wrong expectation fails, with the path, the expected and the actual value
w="$root/tests/authoring/wrong-expectation.tests.json"
expect "wrong expectations fail (exit 1)" 1 "$bin" test "$w"
contains "not ok line" "$tmp/out" "not ok 1 - wrong total and class amount"
contains "diff: path of the total" "$tmp/out" "  # /subsidy/total_fen"
contains "diff: expected total in fen and yuan" "$tmp/out" "  #   expected: 187640000 (1876400.00 yuan)"
contains "diff: actual total in fen and yuan" "$tmp/out" "  #   actual:   264000000 (2640000.00 yuan)"
contains "diff: class amount" "$tmp/out" "  # /subsidy/inclusive/amount_fen"
contains "diff: check by rule" "$tmp/out" "  # /checks/min_functions/passed"
contains "diff: unknown rule" "$tmp/out" "  #   actual:   no such check"
contains "diff: missing finding lists the findings" "$tmp/out" "no such finding (findings: function.scenario_inferred (function 2))"
contains "diff: unwanted finding" "$tmp/out" '  #   actual:   "function.scenario_inferred" (severity info, function 2)'
contains "diff: array length" "$tmp/out" "  #   expected: 1 element"
contains "diff: expected parse error" "$tmp/out" "  #   actual:   the project parses"
contains "diff: unexpected parse error" "$tmp/out" 'money.precision at "/total_investment"'
contains "summary" "$tmp/out" "# passed 0 of 3"
# a failure in one file and passes in another: exit 1, all cases reported
expect "mixed files exit 1" 1 "$bin" test "$root/policies/tests/reform-cap-3000wan.tests.json" "$w"
contains "mixed: numbering goes on" "$tmp/out" "not ok 3 - wrong total and class amount"

# the same file under another policy: the file names its policy, so it is an input error
expect "tests for another policy are bad input" 2 "$bin" test --policy "$root/policies/reform-cap-3000wan.json" \
  "$root/policies/tests/beijing-2024-trial.tests.json"
contains "policy mismatch names the file and the path" "$tmp/err" "beijing-2024-trial.tests.json:5:11: tests.policy_mismatch"
# --policy default for a file without a policy stamp
expect "--policy default" 1 "$bin" test --policy default "$w"

# bad input: exit 2 with the position
printf '{"schema":"embedsvc.tests/1","cases":[{"name":"x","project":{},"expect":{"eligble":true}}]}' >"$tmp/typo.json"
expect "unknown expectation key is bad input" 2 "$bin" test "$tmp/typo.json"
contains "unknown key with line, column and path" "$tmp/err" "typo.json:1:74: parse.unknown_field"
contains "unknown key path" "$tmp/err" "(at /cases/0/expect/eligble)"
printf '{"schema":"embedsvc.tests/1","cases":[]}' >"$tmp/empty.json"
expect "no cases is bad input" 2 "$bin" test "$tmp/empty.json"
contains "no cases message" "$tmp/err" "at least one case"
printf '{"schema":"embedsvc.tests/1","cases":[{"name":"x","project":{},"expect":{"total_yuan":"1.001"}}]}' >"$tmp/money.json"
expect "bad money in an expectation" 2 "$bin" test "$tmp/money.json"
contains "bad money code" "$tmp/err" "money.precision"
printf '{"schema":"embedsvc.tests/1","cases":[{"name":"x","project":{},"expect":{"error":{"code":"parse.value"},"eligible":false}}]}' >"$tmp/both.json"
expect "error with other expectations" 2 "$bin" test "$tmp/both.json"
printf '{"schema":"embedsvc.tests/1","policy_file":"nope.json","cases":[{"name":"x","project":{},"expect":{}}]}' >"$tmp/nopolicy.json"
expect "missing policy file" 2 "$bin" test "$tmp/nopolicy.json"
contains "missing policy file is named" "$tmp/err" "nope.json"
expect "missing test file" 2 "$bin" test "$tmp/does-not-exist.json"
expect "no file" 2 "$bin" test
expect "help" 0 "$bin" test --help
contains "help names the exit status" "$tmp/out" "  0  every case passed"
# a bad file among good ones: the good ones still run, exit 2
expect "bad and good files" 2 "$bin" test "$tmp/typo.json" "$root/policies/tests/reform-cap-3000wan.tests.json"
contains "the good file still ran" "$tmp/out" "ok 1 - the large complex under a 3000万元 cap"
# standard input
expect "stdin (policy_file relative to the working directory, so --policy)" 0 "$bin" test --policy "$root/policies/reform-inclusive-20pct.json" - <"$root/policies/tests/reform-inclusive-20pct.tests.json"

echo "passed $pass, failed $fail"
[ "$fail" -eq 0 ]
