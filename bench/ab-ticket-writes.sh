#!/usr/bin/env bash
# Ticket writes, code before vs after the event backbone, interleaved in one run (see bench/README.md, "Ticket writes").
#
#   bench/ab-ticket-writes.sh BASE_DB
#   BEFORE_APP=/tmp/app-before AFTER_APP=/tmp/app-after bench/ab-ticket-writes.sh /tmp/wb/base.db
#
# BASE_DB: a SQLite file from `Atende.Bench generate … --tickets N` (never modified). BEFORE_APP and AFTER_APP: folders
# of `dotnet publish -c Release` of the two versions of src/Atende.Web. Variants (VARIANTS, in this order each round):
#   before          BEFORE_APP
#   after           AFTER_APP, no webhook endpoint (writes add the Events row only)
#   after-endpoint  AFTER_APP with one active endpoint subscribed to every event, pointing at bench/webhook-receiver.py
#                   (a delivery row per write; the dispatcher runs in the app and posts to the receiver meanwhile)
# Every run of every variant starts its app on a fresh copy of a template made once from BASE_DB: `before` uses it as it
# is, `after` after the after app has migrated it forward (started once), `after-endpoint` that plus the endpoint row,
# inserted with sqlite3 (there is no webhook API in this branch yet) and its secret protected with the after app's
# Data Protection keys by bench/protect-secret.cs. Then bench/run-ticket-writes.sh (create, status) against it.
# For after-endpoint it also records what the dispatcher did during the load: requests the receiver got, deliveries
# not yet Sent when the load ended, and how long the rest took to drain.
#
# Environment (optional): ROUNDS=3 VARIANTS="before after after-endpoint" WORK=/tmp/atende-ab PORT=5391
#   RECEIVER_PORT=5099 EMAIL=bench@atende.local PASSWORD=bench-password-1; DURATION, CONNECTIONS, THREADS, WARMUP,
#   SCENARIOS are passed to bench/run-ticket-writes.sh (defaults there: -t2 -c8, 15 s after a 5 s warm-up).
# Needs: dotnet, sqlite3, python3, wrk, curl, jq. Results: $WORK/results.txt (one line per run) and a summary table.
set -euo pipefail

base_db="${1:?usage: bench/ab-ticket-writes.sh BASE_DB}"
before_app="${BEFORE_APP:-/tmp/app-before}"
after_app="${AFTER_APP:-/tmp/app-after}"
rounds="${ROUNDS:-3}"
variants="${VARIANTS:-before after after-endpoint}"
work="${WORK:-/tmp/atende-ab}"
port="${PORT:-5391}"
receiver_port="${RECEIVER_PORT:-5099}"
email="${EMAIL:-bench@atende.local}"
password="${PASSWORD:-bench-password-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base="http://127.0.0.1:$port"
receiver="http://127.0.0.1:$receiver_port"
results="$work/results.txt"
mkdir -p "$work"
: >"$results"

for tool in dotnet sqlite3 python3 wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

app_pid=""
receiver_pid=""
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  [[ -n "$receiver_pid" ]] && kill "$receiver_pid" 2>/dev/null || true
}
trap cleanup EXIT

# start_app <published folder> <data path> <database file>: runs it in the background, waits until it answers.
start_app() {
  (cd "$1" && ASPNETCORE_URLS="$base" Atende__DataPath="$2" ConnectionStrings__Atende="Data Source=$3" \
    Logging__LogLevel__Default=Warning Atende__Webhooks__AllowPrivateTargets=true \
    exec dotnet Atende.Web.dll >"$work/app.log" 2>&1) &
  app_pid=$!
  local waited=0
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/" || true)" != 000 ]]; do
    sleep 1
    waited=$((waited + 1))
    if (( waited > 300 )) || ! kill -0 "$app_pid" 2>/dev/null; then
      echo "error: the app did not start; $work/app.log:" >&2
      tail -20 "$work/app.log" >&2
      exit 1
    fi
  done
}

stop_app() {
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

fresh_copy() {
  rm -f "$work/run.db" "$work/run.db-wal" "$work/run.db-shm"
  sqlite3 "$1" ".backup '$work/run.db'"
}

pending() { sqlite3 "$work/run.db" "SELECT count(*) FROM \"WebhookDeliveries\" WHERE \"Status\" <> 'Sent'"; }
received() { curl -s "$receiver/count" | jq -r .count; }

# --- templates ---------------------------------------------------------------------------------------------
echo "Templates in $work (from $base_db)"
sqlite3 "$base_db" ".backup '$work/before.db'"
if [[ " $variants " == *" after"* ]]; then
  rm -rf "$work/data-after"
  mkdir -p "$work/data-after"
  sqlite3 "$base_db" ".backup '$work/after.db'"
  start_app "$after_app" "$work/data-after" "$work/after.db"
  stop_app
  sqlite3 "$work/after.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  echo "  after.db: migrated by the after app ($(sqlite3 "$work/after.db" 'SELECT max("MigrationId") FROM "__EFMigrationsHistory"'))"
fi
if [[ " $variants " == *" after-endpoint "* ]]; then
  secret="whsec_$(head -c 24 /dev/urandom | base64)"
  protected="$(cd "$here" && dotnet run protect-secret.cs -- "$work/data-after/keys" "$secret" | tail -n1)"
  cp "$work/after.db" "$work/after-endpoint.db"
  now_ticks="$(python3 -c 'import time; print(int(time.time() * 10**7) + 621355968000000000)')"
  sqlite3 "$work/after-endpoint.db" "INSERT INTO \"WebhookEndpoints\" (\"Url\", \"Description\", \"Events\", \"Active\", \"ProtectedSecret\",
    \"CreatedAt\", \"UpdatedAt\", \"Version\") VALUES ('$receiver/hook', 'bench receiver', '', 1, '$protected', $now_ticks, $now_ticks, 1);"
  echo "  after-endpoint.db: + endpoint $receiver/hook (every event)"
  python3 "$here/webhook-receiver.py" "$receiver_port" &
  receiver_pid=$!
fi

# --- rounds ------------------------------------------------------------------------------------------------
for round in $(seq "$rounds"); do
  for variant in $variants; do
    echo
    echo "=== round $round: $variant ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
    case "$variant" in
      before) app="$before_app" data="$work/data-before" template="$work/before.db" ;;
      after) app="$after_app" data="$work/data-after" template="$work/after.db" ;;
      after-endpoint) app="$after_app" data="$work/data-after" template="$work/after-endpoint.db" ;;
      *) echo "error: unknown variant $variant" >&2; exit 1 ;;
    esac
    mkdir -p "$data"
    fresh_copy "$template"
    [[ "$variant" == after-endpoint ]] && curl -s "$receiver/reset" >/dev/null
    start_app "$app" "$data" "$work/run.db"
    APP_PID="$app_pid" LABEL="$variant" RESULTS_FILE="$results" OUT_DIR="$work/wrk-$round-$variant" \
      "$here/run-ticket-writes.sh" "$base" "$email" "$password" | grep -E '^  (create|status):'
    if [[ "$variant" == after-endpoint ]]; then
      left="$(pending)"
      got="$(received)"
      waited=0
      while (( $(pending) > 0 && waited < 120 )); do sleep 1; waited=$((waited + 1)); done
      events="$(sqlite3 "$work/run.db" 'SELECT count(*) FROM "Events"')"
      echo "  dispatcher: $events events raised, receiver had $got when the load ended, $left deliveries not yet Sent then;" \
        "drained in ${waited} s more (now $(pending) pending, receiver $(received))"
      echo "$variant dispatcher events=$events received_at_end=$got pending_at_end=$left drain_s=$waited" >>"$results"
    fi
    stop_app
  done
done

# --- summary -----------------------------------------------------------------------------------------------
echo
echo "Results ($results): median of $rounds rounds, [min–max]"
python3 - "$results" <<'EOF'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 3 or parts[1] == "dispatcher":
        continue
    values = dict(p.split("=") for p in parts[2:])
    runs.setdefault((parts[1], parts[0]), []).append(values)
print("| Scenario | Code | req/s | p50 (ms) | p99 (ms) | app CPU ms/req | errors | load avg |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
order = {"before": 0, "after": 1, "after-endpoint": 2}
for (scenario, code), rows in sorted(runs.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 9), kv[0][1])):
    def col(k, fmt):
        v = [float(r[k]) for r in rows if k in r]
        if not v:
            return "–"
        return f"{fmt.format(statistics.median(v))} [{fmt.format(min(v))}–{fmt.format(max(v))}]"
    errors = sum(int(r["errors"]) for r in rows)
    print(f"| {scenario} | {code} | {col('rps', '{:.1f}')} | {col('p50_ms', '{:.1f}')} | {col('p99_ms', '{:.1f}')} | {col('cpu_ms', '{:.2f}')} | {errors} | {col('load', '{:.1f}')} |")
EOF
