#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing (safe to run again):
#   chromium (Debian's) at /usr/bin/chromium, driven by Playwright in tests/test_web_browser.py.
# Playwright's own browser download (`playwright install`) is never used: it needs a host we cannot reach.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_system_deps: no apt-get here; install chromium as /usr/bin/chromium (browser tests skip without it)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install_system_deps: need root (or sudo) to apt-get install chromium; browser tests will skip" >&2
    exit 0
  fi
fi
echo "install_system_deps: installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
