#!/usr/bin/env bash
# Load scenarios for the agenda with wrk: the calendar feed (GET /api/v1/agenda/events) and the side list of partners
# without a conversation from today on (GET /api/v1/agenda/partners-without-conversation).
#
#   bench/run-agenda.sh BASE_URL EMAIL PASSWORD
#   bench/run-agenda.sh http://127.0.0.1:5090 bench@atende.local bench-password-1
#
# Scenarios (each: a short warm-up, then wrk -t2 -c32 -d20s --latency), rotating over 8 months (6 back, this one, next):
#   month-own            the agent (one workspace) on the agenda's default: the month view of its own conversations
#                        (FullCalendar asks for 6 weeks: start = the Sunday before the 1st, end = start + 42 days)
#   month-seller-admin   the admin looking at one seller's month, rotating over the sellers
#   week-own             the agent's own week view
#   month-all-agent      the agent choosing "Todos os vendedores": every conversation of its workspace in 6 weeks
#                        (about 2,500, capped at 1,000 per answer)
#   to-call-agent        the agent's first page of "sem conversa a partir de hoje" (no search)
#   to-call-admin        the admin's first page (every workspace)
#   to-call-page-2       the admin's second page (the `next` cursor of the first)
#   to-call-search       the agent searching the side list, rotating realistic words
#   floor                GET /api/v1/settings/channels (token, caller, one tiny query): what any API call costs on this
#                        machine at this moment, to read the others against
# Before the load runs, each scenario's first request is timed alone (sequential curl, median of PROBE_RUNS).
#
# Environment (optional): DURATION=20s THREADS=2 CONNECTIONS=32 WARMUP=5s TIMEOUT=10s PROBE_RUNS=15 (0: no probe)
#   SCENARIOS="month-own to-call-agent" (a subset runs only those) AGENT_EMAIL=agent@atende.local
#   AGENT_PASSWORD=<PASSWORD> LABEL=<text for the summary> TIME_ZONE=America/Sao_Paulo OUT_DIR=<wrk outputs>
# Needs: wrk, curl, jq, GNU date.
set -euo pipefail

base="${1:?usage: bench/run-agenda.sh BASE_URL EMAIL PASSWORD}"
email="${2:?usage: bench/run-agenda.sh BASE_URL EMAIL PASSWORD}"
password="${3:?usage: bench/run-agenda.sh BASE_URL EMAIL PASSWORD}"
base="${base%/}"
duration="${DURATION:-20s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
warmup="${WARMUP:-5s}"
timeout="${TIMEOUT:-10s}"
probe_runs="${PROBE_RUNS:-15}"
all_scenarios="floor month-own month-seller-admin week-own month-all-agent to-call-agent to-call-admin to-call-page-2 to-call-search"
scenarios=" ${SCENARIOS:-$all_scenarios} "
agent_email="${AGENT_EMAIL:-agent@atende.local}"
agent_password="${AGENT_PASSWORD:-$password}"
label="${LABEL:-}"
zone="${TIME_ZONE:-America/Sao_Paulo}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lua="$here/wrk/agenda.lua"
out_dir="${OUT_DIR:-$(mktemp -d /tmp/atende-agenda.XXXX)}"
mkdir -p "$out_dir"

for tool in wrk curl jq date; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

token_for() {
  local body response
  body="$(jq -nc --arg e "$1" --arg p "$2" '{email: $e, password: $p, name: "bench"}')"
  response="$(curl -sS -X POST "$base/api/v1/tokens" -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}')"
  if [[ "${response##*$'\n'}" != 201 ]]; then
    echo "error: POST /api/v1/tokens for $1 answered ${response##*$'\n'}: ${response%$'\n'*}" >&2
    exit 1
  fi
  jq -r .token <<<"${response%$'\n'*}"
}

api() { curl -sS -f -H "Authorization: Bearer $1" -H 'Accept: application/json' "$base$2"; }

echo "Atende agenda bench: $base ${label:+($label) }— $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
admin_token="$(token_for "$email" "$password")"
agent_token="$(token_for "$agent_email" "$agent_password")"
users="$(api "$admin_token" "/api/v1/users?limit=200")"
agent_id="$(jq -r --arg e "$agent_email" '.items[] | select(.email == $e) | .id' <<<"$users")"
mapfile -t seller_ids < <(jq -r '.items[] | select(.email | startswith("seller")) | .id' <<<"$users")
[[ -n "$agent_id" && ${#seller_ids[@]} -gt 0 ]] || { echo "error: agent or sellers not found (generate the data with bench/Atende.Bench)" >&2; exit 1; }

# FullCalendar's ranges, as the page sends them (wall-clock times of the company's zone, no offset).
month_ranges=() week_ranges=()
this_month="$(TZ="$zone" date +%Y-%m-01)"
for m in -6 -5 -4 -3 -2 -1 0 1; do
  first="$(date -d "$this_month $m month" +%Y-%m-%d)"
  start="$(date -d "$first - $(date -d "$first" +%w) days" +%Y-%m-%d)"
  month_ranges+=("start=${start}T00:00:00&end=$(date -d "$start + 42 days" +%Y-%m-%d)T00:00:00&timeZone=${zone/\//%2F}")
  week_ranges+=("start=${start}T00:00:00&end=$(date -d "$start + 7 days" +%Y-%m-%d)T00:00:00&timeZone=${zone/\//%2F}")
done

write_paths() { # name, then paths
  local name="$1"; shift
  printf '%s\n' "$@" >"$out_dir/$name.paths"
}
paths=(); for r in "${month_ranges[@]}"; do paths+=("/api/v1/agenda/events?$r&sellerId=$agent_id"); done; write_paths month-own "${paths[@]}"
paths=(); i=0; for r in "${month_ranges[@]}"; do for _ in $(seq 12); do paths+=("/api/v1/agenda/events?$r&sellerId=${seller_ids[$(( (i * 7) % ${#seller_ids[@]} ))]}"); i=$((i + 1)); done; done
write_paths month-seller-admin "${paths[@]}"
paths=(); for r in "${week_ranges[@]}"; do paths+=("/api/v1/agenda/events?$r&sellerId=$agent_id"); done; write_paths week-own "${paths[@]}"
paths=(); for r in "${month_ranges[@]}"; do paths+=("/api/v1/agenda/events?$r"); done; write_paths month-all-agent "${paths[@]}"
write_paths floor "/api/v1/settings/channels"
write_paths to-call-agent "/api/v1/agenda/partners-without-conversation"
write_paths to-call-admin "/api/v1/agenda/partners-without-conversation"
next="$(api "$admin_token" "/api/v1/agenda/partners-without-conversation" | jq -r '.next // empty')"
[[ -n "$next" ]] || { echo "error: the side list has a single page (too few partners?)" >&2; exit 1; }
write_paths to-call-page-2 "/api/v1/agenda/partners-without-conversation?after=$next"
paths=(); for q in joao silva acucar padaria "maria santos" souza goncalves farmacia; do paths+=("/api/v1/agenda/partners-without-conversation?q=$(jq -rn --arg s "$q" '$s|@uri')"); done
write_paths to-call-search "${paths[@]}"

token_of() { case "$1" in *-admin|to-call-page-2) echo "$admin_token" ;; *) echo "$agent_token" ;; esac; }

# --- probe: each scenario's first request alone --------------------------------------------------------
if (( probe_runs > 0 )); then
  echo
  echo "Probe: each scenario's first request alone ($probe_runs sequential requests)"
  for name in $all_scenarios; do
    [[ "$scenarios" == *" $name "* ]] || continue
    token="$(token_of "$name")"
    path="$(head -n1 "$out_dir/$name.paths")"
    items="$(api "$token" "$path" | jq 'if type == "array" then length else (.items | length) end')"
    times="$(for _ in $(seq "$probe_runs"); do
      curl -sS -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total}\n' "$base$path"
    done | sort -n)"
    printf '  %-20s %5s items  median %7.1f ms  max %7.1f ms\n' "$name" "$items" \
      "$(awk -v n="$probe_runs" 'NR==int((n+1)/2){print $1*1000}' <<<"$times")" "$(tail -n1 <<<"$times" | awk '{print $1*1000}')"
  done
fi

# --- load scenarios -------------------------------------------------------------------------------------
results=()
run() {
  local name="$1" token out line load
  [[ "$scenarios" == *" $name "* ]] || return 0
  token="$(token_of "$name")"
  TOKEN="$token" PATHS_FILE="$out_dir/$name.paths" wrk -t"$threads" -c"$connections" -d"$warmup" --timeout "$timeout" -s "$lua" "$base" >/dev/null
  load="$(cut -d' ' -f1 /proc/loadavg)"
  out="$(TOKEN="$token" PATHS_FILE="$out_dir/$name.paths" wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$timeout" --latency -s "$lua" "$base")"
  printf '%s\n' "$out" >"$out_dir/$name.txt"
  line="$(grep '^RESULT' <<<"$out")"
  results+=("$name $line load=$load")
  echo "  $name: ${line#RESULT }"
}
echo
echo "Load: wrk -t$threads -c$connections -d$duration --latency (warm-up $warmup each); full outputs in $out_dir"
for name in $all_scenarios; do
  run "$name"
done

echo
echo "| Scenario | Provider | p50 (ms) | p99 (ms) | req/s | errors | load avg |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for r in "${results[@]}"; do
  name="${r%% *}"
  get() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$r"; }
  echo "| $name | ${label:-?} | $(get p50_ms) | $(get p99_ms) | $(get rps) | $(get errors) | $(get load) |"
done
