#!/usr/bin/env python3
# libembedsvc — the Python binding against a pure-Python evaluation of the same rules.
# SPDX-License-Identifier: MIT
"""Measures projects/s of the binding's evaluate_jsonl / evaluate_many against reference.py.

Usage: run.py [--count N] [--seed S] [--input PORTFOLIO.jsonl] [--policy POLICY.json] [--repeat K]
              [--workers W]

Generates N projects (default 100000) with bench/gen_portfolio.py and a fixed seed, or reads a
JSON Lines file (the lines the library rejects are left out: the reference only evaluates valid
projects). Each comparison gives both sides the same input and asks for the same output:

  JSON lines   the portfolio's bytes in; per non-blank line, its line number and the result
               fields below out. Binding: Policy.evaluate_jsonl(bytes) -> Result objects.
               Reference: Reference.evaluate_jsonl(bytes) (json.loads + evaluate) -> dicts.
  dicts        a list of parsed project dicts in; the result fields out, in order.
               Binding: Policy.evaluate_many(dicts). Reference: [evaluate(d) for d in dicts].
  bytes lines  a list of the lines (bytes) in. Binding: evaluate_many(lines). Reference:
               [evaluate(json.loads(l)) for l in lines].

The result fields are those of reference §6 but the messages: project_id, eligible, subsidy_eligible,
counts, functions, subsidy, checks (rule, passed, value, threshold, cite) and findings (code,
severity, function, cite) — what a binding Result holds without its JSON (Result.summary()).
The binding makes the messages (the rest of to_dict()) only when asked for; the reference has no
messages. The binding also validates every document (unknown keys, types, money syntax); the
reference trusts its input.

Every figure is the best of K runs (default 3), in CPU time of the whole process (all threads:
parallel workers cannot make it smaller) and in wall time. The binding runs with the default
workers (os.cpu_count(), the calling thread included) and with workers=1. The line starting with
"ratio" (read by bench/run) is the JSON lines comparison with the default workers, in CPU time.
Checks that the reference and the binding agree on every field for every project, and that each
Result's summary() equals its to_dict() (the C library's JSON, made again on demand). Exits 1
when they disagree.

Needs the binding on the path: PYTHONPATH=<builddir>/bindings/python.
"""
import argparse
import importlib.util
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import embedsvc  # noqa: E402
from reference import Reference  # noqa: E402


def generate(count, seed):
    """Lines of bench/gen_portfolio.py (the generator of the C benchmark), made in process."""
    spec = importlib.util.spec_from_file_location("gen_portfolio", os.path.join(HERE, "..", "gen_portfolio.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    rng = random.Random(seed)
    return [json.dumps(gen.project(rng, i), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            for i in range(count)]


def best(repeat, function):
    """((best CPU seconds, best wall seconds), last return value) of `repeat` calls.

    process_time() is the CPU time of every thread of the process, so the binding's workers are
    counted in full; it does not count the time other processes take on a shared machine."""
    cpu, wall, value = [], [], None
    for _ in range(repeat):
        value = None  # let the previous run's results go before timing the next
        c, w = time.process_time(), time.perf_counter()
        value = function()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return (min(cpu), min(wall)), value


def comparable(result):
    """The fields of a binding result that reference.py computes, from its whole JSON (to_dict()):
    everything but schema, policy, engine, process and the findings' messages."""
    d = result.to_dict()
    return {
        "project_id": d["project_id"], "eligible": d["eligible"], "subsidy_eligible": d["subsidy_eligible"],
        "counts": d["counts"], "functions": d["functions"], "subsidy": d["subsidy"], "checks": d["checks"],
        "findings": [{k: f[k] for k in ("code", "severity", "function", "cite")} for f in d["findings"]],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000, help="projects to generate (default 100000)")
    ap.add_argument("--seed", type=int, default=20251126, help="generator seed (default 20251126)")
    ap.add_argument("--input", help="a JSON Lines portfolio to read instead of generating one")
    ap.add_argument("--policy", help="an embedsvc.policy/1 file for both sides (default: the Beijing policy)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    ap.add_argument("--workers", type=int, default=None, help="the binding's default workers (default: "
                    "os.cpu_count())")
    args = ap.parse_args()

    if args.input:
        with open(args.input, "rb") as f:
            lines = [l.rstrip(b"\r\n") for l in f if l.strip()]
        source = "%s, %d lines" % (args.input, len(lines))
    else:
        lines = generate(args.count, args.seed)
        source = "bench/gen_portfolio.py, seed %d" % args.seed
    if args.policy:
        policy = embedsvc.Policy.from_file(args.policy)
        with open(args.policy, encoding="utf-8") as f:
            reference = Reference(json.load(f))
    else:
        policy, reference = embedsvc.Policy.default(), Reference()
    workers = args.workers or os.cpu_count() or 1

    # The reference evaluates valid projects only (parsing and validation are the library's job).
    checked = policy.evaluate_many(lines)
    lines = [l for l, r in zip(lines, checked) if r.ok]
    del checked
    dicts = [json.loads(l) for l in lines]
    blob = b"\n".join(lines) + b"\n"
    n = len(lines)
    k = args.repeat

    t = {}
    t["ref_jsonl"], ref_jsonl = best(k, lambda: reference.evaluate_jsonl(blob))
    t["jsonl"], jsonl = best(k, lambda: policy.evaluate_jsonl(blob, workers=workers))
    t["jsonl_1"], _ = best(k, lambda: policy.evaluate_jsonl(blob, workers=1))
    t["ref_dicts"], ref = best(k, lambda: [reference.evaluate(d) for d in dicts])
    t["dicts"], many = best(k, lambda: policy.evaluate_many(dicts, workers=workers))
    t["dicts_1"], _ = best(k, lambda: policy.evaluate_many(dicts, workers=1))
    t["ref_lines"], _ = best(k, lambda: [reference.evaluate(json.loads(l)) for l in lines])
    t["lines"], many_lines = best(k, lambda: policy.evaluate_many(lines, workers=workers))
    t["lines_1"], _ = best(k, lambda: policy.evaluate_many(lines, workers=1))

    # Agreement: the reference's fields, the binding's summary() and the C library's JSON.
    same_jsonl = sum(1 for a, b in zip(ref_jsonl, jsonl) if a == dict(b.summary(), line=b.line))
    same_dicts = sum(1 for a, b in zip(ref, many) if a == b.summary())
    same_json = sum(1 for b in jsonl if b.summary() == comparable(b))
    same_inputs = all(a.summary() == b.summary() == c.summary() for a, b, c in zip(many, many_lines, jsonl))
    agree = (len(ref) == n and len(ref_jsonl) == len(jsonl) == len(many) == n and same_jsonl == same_dicts == same_json == n and
             same_inputs)
    eligible = sum(r.eligible for r in many)
    total = sum(r.total_fen for r in many)

    def row(label, key):
        cpu, wall = t[key]
        return "  %-52s %10.0f %10.0f" % (label, n / cpu, n / wall)

    def ratio(ref_key, key):
        return t[ref_key][0] / t[key][0], t[ref_key][1] / t[key][1]

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("input: %d projects (%s), %d eligible, subsidy %s yuan" % (n, source, eligible, embedsvc.format_fen(total)))
    print("Python %s (%s); %d CPUs, load average %.2f; best of %d; default workers %d" % (
        sys.version.split()[0], sys.executable, os.cpu_count() or 1, load, k, workers))
    print("  %-52s %10s %10s" % ("projects/s", "CPU", "wall"))
    print("JSON lines in (the portfolio's bytes), result fields out:")
    print(row("pure Python: reference.evaluate_jsonl", "ref_jsonl"))
    print(row("binding: evaluate_jsonl (workers=%d)" % workers, "jsonl"))
    print(row("binding: evaluate_jsonl (workers=1)", "jsonl_1"))
    print("dicts in, result fields out:")
    print(row("pure Python: reference.evaluate of each dict", "ref_dicts"))
    print(row("binding: evaluate_many (workers=%d)" % workers, "dicts"))
    print(row("binding: evaluate_many (workers=1)", "dicts_1"))
    print("a list of lines (bytes) in, result fields out:")
    print(row("pure Python: reference.evaluate(json.loads(line))", "ref_lines"))
    print(row("binding: evaluate_many (workers=%d)" % workers, "lines"))
    print(row("binding: evaluate_many (workers=1)", "lines_1"))
    headline = sum(1 for a, b in zip(ref, many) if a["eligible"] == b.eligible and
                   a["subsidy"]["total_fen"] == b.total_fen)
    print("agree on eligible and total_fen: %d/%d" % (headline, n))
    print("agree with the reference on every field: JSON lines %d/%d, dicts %d/%d; summary() equal to the C "
          "JSON: %d/%d; binding inputs identical: %s" % (same_jsonl, n, same_dicts, n, same_json, n,
                                                        "yes" if same_inputs else "NO"))
    c, w = ratio("ref_jsonl", "jsonl")
    print("ratio %.1fx (JSON lines in, result fields out: evaluate_jsonl with %d workers / reference.evaluate_jsonl, "
          "CPU time; wall %.1fx)" % (c, workers, w))
    c1, w1 = ratio("ref_jsonl", "jsonl_1")
    cd, wd = ratio("ref_dicts", "dicts")
    cl, wl = ratio("ref_lines", "lines")
    print("other ratios (CPU, wall): JSON lines with workers=1 %.1fx, %.1fx; dicts %.1fx, %.1fx; "
          "lines as bytes %.1fx, %.1fx" % (c1, w1, cd, wd, cl, wl))
    if not agree:
        for a, b in zip(ref, many):
            if a != b.summary():
                print("first disagreement:\n  reference %s\n  binding   %s" % (
                    json.dumps(a, ensure_ascii=False), json.dumps(b.summary(), ensure_ascii=False)))
                break
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
