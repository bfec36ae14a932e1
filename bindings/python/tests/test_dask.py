# libembedsvc Python binding — embedsvc.dask on a distributed.LocalCluster.
# SPDX-License-Identifier: MIT
"""embedsvc.dask against the C command line, on a real two-worker LocalCluster (loopback only).

A 200,000-project portfolio in four JSON Lines files: its totals on the cluster equal
`embedsvc compare --json` over the concatenated file, and a 20-value cap sweep on the cluster
equals the same comparison of the 20 derived policies (written as policy files) and the
single-process embedsvc.sweep. Bags and DataFrames give the rows of evaluate_frame.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from support import CLI, SOURCE_ROOT  # noqa: E402

import dask  # noqa: E402
import dask.bag  # noqa: E402
import dask.dataframe  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import embedsvc  # noqa: E402
import embedsvc.dask as ed  # noqa: E402

N = int(os.environ.get("EMBEDSVC_DASK_PROJECTS", "200000"))
FILES = 4
CAPS = [None] + [i * 250_000_000 for i in range(1, 20)]  # 20 values: no cap, 250万 … 4750万 yuan


def compare_totals(portfolio, policy_files):
    """Totals per policy from `embedsvc compare --json` (at most 16 policies a pass)."""
    args = [CLI, "--lang", "en", "compare"]
    for f in policy_files:
        args += ["--policy", f]
    p = subprocess.run(args + ["--json", portfolio], capture_output=True)
    if p.returncode not in (0, 1):
        raise AssertionError(p.stderr.decode())
    return json.loads(p.stdout)["totals"]


class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        cls.files = []
        per = N // FILES
        for i in range(FILES):
            path = os.path.join(d, "part-%d.jsonl" % i)
            subprocess.run([sys.executable, os.path.join(SOURCE_ROOT, "bench", "gen_portfolio.py"), "--seed",
                            str(100 + i), str(per), "-o", path], check=True)
            cls.files.append(path)
        cls.whole = os.path.join(d, "whole.jsonl")
        with open(cls.whole, "wb") as out:
            for path in cls.files:
                with open(path, "rb") as f:
                    out.write(f.read())
        cls.glob = os.path.join(d, "part-*.jsonl")
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, protocol="tcp")
        cls.client = Client(cls.cluster)
        cls.policy = embedsvc.Policy.default()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def test_totals_equal_the_cli(self):
        got = ed.totals(self.glob, self.policy)
        (cli,) = compare_totals(self.whole, ["default"])
        self.assertEqual(got["lines"], N)
        for k in ("projects", "eligible", "subsidy_eligible", "capped", "total_fen"):
            self.assertEqual(got[k], cli[k], k)
        # the workers did the work: both took partitions
        self.assertEqual(len(self.client.scheduler_info()["workers"]), 2)

    def test_cap_sweep_equals_the_cli(self):
        frame = ed.sweep(self.glob, self.policy, "cap_fen", CAPS)
        self.assertEqual(len(frame), 20)
        with tempfile.TemporaryDirectory() as d:
            files = []
            for i, cap in enumerate(CAPS):
                with self.policy.derive(cap_fen=cap) as variant:
                    path = os.path.join(d, "cap-%d.json" % i)
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(variant.to_json())
                    files.append(path)
            cli = compare_totals(self.whole, ["default"] + files[:15])[1:]
            cli += compare_totals(self.whole, ["default"] + files[15:])[1:]
        for row, c, cap in zip(frame.itertuples(), cli, CAPS):
            self.assertEqual(row.value, cap)
            for k in ("projects", "eligible", "subsidy_eligible", "capped", "total_fen", "changed", "delta_fen"):
                self.assertEqual(getattr(row, k), c[k], (cap, k))
        # and the single-process sweep of the same portfolio
        single = embedsvc.sweep(self.whole, self.policy, "cap_fen", CAPS)
        pd.testing.assert_frame_equal(frame, single)

    def test_evaluate_files_partition_by_partition(self):
        frame = ed.evaluate(self.glob, self.policy)
        self.assertEqual(frame.npartitions, FILES)
        first = frame.get_partition(0).compute()
        alone = self.policy.evaluate_frame(self.files[0], workers=1)
        pd.testing.assert_frame_equal(first.drop(columns=["source"]), alone)
        self.assertEqual(set(first["source"]), {self.files[0]})
        by_district = frame.groupby("district").total_fen.sum().compute()
        self.assertEqual(int(by_district.sum()), ed.totals(self.glob, self.policy)["total_fen"])

    def test_bag_and_dataframe_inputs(self):
        with open(self.files[0], encoding="utf-8") as f:
            records = [json.loads(line) for _, line in zip(range(3000), f)]
        bag = dask.bag.from_sequence(records, npartitions=3)
        got = ed.evaluate(bag, self.policy).compute()
        alone = self.policy.evaluate_frame(records, workers=1)
        self.assertEqual(list(got["project_id"]), list(alone["project_id"]))
        self.assertEqual(list(got["total_fen"]), list(alone["total_fen"]))
        pdf = pd.DataFrame(records)
        ddf = dask.dataframe.from_pandas(pdf, npartitions=4)
        got = ed.evaluate(ddf, self.policy).compute()
        # the categories of the concatenated partitions are the union of theirs (codes may widen)
        pd.testing.assert_frame_equal(got, self.policy.evaluate_frame(pdf, workers=1), check_categorical=False)
        self.assertEqual(ed.totals(ddf, self.policy), embedsvc.portfolio_totals(self.policy, records))

    def test_policy_is_one_key_of_the_graph(self):
        frame = ed.evaluate(self.glob, self.policy)
        graph = dict(frame.__dask_graph__())
        policy_keys = [k for k in graph if isinstance(k, str) and k.startswith("embedsvc-policy-")]
        self.assertEqual(len(policy_keys), 1)
        self.assertEqual(graph[policy_keys[0]], self.policy.to_json())

    def test_bad_input_is_refused_before_any_task(self):
        with self.assertRaises(FileNotFoundError):
            ed.evaluate(os.path.join(self.tmp.name, "none-*.jsonl"))
        with self.assertRaises(TypeError):
            ed.totals(42)
        with self.assertRaises(embedsvc.EmbedsvcError):
            ed.sweep(self.glob, self.policy, "preferred_severity", ["warning", "sometimes"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
