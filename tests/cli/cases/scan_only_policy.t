# --policy evaluates one policy
args: scan --all --policy aws/ecs/task-definition-privileged examples/ecs
