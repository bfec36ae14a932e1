#!/usr/bin/env python3
"""Compiles every public header alone, in C and in C++ (meson test 'headers', suite 'abi').

    check_headers.py INCLUDE_DIR CC [CXX|""] INSTALLED...

Each `.h` under INCLUDE_DIR (the umbrella embedsvc.h and every include/embedsvc/*.h) is the only
include of a translation unit compiled with -Wall -Wextra -Wpedantic -Werror (and -Wundef,
-Wstrict-prototypes in C) as C99, C11 and, when CXX is given, C++11 and C++17: a header that
needs another one it does not include, or that is not valid in one of these, fails. Every header
under INCLUDE_DIR/embedsvc must also be among INSTALLED (include/meson.build installs them).
Modelled on serd's test/headers.
"""
import os
import subprocess
import sys
import tempfile

C_FLAGS = ["-Wall", "-Wextra", "-Wpedantic", "-Werror", "-Wundef", "-Wstrict-prototypes",
           "-Wmissing-prototypes", "-Wshadow"]
CXX_FLAGS = ["-Wall", "-Wextra", "-Wpedantic", "-Werror", "-Wundef", "-Wshadow", "-Wold-style-cast"]


def headers(include_dir):
    found = []
    for root, _dirs, files in os.walk(include_dir):
        found += [os.path.relpath(os.path.join(root, f), include_dir) for f in files if f.endswith(".h")]
    return sorted(found)


def compile_one(compiler, std, flags, include_dir, header, suffix, static):
    body = f"#include <{header}>\n"
    body += "int main(void) { return 0; }\n" if suffix == ".c" else "int main() { return 0; }\n"
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "only" + suffix)
        with open(src, "w", encoding="utf-8") as f:
            f.write(body)
        cmd = compiler + [f"-std={std}", *flags, "-I", include_dir, "-c", src, "-o",
                          os.path.join(tmp, "only.o")]
        if static:
            cmd.insert(1, "-DEMBEDSVC_STATIC")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        return proc.returncode, proc.stdout + proc.stderr, cmd


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    include_dir, cc, cxx = argv[1], argv[2].split(), argv[3].split()
    installed = {os.path.basename(p) for p in argv[4:]}
    problems, count = [], 0
    for header in headers(include_dir):
        if header.startswith("embedsvc" + os.sep) and os.path.basename(header) not in installed:
            problems.append(f"{header}: not installed (add it to include/meson.build)")
        runs = [(cc, std, C_FLAGS, ".c") for std in ("c99", "c11")]
        if cxx:
            runs += [(cxx, std, CXX_FLAGS, ".cpp") for std in ("c++11", "c++17")]
        for compiler, std, flags, suffix in runs:
            for static in (False, True):
                rc, out, cmd = compile_one(compiler, std, flags, include_dir, header, suffix, static)
                count += 1
                if rc != 0:
                    problems.append(f"{header} alone does not compile as {std}"
                                    f"{' with EMBEDSVC_STATIC' if static else ''}:\n  {' '.join(cmd)}\n{out}")
    if problems:
        print("check_headers: FAILED")
        for p in problems:
            print(p)
        return 1
    print(f"check_headers: {len(headers(include_dir))} headers each compile alone ({count} compilations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
