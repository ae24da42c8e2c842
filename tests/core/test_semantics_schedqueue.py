"""Issue 8 item 18: kube-scheduler's backoff and unschedulable queue."""

from core.control.schedqueue import (
    NODE_TAINTS_CHANGED,
    POD_DELETED,
    SchedulingQueue,
    backoff_duration,
)

RESOURCES, TAINT = 6, 3


def test_backoff_doubles_from_one_second_up_to_ten():
    # podInitialBackoffSeconds 1, podMaxBackoffSeconds 10: 1, 2, 4, 8, then capped (16 > 10)
    assert [backoff_duration(a) for a in range(1, 7)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def _queue():
    timers = []
    q = SchedulingQueue(lambda t, kind: timers.append((t, kind)),
                        {POD_DELETED: frozenset({RESOURCES}), NODE_TAINTS_CHANGED: frozenset({TAINT})})
    return q, timers


def test_unschedulable_pods_wait_for_a_relevant_event_then_back_off():
    q, timers = _queue()
    a, b = ("default", "a"), ("default", "b")
    q.add(b, 0.0, 2)
    q.add(a, 0.0, 1)
    assert q.pop_active() == [a, b]  # same timestamp: creation order
    q.failed(a, 0.0, frozenset({RESOURCES}))
    q.failed(b, 0.0, frozenset({TAINT}))
    # parked: nothing is retried on an unrelated event
    assert q.event(NODE_TAINTS_CHANGED, 0.5) == 1  # b (taint) moves; its 1 s backoff runs to 1.0
    assert q.backoff == {b: 1.0} and (1.0, "sched_backoff") in timers and not q.active
    q.flush_backoff(1.0)
    assert list(q.active) == [b]
    assert q.pop_active() == [b]  # second attempt
    q.failed(b, 1.0, frozenset({TAINT}))
    # a pod deletion at 5 moves a (failed at 0, backoff 1 s long over) straight to activeQ
    assert q.event(POD_DELETED, 5.0) == 1 and list(q.active) == [a]
    # b: 2 attempts -> 2 s backoff from its last failure at 1.0 -> until 3.0; an event at 2.5 parks it in backoff
    assert q.event(NODE_TAINTS_CHANGED, 2.5) == 1 and q.backoff[b] == 3.0


def test_leftover_flush_after_five_minutes():
    q, timers = _queue()
    k = ("default", "stuck")
    q.add(k, 7.0, 1)
    q.pop_active()
    q.failed(k, 7.0, frozenset({99}))  # rejected by a filter no PodPath event wakes (e.g. NodeAffinity)
    # flushUnschedulablePodsLeftover every 30 s: the first run with now - 7 > 300 is at 330
    assert timers == [(330.0, "sched_leftover")]
    q.flush_leftover(330.0)
    assert list(q.active) == [k]
    q.pop_active()
    q.failed(k, 330.0, frozenset({99}))
    assert timers[-1] == (660.0, "sched_leftover")  # 630 - 330 = 300 is not > 300: the next run, 660


def test_unschedulable_pods_are_retried_only_on_relevant_events():
    from core.engine import Simulation
    from core.model import ClusterModel, Container, NodeSpec, PodTemplate, Resources, TimelineEvent, WorkloadSpec

    # one node of 4 CPU: web (1 CPU each, 6 replicas) runs 4, 2 Pending (Insufficient cpu, attempt 1 at t=0);
    # "gpu" selects a label no node has (NodeAffinity): Pending, attempt 1 at t=0
    m = ClusterModel(nodes=[NodeSpec("node-1")])
    web = PodTemplate(labels={"app": "web"}, containers=(Container("web", requests=Resources(1000, 0)),))
    gpu = PodTemplate(labels={"app": "gpu"}, containers=(Container("c"),), node_selector={"gpu": "yes"})
    m.workloads = [WorkloadSpec("Deployment", "default", "web", 6, {"app": "web"}, web),
                   WorkloadSpec("Deployment", "default", "gpu", 1, {"app": "gpu"}, gpu)]
    # a web pod deleted at 10: Terminating for 30 s (its replacement, created at 10, fails: attempt 1 at 10);
    # gone at 40 -> PodDelete wakes the Insufficient-cpu pods, not the NodeAffinity one
    sim = Simulation(m, seed=0, dataplane=False)
    running = next(p for p in sim.state.pods.values() if p.node == "node-1" and p.name.startswith("web-"))
    sim.schedule(TimelineEvent(10.0, "deletePod", f"default/{running.name}"))
    q = sim.control.sched_queue
    gpu_key = next(k for k in sim.state.pods if k[1].startswith("gpu-"))
    web_pending = sorted(k for k, p in sim.state.pods.items() if p.node is None and k[1].startswith("web-"))
    assert len(web_pending) == 2 and [q.attempts[k] for k in web_pending] == [1, 1]
    sim.run(39.9)
    assert q.attempts[gpu_key] == 1 and [q.attempts[k] for k in web_pending] == [1, 1]
    sim.run(40.0)
    # at 40 the oldest (timestamp 0, lower uid) takes the freed CPU; the other two fail again (attempt 2)
    placed = [k for k in web_pending if sim.state.pods[k].node == "node-1"]
    assert len(placed) == 1 and q.attempts[placed[0]] == 2
    assert q.attempts[gpu_key] == 1
    # nothing wakes the NodeAffinity pod but flushUnschedulablePodsLeftover: parked at 0, retried at 330
    sim.run(329.9)
    assert q.attempts[gpu_key] == 1
    sim.run(330.0)
    assert q.attempts[gpu_key] == 2 and sim.state.pods[gpu_key].node is None
