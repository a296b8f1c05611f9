resource "aws_ecs_task_definition" "edge" {
  family = "edge"
  # bulkhead:ignore aws/ecs/task-definition-host-network-mode reason="edge proxy needs the host network"
  network_mode = "host"
  container_definitions = jsonencode([{
    name = "proxy"
    image = "envoy"
    privileged = true # bulkhead:ignore aws/ecs/task-definition-privileged reason="eBPF" until=2099-01-01
  }])
}
