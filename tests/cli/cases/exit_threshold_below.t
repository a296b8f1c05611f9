# --severity-threshold: a high INCOMPLIANT result below critical does not fail the run
args: scan --severity-threshold critical -p k8s/pod/host-pid tests/cli/data/suppress/inline
