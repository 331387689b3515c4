#!/usr/bin/env bash
# Installs a pinned, real n8n into a cache folder OUTSIDE the repo (reused when present) and prints its folder.
# n8n 2.x refuses Node 20, so everything here runs on the repo's Node 24 (node_modules/.bin first on PATH).
#   --ignore-scripts: @confluentinc/kafka-javascript's postinstall downloads from the internet;
#   npm rebuild sqlite3: sqlite3 has no reachable prebuild, it compiles from source (N-API).
# Usage: packages/n8n-node/scripts/install-n8n.sh        (prints the n8n folder on the last line of stdout)
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/codeqr-integrations"
dir="${CODEQR_N8N_DIR:-$cache/n8n-$N8N_VERSION}"
export PATH="$repo/node_modules/.bin:$PATH"

if [ ! -x "$repo/node_modules/.bin/node" ]; then
  echo "install-n8n: run 'npm install' at the repo root first (it provides Node 24)" >&2
  exit 1
fi

if [ -f "$dir/.complete" ] && [ -x "$dir/node_modules/.bin/n8n" ]; then
  echo "install-n8n: reusing n8n@$N8N_VERSION in $dir" >&2
  echo "$dir"
  exit 0
fi

mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -f "$dir/.complete" ]; then echo "$dir"; exit 0; fi

echo "install-n8n: installing n8n@$N8N_VERSION into $dir (about 4 minutes, 2.8 GB)" >&2
cd "$dir"
[ -f package.json ] || printf '{"name":"codeqr-n8n-runtime","private":true}\n' > package.json
start=$(date +%s)
npm install "n8n@$N8N_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >&2
npm rebuild sqlite3 --loglevel=error >&2
node -e "require('$dir/node_modules/sqlite3')" >&2
touch .complete
echo "install-n8n: done in $(( $(date +%s) - start )) s" >&2
echo "$dir"
