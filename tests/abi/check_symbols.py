#!/usr/bin/env python3
"""Checks that the exported symbols, the version script and the header agree (meson test).

    check_symbols.py NM LIBRARY MAPFILE INCLUDE_DIR

Three lists must be the same set of names:
  1. what the shared library exports: `nm -D --defined-only LIBRARY` (version-node symbols such
     as `A EMBEDSVC_1` aside), each with the version node the map file puts it in;
  2. the `global:` names of the version script MAPFILE, one node per ABI release
     (EMBEDSVC_1, EMBEDSVC_1.1, ...), every node but the first inheriting from the one before,
     each name in exactly one node, `local: *;` in the first node;
  3. the functions and variables declared with EMBEDSVC_API in the public headers: every `.h`
     under INCLUDE_DIR (the umbrella embedsvc.h and include/embedsvc/*.h).
Every exported name starts with `embedsvc_`. Exit status 0 when all agree, 1 otherwise (with a
list of the differences), 77 when NM cannot be run.
"""
import os
import re
import subprocess
import sys

SKIP = 77


def exported(nm: str, library: str):
    """{name: version node} of the library's defined dynamic symbols, and the version nodes."""
    try:
        out = subprocess.run([nm, "-D", "--defined-only", library], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"check_symbols: cannot run {nm}: {e}")
        sys.exit(SKIP)
    symbols, nodes = {}, set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[-2], parts[-1]
        if kind == "A":  # the version node itself, e.g. "A EMBEDSVC_1"
            nodes.add(name)
            continue
        base, _, version = name.partition("@")
        symbols[base] = version.lstrip("@")
    return symbols, nodes


def strip_c_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def version_script(path: str, problems: list):
    """[(node, parent, [names], has_local_star)] in file order."""
    with open(path, encoding="utf-8") as f:
        text = strip_c_comments(f.read())
    text = re.sub(r"#[^\n]*", " ", text)
    nodes = []
    for m in re.finditer(r"([A-Za-z0-9_.]+)\s*\{(.*?)\}\s*([A-Za-z0-9_.]*)\s*;", text, flags=re.S):
        node, body, parent = m.group(1), m.group(2), m.group(3) or None
        names, local_star, section = [], False, None
        for token in re.split(r"[\s;]+", body):
            if not token:
                continue
            if token in ("global:", "local:"):
                section = token
            elif section == "global:":
                names.append(token)
            elif section == "local:" and token == "*":
                local_star = True
            else:
                problems.append(f"{path}: unexpected '{token}' in node {node}")
        nodes.append((node, parent, names, local_star))
    if not nodes:
        problems.append(f"{path}: no version node found")
    return nodes


def public_headers(include_dir: str):
    """Every .h under INCLUDE_DIR, sorted, so that a new per-topic header is checked without a list."""
    found = []
    for root, _dirs, files in os.walk(include_dir):
        found += [os.path.join(root, f) for f in files if f.endswith(".h")]
    return sorted(found)


def header_api(include_dir: str):
    """Names declared with EMBEDSVC_API (comments and preprocessor lines removed)."""
    text = ""
    for path in public_headers(include_dir):
        with open(path, encoding="utf-8") as f:
            text += strip_c_comments(f.read()) + "\n"
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    names = []
    for decl in re.findall(r"\bEMBEDSVC_API\b([^;{]*)", text):
        m = re.search(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", decl)  # a function
        if not m:
            m = re.search(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\]\s*)*$", decl.strip())  # a variable
        if m:
            names.append(m.group(1))
    return names


def compare(label_a: str, a: set, label_b: str, b: set, problems: list) -> None:
    for name in sorted(a - b):
        problems.append(f"{name}: in {label_a} but not in {label_b}")


def main(argv: list) -> int:
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    nm, library, mapfile, header = argv[1:]
    mapfile, header = os.path.normpath(mapfile), os.path.normpath(header)
    problems = []

    lib_symbols, lib_nodes = exported(nm, library)
    nodes = version_script(mapfile, problems)
    api = header_api(header)

    node_of = {}
    for i, (node, parent, names, local_star) in enumerate(nodes):
        if i == 0 and not local_star:
            problems.append(f"{mapfile}: the first node {node} must end with 'local: *;'")
        if i > 0 and parent != nodes[i - 1][0]:
            problems.append(f"{mapfile}: node {node} must inherit from {nodes[i - 1][0]} "
                            f"('}} {nodes[i - 1][0]};'), not {parent or 'nothing'}")
        for name in names:
            if name in node_of:
                problems.append(f"{mapfile}: {name} is listed in {node_of[name]} and again in {node}")
            node_of[name] = node
    for name in sorted({n for n in api if api.count(n) > 1}):
        problems.append(f"{header}: {name} is declared with EMBEDSVC_API more than once")

    lib_set, map_set, api_set = set(lib_symbols), set(node_of), set(api)
    compare("the library (nm -D)", lib_set, mapfile, map_set, problems)
    compare(mapfile, map_set, "the library (nm -D)", lib_set, problems)
    compare(header + " (EMBEDSVC_API)", api_set, mapfile, map_set, problems)
    compare(mapfile, map_set, header + " (EMBEDSVC_API)", api_set, problems)
    for name in sorted(lib_set | map_set | api_set):
        if not name.startswith("embedsvc_"):
            problems.append(f"{name}: exported names must start with embedsvc_")
    for name in sorted(lib_set & map_set):
        if lib_symbols[name] != node_of[name]:
            problems.append(f"{name}: exported with version '{lib_symbols[name]}', "
                            f"but {mapfile} puts it in {node_of[name]}")
    for node, *_ in nodes:
        if node not in lib_nodes:
            problems.append(f"version node {node} of {mapfile} is not defined by the library")

    if problems:
        print("check_symbols: the exported symbols, the version script and the header disagree:")
        for p in problems:
            print("  " + p)
        print("Every public function is declared with EMBEDSVC_API in a header of include/, listed in "
              "lib/libembedsvc.map (new functions in the node of the next release), and exported; "
              "see docs/abi.md.")
        return 1
    print(f"check_symbols: {len(lib_set)} symbols agree across the library, {mapfile} "
          f"({', '.join(n[0] for n in nodes)}) and {header}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
