resource "aws_ecs_task_set" "public" {
  service         = "svc"
  cluster         = "main"
  task_definition = "web:1"
  network_configuration {
    subnets          = ["subnet-1"]
    assign_public_ip = true
  }
}
