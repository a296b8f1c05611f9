# the seed policy
args: policies show aws/ecs/task-definition-host-network-root-user
