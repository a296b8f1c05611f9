module "task" {
  source = "../mod"
  mode   = var.mode
}
variable "mode" {}
