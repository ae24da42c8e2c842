"""`kind: List` -- what `kubectl get … -o yaml` prints -- loads its items as objects and round-trips as a List
(issue 8 item 4)."""

import textwrap

import pytest

from core.scenario import ScenarioError, build_model, dumps_document, export_manifests, loads_document
from core.scenario.yaml_io import parse_yaml

KUBECTL_GET = textwrap.dedent("""\
    apiVersion: v1
    items:
    - apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: default
      spec:
        selector:
          app: web
        ports:
        - port: 80
          targetPort: 8080
    - apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: web
              image: nginx
    kind: List
    metadata:
      resourceVersion: ""
    ---
    apiVersion: v1
    kind: Node
    metadata:
      name: node-1
    """)


def test_kind_list_items_load_as_objects():
    doc = loads_document(KUBECTL_GET, "get.yaml")
    assert [(r.kind, r.name) for r in doc.refs()] == [("Service", "web"), ("Deployment", "web"), ("Node", "node-1")]
    model, _ = build_model(doc, seed=1)
    assert [s.name for s in model.services if not s.implicit] == ["web"]
    assert [(w.kind, w.name, w.replicas) for w in model.workloads] == [("Deployment", "web", 2)]


def test_kind_list_round_trips_as_a_list():
    doc = loads_document(KUBECTL_GET, "get.yaml")
    text = dumps_document(doc)
    assert [p.data for p in parse_yaml(text)] == [p.data for p in parse_yaml(KUBECTL_GET)]
    # an edit of an item keeps it inside its List; an added object is a document of its own
    raw = doc.get(doc.refs()[1])
    raw["spec"]["replicas"] = 3
    doc.replace(doc.refs()[1], raw)
    docs = [p.data for p in parse_yaml(dumps_document(doc))]
    assert [d["kind"] for d in docs] == ["List", "Node"]
    assert docs[0]["items"][1]["spec"]["replicas"] == 3
    assert list(docs[0]) == ["apiVersion", "items", "kind", "metadata"]  # the List's own key order


def test_kind_list_errors_keep_their_line_and_column():
    bad = KUBECTL_GET.replace("    - port: 80\n", "    - port: 80\n      nodePort: 30080\n")
    with pytest.raises(ScenarioError) as info:
        build_model(loads_document(bad, "get.yaml"), seed=1)
    assert [d.format() for d in info.value.errors] == [
        "get.yaml:13:17: error: Service default/web: spec.ports[0].nodePort: Forbidden: may not be used when "
        "`type` is 'ClusterIP'"]


def test_kind_list_export_keeps_the_list_and_drops_nodes():
    text = export_manifests(loads_document(KUBECTL_GET, "get.yaml"))
    docs = [p.data for p in parse_yaml(text)]
    assert [d["kind"] for d in docs] == ["List"]
    assert [i["kind"] for i in docs[0]["items"]] == ["Service", "Deployment"]


def test_kind_list_with_a_non_object_item_or_no_items():
    bad = "apiVersion: v1\nkind: List\nitems:\n- 42\n"
    with pytest.raises(ScenarioError) as info:
        build_model(loads_document(bad, "l.yaml"), seed=1)
    assert [d.format() for d in info.value.errors] == [
        "l.yaml:4:3: error: List: items[0]: Invalid value: each item of a List must be a mapping (a Kubernetes "
        "object), got integer"]
    _, warnings = build_model(loads_document("apiVersion: v1\nkind: List\nitems: []\n", "e.yaml"), seed=1)
    assert [w.format() for w in warnings] == [
        "e.yaml: warning: no objects: the file holds no Kubernetes or PodPath objects",
        "e.yaml:1:1: warning: List: items: a List with no items holds no objects: nothing to load, and it is not "
        "written back when the scenario is saved"]
