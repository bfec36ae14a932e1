#!/usr/bin/env python3
"""Checks that debian/changelog packages the version meson builds (suite 'packaging').

    check_debian_version.py MESON_VERSION debian/changelog

The newest entry's upstream version (the Debian version without an epoch and without the
Debian revision after the last '-') must equal the meson project version: 0.1.0 -> 0.1.0-1.
"""
import re
import sys


def main() -> int:
    meson_version, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    m = re.match(r"^(\S+) \(([^)]+)\) \S+; urgency=\S+$", first.rstrip("\n"))
    if not m:
        print(f"{path}:1: not a Debian changelog entry line: {first!r}", file=sys.stderr)
        return 1
    package, version = m.groups()
    upstream = version.split(":", 1)[-1].rsplit("-", 1)[0]
    if upstream != meson_version:
        print(f"{path}:1: {package} {version} packages {upstream}, meson builds {meson_version}",
              file=sys.stderr)
        return 1
    print(f"{package} {version} packages meson version {meson_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
