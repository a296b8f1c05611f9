# the found config's fail_threshold (high): a medium INCOMPLIANT result
# does not fail the run (the high one is suppressed by the config)
env: BH_TODAY=2026-01-01
args: scan -p k8s/pod/allow-privilege-escalation -p k8s/pod/host-network tests/cli/data/suppress/project
