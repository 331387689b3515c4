#!/usr/bin/env bash
# Makes sure `redis-server` (Debian's package) is on this machine, for n8n's queue mode (scripts/queue-bench.ts):
# `apt-get update` once and `apt-get install -y redis-server` when it is missing (needs root or sudo). Prints the
# path of redis-server on the last line of stdout. On another system install Redis ≥ 6 your own way.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: reusing $(redis-server --version | head -1)" >&2
  command -v redis-server
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-redis: redis-server is missing and this is not a Debian/Ubuntu system: install Redis (≥ 6) and rerun" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "install-redis: installing Debian's redis-server (apt-get update + install)" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update >&2
$sudo apt-get install -y --no-install-recommends redis-server >&2
command -v redis-server
