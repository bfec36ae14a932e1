#!/usr/bin/env python3
"""Lays out the Maven artifacts org.embedsvc:embedsvc:VERSION in a Maven repository layout.

Usage: maven_artifacts.py --jar-tool JAR --javadoc JAVADOC|'' --version V --jar embedsvc.jar
                          --pom embedsvc-V.pom --output DIR SOURCES.java...

DIR/org/embedsvc/embedsvc/V/ receives embedsvc-V.jar, embedsvc-V.pom, embedsvc-V-sources.jar
(the sources at their package paths) and embedsvc-V-javadoc.jar (javadoc -Xdoclint:all; left
out, with a message, when no javadoc tool is given), each with a .sha1 and .md5 as a remote
repository has them; DIR/org/embedsvc/embedsvc/maven-metadata.xml lists the version. DIR is
rebuilt from scratch. scripts/install-maven copies the tree into a repository.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

GROUP, ARTIFACT = "org.embedsvc", "embedsvc"


def package_dir(source):
    with open(source, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*package\s+([\w.]+)\s*;", line)
            if m:
                return m.group(1).replace(".", "/")
    return ""


def checksums(path):
    with open(path, "rb") as f:
        data = f.read()
    for algo in ("sha1", "md5"):
        with open(path + "." + algo, "w", encoding="ascii") as f:
            f.write(hashlib.new(algo, data).hexdigest())


def make_jar(jar_tool, out, root):
    if subprocess.call([jar_tool, "--create", "--file", out, "-C", root, "."]) != 0:
        raise SystemExit("maven_artifacts.py: jar failed for " + out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar-tool", required=True)
    ap.add_argument("--javadoc", default="")
    ap.add_argument("--version", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--pom", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    sources = [s for s in a.sources if s.endswith(".java")]

    shutil.rmtree(a.output, ignore_errors=True)
    base = os.path.join(a.output, *GROUP.split("."), ARTIFACT)
    vdir = os.path.join(base, a.version)
    os.makedirs(vdir)
    stem = os.path.join(vdir, "%s-%s" % (ARTIFACT, a.version))

    shutil.copyfile(a.jar, stem + ".jar")
    shutil.copyfile(a.pom, stem + ".pom")
    written = [stem + ".jar", stem + ".pom"]

    with tempfile.TemporaryDirectory(dir=a.output) as tmp:
        src_root = os.path.join(tmp, "sources")
        for s in sources:
            dest = os.path.join(src_root, package_dir(s))
            os.makedirs(dest, exist_ok=True)
            shutil.copyfile(s, os.path.join(dest, os.path.basename(s)))
        make_jar(a.jar_tool, stem + "-sources.jar", src_root)
        written.append(stem + "-sources.jar")

        if a.javadoc:
            doc_root = os.path.join(tmp, "javadoc")
            cmd = [a.javadoc, "-quiet", "-Xdoclint:all", "-encoding", "UTF-8", "-charset", "UTF-8",
                   "-docencoding", "UTF-8", "-doctitle", "embedsvc %s" % a.version, "-d", doc_root] + sources
            if subprocess.call(cmd, stdout=subprocess.DEVNULL) != 0:
                return 1
            make_jar(a.jar_tool, stem + "-javadoc.jar", doc_root)
            written.append(stem + "-javadoc.jar")
        else:
            sys.stderr.write("maven_artifacts.py: no javadoc tool: %s-javadoc.jar not made\n" % ARTIFACT)

    for path in written:
        checksums(path)
    with open(os.path.join(base, "maven-metadata.xml"), "w", encoding="utf-8") as f:
        f.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n"
                "  <groupId>%s</groupId>\n  <artifactId>%s</artifactId>\n  <versioning>\n"
                "    <latest>%s</latest>\n    <release>%s</release>\n"
                "    <versions>\n      <version>%s</version>\n    </versions>\n  </versioning>\n</metadata>\n"
                % (GROUP, ARTIFACT, a.version, a.version, a.version))
    checksums(os.path.join(base, "maven-metadata.xml"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
