-- wrk script for GET /api/v1/partners (see bench/run-partner-search.sh).
--
-- Environment:
--   TOKEN         API token (required), sent as "Authorization: Bearer <TOKEN>".
--   FIXED_PATH    if set, every request asks for this path (list page, second page…);
--                 otherwise requests rotate through the realistic searches below.
--   CPF_FRAGMENT  start of a CPF that exists in the data (e.g. "529.982"), added to the rotation.
--   PHONE_FRAGMENT  digits of a phone (default "98765"), added to the rotation.
--
-- done() prints one machine-readable line:
--   RESULT p50_ms=… p99_ms=… rps=… requests=… errors=…
-- where errors counts HTTP statuses >= 400 and socket errors (a run with errors is not a valid result).

local token = os.getenv("TOKEN") or error("TOKEN is not set")
local fixed = os.getenv("FIXED_PATH")

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- What people type in a CRM search box: accent-free names (the data has "João", "Açúcar"…), a surname shared
-- by thousands, a rare name, a phone fragment, the start of a CPF, two words, and the plain list (no q).
local queries = {
  "joao",
  "silva",
  "acucar",
  os.getenv("PHONE_FRAGMENT") or "98765",
  os.getenv("CPF_FRAGMENT") or "123.456",
  "maria santos",
  "",
  "souza",
  "padaria",
  "goncalves lima",
}

local paths = {}
if fixed and fixed ~= "" then
  paths[1] = fixed
else
  for _, q in ipairs(queries) do
    if q == "" then
      paths[#paths + 1] = "/api/v1/partners"
    else
      paths[#paths + 1] = "/api/v1/partners?q=" .. encode(q)
    end
  end
end

local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }

local next_id = 0
function setup(thread)
  -- thread:set defines a global in that thread's Lua state
  thread:set("id", next_id)
  next_id = next_id + 1
end

local i
function init(args)
  -- each thread starts at a different query, so connections do not move in lockstep
  i = (tonumber(id) or 0) * 3
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
