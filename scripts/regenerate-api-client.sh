#!/usr/bin/env bash
# Regenerates the Kiota C# client in tests/Atende.ApiClient from the API's live OpenAPI document (the test app's
# /openapi/v1.json): writes tests/Atende.ApiClient/openapi.json and Generated/. Run it after changing the API;
# GeneratedClientTests fails in CI while the committed client is not current.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
ATENDE_REGENERATE_API_CLIENT=1 dotnet test tests/Atende.Web.Tests \
  --filter "FullyQualifiedName~GeneratedClientTests" >/dev/null
git status --short tests/Atende.ApiClient
