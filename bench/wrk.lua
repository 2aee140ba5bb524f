-- The load generator's script (wrk -s bench/wrk.lua): the same for every HTTP benchmark.
-- BENCH_PATHS: paths separated by "|", taken in turn; BENCH_TOKEN / BENCH_AUTH_SCHEME: the
-- Authorization header; BENCH_METHOD and BENCH_BODY: for POSTs (a JSON body); BENCH_CACHE_CONTROL:
-- a Cache-Control header ("no-cache" asks for an answer built afresh);
-- BENCH_IF_NONE_MATCH: ETags separated by "|", one per path in BENCH_PATHS's order, sent as
-- If-None-Match (a client polling with the ETag of its last answer);
-- BENCH_EXPECT_STATUS: when set (e.g. 304), every answer with another status is counted in
-- "unexpected" (wrk itself counts only statuses of 400 and above as errors).
-- done() prints one line "BENCH_JSON {...}" that bench/load.py reads.

local function split(value)
  local out = {}
  for p in string.gmatch(value or "", "[^|]+") do
    table.insert(out, p)
  end
  return out
end

local paths = split(os.getenv("BENCH_PATHS") or "/")
local etags = split(os.getenv("BENCH_IF_NONE_MATCH"))
local token = os.getenv("BENCH_TOKEN")
local scheme = os.getenv("BENCH_AUTH_SCHEME") or "Token"
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cache_control = os.getenv("BENCH_CACHE_CONTROL")
local expect = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "")
local counter = 0
local threads = {}
-- Global, so that done() can read each thread's count with thread:get().
unexpected = 0

setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  local n = (counter % #paths) + 1
  local headers = {}
  if token and token ~= "" then
    headers["Authorization"] = scheme .. " " .. token
  end
  if cache_control and cache_control ~= "" then
    headers["Cache-Control"] = cache_control
  end
  if etags[n] then
    headers["If-None-Match"] = etags[n]
  end
  if body and body ~= "" then
    headers["Content-Type"] = "application/json"
    return wrk.format(method, paths[n], headers, body)
  end
  return wrk.format(method, paths[n], headers)
end

-- Only when a status is expected: wrk hands every answer's headers and body to a response()
-- function, which costs the load generator time the other benchmarks need not spend.
if expect then
  response = function(status, headers, answer)
    if status ~= expect then
      unexpected = unexpected + 1
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local others = 0
  for _, thread in ipairs(threads) do
    others = others + (thread:get("unexpected") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "status_errors": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"unexpected_status": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    others, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean))
end
