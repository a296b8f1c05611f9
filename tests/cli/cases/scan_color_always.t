# --color always: ANSI colour even into a pipe (and despite NO_COLOR, which only affects auto)
args: scan --color always -p aws/ecs/task-definition-host-network-mode examples/terraform
