#!/usr/bin/env bash
# Quotes (S6) at scale: A = a generated database with quotes (bench/Atende.Bench quotes --count N), B = a copy of the same
# tickets without quotes; p50 at -c1 of the ticket list (whose header sums "a receber"), the sales pages and the API.
#   bench/run-quotes.sh WITH_QUOTES.db WITHOUT_QUOTES.db   (SQLite files, or two PostgreSQL connection strings "Host=…;Database=…";
#   both are modified: Atende migrates them)
# Needs the Release build (dotnet build -c Release src/Atende.Web), wrk, curl, jq. DUR=8s per run.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/atende-app.sh"
with="${1:?usage: bench/run-quotes.sh WITH_QUOTES.db WITHOUT_QUOTES.db}"; without="${2:?usage: bench/run-quotes.sh WITH_QUOTES.db WITHOUT_QUOTES.db}"
connection() { if [[ "$1" == *=* ]]; then echo "$1"; else echo "Data Source=$1"; fi; }
start_atende http://127.0.0.1:5461 "$(connection "$with")" /tmp/qa-data /tmp/qa.log || exit 1; pa=$atende_pid
start_atende http://127.0.0.1:5462 "$(connection "$without")" /tmp/qb-data /tmp/qb.log || { kill "$pa"; exit 1; }; pb=$atende_pid
ca=$(session_cookie http://127.0.0.1:5461 bench@atende.local bench-password-1); cb=$(session_cookie http://127.0.0.1:5462 bench@atende.local bench-password-1)
ta=$(token_for http://127.0.0.1:5461 bench@atende.local bench-password-1)
cat > /tmp/qb-auth.lua <<'L'
local c = os.getenv("COOKIE"); local t = os.getenv("TOKEN")
if c and #c > 0 then wrk.headers["Cookie"] = c end
if t and #t > 0 then wrk.headers["Authorization"] = "Bearer " .. t end
L
p50() { COOKIE="$2" TOKEN="$3" wrk -t1 -c1 -d${DUR:-8s} --latency -s /tmp/qb-auth.lua "$1" | awk '/ 50%/ {print $2}'; }
curl -s -b "$ca" "http://127.0.0.1:5461/tickets?pipelineId=1" | tr -s ' \n' ' ' | grep -o 'pipeline-receivable[^<]*<[^<]*<[^<]*<[^<]*<[^<]*' | head -2
for r in 1 2 3; do
  a=$(p50 "http://127.0.0.1:5461/tickets?pipelineId=1" "$ca"); b=$(p50 "http://127.0.0.1:5462/tickets?pipelineId=1" "$cb")
  echo "round $r list HTML p50: with 200k quotes $a, without quotes $b"
done
month=$(date -u -d '30 days ago' +%F); year=$(date -u -d '365 days ago' +%F)
for u in "/sales?tab=vendas" "/sales?tab=orcamentos" "/sales?tab=vendas&pipelineId=1" "/sales?tab=vendas&from=$month" "/sales?tab=vendas&from=$year"; do echo "$u p50 $(p50 "http://127.0.0.1:5461$u" "$ca")"; done
for u in "/api/v1/quotes?state=Approved" "/api/v1/quotes/totals?state=Approved" "/api/v1/quotes/totals?state=PendingApproval&pipelineId=1" "/api/v1/quotes/totals?state=Approved&from=$month"; do echo "$u p50 $(p50 "http://127.0.0.1:5461$u" "" "$ta")"; done
n=$(curl -s -H "Authorization: Bearer $ta" "http://127.0.0.1:5461/api/v1/quotes?state=Approved&limit=50" | jq -r .next); echo "page 2 cursor $n"; echo "/api/v1/quotes page 2 p50 $(p50 "http://127.0.0.1:5461/api/v1/quotes?state=Approved&after=$n" "" "$ta")"
curl -s -H "Authorization: Bearer $ta" "http://127.0.0.1:5461/api/v1/quotes/totals?state=Approved"; echo
grep VmRSS /proc/$pa/status
kill $pa $pb
