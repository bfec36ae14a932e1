#!/usr/bin/env python3
"""Compares embedsvc.result/1 output with a conformance expectation (the shared format).

Usage: compare_expected.py EMBEDSVC_BINARY DIR_OR_FILES...

Each case is NAME.project.json + NAME.expected.json (the shared conformance layout), a directory
with project.json, expected.json and an optional policy.json (tests/vectors), or NAME.json with
expected/NAME.json (examples/projects). Prints one line per
case and a closing "N passed, N failed" line; exits 1 when any case fails.
"""
import json
import os
import subprocess
import sys


def cases(paths):
    for path in paths:
        if os.path.isdir(path) and os.path.exists(os.path.join(path, "project.json")):
            yield os.path.basename(path), os.path.join(path, "project.json"), os.path.join(path, "expected.json"), (
                os.path.join(path, "policy.json") if os.path.exists(os.path.join(path, "policy.json")) else None)
        elif os.path.isdir(os.path.join(path, "expected")):
            for e in sorted(os.listdir(os.path.join(path, "expected"))):
                if e.endswith(".json") and os.path.exists(os.path.join(path, e)):
                    yield e[:-5], os.path.join(path, e), os.path.join(path, "expected", e), None
        elif os.path.isdir(path):
            entries = sorted(os.listdir(path))
            for e in entries:
                full = os.path.join(path, e)
                if e.endswith(".project.json"):
                    name = e[: -len(".project.json")]
                    yield name, full, os.path.join(path, name + ".expected.json"), None
                elif os.path.isdir(full) and os.path.exists(os.path.join(full, "project.json")):
                    yield from cases([full])


def multiset(findings):
    return sorted(json.dumps({k: f[k] for k in ("code", "severity", "function")}, sort_keys=True) for f in findings)


def compare(expected, actual):
    """Returns a list of differences."""
    diffs = []
    if "error" in expected:
        if "error" not in actual:
            return ["expected a parse error %s, got a result" % expected["error"]]
        for k, v in expected["error"].items():
            if actual["error"].get(k) != v:
                diffs.append("error.%s: expected %r, got %r" % (k, v, actual["error"].get(k)))
        return diffs
    if "error" in actual:
        return ["unexpected error %s" % actual["error"]]
    for key in ("project_id", "eligible", "subsidy_eligible", "counts", "subsidy"):
        if key in expected and expected[key] != actual.get(key):
            diffs.append("%s: expected %s, got %s" % (key, json.dumps(expected[key], ensure_ascii=False),
                                                       json.dumps(actual.get(key), ensure_ascii=False)))
    if "functions" in expected:
        want = expected["functions"]
        got = [{k: f[k] for k in ("index", "scenario", "service_class", "investment_fen", "subsidy_fen")}
               for f in actual["functions"]]
        if want != got:
            diffs.append("functions: expected %s, got %s" % (json.dumps(want, ensure_ascii=False),
                                                            json.dumps(got, ensure_ascii=False)))
    if "checks" in expected:
        for i, c in enumerate(expected["checks"]):
            a = actual["checks"][i] if i < len(actual["checks"]) else {}
            for k, v in c.items():
                if a.get(k) != v:
                    diffs.append("checks[%d] %s.%s: expected %r, got %r" % (i, c.get("rule"), k, v, a.get(k)))
    if "findings" in expected and multiset(expected["findings"]) != multiset(actual["findings"]):
        diffs.append("findings: expected %s, got %s" % (multiset(expected["findings"]), multiset(actual["findings"])))
    return diffs


def run(binary, project, policy):
    cmd = [binary, "check", "--json", project]
    if policy:
        cmd[1:1] = ["--policy", policy]
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode in (0, 1) and p.stdout:
        return json.loads(p.stdout)
    # "embedsvc: FILE:LINE:COLUMN: code: message (at PATH)"
    err = p.stderr.decode()
    rest = err.split(": ", 1)[1] if ": " in err else err
    pos, code, msg = rest.split(": ", 2) if rest.count(": ") >= 2 else (rest, "?", "")
    parts = pos.rsplit(":", 2)
    out = {"code": code}
    if len(parts) == 3:
        out["line"], out["column"] = int(parts[1]), int(parts[2])
    path = ""
    if msg.rstrip().endswith(")") and "(at " in msg:
        path = msg.rstrip()[msg.rindex("(at ") + 4:-1]
    out["path"] = path
    return {"error": out}


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    passed = failed = 0
    for name, project, expected_path, policy in cases(sys.argv[2:]):
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        diffs = compare(expected, run(binary, project, policy))
        if diffs:
            failed += 1
            print("FAIL %s" % name)
            for d in diffs:
                print("    " + d)
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
