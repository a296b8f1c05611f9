# Terraform: the JSON report carries the trace to the tfvars line and names the unknown expression
args: scan --format json -p aws/ecs/task-definition-host-network-mode -p aws/ecs/task-definition-pid-mode examples/terraform/main.tf
