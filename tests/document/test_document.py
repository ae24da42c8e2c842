"""The editable Document: add/remove/replace/set_field, past-tense events, identities, modified state."""

import pytest

from core.model import ObjectRef
from core.scenario import DEMO_SCENARIO, ScenarioError, build_model, load_document

WEB = ObjectRef("Deployment", "default", "web")


def test_events_and_undo_data():
    doc = load_document(DEMO_SCENARIO)
    seen = []
    for name in ("object_added", "object_removed", "object_changed", "modified_changed"):
        doc.subscribe(name, seen.append)
    assert not doc.is_modified
    old = doc.set_field(WEB, "spec.replicas", 5)
    assert old["spec"]["replicas"] == 3 and doc.get(WEB)["spec"]["replicas"] == 5
    assert [e.name for e in seen] == ["modified_changed", "object_changed"]
    assert seen[1].ref == WEB and seen[1].old_ref == WEB
    index, raw = doc.remove(WEB)
    assert WEB not in doc and seen[-1].name == "object_removed" and seen[-1].index == index
    doc.add(raw, index)  # undo of the delete re-creates the same object in place
    assert doc.refs()[index] == WEB and seen[-1].name == "object_added"
    model, _ = build_model(doc)
    assert next(w for w in model.workloads if w.name == "web").replicas == 5
    doc.mark_saved()
    assert not doc.is_modified and seen[-1].name == "modified_changed" and seen[-1].modified is False


def test_add_checks_objects():
    doc = load_document(DEMO_SCENARIO)
    with pytest.raises(ScenarioError, match='Deployment "web" already exists'):
        doc.add(doc.get(WEB))
    bad = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"tpye": "NodePort"}}
    with pytest.raises(ScenarioError, match='unknown field "tpye"; did you mean "type"'):
        doc.add(bad)
    with pytest.raises(ValueError, match="unknown document event"):
        doc.subscribe("objectAdded", print)


def test_rename_through_replace():
    doc = load_document(DEMO_SCENARIO)
    raw = doc.get(WEB)
    raw["metadata"]["name"] = "shop"
    seen = []
    doc.subscribe("object_changed", seen.append)
    doc.replace(WEB, raw)
    assert seen[0].ref == ObjectRef("Deployment", "default", "shop") and seen[0].old_ref == WEB
