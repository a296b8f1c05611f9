# Terraform: bulkhead:ignore comments in HCL, above an attribute and beside a value inside jsonencode()
env: BH_TODAY=2026-11-22
args: scan --format json -p aws/ecs/task-definition-host-network-mode -p aws/ecs/task-definition-privileged tests/data/tf-suppress
