-- wrk script: every request from a visitor of its own, as nginx would tell the site
-- (X-Forwarded-For), so that no per-client limit applies: many people making the same
-- request, each once in a while.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  sent = 0
end

function request()
  sent = sent + 1
  local visitor = id * 1000000 + sent
  local address = string.format(
    "10.%d.%d.%d",
    math.floor(visitor / 65536) % 256, math.floor(visitor / 256) % 256, visitor % 256
  )
  return wrk.format("GET", nil, { ["X-Forwarded-For"] = address })
end
