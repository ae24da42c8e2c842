"""Review fixes: one-pass reporting, load errors that would lose data, identities with API groups, nodePorts per
protocol, free-form fields, kubelet node labels, the pod-subnet/node-mask check. Expected values worked by hand."""

import textwrap
import time

import pytest

from core.scenario import ScenarioError, build_model, load_document, loads_document, save_document
from tests.core.guards import wall_clock_limit


def build(text: str, seed: int = 1):
    return build_model(loads_document(textwrap.dedent(text), "t.yaml"), seed=seed)


def diagnostics(text: str, severity: str = "error") -> list[str]:
    with pytest.raises(ScenarioError) as info:
        build(text)
    return [d.format() for d in info.value.diagnostics if d.severity == severity]


# ------------------------------------------------------------------------------------------------ 1 alias bombs

def test_alias_bomb_after_other_documents_is_refused_fast():
    big = "items:\n" + "".join(f"- {{k{i}: v}}\n" for i in range(20000))
    small = "a: [1, 2]\n"
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):  # 10 levels of 10 aliases: 10**10 scalars once expanded
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = big + "---\n" + small + "---\n" + "\n".join(bomb) + "\n"
    start = time.monotonic()
    with wall_clock_limit(10), pytest.raises(ScenarioError, match="alias bomb") as info:
        loads_document(text, "bomb.yaml")
    assert time.monotonic() - start < 10
    # "items:" + 20000 items = lines 1..20001, "---" 20002, small 20003, "---" 20004: the bomb starts on line 20005
    assert info.value.diagnostics[0].line == 20005


# ------------------------------------------------------------------------------------------------ 2 one pass

def test_structural_error_does_not_hide_allocation_and_value_errors():
    text = """\
    apiVersion: v1
    kind: Service
    metadata: {name: a}
    spec:
      clusterIP: 10.96.0.50
      ports: [{port: 80}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: b}
    spec:
      clusterIP: 10.96.0.50
      portz: 1
      ports:
      - port: 70000
    """
    # second document: clusterIP on line 12 after "  clusterIP: " (13 chars) -> column 14; "portz" key at 13:3;
    # the port value on line 15 after "  - port: " (10 chars) -> column 11
    assert diagnostics(text) == [
        't.yaml:12:14: error: Service default/b: spec.clusterIP: Invalid value: "10.96.0.50": failed to allocate IP '
        "10.96.0.50: provided IP is already allocated",
        't.yaml:13:3: error: Service default/b: spec.portz: unknown field "portz"; did you mean "ports"?',
        "t.yaml:15:11: error: Service default/b: spec.ports[0].port: Invalid value: 70000: must be between 1 and "
        "65535, inclusive"]


def test_ingress_bad_path_type_and_missing_backend_port_together():
    text = """\
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: i}
    spec:
      rules:
      - http:
          paths:
          - path: /a
            pathType: Prefixx
            backend: {service: {name: web}}
    """
    # pathType value on line 9 after 8 spaces + "pathType: " (10) -> column 19; the missing port is reported at
    # its closest parent, backend.service, on line 10 after 8 spaces + "backend: {service: " (19) -> column 28
    assert diagnostics(text) == [
        't.yaml:9:19: error: Ingress default/i: spec.rules[0].http.paths[0].pathType: Unsupported value: "Prefixx": '
        'supported values: "Exact", "ImplementationSpecific", "Prefix"',
        "t.yaml:10:28: error: Ingress default/i: spec.rules[0].http.paths[0].backend.service.port: Required value: "
        "port.number or port.name"]
    # the pathType left out of the build is not also reported as an approximated ImplementationSpecific path
    assert not any("ImplementationSpecific is controller-defined" in w for w in diagnostics(text, "warning"))


def test_value_and_reference_errors_next_to_unknown_fields():
    text = """\
    apiVersion: podpath.dev/v1alpha1
    kind: Simulation
    metadata: {name: s}
    spec: {tick: 0, seeed: 1}
    ---
    apiVersion: podpath.dev/v1alpha1
    kind: Traffic
    metadata: {name: t}
    spec: {client: ghost, target: "http://x.example.com/", rate: -3, colour: red}
    ---
    apiVersion: podpath.dev/v1alpha1
    kind: Timeline
    metadata: {name: tl}
    spec:
      events:
      - {at: -1, action: failNode, target: n1}
      - {at: 5, action: failNode, target: n9, when: now}
    """
    # columns: line 4 "spec: {tick: " = 13 -> 14, "spec: {tick: 0, " = 16 -> 17;
    # line 9 "spec: {client: " = 15 -> 16; + "ghost, " + 'target: "http://x.example.com/", ' = 55, "rate: " -> 61 -> 62,
    # "-3, " -> 65 -> 66; line 16 "  - {at: " = 9 -> 10; line 17 "  - {at: 5, action: failNode, target: " = 38 -> 39,
    # + "n9, " -> 42 -> 43
    assert diagnostics(text) == [
        "t.yaml:4:14: error: Simulation s: spec.tick: Invalid value: 0: must be between 0.01 and 60 seconds",
        't.yaml:4:17: error: Simulation s: spec.seeed: unknown field "seeed"; did you mean "seed"?',
        't.yaml:9:16: error: Traffic t: spec.client: client "ghost" is not in the scenario; the scenario has no '
        "clients",
        "t.yaml:9:62: error: Traffic t: spec.rate: Invalid value: -3: must be greater than 0 (requests per second, "
        "at most 1000000)",
        't.yaml:9:66: error: Traffic t: spec.colour: unknown field "colour"; valid fields: client, connection, path, '
        "rate, requestsPerConnection, start, stop, target",
        "t.yaml:16:10: error: Timeline tl: spec.events[0].at: Invalid value: -1: must be a finite number of seconds "
        "between 0 and 86400 (one simulated day)",
        't.yaml:17:39: error: Timeline tl: spec.events[1].target: node "n9" is not in the scenario; the scenario has '
        "no nodes",
        't.yaml:17:43: error: Timeline tl: spec.events[1].when: unknown field "when"; valid fields: action, at, '
        "target, value"]


def test_null_values_are_located_errors_not_exceptions():
    text = """\
    apiVersion: podpath.dev/v1alpha1
    kind: Simulation
    metadata: {name: s}
    spec:
      tick: null
      seed: ~
    ---
    apiVersion: podpath.dev/v1alpha1
    kind: Traffic
    metadata: {name: t}
    spec: {client: c, target: "http://x.example.com/", rate: null}
    ---
    apiVersion: podpath.dev/v1alpha1
    kind: Client
    metadata: {name: c}
    """
    # "  tick: " = 8 -> column 9; "  seed: " -> 9; line 11: 'spec: {client: c, target: "http://x.example.com/", rate: '
    # = 7 + 11 + 33 + 6 = 57 -> column 58
    assert diagnostics(text) == [
        "t.yaml:5:9: error: Simulation s: spec.tick: Invalid value: null: expected a number, or leave the field out "
        "for the default",
        "t.yaml:6:9: error: Simulation s: spec.seed: Invalid value: null: expected an integer, or leave the field "
        "out for the default",
        "t.yaml:11:58: error: Traffic t: spec.rate: Invalid value: null: expected a number, or leave the field out "
        "for the default"]


# ------------------------------------------------------------------------------------------------ 3 load errors

def test_duplicate_mapping_key_is_located_error_and_save_refused(tmp_path):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata: {k: v}\n"
    doc = loads_document(text, "t.yaml")
    with pytest.raises(ScenarioError) as info:
        build_model(doc)
    # the second "name" key is on line 5 column 3; the first on line 4 (kubectl: mapping key "name" already defined)
    assert [d.format() for d in info.value.diagnostics] == [
        't.yaml:5:3: error: ConfigMap default/b: metadata.name: mapping key "name" already defined at line 4']
    out = tmp_path / "out.yaml"
    out.write_text(text)
    with pytest.raises(ScenarioError, match="refused to save"):
        save_document(doc, out)
    assert out.read_text() == text  # nothing overwritten, nothing lost


def test_non_mapping_document_blocks_save(tmp_path):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a list\n- that would be lost\n"
    path = tmp_path / "s.yaml"
    path.write_text(text)
    doc = load_document(path)
    with pytest.raises(ScenarioError, match="refused to save"):
        save_document(doc, path)
    assert path.read_text() == text


@pytest.mark.parametrize("text", ["---\n---\n", "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n",
                                  "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n# just a comment\n"])
def test_empty_documents_are_skipped(text):
    doc = loads_document(text, "t.yaml")
    assert doc.load_diagnostics == []
    assert len(doc) == (0 if text == "---\n---\n" else 1)


@pytest.mark.parametrize("text", ["", "# nothing\n", "---\n---\n"])
def test_no_objects_is_a_warning(text):
    _, warnings = build_model(loads_document(text, "t.yaml"))
    assert [w.format() for w in warnings] == ["t.yaml: warning: no objects: the file holds no Kubernetes or PodPath "
                                              "objects"]


# ------------------------------------------------------------------------------------------------ 4 pod subnet

def test_pod_subnet_smaller_than_node_mask_is_located_and_services_still_allocate():
    text = """\
    apiVersion: kubeadm.k8s.io/v1beta4
    kind: ClusterConfiguration
    networking: {podSubnet: 10.244.0.0/25}
    ---
    apiVersion: v1
    kind: Node
    metadata: {name: n1}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: a}
    spec: {clusterIP: 10.96.0.40, ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: b}
    spec: {clusterIP: 10.96.0.40, ports: [{port: 80}]}
    """
    # /25 is longer than the default node mask /24: "networking: {podSubnet: " = 24 chars -> column 25.
    # Service allocation still runs: b's duplicate ClusterIP is found in the same pass (line 17,
    # "spec: {clusterIP: " = 18 chars -> column 19).
    assert diagnostics(text) == [
        't.yaml:3:25: error: ClusterConfiguration: networking.podSubnet: Invalid value: "10.244.0.0/25": the pod '
        "subnet (cluster CIDR) is smaller than one node CIDR /24; its mask size must be less than or equal to the "
        "node CIDR mask size 24 (kube-controller-manager: Invalid --cluster-cidr, mask size of cluster CIDR must be "
        "less than or equal to --node-cidr-mask-size)",
        't.yaml:17:19: error: Service default/b: spec.clusterIP: Invalid value: "10.96.0.40": failed to allocate IP '
        "10.96.0.40: provided IP is already allocated"]


# ------------------------------------------------------------------------------------------------ 5 nodePorts

DNS = """\
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  type: NodePort
  ports:
  - {name: dns-tcp, port: 53, protocol: TCP%s}
  - {name: dns-udp, port: 53, protocol: %s%s}
"""


def test_same_node_port_on_tcp_and_udp_is_valid():
    model, _ = build(DNS % (", nodePort: 30053", "UDP", ", nodePort: 30053"))
    assert [p.node_port for p in model.service("default", "dns").ports] == [30053, 30053]


def test_same_port_number_on_tcp_and_udp_shares_one_allocated_node_port():
    model, _ = build(DNS % ("", "UDP", ""))
    tcp, udp = model.service("default", "dns").ports
    # one allocation (kube-apiserver initNodePorts), drawn from the dynamic band 30086..32767 (offset 2768//32 = 86)
    assert tcp.node_port == udp.node_port and 30086 <= tcp.node_port <= 32767
    # an explicit nodePort on one protocol is shared by the same port number on the other
    model, _ = build(DNS % (", nodePort: 30053", "UDP", ""))
    assert [p.node_port for p in model.service("default", "dns").ports] == [30053, 30053]


def test_same_node_port_same_protocol_is_refused():
    # the second port's nodePort value on line 8: "  - {" 5 + "name: dns-udp, " 15 + "port: 53, " 10
    # + "protocol: TCP, " 15 + "nodePort: " 10 = 55 chars -> column 56
    assert diagnostics(DNS % (", nodePort: 30053", "TCP", ", nodePort: 30053")) == [
        "t.yaml:8:56: error: Service default/dns: spec.ports[1].nodePort: Duplicate value: 30053"]


# ------------------------------------------------------------------------------------------------ 6 free-form fields

def test_managed_fields_content_is_free_form():
    text = """\
    apiVersion: v1
    kind: Service
    metadata:
      name: a
      managedFields:
      - manager: kubectl
        operation: Apply
        fieldsType: FieldsV1
        fieldsV1:
          f:spec:
            f:ports:
              k:{"port":80,"protocol":"TCP"}: {.: {}, f:port: {}}
    spec:
      ports: [{port: 80}]
    """
    build(text)  # no error: nothing inside fieldsV1 is an "unknown field"


# ------------------------------------------------------------------------------------------------ 9 identities

def test_crd_with_a_builtin_kind_name_is_kept_not_a_duplicate():
    text = """\
    apiVersion: serving.knative.dev/v1
    kind: Service
    metadata: {name: web}
    spec: {template: {spec: {containers: [{image: nginx}]}}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {ports: [{port: 80}]}
    """
    doc = loads_document(textwrap.dedent(text), "t.yaml")
    model, _ = build_model(doc, seed=1)
    assert [str(r) for r in doc.refs()] == ["Service.serving.knative.dev default/web", "Service default/web"]
    assert [s.name for s in model.services if not s.implicit] == ["web"]


def test_unknown_kind_in_a_core_group_is_a_warning_with_a_guess():
    text = "apiVersion: v1\nkind: Servce\nmetadata: {name: a}\n"
    _, warnings = build(text)
    assert [w.format() for w in warnings] == [
        't.yaml:2:7: warning: Servce default/a: kind: unknown kind "Servce" in apiVersion "v1"; did you mean '
        '"Service"? (kubectl would refuse it: no matches for kind "Servce" in version "v1"; PodPath keeps it '
        "unchanged)"]


def test_objects_with_only_generate_name_are_not_duplicates():
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {generateName: job-}\nspec: {containers: [{name: c, image: x}]}\n"
    _, warnings = build(pod + "---\n" + pod)
    assert all("Duplicate" not in w.message for w in warnings)


# ------------------------------------------------------------------------------------------------ 10, 11 messages

def test_nul_byte_gets_line_and_column():
    with pytest.raises(ScenarioError) as info:
        loads_document("apiVersion: v1\nkind: \x00\n", "t.yaml")
    # line 2 "kind: " = 6 chars -> the NUL is at column 7
    assert str(info.value) == ("t.yaml:2:7: error: YAML error: unacceptable character U+0000: special characters are "
                               "not allowed (YAML allows printable characters, tab and line breaks)")


def test_nameless_config_object_has_no_trailing_space():
    text = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: fast\n"
    # "mode: " = 6 -> column 7
    assert diagnostics(text) == [
        't.yaml:3:7: error: KubeProxyConfiguration: mode: Unsupported value: "fast": supported values: "", "iptables", '
        '"ipvs", "nftables", "userspace"']


# ------------------------------------------------------------------------------------------------ 12 nodes

def test_kubelet_labels_are_added_in_the_model_only(tmp_path):
    text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {kubernetes.io/os: windows}\n"
    doc = loads_document(text, "t.yaml")
    model, _ = build_model(doc)
    assert model.nodes[0].labels == {"kubernetes.io/os": "windows", "kubernetes.io/hostname": "n1",
                                     "kubernetes.io/arch": "amd64"}
    out = tmp_path / "n.yaml"
    save_document(doc, out)
    assert "hostname" not in out.read_text() and "arch" not in out.read_text()


def test_hostname_node_selector_schedules_against_kubelet_label():
    text = """\
    apiVersion: v1
    kind: Node
    metadata: {name: n1}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      selector: {matchLabels: {app: d}}
      template:
        metadata: {labels: {app: d}}
        spec:
          nodeSelector: {kubernetes.io/hostname: n1}
          containers: [{name: c, image: x}]
    """
    model, _ = build(text)
    selector = model.workloads[0].template.node_selector
    assert all(model.nodes[0].labels.get(k) == v for k, v in selector.items())


def test_workloads_without_nodes_warn():
    text = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      selector: {matchLabels: {app: d}}
      template:
        metadata: {labels: {app: d}}
        spec: {containers: [{name: c, image: x}]}
    """
    _, warnings = build(text)
    assert [w.format() for w in warnings] == [
        "t.yaml:1:1: warning: Deployment default/d: no Node objects in the scenario: every pod will stay Pending "
        "(add v1 Node objects)"]


def test_bad_node_pod_cidr_is_located_even_when_nothing_can_be_allocated():
    text = """\
    apiVersion: kubeadm.k8s.io/v1beta4
    kind: ClusterConfiguration
    networking: {podSubnet: 10.244.0.0/25}
    ---
    apiVersion: v1
    kind: Node
    metadata: {name: n1}
    spec: {podCIDR: garbage}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec: {nodeName: n1, containers: [{name: c, image: x}]}
    status: {podIP: 10.1.1.1}
    """
    errors = diagnostics(text)
    assert not any("could not build" in e for e in errors)
    # "spec: {podCIDR: " = 16 chars -> column 17
    assert errors[1] == ('t.yaml:8:17: error: Node n1: spec.podCIDR: Invalid value: "garbage": must be a valid IPv4 '
                         "CIDR with no host bits set (e.g. 10.244.1.0/24)")
    assert len(errors) == 2 and errors[0].startswith("t.yaml:3:25: error: ClusterConfiguration: networking.podSubnet")
