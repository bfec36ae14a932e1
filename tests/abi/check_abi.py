#!/usr/bin/env python3
"""Compares the ABI of the freshly built libembedsvc with the committed baseline (meson test).

    check_abi.py ABIDIFF BASELINE LIBRARY HEADERS_DIR DEBUG

ABIDIFF is the abidiff program, or "" when it is not installed: the test is then skipped (exit 77),
as it is when DEBUG is "false" (abidiff needs the library's DWARF; the project's default
buildtype=debugoptimized has it). Any non-zero status of abidiff fails the test: 4 for a changed
type or signature, 12 for a removed symbol, 1 or 2 for a tool error. Functions or variables added
since the baseline are compatible and do not fail the test (--no-added-syms); they must go into a
new node of lib/libembedsvc.map, which the symbols test checks. See docs/abi.md.
"""
import subprocess
import sys

SKIP = 77


def main(argv: list) -> int:
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    abidiff, baseline, library, headers, debug = argv[1:]
    if not abidiff:
        print("check_abi: abidiff not found (Debian: apt install abigail-tools); skipped")
        return SKIP
    if debug != "true":
        print("check_abi: the library is built without debug info (-Ddebug=false); skipped")
        return SKIP
    cmd = [abidiff, "--no-added-syms", "--fail-no-debug-info", "--headers-dir2", headers,
           baseline, library]
    print("check_abi:", " ".join(cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        print(f"check_abi: FAILED: abidiff exit status {proc.returncode} — the library's ABI is not "
              "compatible with tests/abi/libembedsvc.abi.\n"
              "An intended change needs a new SONAME (an ABI break) and a new baseline: see docs/abi.md "
              "and scripts/update-abi-baseline.", file=sys.stderr)
        return 1
    print("check_abi: compatible with the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
