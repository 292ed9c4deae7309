#!/usr/bin/env bash
# Load scenarios for the ticket API (list in every order, deep pages, search, ticket page) with wrk.
#
#   bench/run-tickets.sh BASE_URL EMAIL PASSWORD
#   bench/run-tickets.sh http://127.0.0.1:5090 bench@atende.local bench-password-1
#
# Needs data from `Atende.Bench generate … --tickets N` (pipelines SUP…, agents agent@ and agent2@).
# Scenarios (each: a short warm-up, then wrk -t2 -c32 -d20s --latency, bench/wrk/tickets.lua):
#   sort:<s>           admin, first page of the big pipeline in order <s>, for each of
#                      -updatedAt (the default) updatedAt createdAt -createdAt reference -reference status title -title
#                      requester value -value dueAt -dueAt
#   deep               admin, default order, pages that start 1,000 / 10,000 / 50,000 rows deep (cursors found first)
#   deep-title         same, sorted by title
#   search             admin, big pipeline, rotating searches: title words, a contact name typed without accents,
#                      a reference ALIAS-n, a date dd/mm/aaaa, a date and a word…
#   search-all         the same searches over every pipeline (no pipelineId)
#   ticket             admin, random tickets: GET /api/v1/tickets/{id} and /api/v1/tickets/{id}/interactions in turn
#                      (plus the HTML page /tickets/{id} when the app has it)
#   agent-list         agent@ (one workspace, five pipelines), first page of the big pipeline
#   agent-search       agent@, the search rotation
#   agent2-list        agent2@ (three workspaces), first page of the big pipeline
# Before the load runs, one request of each scenario (each search of the rotation) is timed alone: sequential curl,
# median and max of PROBE_RUNS.
#
# Environment (optional): DURATION=20s THREADS=2 CONNECTIONS=32 WARMUP=5s TIMEOUT=10s PROBE_RUNS=9 (0: no probe)
#   SCENARIOS="sort:title search ticket" (a subset; default all)   LABEL=<provider, for the table>
#   PIPELINE_ALIAS=SUP (the big pipeline)   AGENT_EMAIL=agent@atende.local AGENT2_EMAIL=agent2@atende.local
#   AGENT_PASSWORD=<same as PASSWORD>   OUT_DIR=<full wrk outputs; default a new /tmp/atende-tickets.XXXX>
#   WAIT_LOAD=<n>: before each scenario wait (up to WAIT_MAX=300 s) until the 1-minute load average is below n, on a
#   machine shared with other work (the wait and the load at the start are printed)
# Needs: wrk, curl, jq, iconv.
set -euo pipefail

usage="usage: bench/run-tickets.sh BASE_URL EMAIL PASSWORD"
base="${1:?$usage}"
email="${2:?$usage}"
password="${3:?$usage}"
base="${base%/}"
duration="${DURATION:-20s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
warmup="${WARMUP:-5s}"
timeout="${TIMEOUT:-10s}"
probe_runs="${PROBE_RUNS:-9}"
alias_name="${PIPELINE_ALIAS:-SUP}"
agent_email="${AGENT_EMAIL:-agent@atende.local}"
agent2_email="${AGENT2_EMAIL:-agent2@atende.local}"
agent_password="${AGENT_PASSWORD:-$password}"
label="${LABEL:-}"
wait_load="${WAIT_LOAD:-}"
wait_max="${WAIT_MAX:-300}"
sorts=(-updatedAt updatedAt createdAt -createdAt reference -reference status title -title requester value -value dueAt -dueAt)
all_scenarios="$(printf 'sort:%s ' "${sorts[@]}")deep deep-title search search-all ticket agent-list agent-search agent2-list"
scenarios=" ${SCENARIOS:-$all_scenarios} "
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lua="$here/wrk/tickets.lua"
out_dir="${OUT_DIR:-$(mktemp -d /tmp/atende-tickets.XXXX)}"
mkdir -p "$out_dir"

for tool in wrk curl jq iconv; do
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

urlencode() { jq -rn --arg s "$1" '$s|@uri'; }

# "Conceição Gonçalves" -> "conceicao goncalves": what people type.
plain() { LC_ALL=C.UTF-8 iconv -f UTF-8 -t ASCII//TRANSLIT <<<"$1" | tr '[:upper:]' '[:lower:]' | tr -d "'\"^~\`"; }

echo "Atende ticket bench: $base ${label:+($label) }— $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
admin_token="$(token_for "$email" "$password")"
agent_token="$(token_for "$agent_email" "$agent_password")"
agent2_token="$(token_for "$agent2_email" "$agent_password")"

pipeline="$(api "$admin_token" /api/v1/pipelines | jq -r --arg a "$alias_name" '.items[] | select(.alias == $a) | "\(.id) \(.ticketCount)"')"
[[ -n "$pipeline" ]] || { echo "error: no pipeline with alias $alias_name" >&2; exit 1; }
pipeline_id="${pipeline% *}"
pipeline_count="${pipeline#* }"
list="/api/v1/tickets?pipelineId=$pipeline_id"
newest_id="$(api "$admin_token" "/api/v1/tickets?sort=-createdAt&limit=1" | jq -r '.items[0].id')"
echo "Pipeline $alias_name: id $pipeline_id, $pipeline_count tickets in its list; newest ticket id $newest_id"

# Cursors 1,000 / 10,000 / 50,000 rows deep, by walking pages of 200 (fewer when the list is shorter).
deep_cursors() {
  local sort="$1" after="" page cursors=() n
  for n in $(seq 1 250); do
    page="$(api "$admin_token" "$list&limit=200${sort:+&sort=$sort}${after:+&after=$after}")"
    after="$(jq -r '.next // empty' <<<"$page")"
    [[ -z "$after" ]] && break
    if (( n == 5 || n == 50 || n == 250 )); then cursors+=("$after"); fi
  done
  (( ${#cursors[@]} > 0 )) || cursors+=("$after")
  printf '%s\n' "${cursors[@]}"
}
paths_file() { local f="$out_dir/paths-$1.txt"; cat >"$f"; echo "$f"; }

mapfile -t deep < <(deep_cursors "")
mapfile -t deep_title < <(deep_cursors title)
echo "Deep cursors: ${#deep[@]} (default order), ${#deep_title[@]} (title)"

# Search terms from the data: a requester typed without accents, a reference, a date.
sample="$(api "$admin_token" "$list&limit=30")"
contact="$(plain "$(jq -r '[.items[].requesterName | select(test("[^ -~]"))][0] // .items[0].requesterName' <<<"$sample")")"
# (the reference of a ticket in the list, 1,000 rows deep: archived or trashed tickets are not in the list)
reference="$(api "$admin_token" "$list&limit=1&after=${deep[0]}" | jq -r '.items[0].reference')"
day="$(date -u -d '-400 days' +%d/%m/%Y)"
searches=(impressora "nota fiscal" "$contact" goncalves "$reference" "$day" "senha portal" "joao silva" boleto "$day boleto" conceicao "ar-condicionado")

search_paths() { local q; for q in "${searches[@]}"; do echo "$1&q=$(urlencode "$q")"; done; }
list_file="$(echo "$list" | paths_file list)"
search_file="$(search_paths "$list" | paths_file search)"
search_all_file="$(search_paths "/api/v1/tickets?limit=50" | paths_file search-all)"
deep_file="$(for c in "${deep[@]}"; do echo "$list&after=$c"; done | paths_file deep)"
deep_title_file="$(for c in "${deep_title[@]}"; do echo "$list&sort=title&after=$c"; done | paths_file deep-title)"
html_page=0
if [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin_token" "$base/tickets/$newest_id")" == 200 ]]; then
  html_page=1
fi
ticket_file="$(awk -v n="$newest_id" -v html="$html_page" 'BEGIN { srand(20261123); for (k = 0; k < 2000; k++) { id = 1 + int(rand() * n);
  print "/api/v1/tickets/" id; print "/api/v1/tickets/" id "/interactions"; if (html) print "/tickets/" id } }' | paths_file ticket)"
echo "Searches: ${searches[*]}"
echo "Ticket page: API ticket + interactions$( ((html_page)) && echo " + HTML /tickets/{id}" || echo "; no HTML page /tickets/{id} in this build (404)")"

# --- probe: one request alone, sequential, median latency ---------------------------------------------------
probe() {
  local who="$1" token="$2" path="$3" times info
  info="$(api "$token" "$path" | jq -r 'if .items then "\(.items | length) items" else "ticket" end' 2>/dev/null || echo "html")"
  times="$(for _ in $(seq "$probe_runs"); do
    curl -sS -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total}\n' "$base$path"
  done | sort -n)"
  printf '  %-6s %-70.70s %10s  median %7.1f ms  max %7.1f ms\n' "$who" "$path" "$info" \
    "$(awk -v n="$probe_runs" 'NR==int((n+1)/2){print $1*1000}' <<<"$times")" "$(tail -n1 <<<"$times" | awk '{print $1*1000}')"
}
if (( probe_runs > 0 )); then
  echo
  echo "Probe: each request alone ($probe_runs sequential requests)"
  for s in "${sorts[@]}"; do probe admin "$admin_token" "$list&sort=$s"; done
  for c in "${deep[@]}"; do probe admin "$admin_token" "$list&after=$c"; done
  for c in "${deep_title[@]}"; do probe admin "$admin_token" "$list&sort=title&after=$c"; done
  while read -r p; do probe admin "$admin_token" "$p"; done <"$search_file"
  while read -r p; do probe admin "$admin_token" "$p"; done <"$search_all_file"
  head -n $((2 + html_page)) "$ticket_file" | while read -r p; do probe admin "$admin_token" "$p"; done
  probe agent "$agent_token" "$list"
  probe agent "$agent_token" "$(head -n1 "$search_file")"
  probe agent2 "$agent2_token" "$list"
fi

# --- load scenarios -------------------------------------------------------------------------------------
results=()
run() {
  local name="$1" token="$2" file="$3" out line load
  [[ "$scenarios" == *" $name "* ]] || return 0
  if [[ -n "$wait_load" ]]; then
    local waited=0
    while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v max="$wait_load" 'BEGIN { exit !(l >= max) }' && (( waited < wait_max )); do
      sleep 5
      waited=$((waited + 5))
    done
    (( waited > 0 )) && echo "  (waited ${waited} s for load < $wait_load)"
  fi
  TOKEN="$token" PATHS_FILE="$file" wrk -t"$threads" -c"$connections" -d"$warmup" --timeout "$timeout" -s "$lua" "$base" >/dev/null
  load="$(cut -d' ' -f1 /proc/loadavg)"
  out="$(TOKEN="$token" PATHS_FILE="$file" wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$timeout" --latency -s "$lua" "$base")"
  printf '%s\n' "$out" >"$out_dir/${name//:/_}.txt"
  line="$(grep '^RESULT' <<<"$out")"
  results+=("$name $line load=$load")
  echo "  $name: ${line#RESULT }"
}
echo
echo "Load: wrk -t$threads -c$connections -d$duration --latency (warm-up $warmup each); full outputs in $out_dir"
for s in "${sorts[@]}"; do
  run "sort:$s" "$admin_token" "$(echo "$list&sort=$s" | paths_file "sort$s")"
done
run deep "$admin_token" "$deep_file"
run deep-title "$admin_token" "$deep_title_file"
run search "$admin_token" "$search_file"
run search-all "$admin_token" "$search_all_file"
run ticket "$admin_token" "$ticket_file"
run agent-list "$agent_token" "$list_file"
run agent-search "$agent_token" "$search_file"
run agent2-list "$agent2_token" "$list_file"

echo
echo "| Scenario | Provider | p50 (ms) | p99 (ms) | req/s | errors | load avg |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for r in "${results[@]}"; do
  name="${r%% *}"
  get() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$r"; }
  echo "| $name | ${label:-?} | $(get p50_ms) | $(get p99_ms) | $(get rps) | $(get errors) | $(get load) |"
done
