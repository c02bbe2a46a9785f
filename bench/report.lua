-- wrk script: POST 8-GPU reports, each request with the next rig's token, so the
-- server sees many distinct rigs (as in a real fleet), not one rig hammering.
-- Tokens come from the file named by the TOKENS environment variable.

local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end

local gpus = {}
for i = 0, 7 do
  gpus[#gpus + 1] = string.format(
    '{"index":%d,"hashrate_hs":31000000.5,"temp_c":%d,"mem_temp_c":84,"fan_pct":70,' ..
    '"power_w":118.5,"core_clock_mhz":1500,"mem_clock_mhz":7000,"util_pct":100}', i, 60 + i)
end
local body = '{"uptime_s":86400,"cpu_load":0.31,"mem_free_mb":2100,"disk_free_mb":5200,' ..
  '"config_version":"bench","miner":{"name":"trex","version":"0.26.8","algo":"kawpow",' ..
  '"running":true,"uptime_s":3600,"hashrate_hs":248000004,' ..
  '"shares":{"accepted":1200,"rejected":3,"invalid":0}},"gpus":[' .. table.concat(gpus, ",") ..
  '],"watchdog":{"miner_restarts":0,"last_action":null}}'

local counter = 0
local thread_offset = 0

function setup(thread)
  thread:set("thread_offset", math.random(1, #tokens))
end

function request()
  counter = counter + 1
  local token = tokens[((counter + thread_offset) % #tokens) + 1]
  return wrk.format("POST", "/api/rig/v1/report",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
