#!/usr/bin/env python3
# libembedsvc — Policy.evaluate_frame against a pure-Python implementation of the same columns.
# SPDX-License-Identifier: MIT
"""Measures the analyst's path, a portfolio to a pandas DataFrame, in one run.

Usage: frame.py [--count N] [--seed S] [--repeat K] [--check PORTFOLIO.jsonl]

Both sides produce the same frame: one row per project with project_id, name, district, street,
community, build_mode, ok, eligible, subsidy_eligible, capped, the money columns in integer fen
(total, uncapped, cap, headroom, base/rate/amount per class, pandas Int64), the five counts and the
findings by severity, and error rows (a line that is not JSON) with error_code.

  reference   json.loads of each line + reference.py's rules (bench/python/reference.py, the
              pure-Python evaluation of bench/python/run.py) + the row; the rows become the frame
              column by column with the same dtypes (Int64, bool, category).
  binding     Policy.evaluate_frame (columns filled in C).

Measured (best of K, default 3; CPU time of the process, all threads, and wall time):
  jsonl       the portfolio's bytes in: reference vs evaluate_frame(bytes, workers=1);
  dataframe   a DataFrame of the projects in (functions as a list column): the reference walks
              df.itertuples(); the binding evaluate_frame(df, workers=1);
  scaling     evaluate_frame(bytes) with workers=os.cpu_count() against workers=1, wall time.
Targets (issue 15): jsonl ≥ 20×, dataframe ≥ 10× single-threaded; scaling ≥ 1.7× on 2 cores.

First it checks that the reference and the binding give equal frames on --check (default
examples/projects/portfolio.jsonl, which has an error line) and on the generated portfolio; exits 1
when they differ. Prints the frame's dtypes. Needs PYTHONPATH=<builddir>/bindings/python.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import embedsvc  # noqa: E402
from reference import BUILD_ZH, CLASS_CODES, Reference  # noqa: E402

INT_COLUMNS = (["total_fen", "uncapped_fen", "cap_fen", "cap_headroom_fen"] +
               ["%s_%s" % (c, k) for c in CLASS_CODES for k in ("base_fen", "rate_bp", "amount_fen")] +
               ["functions", "valid_functions", "distinct_scenarios", "core_scenarios", "preferred_scenarios",
                "errors", "warnings", "infos"])
TEXT = ["project_id", "name"]
CATEGORIES = ["district", "street", "community", "build_mode", "error_code"]
BOOLS = ["ok", "eligible", "subsidy_eligible", "capped"]
COLUMNS = BOOLS[:1] + TEXT + CATEGORIES[:4] + BOOLS[1:] + INT_COLUMNS + ["error_code"]


class ReferenceFrame:
    """The same frame in pure Python: json.loads + the rules + one row per project."""

    def __init__(self):
        self.ref = Reference()

    def row(self, project):
        r = self.ref.evaluate(project)
        s = r["subsidy"]
        c = r["counts"]
        sev = [f["severity"] for f in r["findings"]]
        mode = project.get("build_mode")
        row = [True, r["project_id"], project.get("name"), project.get("district"), project.get("street"),
               project.get("community"), BUILD_ZH.get(mode, mode), r["eligible"], r["subsidy_eligible"], s["capped"],
               s["total_fen"], s["uncapped_fen"], s["cap_fen"], s["cap_headroom_fen"]]
        for k in CLASS_CODES:
            row += [s[k]["base_fen"], s[k]["rate_bp"], s[k]["amount_fen"]]
        row += [c["functions"], c["valid_functions"], c["distinct_scenarios"], c["core_scenarios"],
                c["preferred_scenarios"], sev.count("error"), sev.count("warning"), sev.count("info"), None]
        return row

    @staticmethod
    def error_row():
        return [False] + [None] * 6 + [False, False, False] + [None] * len(INT_COLUMNS) + ["parse.syntax"]

    def frame(self, rows, index=None):
        cols = list(zip(*rows)) if rows else [()] * len(COLUMNS)
        data = {}
        for name, values in zip(COLUMNS, cols):
            if name in BOOLS:
                data[name] = np.array(values, dtype=bool)
            elif name in INT_COLUMNS:
                data[name] = pd.array(values, dtype="Int64")
            elif name in CATEGORIES:
                data[name] = pd.Categorical(values)
            else:
                data[name] = np.array(values, dtype=object)
        return pd.DataFrame(data, index=index)

    def from_jsonl(self, data):
        rows = []
        for line in data.split(b"\n"):
            if line.strip():
                try:
                    project = json.loads(line)
                except ValueError:
                    rows.append(self.error_row())
                    continue
                rows.append(self.row(project))
        return self.frame(rows)

    def from_dataframe(self, df):
        names = list(df.columns)
        rows = []
        for values in df.itertuples(index=False, name=None):
            project = {k: v for k, v in zip(names, values)
                       if v is not None and not (isinstance(v, float) and math.isnan(v))}
            rows.append(self.row(project))
        return self.frame(rows, index=df.index)


def comparable(frame):
    """The columns both sides make, with categories as plain values (their order may differ)."""
    f = frame[[c for c in COLUMNS if c != "error_code"]].copy()
    for c in CATEGORIES[:4]:
        f[c] = f[c].astype(object).where(f[c].notna(), None)
    f["error_code"] = frame["error_code"].astype(object).where(frame["error_code"].notna(), None)
    # the reference trusts its input; its only error is a line that is not JSON
    f.loc[~f.ok, "error_code"] = f.loc[~f.ok, "error_code"].map(lambda c: "error" if c else None)
    f.loc[~f.ok, ["project_id", "name"]] = None
    return f.reset_index(drop=True)


def check(policy, ref, data, label):
    got = comparable(policy.evaluate_frame(data))
    want = comparable(ref.from_jsonl(data))
    try:
        pd.testing.assert_frame_equal(got, want, check_dtype=True)
    except AssertionError as exc:
        print("DIFFERENT on %s: %s" % (label, exc))
        return False
    print("equal frames on %s: %d rows, %d error rows, total %s fen" % (
        label, len(got), int((~got.ok).sum()), int(got.total_fen.sum())))
    return True


def best(fn, repeat):
    cpu = wall = float("inf")
    out = None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=20251126)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--check", default=os.path.join(ROOT, "examples", "projects", "portfolio.jsonl"))
    args = ap.parse_args()

    data = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_portfolio.py"), str(args.count),
                           "--seed", str(args.seed)], check=True, capture_output=True).stdout
    policy = embedsvc.Policy.default()
    # the reference evaluates valid projects only: keep the lines the library accepts
    frame = policy.evaluate_frame(data)
    lines = [l for l in data.split(b"\n") if l.strip()]
    data = b"\n".join(l for l, ok in zip(lines, frame.ok) if ok) + b"\n"
    n = data.count(b"\n")
    ref = ReferenceFrame()
    ok = check(policy, ref, open(args.check, "rb").read(), os.path.relpath(args.check, ROOT))
    ok = check(policy, ref, data, "the generated portfolio") and ok
    if not ok:
        return 1

    print("input: %d projects (bench/gen_portfolio.py, seed %d), %.1f MB" % (n, args.seed, len(data) / 1e6))
    print("Python %s (%s); %d CPUs, load average %.2f; best of %d" % (
        sys.version.split()[0], sys.executable, os.cpu_count(), os.getloadavg()[0], args.repeat))
    print("%-58s %10s %10s" % ("  projects/s", "CPU", "wall"))
    res = {}

    def run(key, label, fn):
        cpu, wall, out = best(fn, args.repeat)
        res[key] = (cpu, wall)
        print("  %-56s %10.0f %10.0f" % (label, n / cpu, n / wall))
        return out

    print("JSON Lines in, DataFrame out:")
    run("ref_jsonl", "pure Python: json.loads + rules + row", lambda: ref.from_jsonl(data))
    out = run("bind_jsonl_1", "binding: evaluate_frame(bytes, workers=1)", lambda: policy.evaluate_frame(data, workers=1))
    cpus = os.cpu_count() or 1
    run("bind_jsonl_n", "binding: evaluate_frame(bytes, workers=%d)" % cpus,
        lambda: policy.evaluate_frame(data, workers=cpus))
    df = pd.DataFrame([json.loads(l) for l in data.split(b"\n") if l.strip()])
    print("DataFrame in (functions a list column), DataFrame out:")
    run("ref_df", "pure Python: itertuples + rules + row", lambda: ref.from_dataframe(df))
    run("bind_df_1", "binding: evaluate_frame(df, workers=1)", lambda: policy.evaluate_frame(df, workers=1))
    run("bind_df_n", "binding: evaluate_frame(df, workers=%d)" % cpus, lambda: policy.evaluate_frame(df, workers=cpus))

    jsonl = res["ref_jsonl"][0] / res["bind_jsonl_1"][0]
    dfr = res["ref_df"][0] / res["bind_df_1"][0]
    scale = res["bind_jsonl_1"][1] / res["bind_jsonl_n"][1]
    print("frame dtypes:")
    for name, dtype in out.dtypes.items():
        print("  %-26s %s" % (name, dtype))
    print("ratio jsonl %.1fx (target 20x), dataframe %.1fx (target 10x), CPU time single-threaded; "
          "scaling %.2fx with %d workers, wall (target 1.7x on 2 cores)" % (jsonl, dfr, scale, cpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
