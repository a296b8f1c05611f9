#!/usr/bin/env bash
# CTest report/html-chromium: the dashboard of examples/ in headless Chromium.
#   tests/report/run_html.sh BULKHEAD SRC_DIR OUT_DIR
set -uo pipefail
bin=$1 src=$2 out=$3
here=$src/tests/report
if [ ! -x /usr/bin/chromium ]; then
  echo "SKIP: /usr/bin/chromium is not installed (scripts/setup.sh installs Debian's chromium)"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "FAIL: playwright-core is not installed: run scripts/setup.sh (npm ci --prefix tests/report)"
  exit 1
fi
cd "$src" || exit 1
mkdir -p "$out"
"$bin" scan --format html -o "$out/dashboard.html" examples
"$bin" scan --format json -o "$out/dashboard.json" examples
exec node "$here/html_test.mjs" "$out/dashboard.html" "$out/dashboard.json" "$out/dashboard.png"
