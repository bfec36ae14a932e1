#!/usr/bin/env python3
"""The JSON Schemas of schemas/ (draft 2020-12) against everything the project has: every example,
vector and conformance file, the shipped policies and test files, and real outputs of the CLI
(check --json, batch lines including error lines, policy show, policy diff --json); and a few
hand-made invalid documents per schema, which must be rejected. The validator is python3-jsonschema's
Draft202012Validator (Debian package python3-jsonschema).

    test_schemas.py PATH/TO/embedsvc SOURCE_ROOT [SHARED_CONFORMANCE_DIR]
"""
import glob
import json
import os
import subprocess
import sys

try:
    from jsonschema import Draft202012Validator, RefResolver
except ImportError:
    print("test_schemas: python3-jsonschema is not installed (scripts/install-deps test)")
    sys.exit(77)

BIN, ROOT = sys.argv[1], sys.argv[2]
CONF = sys.argv[3] if len(sys.argv) > 3 and os.path.isdir(sys.argv[3]) else None
failures = []
counts = {}


def check(name, cond, detail=""):
    if not cond:
        print("FAIL " + name + "\n     " + str(detail)[:1200])
        failures.append(name)


schemas = {}
for path in sorted(glob.glob(os.path.join(ROOT, "schemas", "*.schema.json"))):
    with open(path, encoding="utf-8") as f:
        s = json.load(f)
    Draft202012Validator.check_schema(s)
    schemas[os.path.basename(path)] = s
store = {s["$id"]: s for s in schemas.values()}


def validator(name, schema=None):
    s = schema if schema is not None else schemas[name]
    return Draft202012Validator(s, resolver=RefResolver(base_uri=schemas[name]["$id"], referrer=s, store=store))


V = {n.split(".")[1]: validator(n) for n in schemas}


def strip_required(node):
    """The schema of a part of a document: the same types, no required keys."""
    if isinstance(node, dict):
        return {k: strip_required(v) for k, v in node.items() if k != "required"}
    if isinstance(node, list):
        return [strip_required(v) for v in node]
    return node


PARTIAL_RESULT = validator("embedsvc.result.schema.json", strip_required(schemas["embedsvc.result.schema.json"]))
ERROR_PART = Draft202012Validator({"type": "object", "additionalProperties": False, "required": ["error"],
                                   "properties": {"error": strip_required(
                                       schemas["embedsvc.batch-error.schema.json"]["properties"]["error"])}})


def valid(v, doc, name, what):
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    counts[what] = counts.get(what, 0) + 1
    check(f"{what}: {name}", not errors,
          "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:3]))


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None  # a vector of a syntax or encoding error: not a JSON document at all


def run(*args, stdin=None):
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, env={**os.environ, "LANG": "C.UTF-8"})
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


# ---- projects and expected results: vectors, conformance, examples ----
SCHEMA_LEVEL = {"parse.type", "parse.unknown_field", "parse.missing_field"}
cases = []  # (name, project, expected or None, policy file or None)
for d in sorted(glob.glob(os.path.join(ROOT, "tests", "vectors", "*", ""))):
    if os.path.exists(d + "project.json"):
        pol = d + "policy.json" if os.path.exists(d + "policy.json") else None
        cases.append((os.path.basename(d[:-1]), d + "project.json", d + "expected.json", pol))
if CONF:
    for p in sorted(glob.glob(os.path.join(CONF, "*.project.json"))):
        cases.append(("conformance/" + os.path.basename(p), p, p.replace(".project.json", ".expected.json"), None))
for p in sorted(glob.glob(os.path.join(ROOT, "examples", "projects", "*.json"))):
    exp = os.path.join(ROOT, "examples", "projects", "expected", os.path.basename(p))
    cases.append(("examples/" + os.path.basename(p), p, exp if os.path.exists(exp) else None, None))
for p in sorted(glob.glob(os.path.join(ROOT, "docs", "examples", "*.json"))):
    doc = load(p)
    if doc is not None and "functions" in doc:
        cases.append(("docs/" + os.path.basename(p), p, None, None))

accepted = {}  # policy file -> [project text]
not_expressible = 0
for name, pfile, efile, pol in cases:
    doc = load(pfile)
    expected = load(efile) if efile and os.path.exists(efile) else None
    if expected is None and efile is None:
        # no expected file: the library says whether it is valid
        rc, out, err = run("check", "--json", *(["--policy", pol] if pol else []), pfile)
        expected = {"error": {"code": err.split(": ")[2] if rc == 2 and err.count(": ") >= 2 else "?"}} if rc == 2 else {}
    if expected is not None and "error" in expected:
        valid(ERROR_PART, expected, name, "expected error")
        code = expected["error"]["code"]
        if doc is not None and code in SCHEMA_LEVEL:
            counts["rejected as the library does"] = counts.get("rejected as the library does", 0) + 1
            check(f"schema rejects {name} ({code})", not V["project"].is_valid(doc), "the schema accepts it")
        elif doc is not None and V["project"].is_valid(doc):
            not_expressible += 1  # duplicate keys, number places, calendar dates: the library's checks
        continue
    if doc is None:
        check(f"{name} parses", False, "not JSON but no error expected")
        continue
    valid(V["project"], doc, name, "project")
    if expected:
        valid(PARTIAL_RESULT, expected, name, "expected result")
    with open(pfile, encoding="utf-8-sig") as f:
        accepted.setdefault(pol, []).append(json.dumps(json.loads(f.read()), ensure_ascii=False))
for p in glob.glob(os.path.join(ROOT, "docs", "examples", "*.jsonl")) + glob.glob(os.path.join(ROOT, "examples", "projects", "*.jsonl")):
    rc, out, err = run("batch", p)
    errors = {d["line"]: d["error"]["code"] for d in map(json.loads, out.splitlines()) if "error" in d}
    with open(p, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            name = f"{os.path.basename(p)}:{i}"
            try:
                doc = json.loads(line)
            except ValueError:
                check(f"{name} is an error line", i in errors)
                continue
            if i in errors:
                if errors[i] in SCHEMA_LEVEL:
                    check(f"schema rejects {name} ({errors[i]})", not V["project"].is_valid(doc))
                continue
            valid(V["project"], doc, name, "project")
            accepted.setdefault(None, []).append(line.strip())

# ---- real outputs: batch (results and error lines), check --json ----
bad_lines = ['{"id":"E1","build_mode":"rebuild","total_investment":"1","functions":[{"scenario":"health"}]}',
             '{"id":"E2"', '{"id":"E3","build_mode":"new","total_investment":"1.001","functions":[{}]}',
             '[1,2]', '{"id":"E5","build_mode":"new","total_investment":"1","functions":[],"x":1}']
for pol, lines in accepted.items():
    rc, out, err = run("batch", *(["--policy", pol] if pol else []), "-", stdin="\n".join(lines + bad_lines).encode())
    check(f"batch under {pol or 'default'}: exit 1 (the bad lines)", rc == 1, err)
    outs = out.splitlines()
    check(f"batch under {pol or 'default'}: one line per line", len(outs) == len(lines) + len(bad_lines), len(outs))
    for k, line in enumerate(outs):
        doc = json.loads(line)
        valid(V["batch-line"], doc, f"batch line {k + 1}", "batch output line")
        valid(V["result"] if "error" not in doc else V["batch-error"], doc, f"batch line {k + 1}",
              "result" if "error" not in doc else "batch error line")
    check("error lines are error lines", sum("\"error\"" in line for line in outs[-len(bad_lines):]) == len(bad_lines))
rc, out, err = run("check", "--json", os.path.join(ROOT, "docs", "examples", "process.json"))
valid(V["result"], json.loads(out), "check --json process.json (with the process part)", "result")

# ---- policies ----
policy_files = sorted(glob.glob(os.path.join(ROOT, "policies", "*.json")) +
                      glob.glob(os.path.join(ROOT, "policies", "versions", "*", "*.json")) +
                      glob.glob(os.path.join(ROOT, "tests", "vectors", "*", "policy.json")) +
                      glob.glob(os.path.join(ROOT, "tests", "vectors", "policies", "*.json")) +
                      [p for p in glob.glob(os.path.join(ROOT, "docs", "examples", "*policy*.json"))])
for p in policy_files:
    rc, out, err = run("policy", "check", p)
    doc = load(p)
    if rc == 0:
        valid(V["policy"], doc, os.path.relpath(p, ROOT), "policy")
    elif doc is not None and "parse." in err and any(c in err for c in SCHEMA_LEVEL):
        check(f"schema rejects {os.path.relpath(p, ROOT)}", not V["policy"].is_valid(doc), err)
rc, out, err = run("policy", "show")
valid(V["policy"], json.loads(out), "policy show", "policy")
for reform in ("reform-cap-3000wan", "reform-inclusive-20pct"):
    rc, out, err = run("policy", "diff", "--json", "default", os.path.join(ROOT, "policies", reform + ".json"))
    valid(V["policy-diff"], json.loads(out), reform, "policy diff")
rc, out, err = run("policy", "diff", "--json", "default", "default")
valid(V["policy-diff"], json.loads(out), "same", "policy diff")

# ---- test files ----
for p in sorted(glob.glob(os.path.join(ROOT, "policies", "tests", "*.json")) +
                glob.glob(os.path.join(ROOT, "tests", "authoring", "*.tests.json"))):
    valid(V["tests"], load(p), os.path.relpath(p, ROOT), "test file")

# ---- invalid documents: each must be rejected ----
with open(os.path.join(ROOT, "docs", "examples", "project.json"), encoding="utf-8") as f:
    good_project = json.load(f)
with open(os.path.join(ROOT, "policies", "beijing-2024-trial.json"), encoding="utf-8") as f:
    good_policy = json.load(f)
rc, out, err = run("check", "--json", os.path.join(ROOT, "docs", "examples", "project.json"))
good_result = json.loads(out)
with open(os.path.join(ROOT, "policies", "tests", "reform-cap-3000wan.tests.json"), encoding="utf-8") as f:
    good_tests = json.load(f)
good_error = {"schema": "embedsvc.result/1", "line": 3,
              "error": {"code": "parse.syntax", "message": "x", "path": "", "line": 1, "column": 2}}


def edited(doc, edit):
    d = json.loads(json.dumps(doc))
    edit(d)
    return d


def dele(key):
    return lambda d: d.pop(key)


invalid = {
    "project": [dele("id"), dele("functions"), lambda d: d.update(id=""), lambda d: d.update(id="x" * 65),
                lambda d: d.update(id="a\u0085b"), lambda d: d.update(build_mode="rebuild"),
                lambda d: d.update(total_investment="1.001"), lambda d: d.update(total_investment="-1"),
                lambda d: d.update(total_investment="1e3"), lambda d: d.update(total_investment=None),
                lambda d: d.update(inclusive_rate="1.5"), lambda d: d.update(inclusive_rate="0.25001"),
                lambda d: d.update(walk_minutes=1441), lambda d: d.update(walk_minutes=1.5),
                lambda d: d.update(application_date="2025-13-01"), lambda d: d.update(functions=[]),
                lambda d: d.update(functions=[{}] * 65), lambda d: d.update(extra=1),
                lambda d: d["functions"][0].update(service_class="Basic public"),
                lambda d: d["functions"][0].update(floor_area_m2=10000001),
                lambda d: d["functions"][0].update(colour="red"), lambda d: d.update(schema="embedsvc.project/2"),
                lambda d: d.update(residents_consulted="true")],
    "result": [dele("eligible"), lambda d: d.update(eligible="yes"), lambda d: d["subsidy"].update(total_fen=1.5),
               lambda d: d["subsidy"].pop("cap_fen"), lambda d: d["functions"][0].update(service_class="luxury"),
               lambda d: d["findings"][0].update(severity="fatal"), lambda d: d["checks"][0].pop("cite"),
               lambda d: d.update(schema="embedsvc.result/2"), lambda d: d["policy"].pop("version")],
    "batch-error": [dele("line"), lambda d: d["error"].update(code="parse.oops"), lambda d: d.update(line=0),
                    lambda d: d["error"].pop("path")],
    "policy": [dele("rules"), lambda d: d["scenarios"][0].update(code="Elderly"),
               lambda d: d["classes"].pop(), lambda d: d["classes"][0].update(rate_bp=10001),
               lambda d: d["rules"].update(preferred_severity="fatal"), lambda d: d["subsidy"].update(cap_allocation="even"),
               lambda d: d["scenarios"][0].update(allowed_classes=[]), lambda d: d.update(effective_from="2025/01/01"),
               lambda d: d.update(non_service_terms=[""]), lambda d: d["items"][0].update(colour=1),
               lambda d: d["rules"].update(subsidy_build_modes=["new", "new"])],
    "tests": [dele("cases"), lambda d: d.update(cases=[]), lambda d: d["cases"][0].pop("expect"),
              lambda d: d["cases"][0]["expect"].update(eligble=True),
              lambda d: d["cases"][0]["expect"].update(error={"code": "parse.value"}),
              lambda d: d["cases"][0]["expect"].update(total_yuan="1.001"), lambda d: d.update(schema="embedsvc.tests/2")],
}
goods = {"project": good_project, "result": good_result, "batch-error": good_error, "policy": good_policy,
         "tests": good_tests}
for kind, edits in invalid.items():
    check(f"the good {kind} document is valid", V[kind].is_valid(goods[kind]),
          [e.message for e in V[kind].iter_errors(goods[kind])][:2])
    for i, e in enumerate(edits):
        bad = edited(goods[kind], e)
        counts["invalid rejected"] = counts.get("invalid rejected", 0) + 1
        check(f"invalid {kind} #{i} is rejected", not V[kind].is_valid(bad), json.dumps(bad, ensure_ascii=False)[:300])
check("the batch-line schema rejects what is neither", not V["batch-line"].is_valid({"schema": "embedsvc.result/1"}))

for k, v in sorted(counts.items()):
    print(f"validated {v:4d} {k}")
print(f"{not_expressible} invalid vector projects are rejected only by the library (duplicate keys, places of "
      f"JSON numbers, calendar dates, lengths after unescaping ...)")
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
