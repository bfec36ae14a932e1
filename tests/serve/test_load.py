#!/usr/bin/env python3
"""A bounded load test of `embedsvc serve` (issue 18): wrk with 64 connections for 5 s on loopback,
POSTing a valid project to /v1/evaluate. Every answer must be 2xx (wrk's count, and the server's
own /metrics), no socket errors. Then a 22 MB portfolio streams through /v1/batch and
/v1/compare with the server's peak RSS growing by at most 16 MiB, and the server must exit 0 on
SIGTERM (under the ASan build that also means no leak).

Usage: test_load.py EMBEDSVC_BINARY SOURCE_ROOT WRK
"""
import http.client
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import os

BIN, ROOT, WRK = sys.argv[1:4]
err = tempfile.NamedTemporaryFile(prefix="embedsvc-serve-load-", suffix=".err", delete=False)
proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--threads", "2", "--decision-log", os.devnull],
                        stderr=err)
port = None
for _ in range(3000):
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(err.name).read())
    if m:
        port = int(m.group(1))
        break
    if proc.poll() is not None:
        break
    time.sleep(0.02)
if not port:
    sys.exit("the server did not start: " + open(err.name).read())

project = os.path.join(ROOT, "examples", "projects", "renovated-complex.json")
wrk = subprocess.run([WRK, "-t", "2", "-c", "64", "-d", "5s", "--timeout", "10s", "--latency",
                      "-s", os.path.join(ROOT, "bench", "serve", "evaluate.lua"),
                      "http://127.0.0.1:%d/v1/evaluate" % port, "--", project],
                     capture_output=True, text=True, timeout=120)
print(wrk.stdout)
m = re.search(r"^WRK_JSON (\{.*\})$", wrk.stdout, re.M)
failures = []
if wrk.returncode != 0 or not m:
    failures.append("wrk failed: %s %s" % (wrk.returncode, wrk.stderr))
    s = {}
else:
    s = json.loads(m.group(1))
    if s["requests"] < 100:
        failures.append("only %d requests in 5 s" % s["requests"])
    if s["non2xx"]:
        failures.append("%d non-2xx answers" % s["non2xx"])
    for k in ("connect", "read", "write", "timeout"):
        if s[k]:
            failures.append("%d socket %s errors" % (s[k], k))

metrics = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=30).read().decode()
ok_count = 0
for route, code, n in re.findall(r'^embedsvc_http_requests_total\{route="([^"]+)",code="([^"]+)"\} (\d+)$', metrics,
                                 re.M):
    if route == "/v1/evaluate":
        if code == "200":
            ok_count = int(n)
        elif int(n):
            failures.append("the server counted %s answers %s" % (n, code))
# wrk stops at the deadline with requests still open, which it does not count: the server may count a few more
if s and not s["requests"] <= ok_count <= s["requests"] + 64:
    failures.append("the server counted %d answers 200, wrk %d requests" % (ok_count, s["requests"]))

# bounded memory: a portfolio of 31,000 lines (about 22 MB in, 57 MB out) streamed through
# /v1/batch and /v1/compare grows the server's peak RSS by far less than either
def vm_hwm_kib():
    for line in open("/proc/%d/status" % proc.pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


portfolio = open(os.path.join(ROOT, "examples", "projects", "portfolio.jsonl"), "rb").read()
copies = 1000


def body():
    for _ in range(copies):
        yield portfolio


instrumented = b"AddressSanitizer" in open(BIN, "rb").read()  # ASan's quarantine holds freed memory
before = vm_hwm_kib()
for route in ("/v1/batch", "/v1/compare"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("POST", route, body=body(), encode_chunked=True, headers={"Transfer-Encoding": "chunked"})
    r = c.getresponse()
    n = 0
    while True:
        chunk = r.read(1 << 20)
        if not chunk:
            break
        n += len(chunk)
    c.close()
    if r.status != 200:
        failures.append("%s of %d copies of the portfolio: HTTP %d" % (route, copies, r.status))
    print("%s: %d bytes in, %d bytes out" % (route, copies * len(portfolio), n))
growth = (vm_hwm_kib() - before) / 1024
print("peak RSS growth over both: %.1f MiB%s" % (growth, " (ASan build: not checked)" if instrumented else ""))
if not instrumented and growth > 16:
    failures.append("peak RSS grew by %.1f MiB for a streamed portfolio" % growth)

proc.send_signal(signal.SIGTERM)
try:
    rc = proc.wait(120)
except subprocess.TimeoutExpired:
    proc.kill()
    rc = "killed"
log = open(err.name).read()
os.unlink(err.name)
if rc != 0:
    failures.append("exit status %s after SIGTERM:\n%s" % (rc, log[-4000:]))
if s:
    print("%d requests, %.0f/s, p50 %.2f ms, p99 %.2f ms, 0 non-2xx" % (s["requests"], s["rps"], s["p50_us"] / 1000,
                                                                        s["p99_us"] / 1000))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
