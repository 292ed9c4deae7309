#!/usr/bin/env bash
# Write load scenarios for the ticket API with wrk: creating tickets and changing their status.
#
#   bench/run-ticket-writes.sh BASE_URL EMAIL PASSWORD
#   bench/run-ticket-writes.sh http://127.0.0.1:5090 bench@atende.local bench-password-1
#
# Needs data from `Atende.Bench generate … --tickets N` (pipeline SUP, tickets in status Aberto and Analisando).
# Scenarios (each: a warm-up, then wrk -t2 -c8 -d15s --latency, bench/wrk/ticket-writes.lua), as the admin:
#   create   POST /api/v1/tickets {pipelineId, partnerId, title}: pipeline SUP, PARTNERS partners of the first page of
#            /api/v1/partners in turn, unique titles ("Bench <run id> t<thread>-<n>")
#   status   POST /api/v1/tickets/{id}/status over a pool of up to POOL tickets that are Open or Analyzing (found with
#            the list's status filter right before each wrk run, warm-up included): each ticket goes Open -> Analyzing
#            or Analyzing -> Open, and back on the next pass over the pool, so every request is a real change (history
#            row, status e-mail to the requester when it has an e-mail, event)
# Each write is a transaction; with the event backbone it also adds an `Events` row and one `WebhookDeliveries` row per
# active webhook endpoint subscribed to the event.
#
# Environment (optional): DURATION=15s THREADS=2 CONNECTIONS=8 WARMUP=5s TIMEOUT=10s
#   SCENARIOS="create status" (a subset)   LABEL=<what is measured, for the table>   PIPELINE_ALIAS=SUP
#   PARTNERS=20   POOL=2000   OUT_DIR=<full wrk outputs; default a new /tmp/atende-ticket-writes.XXXX>
#   WAIT_LOAD=<n>: before each scenario wait (up to WAIT_MAX=300 s) until the 1-minute load average is below n
#   RATE=<req/s>: pace each scenario to about that many requests/s in all (see the lua; use more CONNECTIONS, e.g. 40)
#   APP_PID=<pid of the app, on this machine>: also report the app's CPU time per request (utime + stime from
#   /proc/<pid>/stat over the measured run, divided by its requests): the work a write costs, much less sensitive to
#   the other load on a shared machine than req/s
#   RESULTS_FILE=<file>: also append each result as a line "label scenario p50_ms=… p99_ms=… rps=… requests=… errors=… load=…"
# Needs: wrk, curl, jq.
set -euo pipefail

usage="usage: bench/run-ticket-writes.sh BASE_URL EMAIL PASSWORD"
base="${1:?$usage}"
email="${2:?$usage}"
password="${3:?$usage}"
base="${base%/}"
duration="${DURATION:-15s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-8}"
warmup="${WARMUP:-5s}"
timeout="${TIMEOUT:-10s}"
alias_name="${PIPELINE_ALIAS:-SUP}"
partner_count="${PARTNERS:-20}"
pool="${POOL:-2000}"
label="${LABEL:-}"
wait_load="${WAIT_LOAD:-}"
wait_max="${WAIT_MAX:-300}"
results_file="${RESULTS_FILE:-}"
app_pid="${APP_PID:-}"
scenarios=" ${SCENARIOS:-create status} "
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lua="$here/wrk/ticket-writes.lua"
out_dir="${OUT_DIR:-$(mktemp -d /tmp/atende-ticket-writes.XXXX)}"
mkdir -p "$out_dir"

for tool in wrk curl jq; do
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

api() { curl -sS -f -H "Authorization: Bearer $token" -H 'Accept: application/json' "$base$1"; }

echo "Atende ticket writes bench: $base ${label:+($label) }— $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
token="$(token_for "$email" "$password")"
pipeline_id="$(api /api/v1/pipelines | jq -r --arg a "$alias_name" '.items[] | select(.alias == $a) | .id')"
[[ -n "$pipeline_id" ]] || { echo "error: no pipeline with alias $alias_name" >&2; exit 1; }
partner_ids="$(api "/api/v1/partners?limit=$partner_count" | jq -r '[.items[].id] | join(",")')"
[[ -n "$partner_ids" ]] || { echo "error: no partners" >&2; exit 1; }
echo "Pipeline $alias_name: id $pipeline_id; requesters: partners $partner_ids"

# Up to $2 ids of active tickets in status $1 (newest activity first), in pages of 200.
ids_in_status() {
  local status="$1" want="$2" after="" page got=0
  while (( got < want )); do
    page="$(api "/api/v1/tickets?status=$status&limit=200${after:+&after=$after}")"
    jq -r --argjson n $((want - got)) '.items[:$n][].id' <<<"$page"
    got=$((got + $(jq '.items | length' <<<"$page")))
    after="$(jq -r '.next // empty' <<<"$page")"
    [[ -z "$after" ]] && break
  done
}

# The pool for the status scenario as it is now: "id Analyzing Open" for an Open ticket, "id Open Analyzing" for an
# Analyzing one, interleaved so both directions run all the time.
status_file() {
  local f="$out_dir/status-ids.txt"
  paste -d'\n' <(ids_in_status Open $((pool / 2)) | sed 's/$/ Analyzing Open/') \
    <(ids_in_status Analyzing $((pool / 2)) | sed 's/$/ Open Analyzing/') | sed '/^$/d' >"$f"
  echo "$f"
}

# CPU time of the app so far, in clock ticks (0 without APP_PID).
cpu_ticks() { if [[ -n "$app_pid" ]]; then awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; else echo 0; fi; }
ticks_per_s="$(getconf CLK_TCK)"

results=()
wrk_run() {
  local seconds="$1" latency="$2" name="$3"
  local -a env=(TOKEN="$token" SCENARIO="$name" THREADS="$threads" PIPELINE_ID="$pipeline_id" PARTNER_IDS="$partner_ids"
    RUN_ID="$(date +%s%N)" CONNECTIONS="$connections" ${RATE:+RATE="$RATE"})
  if [[ "$name" == status ]]; then
    local f
    f="$(status_file)"
    (( $(wc -l <"$f") >= 4 * connections )) || { echo "error: only $(wc -l <"$f") Open/Analyzing tickets for the status pool" >&2; exit 1; }
    env+=(IDS_FILE="$f")
  fi
  env "${env[@]}" wrk -t"$threads" -c"$connections" -d"$seconds" --timeout "$timeout" $latency -s "$lua" "$base"
}

run() {
  local name="$1" out line load
  [[ "$scenarios" == *" $name "* ]] || return 0
  if [[ -n "$wait_load" ]]; then
    local waited=0
    while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v max="$wait_load" 'BEGIN { exit !(l >= max) }' && (( waited < wait_max )); do
      sleep 5
      waited=$((waited + 5))
    done
    (( waited > 0 )) && echo "  (waited ${waited} s for load < $wait_load)"
  fi
  wrk_run "$warmup" "" "$name" >/dev/null
  load="$(cut -d' ' -f1 /proc/loadavg)"
  local cpu0 cpu1
  cpu0="$(cpu_ticks)"
  out="$(wrk_run "$duration" --latency "$name")"
  cpu1="$(cpu_ticks)"
  printf '%s\n' "$out" >"$out_dir/$name.txt"
  line="$(grep '^RESULT' <<<"$out")"
  if [[ -n "$app_pid" ]]; then
    line+="$(awk -v t=$((cpu1 - cpu0)) -v hz="$ticks_per_s" -v n="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")" \
      'BEGIN { printf " cpu_ms=%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')"
  fi
  results+=("$name $line load=$load")
  [[ -n "$results_file" ]] && echo "${label:-?} $name ${line#RESULT } load=$load" >>"$results_file"
  echo "  $name: ${line#RESULT } load=$load"
}
echo
echo "Load: wrk -t$threads -c$connections -d$duration --latency (warm-up $warmup each); full outputs in $out_dir"
run create
run status

echo
echo "| Scenario | Code | p50 (ms) | p99 (ms) | req/s | app CPU ms/req | errors | load avg |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${results[@]}"; do
  name="${r%% *}"
  get() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$r"; }
  echo "| $name | ${label:-?} | $(get p50_ms) | $(get p99_ms) | $(get rps) | $(get cpu_ms) | $(get errors) | $(get load) |"
done
