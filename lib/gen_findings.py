#!/usr/bin/env python3
"""Compiles the message templates of lib/findings.def into op lists (lib/findings.c renders them).

Usage: gen_findings.py findings.def findings_ops.h

It also writes the fixed parts of each finding's result JSON (its code, and its cite or null),
escaped once here. Each template becomes a list of ops: a literal run (its bytes, and the same bytes escaped as the
content of a JSON string, so that the result writer copies them as they are), a value {name},
{name:a} or {name:b}, a condition {if:cond}, or {end}. A template that is not well formed (an
unclosed brace, a name with another suffix, {if:} without a name) stops the build here, with the
entry's id; a name or condition that findings.c does not define stops it at compile time
(V_name / C_name undeclared).
"""
import re
import sys

TOKEN = re.compile(r'\s+|/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|[(),]', re.S)
NAME = re.compile(r'[a-z][a-z0-9_]*\Z')


def fail(msg):
    sys.exit("gen_findings.py: " + msg)


def c_unquote(lit):
    body = lit[1:-1]
    out = bytearray()
    i = 0
    raw = body.encode("utf-8")
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C:  # backslash
            nxt = chr(raw[i + 1])
            simple = {'"': '"', '\\': '\\', 'n': '\n', 't': '\t', "'": "'"}
            if nxt not in simple:
                fail("unsupported escape \\%s" % nxt)
            out += simple[nxt].encode()
            i += 2
        else:
            out.append(ch)
            i += 1
    return bytes(out)


def entries(text):
    toks, pos = [], 0
    for m in TOKEN.finditer(text):
        if m.start() != pos:
            fail("findings.def: cannot read byte %d" % pos)
        pos = m.end()
        t = m.group(0)
        if not (t.isspace() or t.startswith("/")):
            toks.append(t)
    if pos != len(text):
        fail("findings.def: cannot read byte %d" % pos)
    i = 0
    while i < len(toks):
        if toks[i] != "ESV_FINDING" or toks[i + 1] != "(":
            fail("findings.def: expected ESV_FINDING(, got %r" % toks[i])
        i += 2
        args, cur, depth = [], [], 0
        while True:
            t = toks[i]
            i += 1
            if t == "(":
                depth += 1
            elif t == ")" and depth == 0:
                args.append(cur)
                break
            elif t == ")":
                depth -= 1
            if t == "," and depth == 0:
                args.append(cur)
                cur = []
            else:
                cur.append(t)
        if len(args) != 6:
            fail("findings.def: %s has %d fields, not 6" % (args[0] if args else "?", len(args)))
        ident = args[0][0]
        code = b"".join(c_unquote(t) for t in args[1])
        cite = None if args[3] == ["NULL"] else b"".join(c_unquote(t) for t in args[3])
        zh = b"".join(c_unquote(t) for t in args[4])
        en = b"".join(c_unquote(t) for t in args[5])
        yield ident, code, cite, zh, en


def json_escape(b):
    out = bytearray()
    for ch in b:
        if ch == 0x22:
            out += b'\\"'
        elif ch == 0x5C:
            out += b"\\\\"
        elif ch < 0x20:
            out += {0x08: b"\\b", 0x0C: b"\\f", 0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t"}.get(ch, b"\\u%04x" % ch)
        else:
            out.append(ch)
    return bytes(out)


def c_literal(b):
    s = b.decode("utf-8")
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def compile_template(ident, t):
    ops = []
    i = 0
    while i < len(t):
        j = t.find(b"{", i)
        if j < 0:
            j = len(t)
        if j > i:
            lit = t[i:j]
            if len(json_escape(lit)) > 0xFFFF:
                fail("%s: a literal run over 65535 bytes" % ident)
            if b"}" in lit:
                fail("%s: '}' without '{'" % ident)
            ops.append("{ESV_MSG_LIT, 0, 0, %d, %d, %s, %s}" % (len(lit), len(json_escape(lit)), c_literal(lit),
                                                                c_literal(json_escape(lit))))
        if j == len(t):
            break
        k = t.find(b"}", j)
        if k < 0:
            fail("%s: unclosed '{'" % ident)
        name = t[j + 1:k].decode()
        if name == "end":
            ops.append("{ESV_MSG_END, 0, 0, 0, 0, NULL, NULL}")
        elif name.startswith("if:"):
            cond = name[3:]
            if not NAME.match(cond):
                fail("%s: bad condition {%s}" % (ident, name))
            ops.append("{ESV_MSG_IF, C_%s, 0, 0, 0, NULL, NULL}" % cond)
        else:
            base, _, arg = name.partition(":")
            if not NAME.match(base) or arg not in ("", "a", "b"):
                fail("%s: bad slot {%s}" % (ident, name))
            if not arg and base in ("a", "b"):
                arg = base
            ops.append("{ESV_MSG_VALUE, V_%s, %s, 0, 0, NULL, NULL}" % (base, {"": "0", "a": "1", "b": "2"}[arg]))
        i = k + 1
    ops.append("{ESV_MSG_STOP, 0, 0, 0, 0, NULL, NULL}")
    return ops


def main():
    if len(sys.argv) != 3:
        fail("usage: gen_findings.py findings.def findings_ops.h")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    out = ["/* Generated by lib/gen_findings.py from lib/findings.def: the message templates as ops. */", ""]
    table = {"zh": [], "en": []}
    heads, cites = [], []
    for ident, code, cite, zh, en in entries(text):
        head = b'{"code":"' + json_escape(code) + b'","severity":"'
        heads.append("    [%s] = {%s, %d}," % (ident, c_literal(head), len(head)))
        tail = b',"cite":' + (b'"' + json_escape(cite) + b'"' if cite is not None else b"null")
        cites.append("    [%s] = {%s, %d}," % (ident, c_literal(tail), len(tail)))
        for lang, t in (("zh", zh), ("en", en)):
            name = "ops_%s_%s" % (lang, ident)
            out.append("static const esv_msg_op %s[] = {" % name)
            out += ["    %s," % op for op in compile_template(ident, t)]
            out.append("};")
            table[lang].append("    [%s] = %s," % (ident, name))
    out.append("")
    out.append("static const esv_msg_op *const msg_ops[2][ESV_CODE_COUNT] = {")
    out.append("  {")
    out += table["en"]
    out.append("  },")
    out.append("  {")
    out += table["zh"]
    out.append("  },")
    out.append("};")
    out.append("")
    out.append("/* The result JSON of a finding, before its severity and after its function. */")
    out.append("const esv_frag esv_code_json_head[ESV_CODE_COUNT] = {")
    out += heads
    out.append("};")
    out.append("const esv_frag esv_code_json_cite[ESV_CODE_COUNT] = {")
    out += cites
    out.append("};")
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
