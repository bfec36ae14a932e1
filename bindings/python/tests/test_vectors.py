# libembedsvc Python binding — every vector, conformance case and example, identical to C.
# SPDX-License-Identifier: MIT
"""For each case the Python result must equal what `embedsvc check --json` prints (the whole
result, after json.loads, and the exact text), satisfy expected.json (the subset format of the
shared conformance README), and give the same outcome through evaluate_jsonl / evaluate_many as
`embedsvc batch` gives for the same lines."""
import decimal
import json
import os
import unittest

import embedsvc
import support

POLICIES = {}


def policy_for(path):
    if path not in POLICIES:
        POLICIES[path] = embedsvc.Policy.from_file(path) if path else embedsvc.Policy.default()
    return POLICIES[path]


def python_outcome(policy, data):
    """("result", Result) or ("error", {code, line, column, path})."""
    try:
        return "result", policy.evaluate(data)
    except embedsvc.EmbedsvcError as e:
        return "error", {"code": e.code, "line": e.line, "column": e.column, "path": e.path}


class Vectors(unittest.TestCase):
    """The cases, one subTest each."""

    @classmethod
    def setUpClass(cls):
        cls.cases = support.cases()
        cls.oracle = {c[2]: support.cli_check(c[2], c[4]) for c in cls.cases}

    def test_cases_found(self):
        suites = {c[0] for c in self.cases}
        self.assertIn("vectors", suites)
        self.assertGreater(len(self.cases), 100)

    def test_conformance_cases_included(self):
        if not support.conformance_available():
            self.skipTest("%s is absent: the shared conformance cases are not run" % support.CONFORMANCE)
        self.assertEqual(sum(1 for c in self.cases if c[0] == "conformance"),
                         sum(1 for e in os.listdir(support.CONFORMANCE) if e.endswith(".project.json")))

    def test_identical_to_c_and_expected(self):
        checked = 0
        for suite, name, project, expected_path, policy_path in self.cases:
            with self.subTest(suite=suite, case=name):
                policy = policy_for(policy_path)
                data = support.read(project)
                kind, got = python_outcome(policy, data)
                c_kind, c_out = self.oracle[project]
                self.assertEqual(kind, c_kind, "Python %s %s, C %s %s" % (kind, got, c_kind, c_out))
                if kind == "result":
                    self.assertEqual(got.to_dict(), json.loads(c_out))
                    self.assertEqual(got.json, c_out)  # byte for byte
                    self.assertEqual(got.eligible, got.to_dict()["eligible"])
                    self.assertEqual(got.total_fen, got.subsidy.total_fen)
                    actual = got.to_dict()
                else:
                    self.assertEqual(got, c_out)
                    actual = {"error": got}
                expected = json.loads(support.read(expected_path))
                self.assertEqual(support.compare_expected(expected, actual), [])
                checked += 1
        self.assertEqual(checked, len(self.cases))

    def test_text_dict_and_project_inputs_agree(self):
        for suite, name, project, _, policy_path in self.cases:
            if self.oracle[project][0] != "result":
                continue
            with self.subTest(suite=suite, case=name):
                policy = policy_for(policy_path)
                data = support.read(project)
                want = policy.evaluate(data).json
                self.assertEqual(policy.evaluate(data.decode("utf-8")).json, want)
                doc = json.loads(data, parse_float=decimal.Decimal)
                self.assertEqual(policy.evaluate(doc).json, want)
                self.assertEqual(policy.evaluate(embedsvc.Project(data)).json, want)

    def lines_by_policy(self):
        """Each case's project as one line (newlines of the pretty-printed files become spaces)."""
        groups = {}
        for _, _, project, _, policy_path in self.cases:
            groups.setdefault(policy_path, []).append(support.read(project).replace(b"\n", b" "))
        return groups

    def test_evaluate_jsonl_matches_c_batch(self):
        for policy_path, lines in self.lines_by_policy().items():
            with self.subTest(policy=policy_path):
                data = b"\n".join(lines) + b"\n"
                args = (["--policy", policy_path] if policy_path else []) + ["batch", "-", "-o", "-"]
                p = support.cli(*args, stdin=data)
                self.assertIn(p.returncode, (0, 1), p.stderr)
                c_lines = p.stdout.decode("utf-8").splitlines()
                results = policy_for(policy_path).evaluate_jsonl(data)
                self.assertEqual(len(results), len(c_lines))
                for r, c_line in zip(results, c_lines):
                    self.assertEqual(r.to_dict(), json.loads(c_line))
                    if r.ok:
                        self.assertEqual(r.json, c_line)
                # the same through a file path and a file object
                path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "embedsvc-py-vectors-%d.jsonl" % os.getpid())
                try:
                    with open(path, "wb") as f:
                        f.write(data)
                    self.assertEqual([r.to_dict() for r in policy_for(policy_path).evaluate_jsonl(path)],
                                     [r.to_dict() for r in results])
                    with open(path, "rb") as f:
                        self.assertEqual([r.to_dict() for r in policy_for(policy_path).evaluate_jsonl(f)],
                                         [r.to_dict() for r in results])
                finally:
                    os.unlink(path)

    def test_evaluate_many_matches_single_evaluations(self):
        for policy_path, lines in self.lines_by_policy().items():
            with self.subTest(policy=policy_path):
                policy = policy_for(policy_path)
                many = policy.evaluate_many(lines)
                self.assertEqual(len(many), len(lines))  # nothing dropped, blank records included
                for i, (line, r) in enumerate(zip(lines, many)):
                    self.assertEqual(r.line, i + 1)
                    kind, single = python_outcome(policy, line)
                    if kind == "result":
                        self.assertTrue(r.ok)
                        self.assertEqual(r.json, single.json)
                    else:
                        self.assertFalse(r.ok)
                        self.assertEqual({k: r.to_dict()["error"][k] for k in ("code", "line", "column", "path")},
                                         single)
                # dicts, serialised once each
                dicts = [json.loads(line, parse_float=decimal.Decimal) for line, r in zip(lines, many) if r.ok]
                self.assertEqual([r.json for r in policy.evaluate_many(dicts)], [r.json for r in many if r.ok])

    def test_batch_results_equal_single_results(self):
        """A Result of evaluate_many / evaluate_jsonl holds no JSON: its figures come from the C
        accessors and its to_dict() from evaluating the record again. For every case, under every
        number of workers, both must equal the single evaluation's (which is `embedsvc check`'s,
        test_identical_to_c_and_expected)."""
        for policy_path, lines in self.lines_by_policy().items():
            policy = policy_for(policy_path)
            eager = [python_outcome(policy, line) for line in lines]
            blob = b"\n".join(lines) + b"\n"
            for workers in (1, 2, 5):
                with self.subTest(policy=policy_path, workers=workers):
                    many = policy.evaluate_many(lines, workers=workers)
                    jsonl = policy.evaluate_jsonl(blob, workers=workers)
                    self.assertEqual(len(many), len(lines))
                    self.assertEqual(len(jsonl), len(lines))
                    for i, ((kind, single), a, b) in enumerate(zip(eager, many, jsonl)):
                        self.assertEqual((a.line, b.line), (i + 1, i + 1))
                        if kind != "result":
                            self.assertFalse(a.ok or b.ok)
                            continue
                        d = single.to_dict()
                        for r in (a, b):
                            self.assertIsNone(r._json)  # nothing serialised yet
                            self.assertEqual((r.project_id, r.eligible, r.subsidy_eligible, r.total_fen),
                                             (d["project_id"], d["eligible"], d["subsidy_eligible"],
                                              d["subsidy"]["total_fen"]))
                            self.assertEqual(r.counts.to_dict(), d["counts"])
                            self.assertEqual([f.to_dict() for f in r.functions], d["functions"])
                            self.assertEqual(r.subsidy.to_dict(), d["subsidy"])
                            self.assertEqual([c.to_dict() for c in r.checks], d["checks"])
                            self.assertEqual(r.finding_codes, [f["code"] for f in d["findings"]])
                            self.assertEqual(r.summary(), single.summary())
                            self.assertEqual(repr(r), repr(single))
                            self.assertEqual(r.to_dict(), d)  # made on demand
                            self.assertEqual(r.json, single.json)  # byte for byte
                            self.assertEqual(r, single)
                        self.assertEqual(a.findings, single.findings)
                        self.assertEqual(b.errors, single.errors)
                        self.assertEqual(b.policy.to_dict(), d["policy"])


if __name__ == "__main__":
    support.main()
