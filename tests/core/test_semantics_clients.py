"""Issue 8 item 13: in-cluster client addresses are pod addresses of the client's node."""

import ipaddress
import json

import numpy as np

from core.cli import main
from core.dataplane.flows import client_addresses
from core.dataplane.tables import ip_to_u32
from core.dataplane.targets import TargetError
from core.engine import Simulation
from core.model import ClientSpec
from core.scenario import build_model, loads_document

SCENARIO = """\
apiVersion: v1
kind: Node
metadata: {name: node-1}
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
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


def _u32(*ips):
    return {ip_to_u32(ip) for ip in ips}


def test_in_cluster_client_addresses_stay_in_the_node_pod_cidr():
    client = ClientSpec("c", "internal", None, "node-1")
    # 10.244.0.0/24: pod addresses .2-.254 (253); two pods hold .2 and .3 -> 251 free, from .254 down to .4
    got = client_addresses(client, 251, "10.244.0.0/24", _u32("10.244.0.2", "10.244.0.3"))
    ips = [str(ipaddress.IPv4Address(int(a))) for a in got]
    assert ips[0] == "10.244.0.254" and ips[-1] == "10.244.0.4"
    assert len(set(ips)) == 251
    assert not {"10.244.0.0", "10.244.0.1", "10.244.0.2", "10.244.0.3", "10.244.0.255"} & set(ips)
    try:
        client_addresses(client, 252, "10.244.0.0/24", _u32("10.244.0.2", "10.244.0.3"))
    except TargetError as exc:
        assert "253 pod addresses (10.244.0.2 to 10.244.0.254), 251 of them free" in str(exc)
    else:
        raise AssertionError("252 clients cannot fit")
    # a /30 podCIDR has only .2 as a pod address; a client with its own IP keeps it first
    assert client_addresses(client, 1, "10.244.7.0/30").tolist() == [ip_to_u32("10.244.7.2")]
    own = ClientSpec("c", "internal", "10.244.0.9", "node-1")
    assert client_addresses(own, 3, "10.244.0.0/24").tolist() == [ip_to_u32(x) for x in (
        "10.244.0.9", "10.244.0.254", "10.244.0.253")]
    # external clients keep their address block
    ext = client_addresses(ClientSpec("e", "external", "198.51.100.10"), 3, None)
    assert np.array_equal(ext, np.array([ip_to_u32(f"198.51.100.{i}") for i in (10, 11, 12)], np.uint32))


def test_clients_300_from_a_node(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    # 300 pods cannot live on one /24 node: a usage error, not addresses outside the pod network
    assert main(["route", str(path), "--to", "default/web:80", "--from", "node-1", "--clients", "300"]) == 2
    err = capsys.readouterr().err
    assert "300 in-cluster client addresses do not fit node node-1's podCIDR 10.244.0.0/24" in err
    assert "use --clients 251 or fewer" in err
    # 251 fit; the traces' sources are all inside 10.244.0.2-.254 and never web's two pod addresses
    assert main(["route", str(path), "--to", "default/web:80", "--from", "node-1", "--clients", "251",
                 "--requests", "2000", "--trace", "2000", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    srcs = {t["src"].rsplit(":", 1)[0] for t in report["traces"]}
    net = ipaddress.IPv4Network("10.244.0.0/24")
    assert all(ipaddress.IPv4Address(s) in net and 2 <= int(s.rsplit(".", 1)[1]) <= 254 for s in srcs)
    pod_ips = {p.ip for p in Simulation(build_model(loads_document(SCENARIO, "s.yaml"))[0]).state.pods.values()}
    assert len(pod_ips) == 2 and not srcs & pod_ips
    assert len(srcs) > 200
