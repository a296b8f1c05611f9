# suppressed results stay in the JSON report with a `suppression` object;
# only suppressed INCOMPLIANT results: exit 0 (suppress_disabled: exit 1)
env: BH_TODAY=2026-01-01
args: scan --format json -p k8s/pod/host-network -p k8s/pod/root-user tests/cli/data/suppress/inline
