#!/usr/bin/env python3
"""Keeps docs/reference.md citable (suite 'docs').

    check_reference.py SOURCE_ROOT [CONTRACT.md]

1. Every citation "reference §N" or "reference §N.M" in the tree names a section that
   docs/reference.md has, and every link reference.md#anchor points at one of its headings
   (anchors as GitHub and most Markdown viewers make them).
2. No file of the project's own documentation and tools cites SPEC.md or "SPEC §N": the
   repository does not contain that file (the directories checked are listed in CHECKED).
3. When the contract the reference follows is given (../shared/SPEC.md beside a clone, not
   part of the repository), the numbered sections of the reference are exactly its numbered
   sections: the same numbers, in the same order.
"""
import os
import re
import sys

CHECKED = ["README.md", "CHANGELOG.md", "docs", "man", "tools", "bindings", "fuzz", "bench",
           "examples", "scripts", "debian", "cmake", "tests/packaging", "tests/cmake-consumer"]
SKIP_DIRS = {".git", "corpus", "__pycache__"}
TEXT_EXT = {".md", ".c", ".h", ".py", ".i", ".java", ".sh", ".scd", ".build", ".txt", ".in", ".cmake", ""}

HEADING_RE = re.compile(r"^(#{2,3}) (\d+(?:\.\d+)?)\.? (.*)$", re.M)
CITE_RE = re.compile(r"reference §(\d+(?:\.\d+)?)")
LINK_RE = re.compile(r"reference\.md#([^)\s>\"']+)")
SPEC_RE = re.compile(r"SPEC\.md|SPEC §|SPEC section")


def slug(title):
    s = title.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def files(root, paths, all_tree=False):
    for p in paths:
        full = os.path.join(root, p)
        if os.path.isfile(full):
            yield p
            continue
        for d, dirs, names in os.walk(full):
            dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith("build")]
            for n in names:
                if os.path.splitext(n)[1] in TEXT_EXT:
                    yield os.path.relpath(os.path.join(d, n), root)


def read(root, rel):
    try:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, OSError):
        return ""


def main():
    root = sys.argv[1]
    ref = read(root, "docs/reference.md")
    headings = HEADING_RE.findall(ref)
    numbers = [n for _, n, _ in headings]
    anchors = {slug(m.group(0).lstrip("#")) for m in re.finditer(r"^#{1,6} .*$", ref, re.M)}
    problems = []
    everything = [e for e in sorted(os.listdir(root)) if e not in SKIP_DIRS and not e.startswith("build")]
    for rel in files(root, everything):
        if rel == "docs/check_reference.py":
            continue
        text = read(root, rel)
        for m in CITE_RE.finditer(text):
            if m.group(1) not in numbers:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: cites reference §{m.group(1)}, which docs/reference.md does not have")
        for m in LINK_RE.finditer(text):
            if m.group(1) not in anchors:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: links reference.md#{m.group(1)}, which is no heading of it")
    for rel in files(root, CHECKED):
        if rel == "docs/check_reference.py":
            continue
        text = read(root, rel)
        for m in SPEC_RE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            if "shared" in text.splitlines()[line - 1]:
                continue  # the optional contract beside a clone (check 3), not a citation
            problems.append(f"{rel}:{line}: cites {m.group(0)!r}, a file the repository does not contain; "
                            "cite docs/reference.md")
    if len(sys.argv) > 2 and os.path.isfile(sys.argv[2]):
        with open(sys.argv[2], encoding="utf-8") as f:
            contract = [n for _, n, _ in HEADING_RE.findall(f.read())]
        if contract != numbers:
            problems.append(f"docs/reference.md numbers its sections {numbers}, the contract {contract}")
        else:
            print(f"docs/reference.md has the contract's {len(numbers)} numbered sections")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
