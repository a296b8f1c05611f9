#!/usr/bin/env bash
# Install what bulkhead needs on Debian (as root), then configure and build.
# Usage: scripts/setup.sh [BUILD_DIR] [extra cmake args...]
# With BH_TEST_DEPS=1 (scripts/test.sh sets it) also what the tests use:
# Chromium, clang's libFuzzer, hyperfine, node and the tests' npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# apt-get install the Debian packages given that are missing.
install_missing() {
  local need=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  echo "setup: installing ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root (or install these Debian packages): ${need[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
}

install_missing build-essential cmake pkg-config libyaml-dev libcmocka-dev

if [ "${BH_TEST_DEPS:-0}" = 1 ]; then
  install_missing python3 python3-jsonschema chromium clang libclang-rt-14-dev hyperfine time
  # node for the differential test against HashiCorp's HCL parser and the
  # dashboard test: Debian's, unless one is already on the PATH
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    install_missing nodejs npm
  fi
  # the tests' pinned npm packages: HashiCorp's HCL parser, playwright-core
  for dir in tests/hcl2json tests/report; do
    [ -d "$dir/node_modules" ] || npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  done
fi

build=${1:-build}
shift || true
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
