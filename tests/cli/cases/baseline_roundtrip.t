# --create-baseline, then --baseline: only new findings are reported
script: tests/cli/scripts/baseline_roundtrip.sh
