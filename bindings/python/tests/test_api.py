# libembedsvc Python binding — the public API.
# SPDX-License-Identifier: MIT
"""Policy properties, classification (against `embedsvc classify --json`), Result attributes,
repr/_repr_html_, results_to_rows, the funding process, the low-level module, and the README
one-liner."""
import collections
import json
import os
import subprocess
import sys
import unittest

import embedsvc
import support

SAMPLE = os.path.join(support.EXAMPLES, "renovated-complex.json")
CAPPED = os.path.join(support.EXAMPLES, "capped-large-complex.json")


class PolicyApi(unittest.TestCase):
    """Policy.default / from_file / from_json and its properties."""

    def test_default_properties(self):
        p = embedsvc.Policy.default()
        self.assertEqual((p.id, p.version), ("beijing-2024-trial", "1"))
        self.assertEqual(repr(p), "<Policy beijing-2024-trial version 1>")
        self.assertEqual(len(p.scenarios), 9)
        s = p.scenarios[0]
        self.assertEqual((s.code, s.name_zh, s.core, s.preferred), ("elderly_care", "养老服务", True, True))
        self.assertEqual(s.allowed_classes, ["basic_public", "inclusive", "commercial"])
        self.assertIn("code='elderly_care'", repr(s))
        self.assertEqual([c.code for c in p.classes], ["basic_public", "inclusive", "commercial"])
        self.assertEqual([(c.rate_bp, c.rate_is_max) for c in p.classes], [(3000, False), (3000, True), (0, False)])
        self.assertEqual(p.rules["min_functions"], 3)
        self.assertEqual(p.rules["min_core_functions"], 2)
        self.assertEqual(p.rules["subsidy_build_modes"], ["new", "expansion", "renovation"])
        self.assertEqual(p.subsidy_rules, {"cap_fen": 5000000000, "cap_allocation": "basic_first"})
        self.assertEqual(len(p.items), 14)
        self.assertEqual(p.title_zh, "北京市社区嵌入式服务设施项目建设运营管理办法（试行）")
        self.assertIsNone(p.effective_from)
        p.rules["min_functions"] = 99  # a copy: the policy is immutable
        self.assertEqual(p.rules["min_functions"], 3)

    def test_round_trips(self):
        p = embedsvc.Policy.default()
        text = p.to_json()
        self.assertEqual(text.rstrip("\n"), support.cli("policy", "show").stdout.decode("utf-8").rstrip("\n"))
        self.assertEqual(embedsvc.Policy.from_json(text).to_json(), text)
        self.assertEqual(embedsvc.Policy.from_json(text.encode("utf-8")).to_json(), text)
        self.assertEqual(embedsvc.Policy.from_json(p.to_dict()).to_json(), text)
        path = os.path.join(support.SOURCE_ROOT, "policies", "beijing-2024-trial.json")
        self.assertEqual(embedsvc.Policy.from_file(path).to_json(), text)
        alt = os.path.join(support.VECTORS, "policies", "alt-four-functions.json")
        if os.path.exists(alt):
            self.assertEqual(embedsvc.Policy.from_file(alt).rules["min_functions"], 4)

    def test_classify_matches_cli(self):
        p = embedsvc.Policy.default()
        texts = ["养老驿站", "养老托育综合服务中心", "理发店", "foo", "养老服务", "便民服务便民理发",
                 "ＥＬＤＥＲＬＹ_care", "超市", "社区 卫生　服务站", "Community Meals"]
        cli = support.cli("classify", "--json", *texts)
        want = [json.loads(l) for l in cli.stdout.decode("utf-8").splitlines()]
        got = [p.classify(t) for t in texts]
        self.assertEqual([c.to_dict() for c in got], want)
        c = p.classify("养老托育综合服务中心")
        self.assertEqual(c.match, "ambiguous")
        self.assertEqual(c.candidates, [("elderly_care", None), ("infant_care", None)])
        c = p.classify("超市")
        self.assertEqual((c.item, c.service_class, c.scenario), ("零售商业", "commercial", "housekeeping"))
        self.assertIn("match='exact'", repr(c))
        self.assertEqual(p.classify("超市".encode("utf-8")), c)


class ResultApi(unittest.TestCase):
    """Result attributes, repr, HTML and to_dict."""

    @classmethod
    def setUpClass(cls):
        cls.policy = embedsvc.Policy.default()
        cls.c_json = support.cli_check(SAMPLE)[1]
        cls.result = cls.policy.evaluate(support.read(SAMPLE, "r"))

    def test_attributes(self):
        r = self.result
        d = json.loads(self.c_json)
        self.assertEqual(r.to_dict(), d)
        self.assertEqual(r.json, self.c_json)
        self.assertEqual(r.to_json(), self.c_json)
        self.assertEqual((r.project_id, r.eligible, r.subsidy_eligible), (d["project_id"], True, True))
        self.assertEqual(r.total_fen, d["subsidy"]["total_fen"])
        self.assertEqual(r.subsidy.total_fen, 187640000)
        self.assertEqual(r.subsidy.basic_public.amount_fen, d["subsidy"]["basic_public"]["amount_fen"])
        self.assertEqual(r.subsidy.inclusive.rate_bp, 2800)
        self.assertEqual(set(r.subsidy.classes), {"basic_public", "inclusive", "commercial"})
        self.assertFalse(r.subsidy.capped)
        self.assertEqual(r.counts.functions, 5)
        self.assertEqual([f.scenario for f in r.functions], [f["scenario"] for f in d["functions"]])
        self.assertEqual(r.functions[0].to_dict(), d["functions"][0])
        self.assertEqual(r.functions[0]["subsidy_fen"], d["functions"][0]["subsidy_fen"])
        self.assertEqual([c.rule for c in r.checks][:2], ["min_functions", "min_core_functions"])
        self.assertEqual(r.checks[0].passed, True)
        self.assertEqual(r.policy.id, "beijing-2024-trial")
        self.assertTrue(r.engine.startswith("libembedsvc "))
        self.assertEqual(r.findings, [])
        self.assertEqual(r.project["district"], "西城区")
        self.assertIsNone(r.line)
        self.assertTrue(r.ok)
        self.assertIn("counts", dir(r))
        with self.assertRaises(AttributeError):
            r.no_such_field
        r.to_dict()["eligible"] = False  # a new dict each time
        self.assertTrue(r.to_dict()["eligible"])

    def test_findings_and_errors(self):
        r = self.policy.evaluate(support.read(os.path.join(support.EXAMPLES, "missing-core.json")))
        self.assertFalse(r.eligible)
        self.assertTrue(r.errors)
        f = r.errors[0]
        self.assertEqual(f.severity, "error")
        self.assertTrue(f.message("zh") and f.message("en"))
        self.assertEqual(f.message_en, f.message("en"))
        self.assertEqual(f.cite, r.to_dict()["findings"][r.findings.index(f)]["cite"])

    def test_repr_and_html(self):
        r = self.result
        self.assertEqual(repr(r), "<Result BJ-2025-XC-0012: eligible, subsidy 1,876,400.00 yuan (187640000 fen), "
                                  "0 finding(s)>")
        html = r._repr_html_()
        for part in ("<table", "BJ-2025-XC-0012", "1,876,400.00", "养老服务 / Elderly care", "功能数量 / Functions", "四、1"):
            self.assertIn(part, html)
        doc = json.loads(support.read(SAMPLE))
        doc["id"] = "<b>&x"
        doc["functions"][2] = {"label": "<script>", "investment": "1450000.00"}
        html = self.policy.evaluate(doc)._repr_html_()
        self.assertNotIn("<b>&x", html)
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;b&gt;&amp;x", html)
        capped = self.policy.evaluate(support.read(CAPPED))
        self.assertIn("bound", capped._repr_html_())

    def test_format_fen(self):
        self.assertEqual(embedsvc.format_fen(187640000), "1,876,400.00")
        self.assertEqual(embedsvc.format_fen(5), "0.05")
        self.assertEqual(embedsvc.format_fen(-123456), "-1,234.56")

    def test_results_to_rows(self):
        lines = [support.read(SAMPLE).replace(b"\n", b""), b"{oops", support.read(CAPPED).replace(b"\n", b"")]
        results = self.policy.evaluate_many(lines)
        rows = embedsvc.results_to_rows(results)
        self.assertEqual(len(rows), 3)
        self.assertEqual(len({tuple(r) for r in rows}), 1)  # every row has the same columns
        self.assertEqual(rows[0]["district"], "西城区")
        self.assertEqual(rows[0]["total_fen"], results[0].total_fen)
        self.assertEqual(rows[0]["basic_public_amount_fen"], results[0].subsidy.basic_public.amount_fen)
        self.assertEqual((rows[1]["ok"], rows[1]["error_code"], rows[1]["total_fen"]), (False, "parse.syntax", None))
        self.assertEqual(rows[2]["capped"], True)
        functions = embedsvc.results_to_rows(results, kind="functions")
        self.assertEqual(len(functions), results[0].counts.functions + results[2].counts.functions)
        self.assertEqual(functions[0]["label"], "百万庄养老服务驿站")
        findings = embedsvc.results_to_rows(results, kind="findings", project_fields=None)
        self.assertIn("parse.syntax", [f["code"] for f in findings])
        self.assertNotIn("district", findings[0])
        with self.assertRaises(ValueError):
            embedsvc.results_to_rows(results, kind="other")
        try:
            import pandas
        except ImportError:
            return
        frame = pandas.DataFrame(rows)
        self.assertEqual(int(frame["total_fen"].fillna(0).sum()), results[0].total_fen + results[2].total_fen)


class Misc(unittest.TestCase):
    """Versions, projects, the process API, the low-level module and the README one-liner."""

    def test_version(self):
        self.assertEqual(embedsvc.__version__, embedsvc._swig.EMBEDSVC_VERSION_STRING)
        # --version stands alone (the CLI refuses options that do not apply, issue 13)
        out = subprocess.run([support.CLI, "--version"], capture_output=True).stdout.decode()
        self.assertIn("libembedsvc %s" % embedsvc.__version__, out)
        self.assertIn("ABI %d" % embedsvc.ABI_VERSION, out)

    def test_project(self):
        p = embedsvc.Project(support.read(SAMPLE))
        self.assertEqual((p.id, p.function_count), ("BJ-2025-XC-0012", 5))
        self.assertEqual(repr(p), "<Project BJ-2025-XC-0012: 5 function(s)>")
        self.assertEqual(p.to_dict()["district"], "西城区")
        r = embedsvc.Policy.default().evaluate(p)
        self.assertEqual(r.project["district"], "西城区")

    def test_process(self):
        policy = embedsvc.Policy.default()
        self.assertEqual(embedsvc.disbursement(100000, 5000, 100), 49900)
        self.assertEqual(embedsvc.disbursement(100000, 1000, 50000), 0)
        doc = json.loads(support.read(SAMPLE))
        doc["stage"] = "call"
        doc["residents_consulted"] = True
        report = policy.stage_check(doc, "application")
        self.assertTrue(report.allowed, report)
        self.assertEqual((report.current, report.target, report.unmet), ("call", "application", []))
        doc["residents_consulted"] = False
        report = policy.stage_check(embedsvc.Project(doc), "申报")
        self.assertFalse(report.allowed)
        self.assertTrue(all(u["code"].startswith("process.") and u["message_zh"] and u["message_en"]
                            for u in report.unmet))
        self.assertIn("not allowed", repr(report))
        report = policy.stage_check(doc, 3)
        self.assertEqual(report.target, "fund_approval")
        self.assertIn("process.not_next_stage", [u["code"] for u in report.unmet])

    def test_low_level_handles(self):
        c = embedsvc._swig
        policy = c.embedsvc_policy_default()
        self.assertIsInstance(policy, c.embedsvc_policy)
        self.assertEqual(c.embedsvc_policy_text(policy, "id"), "beijing-2024-trial")
        self.assertEqual(c.embedsvc_policy_rule(policy, c.EMBEDSVC_RULE_CAP_FEN), 5000000000)
        project, result = c.embedsvc_project_new(), c.embedsvc_result_new()
        self.assertIsNone(c.embedsvc_project_parse(project, support.read(SAMPLE)))
        self.assertIsNone(c.embedsvc_evaluate(policy, project, result))
        self.assertEqual(c.embedsvc_result_total_fen(result), 187640000)
        self.assertEqual(c.embedsvc_result_to_json(result), support.cli_check(SAMPLE)[1])
        self.assertEqual(c.embedsvc_result_cap_fen(result), 5000000000)
        self.assertEqual(c.embedsvc_result_check_value(result, 5), "renovation")
        self.assertIsNone(c.embedsvc_result_check_value(result, 3))
        self.assertEqual(c.embedsvc_project_add_function(project), 5)
        self.assertEqual(c.embedsvc_enum_parse(c.EMBEDSVC_ENUM_CLASS, "便民商业类"), 2)
        self.assertEqual(c.embedsvc_policy_default_json()[:1], "{")
        self.assertFalse(hasattr(c, "embedsvc_policy_free"))  # freed only with the last reference
        del policy

    @unittest.skipUnless(hasattr(embedsvc._swig, "embedsvc_compare_new"), "no comparison API in this header")
    def test_low_level_compare(self):
        c = embedsvc._swig
        policy = embedsvc.Policy.default()
        lines = [support.read(p).replace(b"\n", b" ") for p in (SAMPLE, CAPPED)]
        compare = c.embedsvc_compare_new([policy._h, policy._h])  # keep the policies alive meanwhile
        self.assertEqual([c.embedsvc_compare_line(compare, l) for l in lines], [0, 0])
        total = sum(r.total_fen for r in policy.evaluate_many(lines))
        self.assertEqual(c.embedsvc_compare_total(compare, 1, c.EMBEDSVC_COMPARE_TOTAL_FEN), total)
        self.assertEqual(json.loads(c.embedsvc_compare_to_json(compare))["totals"][0]["total_fen"], total)
        self.assertIn("<svg", c.esv_py_compare_html(compare, None, "en", None, None, None, None))  # report/
        with self.assertRaises(TypeError):
            c.embedsvc_compare_new([1])
        with self.assertRaises(embedsvc.InvalidArgumentError):
            c.embedsvc_compare_new([])
        del compare

    def test_dict_encoder_matches_json_module(self):
        import decimal
        import enum
        dumps = embedsvc._swig.esv_py_dumps

        class Number(enum.IntEnum):
            THREE = 3

        class Text(str):
            pass

        docs = [json.loads(support.read(c[2])) for c in support.cases() if support.cli_check(c[2], c[4])[0] ==
                "result"]
        docs += [{"a": 'x"y\\z\n\t\x01\x1f\x7f\u2028😀中'}, [1, 2.5, 0.1, 1e16, -0.0, 1.5e-7, True, None, (1, 2)],
                 {"k": Number.THREE, "s": Text("v")}, 10 ** 30, {}, [], ""]
        for doc in docs:
            self.assertEqual(dumps(doc), json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        for other in ({"d": decimal.Decimal("1.5")}, {1: 2}, float("nan"), "\ud800", {"x": {"y": {1}}},
                      collections.OrderedDict(a=1)):
            self.assertIsNone(dumps(other))  # left to the json module

    def test_readme_one_liner(self):
        code = ("import embedsvc; p=embedsvc.Policy.default(); "
                "print(p.evaluate(open('examples/projects/renovated-complex.json').read()).subsidy.total_fen)")
        env = dict(os.environ)
        env.pop("LD_LIBRARY_PATH", None)  # the extension finds libembedsvc through its rpath
        out = subprocess.run([sys.executable, "-c", code], cwd=support.SOURCE_ROOT, capture_output=True, text=True,
                             env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), str(json.loads(support.cli_check(SAMPLE)[1])["subsidy"]["total_fen"]))


if __name__ == "__main__":
    support.main()
