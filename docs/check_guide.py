#!/usr/bin/env python3
"""Runs the console examples of the user guides and compares their output (meson test, suite docs).

    check_guide.py [--update] EMBEDSVC_EXE SOURCE_ROOT GUIDE.md...

A console example in a guide is a fenced block opened with ```console. In it, a line starting with
"$ " is a shell command; the lines after it, up to the next command or the end of the block, are
its expected standard output (a command that shows its errors says 2>&1). Commands run with bash
in SOURCE_ROOT, with the directory of EMBEDSVC_EXE first on PATH, so "embedsvc" is the CLI just
built. Lines are compared without trailing white space.

Without --update, exits 1 when an output differs (showing a diff) and 0 otherwise. With
--update, rewrites the expected outputs in the guides from the real ones: run it after a change
to the engine's output, then read the diff of the guides before committing.
"""
import difflib
import os
import re
import subprocess
import sys

FENCE_OPEN = re.compile(r"^```console\s*$")
FENCE_CLOSE = re.compile(r"^```\s*$")


def run(command: str, root: str, env: dict) -> str:
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    if proc.stderr and "2>" not in command:
        sys.stderr.write(f"check_guide: stderr of '{command}':\n{proc.stderr}")
    return proc.stdout


def normalise(lines: list) -> list:
    out = [line.rstrip() for line in lines]
    while out and out[-1] == "":
        out.pop()
    return out


def process(path: str, root: str, env: dict, update: bool):
    """Returns (number of commands, list of failure reports); rewrites the file when updating."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    result, failures, commands = [], [], 0
    i = 0
    while i < len(lines):
        line = lines[i]
        result.append(line)
        i += 1
        if not FENCE_OPEN.match(line):
            continue
        block_start = i
        while i < len(lines) and not FENCE_CLOSE.match(lines[i]):
            i += 1
        if i == len(lines):
            failures.append(f"{path}:{block_start}: console block is not closed")
            result.extend(lines[block_start:])
            break
        block = lines[block_start:i]
        k = 0
        while k < len(block):
            if not block[k].startswith("$ "):
                failures.append(f"{path}:{block_start + k + 1}: console block must start with a '$ ' command")
                result.append(block[k])
                k += 1
                continue
            command = block[k][2:]
            expected_start = k + 1
            k += 1
            while k < len(block) and not block[k].startswith("$ "):
                k += 1
            expected = block[expected_start:k]
            commands += 1
            actual = run(command, root, env).split("\n")
            result.append("$ " + command)
            if normalise(expected) != normalise(actual):
                if update:
                    result.extend(normalise(actual))
                    continue
                diff = "\n".join(difflib.unified_diff(normalise(expected), normalise(actual),
                                                      "expected (the guide)", "actual", lineterm=""))
                failures.append(f"{path}:{block_start + expected_start}: output of '{command}' differs:\n{diff}")
            result.extend(expected)
        result.append(lines[i])  # the closing fence
        i += 1
    if update:
        text = "\n".join(result)
        with open(path, encoding="utf-8") as f:
            old = f.read()
        if text != old:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"check_guide: updated {path}")
    return commands, failures


def main(argv: list) -> int:
    update = len(argv) > 1 and argv[1] == "--update"
    args = argv[2:] if update else argv[1:]
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    exe, root, guides = os.path.abspath(args[0]), os.path.abspath(args[1]), args[2:]
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(exe) + os.pathsep + env.get("PATH", "")
    env["LANG"] = "C.UTF-8"
    env.pop("LC_ALL", None)
    total, failures = 0, []
    for guide in guides:
        n, f = process(os.path.join(root, guide) if not os.path.isabs(guide) else guide, root, env, update)
        total += n
        failures += f
    for f in failures:
        print(f + "\n")
    if failures and not update:
        print(f"check_guide: {len(failures)} of {total} console examples differ from the real output; "
              f"if the new output is right, run\n  python3 docs/check_guide.py --update {exe} {root} "
              + " ".join(guides))
        return 1
    print(f"check_guide: {total} console examples of {', '.join(guides)} match the CLI")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
