"""Init containers are kept and written back but not run (docs/kubernetes-model.md §10). Where that changes the
scheduler's answer — upstream's pod request is max(sum of app containers, each init container) plus the sidecars
(restartPolicy: Always), resourcehelper.PodRequests — validation says so; the real manifests' init containers
(argo-cd's copyutil, flannel's install-cni, the loadgenerator's frontend-check) request nothing and draw no warning."""

from core.scenario import build_model, loads_document
from tests.conftest import MANIFESTS

POD = """apiVersion: v1
kind: Node
metadata: {name: node-1}
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


def _warnings(text):
    _, warnings = build_model(loads_document(text, "t.yaml"), seed=1)
    return [(w.path, w.message) for w in warnings]


def test_init_container_requesting_more_than_the_app_and_a_sidecar_warn():
    # schema: 2 CPU > 500m (and 1Gi > 256Mi): the pod's request is 2 CPU upstream; small: 50m < 500m, no warning;
    # proxy: a sidecar's 10m adds to the pod's request
    got = _warnings(POD)
    assert [p for p, _ in got] == ["spec.initContainers[0].resources.requests",
                                   "spec.initContainers[2].resources.requests"]
    assert got[0][1] == (
        "PodPath approximates: init containers are not run and their requests are not counted, but the scheduler "
        "counts them (an init container's requests above the app containers' sum become the pod's): this pod may "
        "fit where a real cluster would leave it Pending")
    assert "(a sidecar's requests add to the pod's)" in got[1][1]


def test_real_manifests_init_containers_request_nothing_and_do_not_warn():
    for name in ("argocd-install-no-crds.yaml", "kube-flannel.yaml", "microservices-demo.yaml"):
        text = "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n---\n" + (MANIFESTS / name).read_text()
        assert not [m for _, m in _warnings(text) if "init containers" in m], name
