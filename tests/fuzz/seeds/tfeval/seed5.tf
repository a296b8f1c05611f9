resource "aws_ecs_cluster" "disabled" {
  name = "disabled"
  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_ecs_cluster" "enhanced" {
  name = "enhanced"
  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}
