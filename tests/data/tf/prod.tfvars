pid_mode     = "task"
network_mode = "bridge"
