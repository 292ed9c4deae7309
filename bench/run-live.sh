#!/usr/bin/env bash
# The live hub under load (see bench/README.md, "Live hub: 500 clients, 50 msg/s"): one node, 500 WebSocket clients,
# 50 chat messages/s, each pushed to the 10 screens watching its ticket; delivery latency, losses, the app's CPU and memory.
#
#   bench/run-live.sh                                                                                 # SQLite
#   bench/run-live.sh "Host=127.0.0.1;Database=atende_bench_live;Username=atende_bench;Password=bench"  # PostgreSQL
#
# 1. Builds the app and bench/Atende.Bench.Live in Release (BUILD=0 skips it).
# 2. Starts the app (bench/atende-app.sh: Release, Production, Logging Warning) on a fresh data folder $WORK/data: with no
#    argument a new SQLite file there; with a PostgreSQL connection string, that database is dropped and created again
#    first (so its name must contain "live": the shared atende_bench databases are never touched). The login rate limit is
#    lifted (Atende__RateLimits__LoginPerMinute) so the setup can take ~100 tokens from one address.
# 3. Runs bench/Atende.Bench.Live against it, which, through the API: runs the setup wizard; creates 45 agents (workspace
#    Matriz, authorized on the pipeline ATD), 50 partners, a ticket for each and a portal user per partner (sees the
#    company's requests), and a token per user; opens 500 hub connections with the .NET SignalR client (WebSockets,
#    Authorization: Bearer), each watching one ticket: per ticket its customer and 9 agents' screens (each agent has 10
#    screens on 10 tickets). Then it sends RATE messages/s in all for WARMUP + DURATION seconds on a fixed schedule (ticket
#    i mod 50, from its watcher (i / 50) mod 10 in turn: 1 message/s per ticket, at most ~2/s per user, under ChatPace's 5/s),
#    and times, for each message measured, the chat push at each of the ticket's 10 screens (the sender's included) from
#    just before Send was invoked. Figures: deliveries expected/received/lost, latency p50/p90/p99/max, the app's CPU over
#    the window and its peak RSS (from /proc/<pid>), the generator's own CPU and the machine's.
#
# The generator runs on the same 2 cores as the app (and the database server for PostgreSQL): it takes its share of CPU
# (printed), so the latencies are those of a machine that also runs 500 clients. APP_CPUS / LOAD_CPUS pin them with taskset.
#
# Environment (optional): DURATION=60 WARMUP=10 RATE=50 TICKETS=50 WATCHERS=10 DRAIN=10 PORT=5320 WORK=/tmp/atende-live
#   APP_CPUS=<taskset list for the app, e.g. 0>  LOAD_CPUS=<for the generator, e.g. 1>  (default: both free on all cores)
#   COUNTERS=1: dotnet-counters collects the app's counters (runtime, Kestrel, SignalR, EF) every second into
#     $WORK/counters.csv while the generator runs
#   WAIT_LOAD=<n>: before starting the generator, wait (up to WAIT_MAX=300 s) until the 1-minute load average is below n
#   LABEL=<for the table>   EXTRA_ARGS=<more options of Atende.Bench.Live, e.g. "--agents 450" or "--portal false">
#   APP_DLL=<another Atende.Web.dll to run, e.g. a copy of the Release output with a changed runtimeconfig.json>
#   APP_ENV=<more VAR=value for the app, space-separated, e.g. "DOTNET_PerfMapEnabled=1 DOTNET_gcServer=0">
# Needs: dotnet, curl, jq (psql for PostgreSQL).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/atende-app.sh
source "$here/atende-app.sh"
db="${1:-}"
duration="${DURATION:-60}"
warmup="${WARMUP:-10}"
rate="${RATE:-50}"
tickets="${TICKETS:-50}"
watchers="${WATCHERS:-10}"
drain="${DRAIN:-10}"
port="${PORT:-5320}"
work="${WORK:-/tmp/atende-live}"
label="${LABEL:-}"
base="http://127.0.0.1:$port"
live_dll="$bench_root/bench/Atende.Bench.Live/bin/Release/net10.0/Atende.Bench.Live.dll"
atende_dll="${APP_DLL:-$atende_dll}"

for tool in dotnet curl jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

if [[ "${BUILD:-1}" != 0 ]]; then
  echo "Building (Release)…"
  dotnet build -c Release "$bench_root/src/Atende.Web" -v q -nologo | grep -E "error|Warn|Elapsed" || true
  dotnet build -c Release "$bench_root/bench/Atende.Bench.Live" -v q -nologo | grep -E "error|Warn|Elapsed" || true
fi
[[ -f "$live_dll" ]] || { echo "error: $live_dll missing: dotnet build -c Release bench/Atende.Bench.Live" >&2; exit 1; }

mkdir -p "$work"
rm -rf "$work/data"
if [[ "$db" == Host=* ]]; then
  # A fresh PostgreSQL database: dropped and created again by its own role (which needs CREATEDB).
  conn_field() { tr ';' '\n' <<<"$db" | sed -n "s/^[[:space:]]*$1[[:space:]]*=//Ip" | head -n1; }
  pg_db="$(conn_field Database)"
  [[ "$pg_db" == *live* ]] || { echo "error: the database name must contain \"live\" (it is dropped and created again): $pg_db" >&2; exit 1; }
  command -v psql >/dev/null || { echo "error: psql not found" >&2; exit 1; }
  export PGHOST="$(conn_field Host)" PGPORT="$(conn_field Port)" PGUSER="$(conn_field Username)" PGPASSWORD="$(conn_field Password)"
  [[ -n "$PGPORT" ]] || unset PGPORT
  psql -d postgres -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" -c "CREATE DATABASE \"$pg_db\""
  connection="$db"
  provider=PostgreSQL
else
  [[ -z "$db" ]] || { echo "usage: bench/run-live.sh [\"Host=…;Database=…live…;Username=…;Password=…\"]" >&2; exit 64; }
  connection="Data Source=$work/data/atende.db"
  provider=SQLite
fi

atende_pid=""
counters_pid=""
sampler_pid=""
cleanup() {
  [[ -n "$counters_pid" ]] && { kill "$counters_pid" 2>/dev/null || true; wait "$counters_pid" 2>/dev/null || true; }
  [[ -n "$sampler_pid" ]] && { kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; }
  stop_pid "$atende_pid"
}
trap cleanup EXIT

if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" != 000 ]]; then
  echo "error: something already answers on $base (another run?): set PORT" >&2
  exit 1
fi
echo "Live hub bench ($provider${label:+, $label}): $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$bench_root" rev-parse --short HEAD)"
# shellcheck disable=SC2086
start_atende "$base" "$connection" "$work/data" "$work/app.log" Atende__RateLimits__LoginPerMinute=100000 ${APP_ENV:-}
echo "App started: pid $atende_pid, $base ($atende_dll)"
if [[ -n "${APP_CPUS:-}" ]]; then
  taskset -a -p -c "$APP_CPUS" "$atende_pid" >/dev/null
  echo "App pinned to CPUs $APP_CPUS"
fi
wait_quiet "${WAIT_LOAD:-}" "${WAIT_MAX:-300}"

if [[ "${COUNTERS:-0}" == 1 ]]; then
  counters_tool="$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")"
  [[ -x "$counters_tool" ]] || { echo "error: dotnet-counters not found (dotnet tool install -g dotnet-counters)" >&2; exit 1; }
  rm -f "$work/counters.csv"
  "$counters_tool" collect -p "$atende_pid" --refresh-interval 1 --format csv -o "$work/counters.csv" \
    --counters System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Http.Connections,Microsoft.AspNetCore.Server.Kestrel,Microsoft.EntityFrameworkCore \
    >"$work/counters.log" 2>&1 &
  counters_pid=$!
fi

if [[ "$provider" == PostgreSQL ]]; then
  # The app's server connections to its database, every 2 s (one line each: epoch count).
  (while sleep 2; do
    echo "$(date +%s) $(psql -d postgres -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$pg_db'" 2>/dev/null || echo '?')"
  done) >"$work/pg-connections.txt" &
  sampler_pid=$!
fi

pin=()
[[ -n "${LOAD_CPUS:-}" ]] && pin=(taskset -c "$LOAD_CPUS")
set +e
# shellcheck disable=SC2086
"${pin[@]}" dotnet "$live_dll" --url "$base" --tickets "$tickets" --watchers "$watchers" --rate "$rate" --warmup "$warmup" \
  --duration "$duration" --drain "$drain" --app-pid "$atende_pid" --json "$work/result.json" ${EXTRA_ARGS:-} | tee "$work/result.txt"
rc=${PIPESTATUS[0]}
set -e

warnings="$(grep -cE '^(warn|fail|crit):' "$work/app.log" || true)"
echo "App log: $warnings warning/error entries ($work/app.log)"
[[ "$warnings" == 0 ]] || grep -E -A2 '^(warn|fail|crit):' "$work/app.log" | head -20
[[ -n "$counters_pid" ]] && echo "Counters: $work/counters.csv"
if [[ -n "$sampler_pid" ]]; then
  echo "PostgreSQL: at most $(awk '$2 ~ /^[0-9]+$/ && $2 > m { m = $2 } END { print m + 0 }' "$work/pg-connections.txt") server connections to $pg_db" \
    "during the run (max_connections $(psql -d postgres -Atc 'SHOW max_connections'); every 2 s in $work/pg-connections.txt)"
fi
exit "$rc"
