"""A seeded classroom run whose whole event log and final state were worked out by hand."""

import hashlib
import json

from core.cli.run import run_model
from core.model import (
    ClusterModel,
    Container,
    NodeSpec,
    PodTemplate,
    Resources,
    ServicePort,
    ServiceSpec,
    TimelineEvent,
    WorkloadSpec,
)


def model():
    tpl = PodTemplate(labels={"app": "web"}, containers=(Container("web", requests=Resources(500, 64 << 20)),))
    m = ClusterModel(nodes=[NodeSpec("node-1"), NodeSpec("node-2")])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", 2, {"app": "web"}, tpl)]
    m.services = [ServiceSpec("default", "web", ports=(ServicePort(80),), selector={"app": "web"})]
    m.timeline = [TimelineEvent(3.0, "failNode", "node-1"), TimelineEvent(40.0, "recoverNode", "node-1")]
    return m


def test_classroom_failure_and_recovery_log():
    data = run_model(model(), 60.0, seed=9, preset="classroom")
    log = [(e["time"], e["type"], e["reason"], e["object"].split("/")[0]) for e in data["events"]]
    # classroom: grace 5, monitor period 1, toleration 10, termination grace 3; startup 2 + readiness 2
    assert log == [
        (0.0, "Normal", "ScalingReplicaSet", "deployment"),  # the Deployment creates its ReplicaSet from 0
        (0.0, "Normal", "SuccessfulCreate", "replicaset"), (0.0, "Normal", "SuccessfulCreate", "replicaset"),
        (0.0, "Normal", "Scheduled", "pod"), (0.0, "Normal", "Scheduled", "pod"),  # one per node
        (8.0, "Normal", "NodeNotReady", "node"),  # failed at 3, 3 + 5 = 8
        (8.0, "Warning", "NodeNotReady", "pod"),
        (18.0, "Normal", "TaintManagerEviction", "pod"),  # 8 + 10
        (18.0, "Normal", "SuccessfulCreate", "replicaset"),
        (18.0, "Normal", "Scheduled", "pod"),  # node-1 is tainted: node-2
        (40.0, "Normal", "NodeReady", "node"),  # back at 40: the stale pod is killed and removed
        (40.0, "Normal", "Killing", "pod"),
    ]
    rs = data["events"][1]["object"].split("/")[-1]
    assert data["events"][0]["message"] == f"Scaled up replica set {rs} to 2 from 0"
    assert data["events"][9]["message"].endswith(" to node-2")
    assert data["events"][5]["message"] == "Node node-1 status is now: NodeNotReady"
    # both pods on node-2 (the replacement Running at 20, Ready at 22), each at its identity address in
    # 10.244.1.0/24: .2 + sha256("0/<ns>/<name>")[:8] mod 253 (docs/kubernetes-model.md §2)
    assert [(p["node"], p["phase"], p["ready"]) for p in data["pods"]] == [("node-2", "Running", True)] * 2
    for p in data["pods"]:
        ns, name = p.get("namespace", "default"), p["name"]
        slot = int.from_bytes(hashlib.sha256(f"0/{ns}/{name}".encode()).digest()[:8], "big") % 253
        assert p["ip"] == f"10.244.1.{2 + slot}"
    assert [(n["name"], n["ready"], n["taints"]) for n in data["nodes"]] == [("node-1", "True", []),
                                                                          ("node-2", "True", [])]


def test_same_seed_byte_identical_json():
    assert json.dumps(run_model(model(), 60.0, seed=9)) == json.dumps(run_model(model(), 60.0, seed=9))
