"""Export: only real, apply-able Kubernetes objects, PodPath annotations and kinds dropped (kubernetes_validate)."""

import kubernetes_validate
import yaml

from core.scenario import DEMO_SCENARIO, export_manifests, load_document


def _check(path):
    text = export_manifests(load_document(path))
    assert "podpath.dev" not in text
    objects = [o for o in yaml.safe_load_all(text) if o]
    for obj in objects:
        kubernetes_validate.validate(obj, "1.33", strict=True)
    return objects


def test_demo_export_is_valid_kubernetes():
    objects = _check(DEMO_SCENARIO)
    kinds = {o["kind"] for o in objects}
    assert {"Node", "Deployment", "Service", "Ingress", "IngressClass", "Namespace"} <= kinds
    assert not kinds & {"Simulation", "Client", "Traffic", "Timeline", "KubeProxyConfiguration"}
    assert not any(o["kind"] == "Service" and o["metadata"]["name"] == "kubernetes" for o in objects)


def test_manifest_exports_are_valid(shared_manifests):
    for path in sorted(shared_manifests.glob("*.yaml")):
        assert _check(path)
