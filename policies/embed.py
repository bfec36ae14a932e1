#!/usr/bin/env python3
"""Embeds a policy JSON file in C: a NUL-terminated const array and its length.

Usage: embed.py INPUT.json OUTPUT.c
"""
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    lines = []
    for i in range(0, len(data), 16):
        lines.append("    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 16]) + ",")
    with open(sys.argv[2], "w", encoding="ascii") as out:
        out.write("/* Generated from %s by policies/embed.py. Do not edit. */\n" % sys.argv[1].split("/")[-1])
        out.write("#include <stddef.h>\n\n")
        out.write("extern const unsigned char esv_default_policy_json[];\n")
        out.write("extern const size_t esv_default_policy_json_len;\n\n")
        out.write("const unsigned char esv_default_policy_json[] = {\n")
        out.write("\n".join(lines) + "\n    0x00\n};\n")
        out.write("const size_t esv_default_policy_json_len = %d;\n" % len(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
