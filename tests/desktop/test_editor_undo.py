"""Every command's undo and redo restore the document exactly: over random sequences of user edits, undoing
all of them gives the original objects (content and order), redoing all gives the edited ones."""

import copy
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.model import ObjectRef
from core.scenario.errors import ScenarioError
from desktop.editor.editor import Editor, EditRefused
from desktop.editor.kinds import PALETTE
from desktop.editor.session import EditorSession

SMALL = """\
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {topology.kubernetes.io/zone: a}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: podpath.dev/v1alpha1
kind: Client
metadata: {name: browser}
spec: {location: external}
"""

KIND_IDS = [k.id for k in PALETTE]
edit = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(KIND_IDS), st.integers(0, 800), st.integers(0, 600)),
    st.tuples(st.just("delete"), st.integers(0, 50), st.integers(1, 3)),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(-500, 500), st.integers(-500, 500)),
    st.tuples(st.just("nudge"), st.integers(0, 50), st.sampled_from([(10, 0), (0, 10), (-10, 0)])),
    st.tuples(st.just("replicas"), st.integers(0, 50), st.integers(0, 9)),
    st.tuples(st.just("rename"), st.integers(0, 50), st.sampled_from(["alpha", "beta", "web"])),
    st.tuples(st.just("connect"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("duplicate"), st.integers(0, 50)),
)


def apply(editor: Editor, step: tuple) -> None:
    refs = editor.doc.refs()
    pick = lambda i: refs[i % len(refs)]  # noqa: E731
    kind = step[0]
    try:
        if kind == "create":
            editor.create(step[1], (step[2], step[3]))
        elif not refs:
            return
        elif kind == "delete":
            editor.delete([pick(step[1] + j) for j in range(step[2])])
        elif kind == "move":
            editor.move({pick(step[1]): (step[2], step[3])})
        elif kind == "nudge":
            editor.move({pick(step[1]): step[2]}, nudge=True)
        elif kind == "replicas":
            ref = pick(step[1])
            if ref.kind == "Deployment":
                editor.set_field(ref, "spec.replicas", step[2])
        elif kind == "rename":
            editor.rename(pick(step[1]), step[2])
        elif kind == "connect":
            editor.connect(pick(step[1]), pick(step[2]))
        elif kind == "duplicate":
            editor.duplicate([pick(step[1])])
    except (EditRefused, ScenarioError):
        pass  # refused edits change nothing (checked below: the stack only holds what was done)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=st.lists(edit, min_size=1, max_size=7))
def test_undo_all_gives_original_redo_all_gives_edited(qapp, steps):
    session = EditorSession()
    session.open_text(SMALL, "small.yaml")
    editor = Editor(session)
    original = session.document.objects()
    for step in steps:
        before = session.document.objects()
        count = session.undo_stack.count()
        apply(editor, step)
        if session.undo_stack.count() == count and session.undo_stack.index() == count:
            # no new step (refused, a no-op, or a nudge merged into the previous one)
            if step[0] != "nudge":
                assert session.document.objects() == before
    edited = session.document.objects()
    stack = session.undo_stack
    # each step: undo then redo lands on the same document
    for i in range(stack.count(), 0, -1):
        stack.setIndex(i)
        here = session.document.objects()
        stack.undo()
        stack.redo()
        assert session.document.objects() == here
    while stack.canUndo():
        stack.undo()
    assert session.document.objects() == original
    assert not session.modified
    while stack.canRedo():
        stack.redo()
    assert session.document.objects() == edited
    assert session.modified == (edited != original or stack.count() > 0)
    session.stop()


def test_multi_delete_is_one_step_and_restores_in_place(qapp):
    session = EditorSession()
    session.open_text(SMALL, "small.yaml")
    editor = Editor(session)
    original = copy.deepcopy(session.document.objects())
    editor.delete([ObjectRef("Node", "", "n1"), ObjectRef("Service", "default", "web"),
                   ObjectRef("Client", "", "browser")])
    assert [r.kind for r in session.document.refs()] == ["Deployment"]
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == "Delete 3 objects"
    session.undo_stack.undo()
    assert session.document.objects() == original
    session.stop()


def test_deleting_a_client_takes_its_traffic(qapp):
    session = EditorSession()
    session.open_text(SMALL, "small.yaml")
    editor = Editor(session)
    editor.connect(ObjectRef("Client", "", "browser"), ObjectRef("Service", "default", "web"))
    assert ObjectRef("Traffic", "", "browser-web") in session.document
    editor.delete([ObjectRef("Client", "", "browser")])
    assert not [r for r in session.document.refs() if r.kind in ("Client", "Traffic")]
    session.undo_stack.undo()
    assert ObjectRef("Traffic", "", "browser-web") in session.document
    session.stop()


def test_rename_carries_references_along(qapp):
    session = EditorSession()
    session.open_text(SMALL, "small.yaml")
    editor = Editor(session)
    editor.connect(ObjectRef("Client", "", "browser"), ObjectRef("Service", "default", "web"))
    editor.rename(ObjectRef("Client", "", "browser"), "laptop")
    assert session.document.get(ObjectRef("Traffic", "", "browser-web"))["spec"]["client"] == "laptop"
    assert not [d for d in session.diagnostics if d.is_error]
    assert session.undo_stack.undoText() == "Rename browser to laptop"
    session.stop()


def test_demo_round_trip_through_every_palette_kind(qapp):
    demo = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"
    session = EditorSession()
    session.open(demo)
    editor = Editor(session)
    original = session.document.objects()
    for kind in KIND_IDS:
        editor.create(kind, (10, 10))
    assert not [d for d in session.diagnostics if d.is_error]
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert session.document.objects() == original
    session.stop()


def test_renaming_a_service_keeps_traffic_aimed_at_it(qapp):
    """A new name allocates a new ClusterIP, load-balancer IP and node port: Traffic aimed at the Service's
    old addresses (or its DNS name) follows it, in the same undo step (seen under Xvfb: renaming svc-lb
    left a Client sending to the old load-balancer address)."""
    demo = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"
    session = EditorSession()
    session.open(demo)
    editor = Editor(session)
    lb = ObjectRef("Service", "default", "web-lb")
    spec = next(s for s in session.model.services if s.ref == lb)
    node = session.model.nodes[0]
    editor.connect(ObjectRef("Client", "", "browser"), ObjectRef("LoadBalancer", "default", "web-lb"))
    lb_traffic = session.document.refs()[-1]
    assert session.document.get(lb_traffic)["spec"]["target"] == f"{spec.load_balancer_ip}:80"
    editor.connect(ObjectRef("Client", "", "browser"), ObjectRef("Node", "", node.name))
    node_traffic = session.document.refs()[-1]
    node_target = session.document.get(node_traffic)["spec"]["target"]
    # batch-job sends to web-clusterip by its DNS name
    dns_traffic = next(r for r in session.document.refs() if r.kind == "Traffic" and
                       session.document.get(r)["spec"]["target"] == "web-clusterip.default.svc.cluster.local:80")
    before = session.document.objects()
    steps = session.undo_stack.count()
    editor.rename(lb, "frontend")
    new = next(s for s in session.model.services if s.name == "frontend")
    assert new.load_balancer_ip != spec.load_balancer_ip  # the premise: the address moved with the name
    assert session.document.get(lb_traffic)["spec"]["target"] == f"{new.load_balancer_ip}:80"
    if node_target.endswith(f":{spec.ports[0].node_port}"):
        assert session.document.get(node_traffic)["spec"]["target"] == f"{node.internal_ip}:{new.ports[0].node_port}"
    editor.rename(ObjectRef("Service", "default", "web-clusterip"), "web-internal")
    assert session.document.get(dns_traffic)["spec"]["target"] == "web-internal.default.svc.cluster.local:80"
    assert not [d for d in session.diagnostics if d.is_error]
    assert session.undo_stack.count() == steps + 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.document.objects() == before
    session.stop()
