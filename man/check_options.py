#!/usr/bin/env python3
"""Keeps embedsvc(1) as complete as the program (suite 'docs').

    check_options.py EMBEDSVC man/embedsvc.1.scd

Every option the program's help names (`embedsvc --help`, and `embedsvc COMMAND --help` for
each command the man page lists) must appear in the man page, and every command of the
help's command list must have an entry in the page's COMMANDS section.
"""
import re
import subprocess
import sys

OPTION_RE = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")


def helptext(exe, *args):
    proc = subprocess.run([exe, *args, "--help"], capture_output=True, text=True, encoding="utf-8")
    return proc.stdout if proc.returncode == 0 else ""


def main():
    exe, page = sys.argv[1], sys.argv[2]
    with open(page, encoding="utf-8") as f:
        scd = f.read().replace("\\_", "_")
    commands_section = scd.split("\n# COMMANDS\n", 1)[1].split("\n# ", 1)[0]
    documented = set(re.findall(r"^\*([a-z][a-z-]*)(?: ([a-z]+))?\*", commands_section, re.M))
    documented_names = {" ".join(filter(None, c)) for c in documented}
    problems = []

    main_help = helptext(exe)
    if not main_help:
        problems.append(f"{exe} --help failed")
    listed = []
    in_commands = False
    for line in main_help.splitlines():
        if re.match(r"^\S.*:$", line):
            in_commands = line.lower().startswith("commands")
            continue
        m = re.match(r"^  ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?\b", line)
        if in_commands and m:
            name = m.group(1)
            if m.group(2) and f"{name} {m.group(2)}" in documented_names:
                name = f"{name} {m.group(2)}"
            listed.append(name)
    for name in listed:
        if name not in documented_names and not any(d.startswith(name + " ") for d in documented_names):
            problems.append(f"command '{name}' of embedsvc --help has no entry in COMMANDS of {page}")

    texts = [("embedsvc --help", main_help)]
    for name in sorted(documented_names):
        texts.append((f"embedsvc {name} --help", helptext(exe, *name.split())))
    for where, text in texts:
        for opt in sorted(set(OPTION_RE.findall(text))):
            if not re.search(r"(?<![\w-])" + re.escape(opt) + r"(?![\w-])", scd):
                problems.append(f"option {opt} (from {where}) is not in {page}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(listed)} commands and the options of {len(texts)} help texts checked; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
