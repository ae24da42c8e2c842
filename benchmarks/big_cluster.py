"""A generated large scenario for benchmarks and level-of-detail tests: 100 nodes in 3 zones, 2,000 pods.

``generate(nodes, deployments, replicas)`` returns scenario YAML: ``nodes`` Nodes spread over zones a/b/c,
``deployments`` Deployments of ``replicas`` pods each, one Service per Deployment (ClusterIP, NodePort and
LoadBalancer in turn), ingress-nginx with one Ingress routing a host to each of the first five Services, and
two external Clients with Traffic (through the Ingress and to a load balancer). No positions: the canvas lays
it out. ``python benchmarks/big_cluster.py OUT.yaml`` writes the 100-node / 2,000-pod file.
"""

from __future__ import annotations

import argparse
import sys

TYPES = ("ClusterIP", "NodePort", "LoadBalancer")


def generate(nodes: int = 100, deployments: int = 20, replicas: int = 100) -> str:
    docs = ["apiVersion: podpath.dev/v1alpha1\nkind: Simulation\nmetadata: {name: big}\nspec: {seed: 7, tick: 0.1}\n"]
    for i in range(nodes):
        docs.append(f"apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i + 1}\n  labels:\n"
                    f"    topology.kubernetes.io/zone: zone-{'abc'[i % 3]}\n"
                    f"status:\n  capacity: {{cpu: '32', memory: 128Gi, pods: '110'}}\n")
    for d in range(deployments):
        svc_type = TYPES[d % len(TYPES)]
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{d}}}\nspec:\n"
                    f"  replicas: {replicas}\n  selector: {{matchLabels: {{app: app-{d}}}}}\n  template:\n"
                    f"    metadata: {{labels: {{app: app-{d}}}}}\n    spec:\n      containers:\n      - name: app\n"
                    f"        image: nginxinc/nginx-unprivileged:1.27\n"
                    f"        ports: [{{name: http, containerPort: 8080}}]\n"
                    f"        resources: {{requests: {{cpu: 10m, memory: 16Mi}}}}\n")
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{d}}}\nspec:\n  type: {svc_type}\n"
                    f"  selector: {{app: app-{d}}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n")
    docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ingress-nginx-controller}\nspec:\n"
                "  replicas: 2\n  selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}\n  template:\n"
                "    metadata: {labels: {app.kubernetes.io/name: ingress-nginx}}\n    spec:\n      containers:\n"
                "      - name: controller\n        image: registry.k8s.io/ingress-nginx/controller:v1.15.1\n"
                "        ports: [{name: http, containerPort: 80}]\n")
    docs.append("apiVersion: v1\nkind: Service\nmetadata: {name: ingress-nginx-controller}\nspec:\n"
                "  type: LoadBalancer\n  selector: {app.kubernetes.io/name: ingress-nginx}\n"
                "  ports: [{name: http, port: 80, targetPort: http}]\n")
    docs.append("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations:\n"
                "    ingressclass.kubernetes.io/is-default-class: 'true'\nspec: {controller: k8s.io/ingress-nginx}\n")
    rules = "".join(f"  - host: app-{d}.example.com\n    http:\n      paths:\n      - path: /\n"
                    f"        pathType: Prefix\n        backend: {{service: {{name: svc-{d}, port: {{number: 80}}}}}}\n"
                    for d in range(min(5, deployments)))
    if rules:
        docs.append(f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: apps}}\nspec:\n"
                    f"  ingressClassName: nginx\n  rules:\n{rules}")
    docs.append("apiVersion: podpath.dev/v1alpha1\nkind: Client\nmetadata: {name: browser}\nspec: {location: external}\n")
    docs.append("apiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: browser-app-0}\nspec:\n"
                "  client: browser\n  target: http://app-0.example.com/\n  rate: 50\n")
    return "---\n".join(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write the generated 100-node / 2,000-pod scenario (or another size).")
    ap.add_argument("out", help="the YAML file to write ('-' for standard output)")
    ap.add_argument("--nodes", type=int, default=100)
    ap.add_argument("--deployments", type=int, default=20)
    ap.add_argument("--replicas", type=int, default=100, help="pods per Deployment")
    a = ap.parse_args(argv)
    text = generate(a.nodes, a.deployments, a.replicas)
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
