#!/usr/bin/env python3
"""The self-contained jar, as a user inspects it: `unzip -l embedsvc.jar` lists the JNI library
under org/embedsvc/native/PLATFORM/, and the library needs no libembedsvc.so (`readelf -d`) and
exports only JNI entry points (`nm -D`).

Usage: check_jar.py EMBEDSVC.jar PLATFORM LIBEMBEDSVC_JNI.so
"""
import re
import shutil
import subprocess
import sys


def run(*cmd):
    print("$ " + " ".join(cmd))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out


def main():
    jar, platform, lib = sys.argv[1:4]
    entry = "org/embedsvc/native/%s/libembedsvc_jni.so" % platform
    if shutil.which("unzip"):
        listing = run("unzip", "-l", jar)
    else:
        listing = run("jar", "tf", jar)
    lines = [l for l in listing.splitlines() if entry in l or "native.properties" in l]
    print("\n".join(lines))
    if not any(l.split()[-1] == entry for l in lines):
        sys.exit("check_jar.py: %s does not list %s" % (jar, entry))

    dynamic = run("readelf", "-d", lib)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    print("NEEDED: " + " ".join(needed))
    if any(n.startswith("libembedsvc") for n in needed):
        sys.exit("check_jar.py: %s still needs %s" % (lib, needed))
    if "RPATH" in dynamic or "RUNPATH" in dynamic:
        sys.exit("check_jar.py: %s has an rpath" % lib)

    exported = [l.split()[-1] for l in run("nm", "-D", "--defined-only", lib).splitlines() if l.strip()]
    other = [s for s in exported if not s.startswith(("Java_", "JNI_On"))]
    print("exports: %d JNI functions, others: %s" % (len(exported) - len(other), other or "none"))
    if other or not exported:
        sys.exit("check_jar.py: %s exports %s" % (lib, other or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
