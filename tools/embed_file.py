#!/usr/bin/env python3
"""Embeds a file in C as a NUL-terminated const array and its length.

Usage: embed_file.py INPUT OUTPUT.c SYMBOL
"""
import sys


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst, sym = sys.argv[1:]
    with open(src, "rb") as f:
        data = f.read()
    rows = ["    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 16]) + "," for i in range(0, len(data), 16)]
    with open(dst, "w", encoding="ascii") as out:
        out.write("/* Generated from %s by tools/embed_file.py. Do not edit. */\n" % src.split("/")[-1])
        out.write("#include <stddef.h>\n\n")
        out.write("extern const unsigned char %s[];\nextern const size_t %s_len;\n\n" % (sym, sym))
        out.write("const unsigned char %s[] = {\n" % sym)
        out.write("\n".join(rows) + "\n    0x00\n};\n")
        out.write("const size_t %s_len = %d;\n" % (sym, len(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
