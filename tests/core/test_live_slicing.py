"""Runs do not depend on how time is sliced: run(until) and any sequence of steps reaching the same time give
the same events, typed changes, per-endpoint counts, drops and pods, byte for byte in JSON."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine import Simulation
from core.model import TimelineEvent
from core.scenario import load_model

DEMO = "resources/scenarios/demo.yaml"
UNTIL = 8.0
_MODEL = None


def demo():
    global _MODEL
    if _MODEL is None:
        _MODEL = load_model(DEMO)
    return _MODEL


def fresh() -> Simulation:
    sim = Simulation(demo(), seed=7)
    sim.schedule(TimelineEvent(2.0, "failNode", "node-2"))
    return sim


def as_json(sim: Simulation, ticks) -> str:
    m = sim.dataplane.metrics
    return json.dumps({
        "time": sim.time,
        "events": [e.as_dict() for e in sim.state.events],
        "tick_events": [e.as_dict() for t in ticks for e in t.events],
        "changes": [c.as_dict() for t in ticks for c in t.changes],
        "sent": m.sent, "delivered": m.delivered, "new_connections": m.new_connections,
        "dropped": dict(sorted(m.dropped.items())),
        "endpoints": sorted([*k, v] for k, v in m.endpoint_counts.items()),
        "pods": sorted([*p.key, p.node, p.ip, p.phase, p.ready, p.terminating] for p in sim.state.pods.values()),
        "nodes": [[n.name, n.ready, n.up, n.unschedulable] for n in sim.state.nodes.values()],
    }, sort_keys=True)


_REFERENCE = None


def reference() -> str:
    global _REFERENCE
    if _REFERENCE is None:
        sim = fresh()
        ticks = [sim.step(UNTIL)]
        _REFERENCE = as_json(sim, ticks)
    return _REFERENCE


def run_sliced(sizes) -> str:
    sim = fresh()
    ticks = []
    i = 0
    while sim.time < UNTIL - 1e-9:
        dt = sizes[i % len(sizes)] if sizes else 0.1
        i += 1
        ticks.append(sim.step(min(dt, UNTIL - sim.time)))
        if i % 3 == 0:
            ticks.append(sim.step(0.0))  # an empty step changes nothing
    return as_json(sim, ticks)


def test_reference_run_routes_traffic_and_sees_the_failure():
    data = json.loads(reference())
    assert data["sent"] > 100 and data["delivered"] > 0
    assert any(e["reason"] == "NodeNotReady" for e in data["events"]) or any(
        c["kind"] == "NodeFailed" for c in data["changes"])


def test_fixed_frame_rates_match_one_long_step():
    for dt in (0.016, 0.05, 0.1, 1.0):
        assert run_sliced([dt]) == reference(), dt


def test_run_with_the_scenario_tick_matches():
    sim = fresh()
    sim.run(UNTIL)
    one = fresh()
    one.step(UNTIL)
    a, b = json.loads(as_json(sim, [])), json.loads(as_json(one, []))
    assert a == b


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(min_value=0.001, max_value=1.5, allow_nan=False), min_size=1, max_size=12))
def test_random_slicings_give_identical_json(sizes):
    assert run_sliced(sizes) == reference()


def test_another_proxy_mode_sends_the_same_requests():
    """Arrivals, source addresses and ports come from the flow's client-side stream: switching kube-proxy's
    mode changes which pods answer, not which requests are sent."""
    runs = []
    for mode in ("iptables", "ipvs"):
        model = load_model(DEMO)
        model.proxy.mode = mode
        sim = Simulation(model, seed=7)
        sim.run(UNTIL)
        runs.append(sim.dataplane.metrics)
    assert runs[0].sent == runs[1].sent > 100


def test_a_pause_point_is_called_between_the_pieces_of_a_step_and_changes_nothing():
    """``Simulation.pause_point`` lets a GUI thread run between the pieces of a step (each routed piece, each
    control-plane timer): the run is the same, however often and however long it pauses."""
    import time

    sim = fresh()
    calls = []

    def pause():
        calls.append(sim.time)
        if len(calls) % 7 == 0:
            time.sleep(0.001)

    sim.pause_point = pause
    ticks = [sim.step(0.1) for _ in range(int(UNTIL / 0.1 + 0.5))]
    assert as_json(sim, ticks) == run_sliced([0.1])
    assert len(calls) > 2 * len(ticks), "routed pieces and the failure's timers both pause"
    assert any(b > a for a, b in zip(calls, calls[1:], strict=False))
