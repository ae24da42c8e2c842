"""Rule ids (issue 7 item 4): every rule line of every mode has a stable id; id -> line is a lookup; ids do
not move when endpoints come and go or other Services are added; ``podpath rules`` text is unchanged."""

from core.engine import Simulation
from core.proxy.render_common import NodeRuleInput, RuleEndpoint, RuleServicePort
from core.proxy.render_iptables import render_iptables
from core.proxy.render_ipvs import render_ipvs
from core.proxy.render_nftables import render_nftables
from core.proxy.ruleset import ipvs_rule_id, parse_rules, render_rules
from core.scenario import DEMO_SCENARIO, load_model

# domain.md a.4: ns1/svc1, unnamed port 80/TCP, clusterIP 172.30.1.1, endpoints 10.0.1.1-3, cluster CIDR 10/8
SVC = RuleServicePort("ns1", "svc1", "", "TCP", "172.30.1.1", 80)
EPS = (RuleEndpoint("10.0.1.1", 80, "node-a"), RuleEndpoint("10.0.1.2", 80, "host1"),
       RuleEndpoint("10.0.1.3", 80, "host2"))


def inp(endpoints=EPS, services=()):
    return NodeRuleInput("node-a", ("192.168.0.2",), "10.0.0.0/8", False, ((SVC, endpoints), *services))


def test_iptables_ids_worked_out_from_domain_a4():
    rs = parse_rules(render_iptables(inp()), "iptables", "node-a")
    # the rule that picks 10.0.1.2: comment and statistic match left out of the id
    pick = "iptables/nat/KUBE-SVC-AQI2S6QIMU7PVVRP/-j KUBE-SEP-IO5XOSKPAXIFQXAJ"
    assert rs.line(pick) == ('-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" '
                             "-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ")
    assert rs.find("KUBE-SVC-AQI2S6QIMU7PVVRP", "KUBE-SEP-IO5XOSKPAXIFQXAJ") == [pick]
    entry = "iptables/nat/KUBE-SERVICES/-m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP"
    assert rs.line(entry).startswith('-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP"')
    dnat = "iptables/nat/KUBE-SEP-IO5XOSKPAXIFQXAJ/-m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80"
    assert rs.line(dnat).endswith("-j DNAT --to-destination 10.0.1.2:80")
    assert rs.line("iptables/nat/KUBE-SVC-AQI2S6QIMU7PVVRP") == ":KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]"
    # line numbers for highlighting: *filter is line 1
    assert rs.lines[0].text == "*filter" and rs.lines[0].id is None
    assert rs.text.splitlines()[rs.number(pick) - 1] == rs.line(pick)
    # every rule line has one id, none shared
    rule_lines = [ln for ln in rs.lines if ln.text.startswith(("-A ", ":"))]
    assert len({ln.id for ln in rule_lines}) == len(rule_lines)
    assert rs.line("iptables/nat/KUBE-SVC-NOPE/-j X") is None


def test_ids_survive_scaling_and_other_services():
    before = parse_rules(render_iptables(inp()), "iptables")
    # 10.0.1.3 goes away: 10.0.1.1 now gets 1/2 (was 1/3) and 10.0.1.2 is the last rule, with no statistic
    # match (was 1/2) -- their ids stay, their text changes
    after = parse_rules(render_iptables(inp(EPS[:2])), "iptables")
    pick1 = "iptables/nat/KUBE-SVC-AQI2S6QIMU7PVVRP/-j KUBE-SEP-3JOIVZTXZZRGORX4"
    pick2 = "iptables/nat/KUBE-SVC-AQI2S6QIMU7PVVRP/-j KUBE-SEP-IO5XOSKPAXIFQXAJ"
    assert "--probability 0.3333333333" in before.line(pick1) and "--probability 0.5000000000" in after.line(pick1)
    assert "--probability" in before.line(pick2) and "--probability" not in after.line(pick2)
    assert "iptables/nat/KUBE-SVC-AQI2S6QIMU7PVVRP/-j KUBE-SEP-XGJFVO3L2O5SRFNT" not in after.by_id
    assert set(after.ids) <= set(before.ids)
    # another Service: every id and line of svc1 is unchanged
    other = RuleServicePort("ns2", "svc2", "", "TCP", "172.30.1.2", 80)
    more = parse_rules(render_iptables(inp(services=((other, (RuleEndpoint("10.0.2.1", 80, "host1"),)),))),
                       "iptables")
    assert all(more.line(i) == before.line(i) for i in before.ids)


def test_ipvs_and_nftables_ids():
    rs = parse_rules(render_ipvs(inp()), "ipvs")
    assert ipvs_rule_id("tcp", "172.30.1.1", 80) == "ipvs/TCP/172.30.1.1:80"
    assert rs.line("ipvs/TCP/172.30.1.1:80") == "TCP  172.30.1.1:80 rr"
    rid = ipvs_rule_id("TCP", "172.30.1.1", 80, "10.0.1.3:80")
    # "  -> %-28s %-7s %-6d %-10u %-10u" (domain.md b.4)
    assert rs.line(rid) == "  -> " + "10.0.1.3:80".ljust(28) + " Masq    1      0          0         "
    # the counters are not part of the id
    counted = parse_rules(render_ipvs(inp(), {("172.30.1.1", 80, "10.0.1.3:80"): (5, 19)}), "ipvs")
    assert "5          19" in counted.line(rid)
    nft = parse_rules(render_nftables(inp()), "nftables")
    assert nft.line("nftables/service-ips/172.30.1.1 . tcp . 80").startswith(
        "add element ip kube-proxy service-ips { 172.30.1.1 . tcp . 80 : goto service-")
    numgen = [i for i in nft.ids if "numgen random vmap" in i]
    assert len(numgen) == 1 and "numgen random mod 3 vmap" in nft.line(numgen[0])
    two = parse_rules(render_nftables(inp(EPS[:2])), "nftables")
    assert "numgen random mod 2 vmap" in two.line(numgen[0])  # same id, two endpoints now


def test_render_rules_text_is_what_podpath_rules_prints(capsys):
    from core.cli import main

    model = load_model(DEMO_SCENARIO)
    sim = Simulation(model, dataplane=False)
    sim.run(30.0)
    for mode in ("iptables", "ipvs", "nftables"):
        rs = render_rules(model, sim.state, "node-1", mode)
        assert rs.text.endswith("\n") and "\n".join(ln.text for ln in rs.lines) + "\n" == rs.text
        assert main(["rules", str(DEMO_SCENARIO), "--node", "node-1", "--mode", mode, "--at", "30"]) == 0
        assert capsys.readouterr().out == rs.text


def test_split_rule_tokens_equal_shlex_on_every_rendered_line_and_on_odd_quoting():
    """parse_iptables splits ~6,000 lines a node at 2,000 pods; its fast splitter must give shlex's tokens."""
    import shlex

    from core.proxy.ruleset import split_rule

    model = load_model(DEMO_SCENARIO)
    sim = Simulation(model, dataplane=False)
    sim.run(5.0)
    lines = [ln for node in sim.state.nodes for ln in render_rules(model, sim.state, node, "iptables").text.splitlines()
             if ln.startswith("-A ")]
    assert len(lines) > 200 and any('--comment "' in ln for ln in lines)
    odd = ['-A X -m comment --comment "" -j Y', "-A X --comment 'a b' -j Y", '-A X --comment "a"b -j Y',
           '-A X --comment a\\ b -j Y', '-A  X   -j  Y  ', '-A X "a b" "c"', '-A X a"b c" -j Y', '-A X "a\\"b"']
    for line in lines + odd:
        assert split_rule(line) == shlex.split(line), line


def test_lines_mentioning_an_address_match_whole_dotted_quads_only():
    from core.proxy.ruleset import RuleSet

    text = ("*nat\n"
            "-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -j KUBE-SVC-A\n"
            "-A KUBE-SEP-B -p tcp -j DNAT --to-destination 10.244.1.23:8080\n"
            "-A KUBE-SEP-C -s 10.244.1.2/32 -j KUBE-MARK-MASQ\n"
            "-A KUBE-SEP-C -p tcp -j DNAT --to-destination 10.244.1.2:8080\n"
            "-A KUBE-SEP-D -s 110.244.1.2/32 -j KUBE-MARK-MASQ\n"
            "  -> 10.244.1.2:8080  Masq  1  0  0\n"
            "COMMIT")
    rs = RuleSet("node-1", "iptables", text, [])
    assert rs.lines_mentioning(["10.244.1.2"]) == [4, 5, 7]  # not 10.244.1.23 (3), not 110.244.1.2 (6)
    assert rs.lines_mentioning(["10.244.1.23"]) == [3]
    assert rs.lines_mentioning(["10.96.0.1", "10.244.1.23"]) == [2, 3]
    assert rs.lines_mentioning(["10.244.9.9"]) == [] and rs.lines_mentioning([]) == []
    assert rs.ip_index()["110.244.1.2"] == (6,)
