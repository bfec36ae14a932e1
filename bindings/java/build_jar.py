#!/usr/bin/env python3
"""Compiles Java sources with javac and packs the classes into a jar.

meson's jar() cannot compile SWIG's flat generated files into a package (and rebuilds every
time), so the binding's jars are custom_targets running this.

Usage: build_jar.py --javac JAVAC --jar JAR --output OUT.jar [--classpath CP] [--release N]
                    [--main-class CLASS] [--werror] [--native PLATFORM=LIB]...
                    [--manifest-entry NAME=VALUE]... [--resource PATH=FILE]... SOURCES...
An OUTPUT ending in .class compiles into its directory instead of a jar (the examples).

--native stores LIB as org/embedsvc/native/PLATFORM/<its file name> and records the platforms
and each library's SHA-256 in org/embedsvc/native/native.properties, which NativeLoader checks
the extracted file against. --resource stores FILE at PATH in the jar (e.g. the pom under
META-INF/maven/...). --manifest-entry adds a main attribute to the manifest.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys

NATIVE_DIR = "org/embedsvc/native"


def pair(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError("expected NAME=VALUE, got %r" % text)
    return key, value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--javac", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--classpath", default="")
    ap.add_argument("--release", default="11")
    ap.add_argument("--main-class")
    ap.add_argument("--werror", action="store_true")
    ap.add_argument("--native", type=pair, action="append", default=[])
    ap.add_argument("--manifest-entry", type=pair, action="append", default=[])
    ap.add_argument("--resource", type=pair, action="append", default=[])
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

    if a.native:
        props = ["# The JNI libraries in this jar: platform (os-arch) and SHA-256 of each.",
                 "platforms=" + ",".join(p for p, _ in a.native)]
        for platform, lib in a.native:
            name = os.path.basename(lib)
            dest = os.path.join(classes, NATIVE_DIR, platform)
            os.makedirs(dest, exist_ok=True)
            shutil.copyfile(lib, os.path.join(dest, name))
            with open(lib, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            props += ["%s.file=%s" % (platform, name), "%s.sha256=%s" % (platform, digest)]
        with open(os.path.join(classes, NATIVE_DIR, "native.properties"), "w", encoding="ascii") as f:
            f.write("\n".join(props) + "\n")
    for path, src in a.resource:
        dest = os.path.join(classes, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(src, dest)

    tmp = out + ".tmp"
    cmd = [a.jar, "--create", "--file", tmp]
    if a.main_class:
        cmd += ["--main-class", a.main_class]
    if a.manifest_entry:
        manifest = out + ".manifest"
        with open(manifest, "w", encoding="utf-8") as f:
            for key, value in a.manifest_entry:
                f.write("%s: %s\n" % (key, value))
        cmd += ["--manifest", manifest]
    cmd += ["-C", classes, "."]
    if subprocess.call(cmd) != 0:
        return 1
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
