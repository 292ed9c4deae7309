#!/usr/bin/env bash
# The SQL Atende sends for the requests bench/ab-raw.sh measures, from EF Core's command log: what
# bench/Atende.Bench.Raw/Sql.cs must hold (re-sync it after a change to the ticket list's queries).
#
#   bench/capture-sql.sh DB
#   bench/capture-sql.sh /tmp/benchdb/t100k.db                                                   # SQLite (copied first)
#   bench/capture-sql.sh "Host=127.0.0.1;Database=atende_bench;Username=atende_bench;Password=bench"   # PostgreSQL
#
# DB: a SQLite file (never modified: the app runs on a copy in WORK) or a PostgreSQL connection string, with data from
# `Atende.Bench generate … --tickets N`. Starts the Release build of src/Atende.Web with the command log on (JSON console,
# with scopes, so each statement carries the request path it ran for), requests each scenario once after a warm-up, and
# prints per request the number of statements and, with SQL=1 (default), their text:
#   healthz            GET /healthz, anonymous
#   floor-bearer       GET /api/v1/settings/company with a bearer token (an authenticated request that reads almost nothing)
#   floor-cookie       the same with the session cookie
#   list-json          GET /api/v1/tickets?pipelineId=<SUP>, bearer (admin)
#   list-html          GET /tickets?pipelineId=<SUP>, cookie (admin)
#   search-json        GET /api/v1/tickets?pipelineId=<SUP>&q=<each search of SEARCHES>, bearer
#   search-html        GET /tickets?pipelineId=<SUP>&q=<first search>, cookie
# Environment (optional): WORK=/tmp/atende-capture PORT=5310 EMAIL=bench@atende.local PASSWORD=bench-password-1
#   PIPELINE_ALIAS=SUP SEARCHES="impressora|nota fiscal|goncalves|joao silva|boleto|conceicao" (separated by |) SQL=1
# Needs: dotnet, curl, jq; a Release build of src/Atende.Web.
set -euo pipefail

db="${1:?usage: bench/capture-sql.sh DB (a SQLite file or a PostgreSQL connection string)}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/atende-app.sh
source "$here/atende-app.sh"
work="${WORK:-/tmp/atende-capture}"
port="${PORT:-5310}"
email="${EMAIL:-bench@atende.local}"
password="${PASSWORD:-bench-password-1}"
alias_name="${PIPELINE_ALIAS:-SUP}"
IFS='|' read -r -a searches <<<"${SEARCHES:-impressora|nota fiscal|goncalves|joao silva|boleto|conceicao}"
show_sql="${SQL:-1}"
url="http://127.0.0.1:$port"
log="$work/atende.log"
mkdir -p "$work"

if [[ "$db" == Host=* ]]; then
  connection="$db"
else
  rm -f "$work"/capture.db*
  cp "$db" "$work/capture.db"
  for suffix in -wal -shm; do [[ -f "$db$suffix" ]] && cp "$db$suffix" "$work/capture.db$suffix"; done
  connection="Data Source=$work/capture.db"
fi

atende_pid=""
trap 'stop_pid "$atende_pid"' EXIT
start_atende "$url" "$connection" "$work/data" "$log" \
  Logging__Console__FormatterName=json Logging__Console__FormatterOptions__IncludeScopes=true \
  Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information

token="$(token_for "$url" "$email" "$password")"
cookie="$(session_cookie "$url" "$email" "$password")"
pipeline="$(pipeline_id "$url" "$token" "$alias_name")"
[[ -n "$pipeline" ]] || { echo "error: no pipeline with alias $alias_name" >&2; exit 1; }
list="/tickets?pipelineId=$pipeline"

# capture <name> <auth: none|bearer|cookie> <path>: one request (after one unlogged warm-up of the same), then the
# statements EF logged for its path.
capture() {
  local name="$1" auth="$2" path="$3" args=() before statements count
  case "$auth" in
    bearer) args=(-H "Authorization: Bearer $token") ;;
    cookie) args=(-H "Cookie: $cookie") ;;
  esac
  curl -sS -o /dev/null "${args[@]}" "$url$path"
  sleep 0.5
  before="$(wc -l <"$log")"
  local status
  status="$(curl -sS -o /dev/null -w '%{http_code}' "${args[@]}" "$url$path")"
  sleep 0.5
  # Statements of this request: EF's "Executed DbCommand" (event 20101) whose scopes name the request's path.
  statements="$(tail -n +"$((before + 1))" "$log" | jq -c --arg p "${path%%\?*}" \
    'select(.EventId == 20101) | select(any(.Scopes[]?; .RequestPath? == $p)) | .State.commandText' 2>/dev/null || true)"
  count="$(grep -c . <<<"$statements" || true)"
  echo "== $name ($auth) GET $path -> $status: $count statements"
  if [[ "$show_sql" == 1 && -n "$statements" ]]; then
    jq -r '"-- statement\n" + . + ";"' <<<"$statements"
    echo
  fi
}

capture healthz none /healthz
capture floor-bearer bearer /api/v1/settings/company
capture floor-cookie cookie /api/v1/settings/company
capture list-json bearer "/api/v1$list"
capture list-html cookie "$list"
for q in "${searches[@]}"; do
  capture "search-json q=$q" bearer "/api/v1$list&q=$(urlencode "$q")"
done
capture "search-html q=${searches[0]}" cookie "$list&q=$(urlencode "${searches[0]}")"
