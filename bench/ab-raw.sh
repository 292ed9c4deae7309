#!/usr/bin/env bash
# Atende against the same-SQL minimal app (bench/Atende.Bench.Raw), interleaved on the same database: how far the ticket
# list is from the cost of its own queries. See bench/README.md, "Same-SQL minimal app".
#
#   bench/ab-raw.sh DB
#   bench/ab-raw.sh /tmp/benchdb/t100k.db                                                        # SQLite (copied first)
#   bench/ab-raw.sh "Host=127.0.0.1;Database=atende_bench_tickets;Username=atende_bench;Password=bench"   # PostgreSQL
#
# DB: a SQLite file from `Atende.Bench generate … --tickets N` (never modified: both apps run on one copy in WORK), or a
# PostgreSQL connection string (used as it is: Atende adds its API token rows there). Needs the Release builds:
#   dotnet build -c Release src/Atende.Web && dotnet build -c Release bench/Atende.Bench.Raw
# Then it signs in to Atende (a bearer token and a session cookie, admin), checks that both apps return the same first
# page (the same ids in the same order) for the list and every search (and fails otherwise), and runs each scenario, in
# each of ROUNDS rounds, on Atende then on the minimal app (the other way round in even rounds), at 1 connection (p50)
# then at CONNECTIONS (req/s):
#   list-json      GET /api/v1/tickets?pipelineId=<SUP>, bearer       | minimal app: the same path
#   list-html      GET /tickets?pipelineId=<SUP>, session cookie      | minimal app: the same path (a plain HTML table)
#   search-json    list-json with &q= from the SEARCHES rotation      | the same
#   search-html    list-html with &q= from the rotation               | the same
#   healthz        GET /healthz, anonymous (one trivial query)        | the same
#   floor-bearer   GET /api/v1/settings/company, bearer               | GET /healthz: Atende's authenticated floor (caller
#   floor-cookie   the same with the cookie                           |   load + a one-row read) against the auth-free one
# After the rounds, on Atende alone at 1 connection: agent-search (AGENT_EMAIL, one workspace, the search rotation; p50
# and p99) and ticket-page (GET /tickets/{id}, cookie, random tickets). Then the bytes of each HTML page and the memory
# of both processes (VmRSS and its peak VmHWM, from /proc).
# Prints one table: scenario, p50 at -c1 of both, req/s at -cN of both, ratio = Atende ÷ minimal app req/s (median of
# the per-round ratios). The statements Atende runs per request are printed by bench/capture-sql.sh.
#
# Environment (optional): ROUNDS=3 DURATION=10s WARMUP=3s (before each run) PRIME=5s (each scenario on each app once,
#   before the first round) CONNECTIONS=8 THREADS=2 TIMEOUT=10s
#   SCENARIOS="list-json list-html search-json search-html healthz floor-bearer floor-cookie agent-search ticket-page"
#   SEARCHES="impressora|nota fiscal|goncalves|joao silva|boleto|conceicao" (words only: the minimal app answers 400 to
#   dates, references and numbers)   PIPELINE_ALIAS=SUP   EMAIL=bench@atende.local PASSWORD=bench-password-1
#   AGENT_EMAIL=agent@atende.local   WORK=/tmp/atende-ab-raw   PORT=5302 (Atende; the minimal app PORT+1)
#   WAIT_LOAD=<n>: before each wrk run wait (up to WAIT_MAX=300 s) until the 1-minute load average is below n.
# Needs: wrk, curl, jq, dotnet. Every wrk result goes to $WORK/results.txt.
set -euo pipefail

db="${1:?usage: bench/ab-raw.sh DB (a SQLite file or a PostgreSQL connection string)}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/atende-app.sh
source "$here/atende-app.sh"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-3s}"
prime_for="${PRIME:-5s}"
connections="${CONNECTIONS:-8}"
threads="${THREADS:-2}"
timeout="${TIMEOUT:-10s}"
scenarios=" ${SCENARIOS:-list-json list-html search-json search-html healthz floor-bearer floor-cookie agent-search ticket-page} "
IFS='|' read -r -a searches <<<"${SEARCHES:-impressora|nota fiscal|goncalves|joao silva|boleto|conceicao}"
alias_name="${PIPELINE_ALIAS:-SUP}"
email="${EMAIL:-bench@atende.local}"
password="${PASSWORD:-bench-password-1}"
agent_email="${AGENT_EMAIL:-agent@atende.local}"
work="${WORK:-/tmp/atende-ab-raw}"
port="${PORT:-5302}"
wait_load="${WAIT_LOAD:-}"
wait_max="${WAIT_MAX:-300}"
atende="http://127.0.0.1:$port"
raw="http://127.0.0.1:$((port + 1))"
lua="$here/wrk/tickets.lua"
results="$work/results.txt"

for tool in wrk curl jq dotnet; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done
mkdir -p "$work"
: >"$results"

if [[ "$db" == Host=* ]]; then
  connection="$db"
  provider=PostgreSQL
else
  rm -f "$work"/run.db*
  cp "$db" "$work/run.db"
  for suffix in -wal -shm; do [[ -f "$db$suffix" ]] && cp "$db$suffix" "$work/run.db$suffix"; done
  connection="Data Source=$work/run.db"
  provider=SQLite
fi

atende_pid=""
raw_pid=""
trap 'stop_pid "$atende_pid"; stop_pid "$raw_pid"' EXIT
start_atende "$atende" "$connection" "$work/data" "$work/atende.log"
start_raw "$raw" "$connection" "$work/raw.log"

token="$(token_for "$atende" "$email" "$password")"
agent_token="$(token_for "$atende" "$agent_email" "$password")"
cookie="$(session_cookie "$atende" "$email" "$password")"
pipeline="$(pipeline_id "$atende" "$token" "$alias_name")"
[[ -n "$pipeline" ]] || { echo "error: no pipeline with alias $alias_name" >&2; exit 1; }
list="/tickets?pipelineId=$pipeline"
echo "Atende vs same-SQL minimal app, $provider — $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "Pipeline $alias_name: id $pipeline; searches: ${searches[*]}"

paths_file() { local f="$work/paths-$1.txt"; cat >"$f"; echo "$f"; }
search_paths() { local q; for q in "${searches[@]}"; do echo "$1&q=$(urlencode "$q")"; done; }
list_json="$(echo "/api/v1$list" | paths_file list-json)"
list_html="$(echo "$list" | paths_file list-html)"
search_json="$(search_paths "/api/v1$list" | paths_file search-json)"
search_html="$(search_paths "$list" | paths_file search-html)"
healthz="$(echo /healthz | paths_file healthz)"
floor="$(echo /api/v1/settings/company | paths_file floor)"
newest="$(bearer_get "$atende/api/v1/tickets?sort=-createdAt&limit=1" "$token" | jq -r '.items[0].id')"
tickets="$(awk -v n="$newest" 'BEGIN { srand(20261206); for (k = 0; k < 2000; k++) print "/tickets/" (1 + int(rand() * n)) }' | paths_file ticket-page)"

# --- the same rows: ids of the first page of the list and of each search, from both apps ------------------------------
same=1
while read -r path; do
  a="$(bearer_get "$atende$path" "$token")"
  b="$(curl -sS -f "$raw$path")"
  if [[ "$(jq -c '[.items[].id]' <<<"$a")" != "$(jq -c '[.items[].id]' <<<"$b")" ]]; then
    echo "error: $path: Atende and the minimal app return different rows:" >&2
    echo "  Atende  $(jq -c '[.items[].id]' <<<"$a")" >&2
    echo "  minimal $(jq -c '[.items[].id]' <<<"$b")" >&2
    same=0
  elif [[ "$(jq -S -c . <<<"$a")" != "$(jq -S -c . <<<"$b")" ]]; then
    echo "note: $path: same ids, but the JSON differs: $(diff <(jq -S . <<<"$a") <(jq -S . <<<"$b") | head -n 4 | tr '\n' ' ')"
  fi
  echo "  same first page: $path ($(jq '.items | length' <<<"$a") rows)"
done < <(cat "$list_json" "$search_json")
(( same )) || exit 1
for path in "$list" "$(head -n1 "$search_html")"; do
  status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$atende$path")"
  [[ "$status" == 200 ]] || { echo "error: Atende $path with the session cookie answered $status" >&2; exit 1; }
done

# --- wrk ------------------------------------------------------------------------------------------------------------
# load <round> <scenario> <app> <url> <connections> <paths file> [VAR=value: TOKEN, COOKIE or ANONYMOUS=1]
load() {
  local round="$1" name="$2" app="$3" url="$4" conns="$5" file="$6" auth="$7" out line t
  t=$(( conns < threads ? conns : threads ))
  wait_quiet "$wait_load" "$wait_max"
  env "$auth" PATHS_FILE="$file" wrk -t"$t" -c"$conns" -d"$warmup" --timeout "$timeout" -s "$lua" "$url" >/dev/null
  out="$(env "$auth" PATHS_FILE="$file" wrk -t"$t" -c"$conns" -d"$duration" --timeout "$timeout" --latency -s "$lua" "$url")"
  line="$(grep '^RESULT' <<<"$out")"
  echo "round=$round scenario=$name app=$app c=$conns ${line#RESULT } load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$results"
}

# pair <round> <scenario> <Atende paths> <Atende auth> <minimal app paths>: both apps at 1 and at N connections.
pair() {
  local round="$1" name="$2" a_file="$3" a_auth="$4" b_file="$5" c
  [[ "$scenarios" == *" $name "* ]] || return 0
  for c in 1 "$connections"; do
    if (( round % 2 )); then
      load "$round" "$name" atende "$atende" "$c" "$a_file" "$a_auth"
      load "$round" "$name" raw "$raw" "$c" "$b_file" ANONYMOUS=1
    else
      load "$round" "$name" raw "$raw" "$c" "$b_file" ANONYMOUS=1
      load "$round" "$name" atende "$atende" "$c" "$a_file" "$a_auth"
    fi
  done
}

# each_pair <command> [args…]: runs the command for each paired scenario, with: scenario, Atende paths, Atende auth,
# minimal app paths.
each_pair() {
  "$@" list-json "$list_json" "TOKEN=$token" "$list_json"
  "$@" list-html "$list_html" "COOKIE=$cookie" "$list_html"
  "$@" search-json "$search_json" "TOKEN=$token" "$search_json"
  "$@" search-html "$search_html" "COOKIE=$cookie" "$search_html"
  "$@" healthz "$healthz" ANONYMOUS=1 "$healthz"
  "$@" floor-bearer "$floor" "TOKEN=$token" "$healthz"
  "$@" floor-cookie "$floor" "COOKIE=$cookie" "$healthz"
}

# prime <scenario> <Atende paths> <Atende auth> <minimal app paths>: unmeasured, before the first round (JIT, and the
# start-up work of Atende, which gathers SQLite statistics when it starts: in a run without this, its list-json p50 at
# -c1 was 23 ms in the first round, 2.9 and 3.7 ms in the next two).
prime() {
  [[ "$scenarios" == *" $1 "* ]] || return 0
  env "$3" PATHS_FILE="$2" wrk -t"$threads" -c"$connections" -d"$prime_for" --timeout "$timeout" -s "$lua" "$atende" >/dev/null
  ANONYMOUS=1 PATHS_FILE="$4" wrk -t"$threads" -c"$connections" -d"$prime_for" --timeout "$timeout" -s "$lua" "$raw" >/dev/null
}

echo
echo "Load: wrk -c1 and -t$threads -c$connections, $duration each after a $warmup warm-up, $rounds rounds (first, $prime_for of each unmeasured)"
each_pair prime
for round in $(seq 1 "$rounds"); do
  each_pair pair "$round"
done
if [[ "$scenarios" == *" agent-search "* ]]; then
  load 0 agent-search atende "$atende" 1 "$search_json" "TOKEN=$agent_token"
fi
if [[ "$scenarios" == *" ticket-page "* ]]; then
  load 0 ticket-page atende "$atende" 1 "$tickets" "COOKIE=$cookie"
fi

# --- bytes and memory -----------------------------------------------------------------------------------------------
bytes() { curl -sS -o /dev/null -w '%{size_download}' "${@:2}" "$1"; }
memory() { awk '/^VmRSS|^VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$1/status"; }
echo
echo "HTML bytes: list Atende $(bytes "$atende$list" -H "Cookie: $cookie"), minimal $(bytes "$raw$list");" \
  "search Atende $(bytes "$atende$(head -n1 "$search_html")" -H "Cookie: $cookie"), minimal $(bytes "$raw$(head -n1 "$search_html")");" \
  "ticket page Atende $(bytes "$atende$(head -n1 "$tickets")" -H "Cookie: $cookie")"
echo "Memory after the runs: Atende $(memory "$atende_pid")| minimal $(memory "$raw_pid")"

# --- table: medians over the rounds ---------------------------------------------------------------------------------
echo
echo "| scenario ($provider) | Atende p50 -c1 (ms) | minimal p50 -c1 (ms) | Atende req/s -c$connections | minimal req/s -c$connections | Atende ÷ minimal req/s (median of rounds) | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -v n="$connections" '
  function field(k,   i) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
  function median(list,   a, m, i, j, t) {
    m = split(list, a, " "); if (m == 0) return "";
    for (i = 2; i <= m; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  {
    s = field("scenario"); app = field("app"); c = field("c"); r = field("round")
    if (!(s in seen)) { seen[s] = 1; order[++k] = s }
    errors[s] += field("errors")
    if (c == 1) { p50[s, app] = p50[s, app] " " field("p50_ms"); p99[s, app] = p99[s, app] " " field("p99_ms") }
    if (c == n) { rps[s, app] = rps[s, app] " " field("rps"); round_rps[s, app, r] = field("rps") }
    rounds[s, r] = 1
  }
  END {
    for (i = 1; i <= k; i++) {
      s = order[i]; ratios = ""
      for (key in rounds) { split(key, part, SUBSEP); if (part[1] == s && round_rps[s, "raw", part[2]] > 0)
        ratios = ratios " " round_rps[s, "atende", part[2]] / round_rps[s, "raw", part[2]] }
      a50 = median(p50[s, "atende"]); if (s == "agent-search") a50 = a50 " (p99 " median(p99[s, "atende"]) ")"
      ratio = median(ratios)
      printf "| %s | %s | %s | %s | %s | %s | %d |\n", s, a50, median(p50[s, "raw"]), median(rps[s, "atende"]), median(rps[s, "raw"]),
        ratio == "" ? "" : sprintf("%.2f", ratio), errors[s]
    }
  }' "$results"
