#!/usr/bin/env bash
# Set up everything ecosystem needs on a fresh Debian/Ubuntu machine, idempotently:
# system tools (Graphviz for static figures, Chromium for the browser tests, xmllint for
# schema checks) and a virtual environment in .venv with the package and its test tools.
set -euo pipefail
cd "$(dirname "$0")"

packages=()
command -v dot >/dev/null 2>&1 || packages+=(graphviz)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v xmllint >/dev/null 2>&1 || packages+=(libxml2-utils)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || packages+=(fonts-noto-cjk)
# a C compiler and Python's headers build ecosystem/_speedups.c (the loader's fast checks)
command -v cc >/dev/null 2>&1 || packages+=(gcc)
python3 -c 'import os, sysconfig; raise SystemExit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || packages+=(python3-dev)
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${packages[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
# the C extension must build here (a build elsewhere without a compiler falls back to Python)
ECOSYSTEM_REQUIRE_SPEEDUPS=1 .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,static,fast]'
echo "setup: ready (.venv/bin/ecosystem)" >&2
