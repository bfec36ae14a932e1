#!/usr/bin/env python3
# libembedsvc — Python example: what a policy reform would cost, and who would lose eligibility.
# SPDX-License-Identifier: MIT
"""Compares a JSON Lines portfolio under the current policy and one or more reforms, prints the
totals per policy and writes the HTML report (docs/compare.md).

Usage: compare.py [PORTFOLIO.jsonl] [--policy POLICY.json]... [--html REPORT.html] [--lang zh|en]

Without --policy, the compiled-in policy is compared with the two reforms of policies/. Run it
from the build tree with PYTHONPATH=build/bindings/python. In a notebook:

    c = embedsvc.compare("portfolio.jsonl", [current, reform])
    c                                  # the HTML report with its charts
    pandas.DataFrame(c.totals)         # one row per policy; also c.districts, c.changes
"""
import argparse
import os
import sys

import embedsvc

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEFAULT = os.path.normpath(os.path.join(ROOT, "examples", "projects", "portfolio.jsonl"))
REFORMS = [os.path.normpath(os.path.join(ROOT, "policies", name)) for name in ("reform-cap-3000wan.json", "reform-inclusive-20pct.json")]


def wan(fen):
    """Fen as 万元, exactly: two to six decimals (1 万元 = 1,000,000 fen)."""
    whole, rest = divmod(abs(fen), 1_000_000)
    return "%s%s.%s" % ("-" if fen < 0 else "", format(whole, ","), ("%06d" % rest).rstrip("0").ljust(2, "0"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("portfolio", nargs="?", default=DEFAULT, help="a JSON Lines file (default: %(default)s)")
    ap.add_argument("--policy", action="append", help="a policy file; repeat it, the first is the baseline "
                    "(default: the compiled-in policy and the two reforms of policies/)")
    ap.add_argument("--html", help="write the HTML report to this file")
    ap.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the report (default en)")
    args = ap.parse_args()

    if args.policy:
        policies = [embedsvc.Policy.default() if p == "default" else embedsvc.Policy.from_file(p)
                    for p in args.policy]
    else:
        policies = [embedsvc.Policy.default()] + [embedsvc.Policy.from_file(p) for p in REFORMS]
    c = embedsvc.compare(args.portfolio, policies, lang=args.lang, caption=os.path.basename(args.portfolio))

    print("%s: %d projects, %d error line(s) left out" % (args.portfolio, c.projects, len(c.errors)))
    header = ("policy", "eligible", "subsidy (万元)", "change (万元)", "lost eligibility", "less subsidy")
    print("%-26s %9s %16s %16s %17s %13s" % header)
    for row in c.totals:
        print("%-26s %9d %16s %16s %17d %13d" % (row["policy"], row["eligible"], wan(row["total_fen"]),
                                                 wan(row["delta_fen"]), row["lost_eligible"], row["subsidy_down"]))
    for e in c.errors:
        print("line %d: not counted: %s" % (e.line, e.exception()))
    if args.html:
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(c.to_html())
        print("report written to %s" % args.html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
