"""Control-plane review regressions, each timeline worked out by hand (domain.md e, a.8, d.2)."""

from core.engine import Simulation
from core.model import (
    BarePodSpec,
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
    Toleration,
    WorkloadSpec,
)

MI = 1024**2
UNREACHABLE = "node.kubernetes.io/unreachable"


def model(nodes=3, replicas=3, timeline=(), kind="Deployment", tolerations=(), unschedulable=()):
    c = Container("web", ports=(ContainerPort(8080, "http"),), requests=Resources(500, 256 * MI))
    tpl = PodTemplate(labels={"app": "web"}, containers=(c,), tolerations=tuple(tolerations))
    m = ClusterModel(nodes=[NodeSpec(f"node-{i}", unschedulable=f"node-{i}" in unschedulable)
                            for i in range(1, nodes + 1)])
    m.workloads = [WorkloadSpec(kind, "default", "web", replicas, {"app": "web"}, tpl)]
    m.services = [ServiceSpec("default", "web", ports=(ServicePort(80, target_port="http", name="http"),),
                              selector={"app": "web"})]
    m.timeline = list(timeline)
    return m


def events(sim, reason, after=-1.0):
    return [e for e in sim.state.events if e.reason == reason and e.time > after]


def ready_on(sim, viewer, node):
    return {e.ip for e in sim.state.proxy_views[viewer].slices.get(("default", "web"), ()) if e.ready and e.node == node}


# -- item 2: kube-proxy minSyncPeriod drives the view lag ----------------------------------------------------


def test_min_sync_period_drives_the_kube_proxy_lag():
    # KubeProxyConfiguration iptables.minSyncPeriod 10s: node-1 fails at 10 -> NotReady at 60 (grace 50 at a
    # monitor multiple) -> the other kube-proxies sync 10 s after that change: 70, not 61
    m = model(timeline=[TimelineEvent(10.0, "failNode", "node-1")])
    m.proxy.min_sync_period = 10.0
    sim = Simulation(m, seed=1, dataplane=False)
    ip = next(p.ip for p in sim.state.pods.values() if p.node == "node-1")
    sim.run(61.0)
    assert sim.state.nodes["node-1"].ready == "Unknown"
    assert ready_on(sim, "node-2", "node-1") == {ip}
    sim.run(69.9)
    assert ready_on(sim, "node-3", "node-1") == {ip}
    sim.run(70.0)
    assert ready_on(sim, "node-2", "node-1") == set() and ready_on(sim, "node-3", "node-1") == set()


def test_explicit_timing_proxy_sync_delay_overrides_min_sync_period():
    # Timing.proxy_sync_delay set away from its 1 s default (preset / proxySyncDelay) wins: 60 + 3 = 63
    m = model(timeline=[TimelineEvent(10.0, "failNode", "node-1")])
    m.proxy.min_sync_period = 10.0
    sim = Simulation(m, seed=1, timing=Timing(proxy_sync_delay=3.0), dataplane=False)
    ip = next(p.ip for p in sim.state.pods.values() if p.node == "node-1")
    sim.run(62.9)
    assert ready_on(sim, "node-2", "node-1") == {ip}
    sim.run(63.0)
    assert ready_on(sim, "node-2", "node-1") == set()


# -- item 3: ScalingReplicaSet wording -------------------------------------------------------------------------


def test_scaling_replica_set_messages():
    sim = Simulation(model(timeline=[TimelineEvent(5.0, "scale", "default/web", 2)]), seed=3, dataplane=False)
    sim.run(5.0)
    rs = sim.control.rs_names[("Deployment", "default", "web")]
    got = [(e.time, e.object, e.message) for e in events(sim, "ScalingReplicaSet")]
    # upstream "Scaled %s replica set %s to %d from %d": created from 0 at t=0, then 3 -> 2
    assert got == [(0.0, "deployment/default/web", f"Scaled up replica set {rs} to 3 from 0"),
                   (5.0, "deployment/default/web", f"Scaled down replica set {rs} to 2 from 3")]


# -- item 4: scale-down prefers doubled-up pods --------------------------------------------------------------


def test_scale_down_deletes_a_doubled_up_pod_before_a_newer_one():
    # node-2 starts cordoned: both t=0 replicas land on node-1. Uncordon at 1, scale to 3 at 2: the new pod
    # goes to empty node-2 (Running 4, Ready 6). Scale 3 -> 2 at 20: all three Running and Ready, so rank
    # decides: node-1 holds 2 related pods, node-2 one -> one of node-1's goes, although node-2's is newer.
    tl = [TimelineEvent(1.0, "uncordon", "node-2"), TimelineEvent(2.0, "scale", "default/web", 3),
          TimelineEvent(20.0, "scale", "default/web", 2)]
    sim = Simulation(model(nodes=2, replicas=2, timeline=tl, unschedulable=("node-2",)), seed=5, dataplane=False)
    sim.run(19.0)
    assert sorted(p.node for p in sim.state.pods.values()) == ["node-1", "node-1", "node-2"]
    assert all(p.ready for p in sim.state.pods.values())
    sim.run(20.0)
    gone = [p for p in sim.state.pods.values() if p.terminating]
    assert len(gone) == 1 and gone[0].node == "node-1"


# -- item 5: sandbox retry after IP exhaustion ---------------------------------------------------------------


def test_pod_without_a_free_ip_retries_and_starts_once_one_is_freed():
    # one node, podCIDR /29: the pods get .2 .. .6 (5 pods; .0 network, .1 gateway, .7 broadcast).
    # web's 5 replicas take them all at t=0. api is scaled 0 -> 1 at 1: scheduled at 1, its sandbox at 1+2 = 3
    # fails (FailedCreatePodSandBox); the kubelet retries every 10 s: 13, 23, 33 fail. web 5 -> 4 at 5: the
    # newest web pod (.6) is Terminating until 5 + 30 = 35, then its IP is freed. Retry at 43 gets that one (the only free address),
    # Running at 43, Ready at 43 + 2 = 45.
    m = model(nodes=1, replicas=5, timeline=[TimelineEvent(1.0, "scale", "default/api", 1),
                                             TimelineEvent(5.0, "scale", "default/web", 4)])
    m.cluster.node_cidr_mask_size = 29
    m.workloads.append(WorkloadSpec("Deployment", "default", "api", 0, {"app": "api"},
                                    PodTemplate(labels={"app": "api"}, containers=(Container("api"),))))
    sim = Simulation(m, seed=2, dataplane=False)
    assert sorted(p.ip for p in sim.state.pods.values()) == [f"10.244.0.{i}" for i in range(2, 7)]
    newest = max(sim.state.pods.values(), key=lambda p: p.uid)  # ActivePodsWithRanks: deleted first
    freed = newest.ip
    sim.run(42.9)
    api = next(p for p in sim.state.pods.values() if p.labels["app"] == "api")
    assert api.node == "node-1" and api.ip is None and api.phase == "Pending"
    assert api.reason == "FailedCreatePodSandBox"
    assert [e.time for e in events(sim, "FailedCreatePodSandBox")] == [3.0]  # repeats aggregate upstream
    assert freed not in {p.ip for p in sim.state.pods.values()}  # freed at 35
    sim.run(43.0)
    assert (api.phase, api.ip, api.ready) == ("Running", freed, False)
    sim.run(45.0)
    assert api.ready


# -- item 7: events ------------------------------------------------------------------------------------------


def test_recovery_before_eviction_cancels_the_deletion():
    # fail 10 -> NotReady 60 (eviction queued for 60 + 300 = 360); back at 100 (a monitor multiple): NodeReady,
    # the lifecycle controller removes the taints at 100 and the taint manager cancels the queued deletion
    tl = [TimelineEvent(10.0, "failNode", "node-1"), TimelineEvent(100.0, "recoverNode", "node-1")]
    sim = Simulation(model(timeline=tl), seed=1, dataplane=False)
    pod = next(p for p in sim.state.pods.values() if p.node == "node-1")
    sim.run(400.0)
    got = [(e.time, e.object, e.message) for e in events(sim, "TaintManagerEviction")]
    assert got == [(100.0, f"pod/default/{pod.name}", f"Cancelling deletion of Pod default/{pod.name}")]
    assert not sim.state.nodes["node-1"].taints and not sim.state.pods[pod.key].terminating


def test_pods_with_node_name_get_no_scheduled_event():
    m = model(nodes=2, replicas=1)
    m.pods = [BarePodSpec("default", "pinned", PodTemplate(labels={"app": "x"}, node_name="node-2"))]
    sim = Simulation(m, seed=0, dataplane=False)
    assert sim.state.pods[("default", "pinned")].node == "node-2"
    assert [e.object for e in events(sim, "Scheduled")] == [
        f"pod/default/{p.name}" for p in sim.state.pods.values() if p.owner is not None]


def test_no_not_ready_or_killing_events_for_a_pod_that_never_started():
    # node-2 cordoned: everything on node-1. Scale 1 -> 2 at 10 binds the new pod to node-1 at 10; node-1
    # fails at 11, before that pod's start at 12. 11 + 50 = 61 -> NotReady at the next monitor multiple, 65:
    # only the Ready pod gets "Node is not ready". Both are evicted at 65 + 300 = 365; at recovery (400) only
    # the started one is Killed.
    tl = [TimelineEvent(10.0, "scale", "default/web", 2), TimelineEvent(11.0, "failNode", "node-1"),
          TimelineEvent(400.0, "recoverNode", "node-1")]
    sim = Simulation(model(nodes=2, replicas=1, timeline=tl, unschedulable=("node-2",)), seed=0, dataplane=False)
    old = next(iter(sim.state.pods.values()))
    sim.run(10.0)
    new = next(p for p in sim.state.pods.values() if p.key != old.key)
    assert new.node == "node-1"
    sim.run(401.0)
    assert [(e.time, e.object) for e in events(sim, "NodeNotReady", 0) if e.object.startswith("pod/")] == [
        (65.0, f"pod/default/{old.name}")]
    assert sorted((e.time, e.object) for e in events(sim, "TaintManagerEviction")) == sorted(
        [(365.0, f"pod/default/{old.name}"), (365.0, f"pod/default/{new.name}")])
    assert [(e.time, e.object) for e in events(sim, "Killing")] == [(400.0, f"pod/default/{old.name}")]


def test_no_node_not_schedulable_while_the_node_is_down():
    # the kubelet records NodeNotSchedulable: cordon at 20 on a node failed at 10 records nothing; the kubelet
    # reports it when it is back at 100
    tl = [TimelineEvent(10.0, "failNode", "node-1"), TimelineEvent(20.0, "cordon", "node-1"),
          TimelineEvent(100.0, "recoverNode", "node-1"), TimelineEvent(120.0, "cordon", "node-2")]
    sim = Simulation(model(timeline=tl), seed=0, dataplane=False)
    sim.run(120.0)
    assert [(e.time, e.object) for e in events(sim, "NodeNotSchedulable")] == [(100.0, "node/node-1"),
                                                                              (120.0, "node/node-2")]


# -- item 8: lifecycle gaps ------------------------------------------------------------------------------------


def test_taints_removed_when_a_recovered_node_fails_again_within_grace():
    # fail 10 -> NotReady + tainted at 60. Back at 101 (NodeReady) and down again at 102 (last heartbeat 102).
    # The lifecycle run at 105 sees Ready=True with a heartbeat 3 s old (< 50): taints go, the queued eviction
    # (360) is cancelled. The next detection: 102 + 50 = 152 -> first multiple of 5 is 155, tainted again;
    # its pods are evicted 300 s later, at 455.
    tl = [TimelineEvent(10.0, "failNode", "node-1"), TimelineEvent(101.0, "recoverNode", "node-1"),
          TimelineEvent(102.0, "failNode", "node-1")]
    sim = Simulation(model(timeline=tl), seed=1, dataplane=False)
    pod = next(p for p in sim.state.pods.values() if p.node == "node-1")
    sim.run(104.9)
    assert sim.state.nodes["node-1"].taints  # still tainted until the lifecycle run
    sim.run(105.0)
    assert sim.state.nodes["node-1"].taints == [] and sim.state.nodes["node-1"].ready == "True"
    assert [e.time for e in events(sim, "TaintManagerEviction")] == [105.0]  # Cancelling deletion
    sim.run(154.9)
    assert sim.state.nodes["node-1"].taints == []
    sim.run(155.0)
    assert sim.state.nodes["node-1"].ready == "Unknown"
    assert {t.key for t in sim.state.nodes["node-1"].taints} == {UNREACHABLE}
    sim.run(454.9)
    assert not sim.state.pods[pod.key].terminating  # not evicted at 360 by the first episode
    sim.run(455.0)
    assert sim.state.pods[pod.key].terminating


def test_toleration_seconds_use_the_first_matching_toleration():
    # GetMatchingTolerations takes the first toleration per taint. An Exists-everything toleration without
    # tolerationSeconds listed first -> tolerated for ever; listed after a 30 s unreachable one -> 60 + 30 = 90
    forever = Toleration(operator="Exists")
    thirty = Toleration(UNREACHABLE, "Exists", "", "NoExecute", 30.0)
    tl = [TimelineEvent(10.0, "failNode", "node-1")]
    sim = Simulation(model(timeline=tl, tolerations=(forever, thirty)), seed=1, dataplane=False)
    sim.run(1000.0)
    assert not events(sim, "TaintManagerEviction")
    sim = Simulation(model(timeline=tl, tolerations=(thirty, forever)), seed=1, dataplane=False)
    sim.run(89.9)
    assert not events(sim, "TaintManagerEviction")
    sim.run(90.0)
    assert [e.time for e in events(sim, "TaintManagerEviction")] == [90.0]


def test_statefulset_ordered_ready_scale_up_and_down():
    # t=0: web-0, web-1, web-2 created in order (each Ready at once in the initial cluster).
    # scale 3 -> 5 at 10: web-3 created 10, Running 12, Ready 14 -> only then web-4: created 14, Ready 18.
    # scale 5 -> 3 at 30: web-4 deleted at 30, gone at 30 + 30 = 60 -> web-3 deleted at 60, gone at 90.
    tl = [TimelineEvent(10.0, "scale", "default/web", 5), TimelineEvent(30.0, "scale", "default/web", 3)]
    sim = Simulation(model(kind="StatefulSet", timeline=tl), seed=0, dataplane=False)
    creates = [(e.time, e.message.split()[2]) for e in events(sim, "SuccessfulCreate")]
    assert creates == [(0.0, "web-0"), (0.0, "web-1"), (0.0, "web-2")]
    sim.run(13.9)
    assert ("default", "web-4") not in sim.state.pods
    sim.run(100.0)
    creates = [(e.time, e.message.split()[2]) for e in events(sim, "SuccessfulCreate", 0)]
    assert creates == [(10.0, "web-3"), (14.0, "web-4")]
    deletes = [(e.time, e.message.split()[2]) for e in events(sim, "SuccessfulDelete")]
    assert deletes == [(30.0, "web-4"), (60.0, "web-3")]
    assert sorted(k[1] for k in sim.state.pods) == ["web-0", "web-1", "web-2"]
