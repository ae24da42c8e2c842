"""The editable Document: add/remove/replace/set_field, past-tense events, identities, modified state."""

import pytest

from core.model import ObjectRef
from core.scenario import DEMO_SCENARIO, ScenarioError, build_model, load_document, loads_document
from core.scenario.document import split_path

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


def test_bracket_quoted_keys_with_dots_and_slashes():
    doc = load_document(DEMO_SCENARIO)
    node = ObjectRef("Node", "", "node-1")
    doc.set_field(node, 'metadata.labels["kubernetes.io/hostname"]', "node-1")
    doc.set_field(node, "metadata.annotations['podpath.dev/position']", "10,20")
    raw = doc.get(node)
    assert raw["metadata"]["labels"]["kubernetes.io/hostname"] == "node-1"
    assert raw["metadata"]["annotations"]["podpath.dev/position"] == "10,20"
    assert "kubernetes" not in raw["metadata"]["labels"]  # not split at the dots
    doc.set_field(node, 'metadata.labels["kubernetes.io/hostname"]', None)
    assert "kubernetes.io/hostname" not in doc.get(node)["metadata"]["labels"]
    assert split_path('a["q\\"x"][2].b') == ["a", 'q"x', 2, "b"]
    with pytest.raises(ValueError, match="bad field path"):
        split_path("metadata.labels[kubernetes.io/hostname]")


BROKEN = """\
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  tpye: NodePort
  ports:
  - {port: 70000}
  - {port: 80, protocoll: TCP}
"""


def test_partial_fix_of_an_object_with_other_errors():
    doc = loads_document(BROKEN, "b.yaml")
    ref = ObjectRef("Service", "default", "s")
    # two structural errors (unknown fields "tpye" and "protocoll"; port 70000 is a value check of the build):
    # fixing "protocoll" leaves one error, 1 <= 2, so the partial fix is accepted
    doc.set_field(ref, "spec.ports[1]", {"port": 80, "protocol": "TCP"})
    assert doc.get(ref)["spec"]["ports"][1] == {"port": 80, "protocol": "TCP"}
    # a change that adds an error is still refused
    with pytest.raises(ScenarioError, match='unknown field "colour"'):
        doc.set_field(ref, "spec.colour", "red")
    # undo of the fix (content that was in the document before) is accepted although it has more errors
    doc.set_field(ref, "spec.ports[1]", {"port": 80, "protocoll": "TCP"})
    assert doc.get(ref)["spec"]["ports"][1] == {"port": 80, "protocoll": "TCP"}
    # removing an object with errors and adding it back (undo of a delete) works too
    index, raw = doc.remove(ref)
    doc.add(raw, index)
    assert ref in doc


def test_is_modified_false_when_back_to_saved_content():
    doc = load_document(DEMO_SCENARIO)
    seen = []
    doc.subscribe("modified_changed", seen.append)
    old = doc.set_field(WEB, "spec.replicas", 7)
    assert doc.is_modified
    doc.replace(WEB, old)  # undo
    assert not doc.is_modified
    assert [e.modified for e in seen] == [True, False]
    index, raw = doc.remove(WEB)
    doc.add(raw, index)
    assert not doc.is_modified and [e.modified for e in seen] == [True, False, True, False]
    doc.set_field(WEB, "spec.replicas", 7)
    doc.mark_saved()
    doc.set_field(WEB, "spec.replicas", 3)
    assert doc.is_modified  # the saved state now has 7 replicas
