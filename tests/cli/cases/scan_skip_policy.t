# --skip-policy
args: scan --skip-policy aws/ecs/task-definition-logging --skip-policy aws/ecs/task-definition-readonly-root-filesystem examples/ecs
