# a framework id that looks like a typo of a known one: did you mean
args: scan --framework CIS-Kubernetes-1.6.0 examples/ecs
