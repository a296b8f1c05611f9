# A variable's default decides; a variable without one is UNDETERMINED.
variable "mode" {
  type    = string
  default = "host"
}

variable "unset_mode" {
  type = string
}

resource "aws_ecs_task_definition" "from_default" {
  family                = "from-default"
  network_mode          = var.mode
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
}

resource "aws_ecs_task_definition" "unknown" {
  family                = "unknown"
  network_mode          = var.unset_mode
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
}

locals {
  is_prod = false
  mode    = local.is_prod ? "awsvpc" : lower("HOST")
}

resource "aws_ecs_task_definition" "conditional" {
  family                = "conditional"
  network_mode          = local.mode
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
}

resource "aws_ecs_task_definition" "data_source" {
  family                = "data-source"
  network_mode          = data.aws_ssm_parameter.mode.value
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
}
