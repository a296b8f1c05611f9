# An ECS service with two task definitions: one built with jsonencode, one
# from a heredoc of raw JSON.  Written for bulkhead's HCL parser tests.

locals {
  name        = "web-${var.environment}"
  host_mode   = var.environment == "dev" ? "host" : "awsvpc"
  cpu         = var.large ? 1024 : 256
  ports       = [for p in var.ports : { containerPort = p, protocol = "tcp" }]
  tags_by_env = { for k, v in var.tags : lower(k) => v if v != "" }
}

resource "aws_ecs_task_definition" "app" {
  family       = local.name
  network_mode = local.host_mode # bulkhead:ignore ECS001 reason="dev only"
  cpu          = local.cpu
  memory       = 2 * local.cpu

  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "${var.repository}:${var.tag}"
      essential    = true
      privileged   = false
      portMappings = local.ports
      environment = [
        { name = "MODE", value = "production" },
        { name = "REGION", value = data.aws_region.current.name },
      ]
      linuxParameters = {
        capabilities = {
          add  = []
          drop = ["ALL"]
        }
      }
    },
  ])

  dynamic "volume" {
    for_each = var.volumes
    content {
      name      = volume.value.name
      host_path = lookup(volume.value, "host_path", null)
    }
  }

  tags = merge(local.tags_by_env, { Name = local.name })
}

# bulkhead:ignore ECS002 reason="sidecar needs it"
resource "aws_ecs_task_definition" "sidecar" {
  family                = "sidecar"
  container_definitions = <<-EOT
    [
      {
        "name": "sidecar",
        "image": "busybox:1.36",
        "privileged": true,
        "essential": false
      }
    ]
    EOT
}

resource "aws_ecs_service" "app" {
  name            = local.name
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = var.replicas[*].count[0]
  subnets         = aws_subnet.private.*.id

  network_configuration { assign_public_ip = false }
}
