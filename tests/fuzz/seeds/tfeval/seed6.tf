# The functions around container definitions.
locals {
  defaults = { image = "nginx", essential = true }
  sidecars = [{ name = "log", image = "fluent-bit", privileged = false }]
  flags    = { debug = "true" }
}

resource "aws_ecs_task_definition" "merged" {
  family = "merged"
  container_definitions = jsonencode(concat(
    [merge(local.defaults, {
      name       = format("%s-%d", "app", 1)
      privileged = tobool(lookup(local.flags, "debug", "false"))
    })],
    local.sidecars,
  ))
}

resource "aws_ecs_task_definition" "flattened" {
  family = "flattened"
  container_definitions = jsonencode(flatten([
    [for n in split(",", "a,b") : { name = upper(n), image = "nginx" }],
    [{ name = join("-", ["c", "d"]), image = replace("nginx:x", ":x", ""),
       privileged = try(local.missing.value, contains(["x"], "x")) }],
  ]))
}

resource "aws_ecs_task_definition" "decoded" {
  family = "decoded"
  container_definitions = jsonencode([
    merge(jsondecode("{\"name\": \"d\", \"image\": \"nginx\"}"), {
      privileged = can(local.missing) || length(local.sidecars) > 1
    }),
    { name = element(["e"], 0), image = coalesce("", "nginx"),
      privileged = tostring(tonumber("1")) == "1" && !contains(tolist(toset(["a"])), "b") }
  ])
}
