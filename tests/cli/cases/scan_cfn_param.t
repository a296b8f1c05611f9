# CloudFormation: --cfn-param overrides a parameter's Default; the last one given wins
args: scan --all -p aws/ecs/task-definition-host-network-mode --cfn-param NetworkMode=host --cfn-param NetworkMode=awsvpc --cfn-param OtherMode=host policies/aws/ecs/task-definition-host-network-mode/tests/cfn-short.yaml
