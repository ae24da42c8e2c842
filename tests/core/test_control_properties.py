"""Invariants of the control plane over random zoned, tainted clusters and random failure / recovery / scale /
cordon / drain / delete schedules, with the replica-restoration bound checked at its deadline."""

import ipaddress
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine import Simulation
from core.model import (
    ClusterModel,
    Container,
    NodeSpec,
    PodTemplate,
    Resources,
    ServicePort,
    ServiceSpec,
    Taint,
    TimelineEvent,
    Timing,
    Toleration,
    WorkloadSpec,
)

STEP = 0.5
UNREACHABLE = "node.kubernetes.io/unreachable"


NODE_ACTIONS = ["failNode", "recoverNode", "scale", "drain", "cordon", "uncordon", "deletePod", "deleteOn"]
DEDICATED = "dedicated"


@st.composite
def scenarios(draw):
    n_nodes = draw(st.integers(2, 5))
    cpus = [draw(st.sampled_from([1000, 2000, 4000])) for _ in range(n_nodes)]
    zones = [draw(st.sampled_from([None, "zone-a", "zone-b"])) for _ in range(n_nodes)]
    taints = [draw(st.sampled_from([None, None, "NoSchedule", "PreferNoSchedule", "NoExecute"]))
              for _ in range(n_nodes)]
    tolerates = draw(st.booleans())
    req = draw(st.sampled_from([200, 300, 500, 700]))
    replicas = draw(st.integers(1, 8))
    preset = draw(st.sampled_from(["classroom", "classroom", "realistic"]))
    names = [f"node-{i}" for i in range(1, n_nodes + 1)]
    actions = draw(st.lists(st.tuples(
        st.integers(0, 120).map(lambda x: x * 0.5), st.sampled_from(NODE_ACTIONS),
        st.sampled_from(names), st.integers(0, 8)), max_size=8))
    timeline, delete_on = [], []
    for at, action, node, k in sorted(actions):
        if action == "scale":
            timeline.append(TimelineEvent(at, "scale", "default/web", k))
        elif action == "deletePod":
            timeline.append(TimelineEvent(at, "deletePod", "default/web"))
        elif action == "deleteOn":  # delete a pod on this node if it is healthy then (named at run time)
            delete_on.append((at, node))
        else:
            timeline.append(TimelineEvent(at, action, node))
    seed = draw(st.integers(0, 2**16))
    return Case(names, cpus, zones, taints, tolerates, req, replicas, preset, timeline, delete_on, seed)


@dataclass
class Case:
    names: list
    cpus: list
    zones: list
    taints: list
    tolerates: bool
    req: int
    replicas: int
    preset: str
    timeline: list
    delete_on: list
    seed: int


def build(case):
    tol = (Toleration(DEDICATED, "Exists"),) if case.tolerates else ()
    tpl = PodTemplate(labels={"app": "web"}, containers=(Container("web", requests=Resources(case.req, 1 << 20)),),
                      tolerations=tol)
    nodes = []
    for n, c, z, t in zip(case.names, case.cpus, case.zones, case.taints):
        nodes.append(NodeSpec(n, labels={"topology.kubernetes.io/zone": z} if z else {},
                              taints=(Taint(DEDICATED, "x", t),) if t else (),
                              capacity=Resources(c, 8 << 30, 110), allocatable=Resources(c, 8 << 30, 110)))
    m = ClusterModel(nodes=nodes)
    m.workloads = [WorkloadSpec("Deployment", "default", "web", case.replicas, {"app": "web"}, tpl)]
    m.services = [ServiceSpec("default", "web", ports=(ServicePort(80),), selector={"app": "web"})]
    m.timeline = list(case.timeline)
    return m


def check_invariants(sim, timing, recoveries, desired):
    now = sim.time
    pods = list(sim.state.pods.values())
    ips = [p.ip for p in pods if p.ip is not None]
    assert len(ips) == len(set(ips)), "two pods share an IP"
    for p in pods:
        if p.ip is not None:
            assert ipaddress.IPv4Address(p.ip) in ipaddress.IPv4Network(sim.state.nodes[p.node].pod_cidr)
        if p.node is None:
            assert p.reason, f"Pending pod {p.key} without a reason"
    # the ReplicaSet always keeps the count of non-terminating pods
    assert sum(not p.terminating for p in pods) == desired
    for name, ns in sim.state.nodes.items():
        if ns.ready == "True" or ns.not_ready_since is None:
            continue
        if now - ns.not_ready_since < timing.proxy_sync_delay - 1e-9:
            continue
        for viewer, vs in sim.state.nodes.items():
            if not vs.up or any(now - timing.proxy_sync_delay - 1e-9 < r <= now for r in recoveries.get(viewer, ())):
                continue
            for eps in sim.state.proxy_views[viewer].slices.values():
                assert not any(e.ready and e.node == name for e in eps), (
                    f"{viewer}'s kube-proxy keeps a ready endpoint on {name}, NotReady since {ns.not_ready_since}")


def capacity(sim, case):
    """Replicas the cluster can run now: on an up, Ready node without the unreachable taint, as many pods as
    its cpu fits if new pods may go there (schedulable, dedicated taint tolerated or soft), else the live
    pods it already holds (cordoned nodes keep theirs)."""
    total = 0
    for spec, c in zip(sim.model.nodes, case.cpus):
        ns = sim.state.nodes[spec.name]
        if not ns.up or ns.ready != "True" or any(t.key == UNREACHABLE for t in ns.taints):
            continue
        hard = any(t.key == DEDICATED and t.effect != "PreferNoSchedule" for t in ns.taints) and not case.tolerates
        if ns.unschedulable or hard:
            total += sum(1 for p in sim.state.pods.values() if p.node == spec.name and not p.terminating)
        else:
            total += c // case.req
    return total


def check_restored(sim, case, desired):
    """At the deadline after a burst of actions: if capacity allows, every desired replica is Running and Ready."""
    if capacity(sim, case) < desired:
        return False
    live = [p for p in sim.state.pods.values() if not p.terminating]
    assert len(live) == desired
    assert all(p.ready and p.phase == "Running" for p in live), (sim.time, [(p.key, p.node, p.reason) for p in live])
    return True


@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_control_plane_invariants(case):
    timing = Timing.preset(case.preset)
    sim = Simulation(build(case), seed=case.seed, timing=timing, dataplane=False)
    recoveries: dict[str, list[float]] = {}
    for e in case.timeline:
        if e.action == "recoverNode":
            recoveries.setdefault(e.target, []).append(e.at)
    # the bound: after an action, detection (grace + one monitor period), toleration, termination grace (the
    # evicted or deleted pod's resources on a healthy node), then the replacement's startup + readiness
    bound = (timing.node_monitor_grace_period + timing.node_monitor_period + timing.toleration_seconds
             + timing.termination_grace + timing.pod_startup + 2.0)
    times = sorted({e.at for e in case.timeline} | {at for at, _ in case.delete_on})
    # a deadline is checked when no further action falls before it
    deadlines = sorted({round(t + bound, 9) for i, t in enumerate(times)
                        if i + 1 == len(times) or times[i + 1] > t + bound})
    end = (times[-1] if times else 0.0) + bound + 1.0
    # same-time events apply in timeline order (the engine's queue is FIFO for equal times): sort by time only
    scales = sorted(((e.at, int(e.value)) for e in case.timeline if e.action == "scale"), key=lambda x: x[0])
    delete_on = list(case.delete_on)
    while sim.time < end:
        while delete_on and delete_on[0][0] <= sim.time + 1e-9:
            _, node = delete_on.pop(0)
            ns = sim.state.nodes[node]
            mine = sorted(p.name for p in sim.state.pods.values() if p.node == node and not p.terminating)
            if ns.up and ns.ready == "True" and mine:
                sim.schedule(TimelineEvent(sim.time, "deletePod", f"default/{mine[0]}"))
        sim.step(STEP)
        desired = case.replicas
        for at, k in scales:
            if at <= sim.time + 1e-9:
                desired = k
        check_invariants(sim, timing, recoveries, desired)
        if deadlines and sim.time >= deadlines[0] - 1e-9:
            assert abs(sim.time - deadlines[0]) < 1e-9  # every deadline lands on a step
            deadlines.pop(0)
            check_restored(sim, case, desired)
