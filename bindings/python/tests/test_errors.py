# libembedsvc Python binding — error paths.
# SPDX-License-Identifier: MIT
"""Bad JSON, unknown fields, money errors, invalid policies and bad batch records raise (or
return) the right EmbedsvcError subclass with the position and JSON path C reports."""
import json
import os
import pickle
import tempfile
import unittest

import embedsvc
import support

GOOD = {"id": "E-1", "build_mode": "renovation", "total_investment": "3000000", "functions": [
    {"scenario": "elderly_care", "service_class": "basic_public", "investment": "1000000"},
    {"scenario": "community_meals", "investment": "1000000"},
    {"scenario": "infant_care", "service_class": "inclusive", "investment": "1000000"}]}


def cli_error(text, policy=None):
    """The error `embedsvc check` reports for a document."""
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)
    try:
        kind, out = support.cli_check(f.name, policy)
    finally:
        os.unlink(f.name)
    assert kind == "error", out
    return out


class Errors(unittest.TestCase):
    """Exceptions of single calls."""

    @classmethod
    def setUpClass(cls):
        cls.policy = embedsvc.Policy.default()

    def assert_error(self, exc_type, code, text, policy=None):
        with self.assertRaises(exc_type) as cm:
            (policy or self.policy).evaluate(text)
        e = cm.exception
        self.assertIsInstance(e, embedsvc.EmbedsvcError)
        self.assertEqual(e.code, code)
        c = cli_error(text)
        self.assertEqual({"code": e.code, "line": e.line, "column": e.column, "path": e.path}, c)
        return e

    def test_bad_json(self):
        e = self.assert_error(embedsvc.ParseError, "parse.syntax", '{\n  "id": "X",\n  "build_mode" "new"\n}')
        self.assertEqual((e.line, e.column, e.path), (3, 16, ""))
        self.assertIsInstance(e, ValueError)
        self.assertEqual(e.status, -3)
        self.assertTrue(str(e).startswith("3:16: parse.syntax: "), str(e))

    def test_column_counts_code_points(self):
        e = self.assert_error(embedsvc.ParseError, "parse.syntax", '{"name": "养老驿站" x}')
        self.assertEqual(e.column, 17)

    def test_unknown_field(self):
        doc = dict(GOOD, functions=[dict(GOOD["functions"][0], colour="red")] + GOOD["functions"][1:])
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        e = self.assert_error(embedsvc.ParseError, "parse.unknown_field", text)
        self.assertEqual(e.path, "/functions/0/colour")
        self.assertGreater(e.line, 1)
        self.assertIn("(at /functions/0/colour)", str(e))

    def test_money_errors(self):
        for value, code in (("1.005", "money.precision"), ("-1", "money.negative"),
                            ("1000000000000.01", "money.range")):
            with self.subTest(value=value):
                e = self.assert_error(embedsvc.ParseError, code, json.dumps(dict(GOOD, total_investment=value)))
                self.assertEqual(e.path, "/total_investment")

    def test_missing_field_and_type(self):
        doc = dict(GOOD)
        del doc["build_mode"]
        self.assert_error(embedsvc.ParseError, "parse.missing_field", json.dumps(doc))
        self.assert_error(embedsvc.ParseError, "parse.type", json.dumps(dict(GOOD, id=7)))

    def test_dict_input_errors_have_paths(self):
        with self.assertRaises(embedsvc.ParseError) as cm:
            self.policy.evaluate(dict(GOOD, walk_minutes=12.5))
        self.assertEqual((cm.exception.code, cm.exception.path), ("parse.value", "/walk_minutes"))

    def test_invalid_utf8_and_surrogates(self):
        e = self.assert_error(embedsvc.ParseError, "parse.encoding", b'{"id": "\xff"}')
        self.assertEqual(e.column, 9)
        with self.assertRaises(embedsvc.ParseError) as cm:  # a str C cannot receive: the same error
            self.policy.evaluate('{"id": "\ud800"}')
        self.assertEqual((cm.exception.code, cm.exception.line, cm.exception.column), ("parse.encoding", 1, 9))
        with self.assertRaises(embedsvc.ParseError):
            self.policy.classify(b"\xe5\x85")
        with self.assertRaises(embedsvc.ParseError):
            self.policy.classify("\udcff")

    def test_wrong_types(self):
        for bad in (None, 42, ["x"], object()):
            with self.subTest(value=bad), self.assertRaises(TypeError):
                self.policy.evaluate(bad)

    def test_invalid_policy(self):
        doc = self.policy.to_dict()
        health = [i for i, item in enumerate(doc["items"]) if item["name_zh"] == "公共卫生"][0]
        doc["items"][health]["class"] = "inclusive"  # not allowed for the scenario health
        with self.assertRaises(embedsvc.PolicyError) as cm:
            embedsvc.Policy.from_json(json.dumps(doc, ensure_ascii=False))
        self.assertEqual(cm.exception.code, "policy.invalid")
        self.assertTrue(cm.exception.path.startswith("/items/%d" % health), cm.exception.path)
        doc = self.policy.to_dict()
        doc["scenarios"][1]["aliases"].append("养老")  # a term of two targets
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        with self.assertRaises(embedsvc.PolicyError) as cm:
            embedsvc.Policy.from_json(text)
        e = cm.exception
        self.assertEqual(e.code, "policy.invalid")
        self.assertTrue(e.path.startswith("/scenarios/"), e.path)
        self.assertEqual(e.status, -4)
        p = support.cli("policy", "check", "-", stdin=text.encode("utf-8"))
        self.assertEqual(p.returncode, 2)
        self.assertIn(e.path, p.stderr.decode("utf-8"))
        with self.assertRaises(embedsvc.ParseError) as cm:
            embedsvc.Policy.from_json('{"schema": "embedsvc.policy/1",}')
        self.assertEqual(cm.exception.code, "parse.syntax")

    def test_policy_file_missing(self):
        with self.assertRaises(FileNotFoundError):
            embedsvc.Policy.from_file(os.path.join(support.HERE, "no-such-policy.json"))

    def test_process_errors(self):
        with self.assertRaises(embedsvc.StateError) as cm:
            embedsvc.disbursement(100, 5000, 101)
        self.assertEqual(cm.exception.code, "process.overdisbursed")
        with self.assertRaises(embedsvc.RangeError):
            embedsvc.disbursement(100, 10001, 0)
        with self.assertRaises(ValueError):
            self.policy.stage_check(GOOD, "launch")

    def test_hierarchy_and_pickle(self):
        self.assertTrue(issubclass(embedsvc.OutOfMemoryError, MemoryError))
        self.assertTrue(issubclass(embedsvc.FileError, OSError))
        for cls in (embedsvc.ParseError, embedsvc.PolicyError, embedsvc.InvalidArgumentError, embedsvc.RangeError):
            self.assertTrue(issubclass(cls, ValueError))
        e = embedsvc.ParseError("parse.value", "bad", 2, 3, "/id", offset=9, status=-3)
        back = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(back), back.code, back.line, back.column, back.path, back.offset, back.status),
                         (embedsvc.ParseError, "parse.value", 2, 3, "/id", 9, -3))
        f = embedsvc.FileError("io", "cannot open x")
        self.assertEqual(str(f), "io: cannot open x")

    def test_low_level_raises_typed_errors(self):
        c = embedsvc._swig
        project = c.embedsvc_project_new()
        with self.assertRaises(embedsvc.ParseError) as cm:
            c.embedsvc_project_parse(project, "[]")
        self.assertEqual(cm.exception.code, "parse.type")
        with self.assertRaises(embedsvc.InvalidArgumentError):
            c.embedsvc_project_unset(project, 99, c.EMBEDSVC_FIELD_LABEL)


class BadRecords(unittest.TestCase):
    """evaluate_many / evaluate_jsonl: one RecordError per bad record, nothing dropped."""

    def test_evaluate_many_keeps_every_record(self):
        policy = embedsvc.Policy.default()
        records = [GOOD, '{"id": "X",', None, "   ", {"id": "S", "tags": {1, 2}}, b'{"id": "\xff"}',
                   '{"id": "\ud800"}', json.dumps(GOOD), dict(GOOD, colour=1), 7, embedsvc.Project(GOOD)]
        out = policy.evaluate_many(records)
        self.assertEqual(len(out), len(records))
        self.assertEqual([r.line for r in out], list(range(1, len(records) + 1)))
        self.assertEqual([r.ok for r in out], [True, False, False, False, False, False, False, True, False, False,
                                               True])
        self.assertEqual(out[1].code, "parse.syntax")
        self.assertEqual((out[1].error_line, out[1].error_column), (1, 12))
        self.assertEqual(out[2].code, "parse.type")
        self.assertEqual(out[3].code, "parse.syntax")  # a blank record is an empty document, not skipped
        self.assertEqual(out[4].code, "parse.type")
        self.assertEqual(out[5].code, "parse.encoding")
        self.assertEqual(out[6].code, "parse.encoding")
        self.assertEqual((out[8].code, out[8].path), ("parse.unknown_field", "/colour"))
        self.assertEqual(out[0].json, out[7].json)
        self.assertEqual(out[0].json, out[10].json)
        self.assertIsInstance(out[1].exception(), embedsvc.ParseError)
        self.assertEqual(out[1].to_dict()["line"], 2)
        self.assertEqual(sum(r.total_fen for r in out), 3 * out[0].total_fen)
        self.assertIn("RecordError line 2", repr(out[1]))

    def test_evaluate_jsonl_error_lines(self):
        policy = embedsvc.Policy.default()
        good = json.dumps(GOOD, ensure_ascii=False).encode("utf-8")
        data = good + b"\n\n  \r\n{bad\r\n" + good + b"\r\n\xe3\x80\x80\n" + good
        out = policy.evaluate_jsonl(data)
        self.assertEqual([(r.line, r.ok) for r in out], [(1, True), (4, False), (5, True), (7, True)])
        self.assertEqual(out[1].to_dict(), {"schema": "embedsvc.result/1", "line": 4, "error": {
            "code": "parse.syntax", "message": out[1].message, "path": "", "line": 1, "column": 2}})
        p = support.cli("batch", "-", "-o", "-", stdin=data)
        self.assertEqual([json.loads(l) for l in p.stdout.decode("utf-8").splitlines()], [r.to_dict() for r in out])
        with self.assertRaises(TypeError):
            policy.evaluate_jsonl(12)


if __name__ == "__main__":
    support.main()
