"""Simulation engine: clock, ticks, determinism, side-by-side runs, and the ``podpath run`` command."""

import dataclasses
import json

import pytest

from core.cli import main
from core.cli.run import UsageError, run_model
from core.engine import Simulation, Tick
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


def small_model(timeline=()):
    tpl = PodTemplate(labels={"app": "web"}, containers=(Container("web", requests=Resources(250, 128 << 20)),))
    m = ClusterModel(nodes=[NodeSpec(f"node-{i}") for i in (1, 2, 3, 4)])
    m.workloads = [WorkloadSpec("Deployment", "default", "web", 6, {"app": "web"}, tpl)]
    m.services = [ServiceSpec("default", "web", ports=(ServicePort(80),), selector={"app": "web"})]
    m.timeline = list(timeline)
    return m


TIMELINE = [TimelineEvent(10.0, "failNode", "node-2"), TimelineEvent(20.0, "scale", "web", 8),
            TimelineEvent(400.0, "recoverNode", "node-2"), TimelineEvent(410.0, "drain", "node-3")]


def snapshot(sim):
    return ([e.as_dict() for e in sim.state.events],
            sorted((p.key, p.node, p.ip, p.phase, p.ready, p.terminating) for p in sim.state.pods.values()))


def test_events_inside_one_long_step_fire_at_their_own_times():
    sim = Simulation(small_model([TimelineEvent(10.0, "failNode", "node-1")]), seed=0, dataplane=False)
    tick = sim.step(100.0)
    assert isinstance(tick, Tick) and tick.time == 100.0 and tick.dt == 100.0
    # fail at 10, NotReady at the monitor run at 60 (10 + 50), inside the single [0, 100] step
    assert [(e.time, e.reason) for e in tick.events if e.object == "node/node-1"] == [(60.0, "NodeNotReady")]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tick.time = 3.0  # type: ignore[misc]


def test_run_lands_exactly_on_until_with_default_tick():
    sim = Simulation(small_model(), seed=0, dataplane=False)
    last = sim.run(1.05)
    assert sim.time == 1.05 and last.time == 1.05 and last.dt == pytest.approx(0.05)


def test_same_seed_same_log_and_two_simulations_side_by_side():
    a = Simulation(small_model(TIMELINE), seed=11, dataplane=False)
    b = Simulation(small_model(TIMELINE), seed=11, dataplane=False)
    for t in (5.0, 100.0, 380.0, 500.0):  # interleaved: no shared state between them
        a.run(t)
        b.run(t)
    assert snapshot(a) == snapshot(b)
    assert any(e.reason == "TaintManagerEviction" for e in a.state.events)
    c = Simulation(small_model(TIMELINE), seed=12, dataplane=False)
    c.run(500.0)
    assert snapshot(c)[0] != snapshot(a)[0]  # different generated names


def test_runtime_schedule_like_the_gui():
    sim = Simulation(small_model(), seed=0, dataplane=False)
    sim.run(5.0)
    sim.schedule(TimelineEvent(7.0, "failNode", "node-4"))
    sim.run(57.0)
    assert sim.state.nodes["node-4"].ready == "True"  # 7 + 50 = 57 is not a monitor run (multiples of 5)
    sim.run(60.0)
    assert sim.state.nodes["node-4"].ready == "Unknown"


def test_run_model_json_is_deterministic_and_complete():
    one = json.dumps(run_model(small_model(TIMELINE), 450.0, seed=5))
    two = json.dumps(run_model(small_model(TIMELINE), 450.0, seed=5))
    assert one == two
    data = json.loads(one)
    assert {"events", "pods", "nodes", "time", "seed"} <= set(data)
    assert data["time"] == 450.0 and data["seed"] == 5
    assert set(data["events"][0]) == {"time", "type", "reason", "object", "message"}
    assert {"namespace", "name", "node", "ip", "phase", "ready"} <= set(data["pods"][0])
    live = [p for p in data["pods"] if not p["terminating"]]
    assert len(live) == 8  # scaled to 8 at t=20


def test_run_model_fail_option_and_unknown_node():
    data = run_model(small_model(), 61.0, seed=1, fails=["node-3@10"], preset="realistic")
    assert [n["ready"] for n in data["nodes"]] == ["True", "True", "Unknown", "True"]
    with pytest.raises(UsageError, match="unknown node 'node-9'; nodes: node-1, node-2, node-3, node-4"):
        run_model(small_model(), 61.0, fails=["node-9@10"])
    with pytest.raises(UsageError, match="expected NODE@SECONDS"):
        run_model(small_model(), 61.0, recovers=["node-1"])


def test_cli_run_json_twice_identical_and_errors(tmp_path, capsys):
    from core.scenario import DEMO_SCENARIO

    args = ["run", str(DEMO_SCENARIO), "--until", "30", "--seed", "3", "--json", "--fail", "node-1@2"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert data["seed"] == 3 and any(e["reason"] == "NodeNotReady" for e in data["events"])

    assert main(["run", str(DEMO_SCENARIO), "--until", "30", "--fail", "nosuch@5"]) == 2
    assert "unknown node 'nosuch'" in capsys.readouterr().err

    bad = tmp_path / "bad.yaml"
    bad.write_text("this: [is not a scenario\n")
    assert main(["run", str(bad), "--until", "10"]) == 1
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_cli_run_text_output(capsys):
    from core.scenario import DEMO_SCENARIO

    assert main(["run", str(DEMO_SCENARIO), "--until", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TIME") and "Scheduled" in out and "seed=" in out
