-- wrk script: GET each path given after `--` in turn, so that one run loads a mix of pages.

local paths = {}
local turn = 0

function init(args)
  for index = 1, #args do
    paths[index] = args[index]
  end
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end
