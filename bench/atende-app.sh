# Helpers shared by bench/capture-sql.sh and bench/ab-raw.sh (source it): start and stop the Release builds of Atende
# and of the same-SQL minimal app, sign in (bearer token, session cookie), wait for a quiet machine.
# Needs: dotnet, curl, jq.

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
atende_dll="$bench_root/src/Atende.Web/bin/Release/net10.0/Atende.Web.dll"
raw_dll="$bench_root/bench/Atende.Bench.Raw/bin/Release/net10.0/Atende.Bench.Raw.dll"

# provider_env <connection>: the environment both apps read to reach the database. A connection that starts with
# "Host=" is PostgreSQL, anything else a SQLite "Data Source=<file>".
provider_env() {
  if [[ "$1" == Host=* ]]; then
    echo "Atende__Database__Provider=Postgres"
  else
    echo "Atende__Database__Provider=Sqlite"
  fi
}

# wait_answer <url> <pid> <log>: until the process answers at url (any HTTP status), or fail with the log's tail.
wait_answer() {
  local url="$1" pid="$2" log="$3" waited=0
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" != 000 ]]; do
    sleep 1
    waited=$((waited + 1))
    if (( waited > 300 )) || ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $url did not answer; $log:" >&2
      tail -20 "$log" >&2
      return 1
    fi
  done
}

# start_atende <url> <connection> <data path> <log> [VAR=value…]: the Release build in the background; sets atende_pid.
start_atende() {
  local url="$1" connection="$2" data="$3" log="$4"
  shift 4
  [[ -f "$atende_dll" ]] || { echo "error: $atende_dll missing: dotnet build -c Release src/Atende.Web" >&2; return 1; }
  mkdir -p "$data"
  (cd "$(dirname "$atende_dll")" && exec env ASPNETCORE_URLS="$url" ASPNETCORE_ENVIRONMENT=Production Atende__DataPath="$data" \
    ConnectionStrings__Atende="$connection" "$(provider_env "$connection")" Logging__LogLevel__Default=Warning "$@" \
    dotnet Atende.Web.dll >"$log" 2>&1) &
  atende_pid=$!
  wait_answer "$url/healthz" "$atende_pid" "$log"
}

# start_raw <url> <connection> <log>: the same-SQL minimal app in the background; sets raw_pid.
start_raw() {
  local url="$1" connection="$2" log="$3"
  [[ -f "$raw_dll" ]] || { echo "error: $raw_dll missing: dotnet build -c Release bench/Atende.Bench.Raw" >&2; return 1; }
  (cd "$(dirname "$raw_dll")" && exec env ASPNETCORE_URLS="$url" ConnectionStrings__Atende="$connection" \
    Logging__LogLevel__Default=Warning dotnet Atende.Bench.Raw.dll >"$log" 2>&1) &
  raw_pid=$!
  wait_answer "$url/healthz" "$raw_pid" "$log"
}

# stop_pid <pid>: ends one process this script started.
stop_pid() {
  [[ -n "${1:-}" ]] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# token_for <url> <email> <password>: a new personal API token (POST /api/v1/tokens).
token_for() {
  local body response
  body="$(jq -nc --arg e "$2" --arg p "$3" '{email: $e, password: $p, name: "bench"}')"
  response="$(curl -sS -X POST "$1/api/v1/tokens" -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}')"
  if [[ "${response##*$'\n'}" != 201 ]]; then
    echo "error: POST /api/v1/tokens for $2 answered ${response##*$'\n'}: ${response%$'\n'*}" >&2
    return 1
  fi
  jq -r .token <<<"${response%$'\n'*}"
}

# session_cookie <url> <email> <password>: signs in through the login page and prints the "name=value" cookie header
# value of the session (with the anti-forgery cookie, which the pages' forms need).
session_cookie() {
  local url="$1" jar form token status
  jar="$(mktemp)"
  form="$(curl -sS -c "$jar" -b "$jar" "$url/Login")"
  token="$(grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' <<<"$form" | head -n1 | sed 's/.*value="\([^"]*\)".*/\1/')"
  status="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -X POST "$url/Login" \
    --data-urlencode "Input.Email=$2" --data-urlencode "Input.Password=$3" --data-urlencode "__RequestVerificationToken=$token")"
  if [[ "$status" != 302 ]]; then
    echo "error: sign-in of $2 on $url/Login answered $status" >&2
    rm -f "$jar"
    return 1
  fi
  awk -F'\t' '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar"
  rm -f "$jar"
}

# bearer_get <url+path> <token>: the body of an authenticated API GET (fails on an HTTP error).
bearer_get() { curl -sS -f -H "Authorization: Bearer $2" -H 'Accept: application/json' "$1"; }

# pipeline_id <url> <token> <alias>: the id of the pipeline with that alias.
pipeline_id() {
  bearer_get "$1/api/v1/pipelines" "$2" | jq -r --arg a "$3" '.items[] | select(.alias == $a) | .id'
}

# wait_quiet <max load> [max seconds]: on a shared machine, wait until the 1-minute load average is below max load.
wait_quiet() {
  local max="${1:-}" limit="${2:-300}" waited=0
  [[ -n "$max" ]] || return 0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$max" 'BEGIN { exit !(l >= m) }' && (( waited < limit )); do
    sleep 5
    waited=$((waited + 5))
  done
  (( waited > 0 )) && echo "  (waited ${waited} s for load < $max)" >&2
  return 0
}

urlencode() { jq -rn --arg s "$1" '$s|@uri'; }
