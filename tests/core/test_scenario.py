"""Scenario loading, validation messages (with file:line:column), allocation through build, round trips."""

import hashlib
import textwrap

import pytest

from core.scenario import (
    DEMO_SCENARIO,
    ScenarioError,
    build_model,
    dumps_document,
    load_document,
    loads_document,
)


def build(text: str, seed: int = 1):
    return build_model(loads_document(textwrap.dedent(text), "t.yaml"), seed=seed)


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        build(text)
    return [d.format() for d in info.value.diagnostics if d.is_error]


SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    nodePort: %s
"""


def test_nodeport_out_of_range():
    assert errors(SVC % 29999) == [
        "t.yaml:10:15: error: Service default/web: spec.ports[0].nodePort: Invalid value: 29999: provided port is "
        "not in the valid range. The range of valid ports is 30000-32767"]


def test_duplicate_nodeport():
    text = SVC % 30080 + "---\n" + (SVC % 30080).replace("name: web", "name: web2")
    # second document starts at line 12, its nodePort value on line 12 + 9 = 21
    assert errors(text) == [
        "t.yaml:21:15: error: Service default/web2: spec.ports[0].nodePort: Invalid value: 30080: provided port is "
        "already allocated"]


CIP = """\
apiVersion: v1
kind: Service
metadata:
  name: %s
spec:
  clusterIP: %s
  ports:
  - port: 80
"""


def test_cluster_ip_out_of_range():
    assert errors(CIP % ("a", "10.0.0.5")) == [
        't.yaml:6:14: error: Service default/a: spec.clusterIP: Invalid value: "10.0.0.5": failed to allocate IP '
        "10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"]


def test_duplicate_cluster_ip_and_kubernetes_address_taken():
    text = CIP % ("a", "10.96.0.50") + "---\n" + CIP % ("b", "10.96.0.50") + "---\n" + CIP % ("c", "10.96.0.1")
    assert errors(text) == [
        't.yaml:15:14: error: Service default/b: spec.clusterIP: Invalid value: "10.96.0.50": failed to allocate IP '
        "10.96.0.50: provided IP is already allocated",
        't.yaml:24:14: error: Service default/c: spec.clusterIP: Invalid value: "10.96.0.1": failed to allocate IP '
        "10.96.0.1: provided IP is already allocated"]


def test_unknown_field_did_you_mean():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  portz:\n  - port: 80\n"
    assert errors(text)[0] == 't.yaml:5:3: error: Service default/a: spec.portz: unknown field "portz"; did you mean "ports"?'


def test_wrong_type():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n  - port: eighty\n"
    assert errors(text) == ['t.yaml:6:11: error: Service default/a: spec.ports[0].port: Invalid value: "eighty": '
                            "expected integer, got string"]


def test_missing_required_field():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n  - name: http\n"
    assert errors(text) == ["t.yaml:6:5: error: Service default/a: spec.ports[0].port: Required value"]


def test_bad_enum_lists_allowed_values():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: Foo\n  ports: [{port: 80}]\n"
    assert errors(text) == ['t.yaml:5:9: error: Service default/a: spec.type: Unsupported value: "Foo": supported '
                            'values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']


def test_newer_format_version_refused():
    text = ('apiVersion: podpath.dev/v1alpha1\nkind: Simulation\nmetadata:\n  name: s\n  annotations:\n'
            '    podpath.dev/format-version: "7"\n')
    with pytest.raises(ScenarioError) as info:
        loads_document(text, "t.yaml")
    assert str(info.value) == (
        "t.yaml:6:33: error: Simulation s: metadata.annotations[podpath.dev/format-version]: refused: this file is "
        "format version 7, written by a newer PodPath; this PodPath reads versions up to 1. Update PodPath to open it.")


def test_format_version_0_is_migrated():
    text = ('apiVersion: podpath.dev/v1alpha1\nkind: Simulation\nmetadata:\n  name: s\n  annotations:\n'
            '    podpath.dev/format-version: "0"\nspec: {timingPreset: classroom}\n')
    model, _ = build_model(loads_document(text))
    assert model.simulation.preset == "classroom"
    assert model.simulation.timing.node_monitor_grace_period == 5.0  # classroom preset


def test_alias_bomb_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):  # 10**8 expanded nodes without the limit
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(ScenarioError, match="alias bomb"):
        loads_document("\n".join(lines), "bomb.yaml")


def test_oversized_file_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (16 * 1024 * 1024) + b"\n")
    with pytest.raises(ScenarioError) as info:
        load_document(big)
    assert "larger than the 16 MiB limit" in str(info.value)


def test_binary_garbage_refused(tmp_path):
    f = tmp_path / "bin.yaml"
    f.write_bytes(bytes(range(256)))
    with pytest.raises(ScenarioError, match="not a UTF-8 text file"):
        load_document(f)


def test_non_mapping_document():
    assert errors("- a\n- b\n") == ["t.yaml:1:1: error: Invalid value: each YAML document must be a mapping "
                                    "(a Kubernetes object), got list"]


TRAFFIC = """\
apiVersion: podpath.dev/v1alpha1
kind: Client
metadata: {name: browser}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec:
  client: browzer
  target: http://shop.example.com/
"""


def test_unknown_traffic_client_names_closest():
    assert errors(TRAFFIC) == ['t.yaml:9:11: error: Traffic t: spec.client: client "browzer" is not in the '
                               'scenario; did you mean "browser"?']


def test_timeline_unknown_node_names_closest():
    text = """\
    apiVersion: v1
    kind: Node
    metadata: {name: node-2}
    ---
    apiVersion: podpath.dev/v1alpha1
    kind: Timeline
    metadata: {name: tl}
    spec:
      events:
      - {at: 5, action: failNode, target: node-22}
    """
    # line 10 is '  - {at: 5, action: failNode, target: node-22}': 2 + len('- {at: 5, action: failNode, target: ') = 38
    assert errors(text) == ['t.yaml:10:39: error: Timeline tl: spec.events[0].target: node "node-22" is not in the '
                            'scenario; did you mean "node-2"?']


def test_all_errors_reported_at_once():
    text = (SVC % 29999) + "---\n" + CIP % ("a", "10.0.0.5") + "---\n" + TRAFFIC
    assert len(errors(text)) == 3


def test_warnings_selector_and_named_port():
    text = """\
    apiVersion: v1
    kind: Service
    metadata: {name: a}
    spec:
      selector: {app: nothing}
      ports: [{port: 80, targetPort: http}]
    """
    _, warnings = build(text)
    assert [w.path for w in warnings] == ["spec.selector"]
    assert "matches no pod template" in warnings[0].message


def test_build_allocations_on_demo():
    model, warnings = build_model(load_document(DEMO_SCENARIO))
    assert warnings == []
    # nodes in file order: podCIDRs /24 each from 10.244.0.0/16, InternalIPs from 192.168.0.0/24 starting at .10
    assert [(n.name, n.internal_ip, n.pod_cidr) for n in model.nodes] == [
        ("node-1", "192.168.0.10", "10.244.0.0/24"),
        ("node-2", "192.168.0.11", "10.244.1.0/24"),
        ("node-3", "192.168.0.12", "10.244.2.0/24")]
    k8s = model.services[0]
    assert (k8s.name, k8s.cluster_ip, k8s.implicit, k8s.ports[0].port, k8s.ports[0].target_port) == \
        ("kubernetes", "10.96.0.1", True, 443, 6443)
    assert k8s.static_endpoints == ("192.168.0.10",)  # node-1 is labelled control-plane
    by_name = {s.name: s for s in model.services}
    assert by_name["web-headless"].cluster_ip == "None"
    assert by_name["docs"].cluster_ip is None
    assert by_name["web-nodeport"].ports[0].node_port == 30080
    # LoadBalancer IPs from 203.0.113.10 .. .254 (245 addresses), each at a slot derived from the Service:
    # 10 + (first 8 bytes of sha256("0/ns/name"), big-endian) mod 245 (core.ipam.preferred_slot)
    def slot(key: str) -> int:
        return 10 + int.from_bytes(hashlib.sha256(f"0/{key}".encode()).digest()[:8], "big") % 245

    assert by_name["web-lb"].load_balancer_ip == f"203.0.113.{slot('default/web-lb')}"
    assert by_name["ingress-nginx-controller"].load_balancer_ip == \
        f"203.0.113.{slot('ingress-nginx/ingress-nginx-controller')}"
    for s in model.services:
        if s.cluster_ip not in (None, "None") and not s.implicit:
            # automatic ClusterIPs avoid the static band 10.96.0.1 .. 10.96.1.0
            a, b, c, _ = map(int, s.cluster_ip.split("."))
            assert (a, b) >= (10, 96) and not (b == 96 and c == 0) and not (b == 96 and s.cluster_ip == "10.96.1.0")
        if s.type in ("NodePort", "LoadBalancer"):
            for p in s.ports:
                assert p.node_port is not None and 30000 <= p.node_port <= 32767
                assert p.node_port == 30080 or p.node_port >= 30086
    browser = next(c for c in model.clients if c.name == "browser")
    assert browser.ip == f"198.51.100.{slot('browser')}"  # the client pool works the same way
    assert [(e.at, e.action, e.target) for e in model.timeline] == [(20.0, "failNode", "node-2"),
                                                                    (60.0, "recoverNode", "node-2")]
    assert model.simulation.seed == 42 and model.simulation.preset == "classroom"


def test_same_seed_same_allocation_other_seed_differs():
    a, _ = build_model(load_document(DEMO_SCENARIO), seed=3)
    b, _ = build_model(load_document(DEMO_SCENARIO), seed=3)
    c, _ = build_model(load_document(DEMO_SCENARIO), seed=4)
    ips = lambda m: [s.cluster_ip for s in m.services]  # noqa: E731
    assert ips(a) == ips(b) and ips(a) != ips(c)


def test_lb_local_gets_health_check_port_and_no_nodeports_when_disabled():
    text = """\
    apiVersion: v1
    kind: Service
    metadata: {name: lb}
    spec:
      type: LoadBalancer
      externalTrafficPolicy: Local
      allocateLoadBalancerNodePorts: false
      ports: [{port: 80}]
    """
    model, _ = build(text)
    svc = model.service("default", "lb")
    assert svc.ports[0].node_port is None
    assert svc.health_check_node_port is not None and svc.health_check_node_port >= 30086


def test_cluster_configuration_ranges():
    text = """\
    apiVersion: kubeadm.k8s.io/v1beta4
    kind: ClusterConfiguration
    networking: {serviceSubnet: 10.100.0.0/16, podSubnet: 10.10.0.0/16}
    apiServer:
      extraArgs:
      - {name: service-node-port-range, value: 31000-31999}
    ---
    apiVersion: v1
    kind: Node
    metadata: {name: n1}
    """
    model, _ = build(text)
    assert model.cluster.node_port_range == (31000, 31999)
    assert model.nodes[0].pod_cidr == "10.10.0.0/24"
    assert model.services[0].cluster_ip == "10.100.0.1"


def test_round_trip_demo_and_manifests(shared_manifests, tmp_path):
    from core.scenario import save_document

    for path in [DEMO_SCENARIO, *sorted(shared_manifests.glob("*.yaml"))]:
        doc = load_document(path)
        build_model(doc)  # warnings allowed, no errors
        out = tmp_path / path.name
        save_document(doc, out)
        again = load_document(out)
        assert again.objects() == doc.objects(), path
        build_model(again)
        assert dumps_document(again) == dumps_document(doc)


def test_unknown_kinds_and_fields_kept(shared_manifests):
    doc = load_document(shared_manifests / "ingress-nginx-baremetal.yaml")
    kinds = [o["kind"] for o in doc]
    assert "ValidatingWebhookConfiguration" in kinds and "ClusterRole" in kinds and "Job" in kinds
    dep = next(o for o in doc if o["kind"] == "Deployment")
    assert dep["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsUser"] == 101


def test_committed_field_table_matches_official_schemas():
    from core.scenario import k8s_schema, schema_gen

    fields, required = schema_gen.generate()
    assert k8s_schema.FIELDS == fields
    assert k8s_schema.REQUIRED == {k: tuple(v) for k, v in required.items()}


def test_committed_builtin_kinds_match_official_schemas():
    from core.scenario import k8s_schema, schema_gen

    assert k8s_schema.BUILTIN_KINDS == schema_gen.builtin_kinds()
    assert "ConfigMap" in k8s_schema.BUILTIN_KINDS[""] and "Deployment" in k8s_schema.BUILTIN_KINDS["apps"]
