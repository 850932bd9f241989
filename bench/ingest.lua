-- wrk script of bench/ingest: sends pre-signed Twilio SMS webhooks, each exactly once.
--
--   wrk -s bench/ingest.lua URL -- REQUESTS_FILE THREADS [RATE]
--
-- REQUESTS_FILE holds one request a line, "<X-Twilio-Signature> <urlencoded form body>"
-- (bench/ingest writes it). Thread k of THREADS (wrk -t, counted from 0) takes lines k, k +
-- THREADS, k + 2 THREADS, ...: disjoint slices, so no request is sent twice. A thread that
-- runs out of requests stops (and done() says so: the file was too short for the run).
-- RATE (requests/s over all threads; 0 or absent: as fast as the server answers) paces the
-- requests with delay(): each thread hands out send slots RATE / THREADS per second, one per
-- request, to whichever of its connections is free (an approximation of a fixed rate on top
-- of wrk's closed loop; latency is measured from the send, not from the slot). Slots missed
-- by more than catch_up_ms (a stall of the server or of wrk) are dropped, not sent in a burst.
-- done() prints one line, "ingest.lua: key=value ...", which bench/ingest reads.
local ffi = require("ffi")
ffi.cdef [[
  struct ingest_timespec { long tv_sec; long tv_nsec; };
  int clock_gettime(int clock_id, struct ingest_timespec *tp);
]]
local timespec = ffi.new("struct ingest_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads, rate = args[1], tonumber(args[2]), tonumber(args[3] or "0")
  local path = "/webhooks/twilio/sms"
  local host = wrk.headers["Host"] or "127.0.0.1"
  requests, sent, exhausted = {}, 0, 0
  local line_no = 0
  for line in io.lines(file) do
    if line_no % nthreads == id then
      local signature, body = line:match("^(%S+) (%S+)$")
      requests[#requests + 1] = table.concat({
        "POST ", path, " HTTP/1.1\r\n",
        "Host: ", host, "\r\n",
        "User-Agent: TwilioProxy/1.1\r\n",
        "Accept: */*\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\n",
        "X-Twilio-Signature: ", signature, "\r\n",
        "Content-Length: ", #body, "\r\n\r\n",
        body})
    end
    line_no = line_no + 1
  end
  if rate > 0 then
    interval_ms = 1000 * nthreads / rate
    next_slot = nil
    delay = paced_delay -- defined only when pacing: wrk checks for delay() once, after init
  end
end

local catch_up_ms = 5

function paced_delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now - catch_up_ms then next_slot = now - catch_up_ms end
  local wait = next_slot - now
  next_slot = next_slot + interval_ms
  if wait <= 0 then return 0 end -- a slot due now or missed (within catch_up_ms): send at once
  return math.floor(wait)
end

function request()
  sent = sent + 1
  local r = requests[sent]
  if r == nil then
    exhausted = 1
    wrk.thread:stop()
    return requests[#requests] -- never sent: the thread is stopping
  end
  return r
end

function done(summary, latency, _)
  local taken, exhausted_threads = 0, 0
  for _, thread in ipairs(threads) do
    taken = taken + thread:get("sent")
    exhausted_threads = exhausted_threads + thread:get("exhausted")
  end
  local e = summary.errors
  print(string.format(
    "ingest.lua: requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d " ..
    "taken=%d exhausted_threads=%d",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, taken, exhausted_threads))
end
