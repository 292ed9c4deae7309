-- wrk script for ticket writes (see bench/run-ticket-writes.sh).
--
-- Environment:
--   TOKEN       API token (required), sent as "Authorization: Bearer <TOKEN>".
--   SCENARIO    "create" or "status" (required).
--   create:     POST /api/v1/tickets {pipelineId, partnerId, title}
--     PIPELINE_ID  the pipeline (required)
--     PARTNER_IDS  comma-separated partner ids (required), used in turn as requesters
--     RUN_ID       makes the titles unique across runs ("Bench <RUN_ID> t<thread>-<n>"); default os.time()
--   status:     POST /api/v1/tickets/{id}/status {status}
--     IDS_FILE     lines "<ticket id> <status to set first> <status to set next>", e.g. "123 Analyzing Open" for a ticket
--                  that is Open now (required). Thread t of THREADS takes the lines t, t + THREADS, …; it goes through
--                  its lines in turn, the first pass setting the first status, the next pass the other, and so on, so
--                  every request is a real change (a line comes back only after all the thread's other lines, and a
--                  thread has at most CONNECTIONS / THREADS requests in flight).
--     THREADS      wrk's -t (default 2), to split the lines between threads.
--   RATE         optional: pace the load to about RATE requests/s in all (each connection waits CONNECTIONS / RATE
--                seconds after each answer before its next request, so the real rate is a little lower: see the
--                RESULT's rps). CONNECTIONS (wrk's -c) is then required.
--
-- done() prints one machine-readable line:
--   RESULT p50_ms=… p99_ms=… rps=… requests=… errors=…
-- where errors counts HTTP statuses >= 400 and socket errors (a run with errors is not a valid result).

local token = os.getenv("TOKEN") or error("TOKEN is not set")
local scenario = os.getenv("SCENARIO") or error("SCENARIO is not set (create or status)")

local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json",
}

local next_id = 0
function setup(thread)
  -- thread:set defines a global in that thread's Lua state
  thread:set("id", next_id)
  next_id = next_id + 1
end

local n = 0
local pipeline_id, partners, run_id
local lines = {}

function init(args)
  local thread = tonumber(id) or 0
  if scenario == "create" then
    pipeline_id = os.getenv("PIPELINE_ID") or error("PIPELINE_ID is not set")
    partners = {}
    for p in string.gmatch(os.getenv("PARTNER_IDS") or "", "%d+") do
      partners[#partners + 1] = p
    end
    if #partners == 0 then
      error("PARTNER_IDS is not set")
    end
    run_id = os.getenv("RUN_ID") or tostring(os.time())
    n = thread * 7
  elseif scenario == "status" then
    local ids_file = os.getenv("IDS_FILE") or error("IDS_FILE is not set")
    local threads = tonumber(os.getenv("THREADS") or "2")
    local k = 0
    for line in io.lines(ids_file) do
      local ticket, first, second = string.match(line, "^(%d+)%s+(%a+)%s+(%a+)")
      if ticket then
        if k % threads == thread then
          lines[#lines + 1] = { ticket, first, second }
        end
        k = k + 1
      end
    end
    if #lines == 0 then
      error("no ticket lines for thread " .. thread .. " in " .. ids_file)
    end
  else
    error("unknown SCENARIO " .. scenario)
  end
end

local rate = tonumber(os.getenv("RATE") or "")
if rate then
  local connections = tonumber(os.getenv("CONNECTIONS") or "") or error("RATE needs CONNECTIONS")
  local wait_ms = connections * 1000 / rate
  function delay()
    return wait_ms
  end
end

function request()
  n = n + 1
  if scenario == "create" then
    local body = string.format('{"pipelineId":%s,"partnerId":%s,"title":"Bench %s t%d-%d"}',
      pipeline_id, partners[(n % #partners) + 1], run_id, tonumber(id) or 0, n)
    return wrk.format("POST", "/api/v1/tickets", headers, body)
  end
  local line = lines[((n - 1) % #lines) + 1]
  local pass = math.floor((n - 1) / #lines)
  local status = (pass % 2 == 0) and line[2] or line[3]
  return wrk.format("POST", "/api/v1/tickets/" .. line[1] .. "/status", headers, '{"status":"' .. status .. '"}')
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT p50_ms=%.2f p99_ms=%.2f rps=%.1f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / seconds, summary.requests, errors))
end
