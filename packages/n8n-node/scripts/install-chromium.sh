#!/usr/bin/env bash
# Chromium from Debian's packages for the browser check (playwright-core drives it; no browser download).
# Idempotent: does nothing when /usr/bin/chromium is there. Needs root (CI runs as root), no stdin.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version >&2 || true
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
/usr/bin/chromium --version >&2
