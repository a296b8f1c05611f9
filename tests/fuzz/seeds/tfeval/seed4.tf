resource "aws_ecs_service" "public" {
  name            = "public"
  task_definition = aws_ecs_task_definition.web.arn
  network_configuration {
    subnets          = ["subnet-1"]
    assign_public_ip = true
  }
}

resource "aws_ecs_service" "private" {
  name = "private"
  network_configuration {
    subnets          = ["subnet-1"]
    assign_public_ip = false
  }
}

resource "aws_ecs_service" "variable" {
  name = "variable"
  network_configuration {
    subnets          = ["subnet-1"]
    assign_public_ip = var.public
  }
}

variable "public" {
  type = bool
}
