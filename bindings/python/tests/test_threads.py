# libembedsvc Python binding — threads sharing one Policy.
# SPDX-License-Identifier: MIT
"""Several threads evaluate (single calls, evaluate_many, a shared Project, classify) with one
shared Policy while the GIL is released inside C; every result must equal the single-threaded one."""
import threading
import unittest

import embedsvc
import support

THREADS = 6
ROUNDS = 40


class Threads(unittest.TestCase):
    """One Policy, many threads, identical results."""

    def test_shared_policy(self):
        policy = embedsvc.Policy.default()
        docs = [support.read(c[2]) for c in support.cases() if c[4] is None]
        baseline = []
        for d in docs:
            try:
                baseline.append(policy.evaluate(d).json)
            except embedsvc.EmbedsvcError as e:
                baseline.append(str(e))
        lines = [d.replace(b"\n", b" ") for d in docs]
        many_baseline = [r.to_dict() for r in policy.evaluate_many(lines)]
        shared_project = embedsvc.Project(support.read(support.cases()[0][2]))
        shared_json = policy.evaluate(shared_project).json
        labels = ["养老驿站", "养老托育综合服务中心", "理发店", "社区食堂", "foo"]
        labels_baseline = [policy.classify(t).to_dict() for t in labels]
        failures = []
        start = threading.Barrier(THREADS)

        def work(k):
            try:
                start.wait()
                for n in range(ROUNDS):
                    for d, want in zip(docs, baseline):
                        try:
                            got = policy.evaluate(d).json
                        except embedsvc.EmbedsvcError as e:
                            got = str(e)
                        if got != want:
                            failures.append((k, n, want[:60], got[:60]))
                    if policy.evaluate(shared_project).json != shared_json:
                        failures.append((k, n, "shared project"))
                    if [policy.classify(t).to_dict() for t in labels] != labels_baseline:
                        failures.append((k, n, "classify"))
                    if n % 10 == 0 and [r.to_dict() for r in policy.evaluate_many(lines)] != many_baseline:
                        failures.append((k, n, "evaluate_many"))
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append((k, repr(exc)))

        threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertGreater(len(docs), 100)


if __name__ == "__main__":
    support.main()
