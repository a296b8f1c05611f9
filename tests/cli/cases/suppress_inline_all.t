# text --all lists suppressed results with their reason
env: BH_TODAY=2026-01-01
args: scan --all -p k8s/pod/host-network -p k8s/pod/root-user tests/cli/data/suppress/inline
