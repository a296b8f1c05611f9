# --framework in the HTML dashboard: the controls' statuses embedded for a card
args: scan --format html --framework cis-kubernetes-v1.6.0 -p k8s/pod/host-pid -p aws/ecs/task-definition-pid-mode examples/ecs/web-host-root.json
