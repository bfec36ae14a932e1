# libembedsvc Python binding — bench/python: the pure-Python reference and the benchmark script.
# SPDX-License-Identifier: MIT
"""The reference implementation must agree with C on every case C evaluates (every field it
computes, under each case's policy), and bench/python/run.py must run and find agreement on a
small generated portfolio."""
import json
import os
import subprocess
import sys
import unittest

import embedsvc
import support

BENCH = os.path.join(support.SOURCE_ROOT, "bench", "python")
sys.path.insert(0, BENCH)

import reference  # noqa: E402
import run  # noqa: E402


class Reference(unittest.TestCase):
    """reference.py against the C library."""

    def test_reference_agrees_on_every_case(self):
        refs = {}
        compared = 0
        for suite, name, project, _, policy_path in support.cases():
            kind, out = support.cli_check(project, policy_path)
            if kind != "result":
                continue  # parse errors are the library's business
            with self.subTest(suite=suite, case=name):
                if policy_path not in refs:
                    refs[policy_path] = reference.Reference(
                        json.loads(support.read(policy_path)) if policy_path else None)
                policy = embedsvc.Policy.from_file(policy_path) if policy_path else embedsvc.Policy.default()
                got = refs[policy_path].evaluate(json.loads(support.read(project)))
                self.assertEqual(got, run.comparable(policy.evaluate(support.read(project))))
                compared += 1
        # tests/vectors and examples/projects alone hold 100 evaluable cases; ../shared adds more
        self.assertGreaterEqual(compared, 100)

    def test_largest_remainder(self):
        self.assertEqual(reference.largest_remainder(10, [1, 1, 1]), [4, 3, 3])
        self.assertEqual(reference.largest_remainder(100, [3, 3, 4]), [30, 30, 40])
        self.assertEqual(sum(reference.largest_remainder(12345, [7, 11, 13, 17])), 12345)

    def test_run_script(self):
        p = subprocess.run([sys.executable, os.path.join(BENCH, "run.py"), "--count", "1500", "--repeat", "1"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("agree on eligible and total_fen: 1500/1500", p.stdout)
        ratio = [l for l in p.stdout.splitlines() if l.startswith("ratio")]
        self.assertEqual(len(ratio), 1, p.stdout)  # bench/run reads this line
        float(ratio[0].split()[1].rstrip("x"))


if __name__ == "__main__":
    support.main()
