# a suppression stops applying after its until day (BH_TODAY past it): exit 1
env: BH_TODAY=2100-01-01
args: scan -p k8s/pod/host-network -p k8s/pod/root-user tests/cli/data/suppress/inline
