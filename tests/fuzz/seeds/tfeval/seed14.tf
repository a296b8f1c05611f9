variable "name" {
  type = string
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

resource "aws_ecs_task_definition" "this" {
  family                = var.name
  network_mode          = var.network_mode
  container_definitions = jsonencode([{ name = var.name, image = "nginx" }])
}
