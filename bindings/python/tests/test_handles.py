# libembedsvc Python binding — no public name can crash the interpreter (issue 13.10).
# SPDX-License-Identifier: MIT
"""Every handle class closes, closes twice, and raises ClosedError when used after close; the
low-level module is private and has no free functions, so no Python code can use a freed handle.
A child interpreter tries the sequences that crashed before and must exit normally."""
import os
import subprocess
import sys
import textwrap
import unittest

import embedsvc
import support

SAMPLE = os.path.join(support.EXAMPLES, "renovated-complex.json")


class Handles(unittest.TestCase):
    def makers(self):
        policy = embedsvc.Policy.default()
        return {
            "Policy": (lambda: embedsvc.Policy.default(), lambda p: p.evaluate(support.read(SAMPLE))),
            "Project": (lambda: embedsvc.Project(support.read(SAMPLE)), lambda p: policy.evaluate(p)),
            "Comparison": (lambda: embedsvc.compare([support.read(SAMPLE)], [policy, policy]),
                           lambda c: c.to_json()),
        }

    def test_close_twice_and_use_after_close(self):
        for name, (make, use) in self.makers().items():
            with self.subTest(name):
                obj = make()
                use(obj)
                self.assertFalse(obj.closed)
                obj.close()
                obj.close()  # harmless
                self.assertTrue(obj.closed)
                with self.assertRaises(embedsvc.ClosedError):
                    use(obj)
                with self.assertRaises(ValueError):  # ClosedError is also a ValueError
                    use(obj)
                with self.assertRaises(embedsvc.ClosedError):
                    with obj:
                        pass
                with make() as again:
                    use(again)
                self.assertTrue(again.closed)

    def test_results_outlive_or_refuse(self):
        p = embedsvc.Policy.default()
        results = p.evaluate_many([support.read(SAMPLE)])
        total = results[0].total_fen
        p.close()
        self.assertEqual(results[0].total_fen, total)  # figures are held by the result
        with self.assertRaises(embedsvc.ClosedError):
            results[0].json  # the JSON needs the policy again
        with self.assertRaises(embedsvc.ClosedError):
            p.derive(cap_fen=1)
        with self.assertRaises(embedsvc.ClosedError):
            p.classify("养老驿站")

    def test_low_level_module_is_private(self):
        self.assertFalse(hasattr(embedsvc, "embedsvc_c"))
        c = embedsvc._swig
        self.assertEqual([n for n in dir(c) if n.endswith("_free")], [])

    def test_child_interpreter_survives(self):
        code = textwrap.dedent("""
            import gc, threading, embedsvc
            data = open(%r, "rb").read()
            p = embedsvc.Policy.default()
            # close while another thread evaluates: the call holds the handle until it returns
            big = b"\\n".join([data.replace(b"\\n", b" ")] * 20000)
            t = threading.Thread(target=lambda: p.evaluate_frame(big, workers=2))
            t.start(); p.close(); t.join()
            for obj in (embedsvc.Project(data), embedsvc.Policy.default()):
                obj.close(); obj.close(); gc.collect()
            q = embedsvc.Policy.default()
            h = q._h
            q.close(); del q; gc.collect()
            print(h)  # the low-level handle stays valid while referenced
            print("survived")
        """) % SAMPLE
        env = dict(os.environ)
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertIn(b"survived", p.stdout)

    def test_every_low_level_function_survives_null_handles(self):
        """Each function of the private module called with 0-6 None arguments (NULL handles and
        pointers) raises or returns; none crashes the child interpreter."""
        code = textwrap.dedent("""
            import embedsvc
            c = embedsvc._swig
            skip = {"esv_py_set_error_factory", "esv_py_set_classes", "esv_py_frame_setup"}
            names = [n for n in dir(c) if not n.startswith("_") and callable(getattr(c, n))
                     and not isinstance(getattr(c, n), type) and n not in skip]
            for n in names:
                for k in range(7):
                    try:
                        getattr(c, n)(*([None] * k))
                    except Exception:
                        pass
            print("survived", len(names))
        """)
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        self.assertIn(b"survived", p.stdout)


if __name__ == "__main__":
    unittest.main()
