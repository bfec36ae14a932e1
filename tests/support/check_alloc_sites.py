#!/usr/bin/env python3
"""Every allocation site of the library is failed by a test (issue 13.9; meson test 'alloc-sites').

    check_alloc_sites.py LIB_DIR SITES_FILE [OOM_TEST_SOURCES...]

An allocation site is a function of LIB_DIR/*.c (alloc.c, which holds the wrappers, aside) that
calls one of the allocation wrappers (esv_malloc, esv_calloc, esv_realloc, the esv_buf_* and
esv_arena_* growers, and the esv_out_* / esv_json_write_string writers that grow a buffer)
directly; every allocation of the library goes through one of them. SITES_FILE lists each site once as `function  file  test`, where `test` is the test
function that fails every allocation of an operation reaching the site (a sweep N = 1, 2, … that
fails the Nth call), and the test must be defined in one of OOM_TEST_SOURCES. The test fails when a
site is missing from the list (a new allocation no test fails), when the list names a function
that no longer allocates, or when the named test does not exist.
"""
import os
import re
import sys

WRAPPERS = ("esv_malloc", "esv_calloc", "esv_realloc", "esv_buf_reserve", "esv_buf_append", "esv_buf_append_int",
            "esv_arena_alloc", "esv_arena_strndup", "esv_out_put", "esv_out_int", "esv_out_json_string",
            "esv_json_write_string")
DEFINITION = re.compile(r"^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\(([^;]*)$")


def sites(lib_dir):
    found = {}
    for name in sorted(os.listdir(lib_dir)):
        if not name.endswith(".c") or name == "alloc.c":
            continue
        current, depth = None, 0
        with open(os.path.join(lib_dir, name), encoding="utf-8") as f:
            for line in f:
                if depth == 0:
                    m = DEFINITION.match(line)
                    if m and not line.startswith((" ", "\t", "#", "/", "}")):
                        current = m.group(1)
                code = re.sub(r'"(?:\\.|[^"\\])*"', '""', line.split("//")[0])
                if current and depth > 0:
                    for w in WRAPPERS:
                        if re.search(r"\b" + w + r"\s*\(", code):
                            found[(current, name)] = name
                depth += code.count("{") - code.count("}")
                if depth == 0 and "}" in code:
                    current = None
    return found


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    lib_dir, sites_file, sources = argv[1], argv[2], argv[3:]
    tests = set()
    for src in sources:
        with open(src, encoding="utf-8") as f:
            tests |= set(re.findall(r"^static void (test_\w+)\(void \*\*state\)", f.read(), flags=re.M))
    listed, problems = {}, []
    with open(sites_file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#")[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3:
                problems.append(f"{sites_file}:{n}: expected 'function file test'")
                continue
            listed[(parts[0], parts[1])] = parts[2]  # static functions of the same name in two files
    actual = sites(lib_dir)
    for (fn, file) in sorted(actual):
        if (fn, file) not in listed:
            elsewhere = [f for (g, f) in listed if g == fn and (g, f) not in actual]
            if elsewhere:
                problems.append(f"{fn} is in {file}, not {elsewhere[0]}")
            else:
                problems.append(f"{file}: {fn} allocates, but {sites_file} names no test that fails it")
    for (fn, file), test in sorted(listed.items()):
        if (fn, file) not in actual and not any(g == fn and (g, f) in actual and (g, f) not in listed for (g, f) in actual):
            problems.append(f"{sites_file}: {fn} ({file}) does not allocate (any more)")
        if test not in tests:
            problems.append(f"{sites_file}: {fn}: no test function {test} in {', '.join(sources)}")
    if problems:
        print("check_alloc_sites: FAILED")
        for p in problems:
            print("  " + p)
        return 1
    print(f"check_alloc_sites: {len(actual)} allocation sites, each failed by a named test:")
    for (fn, file), test in sorted(listed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        print(f"  {file:18} {fn:36} {test}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
