"""Readiness probes decide when a new pod is Ready (issue 8, found by the real-manifest audit): the kubelet's probe
worker starts when the pod reaches its node, probes at once and then every ``periodSeconds`` (default 10), skips
while the container has run fewer than ``initialDelaySeconds`` and is triggered once more when the container starts
(pkg/kubelet/prober/worker.go, prober_manager.go). PodPath: bound at t, Running at t + 2 s (podStartup), every probe
passes. Times below are worked out by hand from that rule: first tick t + k*P with k*P >= 2 + D."""

from core.engine import Simulation
from core.scenario import build_model, loads_document
from core.scenario.build_objects import readiness_probe_delay
from tests.conftest import MANIFESTS

THREE_NODES = "".join(f"apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i}\n---\n" for i in (1, 2, 3))


def _scaled_at_10(name: str, target: str, replicas: int, extra: str = ""):
    """Ready and Running times of the pods the scale at t = 10 creates."""
    timeline = ("\n---\napiVersion: podpath.dev/v1alpha1\nkind: Timeline\nmetadata: {name: t}\nspec:\n  events:\n"
                f"  - {{at: 10, action: scale, target: {target}, value: {replicas}}}\n")
    text = THREE_NODES + extra + (MANIFESTS / name).read_text() + timeline
    model, _ = build_model(loads_document(text, name), seed=1)
    sim = Simulation(model, seed=1, dataplane=False)
    first = set(sim.state.pods)
    running, ready = {}, {}
    while sim.time < 60:
        sim.step(0.5)
        for key, pod in sim.state.pods.items():
            if key not in first and pod.phase == "Running":
                running.setdefault(pod.name, sim.time)
            if key not in first and pod.ready:
                ready.setdefault(pod.name, sim.time)
    return model, running, ready


def test_podinfo_readiness_probe_initial_delay_5_ready_at_the_10_s_tick():
    # podinfo: initialDelaySeconds 5, periodSeconds default 10. Scaled at 10: bound at 10, Running at 12;
    # probes at 10 (not running), 12 (triggered on start: ran 0 s < 5), 20 (ran 8 s >= 5): Ready at 20
    model, running, ready = _scaled_at_10("podinfo.yaml", "default/podinfo", 2)
    assert [w.template.readiness_delay for w in model.workloads] == [8.0]
    assert list(running.values()) == [12.0] and list(ready.values()) == [20.0]


def test_cassandra_readiness_probe_initial_delay_15_period_10_ready_at_30():
    # cassandra: initialDelaySeconds 15, periodSeconds 10: ticks 10, 20 (ran 8 s), 30 (ran 18 s >= 15) -> 30
    _, running, ready = _scaled_at_10("cassandra.yaml", "default/cassandra", 4)
    assert running == {"cassandra-3": 12.0} and ready == {"cassandra-3": 30.0}


def test_probe_without_initial_delay_keeps_the_default_two_seconds():
    # microservices-demo's services probe with no initial delay (ready as soon as they run): PodPath's own 2 s
    # from Running to Ready stays; frontend and cartservice (D 10, P 10): 20 - 2 = 18; adservice (D 20, P 15):
    # ticks 15 (ran 13 s), 30 (ran 28 s) -> 30 - 2 = 28
    model, _ = build_model(loads_document(THREE_NODES + (MANIFESTS / "microservices-demo.yaml").read_text(),
                                          "m.yaml"), seed=1)
    delays = {w.name: w.template.readiness_delay for w in model.workloads}
    assert delays["redis-cart"] == 2.0 and delays["emailservice"] == 2.0
    assert (delays["frontend"], delays["cartservice"], delays["adservice"]) == (18.0, 18.0, 28.0)


def test_slowest_container_decides_and_a_longer_pod_startup_moves_the_ticks():
    spec = {"containers": [{"name": "a", "readinessProbe": {"initialDelaySeconds": 3, "periodSeconds": 30}},
                           {"name": "b", "readinessProbe": {"initialDelaySeconds": 5}}, {"name": "c"}]}
    # a: 30 * ceil(5 / 30) - 2 = 28 (argo-cd's repo-server probe); b: 10 * ceil(7 / 10) - 2 = 8; c: no probe
    assert readiness_probe_delay(spec, 2.0) == 28.0
    # podStartup 9: a: 30 * ceil(12 / 30) - 9 = 21; b: 10 * ceil(14 / 10) - 9 = 11
    assert readiness_probe_delay(spec, 9.0) == 21.0
    assert readiness_probe_delay({"containers": [{"name": "c"}]}, 2.0) == 0.0


def test_readiness_delay_annotation_still_overrides_the_probe():
    text = (THREE_NODES + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
            "  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web}\n"
            "      annotations: {podpath.dev/readiness-delay: '1'}\n    spec:\n      containers:\n"
            "      - name: web\n        readinessProbe: {initialDelaySeconds: 30}\n")
    model, _ = build_model(loads_document(text, "w.yaml"), seed=1)
    assert model.workloads[0].template.readiness_delay == 1.0
