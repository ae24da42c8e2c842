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


DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
           "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
spec:
  selector: {app: web}
  ports:
  - port: 80
"""


def service_errors(name: str, namespace: str = "default") -> list[str]:
    return errors(SERVICE % (name, namespace))


def test_service_name_web_underscore_service_is_not_a_dns1035_label():
    assert service_errors("Web_Service") == [
        f't.yaml:4:9: error: Service default/Web_Service: metadata.name: Invalid value: "Web_Service": {DNS1035}']


def test_service_name_1abc_must_start_with_a_letter_but_a_deployment_may():
    assert service_errors("1abc") == [
        f't.yaml:4:9: error: Service default/1abc: metadata.name: Invalid value: "1abc": {DNS1035}']
    model, _ = build(DEPLOYMENT % ("1abc", "app: web"))
    assert [w.name for w in model.workloads] == ["1abc"]


def test_namespace_bad_ns_is_not_a_dns1123_label():
    assert service_errors("web", '"Bad NS"') == [
        f't.yaml:5:14: error: Service Bad NS/web: metadata.namespace: Invalid value: "Bad NS": {DNS1123_LABEL}']


def test_77_character_name_too_long_for_a_service_and_a_statefulset_not_a_deployment():
    name = "a" * 77
    assert service_errors(name) == [
        f't.yaml:4:9: error: Service default/{name}: metadata.name: Invalid value: "{name}": must be no more than 63 '
        'characters']
    assert errors(DEPLOYMENT.replace("Deployment", "StatefulSet") % (name, "app: web")) == [
        f't.yaml:4:9: error: StatefulSet default/{name}: metadata.name: Invalid value: "{name}": must be no more '
        'than 63 characters']
    model, _ = build(DEPLOYMENT % (name, "app: web"))  # a DNS-1123 subdomain: up to 253
    assert [w.name for w in model.workloads] == [name]


def test_non_ascii_names_refused_and_measured_in_bytes():
    assert service_errors("wéb") == [
        f't.yaml:4:9: error: Service default/wéb: metadata.name: Invalid value: "wéb": {DNS1035}']
    # 32 two-byte characters: 64 bytes, over the 63 the apiserver (Go's len) allows
    name = "é" * 32
    assert service_errors(name) == [
        f't.yaml:4:9: error: Service default/{name}: metadata.name: Invalid value: "{name}": must be no more than 63 '
        'characters',
        f't.yaml:4:9: error: Service default/{name}: metadata.name: Invalid value: "{name}": {DNS1035}']
    assert errors(DEPLOYMENT % ("wéb", "app: web")) == [
        f't.yaml:4:9: error: Deployment default/wéb: metadata.name: Invalid value: "wéb": {SUBDOMAIN}']


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {%s}
    spec:
      containers:
      - name: web
        image: nginx
"""


def test_label_value_a_space_b_refused_in_metadata_template_and_selector():
    text = DEPLOYMENT.replace("  name: %s\n", "  name: web\n  labels: {tier: a b}\n") % "app: web, tier: 'a b'"
    assert errors(text) == [
        f't.yaml:5:18: error: Deployment default/web: metadata.labels.tier: Invalid value: "a b": {LABEL_VALUE}',
        f't.yaml:11:32: error: Deployment default/web: spec.template.metadata.labels.tier: Invalid value: "a b": '
        f'{LABEL_VALUE}']
    assert errors(SERVICE.replace("{app: web}", "{app: a b}") % ("web", "default")) == [
        f't.yaml:7:19: error: Service default/web: spec.selector.app: Invalid value: "a b": {LABEL_VALUE}']


def test_label_keys_prefix_and_name_rules():
    text = DEPLOYMENT.replace("  name: %s\n", "  name: web\n  labels: {Example.com/app: x, /app: y, a/b/c: z}\n")
    found = errors(text % "app: web")
    assert found == [
        't.yaml:5:12: error: Deployment default/web: metadata.labels.Example.com/app: Invalid value: '
        f'"Example.com/app": prefix part {SUBDOMAIN}',
        't.yaml:5:32: error: Deployment default/web: metadata.labels./app: Invalid value: "/app": prefix part must '
        'be non-empty',
        't.yaml:5:41: error: Deployment default/web: metadata.labels.a/b/c: Invalid value: "a/b/c": a qualified '
        "name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
        "'example.com/MyName')"]
    # upper case and underscores are fine in the name part, and 63 characters is the limit
    ok = DEPLOYMENT.replace("  name: %s\n", "  name: web\n  labels: {example.com/My_App.v2: x}\n")
    build(ok % "app: web")
    long_key = "k" * 64
    assert errors(DEPLOYMENT.replace("  name: %s\n", f"  name: web\n  labels: {{{long_key}: x}}\n") % "app: web") == [
        f't.yaml:5:12: error: Deployment default/web: metadata.labels.{long_key}: Invalid value: "{long_key}": '
        'name part must be no more than 63 characters']


def test_container_names_are_dns1123_labels_and_unique():
    text = DEPLOYMENT % ("web", "app: web") + "      - name: web\n        image: redis\n      - name: Side_Car\n" \
        "        image: busybox\n"
    assert errors(text) == [
        't.yaml:15:15: error: Deployment default/web: spec.template.spec.containers[1].name: Duplicate value: "web"',
        't.yaml:17:15: error: Deployment default/web: spec.template.spec.containers[2].name: Invalid value: '
        f'"Side_Car": {DNS1123_LABEL}']


def test_namespace_name_and_generate_name():
    ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team.a\n"
    assert errors(ns) == [
        't.yaml:4:9: error: Namespace team.a: metadata.name: Invalid value: "team.a": must not contain dots']
    # generateName may end in '-' (the random suffix follows), a name may not
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\nspec:\n  containers:\n  - name: c\n"
           "    image: nginx\n")
    build(pod)
    assert errors(pod.replace("generateName: web-", "name: web-")) == [
        f't.yaml:4:9: error: Pod default/web-: metadata.name: Invalid value: "web-": {SUBDOMAIN}']


def test_real_manifest_names_pass(shared_manifests):
    # every name in the public manifests is valid for the apiserver: no name errors
    from core.scenario import load_document  # noqa: PLC0415

    for path in sorted(shared_manifests.glob("*.yaml")):
        model, warnings = build_model(load_document(path), seed=1)
        assert not [w for w in warnings if "Invalid value" in w.message], path.name


INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
  - host: %s
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              name: %s
"""


def test_ingress_backend_port_name_is_an_iana_name_and_host_a_dns_name():
    # validateIngressBackend checks a named port with IsValidPortName, although it names a Service port
    found = [e for e in errors(INGRESS % ("shop.example.com", "http-exporter-port")) if "Invalid value" in e]
    assert found == [
        't.yaml:17:21: error: Ingress default/shop: spec.rules[0].http.paths[0].backend.service.port.name: Invalid '
        'value: "http-exporter-port": must be no more than 15 characters']
    found = [e for e in errors(INGRESS % ("10.0.0.1", "http")) if "Invalid value" in e]
    assert found == [
        't.yaml:8:11: error: Ingress default/shop: spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS '
        'name, not an IP address']
    found = [e for e in errors(INGRESS % ('"*.*.example.com"', "http")) if "Invalid value" in e]
    assert found == [
        't.yaml:8:11: error: Ingress default/shop: spec.rules[0].host: Invalid value: "*.*.example.com": a wildcard '
        "DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower "
        "case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', "
        "regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]


def test_ingress_valid_wildcard_host_has_no_name_error():
    _, warnings = build(INGRESS % ('"*.example.com"', "http"))  # warnings only (the Service is missing)
    assert warnings and not [d for d in warnings if "Invalid value" in d.message]


def test_external_name_may_end_in_a_dot_but_must_be_a_subdomain():
    svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: %s\n"
    model, _ = build(svc % "db.example.com.")
    assert model.services[-1].external_name == "db.example.com."
    assert errors(svc % "Db_Host") == [
        f't.yaml:7:17: error: Service default/db: spec.externalName: Invalid value: "Db_Host": {SUBDOMAIN}']


def test_invalid_names_are_not_exported(tmp_path, capsys):
    from core.cli import main  # noqa: PLC0415

    src = tmp_path / "bad.yaml"
    src.write_text(SERVICE % ("Web_Service", "default"))
    out = tmp_path / "out.yaml"
    assert main(["export", str(src), "-o", str(out)]) == 1
    assert not out.exists()
    assert 'metadata.name: Invalid value: "Web_Service": a DNS-1035 label' in capsys.readouterr().err


def test_container_port_names_unique_within_a_container():
    pod = (POD_PORT % "http") + "    - containerPort: 81\n      name: http\n"
    assert errors(pod) == [
        't.yaml:13:13: error: Pod default/p: spec.containers[0].ports[1].name: Duplicate value: "http"']
