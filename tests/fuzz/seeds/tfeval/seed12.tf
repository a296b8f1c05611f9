# count = 0 and an empty for_each remove a resource; each instance is named.
variable "modes" {
  default = { web = "host", worker = "awsvpc" }
}

resource "aws_ecs_task_definition" "removed" {
  count                 = 0
  family                = "removed"
  network_mode          = "host"
  container_definitions = "[]"
}

resource "aws_ecs_task_definition" "empty" {
  for_each              = {}
  family                = "empty"
  network_mode          = "host"
  container_definitions = "[]"
}

resource "aws_ecs_task_definition" "per_mode" {
  for_each              = var.modes
  family                = each.key
  network_mode          = each.value
  container_definitions = "[]"
}

resource "aws_ecs_task_definition" "counted" {
  count                 = 2
  family                = "counted-${count.index}"
  network_mode          = count.index == 0 ? "host" : "bridge"
  container_definitions = "[]"
}
