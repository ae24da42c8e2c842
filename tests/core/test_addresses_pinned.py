"""Pinned pod addresses (issue 7 item 7): a Pod's ``status.podIP`` inside its node's podCIDR and not in use is
kept -- ``.1`` included (only bridge CNIs reserve it); otherwise a located warning says what it got and why."""

import textwrap

from core.engine import Simulation
from core.scenario import build_model, loads_document

NODES = """\
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: node-1
      containers: [{name: c, image: nginx}]
"""

POD = """\
---
apiVersion: v1
kind: Pod
metadata: {name: %s}
spec: {nodeName: node-1, containers: [{name: c, image: x}]}
status: {podIP: %s}
"""


def run(text: str):
    model, warnings = build_model(loads_document(textwrap.dedent(text), "t.yaml"))
    sim = Simulation(model, dataplane=False)
    sim.run(1.0)
    ips = {p.name: p.ip for p in sim.state.pods.values()}
    return ips, [w.format() for w in warnings]


def test_pinned_dot_one_and_dot_two_are_kept_before_deployment_pods_take_them():
    # node-1 is the first node -> podCIDR 10.244.0.0/24; the Deployment's 3 pods are created first; the pinned
    # .1 and .2 are held from t=0, so the web pods take their identity slots (never .1 or .2)
    ips, warnings = run(NODES + POD % ("gw", "10.244.0.1") + POD % ("two", "10.244.0.2"))
    assert warnings == []
    assert ips["gw"] == "10.244.0.1" and ips["two"] == "10.244.0.2"
    web = {name: ip for name, ip in ips.items() if name.startswith("web-")}
    assert len(web) == 3 and not {"10.244.0.1", "10.244.0.2"} & set(web.values())
    assert all(ip == f"10.244.0.{_slot('default/' + name)}" for name, ip in web.items())


def test_unusable_pinned_addresses_are_replaced_with_a_located_warning():
    text = (NODES + POD % ("net", "10.244.0.0") + POD % ("bcast", "10.244.0.255") + POD % ("a", "10.244.0.7")
            + POD % ("dup", "10.244.0.7") + POD % ("away", "10.9.9.9"))
    ips, warnings = run(text)
    # line numbers: NODES is 15 lines; each POD block is 6 lines ("---" first, the object from its 2nd line,
    # status on its 6th): objects at 17, 23, 29, 35, 41, status lines 21, 27, 33, 39, 45;
    # "status: {podIP: " is 16 characters -> column 17
    assert warnings == [
        "t.yaml:21:17: warning: Pod default/net: status.podIP: pod IP 10.244.0.0 cannot be kept: it is the network "
        "address of podCIDR 10.244.0.0/24; the pod gets 10.244.0.2 instead (the first free address from .2 on "
        "node-1)",
        "t.yaml:27:17: warning: Pod default/bcast: status.podIP: pod IP 10.244.0.255 cannot be kept: it is the "
        "broadcast address of podCIDR 10.244.0.0/24; the pod gets 10.244.0.3 instead (the first free address from "
        ".2 on node-1)",
        "t.yaml:39:17: warning: Pod default/dup: status.podIP: pod IP 10.244.0.7 cannot be kept: Pod default/a "
        "(line 29) already has it; the pod gets 10.244.0.4 instead (the first free address from .2 on node-1)",
        "t.yaml:45:17: warning: Pod default/away: status.podIP: pod IP 10.9.9.9 cannot be kept: it is not in the "
        "node's podCIDR 10.244.0.0/24; the pod gets 10.244.0.5 instead (the first free address from .2 on node-1)"]
    assert (ips["net"], ips["bcast"], ips["a"], ips["dup"], ips["away"]) == (
        "10.244.0.2", "10.244.0.3", "10.244.0.7", "10.244.0.4", "10.244.0.5")
    # the Deployment's pods take their identity slots (none of them is .2-.5 or .7 here, so no probing)
    web = {name: ip for name, ip in ips.items() if name.startswith("web-")}
    assert len(web) == 3 and all(ip == f"10.244.0.{_slot('default/' + name)}" for name, ip in web.items())


def _slot(key: str) -> int:
    # PodIPAllocator.allocate_for on a /24: .2 .. .254 = 253 slots, .2 + sha256("0/" + key)[:8] mod 253
    import hashlib

    return 2 + int.from_bytes(hashlib.sha256(f"0/{key}".encode()).digest()[:8], "big") % 253


BARE = """\
---
apiVersion: v1
kind: Pod
metadata: {name: %s}
spec: {nodeName: %s, containers: [{name: c, image: x}]}
"""

EXTRA = """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: aaa}
spec:
  replicas: 4
  selector: {matchLabels: {app: aaa}}
  template:
    metadata: {labels: {app: aaa}}
    spec:
      nodeName: node-1
      containers: [{name: c, image: nginx}]
"""


def test_pods_of_the_file_get_an_address_from_their_identity():
    ips, warnings = run(NODES + BARE % ("probe", "node-1"))
    assert warnings == [] and ips["probe"] == f"10.244.0.{_slot('default/probe')}"
    # another Deployment scheduled before web (its name sorts first), another Pod, or no web at all: same IP
    assert run(NODES + EXTRA + BARE % ("probe", "node-1"))[0]["probe"] == ips["probe"]
    assert run(NODES + BARE % ("other", "node-1") + BARE % ("probe", "node-1"))[0]["probe"] == ips["probe"]
    assert run(NODES.split("---")[0] + BARE % ("probe", "node-1"))[0]["probe"] == ips["probe"]
    # the Deployment's pods get their own identity slots too (docs/kubernetes-model.md §2)
    web = {name: ip for name, ip in ips.items() if name.startswith("web-")}
    assert len(web) == 3 and all(ip == f"10.244.0.{_slot('default/' + name)}" for name, ip in web.items())
