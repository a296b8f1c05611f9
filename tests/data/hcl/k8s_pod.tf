/*
 * A Kubernetes pod through the Terraform kubernetes provider.
 */
resource "kubernetes_pod_v1" "debug" {
  metadata {
    name      = "debug"
    namespace = "default"
    labels = {
      "app.kubernetes.io/name" = "debug"
      team: "platform"
    }
  }

  spec {
    host_network = true
    host_pid     = false

    container {
      name    = "shell"
      image   = "alpine:3.19"
      command = ["/bin/sh", "-c", "sleep ${60 * 60}"]

      security_context {
        privileged                 = true
        allow_privilege_escalation = !var.locked_down
        capabilities {
          add = ["SYS_ADMIN", "NET_ADMIN"]
        }
      }

      // mounts the host's docker socket
      volume_mount {
        name       = "docker"
        mount_path = "/var/run/docker.sock"
      }
    }

    volume {
      name = "docker"
      host_path {
        path = "/var/run/docker.sock"
      }
    }
  }
}

output "banner" {
  value = <<EOT
Pod %{ if var.verbose }${kubernetes_pod_v1.debug.metadata[0].name}%{ else }(hidden)%{ endif } is up.
%{ for k, v in var.extra ~}
${k}=${v}
%{ endfor ~}
EOT
}
