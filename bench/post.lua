-- wrk script for bench/run.sh: POSTs a fixed body and prints one machine-readable summary line.
-- Environment:
--   BENCH_BODY_FILE     the body, sent as is
--   BENCH_CONTENT_TYPE  its Content-Type
--   BENCH_AUTH          optional Authorization header value ("Token <t>", as Mattermost sends it)
--   BENCH_UNIQUE        optional 26-character substring of the body replaced in every request by a
--                       fresh 26-character id (run id, thread, counter): Mattermost gives each
--                       command invocation its own response_url, so the bench does too
--   BENCH_RUN_ID        4 characters that make the ids of one run differ from the other runs'
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/octet-stream"
wrk.headers["Accept"] = "application/json"
wrk.headers["User-Agent"] = "Mattermost-Bot/1.1"
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local unique = os.getenv("BENCH_UNIQUE") or ""
local run_id = string.sub((os.getenv("BENCH_RUN_ID") or "") .. "xxxx", 1, 4)
local pre, post, prefix
local counter = 0
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function init(args)
  if unique ~= "" then
    local s, e = string.find(body, unique, 1, true)
    assert(s, "BENCH_UNIQUE not found in the body")
    pre, post = string.sub(body, 1, s - 1), string.sub(body, e + 1)
    prefix = run_id .. string.format("%02d", tid or 0)
  end
end

if unique ~= "" then
  function request()
    counter = counter + 1
    return wrk.format(nil, nil, nil, pre .. prefix .. string.format("%020d", counter) .. post)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
