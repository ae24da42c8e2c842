"""Issue 8 item 9: the InterPodAffinity filter for required podAffinity / podAntiAffinity terms."""

import copy
import functools
from pathlib import Path

import pytest

from core.engine import Simulation
from core.model import (
    BarePodSpec,
    ClusterModel,
    Container,
    LabelSelector,
    NodeSpec,
    PodAffinityTerm,
    PodTemplate,
    WorkloadSpec,
)
from core.scenario import load_model

DATA = Path(__file__).resolve().parent.parent / "data" / "manifests"
KUBELET = {"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


@pytest.fixture
def manifests(request) -> Path:
    if (DATA / "argocd-ha-install.yaml").is_file():
        return DATA
    return request.getfixturevalue("shared_manifests")


@functools.lru_cache(maxsize=2)
def _argocd(path: Path):
    from core.scenario.files import load_model_with_warnings

    return load_model_with_warnings(path)


def argocd(manifests: Path):
    """(model, diagnostics) of argo-cd's HA install: parsed once per run (35,000 lines), copied per test."""
    return copy.deepcopy(_argocd(manifests / "argocd-ha-install.yaml"))


def anti(**labels) -> PodAffinityTerm:
    return PodAffinityTerm(HOST, LabelSelector(tuple(sorted(labels.items()))))


def test_required_pod_anti_affinity_argocd_ha_two_nodes(manifests):
    model, _ = argocd(manifests)
    model.nodes = [NodeSpec("node-1", labels=dict(KUBELET)), NodeSpec("node-2", labels=dict(KUBELET))]
    sim = Simulation(model, seed=3, dataplane=False)
    sim.run(60.0)
    haproxy = [p for p in sim.state.pods.values() if p.name.startswith("argocd-redis-ha-haproxy-")]
    # 3 replicas, required anti-affinity on kubernetes.io/hostname against its own label: one per node, the
    # third fails on both nodes with the plugin's own (Unschedulable) reason, and preemption finds no victim
    # (every pod has priority 0)
    assert len(haproxy) == 3
    assert sorted(p.node for p in haproxy if p.node) == ["node-1", "node-2"]
    pending = [p for p in haproxy if p.node is None]
    assert len(pending) == 1
    assert pending[0].reason == (
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are "
        "available: 2 No preemption victims found for incoming pod..")
    # the same holds for the other hard-anti-affine workloads: redis-ha-server (StatefulSet, 3 ordinals) stops
    # at ordinal 2, argocd-server and argocd-repo-server (2 replicas each) fit one per node
    server = sorted((p.name, p.node) for p in sim.state.pods.values() if p.name.startswith("argocd-redis-ha-server"))
    assert [n for _, n in server][:2] and None not in [n for _, n in server][:2]
    assert server[2][1] is None
    for prefix in ("argocd-server-", "argocd-repo-server-"):
        nodes = sorted(p.node for p in sim.state.pods.values() if p.name.startswith(prefix))
        assert nodes == ["node-1", "node-2"], prefix


def _pod(name, labels, node=None, aff=(), anti_terms=(), ns="default"):
    return BarePodSpec(ns, name, PodTemplate(labels=labels, containers=(Container("c"),), node_name=node,
                                             required_pod_affinity=aff, required_pod_anti_affinity=anti_terms))


def _nodes():
    return [NodeSpec("a1", labels={ZONE: "a"}), NodeSpec("a2", labels={ZONE: "a"}),
            NodeSpec("b1", labels={ZONE: "b"}), NodeSpec("x", labels={})]


def test_required_pod_affinity_zone_and_missing_topology_key():
    # cache pod pinned to a2 (zone a). web requires affinity to app=cache on topology.kubernetes.io/zone:
    #   a1, a2: zone a has a matching pod -> pass; b1: zone b count 0 -> fail; x: no zone label -> fail.
    m = ClusterModel(nodes=_nodes())
    aff = PodAffinityTerm(ZONE, LabelSelector((("app", "cache"),)))
    m.pods = [_pod("cache", {"app": "cache"}, node="a2"), _pod("web", {"app": "web"}, aff=(aff,))]
    sim = Simulation(m, seed=0, dataplane=False)
    web = sim.state.pods[("default", "web")]
    assert web.node in ("a1", "a2")
    placement = sim.control.placements[("default", "web")]
    assert placement.filtered == {"b1": "node(s) didn't match pod affinity rules",
                                  "x": "node(s) didn't match pod affinity rules"}


def test_required_pod_affinity_first_pod_of_a_self_affine_group_is_not_stuck():
    # No pod matches app=db anywhere and the pod matches its own term: it may go to any node carrying the
    # topology key (a1, a2, b1), never to x (the key must exist on the node).
    m = ClusterModel(nodes=_nodes())
    aff = PodAffinityTerm(ZONE, LabelSelector((("app", "db"),)))
    m.pods = [_pod("db-0", {"app": "db"}, aff=(aff,))]
    sim = Simulation(m, seed=0, dataplane=False)
    placement = sim.control.placements[("default", "db-0")]
    assert sim.state.pods[("default", "db-0")].node in ("a1", "a2", "b1")
    assert placement.filtered == {"x": "node(s) didn't match pod affinity rules"}
    # a pod whose own labels do not match its term stays Pending everywhere: affinity is unresolvable
    m2 = ClusterModel(nodes=_nodes())
    m2.pods = [_pod("web", {"app": "web"}, aff=(aff,))]
    sim2 = Simulation(m2, seed=0, dataplane=False)
    assert sim2.state.pods[("default", "web")].reason == (
        "0/4 nodes are available: 4 node(s) didn't match pod affinity rules. preemption: 0/4 nodes are "
        "available: 4 Preemption is not helpful for scheduling..")


def test_existing_pods_anti_affinity_is_symmetric_and_namespaced():
    # "guard" on a1 refuses app=web pods in its own namespace on the same zone: a1 and a2 fail with the
    # existing-pods reason, b1 and x are fine. A web pod in another namespace is not affected.
    m = ClusterModel(nodes=_nodes())
    guard = PodAffinityTerm(ZONE, LabelSelector((("app", "web"),)))
    m.pods = [_pod("guard", {"app": "guard"}, node="a1", anti_terms=(guard,)),
              _pod("web", {"app": "web"}), _pod("web", {"app": "web"}, ns="other")]
    sim = Simulation(m, seed=0, dataplane=False)
    assert sim.state.pods[("default", "web")].node in ("b1", "x")
    assert sim.control.placements[("default", "web")].filtered == {
        "a1": "node(s) didn't satisfy existing pods anti-affinity rules",
        "a2": "node(s) didn't satisfy existing pods anti-affinity rules"}
    assert sim.control.placements[("other", "web")].filtered == {}


def test_anti_affinity_term_namespaces_and_nil_selector():
    # namespaces: ["other"] -> only pods of namespace "other" count; a nil labelSelector matches nothing.
    m = ClusterModel(nodes=[NodeSpec("n1"), NodeSpec("n2")])
    in_other = PodAffinityTerm(HOST, LabelSelector((("app", "web"),)), namespaces=("other",))
    nil = PodAffinityTerm(HOST, None)
    m.pods = [_pod("w1", {"app": "web"}, node="n1", ns="other"), _pod("w2", {"app": "web"}, node="n2"),
              _pod("p", {"app": "p"}, anti_terms=(in_other, nil))]
    sim = Simulation(m, seed=0, dataplane=False)
    assert sim.state.pods[("default", "p")].node == "n2"
    assert sim.control.placements[("default", "p")].filtered == {
        "n1": "node(s) didn't match pod anti-affinity rules"}


def test_pod_anti_affinity_parsed_from_yaml(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions: [{key: app, operator: In, values: [web]}]
            topologyKey: kubernetes.io/hostname
            namespaceSelector: {}
""")
    model = load_model(path)
    (term,) = model.workloads[0].template.required_pod_anti_affinity
    assert term == PodAffinityTerm(HOST, LabelSelector((), (("app", "In", ("web",)),)), (), LabelSelector())
    assert isinstance(model.workloads[0], WorkloadSpec)


def test_validate_no_endpoints_warning_agrees_with_simulation(manifests, capsys):
    from core.cli import main

    # argocd-redis-ha-announce-<i> select statefulset.kubernetes.io/pod-name=argocd-redis-ha-server-<i>, a label
    # the StatefulSet controller adds to ordinal i: no "no endpoints" warning for i = 0, 1, 2 (3 replicas)
    model, diags = argocd(manifests)
    assert not [x for x in diags if "will have no endpoints" in str(x)]
    model.nodes = [NodeSpec(f"node-{i}", labels=dict(KUBELET)) for i in (1, 2, 3)]
    sim = Simulation(model, seed=0, dataplane=False)
    sim.run(60.0)
    for i in range(3):
        eps = sim.state.slices[("default", f"argocd-redis-ha-announce-{i}")].endpoints
        assert [e.pod for e in eps] == [("default", f"argocd-redis-ha-server-{i}")]
    assert main(["validate", str(manifests / "argocd-ha-install.yaml")]) == 0
    captured = capsys.readouterr()
    assert "will have no endpoints" not in captured.out + captured.err


def test_validate_still_warns_for_an_ordinal_beyond_replicas(tmp_path):
    from core.scenario.files import load_model_with_warnings

    path = tmp_path / "s.yaml"
    path.write_text("""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
---
apiVersion: v1
kind: Service
metadata: {name: db-2}
spec:
  selector: {app: db, statefulset.kubernetes.io/pod-name: db-2}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: db-1}
spec:
  selector: {app: db, statefulset.kubernetes.io/pod-name: db-1}
  ports: [{port: 5432}]
""")
    _, diags = load_model_with_warnings(path)
    warned = [str(x) for x in diags if "will have no endpoints" in str(x)]
    assert len(warned) == 1 and "db-2" in warned[0]
