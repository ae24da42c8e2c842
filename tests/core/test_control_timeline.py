"""Node failure, eviction, replacement and recovery on hand-worked timelines (domain.md e, d.2)."""

import hashlib
import ipaddress

import pytest

from core.engine import Simulation
from core.model import (
    ClusterModel,
    Container,
    ContainerPort,
    NodeSpec,
    PodTemplate,
    Resources,
    ServicePort,
    ServiceSpec,
    TimelineEvent,
    Timing,
    WorkloadSpec,
)

MI = 1024**2


def web_model(replicas=3, nodes=3, timeline=()):
    """node-1..node-N (podCIDRs 10.244.0.0/24, 10.244.1.0/24, ... in node order), Deployment web of 500m pods
    exposing container port "http" 8080 behind Service web (port 80 -> targetPort http)."""
    c = Container("web", ports=(ContainerPort(8080, "http"),), requests=Resources(500, 256 * MI))
    tpl = PodTemplate(labels={"app": "web"}, containers=(c,))
    m = ClusterModel(nodes=[NodeSpec(f"node-{i}") for i in range(1, nodes + 1)])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", replicas, {"app": "web"}, tpl)]
    m.services = [ServiceSpec("default", "web", ports=(ServicePort(80, target_port="http", name="http"),),
                              selector={"app": "web"})]
    m.timeline = list(timeline)
    return m


def ready_ips_on(sim, viewer, node):
    """Ready endpoints of Service web on ``node`` as ``viewer``'s kube-proxy has them programmed."""
    eps = sim.state.proxy_views[viewer].slices.get(("default", "web"), ())
    return {e.ip for e in eps if e.ready and e.node == node}


def in_cidr(ip, cidr):
    return ipaddress.IPv4Address(ip) in ipaddress.IPv4Network(cidr)


def run_failure_timeline(timing, t_fail, t_not_ready, t_evict, t_running, t_ready):
    sim = Simulation(web_model(timeline=[TimelineEvent(t_fail, "failNode", "node-1")]), seed=4,
                     timing=timing, dataplane=False)
    # initial placement: an empty node always wins LeastAllocated, so one replica per node
    assert sorted(p.node for p in sim.state.pods.values()) == ["node-1", "node-2", "node-3"]
    victim = next(p for p in sim.state.pods.values() if p.node == "node-1")
    # by identity (docs/kubernetes-model.md §2): .2 + sha256("0/default/<name>")[:8] mod 253 on the /24
    slot = int.from_bytes(hashlib.sha256(f"0/default/{victim.name}".encode()).digest()[:8], "big") % 253
    assert victim.ip == f"10.244.0.{2 + slot}"
    assert all(p.ready for p in sim.state.pods.values())
    assert ready_ips_on(sim, "node-2", "node-1") == {victim.ip}

    sim.run(round(t_not_ready - 0.1, 9))
    assert sim.state.nodes["node-1"].ready == "True"
    sim.run(t_not_ready)
    n1 = sim.state.nodes["node-1"]
    assert n1.ready == "Unknown" and n1.not_ready_since == t_not_ready
    assert {(t.key, t.effect) for t in n1.taints} == {("node.kubernetes.io/unreachable", "NoSchedule"),
                                                      ("node.kubernetes.io/unreachable", "NoExecute")}
    assert not sim.state.pods[victim.key].ready
    ep = next(e for e in sim.state.slices[("default", "web")].endpoints if e.pod == victim.key)
    assert (ep.ready, ep.serving, ep.terminating) == (False, False, False)
    # the other kube-proxies still program it until their sync, proxy_sync_delay (1 s) later
    assert ready_ips_on(sim, "node-2", "node-1") == {victim.ip}
    sim.run(t_not_ready + 1.0)
    for viewer in ("node-2", "node-3"):
        assert ready_ips_on(sim, viewer, "node-1") == set()

    sim.run(round(t_evict - 0.1, 9))
    assert not sim.state.pods[victim.key].terminating
    sim.run(t_evict)
    assert sim.state.pods[victim.key].terminating  # stays Terminating while node-1 is down
    new = [p for p in sim.state.pods.values() if p.created == t_evict]
    assert len(new) == 1 and new[0].node in ("node-2", "node-3") and new[0].ip is None
    sim.run(t_running)
    cidr = sim.state.nodes[new[0].node].pod_cidr
    assert new[0].phase == "Running" and in_cidr(new[0].ip, cidr) and not new[0].ready
    sim.run(round(t_ready - 0.1, 9))
    assert not new[0].ready
    sim.run(t_ready)
    assert new[0].ready
    sim.run(t_ready + 1.0)
    assert new[0].ip in {e.ip for e in sim.state.proxy_views["node-2"].slices[("default", "web")] if e.ready}
    return sim, victim, new[0]


def test_node_failure_timeline_realistic_defaults():
    # fail at 10: last heartbeat 10; monitor runs at 0, 5, 10, ...: first with now - 10 >= 50 is 60.
    # proxies drop it by 61; unreachable:NoExecute tolerated 300 s -> evicted at 360; the replacement is
    # created and scheduled at once, Running after pod_startup 2 s (362), Ready after readiness 2 s (364)
    sim, victim, new = run_failure_timeline(Timing(), 10.0, 60.0, 360.0, 362.0, 364.0)
    reasons = [(e.time, e.reason, e.object.split("/")[0]) for e in sim.state.events if e.time > 0]
    assert reasons == [(60.0, "NodeNotReady", "node"), (60.0, "NodeNotReady", "pod"),
                       (360.0, "TaintManagerEviction", "pod"), (360.0, "SuccessfulCreate", "replicaset"),
                       (360.0, "Scheduled", "pod")]


def test_node_failure_timeline_classroom_preset():
    # classroom: grace 5, monitor period 1, toleration 10. Fail at 10 -> NotReady at 15 -> proxies by 16 ->
    # evicted at 25 -> Running at 27 -> Ready at 29
    run_failure_timeline(Timing.preset("classroom"), 10.0, 15.0, 25.0, 27.0, 29.0)


def test_detection_waits_for_the_next_monitor_period():
    # fail at 12: 12 + 50 = 62 is not a multiple of 5; the first check with now - 12 >= 50 is at 65
    sim = Simulation(web_model(timeline=[TimelineEvent(12.0, "failNode", "node-2")]), seed=0, dataplane=False)
    sim.run(64.9)
    assert sim.state.nodes["node-2"].ready == "True"
    sim.run(65.0)
    assert sim.state.nodes["node-2"].ready == "Unknown"


def test_recovery_cleans_up_and_pods_do_not_move_back():
    tl = [TimelineEvent(10.0, "failNode", "node-1"), TimelineEvent(400.0, "recoverNode", "node-1")]
    sim = Simulation(web_model(timeline=tl), seed=4, dataplane=False)
    victim = next(p for p in sim.state.pods.values() if p.node == "node-1")
    sim.run(399.9)
    assert victim.key in sim.state.pods
    sim.run(400.0)
    # recover at 400: NodeReady at once; 400 is a multiple of 5 so the taints go at 400 too; the stale pod
    # (deleted at 360, grace 30 s over) is removed and its address freed
    assert sim.state.nodes["node-1"].ready == "True" and sim.state.nodes["node-1"].taints == []
    assert victim.key not in sim.state.pods
    assert not sim.control.ip_alloc["node-1"].in_use
    sim.run(420.0)
    nodes = sorted(p.node for p in sim.state.pods.values())
    assert len(nodes) == 3 and nodes.count("node-1") == 0  # the replacement stays where it is
    assert [e.reason for e in sim.state.events if e.time == 400.0] == ["NodeReady", "Killing"]


def test_recovery_before_eviction_makes_the_same_pods_ready_again():
    tl = [TimelineEvent(10.0, "failNode", "node-1"), TimelineEvent(100.0, "recoverNode", "node-1")]
    sim = Simulation(web_model(timeline=tl), seed=4, dataplane=False)
    victim = next(p for p in sim.state.pods.values() if p.node == "node-1")
    sim.run(101.9)
    assert not victim.ready
    sim.run(102.0)  # readiness_delay 2 s after the kubelet is back
    assert victim.ready and sim.state.pods[victim.key] is victim
    sim.run(500.0)
    assert len(sim.state.pods) == 3 and not any(p.terminating for p in sim.state.pods.values())


def test_delete_pod_on_healthy_node_is_terminating_for_the_grace_period():
    sim = Simulation(web_model(), seed=1, dataplane=False)
    victim = sorted(sim.state.pods)[0]
    sim.schedule(TimelineEvent(5.0, "deletePod", f"default/{victim[1]}"))
    sim.run(5.0)
    ep = next(e for e in sim.state.slices[("default", "web")].endpoints if e.pod == victim)
    assert (ep.ready, ep.serving, ep.terminating) == (False, True, True)
    assert len([p for p in sim.state.pods.values() if not p.terminating]) == 3  # replacement created at once
    sim.run(34.9)
    assert victim in sim.state.pods
    sim.run(35.0)  # termination_grace 30 s
    assert victim not in sim.state.pods


def test_named_target_port_resolves_to_container_port():
    sim = Simulation(web_model(), seed=1, dataplane=False)
    eps = sim.state.slices[("default", "web")].endpoints
    assert len(eps) == 3 and all(e.ports == (("http", 8080, "TCP"),) for e in eps)


def test_scale_cordon_uncordon_drain():
    tl = [TimelineEvent(1.0, "cordon", "node-3"), TimelineEvent(2.0, "scale", "default/web", 6),
          TimelineEvent(10.0, "drain", "node-2"), TimelineEvent(50.0, "uncordon", "node-3")]
    sim = Simulation(web_model(timeline=tl), seed=2, dataplane=False)
    sim.run(2.0)
    live = [p for p in sim.state.pods.values() if not p.terminating]
    assert len(live) == 6 and sum(p.node == "node-3" for p in live) == 1  # cordoned: no new pods there
    assert any(e.reason == "ScalingReplicaSet" and e.message.endswith(" to 6 from 3") for e in sim.state.events)
    sim.run(10.0)
    live = [p for p in sim.state.pods.values() if not p.terminating]
    assert len(live) == 6 and all(p.node == "node-1" for p in live if p.created == 10.0)
    sim.run(60.0)
    assert not any(p.node == "node-2" for p in sim.state.pods.values())
    assert [t.key for t in sim.state.nodes["node-3"].taints] == []
    assert sim.state.nodes["node-2"].unschedulable


def test_set_proxy_mode_is_adopted_at_the_next_sync():
    tl = [TimelineEvent(5.0, "setProxyMode", "", "ipvs"), TimelineEvent(6.0, "setIPVSScheduler", "", "lc")]
    sim = Simulation(web_model(timeline=tl), seed=1, dataplane=False)
    v0 = sim.state.proxy_views["node-1"].version
    sim.run(5.0)
    assert sim.state.proxy_config.mode == "ipvs" and sim.state.proxy_views["node-1"].config.mode == "iptables"
    sim.run(6.0)
    assert sim.state.proxy_views["node-1"].config.mode == "ipvs"
    assert sim.state.proxy_views["node-1"].version > v0
    sim.run(7.0)
    assert sim.state.proxy_views["node-3"].config.ipvs_scheduler == "lc"


def test_kubernetes_service_endpoints_are_control_plane_nodes():
    m = web_model()
    m.nodes[0].labels["node-role.kubernetes.io/control-plane"] = ""
    m.services.append(ServiceSpec("default", "kubernetes", cluster_ip="10.96.0.1",
                                  ports=(ServicePort(443, name="https", target_port=6443),)))
    sim = Simulation(m, seed=1, dataplane=False)
    eps = sim.state.slices[("default", "kubernetes")].endpoints
    assert [(e.ip, e.ports) for e in eps] == [("192.168.0.10", (("https", 6443, "TCP"),))]


def test_headless_gets_slices_externalname_and_selectorless_do_not():
    m = web_model()
    m.services += [ServiceSpec("default", "web-headless", cluster_ip="None", ports=(ServicePort(8080),),
                               selector={"app": "web"}),
                   ServiceSpec("default", "ext", type="ExternalName", external_name="example.com"),
                   ServiceSpec("default", "manual", ports=(ServicePort(80),))]
    sim = Simulation(m, seed=1, dataplane=False)
    assert len(sim.state.slices[("default", "web-headless")].endpoints) == 3
    assert ("default", "ext") not in sim.state.slices and ("default", "manual") not in sim.state.slices


@pytest.mark.parametrize("event, words", [
    (TimelineEvent(1.0, "failNode", "node-9"), ("unknown node 'node-9'", "node-1, node-2, node-3")),
    (TimelineEvent(1.0, "setProxyMode", "", "ebpf"), ("'ebpf'", "allowed: iptables, ipvs, nftables, userspace")),
    (TimelineEvent(1.0, "scale", "nope", 2), ("no Deployment", "'nope'")),
    (TimelineEvent(1.0, "scale", "web", -1), ("replicas must be an integer >= 0", "-1")),
    (TimelineEvent(-1.0, "failNode", "node-1"), (">= 0 seconds", "-1.0"))])
def test_bad_timeline_events_are_refused_with_a_clear_message(event, words):
    sim = Simulation(web_model(), seed=1, dataplane=False)
    with pytest.raises(ValueError) as err:
        sim.schedule(event)
    assert all(w in str(err.value) for w in words), str(err.value)


def test_versions_bump_on_changes():
    sim = Simulation(web_model(timeline=[TimelineEvent(10.0, "failNode", "node-1")]), seed=1, dataplane=False)
    v = sim.state.version
    tick = sim.step(1.0)
    assert tick.state_version == v and tick.events == ()
    sim.run(60.0)
    assert sim.state.version > v


def test_statefulset_pod_is_not_replaced_while_the_old_object_exists_and_daemonset_is_not_evicted():
    tpl = PodTemplate(labels={"app": "db"}, containers=(Container("db", requests=Resources(100, MI)),))
    ds_tpl = PodTemplate(labels={"app": "agent"}, containers=(Container("agent"),))
    m = ClusterModel(nodes=[NodeSpec(f"node-{i}") for i in (1, 2, 3)])
    m.workloads = [WorkloadSpec("StatefulSet", "default", "db", 3, {"app": "db"}, tpl),
                   WorkloadSpec("DaemonSet", "kube-system", "agent", 0, {"app": "agent"}, ds_tpl)]
    m.timeline = [TimelineEvent(10.0, "failNode", "node-1"), TimelineEvent(500.0, "recoverNode", "node-1")]
    sim = Simulation(m, seed=3, dataplane=False)
    db = sorted(k[1] for k in sim.state.pods if k[1].startswith("db-"))
    assert db == ["db-0", "db-1", "db-2"]
    agents = {p.node for p in sim.state.pods.values() if p.namespace == "kube-system"}
    assert agents == {"node-1", "node-2", "node-3"}  # one DaemonSet pod per node
    victim = next(p for p in sim.state.pods.values() if p.node == "node-1" and p.name.startswith("db-"))
    agent1 = next(p for p in sim.state.pods.values() if p.node == "node-1" and p.namespace == "kube-system")
    sim.run(499.0)
    # evicted at 360 but still Terminating on the unreachable node: no second pod with its name
    assert sim.state.pods[victim.key].terminating and sim.state.pods[victim.key].node == "node-1"
    assert len([p for p in sim.state.pods.values() if p.name.startswith("db-")]) == 3
    assert not agent1.terminating  # DaemonSet pods tolerate unreachable:NoExecute for ever
    sim.run(500.0)  # recovered: the old object goes, and the StatefulSet recreates the same name at once
    new = sim.state.pods[victim.key]
    assert new is not victim and new.uid > victim.uid and not new.terminating
    sim.run(505.0)
    assert new.ready and new.node is not None
