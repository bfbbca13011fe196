-- wrk script: data map actions over HTTP on random sample datasets.
--   wrk -t2 -c8 -d20s --latency -s bench/map_wrk.lua http://127.0.0.1:PORT -- KIND IDS_FILE
-- KIND: neighbors | related | path. IDS_FILE: dataset ids, one per line (bench_map --ids-out).
local ids = {}
local kind = "related"
local counter = 0

function init(args)
  kind = args[1] or "related"
  for line in io.lines(args[2]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  math.randomseed(os.time() + (wrk.thread and tonumber(tostring(wrk.thread):match("0x(%x+)"), 16) or 0))
end

local function pick()
  return ids[math.random(1, #ids)]
end

function request()
  counter = counter + 1
  local path
  if kind == "neighbors" then
    path = "/api/3/action/datamap_neighbors?depth=1&limit=50&id=" .. pick()
  elseif kind == "path" then
    path = "/api/3/action/datamap_path?from=" .. pick() .. "&to=" .. pick()
  else
    path = "/api/3/action/datamap_related?limit=10&id=" .. pick()
  end
  return wrk.format("GET", path)
end

local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  -- done() runs in wrk's main Lua state, where init() never ran: the kind is on wrk's command line.
  io.write(string.format("%d requests, non-200: %d, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
