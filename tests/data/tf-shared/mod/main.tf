variable "mode" {}
resource "aws_ecs_task_definition" "this" {
  family                = "shared"
  network_mode          = var.mode
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
}
