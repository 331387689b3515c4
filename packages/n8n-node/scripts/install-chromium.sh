#!/usr/bin/env bash
# Chromium for the browser check (playwright-core drives it; no browser download): Debian's package, or the browser
# CODEQR_CHROMIUM names (GitHub's hosted runners: their Google Chrome). Idempotent: does nothing when the browser is
# there. Installs with apt-get as root, or through sudo otherwise; no stdin.
set -euo pipefail
browser="${CODEQR_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  "$browser" --version >&2 || true
  exit 0
fi
if [ -n "${CODEQR_CHROMIUM:-}" ]; then
  echo "install-chromium: CODEQR_CHROMIUM=$CODEQR_CHROMIUM is not an executable browser" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
/usr/bin/chromium --version >&2
