# libembedsvc Python binding — memory: flat RSS over a million evaluations.
# SPDX-License-Identifier: MIT
"""Evaluates a pre-parsed project 1,000,000 times (and smaller loops over every other entry
point: text and dict input, evaluate_many, classify, errors, policies, handles) and checks that
the resident set size, read from /proc/self/statm, stays flat. Prints the time taken."""
import gc
import json
import os
import time
import unittest

import embedsvc
import support

PAGE = os.sysconf("SC_PAGE_SIZE")
CALLS = int(os.environ.get("EMBEDSVC_MEMORY_CALLS", "1000000"))
SLACK = 2 * 1024 * 1024  # allocator noise; a leak of even 8 bytes a call would be 8 MB here


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class Memory(unittest.TestCase):
    """RSS before and after loops of each kind."""

    @classmethod
    def setUpClass(cls):
        cls.policy = embedsvc.Policy.default()
        cls.text = support.read(os.path.join(support.EXAMPLES, "renovated-complex.json"))
        cls.doc = json.loads(cls.text)

    def measure(self, name, loop, n):
        loop(min(n, 20000))  # warm up: caches, free lists, arenas
        gc.collect()
        before = rss()
        t = time.perf_counter()
        loop(n)
        seconds = time.perf_counter() - t
        gc.collect()
        grown = rss() - before
        print("%-28s %9d calls  %6.2f s  %7.2f us/call  RSS %+d KiB" % (name, n, seconds, seconds / n * 1e6,
                                                                         grown // 1024))
        self.assertLess(grown, SLACK, "%s: RSS grew by %d bytes over %d calls" % (name, grown, n))

    def test_million_evaluations_of_a_parsed_project(self):
        project = embedsvc.Project(self.text)
        evaluate = self.policy.evaluate

        def loop(n):
            for _ in range(n):
                evaluate(project)
        self.measure("evaluate(Project)", loop, CALLS)

    def test_other_entry_points(self):
        policy, text, doc = self.policy, self.text, self.doc
        bad = b'{"id": "X", "build_mode": "new", "total_investment": "1.005", "functions": []}'
        policy_json = policy.to_json()

        def texts(n):
            for _ in range(n):
                policy.evaluate(text).subsidy.total_fen

        def dicts(n):
            for _ in range(n):
                policy.evaluate(doc).to_dict()

        def many(n):
            records = [text, doc, b"{bad", "   "] * 25
            for _ in range(n // 100):
                policy.evaluate_many(records)
                policy.evaluate_jsonl(b"\n".join([text.replace(b"\n", b" ")] * 50 + [b"{bad"] * 50))

        def errors(n):
            for _ in range(n):
                try:
                    policy.evaluate(bad)
                except embedsvc.ParseError:
                    pass

        def classify(n):
            for _ in range(n):
                policy.classify("养老托育综合服务中心")

        def policies(n):
            for _ in range(n):
                embedsvc.Policy.from_json(policy_json).scenarios
                embedsvc.Project(text)

        self.measure("evaluate(str)", texts, 100000)
        self.measure("evaluate(dict)", dicts, 50000)
        self.measure("evaluate_many/jsonl", many, 100000)
        self.measure("ParseError raised", errors, 200000)
        self.measure("classify", classify, 100000)
        self.measure("Policy.from_json+Project", policies, 5000)


if __name__ == "__main__":
    support.main()
