# --limit lowers a reader limit: each file past it is an error with its place, the others are scanned
args: scan --limit json-depth=3 --limit tf-steps=20 -p aws/ecs/task-definition-host-network-mode examples/ecs examples/terraform
