#!/usr/bin/env python3
"""Write a synthetic corpus of N infrastructure files mixing every format
bulkhead reads (ECS JSON, Kubernetes YAML, Compose, CloudFormation,
Terraform), half clean and half misconfigured, deterministically.

    bench/gen_corpus.py OUT_DIR N
"""
import os
import random
import sys

ECS = """{{
  "family": "svc-{i}",
  "networkMode": "{mode}",
  "containerDefinitions": [
    {{
      "name": "app-{i}",
      "image": "registry.example.com/app:{i}",
      "user": "{user}",
      "privileged": {priv},
      "readonlyRootFilesystem": {ro},
      "environment": [{{"name": "LOG_LEVEL", "value": "info"}}],
      "logConfiguration": {{"logDriver": "awslogs", "options": {{"awslogs-group": "/ecs/{i}"}}}}
    }},
    {{
      "name": "sidecar-{i}",
      "image": "registry.example.com/sidecar:1",
      "user": "1000",
      "readonlyRootFilesystem": true
    }}
  ]
}}
"""

K8S = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: team-{ns}
  labels: {{app: web-{i}}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      hostNetwork: {host}
      securityContext:
        runAsNonRoot: {nonroot}
        seccompProfile: {{type: RuntimeDefault}}
      containers:
        - name: web
          image: nginx:1.27
          ports: [{{containerPort: 8080}}]
          securityContext:
            allowPrivilegeEscalation: {esc}
            readOnlyRootFilesystem: true
            privileged: {priv}
            capabilities: {{drop: [ALL]}}
          resources:
            limits: {{cpu: 500m, memory: 256Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: web-{i}
spec:
  selector: {{app: web-{i}}}
  ports: [{{port: 80, targetPort: 8080}}]
"""

COMPOSE = """services:
  app:
    image: app:{i}
    user: "{user}"
    network_mode: {mode}
    read_only: {ro}
    privileged: {priv}
    security_opt: [no-new-privileges:true]
    volumes:
      - ./data:/data
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: app
"""

CFN = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  NetworkMode:
    Type: String
    Default: {mode}
Resources:
  Task{i}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: cfn-{i}
      NetworkMode: !Ref NetworkMode
      ContainerDefinitions:
        - Name: app
          Image: app:{i}
          User: "{user}"
          Privileged: {priv}
          ReadonlyRootFilesystem: {ro}
"""

TF = """variable "network_mode" {{
  default = "{mode}"
}}

resource "aws_ecs_task_definition" "t{i}" {{
  family       = "tf-{i}"
  network_mode = var.network_mode
  container_definitions = jsonencode([
    {{
      name       = "app"
      image      = "app:{i}"
      user       = "{user}"
      privileged = {priv}
    }}
  ])
}}
"""


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(42)
    kinds = [("ecs", ".json", ECS), ("k8s", ".yaml", K8S), ("compose", "/docker-compose.yml", COMPOSE),
             ("cfn", ".yaml", CFN), ("tf", "/main.tf", TF)]
    for i in range(n):
        name, ext, tmpl = kinds[i % len(kinds)]
        bad = rnd.random() < 0.5
        text = tmpl.format(
            i=i, ns=i % 7,
            mode="host" if bad else ("awsvpc" if name != "compose" else "bridge"),
            user="0" if bad else "1000",
            priv="true" if bad and rnd.random() < 0.5 else "false",
            ro="false" if bad else "true",
            host="true" if bad else "false",
            nonroot="false" if bad else "true",
            esc="true" if bad else "false")
        d = os.path.join(out, name, f"{i // 100:03d}")
        path = os.path.join(d, f"f{i:06d}{ext}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
