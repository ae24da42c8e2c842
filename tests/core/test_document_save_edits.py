"""The Document keeps each object's loaded text through edits, so saving edits that text instead of rewriting
the object: an edit undone gives the original bytes back, a removal undone takes its text (and its List) back,
a kind: List keeps its text when one item is edited, and a migrated file changes only what the migration
changed."""

from core.model import ObjectRef
from core.scenario.files import dumps_document, loads_document

TEXT = """# my cluster
apiVersion: v1
kind: Node
metadata:
  name: n1   # first
  labels: {topology.kubernetes.io/zone: "a"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}   # flow
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx}
"""

WEB = ObjectRef("Deployment", "default", "web")
N1 = ObjectRef("Node", "", "n1")


def test_edit_then_edit_back_gives_the_original_bytes_and_marks():
    doc = loads_document(TEXT, "c.yaml")
    old = doc.set_field(WEB, "spec.replicas", 5)
    assert dumps_document(doc) == TEXT.replace("  replicas: 3\n", "  replicas: 5\n")
    assert doc.mark_of(1, ("spec", "replicas")) == (0, 0)  # edited: the file's marks no longer hold
    doc.replace(WEB, old)  # what undo does
    assert dumps_document(doc) == TEXT
    assert doc.mark_of(1, ("spec", "replicas")) == (12, 13)  # back to the loaded content: marks again


def test_edit_inside_a_flow_sequence_item():
    doc = loads_document(TEXT, "c.yaml")
    doc.set_field(WEB, "spec.template.spec.containers[0].image", "nginx:1.27")
    assert dumps_document(doc) == TEXT.replace("image: nginx}", "image: 'nginx:1.27'}")


def test_removal_undone_takes_its_text_back():
    doc = loads_document(TEXT, "c.yaml")
    index, raw = doc.remove(N1)
    assert dumps_document(doc) == TEXT[TEXT.index("---\n"):]
    doc.add(raw, index)  # what undo does
    assert dumps_document(doc) == TEXT
    assert doc.mark_of(0, ("metadata", "name")) == (5, 9)


LIST = """# kubectl get nodes -o yaml
apiVersion: v1
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: a   # first
- apiVersion: v1
  kind: Node
  metadata:
    name: b
kind: List
metadata:
  resourceVersion: ""
"""


def test_list_item_edit_keeps_the_lists_text():
    doc = loads_document(LIST, "l.yaml")
    doc.set_field(ObjectRef("Node", "", "b"), "metadata.labels", {"zone": "z"})
    assert dumps_document(doc) == LIST.replace("    name: b\n", "    name: b\n    labels:\n      zone: z\n")


def test_list_item_removed_and_put_back():
    doc = loads_document(LIST, "l.yaml")
    index, raw = doc.remove(ObjectRef("Node", "", "a"))
    assert dumps_document(doc) == LIST.replace("- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a   # first\n",
                                               "")
    doc.add(raw, index)
    assert dumps_document(doc) == LIST


def test_a_migrated_file_changes_only_what_the_migration_changed():
    old = """# a draft lesson
apiVersion: podpath.dev/v1alpha1
kind: Simulation
metadata:
  name: draft
  annotations: {podpath.dev/format-version: "0"}   # old draft
spec:
  seed: 7    # keep
  timingPreset: classroom
"""
    doc = loads_document(old, "d.yaml")
    assert dumps_document(doc) == ("# a draft lesson\napiVersion: podpath.dev/v1alpha1\nkind: Simulation\n"
                                   "metadata:\n  name: draft\n  annotations: {podpath.dev/format-version: \"1\"}"
                                   "   # old draft\nspec:\n  seed: 7    # keep\n  preset: classroom\n")


def test_a_copied_document_keeps_list_items_in_one_list():
    """build_model keeps a deep copy of the entries (model.source); its items must still write as one List."""
    import copy

    from core.scenario.document import Document

    doc = loads_document(LIST, "l.yaml")
    copied = Document(doc.filename, [copy.deepcopy(e) for e in doc.entries])
    assert [d["kind"] for d in copied.documents()] == ["List"]
    assert dumps_document(copied) == LIST
    assert copied.mark_of(1, ("metadata", "name")) == (11, 11)
