"""Init containers are kept and written back but not run (docs/kubernetes-model.md §10); the scheduler charges
their requests as kube's ``resourcehelper.PodRequests`` does: max(app containers + sidecars, each init container
+ the sidecars started before it), per resource; sidecars are init containers with ``restartPolicy: Always``.
Every figure below is worked out by hand from that rule."""

from core.engine import Simulation
from core.model import Container, InitContainer, PodTemplate, Resources
from core.scenario import build_model, loads_document
from tests.conftest import MANIFESTS

MI = 1024**2

POD = """apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {allocatable: {cpu: "%s", memory: 4Gi, pods: "110"}}
---
apiVersion: v1
kind: Pod
metadata: {name: migrate}
spec:
  initContainers:
  - {name: schema, image: i, resources: {requests: {cpu: "2", memory: 1Gi}}}
  - {name: small, image: i, resources: {requests: {cpu: 50m}}}
  - {name: proxy, image: i, restartPolicy: Always, resources: {requests: {cpu: 10m}}}
  containers:
  - {name: app, image: i, resources: {requests: {cpu: 500m, memory: 256Mi}}}
"""


def _template(app, inits):
    return PodTemplate(containers=tuple(Container(f"a{i}", requests=Resources(c, m)) for i, (c, m) in enumerate(app)),
                       init_containers=tuple(InitContainer(f"i{i}", Resources(c, m), side)
                                             for i, (c, m, side) in enumerate(inits)))


def test_pod_request_is_the_larger_of_app_plus_sidecars_and_each_init_container():
    # app 100m + 200m = 300m, 128Mi; init 500m/64Mi alone -> cpu max(300, 500) = 500m, mem max(128, 64) = 128Mi
    assert _template([(100, 128 * MI), (200, 0)], [(500, 64 * MI, False)]).pod_requests() == (500, 128 * MI)
    # a sidecar 50m/32Mi first, then the 500m/64Mi init container:
    #   app + sidecar = 350m, 160Mi; sidecar entry = 50m/32Mi; init runs beside it: 550m, 96Mi
    #   -> cpu max(350, 550) = 550m, mem max(160, 96) = 160Mi
    assert _template([(100, 128 * MI), (200, 0)], [(50, 32 * MI, True), (500, 64 * MI, False)]).pod_requests() == (
        550, 160 * MI)
    # the same init container BEFORE the sidecar runs alone (500m, not 550m): max(350, 500, 50) = 500m
    assert _template([(100, 128 * MI), (200, 0)], [(500, 64 * MI, False), (50, 32 * MI, True)]).pod_requests() == (
        500, 160 * MI)
    # two sidecars 10m + 20m: app 300 + 30 = 330m; their running entries 10, 30 -> 330m
    assert _template([(100, 0), (200, 0)], [(10, 0, True), (20, 0, True)]).pod_requests() == (330, 0)


def test_scorers_defaults_apply_per_container_init_containers_included():
    # NonMissingContainerRequests: a missing cpu is 100m, memory 200Mi, per container
    # app: one container without requests -> 100m/200Mi; init 0/300Mi -> 100m (default cpu)/300Mi
    t = _template([(0, 0)], [(0, 300 * MI, False)])
    assert t.pod_requests(100, 200 * MI) == (100, 300 * MI)
    assert t.pod_requests() == (0, 300 * MI)


def _pod(cpu: str):
    sim = Simulation(build_model(loads_document(POD % cpu, "t.yaml"), seed=1)[0], seed=1, dataplane=False)
    return sim, next(iter(sim.state.pods.values()))


def test_an_init_container_larger_than_the_node_leaves_the_pod_pending():
    # schema asks 2 CPU: the pod's request is max(500m + 10m sidecar, 2000m + 0, 50m + 0, 10m) = 2000m.
    # A 1-CPU node fits the app container (510m) but not the pod: Pending with the scheduler's message.
    sim, pod = _pod("1")
    sim.run(1.0)
    assert pod.node is None
    assert pod.reason.startswith("0/1 nodes are available: 1 Insufficient cpu.")
    # a 2-CPU node takes it (2000m <= 2000m)
    sim, pod = _pod("2")
    sim.run(1.0)
    assert pod.node == "node-1"


def test_init_container_requests_draw_no_approximation_warning_any_more():
    _, warnings = build_model(loads_document(POD % "2", "t.yaml"), seed=1)
    assert not [w for w in warnings if "init container" in w.message]


def test_real_manifests_init_containers_request_nothing():
    for name in ("argocd-install-no-crds.yaml", "kube-flannel.yaml", "microservices-demo.yaml"):
        text = "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n---\n" + (MANIFESTS / name).read_text()
        model, _ = build_model(loads_document(text, name), seed=1)
        templates = [w.template for w in model.workloads] + [p.template for p in model.pods] + [
            ds.template for ds in getattr(model, "daemonsets", [])]
        inits = [ic for t in templates for ic in t.init_containers]
        assert inits, name
        assert all(ic.requests.cpu_milli == 0 and ic.requests.memory_bytes == 0 for ic in inits), name


def test_init_containers_change_the_pod_template_hash_only_when_present():
    """The ReplicaSet name (and so the seeded pod names and IPs of every saved scenario and lesson) of a
    template without init containers is what it was before init containers were modelled; adding one rolls
    a new ReplicaSet, as a template change does in Kubernetes."""
    from core.control.events import template_hash
    from core.control.workloads import replicaset_name
    from core.model import WorkloadSpec

    plain = _template([(100, 0)], [])
    with_init = _template([(100, 0)], [(500, 0, False)])
    assert plain.hash_text() == repr(plain) and "init_containers" not in repr(plain)
    w = WorkloadSpec("Deployment", "default", "web", 1, {"app": "web"}, plain)
    assert replicaset_name(w) == "web-" + template_hash(repr(plain))
    w2 = WorkloadSpec("Deployment", "default", "web", 1, {"app": "web"}, with_init)
    assert replicaset_name(w2) != replicaset_name(w)
