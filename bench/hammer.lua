-- wrk script: clients hammering search, run with as many threads as connections so that
-- each thread is one client. Each sends its own X-Forwarded-For, as nginx would for a
-- client at that address, so the site's per-client limit tells them apart, and searches for
-- one pair of the words given after `--` after another, so that its searches are not
-- answered from the page cache (the first client's pairs are the others' too, later).
-- Prints one line, BENCH_RESULT followed by JSON: each client's answers by status.

local threads = {}

function setup(thread)
  thread:set("client", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  headers = { ["X-Forwarded-For"] = "10.99.0." .. client }
  statuses = {}
  words = args
  sent = 0
end

function request()
  local pair = (client - 1) * 7 + sent
  sent = sent + 1
  local first = words[pair % #words + 1]
  local second = words[(math.floor(pair / #words) + client) % #words + 1]
  return wrk.format("GET", "/search/?q=" .. first .. "+" .. second, headers)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local clients = {}
  for _, thread in ipairs(threads) do
    local parts = {}
    for status, count in pairs(thread:get("statuses")) do
      table.insert(parts, string.format('"%s": %d', status, count))
    end
    table.insert(clients, "{" .. table.concat(parts, ", ") .. "}")
  end
  io.write('BENCH_RESULT {"clients": [' .. table.concat(clients, ", ") .. ']}\n')
end
