# libembedsvc Python binding — embedsvc.compare (issue 10).
# SPDX-License-Identifier: MIT
"""compare() over the example portfolio under the default policy and the two reforms: the totals,
district rows and changes equal sums of single evaluations under each policy and the output of
`embedsvc compare --json`; the HTML report is self-contained SVG; bad lines are counted; every
input form gives the same comparison; a bad policy list raises."""
import decimal
import gc
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest
import unittest.mock

import embedsvc
import support

PORTFOLIO = os.path.join(support.EXAMPLES, "portfolio.jsonl")
REFORMS = [os.path.join(support.SOURCE_ROOT, "policies", name)
           for name in ("reform-cap-3000wan.json", "reform-inclusive-20pct.json")]
CLASSES = ("basic_public", "inclusive", "commercial")
COUNTS = ("projects", "eligible", "subsidy_eligible", "capped", "total_fen", "basic_public_fen", "inclusive_fen",
          "commercial_fen")


def policies():
    return [embedsvc.Policy.default()] + [embedsvc.Policy.from_file(p) for p in REFORMS]


def expected_sums(lines, pols):
    """Totals and district values of each policy from single evaluations (Policy.evaluate)."""
    good = []
    for line in lines:
        try:
            results = [p.evaluate(line) for p in pols]
        except embedsvc.ParseError:
            continue
        good.append((json.loads(line).get("district"), results))
    totals, districts = [], {}
    for k in range(len(pols)):
        for scope in [None] + [d for d, _ in good]:
            rows = [rs for d, rs in good if scope is None or d == scope]
            row = {"projects": len(rows)}
            base = [rs[0] for rs in rows]
            mine = [rs[k] for rs in rows]
            row["eligible"] = sum(r.eligible for r in mine)
            row["subsidy_eligible"] = sum(r.subsidy_eligible for r in mine)
            row["capped"] = sum(r.subsidy_eligible and r.subsidy.capped for r in mine)
            row["total_fen"] = sum(r.total_fen for r in mine)
            for c in CLASSES:
                row[c + "_fen"] = sum(getattr(r.subsidy, c).amount_fen for r in mine)
            row["lost_eligible"] = sum(b.eligible and not r.eligible for b, r in zip(base, mine))
            row["gained_eligible"] = sum(r.eligible and not b.eligible for b, r in zip(base, mine))
            row["lost_subsidy_eligible"] = sum(b.subsidy_eligible and not r.subsidy_eligible for b, r in zip(base, mine))
            row["gained_subsidy_eligible"] = sum(r.subsidy_eligible and not b.subsidy_eligible
                                                 for b, r in zip(base, mine))
            row["subsidy_down"] = sum(r.total_fen < b.total_fen for b, r in zip(base, mine))
            row["subsidy_up"] = sum(r.total_fen > b.total_fen for b, r in zip(base, mine))
            row["changed"] = sum((r.eligible, r.subsidy_eligible, r.total_fen) !=
                                 (b.eligible, b.subsidy_eligible, b.total_fen) for b, r in zip(base, mine))
            row["delta_fen"] = sum(r.total_fen - b.total_fen for b, r in zip(base, mine))
            if scope is None:
                totals.append(row)
            else:
                districts[(scope, k)] = row
    return totals, districts


class Compare(unittest.TestCase):
    """compare() against single evaluations and the command line."""

    @classmethod
    def setUpClass(cls):
        cls.lines = [l for l in support.read(PORTFOLIO).split(b"\n") if l.strip()]
        cls.policies = policies()
        cls.comparison = embedsvc.compare(PORTFOLIO, cls.policies, lang="en")

    def test_totals_equal_single_evaluations(self):
        c = self.comparison
        totals, districts = expected_sums(self.lines, self.policies)
        self.assertEqual(len(c.totals), 3)
        for k, (row, want) in enumerate(zip(c.totals, totals)):
            self.assertEqual((row["policy"], row["policy_index"]), (self.policies[k].id, k))
            self.assertEqual({key: row[key] for key in want}, want, row["policy"])
        self.assertEqual(c.totals[1]["delta_fen"], -2000000000)  # docs/compare.md
        self.assertEqual(len(c.districts), 3 * len({d for d, _ in districts}))
        for row in c.districts:
            want = districts[(row["district"], row["policy_index"])]
            self.assertEqual({key: row[key] for key in want}, want, (row["district"], row["policy"]))
        self.assertEqual(sum(r["total_fen"] for r in c.districts if r["policy_index"] == 2), c.totals[2]["total_fen"])

    def test_changes_are_the_changed_projects(self):
        c = self.comparison
        by_id = {}
        for line in self.lines:
            try:
                rs = [p.evaluate(line) for p in self.policies]
            except embedsvc.ParseError:
                continue
            if any((r.eligible, r.subsidy_eligible, r.total_fen) != (rs[0].eligible, rs[0].subsidy_eligible,
                                                                     rs[0].total_fen) for r in rs):
                by_id[rs[0].project_id] = rs
        self.assertEqual(len(c.changes), 3 * len(by_id))
        for row in c.changes:
            r = by_id[row["project_id"]][row["policy_index"]]
            self.assertEqual((row["eligible"], row["subsidy_eligible"], row["total_fen"]),
                             (r.eligible, r.subsidy_eligible, r.total_fen))
        self.assertEqual([r["line"] for r in c.changes][:3], [c.changes[0]["line"]] * 3)

    def test_same_as_command_line(self):
        args = []
        for p in ["default"] + REFORMS:
            args += ["--policy", p]
        out = support.cli("compare", "--json", *args, PORTFOLIO)
        self.assertEqual(out.returncode, 1, out.stderr)  # one error line
        self.assertEqual(self.comparison.to_dict(), json.loads(out.stdout))
        self.assertEqual(self.comparison.to_json(), out.stdout.decode("utf-8").strip())

    def test_write_json_in_pieces(self):
        # the example portfolio 60 times over: a document of several pieces
        lines = [l.replace(b'"id":"', b'"id":"R%d-' % k, 1) for k in range(60) for l in self.lines]
        c = embedsvc.compare(lines, self.policies)
        text = c.to_json()
        self.assertGreater(len(text.encode("utf-8")), 4 * 256 * 1024)

        class Pieces(list):
            write = list.append
        pieces = Pieces()
        c.write_json(pieces)
        self.assertGreater(len(pieces), 4)
        self.assertTrue(all(len(p.encode("utf-8")) < 256 * 1024 + 16384 for p in pieces))
        self.assertEqual("".join(pieces), text)
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d) / "compare.json"
            c.write_json(path)
            self.assertEqual(path.read_text(encoding="utf-8"), text)
            c.write_json(str(path))  # again: from the first piece
            self.assertEqual(path.read_text(encoding="utf-8"), text)
            # a failure after the first piece leaves the existing file as it was, and no temporary
            path.write_text("precious", encoding="utf-8")
            os.chmod(path, 0o600)
            real, calls = embedsvc._compare._c.embedsvc_compare_to_json_next, []

            def failing(handle, at):
                calls.append(at)
                if len(calls) == 2:
                    raise MemoryError("injected")
                return real(handle, at)
            with unittest.mock.patch.object(embedsvc._compare._c, "embedsvc_compare_to_json_next", failing):
                with self.assertRaises(MemoryError):
                    c.write_json(path)
            self.assertEqual(path.read_text(encoding="utf-8"), "precious")
            self.assertEqual(os.listdir(d), ["compare.json"])
            c.write_json(path)  # replaced whole, keeping the file's mode
            self.assertEqual(path.read_text(encoding="utf-8"), text)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            fresh = pathlib.Path(d) / "new.json"
            c.write_json(fresh)
            umask = os.umask(0o022)
            os.umask(umask)
            self.assertEqual(os.stat(fresh).st_mode & 0o777, 0o666 & ~umask)

    def test_errors_are_counted(self):
        c = self.comparison
        self.assertEqual((c.lines, c.projects, len(c.errors)), (31, 30, 1))
        d = c.to_dict()
        self.assertEqual((d["lines"], d["projects"], d["errors"]), (31, 30, 1))
        e = c.errors[0]
        self.assertEqual((e.line, e.code, e.error_column), (18, "parse.syntax", 311))
        self.assertIsInstance(e.exception(), embedsvc.ParseError)
        # from an iterable: each item is a line; bad items are counted, blank ones skipped
        items = [self.lines[0], b"{bad", "   ", {"id": "X"}, self.lines[1].decode("utf-8"), '{"id": "\ud800"}']
        c = embedsvc.compare(items, self.policies[:1])
        self.assertEqual((c.lines, c.projects), (6, 2))
        self.assertEqual([(e.line, e.code) for e in c.errors],
                         [(2, "parse.syntax"), (4, "parse.missing_field"), (6, "parse.encoding")])
        self.assertEqual(c.to_dict()["errors"], 3)

    def test_html_report(self):
        html = self.comparison._repr_html_()
        self.assertTrue(html.lstrip().lower().startswith("<!doctype html"), html[:40])
        self.assertIn("<svg", html)
        self.assertIn("reform-cap-3000wan", html)
        self.assertNotIn("<script", html)
        zh = self.comparison.to_html(lang="zh", caption="<组合>")
        self.assertIn("<svg", zh)
        self.assertIn("&lt;组合&gt;", zh)
        self.assertNotEqual(zh, html)
        self.assertEqual(embedsvc.compare(PORTFOLIO, self.policies)._repr_html_(), self.comparison.to_html("zh"))
        with self.assertRaises(ValueError):
            self.comparison.to_html(lang="fr")

    def test_html_report_says_why_and_where_from(self):
        # report/ (issue 21): the reason of each change, the error line, the date and the sources
        html = self.comparison.to_html("en")
        self.assertIn("<code>[subsidy.rate_above_max]</code>", html)
        self.assertNotIn("unexplained", html)
        self.assertIn('<table id="errors">', html)
        self.assertIn('<tr><td class="n">18</td>', html)
        self.assertIn(os.path.basename(REFORMS[1]), html)
        self.assertIn("compiled-in policy", html)
        self.assertIn(os.environ.get("SOURCE_DATE_EPOCH") and "2025-12-02 08:00 UTC" or " UTC", html)
        self.assertIn("million yuan", html)

    def test_input_forms_agree(self):
        want = self.comparison.to_dict()
        data = support.read(PORTFOLIO)
        with open(PORTFOLIO, "rb") as f:
            from_file = embedsvc.compare(f, self.policies).to_dict()
        with open(PORTFOLIO, encoding="utf-8") as f:
            from_text_file = embedsvc.compare(f, self.policies).to_dict()
        for got in (embedsvc.compare(pathlib.Path(PORTFOLIO), self.policies).to_dict(),
                    embedsvc.compare(data, self.policies).to_dict(),
                    embedsvc.compare(bytearray(data), self.policies).to_dict(),
                    embedsvc.compare(data.decode("utf-8"), self.policies).to_dict(),
                    from_file, from_text_file):
            self.assertEqual(got, want)
        # an iterable of dicts, str and bytes: the same figures (lines are positions, no error line)
        docs = []
        for i, line in enumerate(l for l in data.split(b"\n") if l.strip()):
            try:
                doc = json.loads(line, parse_float=decimal.Decimal)
            except ValueError:
                continue
            docs.append(doc if i % 3 == 0 else line if i % 3 == 1 else line.decode("utf-8"))
        got = embedsvc.compare(iter(docs), self.policies).to_dict()
        self.assertEqual((got["lines"], got["projects"], got["errors"]), (30, 30, 0))
        self.assertEqual(got["totals"], want["totals"])
        self.assertEqual(got["districts"], want["districts"])
        self.assertEqual([{k: v for k, v in r.items() if k != "line"} for r in got["changes"]],
                         [{k: v for k, v in r.items() if k != "line"} for r in want["changes"]])
        big = embedsvc.compare(data * 20, self.policies[:2])  # many pieces of lines, one comparison
        self.assertEqual(big.totals[1]["total_fen"], 20 * want["totals"][1]["total_fen"])
        self.assertEqual(len(big.errors), 20)

    def test_bad_policy_lists_raise(self):
        p = self.policies[0]
        for bad in (p, None, "default", [p, "default"], [p, None], [1], [p._h, object()]):
            with self.subTest(policies=bad), self.assertRaises(TypeError):
                embedsvc.compare(PORTFOLIO, bad)
        with self.assertRaises(embedsvc.InvalidArgumentError):
            embedsvc.compare(PORTFOLIO, [])
        with self.assertRaises(embedsvc.InvalidArgumentError):
            embedsvc.compare(PORTFOLIO, [p] * 17)
        self.assertEqual(len(embedsvc.compare(PORTFOLIO, [p] * 16).totals), 16)
        with self.assertRaises(ValueError):
            embedsvc.compare(PORTFOLIO, [p], lang="fr")
        with self.assertRaises(TypeError):
            embedsvc.compare(42, [p])
        with self.assertRaises(TypeError):
            embedsvc.compare([{"id": {1, 2}}], [p])
        with self.assertRaises(FileNotFoundError):
            embedsvc.compare(os.path.join(support.HERE, "no-such-portfolio.jsonl"), [p])

    def test_policies_kept_alive(self):
        text = support.read(REFORMS[0])
        c = embedsvc.compare(PORTFOLIO, [embedsvc.Policy.from_json(text), embedsvc.Policy.from_json(text)])
        gc.collect()
        self.assertEqual([p.id for p in c.policies], ["reform-cap-3000wan"] * 2)
        self.assertEqual(c.to_dict()["policies"][1]["id"], "reform-cap-3000wan")
        self.assertIn("<svg", c.to_html())
        self.assertIn("2 policies", repr(c))

    def test_data_frames(self):
        try:
            import pandas
        except ImportError:
            self.skipTest("pandas is not installed")
        frame = pandas.DataFrame(self.comparison.totals)
        self.assertEqual(list(frame["total_fen"]), [r["total_fen"] for r in self.comparison.totals])
        self.assertEqual(len(pandas.DataFrame(self.comparison.districts)), len(self.comparison.districts))

    def test_example_script(self):
        script = os.path.join(support.SOURCE_ROOT, "examples", "python", "compare.py")
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "report.html")
            p = subprocess.run([sys.executable, script, PORTFOLIO, "--policy", "default", "--policy", REFORMS[0],
                                "--policy", REFORMS[1], "--html", report], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            for part in ("30 projects, 1 error line(s)", "6,914.44", "-2,000.00", "-6,525.44", "line 18"):
                self.assertIn(part, p.stdout)
            with open(report, encoding="utf-8") as f:
                self.assertEqual(f.read(), self.comparison.to_html("en", "portfolio.jsonl"))

    def test_rows_are_flat_and_new(self):
        c = self.comparison
        for rows in (c.totals, c.districts, c.changes):
            self.assertTrue(rows)
            self.assertTrue(all(not isinstance(v, (dict, list)) for r in rows for v in r.values()))
            self.assertEqual(len({tuple(r) for r in rows}), 1)  # the same columns in every row
        c.totals[0]["total_fen"] = -1
        self.assertNotEqual(c.totals[0]["total_fen"], -1)
        self.assertIsNot(c.to_dict(), c.to_dict())
        self.assertEqual(set(COUNTS) - set(c.totals[0]), set())


if __name__ == "__main__":
    support.main()
