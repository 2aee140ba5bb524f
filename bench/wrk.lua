-- The load generator's script (wrk -s bench/wrk.lua): the same for every HTTP benchmark.
-- BENCH_PATHS: paths separated by "|", taken in turn; BENCH_TOKEN / BENCH_AUTH_SCHEME: the
-- Authorization header; BENCH_METHOD and BENCH_BODY: for POSTs (a JSON body); BENCH_CACHE_CONTROL:
-- a Cache-Control header ("no-cache" asks the claim list for a fresh answer).
-- done() prints one line "BENCH_JSON {...}" that bench/load.py reads.

local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do
  table.insert(paths, p)
end
local token = os.getenv("BENCH_TOKEN")
local scheme = os.getenv("BENCH_AUTH_SCHEME") or "Token"
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cache_control = os.getenv("BENCH_CACHE_CONTROL")
local counter = 0

request = function()
  counter = counter + 1
  local headers = {}
  if token and token ~= "" then
    headers["Authorization"] = scheme .. " " .. token
  end
  if cache_control and cache_control ~= "" then
    headers["Cache-Control"] = cache_control
  end
  if body and body ~= "" then
    headers["Content-Type"] = "application/json"
    return wrk.format(method, paths[(counter % #paths) + 1], headers, body)
  end
  return wrk.format(method, paths[(counter % #paths) + 1], headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "status_errors": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
