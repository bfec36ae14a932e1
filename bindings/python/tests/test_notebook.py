# libembedsvc Python binding — examples/notebooks/portfolio-analysis.ipynb runs headless.
# SPDX-License-Identifier: MIT
"""Executes the notebook with nbclient on a python3 kernel of this interpreter (ipykernel) and
checks its outputs: the totals cell equals `embedsvc batch` on the same portfolio, the district
table sums to the same total, the sweep and the plot are there (a PNG), and the comparison is
shown inline as HTML with its SVG charts."""
import base64
import json
import os
import subprocess
import sys
import tempfile
import unittest

import nbclient
import nbformat

import support

NOTEBOOK = os.path.join(support.SOURCE_ROOT, "examples", "notebooks", "portfolio-analysis.ipynb")
PORTFOLIO = os.path.join(support.EXAMPLES, "portfolio.jsonl")


def tagged(nb, tag):
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, tag
    return cells[0]


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def data_of(cell, mime):
    for o in cell.outputs:
        if o.output_type in ("execute_result", "display_data") and mime in o.get("data", {}):
            return o["data"][mime]
    return None


class Notebook(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        # a kernel spec for this very interpreter (with the package on its PYTHONPATH)
        spec = os.path.join(cls.tmp.name, "kernels", "python3")
        os.makedirs(spec)
        with open(os.path.join(spec, "kernel.json"), "w") as f:
            json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                       "display_name": "Python 3", "language": "python"}, f)
        os.environ["JUPYTER_PATH"] = cls.tmp.name
        os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        path = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        if path:  # the kernel starts in the notebook's directory
            os.environ["PYTHONPATH"] = os.pathsep.join(path)
        os.environ["EMBEDSVC_SOURCE_ROOT"] = support.SOURCE_ROOT
        cls.png = os.path.join(cls.tmp.name, "sweep.png")
        os.environ["EMBEDSVC_NOTEBOOK_PNG"] = cls.png
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        nb = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": os.path.dirname(NOTEBOOK)}})
        client.execute()
        cls.nb = nb
        keep = os.environ.get("EMBEDSVC_NOTEBOOK_OUT")  # to look at the executed notebook
        if keep:
            nbformat.write(nb, keep)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_no_errors(self):
        for cell in self.nb.cells:
            for o in cell.get("outputs", []):
                self.assertNotEqual(o.output_type, "error", "".join(o.get("traceback", [])))

    def test_totals_equal_the_cli(self):
        totals = json.loads(text_of(tagged(self.nb, "totals")).splitlines()[0])
        p = subprocess.run([support.CLI, "batch", PORTFOLIO], capture_output=True)
        docs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
        ok = [d for d in docs if "error" not in d]
        self.assertEqual(totals, {"projects": len(ok), "eligible": sum(d["eligible"] for d in ok),
                                  "subsidy_eligible": sum(d["subsidy_eligible"] for d in ok),
                                  "error_lines": len(docs) - len(ok),
                                  "total_fen": sum(d["subsidy"]["total_fen"] for d in ok)})

    def test_districts_sweep_plot_compare(self):
        html = data_of(tagged(self.nb, "districts"), "text/html")
        self.assertIn("东城区", html)
        self.assertIn("total_fen", data_of(tagged(self.nb, "sweep"), "text/html"))
        png = data_of(tagged(self.nb, "plot"), "image/png")
        self.assertTrue(base64.b64decode(png).startswith(b"\x89PNG"))
        self.assertTrue(os.path.getsize(self.png) > 10000)
        plot_text = "".join(o.get("text", "") for o in tagged(self.nb, "plot").outputs)
        self.assertNotIn("missing from current font", plot_text)  # the CJK labels have glyphs
        compare = data_of(tagged(self.nb, "compare"), "text/html")
        self.assertIn("<svg", compare)


if __name__ == "__main__":
    unittest.main()
