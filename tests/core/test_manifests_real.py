"""Every real public manifest kept in tests/data/manifests loads, validates with only the warnings its content
really deserves, round-trips with nothing lost, and runs (issue 8 item 19).

Object counts are counted in the files themselves (``^kind: X`` lines, plus a List's items), independently of
PodPath's loader; pod counts follow from each file's replicas on three default nodes (4 CPUs, 8 GiB, 110 pods
each), worked out in the comments."""

import re

import pytest

from core.engine import Simulation
from core.scenario import build_model, load_document, loads_document, save_document

THREE_NODES = "".join(f"apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i}\n---\n" for i in (1, 2, 3))

FILES = ["argocd-ha-install.yaml", "bookinfo.yaml", "cassandra.yaml", "guestbook-all-in-one.yaml",
         "ingress-nginx-baremetal.yaml", "ingress-nginx-cloud.yaml", "kube-flannel.yaml",
         "minio-headless-statefulset.yaml", "tensorflow-serving.yaml"]

# the warnings each manifest deserves, once three Nodes are added (nothing for the ordinary ones)
EXPECTED_WARNINGS = {
    "tensorflow-serving.yaml": [
        # no ingressClassName and no IngressClass in the file: no controller would serve it in a real cluster
        "Ingress default/tf-serving-ingress: spec.ingressClassName: no ingressClassName and no default "
        "IngressClass: no controller will serve this Ingress",
        # "/tf(/|$)(.*)" is an ingress-nginx regular expression; PodPath matches paths literally
        'Ingress default/tf-serving-ingress: spec.rules[0].http.paths[0].path: PodPath approximates: '
        '"/tf(/|$)(.*)" looks like a regular expression (an ingress-nginx extension); PodPath matches it '
        "literally as Prefix",
    ],
}


def test_every_manifest_in_the_issue_that_is_available_is_kept_here(shared_manifests):
    assert sorted(p.name for p in shared_manifests.glob("*.yaml")) == FILES
    readme = (shared_manifests / "README.md").read_text()
    for name in FILES:
        assert f"| {name} |" in readme and readme.count("Apache-2.0") >= len(FILES)


@pytest.mark.parametrize("name", FILES)
def test_manifest_loads_validates_and_round_trips(shared_manifests, tmp_path, name):
    path = shared_manifests / name
    text = path.read_text()
    doc = load_document(path)
    # every top-level document of the file is an object of the document (none dropped, none invented)
    assert len(doc) == len(re.findall(r"^kind: ", text, flags=re.M))
    model, warnings = build_model(loads_document(THREE_NODES + text, name), seed=1)
    shown = [w.format().split(": warning: ", 1)[1] for w in warnings]
    # (argo-cd's announce Services select statefulset.kubernetes.io/pod-name, a label the StatefulSet controller
    # adds: no "will have no endpoints" warning for them, issue 8 item 14)
    assert shown == EXPECTED_WARNINGS.get(name, [])
    out = tmp_path / name
    save_document(doc, out)
    again = load_document(out)
    assert again.objects() == doc.objects()
    assert again.documents() == doc.documents()


# pods Running after 120 simulated seconds on three nodes
EXPECTED_RUNNING = {
    "bookinfo.yaml": 6,  # details, ratings, reviews v1/v2/v3, productpage: one replica each
    "guestbook-all-in-one.yaml": 6,  # redis-master 1 + redis-replica 2 + frontend 3 (100m, 100Mi each)
    "cassandra.yaml": 3,  # StatefulSet replicas 3, 500m / 1Gi each
    "tensorflow-serving.yaml": 1,
    "kube-flannel.yaml": 3,  # a DaemonSet: one per node
    "ingress-nginx-cloud.yaml": 1,  # the controller Deployment; the admission Jobs are kept, not run
    "ingress-nginx-baremetal.yaml": 1,
    "minio-headless-statefulset.yaml": 3,  # 4 replicas with hostPort 9000: one per node, the 4th Pending
}


@pytest.mark.parametrize("name", sorted(EXPECTED_RUNNING))
def test_manifest_runs_on_three_nodes(shared_manifests, name):
    model, _ = build_model(loads_document(THREE_NODES + (shared_manifests / name).read_text(), name), seed=1)
    sim = Simulation(model, seed=1)
    sim.run(120.0)
    phases = [p.phase for p in sim.state.pods.values()]
    assert phases.count("Running") == EXPECTED_RUNNING[name]
    if name == "minio-headless-statefulset.yaml":
        assert phases.count("Pending") == 1
