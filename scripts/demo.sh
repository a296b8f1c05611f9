#!/usr/bin/env bash
# Quick start, part 1: set up, build, and scan the bundled examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
echo
echo "$ bulkhead scan examples"
build/bulkhead scan examples && rc=0 || rc=$?
echo "(exit status $rc: 0 clean, 1 incompliant results, 2 usage, 3 unparsable input)"
