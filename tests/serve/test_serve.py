#!/usr/bin/env python3
"""Tests of `embedsvc serve` over loopback (issue 18): every route, every error status, the
byte-identity with the CLI on the conformance vectors, the OpenAPI document against real answers,
metrics, the decision log, the token, and SIGTERM with a request in flight.

Usage: test_serve.py EMBEDSVC_BINARY SOURCE_ROOT VECTOR_DIR...
"""
import concurrent.futures
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import jsonschema

BIN, ROOT = sys.argv[1], sys.argv[2]
VECTOR_DIRS = sys.argv[3:]
TMP = tempfile.mkdtemp(prefix="embedsvc-serve-test-")
failures = []
passed = 0


def check(name, cond, detail=""):
    global passed
    if cond:
        passed += 1
        print("ok   " + name)
    else:
        failures.append(name)
        print("FAIL " + name + (("\n     " + str(detail)[:1500]) if detail else ""))


class Server:
    """`embedsvc serve --listen 127.0.0.1:0 ARGS…`; reads the chosen port from stderr."""

    def __init__(self, *args):
        self.stderr_path = os.path.join(TMP, "serve-%d.err" % id(self))
        self.err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", *args], stdout=subprocess.PIPE,
                                     stderr=self.err)
        deadline = time.monotonic() + 60
        self.port = None
        while time.monotonic() < deadline and self.proc.poll() is None:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.stderr())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.02)
        if not self.port:
            raise RuntimeError("the server did not start: " + self.stderr())

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def conn(self, timeout=60):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        c = conn or self.conn()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        if not conn:
            c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def stop(self, sig=signal.SIGTERM, timeout=60):
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.err.close()
        return rc


def cli(*args, stdin=None):
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


# ---- the OpenAPI document and schema validation of answers ----

OPENAPI = json.load(open(os.path.join(ROOT, "tools", "openapi.json"), encoding="utf-8"))


def node_ref(ref):
    return ref.lstrip("#/").split("/")


def deref(node):
    while isinstance(node, dict) and "$ref" in node:
        target = OPENAPI
        for part in node_ref(node["$ref"]):
            target = target[part]
        node = target
    return node


def response_schema(path, method, status, ctype):
    op = OPENAPI["paths"][path][method.lower()]
    resp = deref(op["responses"][str(status)])
    content = resp["content"]
    base = ctype.split(";")[0].strip()
    for k, v in content.items():
        if k.split(";")[0].strip() == base:
            return v["schema"], resp
    raise KeyError("%s %s %d: no content %s in the OpenAPI document" % (method, path, status, ctype))


VALIDATOR_CLS = jsonschema.Draft202012Validator


def validate(route, method, status, headers, body):
    """Validates one answer against the OpenAPI document; returns a list of problems."""
    problems = []
    try:
        schema, resp = response_schema(route, method, status, headers.get("content-type", ""))
    except KeyError as e:
        return [str(e)]
    full = dict(schema)
    full["components"] = OPENAPI["components"]  # so that #/components/... refs resolve
    v = VALIDATOR_CLS(full)
    ctype = headers.get("content-type", "")
    if ctype.startswith("application/json"):
        docs = [json.loads(body)]
    elif ctype.startswith("application/x-ndjson"):
        docs = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    else:
        docs = [body.decode("utf-8")]
    for d in docs:
        for e in v.iter_errors(d):
            problems.append("%s at %s" % (e.message[:200], "/".join(map(str, e.absolute_path))))
    for h, spec in resp.get("headers", {}).items():
        if deref(spec).get("required") and h.lower() not in headers:
            problems.append("header %s missing" % h)
    return problems


schemas_ok = True
for name, s in OPENAPI["components"]["schemas"].items():
    try:
        VALIDATOR_CLS.check_schema(s)
    except jsonschema.SchemaError as e:
        schemas_ok = False
        print("schema %s: %s" % (name, e.message))
check("openapi: every component schema is a valid JSON Schema 2020-12", schemas_ok)
check("openapi: version 3.1", OPENAPI["openapi"].startswith("3.1"))


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


unresolved = []
for ref in refs(OPENAPI):
    try:
        deref({"$ref": ref})
    except (KeyError, TypeError):
        unresolved.append(ref)
check("openapi: every $ref resolves", not unresolved, unresolved)
ops = [(p, m, op) for p, item in OPENAPI["paths"].items() for m, op in item.items()]
check("openapi: every operation has an operationId, a 200 and a 400 answer",
      all("operationId" in op and "200" in op["responses"] and "400" in op["responses"] for _, _, op in ops)
      and len({op["operationId"] for _, _, op in ops}) == len(ops))


def has_provenance(h):
    return all(k in h for k in ("content-type", "x-embedsvc-engine", "x-embedsvc-policy-id",
                                "x-embedsvc-policy-version"))


# ---- the vectors ----

def cases():
    for d in VECTOR_DIRS:
        if os.path.isdir(os.path.join(d, "expected")):  # examples/projects
            for e in sorted(os.listdir(os.path.join(d, "expected"))):
                if os.path.exists(os.path.join(d, e)):
                    yield e, os.path.join(d, e), os.path.join(d, "expected", e), None
            continue
        for e in sorted(os.listdir(d)):
            full = os.path.join(d, e)
            if e.endswith(".project.json"):
                yield e, full, full.replace(".project.json", ".expected.json"), None
            elif os.path.isdir(full) and os.path.exists(os.path.join(full, "project.json")):
                pol = os.path.join(full, "policy.json")
                yield e, os.path.join(full, "project.json"), os.path.join(full, "expected.json"), (
                    pol if os.path.exists(pol) else None)


all_cases = list(cases())
check("vectors: at least 150 cases found", len(all_cases) >= 150, len(all_cases))

# group by policy file content: one server per distinct policy (ids repeat across files)
groups = {}
for c in all_cases:
    key = hashlib.sha256(open(c[3], "rb").read()).hexdigest() if c[3] else ""
    groups.setdefault(key, []).append(c)

# the CLI's answers first, in parallel (under valgrind each run takes seconds)
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    reference = dict(zip([c[1] for c in all_cases], pool.map(
        lambda c: cli(*(["--policy", c[3]] if c[3] else []), "check", "--json", c[1]), all_cases)))

identical = 0
mismatches = []
for key, group in groups.items():
    policy = group[0][3]
    srv = Server(*(["--policy", policy] if policy else []))
    conn = srv.conn()
    for name, project, expected, _ in group:
        body = open(project, "rb").read()
        status, h, data = srv.request("POST", "/v1/evaluate", body, conn=conn)
        rc, out, err = reference[project]
        exp = json.load(open(expected, encoding="utf-8")) if os.path.exists(expected) else {}
        if rc in (0, 1):
            ok = status == 200 and data == out and has_provenance(h)
            problems = validate("/v1/evaluate", "POST", status, h, data) if ok else []
            ok = ok and not problems
        else:
            e = json.loads(data).get("error", {}) if data else {}
            want = exp.get("error", {})
            ok = (status == 400 and all(e.get(k) == v for k, v in want.items() if k != "message")
                  and ("%d:%d: %s: %s" % (e.get("line", 0), e.get("column", 0), e.get("code"), e.get("message"))
                       in err or (e.get("line") == 0 and "%s: %s" % (e.get("code"), e.get("message")) in err))
                  and not validate("/v1/evaluate", "POST", status, h, data))
        if ok:
            identical += 1
        else:
            mismatches.append("%s: HTTP %d %r / CLI %d %r %s" % (name, status, data[:300], rc, out[:200], err[:200]))
    conn.close()
    check("SIGTERM exits 0 (policy group %s)" % (os.path.basename(os.path.dirname(policy)) if policy else "default"),
          srv.stop() == 0, srv.stderr())
check("evaluate: byte-identical to check --json (or the same error) on all %d vectors" % len(all_cases),
      identical == len(all_cases), "\n".join(mismatches[:5]))

# ---- one server with two policies and a decision log for the other routes ----

log_path = os.path.join(TMP, "decisions.jsonl")
reform = os.path.join(ROOT, "policies", "reform-cap-3000wan.json")
srv = Server("--policy", "default", "--policy", reform, "--decision-log", log_path, "--threads", "2")
project_path = os.path.join(ROOT, "examples", "projects", "renovated-complex.json")
project = open(project_path, "rb").read()
portfolio_path = os.path.join(ROOT, "examples", "projects", "portfolio.jsonl")
portfolio = open(portfolio_path, "rb").read()
reform_id = json.load(open(reform, encoding="utf-8"))["id"]
evaluations_logged = 0

status, h, data = srv.request("POST", "/v1/evaluate", project)
evaluations_logged += 1
first_decision = h.get("x-embedsvc-decision-id")
check("evaluate: 200 with provenance headers", status == 200 and has_provenance(h)
      and h["x-embedsvc-policy-id"] == "beijing-2024-trial" and h["x-embedsvc-engine"].startswith("libembedsvc "), h)
status, h, data = srv.request("POST", "/v1/evaluate?policy=" + reform_id, project)
evaluations_logged += 1
rc, out, _ = cli("--policy", reform, "check", "--json", project_path)
check("evaluate ?policy=ID: byte-identical to check --policy FILE --json", status == 200 and data == out
      and h["x-embedsvc-policy-id"] == reform_id, data[:200])

# batch: a JSON Lines input with every kind of line, sent whole and chunked
lines = []
for name, path, _, pol in all_cases:
    if pol:
        continue
    raw = open(path, "rb").read()
    try:
        lines.append(json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":")).encode())
    except ValueError:
        lines.append(raw.replace(b"\n", b" "))
lines += [b"", b"   ", b"{not json", b'{"id":"x"}\r', b"\xff\xfe", b"[]"]
jsonl = b"\n".join(lines) + b"\n" + lines[0]  # the last line without a newline
jsonl_path = os.path.join(TMP, "in.jsonl")
open(jsonl_path, "wb").write(jsonl)
rc, out, _ = cli("batch", jsonl_path)
status, h, data = srv.request("POST", "/v1/batch", jsonl)
check("batch: byte-identical to embedsvc batch (%d lines, errors and blank lines included)" % len(lines),
      status == 200 and data == out and rc == 1, (status, data[:300], out[:300]))
check("batch: answers validate against the OpenAPI document",
      not validate("/v1/batch", "POST", status, h, data), validate("/v1/batch", "POST", status, h, data)[:3])
check("batch: summary headers", h.get("x-embedsvc-batch-errors") not in (None, "0") and has_provenance(h), h)
evaluations_logged += int(h.get("x-embedsvc-batch-projects", "0"))


def chunks(data, size):
    for i in range(0, len(data), size):
        yield data[i:i + size]


c = srv.conn()
c.request("POST", "/v1/batch", body=chunks(jsonl, 977), encode_chunked=True,
          headers={"Transfer-Encoding": "chunked"})
r = c.getresponse()
cdata = r.read()
c.close()
check("batch: chunked upload in 977-byte pieces (lines split across chunks) gives the same bytes",
      r.status == 200 and cdata == out)
evaluations_logged += int(r.getheader("X-Embedsvc-Batch-Projects", "0"))

big = portfolio * 200  # about 10 MiB of results: kept in a temporary file, not in memory
big_path = os.path.join(TMP, "big.jsonl")
open(big_path, "wb").write(big)
rc, out, _ = cli("batch", big_path)
status, h, data = srv.request("POST", "/v1/batch", big)
check("batch: %d lines (%.1f MiB out, spooled) byte-identical" % (big.count(b"\n"), len(out) / 2 ** 20),
      status == 200 and data == out, (status, len(data), len(out)))
evaluations_logged += int(h.get("x-embedsvc-batch-projects", "0"))

# classify
texts = ["朝阳区双井街道养老服务驿站", "便利店", "扶残助残", "公共厕所", "xyz", "ＡＢＣ 托育", "社区卫生服务中心", "养老 托育"]
rc, out, _ = cli("classify", "--json", *texts)
status, h, data = srv.request("POST", "/v1/classify", json.dumps({"texts": texts}).encode(),
                              {"Content-Type": "application/json"})
doc = json.loads(data) if status == 200 else {}
served = [json.dumps(x, ensure_ascii=False, separators=(",", ":")).encode() for x in doc.get("classifications", [])]
check("classify: the objects of classify --json, in order", status == 200 and served == out.splitlines(),
      (data[:300], out[:300]))
check("classify: validates", not validate("/v1/classify", "POST", status, h, data))
status, h, data2 = srv.request("POST", "/v1/classify", "\n".join(texts).encode() + b"\r\n\n",
                               {"Content-Type": "text/plain; charset=utf-8"})
check("classify: text/plain, one text per line, gives the same answer", status == 200 and data2 == data)
for body, code, path in [(b'{"texts":["a",1]}', "parse.type", "/texts/1"), (b'{"text":[]}', "parse.unknown_field", "/text"),
                         (b'{}', "parse.missing_field", "/texts"), (b'{"texts":"a"}', "parse.type", "/texts"),
                         (b'{"texts":[],"texts":[]}', "parse.duplicate_key", "/texts"), (b'{"texts":["a"', "parse.syntax", ""),
                         (b'{"texts":["\\ud800"]}', "parse.encoding", ""), (b'{"texts":["\xff"]}', "parse.encoding", ""),
                         (b'[1]', "parse.type", ""), (b'{"texts":[null]}', "parse.type", "/texts/0")]:
    status, h, data = srv.request("POST", "/v1/classify", body)
    e = json.loads(data).get("error", {})
    check("classify: %r -> 400 %s at %r" % (body, code, path), status == 400 and e.get("code") == code
          and e.get("path") == path and not validate("/v1/classify", "POST", status, h, data), data)
status, h, data = srv.request("POST", "/v1/classify", b'{"texts":[\n  "a",\n  1]}')
e = json.loads(data)["error"]
check("classify: the error has the line and column of the value", (e["line"], e["column"]) == (3, 3), e)

# stage
for target in ["joint_review", "fund_approval", "disbursement"]:
    rc, out, _ = cli("stage", "--json", project_path, target)
    status, h, data = srv.request("POST", "/v1/stage?target=" + target, project)
    evaluations_logged += 1
    check("stage %s: byte-identical to stage --json" % target, status == 200 and data == out
          and not validate("/v1/stage", "POST", status, h, data), (data[:200], out[:200]))
status, h, data = srv.request("POST", "/v1/stage", project)
check("stage without target: 400 request.parameter", status == 400 and b"request.parameter" in data)
status, h, data = srv.request("POST", "/v1/stage?target=heaven", project)
check("stage with a bad target: 400 request.parameter", status == 400 and b"request.parameter" in data)

# compare
rc, out, _ = cli("compare", "--json", "--policy", "default", "--policy", reform, portfolio_path)
status, h, data = srv.request("POST", "/v1/compare", portfolio)
check("compare (all loaded policies): byte-identical to compare --json", status == 200 and data == out
      and h.get("x-embedsvc-policy-id") == "beijing-2024-trial, " + reform_id, (data[:200], out[:200], h))
check("compare: validates", not validate("/v1/compare", "POST", status, h, data),
      validate("/v1/compare", "POST", status, h, data)[:3])
rc, out, _ = cli("compare", "--json", "--policy", reform, "--policy", "default", portfolio_path)
status, h, data = srv.request("POST", "/v1/compare?policy=%s&policy=beijing-2024-trial" % reform_id, portfolio)
check("compare ?policy=B&policy=A: the baseline is the first, as compare --policy B --policy A",
      status == 200 and data == out)
# a document of several pieces: sent as it is written (chunked), the same bytes as the CLI's
big_lines = [l.replace(b'"id":"', b'"id":"R%d-' % k, 1) for k in range(1000) for l in portfolio.split(b"\n") if l.strip()]
big_path = os.path.join(TMP, "big-portfolio.jsonl")
with open(big_path, "wb") as f:
    f.write(b"\n".join(big_lines) + b"\n")
rc, out, _ = cli("compare", "--json", "--policy", "default", "--policy", reform, big_path)
status, h, data = srv.request("POST", "/v1/compare", b"\n".join(big_lines) + b"\n")
check("compare of %d bytes of JSON: byte-identical to compare --json, chunked" % len(out),
      len(out) > 4 * 256 * 1024 and status == 200 and data == out and h.get("transfer-encoding") == "chunked"
      and "content-length" not in h, (status, len(data), len(out), h))

# policies
status, h, data = srv.request("GET", "/v1/policies")
doc = json.loads(data)
check("policies: both, the first the default", status == 200 and [p["id"] for p in doc["policies"]]
      == ["beijing-2024-trial", reform_id] and doc["policies"][0]["default"]
      and not validate("/v1/policies", "GET", status, h, data))
for pid, pfile in [("beijing-2024-trial", "default"), (reform_id, reform)]:
    rc, out, _ = cli("policy", "show", "--policy", pfile)
    status, h, data = srv.request("GET", "/v1/policies/" + pid)
    check("policies/%s: byte-identical to policy show" % pid, status == 200 and data == out
          and h["x-embedsvc-policy-id"] == pid and not validate("/v1/policies/{id}", "GET", status, h, data))
status, h, data = srv.request("HEAD", "/v1/policies/beijing-2024-trial")
check("HEAD on a GET route: 200 without a body", status == 200 and data == b"")

# health, metrics, openapi
for path, want in [("/healthz", b'{"status":"ok"}\n'), ("/readyz", b'{"status":"ready"}\n')]:
    status, h, data = srv.request("GET", path)
    check(path + ": 200", status == 200 and data == want and has_provenance(h)
          and not validate(path, "GET", status, h, data))
status, h, data = srv.request("GET", "/openapi.json")
check("openapi.json: the document of the repository, compiled in",
      status == 200 and json.loads(data) == OPENAPI and not validate("/openapi.json", "GET", status, h, data))
documented = set(OPENAPI["paths"])
check("openapi: documents every route", documented == {"/v1/evaluate", "/v1/batch", "/v1/classify", "/v1/stage",
                                                        "/v1/compare", "/v1/policies", "/v1/policies/{id}",
                                                        "/healthz", "/readyz", "/metrics", "/openapi.json"}, documented)

# errors
status, h, data = srv.request("POST", "/v1/evaluate", b'{"id": "x",\n "build_mode": tru}')
e = json.loads(data)["error"]
rc, out, err = cli("check", "--json", "-", stdin=b'{"id": "x",\n "build_mode": tru}')
check("bad JSON: 400 with code, line, column and path as the CLI", status == 400 and e["code"] == "parse.syntax"
      and "%d:%d: %s: %s" % (e["line"], e["column"], e["code"], e["message"]) in err
      and not validate("/v1/evaluate", "POST", status, h, data), (e, err))
status, h, data = srv.request("POST", "/v1/evaluate", b'{"id":"x","build_mode":"new","total_investment":"1.001","functions":[]}')
check("bad money: 400 money.precision at /total_investment", status == 400
      and json.loads(data)["error"]["path"] == "/total_investment")
status, h, data = srv.request("GET", "/v1/nothing")
check("unknown route: 404 http.not_found", status == 404 and json.loads(data)["error"]["code"] == "http.not_found"
      and has_provenance(h))
status, h, data = srv.request("GET", "/v1/evaluate")
check("wrong method: 405 with Allow: POST", status == 405 and h.get("allow") == "POST" and has_provenance(h)
      and not validate("/v1/evaluate", "POST", 405, h, data))
status, h, data = srv.request("DELETE", "/v1/policies")
check("wrong method on a GET route: 405 with Allow: GET, HEAD", status == 405 and h.get("allow") == "GET, HEAD")
status, h, data = srv.request("POST", "/v1/evaluate?policy=nope", project)
check("unknown policy: 404 policy.unknown", status == 404 and json.loads(data)["error"]["code"] == "policy.unknown"
      and not validate("/v1/evaluate", "POST", 404, h, data))
status, h, data = srv.request("GET", "/v1/policies/nope")
check("unknown policy id: 404 policy.unknown", status == 404 and b"policy.unknown" in data)
status, h, data = srv.request("POST", "/v1/evaluate?polcy=x", project)
check("unknown query parameter: 400 request.parameter", status == 400 and b"request.parameter" in data)
status, h, data = srv.request("GET", "/healthz?verbose=1")
check("a GET route with a parameter it does not take: 400, documented", status == 400
      and not validate("/healthz", "GET", 400, h, data))
status, h, data = srv.request("POST", "/v1/batch?policy=nope", b"{}\n")
check("batch with an unknown policy: 404 before reading the lines", status == 404
      and not validate("/v1/batch", "POST", 404, h, data))


def raw_exchange(head, body=b"", wait=10.0):
    """Sends raw bytes; returns (status, headers text, seconds until the answer)."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=wait)
    t = time.monotonic()
    s.sendall(head + body)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        pass
    s.close()
    first = got.split(b"\r\n", 1)[0].decode("latin-1")
    m = re.match(r"HTTP/1\.[01] (\d+)", first)
    return (int(m.group(1)) if m else 0), got.decode("latin-1"), time.monotonic() - t


status, text, secs = raw_exchange(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 16777217\r\n\r\n")
check("413 from Content-Length before any byte of the body is sent (%.2f s)" % secs,
      status == 413, text[:300])
status, text, secs = raw_exchange(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 16777216\r\n"
                                  b"Expect: 100-continue\r\n\r\n")
check("exactly 16 MiB announced: 100 Continue, not 413", status == 100, text[:200])
c = srv.conn()
c.request("POST", "/v1/evaluate", body=chunks(b" " * (16 * 2 ** 20 + 10), 1 << 20), encode_chunked=True,
          headers={"Transfer-Encoding": "chunked"})
r = c.getresponse()
data = r.read()
c.close()
check("413 for a chunked upload over 16 MiB (counted while streaming)", r.status == 413
      and json.loads(data)["error"]["code"] == "parse.limit")

# metrics
status, h, data = srv.request("GET", "/metrics")
text = data.decode()
m = re.search(r'^embedsvc_http_requests_total\{route="/v1/evaluate",code="200"\} (\d+)$', text, re.M)
check("metrics: requests by route and status", status == 200 and m and int(m.group(1)) == 2
      and re.search(r'^embedsvc_http_requests_total\{route="unmatched",code="404"\} 1$', text, re.M)
      and re.search(r'^embedsvc_http_requests_total\{route="/v1/evaluate",code="413"\} [12]$', text, re.M), text[:800])
check("metrics: a latency histogram with +Inf, _sum and _count",
      re.search(r'^embedsvc_http_request_duration_seconds_bucket\{route="/v1/evaluate",le="\+Inf"\} \d+$', text, re.M)
      and "embedsvc_http_request_duration_seconds_count{route=\"/v1/batch\"} 4" in text  # 3 batches, one 404
      and "# TYPE embedsvc_http_request_duration_seconds histogram" in text)
m = re.search(r"^embedsvc_evaluations_total (\d+)$", text, re.M)
check("metrics: evaluations and errors", m and int(m.group(1)) >= evaluations_logged
      and re.search(r"^embedsvc_evaluation_errors_total [1-9]\d*$", text, re.M), text[-1200:])
check("metrics: text/plain exposition format", h["content-type"].startswith("text/plain; version=0.0.4"))
for line in text.splitlines():
    if not line.startswith("#") and not re.match(r'^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$', line):
        check("metrics: every sample line is well-formed", False, line)
        break
else:
    check("metrics: every sample line is well-formed", True)

rc = srv.stop(signal.SIGINT)
check("SIGINT: exit 0", rc == 0, srv.stderr())
log = [json.loads(line) for line in open(log_path, encoding="utf-8")]
check("decision log: one line per decision (%d)" % evaluations_logged, len(log) == evaluations_logged,
      (len(log), evaluations_logged))
first = log[0] if log else {}
check("decision log: time, route, policy, project id, eligible, total_fen, duration",
      all(k in first for k in ("time", "decision_id", "route", "policy", "project_id", "eligible", "total_fen",
                               "duration_us")) and first["route"] == "/v1/evaluate"
      and first["project_id"] == "BJ-2025-XC-0012" and first["policy"] == {"id": "beijing-2024-trial", "version": "1"},
      first)
check("decision log: X-Embedsvc-Decision-Id names the decision's line",
      first_decision is not None and any(x["decision_id"] == int(first_decision) and x["route"] == "/v1/evaluate"
                                         for x in log), first_decision)
check("decision log: batch lines carry their line number",
      any(x["route"] == "/v1/batch" and x.get("line") == 1 for x in log))
check("decision log: decision ids are unique", len({x["decision_id"] for x in log}) == len(log))

# ---- token ----
tok = os.path.join(TMP, "token")
open(tok, "w").write("s3cr3t-t0ken\n")
srv = Server("--token-file", tok)
status, h, data = srv.request("POST", "/v1/evaluate", project)
check("token: no Authorization -> 401 with WWW-Authenticate", status == 401 and "www-authenticate" in h
      and not validate("/v1/evaluate", "POST", 401, h, data))
status, h, data = srv.request("POST", "/v1/evaluate", project, {"Authorization": "Bearer s3cr3t-t0keN"})
check("token: a wrong token -> 401", status == 401)
status, h, data = srv.request("POST", "/v1/evaluate", project, {"Authorization": "Bearer s3cr3t-t0ke"})
check("token: a prefix of the token -> 401", status == 401)
status, h, data = srv.request("POST", "/v1/evaluate", project, {"Authorization": "Bearer s3cr3t-t0ken"})
check("token: the right token -> 200", status == 200)
status, h, data = srv.request("GET", "/metrics")
check("token: /metrics needs it too", status == 401)
status, h, data = srv.request("GET", "/healthz")
check("token: /healthz does not", status == 200)
check("token server: SIGTERM exit 0", srv.stop() == 0)

# ---- SIGTERM with a request in flight ----
srv = Server("--drain-timeout", "30")
s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
half = len(portfolio) // 2
s.sendall(b"POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(portfolio) + portfolio[:half])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:  # until the server has the request (in flight: it and this one)
    _, _, m = srv.request("GET", "/metrics")
    if b"\nembedsvc_http_requests_in_flight 2\n" in m:
        break
    time.sleep(0.05)
srv.proc.send_signal(signal.SIGTERM)
refused = False
deadline = time.monotonic() + 30
while not refused and time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
        time.sleep(0.05)
    except OSError:
        refused = True
check("SIGTERM: new connections are refused", refused)
time.sleep(0.3)
check("SIGTERM: the server waits for the request in flight", srv.proc.poll() is None)
s.sendall(portfolio[half:])
got = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
    head, _, body = got.partition(b"\r\n\r\n")
    m = re.search(rb"Content-Length: (\d+)", head, re.I)
    if m and len(body) >= int(m.group(1)):
        break
s.close()
rc, out, _ = cli("batch", portfolio_path)
check("SIGTERM: the request in flight completes with the full answer",
      got.startswith(b"HTTP/1.1 200") and got.partition(b"\r\n\r\n")[2] == out, got[:300])
try:
    rc = srv.proc.wait(30)
except subprocess.TimeoutExpired:
    rc = None
check("SIGTERM: exit 0 after the drain", rc == 0, srv.stderr())

# ---- IPv6 loopback ----
if socket.has_ipv6 and os.path.exists("/proc/net/if_inet6") and open("/proc/net/if_inet6").read().strip():
    err6 = open(os.path.join(TMP, "v6.err"), "wb")
    p6 = subprocess.Popen([BIN, "serve", "--listen", "[::1]:0"], stderr=err6)
    port6 = None
    for _ in range(3000):
        m = re.search(r"listening on http://\[::1\]:(\d+)", open(os.path.join(TMP, "v6.err")).read())
        if m or p6.poll() is not None:
            port6 = m and int(m.group(1))
            break
        time.sleep(0.02)
    ok6 = False
    if port6:
        c6 = http.client.HTTPConnection("::1", port6, timeout=60)
        c6.request("GET", "/healthz")
        ok6 = c6.getresponse().status == 200
        c6.close()
    p6.send_signal(signal.SIGTERM)
    check("--listen [::1]:0: serves on IPv6 loopback, exit 0", ok6 and p6.wait(60) == 0,
          open(os.path.join(TMP, "v6.err")).read())
    err6.close()
else:
    print("skip IPv6 loopback (no IPv6 here)")

# ---- start-up errors ----
rc, out, err = cli("serve", "--listen", "nowhere")
check("serve --listen without a port: exit 2", rc == 2 and "HOST:PORT" in err, err)
rc, out, err = cli("serve", "--policy", "default", "--policy", "default")
check("serve: two policies with one id: exit 2", rc == 2 and "already loaded" in err, err)
rc, out, err = cli("serve", "--frobnicate")
check("serve: unknown option: exit 2", rc == 2)
rc, out, err = cli("serve", "--help")
check("serve --help documents routes and options", rc == 0 and all(
    w.encode() in out for w in ("/v1/evaluate", "/v1/batch", "/v1/classify", "/v1/stage", "/v1/compare", "/metrics",
                                "/openapi.json", "--listen", "--policy", "--threads", "--decision-log",
                                "--token-file", "SIGTERM", "0.0.0.0")))

print("%d passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)
