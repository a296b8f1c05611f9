# Terraform: --var-file and --var set root variables in command-line order (last wins), over terraform.tfvars
args: scan --all -p aws/ecs/task-definition-host-network-mode -p aws/ecs/task-definition-pid-mode --var-file tests/data/tf/prod.tfvars --var network_mode=host examples/terraform
