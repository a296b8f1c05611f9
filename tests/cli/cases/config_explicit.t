# --config replaces the found .bulkhead.yaml: vendor/ is scanned, no
# override; its fail_threshold medium lets the low results pass
env: BH_TODAY=2026-01-01
args: scan --config tests/cli/data/suppress/configs/medium.yaml -p k8s/pod/readonly-root-filesystem tests/cli/data/suppress/project
