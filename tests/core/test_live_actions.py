"""Live API: snapshot -> restore -> step equals an uninterrupted run; seek back costs at most one checkpoint
interval and gives the same state; actions and edits are logged, replay identically and become Timeline
events; edits keep every other object's addresses; typed changes name their objects."""

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from core.engine import Simulation
from core.live.actions import timeline_entries
from core.model import ObjectRef, ServicePort, ServiceSpec, TimelineEvent, TrafficSpec
from core.scenario import load_model

DEMO = "resources/scenarios/demo.yaml"


@pytest.fixture(scope="module")
def demo():
    return load_model(DEMO)


def fingerprint(sim) -> str:
    m = sim.dataplane.metrics
    return json.dumps({
        "time": sim.time, "events": [e.as_dict() for e in sim.state.events],
        "sent": m.sent, "delivered": m.delivered, "dropped": dict(sorted(m.dropped.items())),
        "endpoints": sorted([*k, v] for k, v in m.endpoint_counts.items()),
        "pods": sorted([*p.key, p.node, p.ip, p.phase, p.ready, p.terminating] for p in sim.state.pods.values()),
        "nodes": [[n.name, n.ready, n.up, n.unschedulable, [t.key for t in n.taints]]
                  for n in sim.state.nodes.values()],
        "slices": sorted([*k, [e.ip for e in s.endpoints]] for k, s in sim.state.slices.items()),
    }, sort_keys=True)


def session(sim):
    """A user's session: actions at odd instants between frames of 1/30 s."""
    script = {1.0: lambda: sim.fail_node("node-2"), 2.5: lambda: sim.scale("default/web", 5),
              3.2: lambda: sim.set_proxy_mode("ipvs"), 4.0: lambda: sim.cordon("node-1"),
              5.5: lambda: sim.set_ipvs_scheduler("lc"), 6.0: lambda: sim.recover_node("node-2"),
              7.1: lambda: sim.set_timing_preset("classroom")}
    done = set()
    while sim.time < 9.0 - 1e-9:
        sim.step(min(1 / 30, 9.0 - sim.time))
        for at, act in script.items():
            if at not in done and sim.time >= at:
                done.add(at)
                act()


def test_snapshot_restore_step_equals_uninterrupted(demo):
    a = Simulation(demo, seed=5)
    a.step(3.0)
    snap = a.snapshot()
    a.step(4.0)
    first = fingerprint(a)
    a.restore(snap)
    assert a.time == 3.0
    a.step(1.5)
    a.step(2.5)
    assert fingerprint(a) == first
    b = Simulation(demo, seed=5)
    b.step(7.0)
    assert fingerprint(b) == first


def test_action_log_replays_identically_and_seek_back_is_exact(demo):
    a = Simulation(demo, seed=2, checkpoint_interval=2.0)
    session(a)
    live = fingerprint(a)
    kinds = [e.event.action for e in a.actions]
    assert kinds == ["failNode", "scale", "setProxyMode", "cordon", "setIPVSScheduler", "recoverNode",
                     "setTimingPreset"]
    # a fresh simulation replaying the log at other step sizes
    b = Simulation(demo, seed=2)
    b.replay(a.actions)
    b.step(4.4)
    b.step(4.6)
    assert fingerprint(b) == live
    # seek back to 3.7 s and play forward again: the logged future replays
    a.seek(3.7)
    assert a.time == 3.7
    assert a.state.proxy_config.mode == "ipvs" and not a.state.nodes["node-1"].unschedulable
    a.seek(9.0)
    assert fingerprint(a) == live


def test_seek_restores_from_the_latest_checkpoint(demo):
    sim = Simulation(demo, seed=1, checkpoint_interval=2.0)
    sim.step(9.0)  # one step: checkpoints only at step ends (t=0 and 9)
    for _ in range(30):
        sim.step(0.25)  # 9 .. 16.5: checkpoints every 2 s
    times = [s.time for s in sim.checkpoints.items]
    assert times[:2] == [0.0, 9.0] and all(b - a >= 2.0 - 1e-9 for a, b in zip(times[1:], times[2:]))
    sim.seek(12.3)
    assert sim.time == 12.3
    restored_from = max(t for t in times if t <= 12.3)
    assert 12.3 - restored_from <= 2.0


def test_new_action_after_seek_back_starts_a_new_future(demo):
    sim = Simulation(demo, seed=1, checkpoint_interval=1.0)
    sim.step(2.0)
    sim.fail_node("node-3")
    sim.step(3.0)
    sim.seek(1.0)
    assert len(sim.actions) == 1 and sim.state.nodes["node-3"].up
    sim.cordon("node-1")
    assert [e.event.action for e in sim.actions] == ["cordon"]
    assert all(s.time <= 1.0 for s in sim.checkpoints.items)
    sim.step(4.0)
    assert sim.state.nodes["node-3"].up and sim.state.nodes["node-1"].unschedulable


def test_bad_actions_are_refused_and_not_logged(demo):
    sim = Simulation(demo, seed=1)
    with pytest.raises(ValueError, match="unknown node 'node-9'"):
        sim.fail_node("node-9")
    with pytest.raises(ValueError, match="setTimingPreset: unknown preset 'fast'; allowed: realistic, classroom"):
        sim.set_timing_preset("fast")
    with pytest.raises(ValueError, match="deletePod: no pod or workload named 'default/nope'"):
        sim.delete_pod("default/nope")
    assert len(sim.actions) == 0


def test_actions_become_timeline_entries(demo):
    sim = Simulation(demo, seed=1)
    sim.step(1.25)
    sim.fail_node("node-2")
    sim.step(0.5)
    sim.scale("default/web", 4)
    sim.set_timing_preset("classroom")
    assert timeline_entries(sim.actions.timeline_events()) == [
        {"at": 1.25, "action": "failNode", "target": "node-2"},
        {"at": 1.75, "action": "scale", "target": "default/web", "value": 4},
        {"at": 1.75, "action": "setTimingPreset", "value": "classroom"}]


def test_typed_changes_of_a_node_failure(demo):
    sim = Simulation(demo, seed=1)
    sim.step(1.0)
    sim.fail_node("node-2")
    kinds = []
    for _ in range(80):  # realistic timing: NotReady 50 s after the last heartbeat, at a 5 s monitor run
        tick = sim.step(1.0)
        kinds += [(c.kind, c.ref) for c in tick.changes]
    assert kinds[0] == ("NodeFailed", ObjectRef("Node", "", "node-2"))
    assert ("NodeConditionChanged", ObjectRef("Node", "", "node-2")) in kinds
    assert any(k == "PodNotReady" and r.namespace == "default" for k, r in kinds)
    assert any(k == "EndpointsChanged" and r == ObjectRef("Service", "default", "web-clusterip") for k, r in kinds)


def addresses(sim):
    svc = {(s.namespace, s.name): (s.cluster_ip, tuple(p.node_port for p in s.ports)) for s in sim.model.services}
    return svc, {k: p.ip for k, p in sim.state.pods.items()}, {n.name: (n.ip, n.pod_cidr) for n in sim.state.nodes.values()}


def test_edits_keep_time_and_other_objects_addresses(demo):
    sim = Simulation(demo, seed=4)
    sim.step(3.0)
    svc0, pods0, nodes0 = addresses(sim)
    new = copy.copy(demo)
    new.services = list(demo.services) + [ServiceSpec("default", "web-extra", ports=(ServicePort(80, target_port=8080),),
                                                      selector={"app": "web"}, cluster_ip="10.96.200.200")]
    new.traffic = list(demo.traffic) + [TrafficSpec("extra", demo.traffic[1].client, "10.96.200.200:80", rate=50)]
    new.workloads = [replace(w, replicas=w.replicas + 1) if w.name == "web" else w for w in demo.workloads]
    sim.edit(new)
    assert sim.time == 3.0
    tick = sim.step(6.0)
    svc1, pods1, nodes1 = addresses(sim)
    assert nodes1 == nodes0
    assert {k: v for k, v in svc1.items() if k in svc0} == svc0
    assert all(pods1[k] == ip for k, ip in pods0.items())  # no running pod moved or was re-addressed
    refs = {(c.kind, c.ref) for c in tick.changes}
    assert ("ObjectAdded", ObjectRef("Service", "default", "web-extra")) in refs
    assert ("ObjectAdded", ObjectRef("Traffic", "", "extra")) in refs
    assert sum(1 for c in tick.changes if c.kind == "PodCreated") == 1
    extra = {k: v for k, v in sim.dataplane.metrics.endpoint_counts.items() if k[0] == "default/web-extra:80"}
    assert len(extra) == 4 and sum(extra.values()) > 100  # the new flow reaches all four web pods
    # and the edit replays identically (other step sizes) from the log
    again = Simulation(demo, seed=4)
    again.replay(sim.actions)
    for _ in range(90):
        again.step(0.1)
    assert fingerprint(again) == fingerprint(sim)


def test_removing_a_workload_deletes_its_pods_gracefully(demo):
    sim = Simulation(demo, seed=4)
    sim.step(1.0)
    new = copy.copy(demo)
    new.workloads = [w for w in demo.workloads if w.name != "api"]
    sim.edit(new)
    api = [p for p in sim.state.pods.values() if p.owner and p.owner[2] == "api"]
    assert api and all(p.terminating for p in api)
    sim.step(sim.timing.termination_grace + 1)
    assert not [p for p in sim.state.pods.values() if p.owner and p.owner[2] == "api"]
    assert all(e.pod[1].startswith("api") is False for e in sim.state.slices[("default", "api")].endpoints) \
        if ("default", "api") in sim.state.slices else True


def test_node_edits_need_a_restart(demo):
    sim = Simulation(demo, seed=4)
    new = copy.copy(demo)
    new.nodes = demo.nodes[:-1]
    with pytest.raises(ValueError, match="cannot remove Node node-3 while the simulation runs; restart"):
        sim.edit(new)
    assert len(sim.actions) == 0


def test_timeline_event_in_the_scenario_and_runtime_action_agree(demo):
    """A logged action written into the Timeline replays the same run when loaded as a scenario event."""
    live = Simulation(demo, seed=8)
    live.step(2.0)
    live.drain("node-1")
    live.step(6.0)
    scripted_model = copy.copy(demo)
    scripted_model.timeline = list(demo.timeline) + live.actions.timeline_events()
    scripted = Simulation(scripted_model, seed=8)
    scripted.step(8.0)
    assert fingerprint(scripted) == fingerprint(live)


def test_runtime_event_and_timeline_at_the_same_instant_use_timeline_first(demo):
    model = copy.copy(demo)
    model.timeline = list(demo.timeline) + [TimelineEvent(2.0, "cordon", "node-2")]
    sim = Simulation(model, seed=1)
    sim.step(2.0)
    sim.uncordon("node-2")  # at 2.0, after the scenario's cordon at 2.0
    sim.step(1.0)
    assert not sim.state.nodes["node-2"].unschedulable


def test_document_edits_are_logged_as_manifests_and_replay_from_timeline_events():
    from core.live.edits import edit_document, track_document
    from core.scenario import build_model, load_document

    doc = load_document(DEMO)
    model, _ = build_model(doc)
    live = Simulation(model, seed=6)
    track_document(live, doc)
    live.step(1.5)
    extra = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web-extra", "namespace": "default"},
             "spec": {"selector": {"app": "web"}, "ports": [{"port": 81, "targetPort": 8080}]}}
    doc.add(extra)
    edit_document(live, doc)
    live.step(2.0)
    web = next(r for r in doc.refs() if r.kind == "Deployment" and r.name == "web")
    doc.set_field(web, "spec.replicas", 5)
    edit_document(live, doc)
    live.step(3.0)
    events = live.actions.timeline_events()
    assert [(e.at, e.action, e.target) for e in events] == [
        (1.5, "applyObject", "Service/default/web-extra"), (3.5, "applyObject", "Deployment/default/web")]
    assert events[0].value == extra and events[1].value["spec"]["replicas"] == 5
    assert len(live.state.slices[("default", "web-extra")].endpoints) == 5
    # the same session as scenario Timeline events on the original document
    scripted_model, _ = build_model(load_document(DEMO))
    scripted_model.timeline = list(scripted_model.timeline) + events
    scripted = Simulation(scripted_model, seed=6)
    track_document(scripted, load_document(DEMO))
    scripted.step(6.5)
    assert fingerprint(scripted) == fingerprint(live)


def test_timing_preset_in_a_scenario_timeline(demo):
    model = copy.copy(demo)
    model.timeline = list(demo.timeline) + [TimelineEvent(1.0, "setTimingPreset", "", "classroom")]
    sim = Simulation(model, seed=1)
    sim.step(2.0)
    assert sim.timing.node_monitor_grace_period == 5.0
    with pytest.raises(ValueError, match="setTimingPreset: unknown preset 'slow'"):
        sim.schedule(TimelineEvent(3.0, "setTimingPreset", "", "slow"))


def test_checkpoints_stay_bounded_and_seek_stays_exact(demo):
    sim = Simulation(demo, seed=3, checkpoint_interval=0.5, max_checkpoints=4)
    for _ in range(40):
        sim.step(0.25)  # 10 s
    times = [s.time for s in sim.checkpoints.items]
    assert len(times) <= 4 and times[0] == 0.0 and sim.checkpoints.interval >= 2.0
    end = fingerprint(sim)
    sim.seek(6.1)
    assert sim.time == 6.1
    sim.seek(10.0)
    assert fingerprint(sim) == end
    with pytest.raises(ValueError, match="seek: time must be a finite number of seconds >= 0"):
        sim.seek(float("nan"))


def test_saved_live_session_with_edits_validates_and_replays_from_the_file(tmp_path):
    """Save as timeline writes setTimingPreset, applyObject and deleteObject entries: the saved file must
    validate (they were refused as unknown actions, and a manifest value as "not an integer or string") and
    `podpath run` / a fresh Simulation must replay the session from the file alone."""
    from core.cli import main
    from core.live.actions import write_timeline
    from core.live.edits import edit_document, track_document
    from core.scenario import build_model, load_document
    from core.scenario.files import dumps_document, loads_document

    doc = load_document(DEMO)
    model, _ = build_model(doc)
    live = Simulation(model, seed=4)
    track_document(live, doc)
    live.step(1.0)
    live.set_timing_preset("classroom")
    extra = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web-extra", "namespace": "default"},
             "spec": {"selector": {"app": "web"}, "ports": [{"port": 81, "targetPort": 8080}]}}
    doc.add(extra)
    edit_document(live, doc)
    live.step(1.0)
    doc.remove(next(r for r in doc.refs() if r.kind == "Service" and r.name == "web-extra"))
    edit_document(live, doc)
    live.step(1.0)
    live.fail_node("node-3")
    live.step(2.0)

    saved = load_document(DEMO)
    write_timeline(saved, live.actions)
    path = tmp_path / "session.yaml"
    path.write_text(dumps_document(saved), encoding="utf-8")
    reloaded = loads_document(path.read_text(encoding="utf-8"), str(path))
    replay_model, warnings = build_model(reloaded)
    assert not [w for w in warnings if "Timeline" in w.object]
    actions = [e.action for e in replay_model.timeline if 1.0 <= e.at < 20]  # the demo fails node-2 at 20
    assert actions == ["setTimingPreset", "applyObject", "deleteObject", "failNode"]
    replay = Simulation(replay_model, seed=4)  # no track_document: the file's own Timeline edits it
    replay.step(5.0)
    assert fingerprint(replay) == fingerprint(live)
    assert main(["validate", str(path)]) == 0
    assert main(["run", str(path), "--until", "6", "--seed", "4"]) == 0


def test_timeline_object_events_are_checked_where_they_are_written(tmp_path):
    from core.scenario import build_model, load_document
    from core.scenario.errors import ScenarioError

    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(DEMO).read_text(encoding="utf-8") + """---
apiVersion: podpath.dev/v1alpha1
kind: Timeline
metadata: {name: edits}
spec:
  events:
  - {at: 1, action: setTimingPreset, value: fast}
  - {at: 2, action: applyObject, target: Service/default/x, value: {apiVersion: v1, kind: Service, metadata: {name: y}}}
  - {at: 3, action: deleteObject}
  - {at: 4, action: scale, target: default/web, value: {replicas: 2}}
""", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        build_model(load_document(bad))
    text = str(err.value)
    assert 'spec.events[0].value: Unsupported value: "fast": supported values: "classroom", "realistic"' in text
    assert "spec.events[1].value: Invalid value: the manifest is Service/y" in text
    assert "spec.events[2].target: Invalid value: \"\": deleteObject needs a target Kind/namespace/name" in text
    assert "spec.events[3].value" in text
