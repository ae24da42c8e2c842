"""Issue 8 item 10: the node lifecycle controller's zone disruption rules (handleDisruption, ComputeZoneState)."""

from core.engine import Simulation
from core.model import ClusterModel, Container, NodeSpec, PodTemplate, TimelineEvent, Timing, WorkloadSpec
from core.state import ClusterState

ZONE = "topology.kubernetes.io/zone"
NO_EXECUTE = ("node.kubernetes.io/unreachable", "NoExecute")


def cluster(zones: list[str], replicas: int) -> ClusterModel:
    m = ClusterModel(nodes=[NodeSpec(f"node-{i}", labels={ZONE: z} if z else {}) for i, z in enumerate(zones, 1)])
    tpl = PodTemplate(labels={"app": "web"}, containers=(Container("web"),))
    m.workloads = [WorkloadSpec("Deployment", "default", "web", replicas, {"app": "web"}, tpl)]
    return m


def classroom(m: ClusterModel, events: list[TimelineEvent]) -> Simulation:
    m.timeline = events
    return Simulation(m, seed=1, timing=Timing.preset("classroom"), dataplane=False)


def tainted(state: ClusterState) -> list[str]:
    return sorted(n for n, ns in state.nodes.items() if any((t.key, t.effect) == NO_EXECUTE for t in ns.taints))


def test_failing_every_node_does_not_evict_every_pod():
    # classroom: grace 5 s, monitor period 1 s, tolerationSeconds 10. Three nodes (one zone, ""), fail all at 10:
    # at 15 all are NotReady -> the only zone is in FullDisruption, so every zone is: "master disruption mode",
    # no unreachable:NoExecute taint, no eviction -- at 15 + 10 = 25 and long after, every pod is still there.
    sim = classroom(cluster(["", "", ""], 6), [TimelineEvent(10.0, "failNode", f"node-{i}") for i in (1, 2, 3)])
    pods = set(sim.state.pods)
    sim.run(120.0)
    assert all(ns.ready == "Unknown" for ns in sim.state.nodes.values())
    assert tainted(sim.state) == []
    assert set(sim.state.pods) == pods and not any(p.terminating for p in sim.state.pods.values())
    assert not [e for e in sim.state.events if e.reason == "TaintManagerEviction"]
    assert sim.control.zone_states() == {"": "FullDisruption"}
    # node-1 back at 120.5: the cluster leaves master disruption mode; node-2 and node-3 (still Unknown) are
    # tainted from the next monitor pass (121) at --node-eviction-rate 0.1/s (token bucket, burst 1): node-2 at
    # 121, node-3 at 131; each node's pods are evicted when the toleration runs out: 131 and 141
    sim.schedule(TimelineEvent(120.5, "recoverNode", "node-1"))
    sim.run(120.9)
    assert tainted(sim.state) == []
    sim.run(121.0)
    assert tainted(sim.state) == ["node-2"]
    sim.run(130.9)
    assert not any(p.terminating for p in sim.state.pods.values())
    sim.run(131.0)
    assert tainted(sim.state) == ["node-2", "node-3"]
    assert sorted(p.node for p in sim.state.pods.values() if p.terminating) == ["node-2", "node-2"]
    sim.run(141.0)
    evicted = sorted(p.name for p in sim.state.pods.values() if p.terminating)
    on_dead = sorted(p.name for p in sim.state.pods.values() if p.node in ("node-2", "node-3"))
    assert evicted == on_dead and len(evicted) == 4  # 6 pods spread 2/2/2


def test_one_fully_disrupted_zone_among_healthy_ones_is_evicted():
    # zone a (node-1, node-2) all down, zone b healthy: not every zone is disrupted, zone a taints at the
    # normal rate (HealthyQPSFunc, 0.1 nodes/s): node-1 at 15, node-2 at 25; evictions at 25 and 35
    sim = classroom(cluster(["a", "a", "b", "b"], 4), [TimelineEvent(10.0, "failNode", "node-1"),
                                                      TimelineEvent(10.0, "failNode", "node-2")])
    sim.run(15.0)
    assert sim.control.zone_states() == {"a": "FullDisruption", "b": "Normal"}
    assert tainted(sim.state) == ["node-1"]
    sim.run(25.0)
    assert tainted(sim.state) == ["node-1", "node-2"]
    assert sorted(p.node for p in sim.state.pods.values() if p.terminating) == ["node-1"]
    sim.run(35.0)
    assert sorted(p.node for p in sim.state.pods.values() if p.terminating) == ["node-1", "node-2"]


def test_partial_disruption_in_a_small_zone_stops_evictions():
    # 5 nodes in zone a; 3 fail: 3 > 2 and 3/5 = 0.6 >= unhealthyZoneThreshold 0.55 -> PartialDisruption, and a
    # zone of 5 <= largeClusterSizeThreshold 50 gets eviction rate 0: nothing is tainted or evicted
    sim = classroom(cluster(["a"] * 5, 5), [TimelineEvent(10.0, "failNode", f"node-{i}") for i in (1, 2, 3)])
    sim.run(60.0)
    assert sim.control.zone_states() == {"a": "PartialDisruption"}
    assert tainted(sim.state) == [] and not any(p.terminating for p in sim.state.pods.values())
    # node-3 recovers at 60: 2 of 5 down is Normal again -> node-1 tainted at once, node-2 10 s later
    sim.schedule(TimelineEvent(60.0, "recoverNode", "node-3"))
    sim.run(60.0)
    assert sim.control.zone_states() == {"a": "Normal"}
    assert tainted(sim.state) == ["node-1"]
    sim.run(70.0)
    assert tainted(sim.state) == ["node-1", "node-2"]


def test_two_of_five_down_is_normal_disruption():
    # 2/5 = 0.4 < 0.55 (and not more than 2): Normal; tainted one per 10 s (node-1 at 15, node-2 at 25), each
    # evicted when the toleration runs out (25, 35)
    sim = classroom(cluster(["a"] * 5, 5), [TimelineEvent(10.0, "failNode", "node-1"),
                                           TimelineEvent(10.0, "failNode", "node-2")])
    sim.run(25.0)
    assert tainted(sim.state) == ["node-1", "node-2"]
    assert sorted(p.node for p in sim.state.pods.values() if p.terminating) == ["node-1"]
    sim.run(35.0)
    assert sorted(p.node for p in sim.state.pods.values() if p.terminating) == ["node-1", "node-2"]
