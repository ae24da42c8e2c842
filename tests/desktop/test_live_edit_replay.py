"""An edit the core cannot apply live (adding a Node) replays the run from t = 0 with the edited scenario and
the runtime actions; edits applied live before it are part of that scenario now, not actions to replay (HG saw
'unknown action applyObject' on every later edit, stale events after undo and a canvas back at t = 0)."""

from __future__ import annotations

from core.model import TimelineEvent
from core.scenario import build_model, loads_document
from desktop.live.adapter import LiveRun
from tests.desktop.live_helpers import DEMO, fingerprint, headless

SERVICE = ("\n---\napiVersion: v1\nkind: Service\nmetadata: {name: extra}\nspec:\n  selector: {app: web}\n"
           "  ports: [{port: 81, targetPort: 8080}]\n")
NODE = ("\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node-9\n  labels: {topology.kubernetes.io/zone: zone-b}\n")


def _doc(text):
    doc = loads_document(text, "demo.yaml")
    model, _ = build_model(doc, seed=1)
    return doc, model


def test_a_node_added_after_a_live_edit_replays_with_the_runtime_actions_only():
    base = DEMO.read_text()
    doc, model = _doc(base)
    run = LiveRun(model, 1, document=doc)
    run.run_to(5.0)
    run.apply("failNode", "node-2")
    run.run_to(6.0)
    doc2, model2 = _doc(base + SERVICE)
    assert run.edit(model2, doc2) == "live"
    run.run_to(9.0)
    assert [a.action for a in run.actions] == ["failNode", "applyObject"]
    doc3, model3 = _doc(base + SERVICE + NODE)
    assert run.edit(model3, doc3) == "replayed"
    assert run.time == 9.0
    assert [(a.at, a.action, a.target) for a in run.actions] == [(5.0, "failNode", "node-2")]
    assert "node-9" in run.sim.state.nodes and ("default", "extra") in {
        (s.namespace, s.name) for s in run.sim.model.services}
    # what a headless run of the edited file with the same runtime action computes
    model3.timeline = [*model3.timeline, TimelineEvent(5.0, "failNode", "node-2")]
    assert fingerprint(run.sim) == fingerprint(headless(model3, 9.0, seed=1))
    # and a later live edit still works
    doc4, model4 = _doc(base + SERVICE + NODE + SERVICE.replace("extra", "extra-2"))
    assert run.edit(model4, doc4) == "live"


def test_edits_and_their_undo_at_t0_start_the_run_afresh_from_the_document():
    """HG (Xvfb): at 0:00.0, Replicas 3 -> 5 then Ctrl+Z left the two extra pods Terminating, and undoing
    palette drops left a StatefulSet's and a DaemonSet's pods Terminating: at t = 0 nothing has happened yet,
    so the run is the edited file's, as if it had just been opened."""
    base = DEMO.read_text()
    doc, model = _doc(base)
    run = LiveRun(model, 1, document=doc)
    scaled = base.replace("name: web\nspec:\n  replicas: 3", "name: web\nspec:\n  replicas: 5")
    assert scaled != base
    doc5, model5 = _doc(scaled)
    assert run.edit(model5, doc5) == "replayed"
    assert fingerprint(run.sim) == fingerprint(headless(model5, 0.0, seed=1))
    assert sum(p.name.startswith("web-") for p in run.sim.state.pods.values()) == 5
    assert run.edit(model, doc) == "replayed"  # the undo
    assert fingerprint(run.sim) == fingerprint(headless(model, 0.0, seed=1))
    assert not [p for p in run.sim.state.pods.values() if p.terminating]
    assert run.actions == []
