"""Issue 8 items 8, 11 and 15: loadBalancerSourceRanges end to end, default/kubernetes without a control-plane
label, kube-proxy's localhost NodePort rule."""

import json

from core.cli import main
from core.proxy import chains as ch
from core.proxy.render_common import NodeRuleInput, RuleEndpoint, RuleServicePort
from core.proxy.render_iptables import render_iptables
from core.scenario import load_model

SCENARIO = """\
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
  loadBalancerSourceRanges: [" 203.0.113.0/25"]
status:
  loadBalancer:
    ingress: [{ip: 192.0.2.10}]
---
apiVersion: podpath.dev/v1alpha1
kind: Client
metadata: {name: inside}
spec: {location: external, ip: 203.0.113.5}
---
apiVersion: podpath.dev/v1alpha1
kind: Client
metadata: {name: outside}
spec: {location: external, ip: 203.0.113.200}
"""


def _route(capsys, path, *args):
    assert main(["route", str(path), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_load_balancer_source_ranges(tmp_path, capsys):
    path = tmp_path / "lb.yaml"
    path.write_text(SCENARIO)
    # the space-padded value is accepted (ValidateService trims it) and kept as the CIDR
    assert load_model(path).service("default", "web").load_balancer_source_ranges == ("203.0.113.0/25",)
    # 203.0.113.0/25 covers .0-.127: .5 is let through, .200 is dropped, by the balancer's firewall
    inside = _route(capsys, path, "--to", "192.0.2.10:80", "--from", "inside", "--requests", "40")
    assert inside["delivered"] == 40 and inside["dropped"] == {}
    outside = _route(capsys, path, "--to", "192.0.2.10:80", "--from", "outside", "--requests", "40")
    assert outside["delivered"] == 0 and outside["dropped"] == {"not_in_source_ranges": 40}
    # NodePorts are not subject to loadBalancerSourceRanges (proxier.go: "for better or for worse")
    node_port = _route(capsys, path, "--to", "192.168.0.10:30080", "--from", "outside", "--requests", "40")
    assert node_port["delivered"] == 40
    # a pod (source 10.244.0.x, outside the range) dialling the LB IP is stopped on its own node by KUBE-FW
    pod = _route(capsys, path, "--to", "192.0.2.10:80", "--from", "node-1", "--requests", "10", "--trace", "1")
    assert pod["dropped"] == {"not_in_source_ranges": 10}
    fw = ch.fw_chain("default/web", "tcp")
    assert pod["traces"][0]["hops"][-1]["rule"] == (
        f"KUBE-SERVICES -d 192.0.2.10/32 --dport 80 -> {fw}: source not in loadBalancerSourceRanges -> "
        "KUBE-PROXY-FIREWALL DROP -> not_in_source_ranges")
    # the iptables text: LB IP -> KUBE-FW, one ACCEPT jump per range, its closing comment rule, the filter DROP
    assert main(["rules", str(path), "--node", "node-1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ext = ch.ext_chain("default/web", "tcp")
    assert (f'-A KUBE-SERVICES -m comment --comment "default/web loadbalancer IP" -m tcp -p tcp -d 192.0.2.10 '
            f"--dport 80 -j {fw}") in lines
    assert [x for x in lines if x.startswith(f"-A {fw} ")] == [
        f'-A {fw} -m comment --comment "default/web loadbalancer IP" -s 203.0.113.0/25 -j {ext}',
        f'-A {fw} -m comment --comment "other traffic to default/web will be dropped by KUBE-PROXY-FIREWALL"']
    assert (f'-A KUBE-PROXY-FIREWALL -m comment --comment "default/web traffic not accepted by {fw}" -m tcp -p tcp '
            "-d 192.0.2.10 --dport 80 -j DROP") in lines


def test_load_balancer_source_ranges_validation(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace('[" 203.0.113.0/25"]', '["203.0.113.0/33", 10.0.0.0/8]')
                    .replace("type: LoadBalancer", "type: NodePort"))
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert ('spec.loadBalancerSourceRanges[0]: Invalid value: "203.0.113.0/33": must be a valid CIDR value, '
            "(e.g. 10.9.8.0/24 or 2001:db8::/64)") in out
    assert "spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'" in out


# TestOverallIPTablesRules (k/k pkg/proxy/iptables/proxier_test.go), services ns3/svc3 (NodePort 3003) and
# ns5/svc5 (LoadBalancer 5.6.7.8, nodePort 3002, sourceRanges " 203.0.113.0/25", ClientIP affinity), quoted.
SVC3 = RuleServicePort("ns3", "svc3", "p80", "TCP", "172.30.0.43", 80, node_port=3003, type="NodePort")
SVC5 = RuleServicePort("ns5", "svc5", "p80", "TCP", "172.30.0.45", 80, node_port=3002, load_balancer_ips=("5.6.7.8",),
                       session_affinity_timeout=10800, type="LoadBalancer",
                       load_balancer_source_ranges=("203.0.113.0/25",))
UPSTREAM_LINES = [
    "-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct "
    "--nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK",
    "-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK",
    "-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct "
    "--nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C",
    "-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C",
]
UPSTREAM_FW = [
    '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 '
    "-j KUBE-FW-NUKIZ6OKUXPJNT4C",
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 '
    "-j KUBE-EXT-NUKIZ6OKUXPJNT4C",
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by '
    'KUBE-PROXY-FIREWALL"',
    '-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" '
    "-m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP",
]


def _inp(localhost=True):
    return NodeRuleInput("test-node", ("192.168.0.2",), "10.0.0.0/8", False,
                         ((SVC3, (RuleEndpoint("10.180.0.3", 80, "host2"),)),
                          (SVC5, (RuleEndpoint("10.180.0.3", 80, "host2"),))), localhost_node_ports=localhost)


def test_localhost_nodeport_rule_in_iptables_text():
    lines = render_iptables(_inp()).splitlines()
    assert [x for x in lines if x.startswith("-A KUBE-NODEPORTS -m comment --comment ns")] == UPSTREAM_LINES
    for line in UPSTREAM_FW:
        assert line in lines
    assert ('-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 '
            "! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP") in lines
    # iptables.localhostNodePorts: false -> no nfacct rule, no localnet guard, the nodeports jump skips 127/8
    off = render_iptables(_inp(localhost=False))
    assert "nfacct" not in off and "KUBE-FIREWALL -m comment" not in off
    assert ('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule '
            'in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS') in off.splitlines()


def test_localhost_nodeports_setting_from_kube_proxy_configuration(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO + """---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
iptables: {localhostNodePorts: false}
""")
    assert load_model(path).proxy.localhost_node_ports is False
    assert main(["rules", str(path), "--node", "node-1"]) == 0
    assert "localhost_nps_accepted_pkts" not in capsys.readouterr().out


def test_kubernetes_endpoints_fall_back_to_first_node(tmp_path, capsys):
    # no node carries node-role.kubernetes.io/control-plane: the API server is on the first node,
    # node-1 = 192.168.0.10 (node subnet 192.168.0.0/24 from .10), port 443 -> 6443
    path = tmp_path / "k.yaml"
    path.write_text(SCENARIO)
    out = _route(capsys, path, "--to", "default/kubernetes:443", "--from", "node-2", "--requests", "20")
    assert out["delivered"] == 20
    assert [(e["ip"], e["port"], e["node"], e["count"]) for e in out["endpoints"]] == [
        ("192.168.0.10", 6443, "node-1", 20)]
    # with a labelled control-plane node, that node (and only it) backs the Service
    labelled = SCENARIO.replace("metadata: {name: node-2}",
                                "metadata: {name: node-2, labels: {node-role.kubernetes.io/control-plane: ''}}")
    path.write_text(labelled)
    out = _route(capsys, path, "--to", "default/kubernetes:443", "--from", "node-1", "--requests", "20")
    assert [(e["ip"], e["node"]) for e in out["endpoints"]] == [("192.168.0.11", "node-2")]


def test_load_balancer_source_ranges_in_ipvs_and_nftables_rules(tmp_path, capsys):
    path = tmp_path / "lb.yaml"
    path.write_text(SCENARIO.replace('[" 203.0.113.0/25"]', '["203.0.113.0/25", "192.168.0.0/24"]'))
    # IPVS: the ipsets kube-proxy fills (Entry.String(): ip,proto:port[,net|,ip]); node-1 (192.168.0.10) lies
    # in 192.168.0.0/24, so the LB IP itself is allowed as a source from this node (SOURCE-IP)
    assert main(["rules", str(path), "--node", "node-1", "--mode", "ipvs"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [x for x in out if x.startswith("add ")] == [
        "add KUBE-LOAD-BALANCER-FW 192.0.2.10,tcp:80",
        "add KUBE-LOAD-BALANCER-SOURCE-CIDR 192.0.2.10,tcp:80,192.168.0.0/24",
        "add KUBE-LOAD-BALANCER-SOURCE-CIDR 192.0.2.10,tcp:80,203.0.113.0/25",
        "add KUBE-LOAD-BALANCER-SOURCE-IP 192.0.2.10,tcp:80,192.0.2.10",
    ]
    # nftables: the firewall chain drops every source outside the ranges (plus the LB IP, as above)
    assert main(["rules", str(path), "--node", "node-1", "--mode", "nftables"]) == 0
    nft = capsys.readouterr().out
    assert "ip saddr != { 203.0.113.0/25, 192.168.0.0/24, 192.0.2.10 } drop" in nft
    assert "firewall-ips { 192.0.2.10 . tcp . 80" in nft
