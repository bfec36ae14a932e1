#!/usr/bin/env python3
# libembedsvc — Python example: the subsidy of a portfolio by district and class.
# SPDX-License-Identifier: MIT
"""Evaluates a JSON Lines portfolio (one embedsvc.project/1 per line) and prints the total
subsidy by district and service class, with the projects that could not be read.

Usage: portfolio.py [PORTFOLIO.jsonl] [--policy POLICY.json] [--json]

Run it from the build tree with PYTHONPATH=build/bindings/python. In a notebook the same
table is one line with pandas:

    rows = embedsvc.results_to_rows(policy.evaluate_jsonl(path))
    pandas.DataFrame(rows).groupby("district")[["basic_public_amount_fen", "inclusive_amount_fen",
                                                "commercial_amount_fen", "total_fen"]].sum()
"""
import argparse
import json
import os
import sys

import embedsvc

CLASSES = ("basic_public", "inclusive", "commercial")
DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "projects", "portfolio.jsonl")


def totals_by_district(results):
    """{district: {"projects", "eligible", "basic_public", "inclusive", "commercial", "total"}} in fen,
    districts in first-seen order; bad records are counted apart."""
    table = {}
    for r in results:
        if not r.ok:
            continue
        district = (r.project or {}).get("district") or "(no district)"
        row = table.setdefault(district, dict({"projects": 0, "eligible": 0, "total": 0},
                                              **{c: 0 for c in CLASSES}))
        row["projects"] += 1
        row["eligible"] += r.eligible
        subsidy = r.subsidy
        for c in CLASSES:
            row[c] += getattr(subsidy, c).amount_fen
        row["total"] += r.total_fen
    return table


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("portfolio", nargs="?", default=DEFAULT, help="a JSON Lines file (default: %(default)s)")
    ap.add_argument("--policy", help="an embedsvc.policy/1 file (default: the compiled-in Beijing policy)")
    ap.add_argument("--json", action="store_true", help="print the totals as JSON")
    args = ap.parse_args()

    policy = embedsvc.Policy.from_file(args.policy) if args.policy else embedsvc.Policy.default()
    results = policy.evaluate_jsonl(args.portfolio)
    table = totals_by_district(results)
    errors = [r for r in results if not r.ok]

    if args.json:
        json.dump({"policy": policy.id, "districts": table,
                   "errors": [r.to_dict() for r in errors]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0

    print("%s — %s (%s)" % (os.path.basename(args.portfolio), policy.title_zh or policy.id, policy.id))
    print("Subsidy in yuan by district and class (基本公共服务类 / 普惠非基本公共服务类 / 便民商业类):")
    header = ("district", "projects", "eligible", "basic_public", "inclusive", "commercial", "total")
    widths = (14, 8, 8, 16, 16, 12, 16)
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(header, widths))))
    grand = dict({"projects": 0, "eligible": 0, "total": 0}, **{c: 0 for c in CLASSES})
    for district, row in list(table.items()) + [("all districts", grand)]:
        if district == "all districts":
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))
        else:
            for k in grand:
                grand[k] += row[k]
        cells = [district, str(row["projects"]), str(row["eligible"])]
        cells += [embedsvc.format_fen(row[c]) for c in CLASSES] + [embedsvc.format_fen(row["total"])]
        # CJK characters are two columns wide in a terminal
        pad = widths[0] - sum(2 if ord(ch) > 0x2E80 else 1 for ch in district)
        print(district + " " * max(0, pad) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells[1:], widths[1:])))
    for r in errors:
        print("line %d: not evaluated: %s" % (r.line, r.exception()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
