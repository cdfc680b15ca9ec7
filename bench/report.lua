-- wrk hooks: count responses by status and print one machine-readable summary line.
-- Latencies are in microseconds; errors are wrk's socket errors plus non-2xx/3xx statuses.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  counter = math.random(0, 1000000)
end

-- WRK_CLIENTS=n: each request names one of n clients in X-Forwarded-For (the service must
-- trust 127.0.0.1 as a proxy), so per-client rate limits see many clients, as in production,
-- rather than one bucket that every connection contends for. wrk then builds every request
-- in Lua (a little more of the load generator's CPU).
local clients = tonumber(os.getenv("WRK_CLIENTS") or "0")
if clients > 0 then
  request = function()
    counter = counter + 1
    local n = counter % clients
    wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256,
      math.floor(n / 256) % 256, n % 256)
    return wrk.format()
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local byStatus = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      byStatus[status] = (byStatus[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(byStatus) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"mean_us":%.1f,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    table.concat(parts, ",")))
end
