"""Stable addresses (issue 7 item 7): adding, removing or changing one object leaves every other object's
ClusterIP, nodePorts, healthCheckNodePort, load-balancer IP, node IP, podCIDR and client IP alone, whether the
model is rebuilt from the edited document or from its saved text."""

import copy

import pytest

from core.ipam import PodCIDRAllocator, PortAllocator, SequentialIPAllocator, ServiceCIDRAllocator, preferred_slot
from core.model import ObjectRef
from core.scenario import DEMO_SCENARIO, build_model, dumps_document, load_document, loads_document


def addresses(model) -> dict:
    out: dict = {}
    for s in model.services:
        out[("Service", s.namespace, s.name)] = (s.cluster_ip, tuple((p.port, p.protocol, p.node_port) for p in s.ports),
                                                 s.health_check_node_port, s.load_balancer_ip)
    for n in model.nodes:
        out[("Node", "", n.name)] = (n.internal_ip, n.pod_cidr)
    for c in model.clients:
        out[("Client", "", c.name)] = (c.ip,)
    return out


def rebuilt(doc) -> dict:
    """Addresses after building the document, and the same after a save and reload (must agree)."""
    direct = addresses(build_model(doc)[0])
    reloaded = addresses(build_model(loads_document(dumps_document(doc), "saved.yaml"))[0])
    assert direct == reloaded
    return direct


NEW_OBJECTS = [
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "extra-cip", "namespace": "default"},
     "spec": {"selector": {"app": "web"}, "ports": [{"port": 81, "targetPort": 8080}]}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "extra-np", "namespace": "default"},
     "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 82, "targetPort": 8080}]}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "extra-lb", "namespace": "default"},
     "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local", "selector": {"app": "web"},
              "ports": [{"name": "http", "port": 83, "targetPort": 8080}, {"name": "dns", "port": 53, "protocol": "UDP"}]}},
    {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-4"}},
    {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "gpu-a"}},
    {"apiVersion": "podpath.dev/v1alpha1", "kind": "Client", "metadata": {"name": "phone"},
     "spec": {"location": "external"}},
]


@pytest.mark.parametrize("raw", NEW_OBJECTS, ids=lambda r: f"{r['kind']}-{r['metadata']['name']}")
@pytest.mark.parametrize("where", ["end", "start"])
def test_adding_an_object_leaves_every_other_address_alone(raw, where):
    doc = load_document(DEMO_SCENARIO)
    before = rebuilt(doc)
    if raw["kind"] == "Client":
        raw = {**raw, "apiVersion": next(e.raw["apiVersion"] for e in doc.entries if e.raw.get("kind") == "Client")}
    doc.add(copy.deepcopy(raw), None if where == "end" else 1)
    after = rebuilt(doc)
    new = (raw["kind"], raw["metadata"].get("namespace", ""), raw["metadata"]["name"])
    assert new in after
    assert {k: v for k, v in after.items() if k != new} == before


def test_removing_any_object_leaves_every_other_address_alone():
    doc = load_document(DEMO_SCENARIO)
    before = rebuilt(doc)
    refs = [r for r in doc.refs() if r.kind in ("Service", "Node", "Client", "Deployment", "Ingress", "Traffic")]
    checked = set()
    for ref in refs:
        trial = load_document(DEMO_SCENARIO)
        trial.remove(ref)
        if ref.kind != "Traffic":
            # the demo's Timeline fails node-2 and its Traffic names clients and Services: drop those
            # references too (neither holds an address)
            for r in [r for r in trial.refs() if r.kind in ("Timeline", "Traffic")]:
                trial.remove(r)
            for r in [r for r in trial.refs() if r.kind == "Client"]:
                if trial.get(r).get("spec", {}).get("node") == ref.name:
                    trial.remove(r)  # an in-cluster client runs as a pod on the removed node
        after = rebuilt(trial)
        checked.add(ref.kind)
        gone = (ref.kind, ref.namespace, ref.name)
        assert gone not in after and len(after) >= len(before) - 2
        assert {k: before[k] for k in after} == after, ref
    assert checked == {"Service", "Node", "Client", "Deployment", "Ingress", "Traffic"}


def test_changing_one_service_leaves_the_others_alone():
    doc = load_document(DEMO_SCENARIO)
    before = rebuilt(doc)
    ref = ObjectRef("Service", "default", "web-clusterip")
    doc.set_field(ref, "spec.type", "LoadBalancer")
    after = rebuilt(doc)
    key = ("Service", "default", "web-clusterip")
    assert after[key][0] == before[key][0]  # its own ClusterIP stays; it gains nodePorts and an LB IP
    assert after[key][3] is not None and after[key][1][0][2] is not None
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}


# ------------------------------------------------------------------------------------------ allocator unit


def test_preferred_slot_ordinal_and_hash():
    # "node-3" ends in 3 -> slot 2; "kind-worker2" -> 1; no digits -> sha256 of "0/<key>" mod n
    assert preferred_slot("node-3", 256, ordinal=True) == 2
    assert preferred_slot("kind-worker2", 256, ordinal=True) == 1
    assert preferred_slot("node-300", 256, ordinal=True) == 299 % 256 == 43
    import hashlib

    h = int.from_bytes(hashlib.sha256(b"0/kind-control-plane").digest()[:8], "big")
    assert preferred_slot("kind-control-plane", 256, ordinal=True) == h % 256
    h7 = int.from_bytes(hashlib.sha256(b"7/Service/default/web").digest()[:8], "big")
    assert preferred_slot("Service/default/web", 1000, salt=7) == h7 % 1000


def test_pod_cidrs_by_node_ordinal_and_probing():
    cidrs = PodCIDRAllocator("10.244.0.0/16", 24)
    assert cidrs.allocate_for("node-3") == "10.244.2.0/24"
    assert cidrs.allocate_for("node-1") == "10.244.0.0/24"
    # "worker1" also prefers block 0, which node-1 holds: the next free one is block 1
    assert cidrs.allocate_for("worker1") == "10.244.1.0/24"
    # node-2 prefers block 1 (taken) -> 2 (taken) -> 3
    assert cidrs.allocate_for("node-2") == "10.244.3.0/24"


def test_keyed_service_ip_in_dynamic_band_then_static():
    # /28: 14 usable, no static band (size 16 <= 16): every key lands somewhere in .1 .. .14 and all differ
    alloc = ServiceCIDRAllocator("10.0.0.0/28")
    got = {alloc.allocate_for(f"Service/ns/s{i}") for i in range(14)}
    assert got == {f"10.0.0.{i}" for i in range(1, 15)}
    # /24: 254 usable, static band .1 .. .16, dynamic .17 .. .254 (238 slots); a key's slot is 17 + h mod 238
    import hashlib

    alloc = ServiceCIDRAllocator("10.96.0.0/24")
    h = int.from_bytes(hashlib.sha256(b"0/Service/default/web").digest()[:8], "big")
    assert alloc.allocate_for("Service/default/web") == f"10.96.0.{17 + h % 238}"


def test_keyed_node_port_and_pool():
    import hashlib

    ports = PortAllocator()  # dynamic band 30086 .. 32767: 2682 ports
    h = int.from_bytes(hashlib.sha256(b"3/Service/a/b/nodePort/TCP/80").digest()[:8], "big")
    assert ports.allocate_for("Service/a/b/nodePort/TCP/80", 3) == 30086 + h % 2682
    pool = SequentialIPAllocator("192.168.0.0/24", 10)  # .10 .. .254: 245 addresses
    assert pool.allocate_for("node-1") == "192.168.0.10"
    assert pool.allocate_for("node-12") == "192.168.0.21"
    pool.occupy("192.168.0.11")
    assert pool.allocate_for("node-2") == "192.168.0.12"  # .11 pinned by another node: probe to .12


def test_live_edits_leave_every_other_address_and_running_pod_ip_alone():
    # the same edits applied to a running simulation (core.live.edits): a new Service of each type, a removed
    # Service, a new bare Pod; every untouched Service keeps its ClusterIP/nodePorts/LB IP, every running pod
    # its IP, and the result equals a fresh build of the edited document
    from core.engine import Simulation
    from core.live.edits import edit_document, track_document

    doc = load_document(DEMO_SCENARIO)
    model = build_model(doc)[0]
    sim = Simulation(model)
    track_document(sim, doc)
    sim.run(5.0)
    before = addresses(sim.model)
    pod_ips = {(p.namespace, p.name): p.ip for p in sim.state.pods.values() if p.ip}
    for raw in NEW_OBJECTS[:3]:
        doc.add(copy.deepcopy(raw))
        edit_document(sim, doc)
        sim.step(0.5)
    doc.remove(ObjectRef("Service", "default", "docs"))
    edit_document(sim, doc)
    sim.run(8.0)
    after = addresses(sim.model)
    changed = {("Service", "default", n) for n in ("extra-cip", "extra-np", "extra-lb", "docs")}
    assert {k: v for k, v in after.items() if k not in changed} == {k: v for k, v in before.items() if k not in changed}
    assert after == addresses(build_model(loads_document(dumps_document(doc), "saved.yaml"))[0])
    assert all(sim.state.pods[k].ip == ip for k, ip in pod_ips.items() if k in sim.state.pods)
