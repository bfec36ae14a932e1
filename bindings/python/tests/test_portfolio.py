# libembedsvc Python binding — examples/python/portfolio.py.
# SPDX-License-Identifier: MIT
"""Runs the portfolio example on examples/projects/portfolio.jsonl (or, when that is absent, on a
JSON Lines file made of the conformance and vector projects) and checks its totals by district
and class against `embedsvc batch` on the same file."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import embedsvc
import support

SCRIPT = os.path.join(support.SOURCE_ROOT, "examples", "python", "portfolio.py")
CLASSES = ("basic_public", "inclusive", "commercial")


class Portfolio(unittest.TestCase):
    """The example's output equals sums over the C batch output."""

    def portfolio(self, tmp):
        path = os.path.join(support.EXAMPLES, "portfolio.jsonl")
        if os.path.exists(path):
            return path
        path = os.path.join(tmp, "portfolio.jsonl")
        with open(path, "wb") as f:
            for case in support.cases():
                if case[4] is None:
                    f.write(support.read(case[2]).replace(b"\n", b" ") + b"\n")
        return path

    def test_totals_by_district_and_class(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = self.portfolio(tmp)
            p = subprocess.run([sys.executable, SCRIPT, path, "--json"], capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            got = json.loads(p.stdout)
            text = subprocess.run([sys.executable, SCRIPT, path], capture_output=True)
            self.assertEqual(text.returncode, 0, text.stderr.decode())
            c = support.cli("batch", path, "-o", "-")
            lines = [l for l in support.read(path).split(b"\n") if l.strip()]
        want, errors = {}, []
        for line, out in zip(lines, c.stdout.decode("utf-8").splitlines()):
            result = json.loads(out)
            if "error" in result:
                errors.append(result)
                continue
            district = json.loads(line).get("district") or "(no district)"
            row = want.setdefault(district, dict({"projects": 0, "eligible": 0, "total": 0}, **{k: 0 for k in CLASSES}))
            row["projects"] += 1
            row["eligible"] += result["eligible"]
            row["total"] += result["subsidy"]["total_fen"]
            for k in CLASSES:
                row[k] += result["subsidy"][k]["amount_fen"]
        self.assertEqual(got["districts"], want)
        self.assertEqual(got["errors"], errors)
        self.assertEqual(list(got["districts"]), list(want))  # first-seen order
        total = sum(r["total"] for r in want.values())
        out = text.stdout.decode("utf-8")
        self.assertIn("all districts", out)
        self.assertIn(embedsvc.format_fen(total), out)


if __name__ == "__main__":
    support.main()
