locals {
  user = "0:0"
}

resource "aws_ecs_task_definition" "root" {
  family                = "root"
  container_definitions = jsonencode([{ name = "app", image = "nginx", user = local.user }])
}

resource "aws_ecs_task_definition" "nonroot" {
  family                = "nonroot"
  container_definitions = jsonencode([{ name = "app", image = "nginx", User = "1000" }])
}
