#!/usr/bin/env bash
# How fast the webhook dispatcher delivers to a fast receiver (see bench/README.md, "Ticket writes").
#
#   bench/run-webhook-drain.sh          # after bench/ab-ticket-writes.sh, which made $WORK/after-endpoint.db
#
# 1. drain: the after app with its dispatcher off (Atende__Webhooks__Dispatcher=false) takes QUEUE_SECONDS of ticket
#    creations at full speed (bench/run-ticket-writes.sh create), so deliveries pile up; their rows are then copied
#    (same event, same endpoint: the receiver only counts) until QUEUE deliveries are pending, and the app is restarted
#    with the dispatcher on: QUEUE over the time from the receiver's first to its last request is the delivery rate of
#    the dispatcher alone (no other load in the app).
# 2. paced: the app (dispatcher on) under about RATE writes/s of PACED_SCENARIO (status or create; PACED_CONNECTIONS
#    connections, each waiting between requests, for PACED_SECONDS), sampling every 2 s the events raised, the
#    receiver's count and the deliveries not yet Sent: the dispatcher keeps up when that backlog stays flat.
#
# Environment (optional): WORK=/tmp/atende-ab AFTER_APP=/tmp/app-after PORT=5391 RECEIVER_PORT=5099 QUEUE_SECONDS=10
#   QUEUE=2000 RATE=200 PACED_SCENARIO=status PACED_CONNECTIONS=40 PACED_SECONDS=30 EMAIL PASSWORD; any Atende__Webhooks__* variable (BatchSize,
#   Parallelism…) is passed to the app as it is.
set -euo pipefail

work="${WORK:-/tmp/atende-ab}"
after_app="${AFTER_APP:-/tmp/app-after}"
port="${PORT:-5391}"
receiver_port="${RECEIVER_PORT:-5099}"
queue_seconds="${QUEUE_SECONDS:-10}"
queue="${QUEUE:-2000}"
paced_scenario="${PACED_SCENARIO:-status}"
rate="${RATE:-200}"
paced_connections="${PACED_CONNECTIONS:-40}"
paced_seconds="${PACED_SECONDS:-30}"
email="${EMAIL:-bench@atende.local}"
password="${PASSWORD:-bench-password-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base="http://127.0.0.1:$port"
receiver="http://127.0.0.1:$receiver_port"
[[ -f "$work/after-endpoint.db" ]] || { echo "error: no $work/after-endpoint.db; run bench/ab-ticket-writes.sh first" >&2; exit 1; }

app_pid=""
receiver_pid=""
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  [[ -n "$receiver_pid" ]] && kill "$receiver_pid" 2>/dev/null || true
}
trap cleanup EXIT

start_app() { # start_app <dispatcher true|false>
  (cd "$after_app" && ASPNETCORE_URLS="$base" Atende__DataPath="$work/data-after" ConnectionStrings__Atende="Data Source=$work/run.db" \
    Logging__LogLevel__Default=Warning Atende__Webhooks__AllowPrivateTargets=true Atende__Webhooks__Dispatcher="$1" \
    exec dotnet Atende.Web.dll >"$work/app-drain.log" 2>&1) &
  app_pid=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/" || true)" != 000 ]]; do
    sleep 0.2
    kill -0 "$app_pid" 2>/dev/null || { tail -20 "$work/app-drain.log" >&2; exit 1; }
  done
}
stop_app() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""; }
pending() { sqlite3 "$work/run.db" "SELECT count(*) FROM \"WebhookDeliveries\" WHERE \"Status\" <> 'Sent'"; }
received() { curl -s "$receiver/count" | jq -r .count; }
fresh_copy() {
  rm -f "$work/run.db" "$work/run.db-wal" "$work/run.db-shm"
  sqlite3 "$work/after-endpoint.db" ".backup '$work/run.db'"
}

if ! curl -s "$receiver/count" >/dev/null; then
  python3 "$here/webhook-receiver.py" "$receiver_port" &
  receiver_pid=$!
  sleep 1
fi

echo "Webhook dispatcher: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "1. drain: queue ${queue_seconds} s of creations with the dispatcher off, then deliver them"
fresh_copy
start_app false
DURATION="${queue_seconds}s" WARMUP=1s SCENARIOS=create LABEL=queue "$here/run-ticket-writes.sh" "$base" "$email" "$password" | grep -E '^  create:'
stop_app
raised="$(pending)"
sqlite3 "$work/run.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $queue)
  INSERT INTO \"WebhookDeliveries\" (\"EndpointId\", \"EventId\", \"Status\", \"Attempts\", \"NextAttemptAt\", \"CreatedAt\")
  SELECT d.\"EndpointId\", d.\"EventId\", 'Pending', 0, d.\"NextAttemptAt\", d.\"CreatedAt\"
  FROM n JOIN (SELECT *, row_number() OVER (ORDER BY \"Id\") - 1 AS k FROM \"WebhookDeliveries\" WHERE \"Status\" = 'Pending') d
    ON d.k = (n.i - 1) % $raised
  WHERE n.i <= $queue - $raised"
queued="$(pending)"
echo "  $raised deliveries raised by the writes, copied up to $queued pending"
curl -s "$receiver/reset" >/dev/null
started="$(date +%s.%N)"
start_app true
while (( $(received) < queued )); do
  sleep 0.2
  awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s > 600) }' && { echo "  gave up after 600 s" >&2; break; }
done
stats="$(curl -s "$receiver/count")"
jq -r --argjson queued "$queued" --argjson started "$started" '
  "  receiver got \(.count) of \($queued) in \((.last - .first) * 100 | round / 100) s from its first to its last request: " +
  "\(.count / (.last - .first) | round) deliveries/s (first one \((.first - $started) * 10 | round / 10) s after the app was started)"' <<<"$stats"
stop_app

echo
echo "2. paced: about $rate writes/s ($paced_scenario, -c$paced_connections) for ${paced_seconds} s with the dispatcher on"
fresh_copy
curl -s "$receiver/reset" >/dev/null
start_app true
(DURATION="${paced_seconds}s" WARMUP=1s SCENARIOS="$paced_scenario" CONNECTIONS="$paced_connections" RATE="$rate" LABEL=paced \
  "$here/run-ticket-writes.sh" "$base" "$email" "$password" | grep -E "^  $paced_scenario:") &
load_pid=$!
t0="$(date +%s)"
echo "  t (s)  events  received  not Sent"
while kill -0 "$load_pid" 2>/dev/null || (( $(pending) > 0 && $(date +%s) - t0 < paced_seconds + 120 )); do
  printf '  %5d  %6d  %8d  %8d\n' "$(( $(date +%s) - t0 ))" "$(sqlite3 "$work/run.db" 'SELECT count(*) FROM "Events"')" "$(received)" "$(pending)"
  sleep 2
done
wait "$load_pid" || true
stats="$(curl -s "$receiver/count")"
jq -r '"  receiver: \(.count) deliveries, \(.count / (.last - .first) | round)/s from its first to its last request"' <<<"$stats"
stop_app
