# --soft-fail: INCOMPLIANT results do not fail the run
args: scan --soft-fail -p k8s/pod/host-pid tests/cli/data/suppress/inline
