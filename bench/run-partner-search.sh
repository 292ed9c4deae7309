#!/usr/bin/env bash
# Load scenarios for the partner list and search API (GET /api/v1/partners) with wrk.
#
#   bench/run-partner-search.sh BASE_URL EMAIL PASSWORD
#   bench/run-partner-search.sh http://127.0.0.1:5090 bench@atende.local bench-password-1
#
# Scenarios (each: a short warm-up, then wrk -t2 -c32 -d20s --latency):
#   search-mix        admin, rotating realistic searches (see bench/wrk/partner-search.lua)
#   list              admin, first page of the list, no q
#   list-page-2       admin, second page (the `next` cursor of the first page as ?after=)
#   search-mix-agent  agent granted one workspace, same rotation
# Before the load runs, each search is timed alone (sequential curl, median of PROBE_RUNS) to show which query
# is slow.
#
# Environment (optional): DURATION=20s THREADS=2 CONNECTIONS=32 WARMUP=5s TIMEOUT=10s PROBE_RUNS=15 (0: no probe)
#   SCENARIOS="search-mix list list-page-2 search-mix-agent" (a subset runs only those)
#   AGENT_EMAIL=agent@atende.local AGENT_PASSWORD=<PASSWORD> LABEL=<text for the summary, e.g. Sqlite>
#   CPF=<a CPF in the data; by default the first one found by paging the list>
#   OUT_DIR=<where full wrk outputs go; default a new /tmp/atende-bench.XXXX>
# Needs: wrk, curl, jq.
set -euo pipefail

base="${1:?usage: bench/run-partner-search.sh BASE_URL EMAIL PASSWORD}"
email="${2:?usage: bench/run-partner-search.sh BASE_URL EMAIL PASSWORD}"
password="${3:?usage: bench/run-partner-search.sh BASE_URL EMAIL PASSWORD}"
base="${base%/}"
duration="${DURATION:-20s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
warmup="${WARMUP:-5s}"
timeout="${TIMEOUT:-10s}"
probe_runs="${PROBE_RUNS:-15}"
scenarios=" ${SCENARIOS:-search-mix list list-page-2 search-mix-agent} "
agent_email="${AGENT_EMAIL:-agent@atende.local}"
agent_password="${AGENT_PASSWORD:-$password}"
label="${LABEL:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lua="$here/wrk/partner-search.lua"
out_dir="${OUT_DIR:-$(mktemp -d /tmp/atende-bench.XXXX)}"
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

api() { curl -sS -f -H "Authorization: Bearer $1" -H 'Accept: application/json' "$base$2"; }

urlencode() { jq -rn --arg s "$1" '$s|@uri'; }

echo "Atende partner search bench: $base ${label:+($label) }— $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
admin_token="$(token_for "$email" "$password")"
agent_token="$(token_for "$agent_email" "$agent_password")"

# A CPF that exists (its first 7 characters, e.g. "529.982") and the cursor of page 2, from the data itself.
cpf="${CPF:-}"
after=""
for _ in $(seq 50); do # companies (CNPJ) sort first, so page until a person (CPF) shows up
  [[ -n "$cpf" ]] && break
  page="$(api "$admin_token" "/api/v1/partners?limit=200${after:+&after=$after}")"
  cpf="$(jq -r '[.items[].code | select(test("^[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2}$"))][0] // empty' <<<"$page")"
  after="$(jq -r '.next // empty' <<<"$page")"
  [[ -n "$cpf" || -z "$after" ]] && break
done
cpf_fragment="${cpf:0:7}"
cpf_fragment="${cpf_fragment:-123.456}"
phone_fragment="98765"
page2_cursor="$(api "$admin_token" "/api/v1/partners" | jq -r '.next // empty')"
[[ -n "$page2_cursor" ]] || { echo "error: the first page has no next cursor (too few partners?)" >&2; exit 1; }
export CPF_FRAGMENT="$cpf_fragment" PHONE_FRAGMENT="$phone_fragment"

# --- probe: each search alone, sequential, median latency ------------------------------------------------
probe() {
  local who="$1" token="$2" q="$3" path times items
  path="/api/v1/partners"
  [[ -n "$q" ]] && path="$path?q=$(urlencode "$q")"
  items="$(api "$token" "$path" | jq '.items | length')"
  times="$(for _ in $(seq "$probe_runs"); do
    curl -sS -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total}\n' "$base$path"
  done | sort -n)"
  printf '  %-7s %-22s %4s items  median %7.1f ms  max %7.1f ms\n' "$who" "${q:-(no q)}" "$items" \
    "$(awk -v n="$probe_runs" 'NR==int((n+1)/2){print $1*1000}' <<<"$times")" "$(tail -n1 <<<"$times" | awk '{print $1*1000}')"
}
if (( probe_runs > 0 )); then
  echo
  echo "Probe: each query alone ($probe_runs sequential requests)"
  for q in joao silva acucar "$phone_fragment" "$cpf_fragment" "maria santos" "" souza padaria "goncalves lima"; do
    probe admin "$admin_token" "$q"
  done
  for q in joao silva "$cpf_fragment" ""; do
    probe agent "$agent_token" "$q"
  done
fi

# --- load scenarios -------------------------------------------------------------------------------------
results=()
run() {
  local name="$1" token="$2" fixed="$3" out line load
  [[ "$scenarios" == *" $name "* ]] || return 0
  TOKEN="$token" FIXED_PATH="$fixed" wrk -t"$threads" -c"$connections" -d"$warmup" --timeout "$timeout" -s "$lua" "$base" >/dev/null
  load="$(cut -d' ' -f1 /proc/loadavg)"
  out="$(TOKEN="$token" FIXED_PATH="$fixed" wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$timeout" --latency -s "$lua" "$base")"
  printf '%s\n' "$out" >"$out_dir/$name.txt"
  line="$(grep '^RESULT' <<<"$out")"
  results+=("$name $line load=$load")
  echo "  $name: ${line#RESULT }"
}
echo
echo "Load: wrk -t$threads -c$connections -d$duration --latency (warm-up $warmup each); full outputs in $out_dir"
run search-mix "$admin_token" ""
run list "$admin_token" "/api/v1/partners"
run list-page-2 "$admin_token" "/api/v1/partners?after=$page2_cursor"
run search-mix-agent "$agent_token" ""

echo
echo "| Scenario | Provider | p50 (ms) | p99 (ms) | req/s | errors | load avg |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for r in "${results[@]}"; do
  name="${r%% *}"
  get() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$r"; }
  echo "| $name | ${label:-?} | $(get p50_ms) | $(get p99_ms) | $(get rps) | $(get errors) | $(get load) |"
done
