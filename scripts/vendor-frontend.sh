#!/usr/bin/env bash
# Vendors the front-end libraries served by Atende.Web into src/Atende.Web/wwwroot/lib/.
#
# Versions are pinned in src/Atende.Web/package.json and locked (with integrity hashes) in
# src/Atende.Web/package-lock.json. The copied files are committed, so building and running
# the app (`dotnet run`) needs no Node.js; only re-run this script after changing a version:
#
#   scripts/vendor-frontend.sh        (or: cd src/Atende.Web && npm run vendor)
#
# Files are copied byte-for-byte from the npm packages. Where a file ends with a
# sourceMappingURL comment, the referenced .map file is copied next to it as well, so the
# browser dev tools do not log 404s. Each library's LICENSE is copied into its folder.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$repo_root/src/Atende.Web"
nm="$web/node_modules"
lib="$web/wwwroot/lib"

command -v npm >/dev/null || { echo "error: npm not found (Node.js is only needed to run this script)" >&2; exit 1; }

echo "==> npm ci in ${web#"$repo_root"/}"
(cd "$web" && npm ci --ignore-scripts --no-audit --no-fund)

# Start from a clean slate for the folders this script owns (other folders in lib/ are left alone).
for d in htmx sortablejs bootstrap bootstrap-icons fullcalendar signalr chartjs; do
  rm -rf "${lib:?}/$d"
done
mkdir -p "$lib"

copied=()

# copy SRC DEST: SRC relative to node_modules, DEST relative to wwwroot/lib.
copy() {
  local src="$nm/$1" dest="$lib/$2"
  if [[ ! -s "$src" ]]; then
    echo "error: missing or empty source file: node_modules/$1" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$dest")"
  cp "$src" "$dest"
  copied+=("$2")
}

# copy_with_map SRC DEST: like copy, plus the source map if the file references one.
copy_with_map() {
  copy "$1" "$2"
  local map
  map="$(tail -n 3 "$nm/$1" | sed -n 's|.*[#@] sourceMappingURL=\([^ *]*\).*|\1|p' | tail -n 1)"
  if [[ -n "$map" ]]; then
    copy "$(dirname "$1")/$map" "$(dirname "$2")/$map"
  fi
}

version() {
  node -p "require(process.argv[1]).version" "$nm/$1/package.json"
}

echo "==> copying into ${lib#"$repo_root"/}"

# htmx
copy_with_map htmx.org/dist/htmx.min.js                htmx/htmx.min.js
copy          htmx.org/LICENSE                         htmx/LICENSE

# SortableJS
copy_with_map sortablejs/Sortable.min.js               sortablejs/Sortable.min.js
copy          sortablejs/LICENSE                       sortablejs/LICENSE

# Bootstrap (the bundle includes Popper)
copy_with_map bootstrap/dist/css/bootstrap.min.css     bootstrap/css/bootstrap.min.css
copy_with_map bootstrap/dist/js/bootstrap.bundle.min.js bootstrap/js/bootstrap.bundle.min.js
copy          bootstrap/LICENSE                        bootstrap/LICENSE
copy          @popperjs/core/LICENSE.md                bootstrap/LICENSE-popperjs.md

# Bootstrap Icons (the CSS loads fonts/bootstrap-icons.woff2|woff relative to itself)
copy_with_map bootstrap-icons/font/bootstrap-icons.min.css bootstrap-icons/font/bootstrap-icons.min.css
copy          bootstrap-icons/font/fonts/bootstrap-icons.woff2 bootstrap-icons/font/fonts/bootstrap-icons.woff2
copy          bootstrap-icons/font/fonts/bootstrap-icons.woff  bootstrap-icons/font/fonts/bootstrap-icons.woff
copy          bootstrap-icons/LICENSE                  bootstrap-icons/LICENSE

# FullCalendar (global builds; core must be loaded before the plugins and the locale)
for p in core daygrid timegrid interaction list; do
  copy_with_map "@fullcalendar/$p/index.global.min.js" "fullcalendar/$p.global.min.js"
done
copy_with_map @fullcalendar/core/locales/pt-br.global.min.js fullcalendar/locales/pt-br.global.min.js
copy          @fullcalendar/core/LICENSE.md            fullcalendar/LICENSE.md
copy          preact/LICENSE                           fullcalendar/LICENSE-preact   # bundled into core.global.min.js

# SignalR's browser client (the live hub: chat, live lists, the bell)
copy_with_map @microsoft/signalr/dist/browser/signalr.min.js signalr/signalr.min.js
# The package ships no license file; its package.json says MIT (copyright .NET Foundation): keep that statement with it.
printf 'MIT License\n\nCopyright (c) .NET Foundation and Contributors.\n\n@microsoft/signalr %s, license stated in its package.json: "%s".\nFull text: https://opensource.org/license/mit\n' \
  "$(version @microsoft/signalr)" "$(node -p "require(process.argv[1]).license" "$nm/@microsoft/signalr/package.json")" > "$lib/signalr/LICENSE.txt"
copied+=("signalr/LICENSE.txt")

# Chart.js (the dashboard's charts): the UMD build, which sets window.Chart
copy_with_map chart.js/dist/chart.umd.min.js             chartjs/chart.umd.min.js
copy          chart.js/LICENSE.md                      chartjs/LICENSE.md

# All @fullcalendar packages must be the same version.
fc_version="$(version @fullcalendar/core)"
for p in daygrid timegrid interaction list; do
  v="$(version "@fullcalendar/$p")"
  if [[ "$v" != "$fc_version" ]]; then
    echo "error: @fullcalendar/$p is $v but @fullcalendar/core is $fc_version" >&2
    exit 1
  fi
done

cat > "$lib/README.md" <<EOF
# Vendored front-end libraries

Generated by \`scripts/vendor-frontend.sh\` — do not edit by hand.

These are unmodified copies of files from the npm packages pinned in
\`src/Atende.Web/package.json\` and locked in \`src/Atende.Web/package-lock.json\`.
They are committed so that building and running the app needs no Node.js.
To upgrade, change the version in \`package.json\`, run \`npm install\` in
\`src/Atende.Web\` to update the lock file, then re-run \`scripts/vendor-frontend.sh\`
and commit the result.

| Folder | npm package | Version |
| --- | --- | --- |
| \`htmx/\` | htmx.org | $(version htmx.org) |
| \`sortablejs/\` | sortablejs | $(version sortablejs) |
| \`bootstrap/\` | bootstrap (bundle includes @popperjs/core $(version @popperjs/core)) | $(version bootstrap) |
| \`bootstrap-icons/\` | bootstrap-icons | $(version bootstrap-icons) |
| \`signalr/\` | @microsoft/signalr | $(version @microsoft/signalr) |
| \`chartjs/\` | chart.js | $(version chart.js) |
| \`fullcalendar/\` | @fullcalendar/core, daygrid, timegrid, interaction, list (core bundles preact $(version preact)) | $fc_version |

Source maps are copied alongside the files that reference them. Each folder
contains the license(s) of the code it holds.
EOF

echo "==> vendored files"
for f in "${copied[@]}" README.md; do
  if [[ ! -s "$lib/$f" ]]; then
    echo "error: $f is missing or empty" >&2
    exit 1
  fi
  printf '%10s  %s\n' "$(wc -c < "$lib/$f" | tr -d ' ')" "$f"
done
