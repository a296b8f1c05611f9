other_mode = "bridge"
