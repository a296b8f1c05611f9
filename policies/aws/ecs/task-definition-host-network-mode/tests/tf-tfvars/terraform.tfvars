mode       = "host"
other_mode = "host"
