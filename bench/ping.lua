-- wrk script: the trivial POST endpoint (no auth, no database) through the same stack.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "{}"
wrk.path = "/api/rig/v1/ping"

function done(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
