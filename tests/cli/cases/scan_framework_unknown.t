# an unknown framework is a usage error
args: scan --framework cis-k8s examples/ecs
