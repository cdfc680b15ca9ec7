-- Open-model load for wrk: every connection sends on a fixed schedule whatever the latency of
-- the requests before (as independent users arrive), and each latency is measured from the
-- moment its request was due, not from when the connection was free to send it, so queueing in
-- the service shows in the percentiles instead of slowing the load down (coordinated omission,
-- which wrk's closed loop has and wrk2 corrects the same way).
--
--   OPEN_RATE=<req/s in all> OPEN_CONNECTIONS=<N> OPEN_WARMUP=<s> wrk -t<N> -c<N> -d<warm-up + measured s> -s bench/open.lua URL
--
-- Run with as many threads as connections (-t N -c N): wrk tells a script neither which
-- connection a request or an answer belongs to, so the schedule is kept per thread, and a thread
-- with one connection makes it a schedule per connection. Each connection sends OPEN_RATE / N
-- requests per second; a request whose answer came late is sent as soon as the answer is in
-- and its latency counts from when it was due. Requests due in the first OPEN_WARMUP seconds
-- (default 10) are sent but not recorded: the service's and wrk's first seconds are not the
-- steady state. Prints one line, OPENJSON {...}: requests due and answered in the measured
-- part, answers >= 400, and latency percentiles in microseconds (2 % resolution).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } open_timespec;
int clock_gettime(int clock, open_timespec *now);
]]
local clock = ffi.new("open_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local BUCKETS_PER_E = 50 -- a bucket per 2 % of latency

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local rate = tonumber(os.getenv("OPEN_RATE") or error("OPEN_RATE is needed"))
  -- wrk does not tell init how many threads there are: the runner passes -t in OPEN_CONNECTIONS
  local connections = tonumber(os.getenv("OPEN_CONNECTIONS") or error("OPEN_CONNECTIONS is needed"))
  interval = 1e6 * connections / rate
  warmup_us = tonumber(os.getenv("OPEN_WARMUP") or "10") * 1e6
  first = nil
  next_due = nil
  current_start = 0
  current_measured = false
  histogram = {}
  answered = 0
  errors = 0
  due = 0
  late_max = 0
end

function request()
  local now = now_us()
  if next_due == nil then
    first = now
    next_due = now
  end
  local this_due = next_due
  next_due = this_due + interval
  current_measured = this_due >= first + warmup_us
  if current_measured then
    due = due + 1
    if now - this_due > late_max then
      late_max = now - this_due
    end
  end
  -- sent at most 1 ms early (delay() is in whole ms): then measured from sending
  current_start = math.max(this_due, now)
  return wrk.format()
end

function delay()
  if next_due == nil then
    return 0
  end
  local wait = (next_due - now_us()) / 1000
  return (wait > 0) and wait or 0
end

function response(status, headers, body)
  if not current_measured then
    return
  end
  local latency = math.max(1, now_us() - current_start)
  local bucket = math.floor(math.log(latency) * BUCKETS_PER_E)
  histogram[bucket] = (histogram[bucket] or 0) + 1
  answered = answered + 1
  if status >= 400 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local merged, total, all_due, all_errors, late = {}, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    for bucket, n in pairs(thread:get("histogram")) do
      merged[bucket] = (merged[bucket] or 0) + n
      total = total + n
    end
    all_due = all_due + thread:get("due")
    all_errors = all_errors + thread:get("errors")
    late = math.max(late, thread:get("late_max"))
  end
  local buckets = {}
  for bucket in pairs(merged) do table.insert(buckets, bucket) end
  table.sort(buckets)
  local function percentile(p)
    local wanted, seen = math.ceil(total * p / 100), 0
    for _, bucket in ipairs(buckets) do
      seen = seen + merged[bucket]
      if seen >= wanted then
        return math.floor(math.exp((bucket + 1) / BUCKETS_PER_E))
      end
    end
    return 0
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'OPENJSON {"rate":%s,"due":%d,"completed":%d,"errors":%d,"socket_errors":%d,"lagMaxUs":%d,' ..
    '"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    os.getenv("OPEN_RATE"), all_due, total, all_errors, socket, late,
    percentile(50), percentile(99), percentile(99.9), percentile(100)))
end
