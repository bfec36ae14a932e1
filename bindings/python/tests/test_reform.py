# libembedsvc Python binding — Policy.derive and embedsvc.sweep.
# SPDX-License-Identifier: MIT
"""A derived policy equals the policy file with the same values (checked through the CLI), says
it is derived, and rejects an impossible reform with the path of the rule; a sweep's rows equal
`embedsvc batch` under each derived policy."""
import json
import os
import subprocess
import tempfile
import unittest

import numpy as np

import embedsvc
import support

PORTFOLIO = os.path.join(support.EXAMPLES, "portfolio.jsonl")


def cli_totals(policy):
    """(projects, eligible, subsidy_eligible, total_fen) of `embedsvc batch` under a Policy."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "policy.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(policy.to_json())
        p = subprocess.run([support.CLI, "--policy", path, "batch", PORTFOLIO], capture_output=True)
    docs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    ok = [d for d in docs if "error" not in d]
    return (len(ok), sum(d["eligible"] for d in ok), sum(d["subsidy_eligible"] for d in ok),
            sum(d["subsidy"]["total_fen"] for d in ok))


class Derive(unittest.TestCase):
    def setUp(self):
        self.base = embedsvc.Policy.default()

    def test_changed_values_and_marking(self):
        r = self.base.derive(cap_fen=np.int64(30_000_000_00), rates={"inclusive": 2500}, min_functions=4)
        self.assertEqual(r.id, self.base.id)
        self.assertEqual(r.version, self.base.version + "+derived")
        self.assertIn("cap_fen", r.title_en)
        self.assertIn("rates", r.title_zh)
        self.assertEqual(r.subsidy_rules["cap_fen"], 30_000_000_00)
        self.assertEqual(r.rules["min_functions"], 4)
        rates = {c.code: c.rate_bp for c in r.classes}
        self.assertEqual(rates["inclusive"], 2500)
        self.assertEqual(rates["basic_public"], {c.code: c.rate_bp for c in self.base.classes}["basic_public"])
        # the same document loaded as a file gives the same results
        again = embedsvc.Policy.from_json(r.to_json())
        self.assertEqual(again.to_json(), r.to_json())
        self.assertEqual(self.base.derive(cap_fen=None).subsidy_rules["cap_fen"], None)
        named = self.base.derive(id="reform-a", version="2", title_en="Reform A")
        self.assertEqual((named.id, named.version, named.title_en), ("reform-a", "2", "Reform A"))

    def test_errors_name_the_path(self):
        with self.assertRaises(embedsvc.EmbedsvcError) as cm:
            self.base.derive(min_functions=99)
        self.assertEqual(cm.exception.path, "/rules/min_functions")
        with self.assertRaises(embedsvc.ParseError) as cm:
            self.base.derive(rates={"luxury": 100})
        self.assertEqual(cm.exception.code, "parse.unknown_field")
        self.assertEqual(cm.exception.path, "/rates/luxury")
        with self.assertRaises(embedsvc.ParseError) as cm:
            self.base.derive(min_functions="three")
        self.assertEqual(cm.exception.code, "parse.type")
        with self.assertRaises(TypeError):
            self.base.derive(no_such_key=1)

    def test_sweep_equals_the_cli(self):
        values = [10**8, 5 * 10**8, 10**9, None]
        s = embedsvc.sweep(PORTFOLIO, self.base, "cap_fen", values)
        self.assertEqual(list(s.value), values)
        base = cli_totals(self.base)
        for row, value in zip(s.itertuples(), values):
            want = cli_totals(self.base.derive(cap_fen=value))
            self.assertEqual((row.projects, row.eligible, row.subsidy_eligible, row.total_fen), want)
            self.assertEqual(row.delta_fen, want[3] - base[3])
            self.assertEqual(row.delta_eligible, want[1] - base[1])
        self.assertEqual(s.total_fen.dtype, np.int64)
        # a lower cap never raises the total
        capped = s[s.value.notna()]
        self.assertTrue((capped.total_fen.diff().dropna() >= 0).all())
        r = embedsvc.sweep(PORTFOLIO, self.base, "rates.basic_public", [2000, 3000])
        self.assertEqual(r.total_fen.iloc[0], cli_totals(self.base.derive(rates={"basic_public": 2000}))[3])
        self.assertEqual(r.delta_fen.iloc[1], 0)  # 3000 is the base rate
        self.assertEqual(r.changed.iloc[1], 0)

    def test_totals_add_over_partitions(self):
        data = support.read(PORTFOLIO).split(b"\n")
        whole = embedsvc.portfolio_totals(self.base, PORTFOLIO)
        a = embedsvc.portfolio_totals(self.base, b"\n".join(data[:10]))
        b = embedsvc.portfolio_totals(self.base, b"\n".join(data[10:]))
        self.assertEqual({k: a[k] + b[k] for k in whole}, whole)
        self.assertEqual((whole["projects"], whole["eligible"], whole["subsidy_eligible"], whole["total_fen"]),
                         cli_totals(self.base))


if __name__ == "__main__":
    unittest.main()
