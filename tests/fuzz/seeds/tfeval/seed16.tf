resource "aws_ecs_capacity_provider" "unprotected" {
  name = "unprotected"
  auto_scaling_group_provider {
    auto_scaling_group_arn         = "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:x"
    managed_termination_protection = "DISABLED"
  }
}
