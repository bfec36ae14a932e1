#!/usr/bin/env python3
"""Keeps examples/c/evaluate.c identical to the @code example of include/embedsvc.h.

The header's file comment shows a complete program; the test suite compiles and runs
examples/c/evaluate.c. This script extracts the program from the header (the lines between
"@code" and "@endcode" of the first comment, without the leading " * ") and

    header_example.py HEADER EXAMPLE            exits 0 when EXAMPLE is byte-identical, else 1
                                                and prints a unified diff
    header_example.py --write HEADER EXAMPLE    rewrites EXAMPLE from the header
"""
import difflib
import sys


def extract(header_text: str) -> str:
    start = header_text.find("/**")
    end = header_text.find("*/", start)
    if start < 0 or end < 0:
        raise SystemExit("header_example: no documentation comment in the header")
    lines = header_text[start:end].split("\n")
    code, inside, found = [], False, False
    for line in lines:
        body = line.strip()
        if body.startswith("*"):
            # " * text" -> "text"; " *" -> ""
            text = line.split("*", 1)[1]
            text = text[1:] if text.startswith(" ") else text
        else:
            text = line
        if text.strip() == "@code":
            inside, found = True, True
            continue
        if text.strip() == "@endcode":
            inside = False
            break
        if inside:
            code.append(text.rstrip())
    if not found or inside:
        raise SystemExit("header_example: no complete @code ... @endcode block in the file comment")
    return "\n".join(code) + "\n"


def main(argv: list) -> int:
    write = len(argv) > 1 and argv[1] == "--write"
    args = argv[2:] if write else argv[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    header, example = args
    with open(header, encoding="utf-8") as f:
        program = extract(f.read())
    if write:
        with open(example, "w", encoding="utf-8", newline="\n") as f:
            f.write(program)
        print(f"header_example: wrote {example} from {header}")
        return 0
    with open(example, encoding="utf-8", newline="") as f:
        current = f.read()
    if current == program:
        print(f"header_example: {example} is the example of {header}")
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        program.splitlines(keepends=True), current.splitlines(keepends=True),
        fromfile=header + " @code", tofile=example))
    print(f"\nheader_example: {example} differs from the @code block of {header};\n"
          f"fix the header, then run: python3 {argv[0]} --write {header} {example}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
