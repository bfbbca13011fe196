-- The read side of the soak (bench/soak.sh): a mix of what citizens and developers ask for,
-- over the catalog's own dataset names and the relevance queries, with a token so an anonymous
-- rate limit never turns the soak into a 429 test. Counts 5xx (and 429) per thread and prints
-- them in done() as "soak: 5xx N 429 N 4xx N" for the driver to collect.
--   wrk -t1 -c8 -d20s --latency -s bench/soak_wrk.lua URL   (SOAK_NAMES, SOAK_TOKEN in env)
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local names, queries = {}, {}
for line in io.lines(os.getenv("SOAK_NAMES")) do names[#names + 1] = line end
for line in io.lines("bench/relevance/queries.tsv") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    queries[#queries + 1] = encode(line:match("^([^\t]+)"))
  end
end
local token = os.getenv("SOAK_TOKEN") or ""
local facets = encode('["organization","groups","res_format"]')

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init()
  math.randomseed(1000 + id)
  server_errors, too_many, client_errors = 0, 0, 0
end

local function name() return names[math.random(#names)] end
local function query() return queries[math.random(#queries)] end

-- Weights: search 35, package_show 30, dataset page 15, search page 8, map 7, home/org 5.
function request()
  local r, path = math.random(100)
  if r <= 35 then
    path = "/api/3/action/package_search?q=" .. query() .. "&facet.field=" .. facets
  elseif r <= 65 then
    path = "/api/3/action/package_show?id=" .. name()
  elseif r <= 80 then
    path = "/dataset/" .. name()
  elseif r <= 88 then
    path = "/dataset?q=" .. query() .. "&page=" .. math.random(3)
  elseif r <= 95 then
    path = "/api/3/action/datamap_related?id=" .. name()
  elseif r <= 98 then
    path = "/"
  else
    path = "/api/3/action/organization_list?all_fields=true&limit=20"
  end
  return wrk.format("GET", path, {["Authorization"] = token})
end

function response(status)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status == 429 then
    too_many = too_many + 1
  elseif status >= 400 and status ~= 404 then
    client_errors = client_errors + 1
  end
end

function done()
  local s, t, c = 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("server_errors")
    t = t + thread:get("too_many")
    c = c + thread:get("client_errors")
  end
  io.write(string.format("soak: 5xx %d 429 %d 4xx %d\n", s, t, c))
end
