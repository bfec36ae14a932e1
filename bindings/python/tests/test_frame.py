# libembedsvc Python binding — Policy.evaluate_frame (columns filled in C).
# SPDX-License-Identifier: MIT
"""The frame equals the C batch line by line, keeps its dtypes with error rows, and takes
DataFrames (functions as a list column or a separate frame), lists of dicts, JSON Lines bytes and
paths, numpy scalars and pandas NA."""
import decimal
import json
import os
import subprocess
import sys
import unittest

import numpy as np
import pandas as pd

import embedsvc
import support

PORTFOLIO = os.path.join(support.EXAMPLES, "portfolio.jsonl")
CLASSES = ("basic_public", "inclusive", "commercial")


def batch_lines(path, policy=None):
    """The C batch's output lines of a JSON Lines file, as dicts."""
    args = [support.CLI] + (["--policy", policy] if policy else []) + ["batch", path]
    p = subprocess.run(args, capture_output=True)
    return [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]


class Frame(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = embedsvc.Policy.default()
        cls.data = support.read(PORTFOLIO)
        cls.frame = cls.policy.evaluate_frame(PORTFOLIO)

    def test_equals_the_c_batch(self):
        lines = batch_lines(PORTFOLIO)
        f = self.frame
        self.assertEqual(len(f), len(lines))
        for (_, row), doc in zip(f.iterrows(), lines):
            if "error" in doc:
                self.assertFalse(row.ok)
                self.assertEqual(row.line, doc["line"])
                self.assertEqual(row.error_code, doc["error"]["code"])
                self.assertEqual(row.error_path, doc["error"]["path"])
                self.assertEqual(row.error_line, doc["error"]["line"])
                self.assertEqual(row.error_column, doc["error"]["column"])
                self.assertIs(row.total_fen, pd.NA)
                continue
            s = doc["subsidy"]
            self.assertTrue(row.ok)
            self.assertEqual(row.project_id, doc["project_id"])
            self.assertEqual(bool(row.eligible), doc["eligible"])
            self.assertEqual(bool(row.subsidy_eligible), doc["subsidy_eligible"])
            self.assertEqual(row.total_fen, s["total_fen"])
            self.assertEqual(row.uncapped_fen, s["uncapped_fen"])
            self.assertEqual(bool(row.capped), s["capped"])
            self.assertEqual(None if row.cap_fen is pd.NA else row.cap_fen, s["cap_fen"])
            for c in CLASSES:
                for k in ("base_fen", "rate_bp", "amount_fen"):
                    self.assertEqual(row["%s_%s" % (c, k)], s[c][k])
            for k, v in doc["counts"].items():
                self.assertEqual(row[k], v)
            sev = [x["severity"] for x in doc["findings"]]
            self.assertEqual((row.errors, row.warnings, row.infos),
                             (sev.count("error"), sev.count("warning"), sev.count("info")))

    def test_totals_equal_the_cli_summary(self):
        p = subprocess.run([support.CLI, "--lang", "en", "batch", PORTFOLIO, "-o", os.devnull], capture_output=True)
        summary = p.stderr.decode()
        f = self.frame
        self.assertIn("%d projects" % f.ok.sum(), summary)
        self.assertIn("%d eligible" % f.eligible.sum(), summary)
        self.assertIn(embedsvc.format_fen(int(f.total_fen.sum())), summary)

    def test_dtypes(self):
        f = self.frame
        self.assertGreater((~f.ok).sum(), 0, "the example portfolio has an error line")
        for c in embedsvc._frame.FRAME_MONEY_COLUMNS:
            self.assertEqual(str(f[c].dtype), "Int64", c)
        for c in ("ok", "eligible", "subsidy_eligible", "capped"):
            self.assertEqual(f[c].dtype, np.bool_, c)
        for c in ("district", "street", "community", "build_mode", "error_code"):
            self.assertEqual(str(f[c].dtype), "category", c)
        self.assertEqual(f.line.dtype, np.int64)
        self.assertEqual(str(f.error_line.dtype), "Int64")
        # the sum skips error rows and stays an exact integer
        self.assertIsInstance(int(f.total_fen.sum()), int)

    def test_inputs_agree(self):
        docs = []
        for line in self.data.splitlines():
            try:
                docs.append(json.loads(line))
            except ValueError:
                pass
        base = self.frame[self.frame.ok].reset_index(drop=True).drop(columns="line")
        from_list = self.policy.evaluate_frame(docs)
        pd.testing.assert_frame_equal(from_list, base, check_categorical=False)
        df = pd.DataFrame(docs)
        from_df = self.policy.evaluate_frame(df)
        pd.testing.assert_frame_equal(from_df, base, check_categorical=False)
        # functions as a separate frame keyed by the project id
        ex = df[["id", "functions"]].explode("functions")
        functions = pd.DataFrame(list(ex.functions))
        functions.insert(0, "project", ex.id.to_numpy())
        from_two = self.policy.evaluate_frame(df.drop(columns="functions"), functions=functions, key="project")
        pd.testing.assert_frame_equal(from_two, base, check_categorical=False)
        from_bytes = self.policy.evaluate_frame(self.data)
        pd.testing.assert_frame_equal(from_bytes, self.frame)
        # the index of a DataFrame is kept
        shifted = df.set_index(pd.Index(["p%d" % i for i in range(len(df))]))
        self.assertEqual(list(self.policy.evaluate_frame(shifted).index), list(shifted.index))

    def test_workers_and_partitions(self):
        data = self.data * 40
        one = self.policy.evaluate_frame(data, workers=1)
        two = self.policy.evaluate_frame(data, workers=2)
        pd.testing.assert_frame_equal(one, two)
        # partitions evaluated independently concatenate to the whole (line numbers carried on)
        lines = data.split(b"\n")
        half = len(lines) // 2
        a = self.policy.evaluate_frame(b"\n".join(lines[:half]))
        b = self.policy.evaluate_frame(b"\n".join(lines[half:]), first_line=half + 1)
        both = pd.concat([a, b], ignore_index=True)
        for c in ("district", "street", "community", "build_mode", "error_code"):
            both[c] = both[c].astype(object)
            one[c] = one[c].astype(object)
        pd.testing.assert_frame_equal(both, one, check_dtype=False)

    def test_workers_equal_one_worker(self):
        """Workers fill their blocks of rows in place and the caller converts the text block by
        block while they run: the frames (and findings) of any number of workers equal workers=1,
        values, dtypes and the order of every category included, on a portfolio with error lines
        of several kinds spread over many blocks."""
        gen = os.path.join(support.SOURCE_ROOT, "bench", "gen_portfolio.py")
        lines = subprocess.run([sys.executable, gen, "--seed", "15", "5000"], check=True,
                               capture_output=True).stdout.split(b"\n")
        lines = [l for l in lines if l.strip()]
        for i in range(0, len(lines), 97):
            lines[i] = lines[i][: len(lines[i]) // 2]  # cut short: parse.*
        for i in range(41, len(lines), 211):
            lines[i] = b'{"schema":"embedsvc.project/1","id":"X-%d"}' % i  # a valid document, a bad project
        for i in range(7, len(lines), 301):
            lines[i] += b"\r"
        for i in range(13, len(lines), 503):
            lines[i] = b"  " + lines[i] + b"\n"  # a blank line follows
        data = b"\n".join(lines) + b"\n"
        one, fone = self.policy.evaluate_frame(data, workers=1, findings=True)
        codes = set(one.error_code.dropna().astype(str))
        self.assertGreaterEqual(len(codes), 2, codes)
        self.assertGreater((~one.ok).sum(), 50)
        self.assertGreater(len(fone), len(one))
        for workers in (2, 3, 8):
            many, fmany = self.policy.evaluate_frame(data, workers=workers, findings=True)
            pd.testing.assert_frame_equal(many, one)
            pd.testing.assert_frame_equal(fmany, fone)
            pd.testing.assert_frame_equal(self.policy.evaluate_frame(data, workers=workers, yuan=True),
                                          self.policy.evaluate_frame(data, workers=1, yuan=True))
        # a DataFrame in, as from the JSON Lines (without the error lines)
        docs = []
        for line in lines:
            try:
                docs.append(json.loads(line))
            except ValueError:
                pass
        df = pd.DataFrame(docs)
        pd.testing.assert_frame_equal(self.policy.evaluate_frame(df, workers=2),
                                      self.policy.evaluate_frame(df, workers=1))

    def test_iter_frames(self):
        data = self.data * 30
        whole = self.policy.evaluate_frame(data)
        pieces = list(self.policy.iter_frames(data, chunk_bytes=4096))
        self.assertGreater(len(pieces), 5)
        both = pd.concat(pieces)
        for c in ("district", "street", "community", "build_mode", "error_code"):
            both[c] = both[c].astype(object)
            whole[c] = whole[c].astype(object)
        pd.testing.assert_frame_equal(both, whole, check_dtype=False)
        with open(PORTFOLIO, "rb") as f:
            pairs = list(self.policy.iter_frames(f, chunk_bytes=2000, findings=True))
        self.assertEqual(sum(len(p[1]) for p in pairs),
                         len(self.policy.evaluate_frame(PORTFOLIO, findings=True)[1]))

    def test_numpy_and_na_inputs(self):
        doc = {"id": "np-1", "build_mode": "renovation", "total_investment": np.int64(3000000),
               "walk_minutes": np.int64(10), "district": pd.NA, "street": None, "inclusive_rate": float("nan"),
               "functions": [{"scenario": "elderly_care", "service_class": "basic_public",
                              "investment": np.float64(1000000.0)},
                             {"scenario": "infant_care", "service_class": "inclusive", "investment": 1000000,
                              "label": pd.NA},
                             {"scenario": "community_meals", "investment": decimal.Decimal("1000000.00")}]}
        plain = {"id": "np-1", "build_mode": "renovation", "total_investment": 3000000, "walk_minutes": 10,
                 "functions": [{"scenario": "elderly_care", "service_class": "basic_public", "investment": 1000000},
                               {"scenario": "infant_care", "service_class": "inclusive", "investment": 1000000},
                               {"scenario": "community_meals", "investment": "1000000.00"}]}
        got = self.policy.evaluate_frame([doc])
        want = self.policy.evaluate(plain)
        self.assertTrue(got.ok[0])
        self.assertEqual(got.total_fen[0], want.total_fen)
        self.assertIs(got.district[0], np.nan)
        # an Int64 column with NA, a float column of whole numbers with NaN (pandas' int + missing)
        df = pd.DataFrame([plain, dict(plain, id="np-2")])
        df["walk_minutes"] = pd.array([10, None], dtype="Int64")
        df["total_investment"] = [3000000.0, float("nan")]
        f = self.policy.evaluate_frame(df)
        self.assertTrue(f.ok[0])
        self.assertEqual(f.total_fen[0], want.total_fen)
        self.assertFalse(f.ok[1])  # total_investment is required
        self.assertEqual(f.error_path[1], "/total_investment")
        with self.assertRaises(TypeError) as cm:
            self.policy.evaluate_frame([{"id": "x", "total_investment": np.float32(1.5)}])
        self.assertIn("project 0", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            self.policy.evaluate_frame(pd.DataFrame({"id": ["a"], "walk_minutes": [object()]}))
        self.assertIn("row 0, column 'walk_minutes'", str(cm.exception))

    def test_encoder_is_json(self):
        values = ["plain", "quote\"s", "back\\slash", "tab\tnl\ncr\r", "\x01\x1f", "中文", "", 0, -7, 2**62, 1.5,
                  0.1, 3.0, True, False, [1, "a", None], {"n": {"m": [{}]}}]
        for v in values:
            doc = {"k": v}
            got = json.loads(embedsvc._frame.encode_projects([doc]))
            want = json.loads(json.dumps(doc))
            if isinstance(v, float) and v.is_integer():
                want = {"k": int(v)}  # a whole float is written as an integer
            if isinstance(v, list):
                want = {"k": [1, "a", None]}
            self.assertEqual(got, want, v)
        # strings with characters to escape anywhere (the encoder scans eight bytes at a time)
        import random
        rng = random.Random(15)
        alphabet = ["a", "\"", "\\", "\n", "\x01", "\x1f", " ", "中", "\x7f", "é", "~", "\u2028"]
        docs = [{"k": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))} for _ in range(2000)]
        lines = embedsvc._frame.encode_projects(docs).split(b"\n")
        self.assertEqual([json.loads(l) for l in lines], docs)

    def test_error_rows_and_findings(self):
        f, findings = self.policy.evaluate_frame(self.data, findings=True)
        pd.testing.assert_frame_equal(f, self.frame)
        lines = batch_lines(PORTFOLIO)
        want = [(line, x["code"], x["severity"], x["function"], x["cite"])
                for d, line in zip(lines, f.line) if "findings" in d for x in d["findings"]]
        got = list(zip(findings.line, findings.code.astype(str), findings.severity.astype(str),
                       [None if v is pd.NA else v for v in findings.function], findings.cite.astype(str)))
        self.assertEqual(got, want)
        self.assertEqual(list(findings.severity.cat.categories), ["info", "warning", "error"])
        self.assertTrue(findings.severity.cat.ordered)
        self.assertEqual(list(findings.index), [f.index[f.line == l][0] for l in findings.line])

    def test_yuan(self):
        f = self.policy.evaluate_frame(PORTFOLIO, yuan=True)
        ok = f[f.ok]
        for fen, yuan in zip(ok.total_fen, ok.total_yuan):
            self.assertIsInstance(yuan, decimal.Decimal)
            self.assertEqual(yuan, decimal.Decimal(int(fen)) / 100)
            self.assertEqual(str(yuan), embedsvc.format_fen(int(fen)).replace(",", ""))
        self.assertIsNone(f[~f.ok].total_yuan.iloc[0])
        self.assertNotIn("total_yuan", self.frame.columns)

    def test_empty_and_blank(self):
        for empty in ([], b"", b"\n  \n\r\n", pd.DataFrame({"id": []})):
            f = self.policy.evaluate_frame(empty)
            self.assertEqual(len(f), 0)
            self.assertEqual(str(f.total_fen.dtype), "Int64")
        f = self.policy.evaluate_frame(b"\n" + self.data.split(b"\n")[0] + b"\r\n\n")
        self.assertEqual(list(f.line), [2])

    def test_closed_policy(self):
        p = embedsvc.Policy.default()
        p.close()
        with self.assertRaises(embedsvc.ClosedError):
            p.evaluate_frame(self.data)


if __name__ == "__main__":
    unittest.main()
