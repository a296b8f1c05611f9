# --framework rolls results up per control: CIS 5.2.2-5.2.4 cover ECS task definitions and Kubernetes pods alike
args: scan --framework cis-kubernetes-v1.6.0 --format json -p aws/ecs/task-definition-pid-mode -p aws/ecs/task-definition-host-network-mode -p k8s/pod/host-pid -p k8s/pod/host-network examples/ecs examples/kubernetes
