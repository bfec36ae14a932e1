#!/usr/bin/env python3
"""The offline Maven consumer, as the test suite runs it (meson test java-maven-consumer).

1. scripts/install-maven puts org.embedsvc:embedsvc (jar, pom, sources, javadoc) into a fresh
   local repository in the build directory;
2. a copy of examples/java-maven/ is built with Debian's maven, offline: `mvn -o` with
   debian-offline.xml (the plugins come from /usr/share/maven-repo as a file:// repository,
   which -Daether.offline.protocols=file lets an offline build read);
3. the command it built reviews every example project: with --json each line must be the very
   bytes `embedsvc check --json` prints, and the exit status that of the C tool; the text review
   states each total; the JNI library comes from the jar, with no LD_LIBRARY_PATH.

Usage: run_example.py SOURCE_ROOT BUILD_ROOT EMBEDSVC_CLI MVN WORK_DIR
"""
import glob
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
import json

PLUGINS = {  # the versions pinned in pom.xml, as Debian 12 packages them
    "maven-compiler-plugin": "3.10.1", "maven-resources-plugin": "3.3.0", "maven-jar-plugin": "3.3.0",
    "maven-surefire-plugin": "2.22.3", "maven-install-plugin": "3.1.0",
}


def main():
    source, build, cli, mvn, work = sys.argv[1:6]
    debian = "/usr/share/maven-repo/org/apache/maven/plugins"
    missing = [p + ":" + v for p, v in PLUGINS.items() if not os.path.isdir(os.path.join(debian, p, v))]
    if missing:
        sys.exit("run_example.py: Debian's Maven plugins %s are missing: scripts/install-deps test" % ", ".join(missing))

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    repo = os.path.join(work, "m2")
    subprocess.run([os.path.join(source, "scripts", "install-maven"), "-C", build, "--no-build", repo], check=True)
    app = os.path.join(work, "app")
    shutil.copytree(os.path.join(source, "examples", "java-maven"), app,
                    ignore=shutil.ignore_patterns("target", "run_example.py"))

    env = dict(os.environ)
    for v in ("LD_LIBRARY_PATH", "JAVA_TOOL_OPTIONS", "MAVEN_OPTS", "CLASSPATH"):
        env.pop(v, None)
    env["XDG_CACHE_HOME"] = os.path.join(work, "cache")
    cmd = [mvn, "-o", "-B", "-q", "-s", "debian-offline.xml", "-Dmaven.repo.local=" + repo,
           "-Daether.offline.protocols=file", "-Dstyle.color=never", "package"]
    print("$ (cd %s && %s)" % (app, " ".join(cmd)), flush=True)
    subprocess.run(cmd, cwd=app, env=env, check=True)

    jar = os.path.join(app, "target", "case-review-1.0.0.jar")
    with zipfile.ZipFile(jar) as z:
        names = z.namelist()
    assert "org/embedsvc/example/CaseReview.class" in names, names
    assert not any(n.startswith("org/embedsvc/native/") for n in names), "the library is a dependency, not copied in"
    dep = glob.glob(os.path.join(repo, "org", "embedsvc", "embedsvc", "*", "embedsvc-*[0-9].jar"))
    assert len(dep) == 1, dep
    classpath = jar + os.pathsep + dep[0]
    java = ["java", "-cp", classpath, "org.embedsvc.example.CaseReview"]

    projects = sorted(glob.glob(os.path.join(source, "examples", "projects", "*.json")))
    expected, worst = [], 0
    for p in projects:
        r = subprocess.run([cli, "check", "--json", p], capture_output=True)
        expected.append(r.stdout.decode("utf-8").rstrip("\n"))
        worst = max(worst, r.returncode)
    r = subprocess.run(java + ["--json"] + projects, env=env, capture_output=True)
    got = r.stdout.decode("utf-8").splitlines()
    assert got == expected, "\n".join(["expected:"] + expected + ["got:"] + got + [r.stderr.decode()])
    assert r.returncode == worst, (r.returncode, worst)

    r = subprocess.run(java + ["--lang", "en"] + projects, env=env, capture_output=True)
    text = r.stdout.decode("utf-8")
    for p, doc in zip(projects, expected):
        d = json.loads(doc)
        total = Decimal(d["subsidy"]["total_fen"]) / 100
        line = "%s\t%s\t%s\t%s yuan" % (os.path.basename(p), d["project_id"],
                                        "eligible" if d["eligible"] else "not eligible", "%.2f" % total)
        assert line in text, (line, text)
    print(text, end="")

    bad = os.path.join(source, "tests", "vectors", "149-syntax-missing-comma", "project.json")
    r = subprocess.run(java + [bad], env=env, capture_output=True)
    c = subprocess.run([cli, "check", bad], capture_output=True)
    assert r.returncode == 2 and r.stderr.decode() == c.stderr.decode().replace("embedsvc: ", "", 1), (r, c)

    r = subprocess.run(java + ["--version"], env=env, capture_output=True, check=True)
    out = r.stdout.decode()
    print(out, end="")
    assert os.path.join(work, "cache", "embedsvc") in out, out
    return 0


if __name__ == "__main__":
    sys.exit(main())
