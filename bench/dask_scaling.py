#!/usr/bin/env python3
"""Measures embedsvc.dask on a distributed.LocalCluster with 1 and with 2 worker processes.

Usage: PYTHONPATH=BUILD/bindings/python /usr/bin/python3 bench/dask_scaling.py [--projects N] [--files F]
       [--sweep K]

Generates a reproducible portfolio of N projects in F JSON Lines files (bench/gen_portfolio.py), then
for each cluster size times (wall clock, after the cluster is up and has run one warm-up task):
  - totals: evaluating the whole portfolio once and reducing the totals;
  - sweep: a K-value cap sweep (K + 1 evaluations of the portfolio).
Prints a markdown table with projects/s and the speed-up of 2 workers over 1. Loopback only.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=200_000)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--sweep", type=int, default=20)
    args = ap.parse_args()

    from distributed import Client, LocalCluster
    import embedsvc
    import embedsvc.dask as ed

    policy = embedsvc.Policy.default()
    caps = [i * 250_000_000 for i in range(1, args.sweep + 1)]
    with tempfile.TemporaryDirectory() as d:
        per = args.projects // args.files
        for i in range(args.files):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_portfolio.py"), "--seed", str(100 + i),
                            str(per), "-o", os.path.join(d, "part-%d.jsonl" % i)], check=True)
        glob = os.path.join(d, "part-*.jsonl")
        n = per * args.files
        results = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster, Client(cluster):
                ed.totals(os.path.join(d, "part-0.jsonl"), policy)  # warm-up: workers import and load
                t0 = time.monotonic()
                tot = ed.totals(glob, policy)
                t_totals = time.monotonic() - t0
                t0 = time.monotonic()
                ed.sweep(glob, policy, "cap_fen", caps)
                t_sweep = time.monotonic() - t0
                results[workers] = (t_totals, t_sweep, tot)
        (a1, s1, tot), (a2, s2, _) = results[1], results[2]
        print("portfolio: %d projects in %d files; %d CPUs; total subsidy %d fen" % (n, args.files,
                                                                                     os.cpu_count(), tot["total_fen"]))
        print()
        print("| work | 1 worker | 2 workers | speed-up |")
        print("|---|---|---|---|")
        print("| totals (1 evaluation of %d projects) | %.2f s (%.0f projects/s) | %.2f s (%.0f projects/s) | %.2f× |"
              % (n, a1, n / a1, a2, n / a2, a1 / a2))
        evals = n * (args.sweep + 1)
        print("| %d-value cap sweep (%d evaluations) | %.2f s (%.0f/s) | %.2f s (%.0f/s) | %.2f× |"
              % (args.sweep, evals, s1, evals / s1, s2, evals / s2, s1 / s2))


if __name__ == "__main__":
    main()
