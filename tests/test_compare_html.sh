#!/usr/bin/env bash
# `embedsvc compare` (issue 10): the command's exit statuses and outputs, then its HTML report opened
# in a headless browser: the report loads without console messages, its four inline SVG charts are
# laid out with non-zero sizes and bars, and the screenshot is a non-blank image. The browser part
# is skipped (exit 77 when everything else passed) without /usr/bin/chromium; installs nothing.
# Usage: test_compare_html.sh PATH/TO/embedsvc SOURCE_ROOT PYTHON
set -u
bin=$1
root=$2
python=${3:-python3}
chromium=/usr/bin/chromium
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "$2"; }
expect() { # NAME EXPECTED_STATUS COMMAND... ; output in $tmp/out, $tmp/err
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
contains() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "missing '$3' in: $(head -c 400 "$2")"; fi
}
export LANG=C.UTF-8

# The command itself (needs no browser).
portfolio=$root/examples/projects/portfolio.jsonl
reforms=(--policy "$root/policies/reform-cap-3000wan.json" --policy "$root/policies/reform-inclusive-20pct.json")
expect "compare without a portfolio is a usage error" 2 "$bin" compare
expect "compare with a missing policy file fails" 2 "$bin" compare --policy "$tmp/none.json" "$portfolio"
contains "the missing policy file is named" "$tmp/err" "none.json"
expect "a 17th --policy is a usage error" 2 "$bin" compare $(for _ in $(seq 17); do printf -- '--policy default '; done) "$portfolio"
expect "compare reports the bad line and exits 1" 1 "$bin" compare --lang en --policy default "${reforms[@]}" "$portfolio"
contains "the bad line is reported with its line number" "$tmp/err" "portfolio.jsonl:18:"
contains "the summary has the eligibility losses" "$tmp/out" "Lost eligibility"
contains "the capped project is listed" "$tmp/out" "BJ-2025-XC-0130"
grep -v '"BJ-2025-CY-0199"' "$portfolio" >"$tmp/clean.jsonl"
expect "a portfolio without bad lines exits 0, from standard input" 0 \
  sh -c '"$1" compare --lang zh --json --policy default --policy "$2" --policy "$3" - <"$4"' sh "$bin" "${reforms[1]}" "${reforms[3]}" "$tmp/clean.jsonl"
if "$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["schema"] == "embedsvc.compare/1"; assert [r["policy"] for r in d["totals"]] == ["beijing-2024-trial", "reform-cap-3000wan", "reform-inclusive-20pct"]; assert d["errors"] == 0 and d["projects"] == 30' "$tmp/out"
then ok "--json is one embedsvc.compare/1 document with a row per policy"; else bad "--json is one embedsvc.compare/1 document with a row per policy"; fi
expect "without --policy, the compiled-in policy alone" 1 "$bin" compare --json "$portfolio"
if "$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["policies"]) == 1 and d["policies"][0]["id"] == "beijing-2024-trial" and d["changes"] == []' "$tmp/out"
then ok "the default policy is the baseline and nothing changes"; else bad "the default policy is the baseline and nothing changes"; fi
expect "an unwritable --html path fails" 2 "$bin" compare --policy default --html "$tmp/no/such/dir/r.html" "$tmp/clean.jsonl"

if [ ! -x "$chromium" ]; then
  echo "$pass passed, $fail failed; the browser checks are skipped: $chromium is not installed (scripts/install-deps adds the chromium package)"
  [ "$fail" -eq 0 ] && exit 77
  exit 1
fi

# headless chromium with a fresh profile and nothing fetched; extra arguments, then the URL
browse() {
  local profile
  profile=$(mktemp -d "$tmp/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --window-size=1280,2000 "$@"
}

for lang in zh en; do
  report=$tmp/report-$lang.html
  SOURCE_DATE_EPOCH=1764662400 "$bin" compare --lang "$lang" --policy default "${reforms[@]}" "$portfolio" --html "$report" >"$tmp/out" 2>"$tmp/err"
  status=$?
  if [ "$status" -eq 1 ] && [ -s "$report" ]; then ok "$lang: compare writes the report (exit 1: the portfolio has an error line)"
  else bad "$lang: compare writes the report" "exit $status: $(head -c 300 "$tmp/err")"; fi
  # report/ (issue 21): the reasons, the error line, the footer with SOURCE_DATE_EPOCH's date and the policy files
  contains "$lang: a lost eligibility is explained by the finding that appeared" "$report" '<code>[subsidy.rate_above_max]</code>'
  contains "$lang: the error line is listed" "$report" '<tr><td class="n">18</td>'
  contains "$lang: the footer has the date of SOURCE_DATE_EPOCH" "$report" '2025-12-02 08:00 UTC'
  contains "$lang: the footer names the policy files" "$report" 'policies/reform-inclusive-20pct.json'
  if grep -q 'unexplained' "$report"; then bad "$lang: every changed project has a reason"; else ok "$lang: every changed project has a reason"; fi

  # self-contained: no script, no external reference; every SVG is well-formed XML
  if "$python" - "$report" <<'EOF'
import re, sys
import xml.etree.ElementTree as ET
html = open(sys.argv[1], encoding="utf-8").read()
bad = [p for p in ("<script", "<link", "<img", "<iframe", "src=\"", "href=\"", "url(", "https:", "@import") if p in html]
if bad:
    sys.exit("not self-contained: %s" % bad)
svgs = re.findall(r"<svg .*?</svg>", html, re.S)
if len(svgs) != 4:
    sys.exit("expected 4 charts, found %d" % len(svgs))
for s in svgs:
    ET.fromstring(s)
EOF
  then ok "$lang: self-contained, four well-formed SVG charts"; else bad "$lang: self-contained, four well-formed SVG charts"; fi

  # the screenshot, with the console on stderr
  browse --enable-logging=stderr --v=0 --screenshot="$tmp/shot-$lang.png" "file://$report" >"$tmp/log" 2>&1
  # the report has no script: any console message at all (console.error logs as INFO:CONSOLE) is a fault
  if grep -qE "CONSOLE|Uncaught" "$tmp/log"; then
    bad "$lang: no console messages" "$(grep -E "CONSOLE|Uncaught" "$tmp/log" | head -5)"
  else ok "$lang: no console messages"; fi
  if "$python" - "$tmp/shot-$lang.png" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
width, height = struct.unpack(">II", data[16:24])
if width < 800 or height < 800:
    sys.exit("screenshot is %dx%d" % (width, height))
idat, i = b"", 8
while i < len(data):
    n, kind = struct.unpack(">I4s", data[i:i + 8])
    if kind == b"IDAT":
        idat += data[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
if len(set(raw)) < 16:
    sys.exit("the screenshot is blank (%d distinct byte values)" % len(set(raw)))
EOF
  then ok "$lang: screenshot is a non-blank image"; else bad "$lang: screenshot is a non-blank image"; fi

  # the laid-out charts: a copy of the report with a probe that writes the size of every chart and
  # its number of bars into the DOM, read back with --dump-dom
  sed 's#</body>#<script>(function(){var r=[];document.querySelectorAll("svg.chart").forEach(function(s){var b=s.getBoundingClientRect();r.push(s.id+":"+Math.round(b.width)+"x"+Math.round(b.height)+":"+s.querySelectorAll("rect").length)});document.body.setAttribute("data-probe",r.join(" "))})();</script></body>#' \
    "$report" >"$tmp/probe-$lang.html"
  browse --dump-dom "file://$tmp/probe-$lang.html" >"$tmp/dom" 2>/dev/null
  probe=$(sed -n 's/.*data-probe="\([^"]*\)".*/\1/p' "$tmp/dom" | head -1)
  if "$python" - "$probe" <<'EOF'
import sys
charts = dict((c.split(":")[0], c.split(":")[1:]) for c in sys.argv[1].split())
want = ["chart-class", "chart-district", "chart-eligibility", "chart-projects"]
for cid in want:
    if cid not in charts:
        sys.exit("%s not rendered (probe: %r)" % (cid, sys.argv[1]))
    w, h = (int(x) for x in charts[cid][0].split("x"))
    if w <= 0 or h <= 0 or int(charts[cid][1]) < 3:
        sys.exit("%s: %dx%d with %s bars" % (cid, w, h, charts[cid][1]))
EOF
  then ok "$lang: every chart is laid out with a size and bars ($probe)"
  else bad "$lang: every chart is laid out with a size and bars" "probe: '$probe'"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
