# A local module gets its inputs from the call; it is evaluated once per
# instance, and not on its own.
module "edge" {
  source       = "./modules/task"
  name         = "edge"
  network_mode = "host"
}

module "api" {
  source = "./modules/task"
  name   = "api"
}

module "none" {
  source = "./modules/task"
  count  = 0
  name   = "none"
}
