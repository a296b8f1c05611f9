# a --cfn-param without '=' is a usage error
args: scan --cfn-param NetworkMode policies/aws/ecs/task-definition-host-network-mode/tests/cfn-short.yaml
