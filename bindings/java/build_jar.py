#!/usr/bin/env python3
"""Compiles Java sources with javac and packs the classes into a jar.

meson's jar() cannot compile SWIG's flat generated files into a package (and rebuilds every
time), so the binding's jars are custom_targets running this.

Usage: build_jar.py --javac JAVAC --jar JAR --output OUT.jar [--classpath CP] [--release N]
                    [--main-class CLASS] [--werror] SOURCES...
An OUTPUT ending in .class compiles into its directory instead of a jar (the examples).
"""
import argparse
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--javac", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--classpath", default="")
    ap.add_argument("--release", default="11")
    ap.add_argument("--main-class")
    ap.add_argument("--werror", action="store_true")
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()

    out = os.path.abspath(a.output)
    if out.endswith(".class"):
        classes = os.path.dirname(out)
    else:
        classes = out + ".classes"
        shutil.rmtree(classes, ignore_errors=True)
        os.makedirs(classes)
    cmd = [a.javac, "-encoding", "UTF-8", "--release", a.release, "-Xlint:all", "-d", classes]
    if a.werror:
        cmd.append("-Werror")
    if a.classpath:
        cmd += ["-classpath", a.classpath]
    cmd += [s for s in a.sources if s.endswith(".java")]
    if subprocess.call(cmd) != 0:
        return 1
    if out.endswith(".class"):
        return 0 if os.path.exists(out) else 1
    tmp = out + ".tmp"
    cmd = [a.jar, "--create", "--file", tmp]
    if a.main_class:
        cmd += ["--main-class", a.main_class]
    cmd += ["-C", classes, "."]
    if subprocess.call(cmd) != 0:
        return 1
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
