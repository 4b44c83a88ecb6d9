#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing (safe to run again):
#   chromium (Debian's) at /usr/bin/chromium, driven by Playwright in tests/test_web_browser.py;
#   postgresql (Debian's, 15.x on Debian 12): initdb/pg_ctl under /usr/lib/postgresql/*/bin, which
#   tests/pg.py uses to start a throwaway server for the PostgreSQL store's contract suites.
# Playwright's own browser download (`playwright install`) is never used: it needs a host we cannot reach.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_system_deps: no apt-get here; install ${missing[*]} yourself (their tests skip without them)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install_system_deps: need root (or sudo) to apt-get install ${missing[*]}; their tests will skip" >&2
    exit 0
  fi
fi
echo "install_system_deps: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# postgresql: only the binaries are used; the packaged cluster Debian creates is left alone
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
[ -x /usr/bin/chromium ]
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
