"""Every real public manifest kept in tests/data/manifests loads, validates with only the warnings its content
really deserves, round-trips with nothing lost, and runs (issue 8 item 19).

Object counts are counted in the files themselves (``^kind: X`` lines, plus a List's items), independently of
PodPath's loader; pod counts follow from each file's replicas on three default nodes (4 CPUs, 8 GiB, 110 pods
each), worked out in the comments."""

import re

import pytest

from core.engine import Simulation
from core.scenario import ScenarioError, build_model, load_document, loads_document, save_document
from tests.conftest import MANIFESTS

THREE_NODES = "".join(f"apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i}\n---\n" for i in (1, 2, 3))

FILES = ["argocd-ha-install.yaml", "argocd-install-no-crds.yaml", "bookinfo.yaml", "cassandra.yaml", "guestbook-all-in-one.yaml",
         "hpa-walkthrough-php-apache.yaml", "ingress-nginx-baremetal.yaml", "ingress-nginx-cloud.yaml",
         "istio-httpbin.yaml", "kube-flannel.yaml", "kube-state-metrics.yaml", "kubernetes-dashboard.yaml",
         "local-path-storage.yaml", "metallb-native.yaml", "microservices-demo.yaml", "minio-headless-statefulset.yaml",
         "node-exporter-daemonset.yaml", "podinfo.yaml", "tensorflow-serving.yaml"]

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
    # MetalLB v0.13's native manifest still ships two PodSecurityPolicies (cluster-scoped, so no namespace);
    # kube-apiserver stopped serving policy/v1beta1 PodSecurityPolicy in v1.25 and has no replacement version
    "metallb-native.yaml": [
        f'PodSecurityPolicy {name}: apiVersion: "policy/v1beta1" PodSecurityPolicy is no longer served since '
        'Kubernetes v1.25 (kubectl would refuse it: no matches for kind "PodSecurityPolicy" in version '
        '"policy/v1beta1"; PodPath keeps it unchanged)' for name in ("controller", "speaker")
    ],
    # the documentation's HPA walkthrough: a served autoscaling/v2 HPA, which PodPath keeps but does not run
    "hpa-walkthrough-php-apache.yaml": [
        'HorizontalPodAutoscaler default/php-apache: spec.scaleTargetRef: PodPath approximates: '
        'HorizontalPodAutoscalers are kept but not simulated: Deployment "php-apache" keeps its own replicas '
        "whatever the load (a real one would keep it between minReplicas 1 and maxReplicas 10)",
    ],
    # autoscaling/v2beta2 HorizontalPodAutoscaler was removed in v1.26 (autoscaling/v2 replaces it)
    "podinfo.yaml": [
        'HorizontalPodAutoscaler default/podinfo: apiVersion: "autoscaling/v2beta2" HorizontalPodAutoscaler is no '
        'longer served since Kubernetes v1.26; use "autoscaling/v2" (kubectl would refuse it: no matches for kind '
        '"HorizontalPodAutoscaler" in version "autoscaling/v2beta2"; PodPath keeps it unchanged)',
    ],
}


def test_nineteen_public_manifests_are_kept_here_with_source_and_licence(shared_manifests):
    assert sorted(p.name for p in shared_manifests.glob("*.yaml")) == FILES and len(FILES) == 19
    readme = (shared_manifests / "README.md").read_text()
    for name in FILES:
        [row] = [line for line in readme.splitlines() if line.startswith(f"| {name} |")]
        file_, project, source, licence = (c.strip() for c in row.strip("|").split(" | "))
        assert project and "/" in source and licence in ("Apache-2.0", "CC-BY-4.0 (documentation examples)"), row


@pytest.mark.parametrize("name", FILES)
def test_manifest_loads_validates_and_round_trips(shared_manifests, tmp_path, name):
    path = shared_manifests / name
    text = path.read_text()
    doc = load_document(path)
    # every top-level document of the file is an object of the document (none dropped, none invented)
    # (a document written in flow style, the HPA walkthrough's, opens with "{" alone on its line)
    assert len(doc) == len(re.findall(r"^kind: |^\{$", text, flags=re.M))
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
    "metallb-native.yaml": 4,  # the controller Deployment (1) and the speaker DaemonSet (one per node: 3)
    "microservices-demo.yaml": 12,  # eleven services and redis-cart, one replica each (70m..300m CPU requests)
    "kube-state-metrics.yaml": 1,
    # argo-cd's plain install: six Deployments (applicationset-controller, dex, notifications, redis, repo-server,
    # server) and the application-controller StatefulSet, one replica each; only preferred anti-affinity
    "argocd-install-no-crds.yaml": 7,
    # argo-cd HA: applicationset-controller, dex, notifications 1 each; redis-ha-haproxy 3 and redis-ha-server 3
    # (required anti-affinity per hostname: one per node on three nodes); repo-server 2 and server 2 (required
    # anti-affinity per hostname too); application-controller 1
    "argocd-ha-install.yaml": 14,
    # one replica: its autoscaling/v2beta2 HPA (minReplicas 2) would be refused by a v1.26+ apiserver, so nothing
    # raises the Deployment's default of 1
    "podinfo.yaml": 1,
    "istio-httpbin.yaml": 1,
    # the dashboard and its metrics scraper select kubernetes.io/os: linux, which every kubelet sets on its Node
    "kubernetes-dashboard.yaml": 2,
    "local-path-storage.yaml": 1,
    # hostNetwork, hostPort 9100, tolerates everything: one per node
    "node-exporter-daemonset.yaml": 3,
    # minReplicas 1 and the Deployment's default of 1: the HPA, not simulated, would not change that at rest
    "hpa-walkthrough-php-apache.yaml": 1,
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


def _simulated(shared_manifests, name, seconds=60.0):
    model, _ = build_model(loads_document(THREE_NODES + (shared_manifests / name).read_text(), name), seed=1)
    sim = Simulation(model, seed=1)
    sim.run(seconds)
    return model, sim


def test_metallb_speaker_is_host_network_with_its_node_ip(shared_manifests):
    # the speaker DaemonSet sets hostNetwork: true: each speaker pod has its node's InternalIP (192.168.0.10 + i
    # for node-(i+1) on the default node subnet); the controller Deployment has a pod-network address
    model, sim = _simulated(shared_manifests, "metallb-native.yaml")
    pods = {p.name: p for p in sim.state.pods.values()}
    speakers = sorted((p.node, p.ip) for n, p in pods.items() if n.startswith("speaker-"))
    assert speakers == [("node-1", "192.168.0.10"), ("node-2", "192.168.0.11"), ("node-3", "192.168.0.12")]
    [controller] = [p for n, p in pods.items() if n.startswith("controller-")]
    assert controller.ip.startswith("10.244.")


def test_metallb_pod_security_policies_are_cluster_scoped(shared_manifests):
    # PodSecurityPolicy was a cluster-scoped kind: no "default/" namespace in its identity
    doc = load_document(shared_manifests / "metallb-native.yaml")
    psps = sorted(str(ref).strip() for ref in doc.refs() if ref.kind == "PodSecurityPolicy")
    assert psps == ["PodSecurityPolicy controller", "PodSecurityPolicy speaker"]


def test_microservices_demo_frontend_external_is_a_load_balancer(shared_manifests):
    model, sim = _simulated(shared_manifests, "microservices-demo.yaml")
    [svc] = [s for s in model.services if s.name == "frontend-external"]
    assert svc.type == "LoadBalancer"
    [port] = svc.ports
    assert (port.port, port.target_port) == (80, 8080)
    assert 30000 <= port.node_port <= 32767  # allocated from the default NodePort range
    assert svc.load_balancer_ip  # an external address for clients outside the cluster


def test_podinfo_hpa_removed_api_version_warns_and_served_one_says_it_is_not_simulated():
    # kube-apiserver v1.33 serves HorizontalPodAutoscaler in autoscaling/v1 and v2 only (v2beta1 went in v1.25,
    # v2beta2 in v1.26); a CronJob in batch/v1beta1 went in v1.25. PodPath keeps a served HPA but does not run
    # it (docs/kubernetes-model.md §10): it says so, with the bounds a real one would hold its target in.
    def shown(text):
        _, warnings = build_model(loads_document(THREE_NODES + text, "t.yaml"), seed=1)
        return [w.format().split(": warning: ", 1)[1] for w in warnings]

    hpa = ("kind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, "
           "kind: Deployment, name: web}\n  maxReplicas: 3\n")
    not_run = ('HorizontalPodAutoscaler default/web: spec.scaleTargetRef: PodPath approximates: '
               'HorizontalPodAutoscalers are kept but not simulated: Deployment "web" keeps its own replicas '
               "whatever the load (a real one would keep it between minReplicas 1 and maxReplicas 3)")
    assert shown("apiVersion: autoscaling/v2\n" + hpa) == [not_run]
    assert shown("apiVersion: autoscaling/v1\n" + hpa) == [not_run]
    assert shown("apiVersion: autoscaling/v2beta1\n" + hpa) == [
        'HorizontalPodAutoscaler default/web: apiVersion: "autoscaling/v2beta1" HorizontalPodAutoscaler is no longer '
        'served since Kubernetes v1.25; use "autoscaling/v2" (kubectl would refuse it: no matches for kind '
        '"HorizontalPodAutoscaler" in version "autoscaling/v2beta1"; PodPath keeps it unchanged)']
    cron = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {schedule: '0 1 * * *'}\n"
    assert shown(cron) == [
        'CronJob default/nightly: apiVersion: "batch/v1beta1" CronJob is no longer served since Kubernetes v1.25; '
        'use "batch/v1" (kubectl would refuse it: no matches for kind "CronJob" in version "batch/v1beta1"; '
        "PodPath keeps it unchanged)"]


def test_node_exporter_host_network_pods_have_their_node_ip_and_port_9100():
    model, sim = _simulated(MANIFESTS, "node-exporter-daemonset.yaml")
    pods = sorted((p.node, p.ip) for p in sim.state.pods.values())
    assert pods == [("node-1", "192.168.0.10"), ("node-2", "192.168.0.11"), ("node-3", "192.168.0.12")]
    [ds] = model.workloads
    assert ds.template.host_network and ds.template.host_ports == (9100,)


def test_sock_shop_extensions_v1beta1_deployment_is_refused_saying_when_it_went_away():
    # Weaveworks' Sock Shop (complete-demo.yaml) and Linkerd's emojivoto still ship extensions/v1beta1 and
    # apps/v1beta1 Deployments; kube-apiserver stopped serving both in v1.16, so kubectl refuses them: an error
    text = ("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: cart, namespace: sock-shop}\nspec:\n"
            "  template:\n    metadata: {labels: {name: cart}}\n    spec: {containers: [{name: cart, image: c}]}\n")
    with pytest.raises(ScenarioError) as err:
        build_model(loads_document(THREE_NODES + text, "sock-shop.yaml"), seed=1)
    assert [d.message for d in err.value.diagnostics if d.is_error] == [
        'Unsupported value: "extensions/v1beta1": supported values: "apps/v1" (Deployment in "extensions/v1beta1" '
        "is no longer served since Kubernetes v1.16)"]
