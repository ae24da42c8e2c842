"""Export: only real, apply-able Kubernetes objects, PodPath annotations and kinds dropped (kubernetes_validate)."""

import kubernetes_validate
import yaml

from core.scenario import DEMO_SCENARIO, export_manifests, load_document, loads_document
from core.scenario.kinds import REMOVED_APIS


def _check(path):
    doc = load_document(path)
    text = export_manifests(doc)
    assert "podpath.dev" not in text
    objects = [o for o in yaml.safe_load_all(text) if o]
    for obj in objects:
        if (obj["apiVersion"], obj["kind"]) in REMOVED_APIS:
            # a version v1.33 no longer serves (MetalLB's policy/v1beta1 PodSecurityPolicy, podinfo's
            # autoscaling/v2beta2 HPA): validate warns about it and export keeps it unchanged, as in the file
            assert obj in doc.objects()
            continue
        kubernetes_validate.validate(obj, "1.33", strict=True)
    return objects


def test_demo_export_is_valid_kubernetes():
    objects = _check(DEMO_SCENARIO)
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "Service", "Ingress", "IngressClass", "Namespace"} <= kinds
    assert "Node" not in kinds  # applied to a real cluster they would be phantom Nodes no kubelet backs
    assert not kinds & {"Simulation", "Client", "Traffic", "Timeline", "KubeProxyConfiguration"}
    assert not any(o["kind"] == "Service" and o["metadata"]["name"] == "kubernetes" for o in objects)


def test_manifest_exports_are_valid(shared_manifests):
    for path in sorted(shared_manifests.glob("*.yaml")):
        assert _check(path)


def test_nodes_only_on_request():
    doc = load_document(DEMO_SCENARIO)
    with_nodes = [o for o in yaml.safe_load_all(export_manifests(doc, include_nodes=True)) if o]
    assert [o["metadata"]["name"] for o in with_nodes if o["kind"] == "Node"] == ["node-1", "node-2", "node-3"]
    for obj in with_nodes:
        kubernetes_validate.validate(obj, "1.33", strict=True)


def test_nothing_to_export_is_empty_text():
    doc = loads_document("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n", "n.yaml")
    assert export_manifests(doc) == ""
