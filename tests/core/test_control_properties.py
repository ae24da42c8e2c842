"""Invariants of the control plane over random clusters and random failure / recovery / scale / drain schedules."""

import ipaddress

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
    TimelineEvent,
    Timing,
    WorkloadSpec,
)

STEP = 0.5


@st.composite
def scenarios(draw):
    n_nodes = draw(st.integers(2, 5))
    cpus = [draw(st.sampled_from([1000, 2000, 4000])) for _ in range(n_nodes)]
    req = draw(st.sampled_from([200, 300, 500, 700]))
    replicas = draw(st.integers(1, 8))
    preset = draw(st.sampled_from(["classroom", "classroom", "realistic"]))
    names = [f"node-{i}" for i in range(1, n_nodes + 1)]
    actions = draw(st.lists(st.tuples(
        st.integers(0, 120).map(lambda x: x * 0.5),
        st.sampled_from(["failNode", "recoverNode", "scale", "drain", "uncordon", "deletePod"]),
        st.sampled_from(names), st.integers(0, 8)), max_size=8))
    timeline = []
    for at, action, node, k in sorted(actions):
        if action == "scale":
            timeline.append(TimelineEvent(at, "scale", "default/web", k))
        elif action == "deletePod":
            timeline.append(TimelineEvent(at, "deletePod", "default/web"))
        else:
            timeline.append(TimelineEvent(at, action, node))
    seed = draw(st.integers(0, 2**16))
    return names, cpus, req, replicas, preset, timeline, seed


def build(names, cpus, req, replicas, timeline):
    tpl = PodTemplate(labels={"app": "web"}, containers=(Container("web", requests=Resources(req, 1 << 20)),))
    m = ClusterModel(nodes=[NodeSpec(n, capacity=Resources(c, 8 << 30, 110), allocatable=Resources(c, 8 << 30, 110))
                            for n, c in zip(names, cpus)])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", replicas, {"app": "web"}, tpl)]
    m.services = [ServiceSpec("default", "web", ports=(ServicePort(80),), selector={"app": "web"})]
    m.timeline = list(timeline)
    return m


def check_invariants(sim, timing, recoveries):
    now = sim.time
    pods = list(sim.state.pods.values())
    ips = [p.ip for p in pods if p.ip is not None]
    assert len(ips) == len(set(ips)), "two pods share an IP"
    for p in pods:
        if p.ip is not None:
            assert ipaddress.IPv4Address(p.ip) in ipaddress.IPv4Network(sim.state.nodes[p.node].pod_cidr)
        if p.node is None:
            assert p.reason, f"Pending pod {p.key} without a reason"
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_control_plane_invariants(case):
    names, cpus, req, replicas, preset, timeline, seed = case
    timing = Timing.preset(preset)
    sim = Simulation(build(names, cpus, req, replicas, timeline), seed=seed, timing=timing, dataplane=False)
    recoveries: dict[str, list[float]] = {}
    for e in timeline:
        if e.action == "recoverNode":
            recoveries.setdefault(e.target, []).append(e.at)
    last_action = max((e.at for e in timeline), default=0.0)
    # after the last action: detection (grace + one monitor period), toleration, termination grace,
    # startup + readiness, and a kube-proxy sync
    settle = (timing.node_monitor_grace_period + timing.node_monitor_period + timing.toleration_seconds
              + timing.termination_grace + timing.pod_startup + 2.0 + 2 * timing.proxy_sync_delay)
    end = last_action + settle + 1.0
    while sim.time < end:
        sim.step(STEP)
        check_invariants(sim, timing, recoveries)

    desired = replicas
    for e in timeline:
        if e.action == "scale":
            desired = int(e.value)
    live = [p for p in sim.state.pods.values() if not p.terminating]
    assert len(live) == desired  # the ReplicaSet always keeps the count of non-terminating pods
    healthy = [ns for ns in sim.state.nodes.values()
               if ns.up and ns.ready == "True" and not ns.taints and not ns.unschedulable]
    capacity = sum(ns.spec.allocatable.cpu_milli // req for ns in healthy)
    on_healthy = {ns.name for ns in healthy}
    if capacity >= desired and all(p.node in on_healthy or p.node is None for p in live):
        assert all(p.ready and p.phase == "Running" for p in live), [(p.key, p.node, p.reason) for p in live]
