"""A seeded classroom run whose whole event log and final state were worked out by hand."""

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
    # node-2's host-local IPAM handed out .2 at t=0 and .3 to the replacement (Running at 20, Ready at 22)
    assert [(p["node"], p["ip"], p["phase"], p["ready"]) for p in sorted(data["pods"], key=lambda p: p["ip"])] == [
        ("node-2", "10.244.1.2", "Running", True), ("node-2", "10.244.1.3", "Running", True)]
    assert [(n["name"], n["ready"], n["taints"]) for n in data["nodes"]] == [("node-1", "True", []),
                                                                          ("node-2", "True", [])]


def test_same_seed_byte_identical_json():
    assert json.dumps(run_model(model(), 60.0, seed=9)) == json.dumps(run_model(model(), 60.0, seed=9))
