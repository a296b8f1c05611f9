# The kubernetes provider's workload resources, with and without _v1, and
# kubernetes_manifest.
resource "kubernetes_pod_v1" "pod" {
  metadata { name = "pod" }
  spec {
    host_network = true
    container {
      name  = "app"
      image = "nginx"
    }
  }
}

resource "kubernetes_deployment" "deployment" {
  metadata { name = "deployment" }
  spec {
    template {
      metadata { labels = { app = "web" } }
      spec {
        host_network = var.host_network
        container {
          name  = "app"
          image = "nginx"
        }
      }
    }
  }
}

resource "kubernetes_daemon_set_v1" "daemonset" {
  metadata { name = "daemonset" }
  spec {
    template {
      spec {
        host_network = "true"
        container {
          name  = "agent"
          image = "agent"
        }
      }
    }
  }
}

resource "kubernetes_cron_job_v1" "cron" {
  metadata { name = "cron" }
  spec {
    schedule = "*/5 * * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "job"
              image = "busybox"
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_manifest" "manifest" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "StatefulSet"
    metadata   = { name = "db", namespace = "default" }
    spec = {
      template = {
        spec = {
          hostNetwork = true
          containers  = [{ name = "db", image = "postgres" }]
        }
      }
    }
  }
}

variable "host_network" {
  type = bool
}
