-- wrk script for the ticket API (see bench/run-tickets.sh) and bench/ab-raw.sh.
--
-- Environment:
--   TOKEN       API token, sent as "Authorization: Bearer <TOKEN>"; or
--   COOKIE      a Cookie header (a signed-in session, for the HTML pages); or
--   ANONYMOUS=1 neither (/healthz, the same-SQL minimal app). One of the three is required.
--   PATHS_FILE  file with one request path per line (required): a list page, a rotation of searches, cursors of deep
--               pages, random ticket ids… Requests go through the lines in turn; each thread starts at another line.
--
-- done() prints one machine-readable line:
--   RESULT p50_ms=… p99_ms=… rps=… requests=… errors=…
-- where errors counts HTTP statuses >= 400 and socket errors (a run with errors is not a valid result).

local token = os.getenv("TOKEN")
local cookie = os.getenv("COOKIE")
local paths_file = os.getenv("PATHS_FILE") or error("PATHS_FILE is not set")

local headers = { ["Accept"] = "application/json" }
if token and token ~= "" then
  headers["Authorization"] = "Bearer " .. token
elseif cookie and cookie ~= "" then
  headers["Cookie"] = cookie
  headers["Accept"] = "text/html"
elseif os.getenv("ANONYMOUS") ~= "1" then
  error("set TOKEN, COOKIE or ANONYMOUS=1")
end

local next_id = 0
function setup(thread)
  -- thread:set defines a global in that thread's Lua state
  thread:set("id", next_id)
  next_id = next_id + 1
end

local paths = {}
local i
function init(args)
  for line in io.lines(paths_file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no paths in " .. paths_file)
  end
  -- each thread starts elsewhere in the list, so connections do not move in lockstep
  i = ((tonumber(id) or 0) * 7919) % #paths
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT p50_ms=%.2f p99_ms=%.2f rps=%.1f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / seconds, summary.requests, errors))
end
