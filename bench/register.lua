-- wrk script: a burst of registrations for one seminar, each request a new person from an
-- address of their own (X-Forwarded-For, as nginx would send it), so that the site's
-- per-client limit counts each as the visitor it stands for.
-- Arguments after `--`: the csrftoken cookie value, then a csrfmiddlewaretoken made from it.
-- Prints one line, BENCH_RESULT followed by JSON, for the bench to read.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = args[2]
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. args[1],
  }
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  -- Thread number and a per-thread counter make every email address and client unique.
  headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", thread_number, math.floor(sent / 256) % 256, sent % 256
  )
  local body = "name=Bench+Registrant&consent=on&homepage=&csrfmiddlewaretoken=" .. token
    .. "&email=bench-" .. thread_number .. "-" .. sent .. "%40example.org"
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"duration_us": %d, "requests": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d, "statuses": {%s}}\n',
    summary.duration, summary.requests,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(parts, ", ")
  ))
end
