#!/usr/bin/env python3
# libembedsvc — the Python binding against a pure-Python evaluation of the same rules.
# SPDX-License-Identifier: MIT
"""Measures projects/s of the binding's evaluate_many / evaluate_jsonl against reference.py.

Usage: run.py [--count N] [--seed S] [--input PORTFOLIO.jsonl] [--policy POLICY.json] [--repeat K]

Generates N projects (default 100000) with bench/gen_portfolio.py and a fixed seed, or reads a
JSON Lines file; evaluates them with the pure-Python reference (from parsed dicts) and with the
binding (evaluate_many of the same dicts, evaluate_many of the lines as bytes, evaluate_jsonl of
the file's bytes); checks that both agree on eligible and total_fen — and on every field the
reference computes — for every project; prints projects/s of each and the ratio. Each figure is
the best of K runs (default 3), in CPU time of this single-threaded process (wall time beside it).
Exits 1 when they disagree.

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

    Everything runs in this one thread, so the process's CPU time is the work done; it is the
    headline because it does not count the time other processes take on a shared machine."""
    cpu, wall, value = [], [], None
    for _ in range(repeat):
        value = None  # let the previous run's results go before timing the next
        c, w = time.process_time(), time.perf_counter()
        value = function()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return (min(cpu), min(wall)), value


def comparable(result):
    """The fields of a binding result that reference.py computes."""
    d = result.to_dict()
    return {
        "project_id": d["project_id"], "eligible": d["eligible"], "subsidy_eligible": d["subsidy_eligible"],
        "counts": d["counts"],
        "functions": [{k: f[k] for k in ("index", "scenario", "service_class", "investment_fen", "subsidy_fen")}
                      for f in d["functions"]],
        "subsidy": d["subsidy"],
        "checks": [{"rule": c["rule"], "passed": c["passed"]} for c in d["checks"]],
        "findings": [{"code": f["code"], "severity": f["severity"], "function": f["function"]} for f in d["findings"]],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000, help="projects to generate (default 100000)")
    ap.add_argument("--seed", type=int, default=20251126, help="generator seed (default 20251126)")
    ap.add_argument("--input", help="a JSON Lines portfolio to read instead of generating one")
    ap.add_argument("--policy", help="an embedsvc.policy/1 file for both sides (default: the Beijing policy)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
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

    # The reference evaluates valid projects only (parsing and validation are the library's job).
    checked = policy.evaluate_many(lines)
    valid = [i for i, r in enumerate(checked) if r.ok]
    lines = [lines[i] for i in valid]
    dicts = [json.loads(l) for l in lines]
    blob = b"\n".join(lines) + b"\n"
    n = len(lines)
    del checked

    t_ref, ref = best(args.repeat, lambda: [reference.evaluate(d) for d in dicts])
    t_dicts, many = best(args.repeat, lambda: policy.evaluate_many(dicts))
    t_lines, many_lines = best(args.repeat, lambda: policy.evaluate_many(lines))
    t_jsonl, jsonl = best(args.repeat, lambda: policy.evaluate_jsonl(blob))

    headline = sum(1 for a, b in zip(ref, many) if a["eligible"] == b.eligible and
                   a["subsidy"]["total_fen"] == b.total_fen)
    full = sum(1 for a, b in zip(ref, many) if a == comparable(b))
    same = all(a.json == b.json == c.json for a, b, c in zip(many, many_lines, jsonl))
    eligible = sum(r.eligible for r in many)
    total = sum(r.total_fen for r in many)

    def rate(t):
        return "%10.0f projects/s CPU (%8.0f wall)" % (n / t[0], n / t[1])

    print("input: %d projects (%s), %d eligible, subsidy %s yuan; Python %s, %s" % (
        n, source, eligible, embedsvc.format_fen(total), sys.version.split()[0], sys.executable))
    print("pure Python (bench/python/reference.py, from dicts): %s" % rate(t_ref))
    print("evaluate_many (dicts):                               %s" % rate(t_dicts))
    print("evaluate_many (JSON lines as bytes):                 %s" % rate(t_lines))
    print("evaluate_jsonl (the file's bytes):                   %s" % rate(t_jsonl))
    print("agree on eligible and total_fen: %d/%d; on every reference field: %d/%d; binding inputs identical: %s"
          % (headline, n, full, n, "yes" if same else "NO"))
    print("ratio %.1fx (evaluate_many of dicts / pure Python, CPU time; wall %.1fx)" % (
        t_ref[0] / t_dicts[0], t_ref[1] / t_dicts[1]))
    print("bytes input: evaluate_many %.1fx, evaluate_jsonl %.1fx the pure-Python rate (CPU time)" % (
        t_ref[0] / t_lines[0], t_ref[0] / t_jsonl[0]))
    if headline != n or full != n or not same:
        for a, b in zip(ref, many):
            if a != comparable(b):
                print("first disagreement:\n  reference %s\n  binding   %s" % (json.dumps(a, ensure_ascii=False),
                                                                              json.dumps(comparable(b),
                                                                                         ensure_ascii=False)))
                break
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
