#!/usr/bin/env python3
"""Tests of `embedsvc policy diff` (include/embedsvc/diff.h): the shipped reforms against the default
policy, a policy with a change of every kind, the exit status and the text form.

    test_policy_diff.py PATH/TO/embedsvc SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "\n     " + str(detail)[:800]))
    if not cond:
        failures.append(name)


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"})
    return p.returncode, p.stdout, p.stderr


BIN, ROOT = sys.argv[1], sys.argv[2]
default = os.path.join(ROOT, "policies", "beijing-2024-trial.json")

# the shipped reforms: exactly the values that differ, with their citation
for reform, path, before, after, cite in [
        ("reform-cap-3000wan", "/subsidy/cap_fen", 5000000000, 3000000000, "三、(二)"),
        ("reform-inclusive-20pct", "/classes/inclusive/rate_bp", 3000, 2000, "三、(二)")]:
    rc, out, err = run("policy", "diff", "--json", "default", os.path.join(ROOT, "policies", reform + ".json"))
    check(f"{reform}: exit 1 (they differ)", rc == 1, err)
    d = json.loads(out)
    check(f"{reform}: stamps", d["a"] == {"id": "beijing-2024-trial", "version": "1"} and d["b"]["id"] == reform, d)
    rules = [c for c in d["changes"] if c["path"] not in ("/id", "/version", "/title_zh", "/title_en")]
    check(f"{reform}: one rule changed", rules == [{"path": path, "change": "changed", "before": before,
                                                    "after": after, "cite": cite}], rules)
    rc, out, err = run("policy", "diff", "--lang", "en", "default", os.path.join(ROOT, "policies", reform + ".json"))
    check(f"{reform}: text names the path and the cite", f"{path}  [{cite}]" in out and "5 differences" in out, out)

rc, out, err = run("policy", "diff", "default", default)
check("the default against its own file: exit 0", rc == 0, out + err)
rc, out, err = run("policy", "diff", "--json", default, default)
check("same: JSON says so", json.loads(out)["same"] is True and json.loads(out)["changes"] == [], out)

# a change of every kind
with open(default, encoding="utf-8") as f:
    p = json.load(f)
q = json.loads(json.dumps(p))
q["version"] = "2"
q["effective_from"] = "2026-01-01"
q["rules"]["min_functions"] = 4
q["rules"]["max_walk_minutes"] = None
q["rules"]["subsidy_build_modes"] = ["new", "renovation", "other"]
q["rules"]["max_operating_margin_bp"] = 800
q["subsidy"]["cap_allocation"] = "proportional"
sc = {s["code"]: s for s in q["scenarios"]}
sc["elderly_care"]["aliases"].append("老龄服务社")
sc["elderly_care"]["aliases"].remove("托老所")
sc["health"]["core"] = True
sc["children_play"]["allowed_classes"] = ["commercial"]
q["scenarios"] = [s for s in q["scenarios"] if s["code"] != "culture_leisure"]
cl = {c["code"]: c for c in q["classes"]}
cl["commercial"]["rate_bp"] = 500
cl["basic_public"]["rate_is_max"] = True
cl["inclusive"]["name_en"] = "Inclusive services"
it = {i["name_zh"]: i for i in q["items"]}
it["公共文化"]["scenario"] = None
it["便民理发"]["aliases"].append("剪发")
q["non_service_terms"] = [t for t in q["non_service_terms"] if t != "银行"] + ["邮局"]
q["items"] = [i for i in q["items"] if i["name_zh"] != "就业服务"]
q["items"].append({"name_zh": "助浴", "name_en": "Bathing assistance", "class": "inclusive",
                   "scenario": "elderly_care", "aliases": ["助浴服务点"]})
with tempfile.TemporaryDirectory() as tmp:
    qf = os.path.join(tmp, "q.json")
    with open(qf, "w", encoding="utf-8") as f:
        json.dump(q, f, ensure_ascii=False)
    rc, out, err = run("policy", "diff", "--json", default, qf)
    check("every kind: exit 1", rc == 1, err)
    got = {(c["path"], c["change"]): c for c in json.loads(out)["changes"]}

    def has(path, change, before="-", after="-", cite="-"):
        c = got.get((path, change))
        ok = c is not None and (before == "-" or c["before"] == before) and (after == "-" or c["after"] == after) \
            and (cite == "-" or c["cite"] == cite)
        check(f"every kind: {change} {path}", ok, c if c else sorted(got))

    has("/version", "changed", "1", "2", None)
    has("/effective_from", "changed", None, "2026-01-01", None)
    has("/rules/min_functions", "changed", 3, 4, "四、1")
    has("/rules/max_walk_minutes", "changed", 15, None, "三、(一)")
    has("/rules/subsidy_build_modes", "removed", "expansion", None, "三、(二)")
    has("/rules/subsidy_build_modes", "added", None, "other", "三、(二)")
    has("/rules/max_operating_margin_bp", "added", None, 800, "三、(三)")
    has("/subsidy/cap_allocation", "changed", "basic_first", "proportional", "三、(二)")
    has("/scenarios/elderly_care/aliases", "added", None, "老龄服务社", "四、1")
    has("/scenarios/elderly_care/aliases", "removed", "托老所", None, "四、1")
    has("/scenarios/health/core", "changed", False, True, "四、1")
    has("/scenarios/children_play/allowed_classes", "removed", "basic_public", None, "四、1")
    has("/scenarios/culture_leisure", "removed", cite="四、1")
    has("/classes/commercial/rate_bp", "changed", 0, 500, "三、(二)")
    has("/classes/basic_public/rate_is_max", "changed", False, True, "三、(二)")
    has("/classes/inclusive/name_en", "changed", cite="四、1")
    has("/items/公共文化/scenario", "changed", "culture_leisure", None, "四、1")
    has("/items/便民理发/aliases", "added", None, "剪发", "四、1")
    has("/non_service_terms", "removed", "银行", None, None)
    has("/non_service_terms", "added", None, "邮局", None)
    has("/items/就业服务", "removed", cite="四、1")
    has("/items/助浴", "added", cite="四、1")
    check("every kind: the removed scenario's whole object is shown",
          got[("/scenarios/culture_leisure", "removed")]["before"]["code"] == "culture_leisure")
    check("every kind: nothing else", len(got) == 22, sorted(got))
    # the reverse direction swaps added and removed
    rc, out, err = run("policy", "diff", "--json", qf, default)
    rev = {(c["path"], c["change"]) for c in json.loads(out)["changes"]}
    check("reverse: added becomes removed", ("/items/助浴", "removed") in rev and ("/scenarios/culture_leisure", "added") in rev, rev)
    # text in Chinese
    rc, out, err = run("policy", "diff", "--lang", "zh", default, qf)
    check("text zh", "22 处不同" in out and "增加  /scenarios/elderly_care/aliases  [四、1]" in out and
          '"托老所"' in out, out)

    # errors: exit 2
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{"schema": "embedsvc.policy/1"}')
    rc, out, err = run("policy", "diff", default, bad)
    check("a policy that does not load: exit 2 with its error", rc == 2 and "parse.missing_field" in err, err)
    rc, out, err = run("policy", "diff", default)
    check("one policy: usage error 2", rc == 2, err)
    rc, out, err = run("policy", "diff", default, os.path.join(tmp, "none.json"))
    check("missing file: exit 2", rc == 2, err)
    rc, out, err = run("policy", "diff", "--help")
    check("help", rc == 0 and "  0  the policies are the same" in out, out)

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
