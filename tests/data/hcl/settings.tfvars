environment = "prod"
large       = true
ports       = [80, 443]
replicas    = [{ count = 3 }]
tags = {
  Owner   = "platform"
  "Cost-Center" = "1234"
}
image_digest = "sha256:\u0061bc"
