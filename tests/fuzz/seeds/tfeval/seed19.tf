variable "name" {
  type = string
}

variable "public" {
  type    = bool
  default = false
}

resource "aws_ecs_task_definition" "this" {
  family                = var.name
  network_mode          = "awsvpc"
  container_definitions = <<-EOT
    [
      {
        "name": "${var.name}",
        "image": "public.ecr.aws/example/${var.name}:2.0",
        "user": "1000",
        "readonlyRootFilesystem": true,
        "logConfiguration": {"logDriver": "awslogs"}
      }
    ]
  EOT
}

resource "aws_ecs_service" "this" {
  name            = var.name
  task_definition = aws_ecs_task_definition.this.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = ["subnet-0123"]
    assign_public_ip = var.public
  }
}
