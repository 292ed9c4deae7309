#!/usr/bin/env bash
# Adds one EF Core migration with the same name to both providers: scripts/add-migration.sh AddTickets
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh MigrationName}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" \
    --project "src/Atende.Migrations.$provider" \
    --startup-project "src/Atende.Migrations.$provider" \
    --output-dir Migrations
done
