#!/usr/bin/env bash
# CTest hcl/differential: bulkhead's HCL parser against HashiCorp's own on
# every .tf file of ../shared/corpus (see diff.mjs).
#   tests/hcl2json/run.sh BH_HCLDUMP SRC_DIR
set -euo pipefail
dump=$1 src=$2
shared=$src/../shared/corpus
if [ ! -d "$shared" ]; then
  echo "SKIP: $shared is absent (it sits beside the checkout in CI); nothing to compare against"
  exit 77
fi
here=$src/tests/hcl2json
if [ ! -d "$here/node_modules/@cdktf/hcl2json" ]; then
  echo "FAIL: @cdktf/hcl2json is not installed: run scripts/setup.sh (npm ci --prefix tests/hcl2json)"
  exit 1
fi
exec node "$here/diff.mjs" "$dump" "$shared" "$here/known.txt"
