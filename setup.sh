#!/usr/bin/env bash
# Set up everything ecosystem needs on a fresh Debian/Ubuntu machine, idempotently:
# system tools (Graphviz for static figures, Chromium for the browser tests, xmllint for
# schema checks) and a virtual environment in .venv with the package and its test tools.
# `./setup.sh --test` (what the tests and CI run) also installs the Spark engine for its tests:
# pyspark (the `spark` extra) and a headless Java runtime where none is found. `./setup.sh` alone
# (enough to build every figure and export) installs neither.
set -euo pipefail
cd "$(dirname "$0")"

tests=""
for argument in "$@"; do
  case "$argument" in
    --test) tests=1 ;;
    *) echo "setup: unknown option $argument (usage: ./setup.sh [--test])" >&2; exit 2 ;;
  esac
done

packages=()
if [ -n "$tests" ] && [ -z "${JAVA_HOME:-}" ] && ! command -v java >/dev/null 2>&1; then
  packages+=(default-jre-headless)
fi
command -v dot >/dev/null 2>&1 || packages+=(graphviz)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v xmllint >/dev/null 2>&1 || packages+=(libxml2-utils)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || packages+=(fonts-noto-cjk)
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
extras="test,static"
[ -z "$tests" ] || extras="$extras,spark"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
echo "setup: ready (.venv/bin/ecosystem)" >&2
