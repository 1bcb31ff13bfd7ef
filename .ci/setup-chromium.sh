#!/usr/bin/env bash
# Chromium for the browser test lane (test/browser/), driven by puppeteer-core.
#
# puppeteer-core downloads nothing; it drives the system Chromium. Idempotent:
# does nothing when `chromium` is already on PATH, or when this is not a root
# Debian machine with apt-get (then the browser lane reports why it cannot run,
# and fails when CI=true).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "setup-chromium: $(chromium --version 2>/dev/null || echo chromium) already installed at $(command -v chromium)"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: skipped (needs root and apt-get); set PIXELPREP_CHROMIUM to a Chromium binary or the browser lane will say why it cannot run"
  exit 0
fi
if ! grep -qs '^ID=debian' /etc/os-release; then
  echo "setup-chromium: skipped (not Debian); install Chromium by hand or set PIXELPREP_CHROMIUM"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
if command -v chromium >/dev/null 2>&1; then
  echo "setup-chromium: installed $(chromium --version 2>/dev/null) at $(command -v chromium)"
else
  echo "setup-chromium: apt-get installed chromium but it is not on PATH" >&2
  exit 1
fi
