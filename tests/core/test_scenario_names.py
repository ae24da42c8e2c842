"""Name syntax checked as kube-apiserver checks it (issue 8 items 2 and 3): expected messages are the
apimachinery strings (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go), typed in by hand."""

import textwrap

import pytest

from core.scenario import ScenarioError, build_model, loads_document

DNS1123_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                 "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


def build(text: str):
    return build_model(loads_document(textwrap.dedent(text), "t.yaml"), seed=1)


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        build(text)
    return [d.format() for d in info.value.diagnostics if d.is_error]


SVC_PORT_NAME = """\
apiVersion: v1
kind: Service
metadata:
  name: argocd-redis-ha-haproxy
spec:
  selector: {app: haproxy}
  ports:
  - name: http-exporter-port
    port: 9101
    targetPort: http-exporter-port
"""


def test_service_port_name_is_a_dns1123_label_not_an_iana_name():
    # argo-cd's HA install: an 18-character Service port name is valid (DNS-1123 label, up to 63) ...
    model, _ = build(SVC_PORT_NAME.replace("targetPort: http-exporter-port", "targetPort: 9101"))
    assert [p.name for p in model.services[-1].ports] == ["http-exporter-port"]


def test_service_target_port_name_stays_an_iana_name():
    # ... but a targetPort name refers to a container port: IANA_SVC_NAME, at most 15 characters
    assert errors(SVC_PORT_NAME) == [
        't.yaml:10:17: error: Service default/argocd-redis-ha-haproxy: spec.ports[0].targetPort: Invalid value: '
        '"http-exporter-port": must be no more than 15 characters']


def test_service_port_name_longer_than_63_or_with_upper_case_refused():
    long = "p" * 64
    assert errors(SVC_PORT_NAME.replace("http-exporter-port\n    port", f"{long}\n    port")
                  .replace("targetPort: http-exporter-port", "targetPort: 9101")) == [
        f't.yaml:8:11: error: Service default/argocd-redis-ha-haproxy: spec.ports[0].name: Invalid value: '
        f'"{long}": must be no more than 63 characters']
    assert errors(SVC_PORT_NAME.replace("http-exporter-port\n    port", "Metrics\n    port")
                  .replace("targetPort: http-exporter-port", "targetPort: 9101")) == [
        't.yaml:8:11: error: Service default/argocd-redis-ha-haproxy: spec.ports[0].name: Invalid value: '
        f'"Metrics": {DNS1123_LABEL}']


POD_PORT = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    ports:
    - containerPort: 80
      name: %s
"""


def test_container_port_name_is_an_iana_name_with_each_apiserver_message():
    assert errors(POD_PORT % "http-exporter-port") == [
        't.yaml:11:13: error: Pod default/p: spec.containers[0].ports[0].name: Invalid value: '
        '"http-exporter-port": must be no more than 15 characters']
    assert errors(POD_PORT % "'-8080'") == [
        't.yaml:11:13: error: Pod default/p: spec.containers[0].ports[0].name: Invalid value: "-8080": must '
        'contain at least one letter (a-z)',
        't.yaml:11:13: error: Pod default/p: spec.containers[0].ports[0].name: Invalid value: "-8080": must not '
        'begin or end with a hyphen']
    assert errors(POD_PORT % "a--b") == [
        't.yaml:11:13: error: Pod default/p: spec.containers[0].ports[0].name: Invalid value: "a--b": must not '
        'contain consecutive hyphens']
