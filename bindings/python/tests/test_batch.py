# libembedsvc Python binding — the batch paths: workers, order, pieces, the GIL.
# SPDX-License-Identifier: MIT
"""evaluate_many / evaluate_jsonl / iter_* give the same results in the same order whatever the
number of workers and however the input is cut into pieces (bytes, paths, binary and text file
objects, generators); the GIL is released while C evaluates; results refer to nothing that keeps
them alive in a cycle unless they must."""
import gc
import io
import json
import os
import pickle
import tempfile
import threading
import time
import unittest

import embedsvc
import embedsvc._policy as policy_module
import support


def portfolio():
    """Lines of every case evaluated under the default policy, with bad and blank lines among them."""
    lines = [support.read(c[2]).replace(b"\n", b" ") for c in support.cases() if c[4] is None]
    out = []
    for i in range(12):
        for k, line in enumerate(lines):
            out.append(line)
            if (i + k) % 97 == 0:
                out.append(b"{bad")
            if (i + k) % 89 == 0:
                out.append(b" \t ")
    return out


def outcome(r):
    return (r.line, r.json) if r.ok else (r.line, r.to_dict()["error"])


class Workers(unittest.TestCase):
    """Results are the same for every number of workers, in input order."""

    @classmethod
    def setUpClass(cls):
        cls.policy = embedsvc.Policy.default()
        cls.lines = portfolio()
        cls.blob = b"\r\n".join(cls.lines) + b"\n"

    def test_same_results_for_any_workers(self):
        want_many = [outcome(r) for r in self.policy.evaluate_many(self.lines, workers=1)]
        want_jsonl = [outcome(r) for r in self.policy.evaluate_jsonl(self.blob, workers=1)]
        # enough records for the pool to split the work (it starts threads from 256), with or
        # without ../shared beside the clone
        self.assertGreater(len(want_many), 1000)
        self.assertEqual(len(want_jsonl), len(self.lines) - sum(1 for l in self.lines if not l.strip()))
        for workers in (2, 3, 8, None):
            with self.subTest(workers=workers):
                self.assertEqual([outcome(r) for r in self.policy.evaluate_many(self.lines, workers=workers)],
                                 want_many)
                self.assertEqual([outcome(r) for r in self.policy.evaluate_jsonl(self.blob, workers=workers)],
                                 want_jsonl)

    def test_bad_workers(self):
        for bad in (0, -1, 1.5, "2", True):
            with self.subTest(workers=bad), self.assertRaises(ValueError):
                self.policy.evaluate_many([], workers=bad)
            with self.assertRaises(ValueError):
                self.policy.evaluate_jsonl(b"", workers=bad)
        self.assertEqual(self.policy.evaluate_many([]), [])
        self.assertEqual(self.policy.evaluate_jsonl(b""), [])
        self.assertEqual(self.policy.evaluate_jsonl(b"\n \n"), [])

    def test_pieces(self):
        """Inputs cut into many small pieces give the results of one piece (lines keep counting)."""
        want = [outcome(r) for r in self.policy.evaluate_jsonl(self.blob)]
        want_many = [outcome(r) for r in self.policy.evaluate_many(self.lines)]
        saved = policy_module._CHUNK_BYTES, policy_module._CHUNK_RECORDS
        policy_module._CHUNK_BYTES, policy_module._CHUNK_RECORDS = 997, 13
        path = os.path.join(tempfile.gettempdir(), "embedsvc-py-batch-%d.jsonl" % os.getpid())
        try:
            with open(path, "wb") as f:
                f.write(self.blob)
            with open(path, "rb") as f:
                from_file = [outcome(r) for r in self.policy.evaluate_jsonl(f, workers=2)]
            with open(path, encoding="utf-8") as f:  # text mode: str lines, \r\n read as \n
                from_text = [outcome(r) for r in self.policy.evaluate_jsonl(f, workers=2)]
            self.assertEqual([outcome(r) for r in self.policy.evaluate_jsonl(self.blob, workers=3)], want)
            self.assertEqual([outcome(r) for r in self.policy.evaluate_jsonl(memoryview(self.blob))], want)
            self.assertEqual([outcome(r) for r in self.policy.evaluate_jsonl(path)], want)
            self.assertEqual(from_file, want)
            self.assertEqual(from_text, want)
            self.assertEqual([outcome(r) for r in self.policy.iter_many(iter(self.lines), workers=2)], want_many)
            self.assertEqual([outcome(r) for r in self.policy.evaluate_many(tuple(self.lines))], want_many)
            unterminated = self.blob.rstrip(b"\n")  # the last line without its newline
            self.assertEqual([outcome(r) for r in self.policy.evaluate_jsonl(unterminated)], want)
        finally:
            policy_module._CHUNK_BYTES, policy_module._CHUNK_RECORDS = saved
            os.unlink(path)

    def test_iterators_are_lazy(self):
        seen = []

        def records():
            for line in self.lines:
                seen.append(line)
                yield line
        it = self.policy.iter_many(records())
        self.assertTrue(next(it).ok)
        self.assertEqual(len(seen), min(len(self.lines), policy_module._CHUNK_RECORDS))
        self.assertEqual(sum(1 for _ in it) + 1, len(self.lines))

    def test_gil_released(self):
        """Another Python thread runs while one call of the C helper evaluates: the longest pause
        it sees during the call is a small part of the call (were the GIL held, it would pause for
        the whole call). Only good lines: a RecordError runs Python code, where the GIL may switch."""
        good = [r.line for r in self.policy.evaluate_jsonl(self.blob) if r.ok]
        lines = self.blob.split(b"\n")
        blob = (b"\n".join(lines[i - 1] for i in good) + b"\n") * 25
        gaps, done = [], threading.Event()

        def spin():
            last = time.perf_counter()
            while not done.is_set():
                now = time.perf_counter()
                if now - last > 0.002:
                    gaps.append((last, now))
                last = now

        run = embedsvc._swig.esv_py_run_records
        t = threading.Thread(target=spin)
        try:
            t.start()
            time.sleep(0.02)
            start = time.perf_counter()
            results, fix, count = run(self.policy._h, self.policy, blob, 1, 1, 1)
            end = time.perf_counter()
        finally:
            done.set()
            t.join()
        self.assertEqual((len(results), fix, count), (25 * len(good), [], 25 * len(good)))
        self.assertTrue(all(r.ok for r in results))
        longest = max([min(b, end) - max(a, start) for a, b in gaps if b > start and a < end] + [0])
        self.assertGreater(end - start, 0.02)
        self.assertLess(longest, (end - start) / 2, "the other thread did not run during the C call")


class Memory(unittest.TestCase):
    """Results of bytes input stay out of the cyclic GC until they refer to a dict."""

    def test_untracked_until_a_dict(self):
        policy = embedsvc.Policy.default()
        line = support.read(os.path.join(support.EXAMPLES, "renovated-complex.json")).replace(b"\n", b" ")
        r = policy.evaluate_jsonl(line)[0]
        self.assertFalse(gc.is_tracked(r))
        self.assertEqual(r.project["district"], "西城区")
        self.assertTrue(gc.is_tracked(r))  # it now holds the parsed project
        d = json.loads(line)
        r = policy.evaluate_many([d])[0]
        self.assertTrue(gc.is_tracked(r))  # a dict input may come to refer to its result
        d["result"] = r
        del d, r
        self.assertGreaterEqual(gc.collect(), 0)

    def test_pickle(self):
        """Results pickle (for multiprocessing) with their JSON, without the policy."""
        policy = embedsvc.Policy.from_file(os.path.join(support.SOURCE_ROOT, "policies", "reform-cap-3000wan.json"))
        path = os.path.join(support.EXAMPLES, "capped-large-complex.json")
        text = support.read(path)
        results = [policy.evaluate(text), policy.evaluate(embedsvc.Project(text)), policy.evaluate_many([text])[0],
                   policy.evaluate_jsonl(text.replace(b"\n", b" "))[0], policy.evaluate_many([b"{bad"])[0]]
        for r in results:
            back = pickle.loads(pickle.dumps(r))
            self.assertEqual(back.to_dict(), r.to_dict())
            self.assertEqual(back.line, r.line)
            if r.ok:
                self.assertEqual(back.summary(), r.summary())
                self.assertEqual([f.scenario for f in back.functions], [f.scenario for f in r.functions])
                self.assertEqual(back.project["id"], r.project["id"])
                self.assertEqual(pickle.loads(pickle.dumps(back)), r)

    def test_result_cannot_be_made_directly(self):
        with self.assertRaises(TypeError):
            embedsvc.Result()
        r = embedsvc.Policy.default().evaluate_jsonl(io.BytesIO(b'{"id":"X"}\n'))[0]
        self.assertFalse(r.ok)
        self.assertEqual(r.code, "parse.missing_field")


if __name__ == "__main__":
    support.main()
