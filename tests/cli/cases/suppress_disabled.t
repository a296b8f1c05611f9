# --no-inline-suppressions: comments noted, not applied, so exit 1
env: BH_TODAY=2026-01-01
args: scan --no-inline-suppressions -p k8s/pod/host-network -p k8s/pod/root-user tests/cli/data/suppress/inline
