-- wrk load for package_search: cycles through the relevance queries (bench/relevance/queries.tsv)
-- with three facets, like the portal's search page.
--   wrk -t2 -c8 -d20s --latency -s bench/search_wrk.lua http://127.0.0.1:PORT
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
local facets = encode('["organization","groups","res_format"]')
for line in io.lines("bench/relevance/queries.tsv") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    local q = line:match("^([^\t]+)")
    paths[#paths + 1] = "/api/3/action/package_search?q=" .. encode(q) .. "&facet.field=" .. facets
  end
end

local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
