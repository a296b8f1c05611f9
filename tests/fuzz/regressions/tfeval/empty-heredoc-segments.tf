# Container definitions in every form Terraform writes them: the finding
# lands on the "privileged" value wherever its text is.
resource "aws_ecs_task_definition" "jsonencode" {
  family = "jsonencode"
  container_definitions = jsonencode([
    {
      name       = "app"
      image      = "nginx"
      privileged = true
    }
  ])
}

resource "aws_ecs_task_definition" "heredoc" {
  family                = "heredoc"
  container_definitions = <<EOT
[
  {
    "name": "app",
    "image": "${var.image}",
    "Privileged": true
  }
]
EOT
}

resource "aws_ecs_task_definition" "file" {
  family                = "file"
  container_definitions = file("${path.module}/containers.json")
}

resource "aws_ecs_task_definition" "template" {
  family = "template"
  container_definitions = templatefile("${path.module}/containers.json.tpl", {
    image      = "nginx"
    privileged = false
  })
}

resource "aws_ecs_task_definition" "unknown" {
  family                = "unknown"
  container_definitions = jsonencode([{ name = "app", image = "nginx", privileged = var.privileged }])
}

variable "image" {
  default = "nginx"
}

variable "privileged" {
  type = bool
}

resource "aws_ecs_task_definition" "template_privileged" {
  family = "template-privileged"
  container_definitions = templatefile("${path.module}/containers.json.tpl", {
    image      = "nginx"
    privileged = true
  })
}
