pid_mode = "task
