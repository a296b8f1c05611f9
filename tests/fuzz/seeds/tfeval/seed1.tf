# The kubernetes provider sends allow_privilege_escalation = true when a
# container's security_context leaves it out.
resource "kubernetes_pod" "defaulted" {
  metadata { name = "defaulted" }
  spec {
    container {
      name  = "app"
      image = "nginx"
      security_context {
        run_as_user = "1000"
      }
    }
  }
}

resource "kubernetes_pod" "explicit" {
  metadata { name = "explicit" }
  spec {
    container {
      name  = "app"
      image = "nginx"
      security_context {
        allow_privilege_escalation = false
      }
    }
    init_container {
      name  = "init"
      image = "busybox"
      security_context {
        allow_privilege_escalation = false
      }
    }
  }
}

resource "kubernetes_job_v1" "dynamic" {
  metadata { name = "dynamic" }
  spec {
    template {
      metadata {}
      spec {
        dynamic "container" {
          for_each = ["a", "b"]
          content {
            name  = container.value
            image = "busybox"
            security_context {
              allow_privilege_escalation = container.value == "b"
            }
          }
        }
      }
    }
  }
}
