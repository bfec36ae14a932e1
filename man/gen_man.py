#!/usr/bin/env python3
"""Builds a man page from its scdoc source (run by meson, man/meson.build).

    gen_man.py SCDOC PAGE.scd INCLUDE_DIR > PAGE

A line "@FUNCTIONS@" in the source is replaced by the list of every public function, generated
from the headers: include/embedsvc.h and, in the order it includes them, include/embedsvc/*.h.
Each function is listed under the title of its Doxygen group (@defgroup) with its prototype and
the first sentence of its documentation, so the list cannot go stale. The build fails when a
declaration marked EMBEDSVC_API cannot be read or has no documentation.
The result is fed to scdoc; its output is written to standard output.
"""
import os
import re
import subprocess
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"(embedsvc/[^"]+\.h)"', re.M)
TOKEN_RE = re.compile(r'/\*\*(?P<doc>.*?)\*/|(?P<decl>^EMBEDSVC_API\b[^;{]*;)', re.S | re.M)


def headers(include_dir, name="embedsvc.h", seen=None):
    """The umbrella header, then each header it includes, depth first, each once."""
    seen = set() if seen is None else seen
    if name in seen:
        return
    seen.add(name)
    with open(os.path.join(include_dir, name), encoding="utf-8") as f:
        text = f.read()
    yield name, text
    for inc in INCLUDE_RE.findall(text):
        yield from headers(include_dir, inc, seen)


def first_sentence(doc):
    lines = []
    for raw in doc.splitlines():
        line = raw.strip().lstrip("*").strip()
        if line.startswith("@defgroup"):
            return None
        if not line or line.startswith("@") and not line.startswith(("@p ", "@c ", "@ref ")):
            if lines:
                break
            continue
        lines.append(line)
    text = " ".join(lines)
    match = re.match(r"(.+?(?<!e\.g)(?<!i\.e)[.:])(\s|$)", text)
    text = match.group(1) if match else text
    text = re.sub(r"@(?:p|c|ref|a)\s+", "", text)
    text = text.replace("::", "").replace("`", "")
    return text


def scdoc_escape(text):
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def function_list(include_dir):
    out, problems = [], []
    group, pending, doc, count = None, None, None, 0
    for name, text in headers(include_dir):
        declared = len(re.findall(r"^EMBEDSVC_API\b", text, re.M))
        found = 0
        for m in TOKEN_RE.finditer(text):
            if m.group("doc") is not None:
                doc = m.group("doc")
                g = re.search(r"@defgroup\s+\S+\s+([^\n]*)", doc)
                if g:
                    title = re.sub(r"\(.*?\)", "", g.group(1)).replace("`", "").strip()
                    pending = title if title != group else None
                    doc = None
            else:
                found += 1
                proto = " ".join(m.group("decl")[len("EMBEDSVC_API"):].split())
                proto = proto.replace("( ", "(").replace(" )", ")")
                brief = first_sentence(doc) if doc else None
                if not brief:
                    problems.append(f"{name}: no documentation for {proto}")
                    continue
                if pending:
                    group, pending = pending, None
                    out.append(f"## {scdoc_escape(group)}\n")
                out.append(f"*{scdoc_escape(proto)}*\n\n\t{scdoc_escape(brief)}\n")
                doc = None
        if found != declared:
            problems.append(f"{name}: {declared} lines start with EMBEDSVC_API, {found} declarations read")
        count += found
    if problems or count == 0:
        for p in problems or ["no public function found"]:
            print(f"gen_man.py: {p}", file=sys.stderr)
        sys.exit(1)
    return "\n".join(out)


def main():
    scdoc, source, include_dir = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    if "@FUNCTIONS@" in text:
        text = text.replace("@FUNCTIONS@", function_list(include_dir))
    proc = subprocess.run([scdoc], input=text.encode("utf-8"), stdout=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(proc.returncode)
    # Prototypes are code: no hyphenation, no justification.
    page = re.sub(rb"^(\.TH [^\n]*\n)", rb"\1.nh\n.ad l\n", proc.stdout, count=1, flags=re.M)
    sys.stdout.buffer.write(page)


if __name__ == "__main__":
    main()
