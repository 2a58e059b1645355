-- wrk script of the Bawaba benchmark: sends prepared requests in turn and counts unexpected answers.
--
-- Arguments (after "--"): the file of requests, one per line as
-- METHOD<TAB>PATH<TAB>COOKIE<TAB>FORM-BODY (cookie and body may be empty),
-- the Host header, and the status every answer must have.
-- wrk's own counters only see statuses above 399; a redirect to the sign-in
-- page instead of the dashboard must count as an error too, hence response().

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local prepared = {}
local position = 0
local expected = 200
unexpected = 0

function init(args)
  local path, host = args[1], args[2]
  expected = tonumber(args[3])
  for line in io.lines(path) do
    local method, target, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = { ["Host"] = host, ["User-Agent"] = "bawaba-bench" }
    if cookie ~= "" then headers["Cookie"] = cookie end
    if body == "" then
      body = nil
    else
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
    table.insert(prepared, wrk.format(method, target, headers, body))
  end
  position = (id * 7) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT %d %d %d %d %d %d %d %d %d %d %d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout, bad
  ))
end
