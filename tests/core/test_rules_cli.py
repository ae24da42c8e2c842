"""``podpath rules``: model + ProxyView -> rule text, mode override, unknown node, bad input."""

import pytest

import core.cli.rules as rules_cli
from core.cli import main
from core.model import ClusterModel, NodeSpec, ProxyConfig, ServicePort, ServiceSpec
from core.proxy.render_common import RuleInputError, node_rule_input
from core.state import ClusterState, Endpoint, NodeState, ProxyView

try:
    from tests.core.test_rules_iptables import A4_EXPECTED
except ImportError:  # run from inside tests/core
    from test_rules_iptables import A4_EXPECTED  # type: ignore[no-redef]


def _cluster(mode="iptables", services=None):
    """The a.4 situation as model + state: ns1/svc1 80/TCP at 172.30.1.1, endpoints 10.0.1.1 (node1),
    10.0.1.2 (host1), 10.0.1.3 (host2), cluster CIDR 10.0.0.0/8."""
    svc = ServiceSpec("ns1", "svc1", cluster_ip="172.30.1.1", ports=(ServicePort(80),), selector={"app": "a"})
    headless = ServiceSpec("ns1", "db", cluster_ip="None", ports=(ServicePort(5432),), selector={"app": "db"})
    model = ClusterModel(nodes=[NodeSpec(n) for n in ("node1", "host1", "host2")],
                         services=services if services is not None else [svc, headless])
    config = ProxyConfig(mode=mode, cluster_cidr="10.0.0.0/8")
    state = ClusterState(model=model, proxy_config=config)
    for i, n in enumerate(("node1", "host1", "host2")):
        state.nodes[n] = NodeState(spec=model.nodes[i], ip=f"192.168.0.{i + 2}", pod_cidr=f"10.0.{i}.0/24")
    eps = tuple(Endpoint(f"10.0.1.{i + 1}", n, ("ns1", f"a-{i}"), True, True, False, (("", 80, "TCP"),))
                for i, n in enumerate(("node1", "host1", "host2")))
    dbeps = (Endpoint("10.0.1.9", "host1", ("ns1", "db-0"), True, True, False, (("", 5432, "TCP"),)),)
    state.proxy_views["node1"] = ProxyView("node1", slices={("ns1", "svc1"): eps, ("ns1", "db"): dbeps},
                                           config=config)
    return model, state


@pytest.fixture
def fake_sim(monkeypatch):
    def install(mode="iptables"):
        model, state = _cluster(mode)
        monkeypatch.setattr(rules_cli, "simulate", lambda path, seed, at, node=None: (model, state))
    return install


def test_prints_a4_rules_for_the_node(fake_sim, capsys):
    fake_sim()
    assert main(["rules", "scenario.yaml", "--node", "node1"]) == 0
    assert capsys.readouterr().out == A4_EXPECTED  # headless ns1/db gets no rules


def test_mode_override_ipvs(fake_sim, capsys):
    fake_sim("iptables")
    assert main(["rules", "scenario.yaml", "--node", "node1", "--mode", "ipvs"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[3:5] == ["TCP  172.30.1.1:80 rr",
                                     "  -> 10.0.1.1:80" + " " * 17 + " Masq    1      0          0         "]
    assert out.endswith("# kube-ipvs0 (dummy, DOWN, NOARP) addresses: 172.30.1.1/32\n")


def test_file_mode_nftables_is_used_without_override(fake_sim, capsys):
    fake_sim("nftables")
    assert main(["rules", "scenario.yaml", "--node", "node1"]) == 0
    assert "add element ip kube-proxy service-ips { 172.30.1.1 . tcp . 80 : goto service-" in capsys.readouterr().out


def test_unknown_node_lists_nodes(fake_sim, capsys):
    fake_sim()
    assert main(["rules", "scenario.yaml", "--node", "nope"]) == 2
    assert "unknown node 'nope'; nodes in scenario.yaml: host1, host2, node1" in capsys.readouterr().err


def test_bad_mode_is_usage_error(capsys):
    assert main(["rules", "scenario.yaml", "--node", "node1", "--mode", "userspace"]) == 2
    assert "invalid choice: 'userspace'" in capsys.readouterr().err


def test_missing_cluster_ip_is_reported(capsys):
    model, state = _cluster(services=[ServiceSpec("ns1", "svc1", ports=(ServicePort(80),))])
    with pytest.raises(RuleInputError, match="Service ns1/svc1 has no ClusterIP allocated"):
        node_rule_input(model, state, "node1")


def test_endpoint_port_matched_by_name_and_protocol():
    svc = ServiceSpec("ns1", "web", cluster_ip="10.96.0.50",
                      ports=(ServicePort(80, name="http"), ServicePort(53, "UDP", name="dns")))
    model, state = _cluster(services=[svc])
    ep = Endpoint("10.0.1.1", "node1", ("ns1", "w"), True, True, False, (("http", 8080, "TCP"), ("dns", 5353, "UDP")))
    state.proxy_views["node1"].slices = {("ns1", "web"): (ep,)}
    inp = node_rule_input(model, state, "node1")
    assert [(s.spn, s.protocol, [(e.ip, e.port) for e in eps]) for s, eps in inp.services] == [
        ("ns1/web:http", "TCP", [("10.0.1.1", 8080)]), ("ns1/web:dns", "UDP", [("10.0.1.1", 5353)])]
    assert inp.node_ips == ("192.168.0.2",) and inp.cluster_cidr == "10.0.0.0/8"


def test_end_to_end_on_demo_scenario(capsys):
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"
    assert main(["rules", str(demo), "--node", "node-1", "--seed", "1"]) == 0
    # default/kubernetes:https + tcp hashes to NPX46M4PTMTKRN6Y, the chain every real cluster has;
    # the kubernetes Service gets the first address of 10.96.0.0/12 (domain.md d.1)
    assert ('-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp '
            "-d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y") in capsys.readouterr().out.splitlines()


def test_invalid_scenario_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 99999}]}\n")
    assert main(["rules", str(bad), "--node", "n"]) == 1
    assert capsys.readouterr().err.strip() != ""
