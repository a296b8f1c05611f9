# --severity-threshold: a high INCOMPLIANT result at the threshold fails the run
args: scan --severity-threshold high -p k8s/pod/host-pid tests/cli/data/suppress/inline
