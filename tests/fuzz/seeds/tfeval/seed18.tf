# An ECS service in Terraform, the way real modules write it: values behind
# variables, tfvars, locals and a local module; containers in jsonencode(),
# a heredoc and a file read by file().

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "agent_image" {
  type    = string
  default = "public.ecr.aws/example/agent:7"
}

variable "pid_mode" {
  type = string # no default and no tfvars value: unknown, so UNDETERMINED
}

locals {
  log_configuration = {
    logDriver = "awslogs"
    options   = { awslogs-group = "/ecs/edge" }
  }
}

# network_mode comes from terraform.tfvars: "host"
resource "aws_ecs_task_definition" "edge" {
  family       = "edge"
  network_mode = var.network_mode
  pid_mode     = var.pid_mode
  container_definitions = jsonencode([
    {
      name             = "proxy"
      image            = "envoyproxy/envoy:v1.31"
      user             = "0"
      logConfiguration = local.log_configuration
    },
    {
      name             = "agent"
      image            = var.agent_image
      privileged       = true
      logConfiguration = local.log_configuration
      mountPoints      = [{ sourceVolume = "docker", containerPath = "/var/run/docker.sock" }]
    }
  ])

  volume {
    name      = "docker"
    host_path = "/var/run/docker.sock"
  }
}

# Containers from a file: the findings point into containers/worker.json.
resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  container_definitions    = file("${path.module}/containers/worker.json")
}

module "api" {
  source = "./modules/service"
  name   = "api"
  public = true
}
