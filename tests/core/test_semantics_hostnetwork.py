"""Issue 8 item 5: hostNetwork pods use their node's IP and ports."""

import json

from core.cli import main
from core.engine import Simulation
from core.scenario import load_model

NODES = "".join(f"apiVersion: v1\nkind: Node\nmetadata: {{name: node-{i}}}\n---\n" for i in (1, 2))
CLIENT = """---
apiVersion: podpath.dev/v1alpha1
kind: Client
metadata: {name: laptop}
spec: {location: external, ip: 203.0.113.7}
"""
HOST_WEB = """---
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge}
spec:
  replicas: 3
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      hostNetwork: true
      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: http}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080, hostPort: 9090}]}]
---
apiVersion: v1
kind: Service
metadata: {name: edge}
spec:
  selector: {app: edge}
  ports: [{port: 80, targetPort: http}]
"""


def _route(capsys, path, *args):
    code = main(["route", str(path), *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_hostnetwork_pods_use_node_ip(shared_manifests, tmp_path, capsys):
    path = tmp_path / "flannel.yaml"
    path.write_text(NODES + (shared_manifests / "kube-flannel.yaml").read_text() + CLIENT)
    sim = Simulation(load_model(path), seed=0, dataplane=False)
    flannel = sorted((p.node, p.ip) for p in sim.state.pods.values() if p.name.startswith("kube-flannel-ds-"))
    # nodes get InternalIPs from 192.168.0.0/24 starting at .10; flannel runs in each node's network namespace
    assert flannel == [("node-1", "192.168.0.10"), ("node-2", "192.168.0.11")]
    # its healthz port 8081 answers on the node's address: an outside client reaches that node's flannel pod
    out = _route(capsys, path, "--to", "192.168.0.11:8081", "--from", "laptop", "--requests", "20")
    assert out["delivered"] == 20
    assert [(e["ip"], e["port"], e["node"]) for e in out["endpoints"]] == [("192.168.0.11", 8081, "node-2")]


def test_hostnetwork_ports_conflict_and_services_point_at_node_ips(tmp_path, capsys):
    path = tmp_path / "edge.yaml"
    path.write_text(NODES + HOST_WEB + CLIENT)
    sim = Simulation(load_model(path), seed=0, dataplane=False)
    edge = sorted((p.node or "", p.ip or "") for p in sim.state.pods.values() if p.name.startswith("edge-"))
    # containerPort 80 of a hostNetwork pod is hostPort 80 (defaultHostNetworkPorts): one per node, the third
    # fails NodePorts on both (Unschedulable, no lower-priority victim)
    assert edge == [("", ""), ("node-1", "192.168.0.10"), ("node-2", "192.168.0.11")]
    pending = next(p for p in sim.state.pods.values() if p.name.startswith("edge-") and p.node is None)
    assert pending.reason == (
        "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: "
        "0/2 nodes are available: 2 No preemption victims found for incoming pod..")
    # the Service's endpoints are the node IPs at the container port; ordinary pods keep pod-network addresses
    eps = sorted((e.ip, e.ports) for e in sim.state.slices[("default", "edge")].endpoints)
    assert eps == [("192.168.0.10", (("", 80, "TCP"),)), ("192.168.0.11", (("", 80, "TCP"),))]
    web = sorted(p.ip for p in sim.state.pods.values() if p.name.startswith("web-"))
    assert all(ip.startswith("10.244.") for ip in web)
    # through the ClusterIP from a pod on node-1: kube-proxy DNATs to nodeIP:80
    out = _route(capsys, path, "--to", "default/edge:80", "--from", "node-1", "--requests", "200")
    assert out["delivered"] == 200
    assert sorted(e["ip"] for e in out["endpoints"]) == ["192.168.0.10", "192.168.0.11"]
    # a hostPort of an ordinary pod: nodeIP:9090 is mapped to that pod's IP:8080
    web_on_1 = next(p for p in sim.state.pods.values() if p.name.startswith("web-") and p.node == "node-1")
    out = _route(capsys, path, "--to", "192.168.0.10:9090", "--from", "laptop", "--requests", "10")
    assert out["delivered"] == 10
    assert [(e["ip"], e["port"]) for e in out["endpoints"]] == [(web_on_1.ip, 8080)]
