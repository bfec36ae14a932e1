#!/usr/bin/env python3
"""Runs the compiled C example and checks what it prints (run by meson test).

    run_example.py EXAMPLE_EXE

The example evaluates a three-function renovation project of 3,000,000 yuan under the default
policy: 1,000,000 yuan of basic public services at 30% and 1,000,000 yuan of inclusive services
at the default 30% give 600,000 yuan = 60,000,000 fen. It must print that line, then the result
as one line of embedsvc.result/1 JSON that agrees with it.
"""
import json
import subprocess
import sys

EXPECTED_FIRST_LINE = "eligible: 1, subsidy: 60000000 fen"


def main() -> int:
    proc = subprocess.run([sys.argv[1]], capture_output=True, text=True, encoding="utf-8")
    lines = proc.stdout.splitlines()
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit status {proc.returncode}, stderr: {proc.stderr.strip()}")
    if not lines or lines[0] != EXPECTED_FIRST_LINE:
        problems.append(f"first line {lines[0] if lines else '(none)'!r}, expected {EXPECTED_FIRST_LINE!r}")
    if len(lines) != 2:
        problems.append(f"{len(lines)} lines of output, expected 2")
    else:
        result = json.loads(lines[1])
        if result.get("schema") != "embedsvc.result/1" or result.get("project_id") != "DEMO-1":
            problems.append("the second line is not the embedsvc.result/1 of DEMO-1")
        elif not result["eligible"] or result["subsidy"]["total_fen"] != 60000000:
            problems.append("the JSON result disagrees with the first line")
    for p in problems:
        print("run_example:", p, file=sys.stderr)
    if not problems:
        print(proc.stdout, end="")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
