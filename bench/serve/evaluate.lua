-- wrk script: POST one project to /v1/evaluate and print a machine-readable summary.
-- Usage: wrk -t T -c C -d D --latency -s bench/serve/evaluate.lua http://127.0.0.1:PORT/v1/evaluate -- PROJECT.json
function init(args)
   local f = assert(io.open(args[1], "rb"))
   wrk.body = f:read("*a")
   f:close()
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
      '"p50_us":%d,"p99_us":%d,"max_us":%d,"rps":%.1f}\n',
      summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max,
      summary.requests / (summary.duration / 1e6)))
end
