other_mode = "host"
