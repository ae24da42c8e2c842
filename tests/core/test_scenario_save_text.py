"""Saving after one edit changes only that object's lines: comments, quoting and flow style of the
objects the user did not touch stay as the file had them (as a text editor keeps them)."""

import difflib

from core.scenario.files import dumps_document, loads_document

TEXT = """# header: my lesson cluster
apiVersion: v1
kind: Node
metadata:
  name: node-1   # the first node
  labels: {topology.kubernetes.io/zone: "a"}
---
# the web tier
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx}
---
apiVersion: v1
kind: Service
metadata: {name: web}   # keep this comment
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
# trailing note
"""


def test_unedited_document_saves_byte_for_byte():
    doc = loads_document(TEXT, "lesson.yaml")
    assert dumps_document(doc) == TEXT


def test_one_edit_changes_only_that_objects_lines():
    doc = loads_document(TEXT, "lesson.yaml")
    web = next(r for r in doc.refs() if r.kind == "Deployment")
    doc.set_field(web, "spec.replicas", 4)
    out = dumps_document(doc)
    assert out.startswith("# header: my lesson cluster\n")
    assert "  name: node-1   # the first node\n" in out
    assert "metadata: {name: web}   # keep this comment\n" in out
    assert out.endswith("# trailing note\n")
    changed = [line for line in difflib.unified_diff(TEXT.splitlines(), out.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    # every changed line belongs to the Deployment (the only edited object)
    dep_start, dep_end = TEXT.index("# the web tier"), TEXT.index("kind: Service")
    dep_lines = set(TEXT[dep_start:dep_end].splitlines())
    assert all(line[1:] in dep_lines for line in changed if line.startswith("-"))
    assert any(line == "+  replicas: 4" for line in changed)
    again = loads_document(out, "lesson.yaml")
    assert again.objects() == doc.objects()


def test_new_and_removed_objects_keep_the_others_text():
    doc = loads_document(TEXT, "lesson.yaml")
    doc.remove(next(r for r in doc.refs() if r.kind == "Node"))
    doc.add({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
             "spec": {"selector": {"app": "api"}, "ports": [{"port": 81}]}})
    out = dumps_document(doc)
    assert "# the web tier" in out and "# keep this comment" in out and "node-1" not in out
    assert loads_document(out, "x.yaml").objects() == doc.objects()
