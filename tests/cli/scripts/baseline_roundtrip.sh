#!/usr/bin/env bash
# Baseline round trip (tests/cli/cases/baseline_roundtrip.t), in a scratch
# copy of tests/cli/data/baseline/app: create a baseline, scan against it
# (nothing new, exit 0), shift the lines (still nothing new: baselines hold
# no line numbers), then change a deciding line (the new finding appears).
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r tests/cli/data/baseline/app "$tmp/"
cd "$tmp" || exit 2
step() {
  echo "\$ bulkhead $*"
  "$bin" "$@" 2>&1
  echo "[exit $?]"
}
step scan --create-baseline baseline.json app
cat baseline.json
step scan --baseline baseline.json app
sed -i '1i # a comment that moves every line down' app/deploy.yaml
step scan --baseline baseline.json --format json -p k8s/pod/host-network app
sed -i 's/hostPID: false/hostPID: true/' app/deploy.yaml
step scan --baseline baseline.json app
