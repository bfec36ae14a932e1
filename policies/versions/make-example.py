#!/usr/bin/env python3
"""Writes the example policy set policies/versions/beijing-2024-trial/ from the default policy
(policies/beijing-2024-trial.json): version 1 is the default policy with an illustrative end date,
version 2026.1-example a made-up later revision. Run it after changing the default policy; the test
suite (tests/authoring/test_policy_set.sh) checks that the files are up to date.

THE LATER VERSION IS AN EXAMPLE, NOT A REAL POLICY, and the dates of both windows are illustrative:
the interpretation of the measures states no dates.

    /usr/bin/python3 policies/versions/make-example.py
"""
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "beijing-2024-trial.json"), encoding="utf-8") as f:
    base = json.load(f)

v1 = json.loads(json.dumps(base))
v1["effective_to"] = "2025-12-31"

v2 = json.loads(json.dumps(base))
v2["version"] = "2026.1-example"
v2["title_zh"] = base["title_zh"] + "（示例：假设的2026年修订，非真实政策）"
v2["title_en"] = base["title_en"] + " (example: a hypothetical 2026 revision, not a real policy)"
v2["effective_from"] = "2026-01-01"
v2["effective_to"] = None
for c in v2["classes"]:
    if c["code"] == "inclusive":
        c["rate_bp"] = 2500          # the inclusive maximum lowered from 30% to 25%
v2["subsidy"]["cap_fen"] = 4000000000  # the cap lowered from 5000万元 to 4000万元

out = os.path.join(here, "beijing-2024-trial")
os.makedirs(out, exist_ok=True)
for name, doc in (("1.json", v1), ("2026.1-example.json", v2)):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
