#!/usr/bin/env python3
"""Runs SWIG for the Java binding, then checks and adjusts the Java files it wrote.

Usage: run_swig.py OUTDIR EXPECTED.java... -- SWIG ARGS...   (without -outdir)

- SWIG writes the Java files into a fresh directory; any file meson does not list (a new
  header type the generic typemaps of embedsvc.i do not cover) fails the build with a clear
  message instead of silently missing from the jar.
- The constants interface is made package-private: SWIG before 4.3 has no constantsmodifiers
  pragma, and the public API of org.embedsvc is the hand-written classes only.
"""
import os
import shutil
import subprocess
import sys


def main():
    sep = sys.argv.index("--")
    outdir, expected, cmd = sys.argv[1], sys.argv[2:sep], sys.argv[sep + 1:]
    tmp = os.path.join(outdir, "swig-java.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    rc = subprocess.call([cmd[0], "-outdir", tmp] + cmd[1:])
    if rc != 0:
        return rc
    written = sorted(os.listdir(tmp))
    if written != sorted(expected):
        sys.stderr.write("run_swig.py: SWIG wrote %s, meson lists %s.\nMap the new type in "
                         "bindings/java/embedsvc.i, or list the files in bindings/java/meson.build.\n"
                         % (", ".join(written), ", ".join(sorted(expected))))
        return 1
    for name in written:
        with open(os.path.join(tmp, name), encoding="utf-8") as f:
            text = f.read()
        if name == "EmbedsvcNativeConstants.java":
            text = text.replace("public interface EmbedsvcNativeConstants", "interface EmbedsvcNativeConstants", 1)
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(text)
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
