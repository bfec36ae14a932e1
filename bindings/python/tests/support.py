# libembedsvc Python binding — shared helpers of the tests.
# SPDX-License-Identifier: MIT
"""Paths, the C command line as the oracle, and the conformance subset comparison.

meson passes EMBEDSVC_CLI (build/tools/embedsvc), EMBEDSVC_SOURCE_ROOT and
EMBEDSVC_CONFORMANCE (../shared/conformance, which may be absent), and puts the
build tree's bindings/python on PYTHONPATH.
"""
import json
import os
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("EMBEDSVC_SOURCE_ROOT") or os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CLI = os.environ.get("EMBEDSVC_CLI") or os.path.join(SOURCE_ROOT, "build", "tools", "embedsvc")
CONFORMANCE = os.environ.get("EMBEDSVC_CONFORMANCE") or os.path.join(SOURCE_ROOT, "..", "shared", "conformance")
VECTORS = os.path.join(SOURCE_ROOT, "tests", "vectors")
EXAMPLES = os.path.join(SOURCE_ROOT, "examples", "projects")


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def cases(with_conformance=True):
    """(suite, name, project path, expected path, policy path or None) of every case.

    tests/vectors/<case>/{project,expected,policy?}.json, the shared conformance
    NN-name.{project,expected}.json when that directory exists, and
    examples/projects/<name>.json with expected/<name>.json.
    """
    out = []
    if os.path.isdir(VECTORS):
        for name in sorted(os.listdir(VECTORS)):
            d = os.path.join(VECTORS, name)
            if os.path.isfile(os.path.join(d, "project.json")):
                policy = os.path.join(d, "policy.json")
                out.append(("vectors", name, os.path.join(d, "project.json"), os.path.join(d, "expected.json"),
                            policy if os.path.exists(policy) else None))
    if with_conformance and os.path.isdir(CONFORMANCE):
        for e in sorted(os.listdir(CONFORMANCE)):
            if e.endswith(".project.json"):
                name = e[: -len(".project.json")]
                out.append(("conformance", name, os.path.join(CONFORMANCE, e),
                            os.path.join(CONFORMANCE, name + ".expected.json"), None))
    expected_dir = os.path.join(EXAMPLES, "expected")
    if os.path.isdir(expected_dir):
        for e in sorted(os.listdir(expected_dir)):
            if e.endswith(".json") and os.path.exists(os.path.join(EXAMPLES, e)):
                out.append(("examples", e[:-5], os.path.join(EXAMPLES, e), os.path.join(expected_dir, e), None))
    return out


def conformance_available():
    return os.path.isdir(CONFORMANCE)


def cli(*args, stdin=None):
    return subprocess.run([CLI, "--lang", "en"] + list(args), input=stdin, capture_output=True)


def cli_check(project, policy=None):
    """`embedsvc check --json`: ("result", dict) or ("error", {code, line, column, path})."""
    args = (["--policy", policy] if policy else []) + ["check", "--json", project]
    p = cli(*args)
    if p.returncode in (0, 1) and p.stdout:
        return "result", p.stdout.decode("utf-8").strip()
    # embedsvc: FILE:LINE:COLUMN: code: message (at PATH)   or   embedsvc: FILE: code: message
    err = p.stderr.decode("utf-8").strip()
    rest = err.split(": ", 1)[1]
    rest = rest[len(project) + 1:] if rest.startswith(project + ":") else rest
    out = {"line": 0, "column": 0, "path": ""}
    head, _, tail = rest.partition(": ")
    if head.count(":") == 1 and head.replace(":", "").isdigit():
        out["line"], out["column"] = (int(x) for x in head.split(":"))
        code, _, msg = tail.partition(": ")
    else:
        code, _, msg = rest.lstrip().partition(": ")
    out["code"] = code.strip()
    if msg.endswith(")") and " (at " in msg:
        out["path"] = msg[msg.rindex(" (at ") + 5:-1]
    return "error", out


def multiset(findings):
    return sorted(json.dumps({k: f[k] for k in ("code", "severity", "function")}, sort_keys=True)
                  for f in findings)


def compare_expected(expected, actual):
    """Differences between an expected.json (the subset format of the conformance README) and a
    result dict or {"error": {...}}."""
    diffs = []
    if "error" in expected:
        if "error" not in actual:
            return ["expected the error %s, got a result" % expected["error"]]
        return ["error.%s: expected %r, got %r" % (k, v, actual["error"].get(k))
                for k, v in expected["error"].items() if actual["error"].get(k) != v]
    if "error" in actual:
        return ["unexpected error %s" % actual["error"]]
    for key in ("project_id", "eligible", "subsidy_eligible", "counts", "subsidy"):
        if key in expected and expected[key] != actual.get(key):
            diffs.append("%s: expected %s, got %s" % (key, expected[key], actual.get(key)))
    if "functions" in expected:
        got = [{k: f[k] for k in ("index", "scenario", "service_class", "investment_fen", "subsidy_fen")}
               for f in actual["functions"]]
        if got != expected["functions"]:
            diffs.append("functions: expected %s, got %s" % (expected["functions"], got))
    if "checks" in expected:
        for i, c in enumerate(expected["checks"]):
            a = actual["checks"][i] if i < len(actual["checks"]) else {}
            diffs += ["checks[%d].%s: expected %r, got %r" % (i, k, v, a.get(k)) for k, v in c.items()
                      if a.get(k) != v]
    if "findings" in expected and multiset(expected["findings"]) != multiset(actual["findings"]):
        diffs.append("findings: expected %s, got %s" % (multiset(expected["findings"]),
                                                         multiset(actual["findings"])))
    return diffs


def main():
    unittest.main(verbosity=2)
