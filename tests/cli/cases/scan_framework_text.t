# --framework in the text report
args: scan --framework cis-kubernetes-v1.6.0 examples/ecs examples/kubernetes
