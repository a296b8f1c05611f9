[
  {
    "name": "from-template",
    "image": "${image}",
    "privileged": ${privileged}
  }
]
