locals {
  sockets = { docker = "/var/run/docker.sock" }
}

resource "aws_ecs_task_definition" "dynamic_volume" {
  family = "dynamic-volume"
  container_definitions = jsonencode([{
    name        = "agent"
    image       = "agent"
    mountPoints = [{ sourceVolume = "docker", containerPath = "/var/run/docker.sock" }]
  }])
  dynamic "volume" {
    for_each = local.sockets
    content {
      name      = volume.key
      host_path = volume.value
    }
  }
}
