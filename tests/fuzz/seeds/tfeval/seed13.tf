# terraform.tfvars overrides the default; *.auto.tfvars override it, by name.
variable "mode" {
  default = "awsvpc"
}

variable "other_mode" {
  default = "host"
}

resource "aws_ecs_task_definition" "tfvars" {
  family                = "tfvars"
  network_mode          = var.mode
  container_definitions = "[]"
}

resource "aws_ecs_task_definition" "auto" {
  family                = "auto"
  network_mode          = var.other_mode
  container_definitions = "[]"
}
