# --framework in the Markdown report: a table of controls with their policies and counts
args: scan --format markdown --framework cis-kubernetes-v1.6.0 examples/ecs examples/kubernetes
