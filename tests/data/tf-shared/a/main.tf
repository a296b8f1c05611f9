module "task" {
  source = "../mod"
  mode   = "host"
}
