# libembedsvc Python binding — type hints and notebook reprs.
# SPDX-License-Identifier: MIT
"""The package ships py.typed and every public callable has annotations; the HTML reprs show the
scenario and class names in Chinese and English, not codes."""
import inspect
import os
import unittest

import embedsvc
import support

SAMPLE = os.path.join(support.EXAMPLES, "renovated-complex.json")


class Typing(unittest.TestCase):
    def test_py_typed(self):
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(embedsvc.__file__), "py.typed")))

    def test_public_names_annotated(self):
        missing = []
        for name in embedsvc.__all__:
            obj = getattr(embedsvc, name)
            members = [(name, obj)]
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                members += [("%s.%s" % (name, k), v) for k, v in vars(obj).items()
                            if not k.startswith("_") and (inspect.isfunction(v) or isinstance(v, (classmethod,
                                                                                                  staticmethod)))]
            for qual, member in members:
                f = getattr(member, "__func__", member)
                if inspect.isfunction(f):
                    if "return" not in f.__annotations__:
                        missing.append(qual)
        self.assertEqual(missing, [])

    def test_html_names(self):
        p = embedsvc.Policy.default()
        r = p.evaluate(support.read(SAMPLE))
        html = r._repr_html_()
        self.assertIn("养老服务", html)
        self.assertIn("Elderly care", html)
        self.assertIn("基本公共服务类", html)
        self.assertNotIn(">elderly_care<", html)
        c = embedsvc.compare([support.read(SAMPLE)], [p, p.derive(cap_fen=10**8)])
        self.assertIn("<svg", c._repr_html_())


if __name__ == "__main__":
    unittest.main()
