#!/usr/bin/env python3
"""Measures classification (reference §4) on the labelled facility names of names.tsv with the
compiled-in policy (or --policy FILE): the share of names with a scenario that get it, and every
name that gets a wrong scenario. A wrong scenario is a scenario the name does not mean (for a name
labelled none: any scenario); none and ambiguous are misses, not wrong.

    measure.py PATH/TO/embedsvc NAMES.tsv [--policy FILE] [--min-coverage 0.95] [--verbose]

Exit status 0 when coverage >= the minimum and no name gets a wrong scenario, else 1.
"""
import json
import subprocess
import sys

args = sys.argv[1:]
binary, names_file = args[0], args[1]
policy = args[args.index("--policy") + 1] if "--policy" in args else None
minimum = float(args[args.index("--min-coverage") + 1]) if "--min-coverage" in args else 0.95
verbose = "--verbose" in args

rows = []
with open(names_file, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if line.startswith("#") or not line.strip():
            continue
        name, meaning = line.rstrip("\n").split("\t")
        rows.append((n, name, meaning.split("|")))

cmd = [binary, "classify", "--json"] + (["--policy", policy] if policy else []) + ["--"] + [r[1] for r in rows]
p = subprocess.run(cmd, capture_output=True, text=True)
if p.returncode not in (0, 1):
    print("classify failed:", p.stderr)
    sys.exit(2)
results = [json.loads(line) for line in p.stdout.splitlines()]
assert len(results) == len(rows), (len(results), len(rows))

single = right = multi = multi_ok = 0
wrong, misses, by_match = [], [], {}
for (n, name, meaning), r in zip(rows, results):
    assert r["text"] == name
    got = r["scenario"]
    by_match[r["match"]] = by_match.get(r["match"], 0) + 1
    if got is not None and (meaning == ["none"] or got not in meaning):
        wrong.append((n, name, meaning, r))
    if meaning == ["none"]:
        continue
    if len(meaning) == 1:
        single += 1
        if got == meaning[0]:
            right += 1
        else:
            misses.append((n, name, meaning, r))
    else:
        multi += 1
        multi_ok += got in meaning or r["match"] == "ambiguous"

coverage = right / single if single else 1.0
nones = sum(1 for r in rows if r[2] == ["none"])
print(f"names: {len(rows)} ({single} of one scenario, {multi} of several, {nones} not a service)")
print(f"coverage: {right} of {single} names of one scenario get it = {100 * coverage:.1f}% (minimum {100 * minimum:.0f}%)")
print(f"names of several services given one of them or ambiguous: {multi_ok} of {multi}")
print(f"wrong scenario: {len(wrong)}")
print("match kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(by_match.items())))
for n, name, meaning, r in wrong:
    print(f"  WRONG line {n}: {name} means {'|'.join(meaning)}, got {r['scenario']} ({r['match']}, term {r['term']})")
for n, name, meaning, r in misses if verbose or len(misses) <= 20 else misses[:20]:
    print(f"  miss line {n}: {name} means {meaning[0]}, got {r['match']} {r['scenario']} (term {r['term']})")
sys.exit(0 if coverage >= minimum and not wrong else 1)
