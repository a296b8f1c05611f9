resource "aws_ecs_task_definition" "efs" {
  family                = "efs"
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = "fs-1"
      transit_encryption = "DISABLED"
    }
  }
}
