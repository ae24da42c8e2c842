"""Packet samples (issue 7 item 3): fair across flows, chosen by (seed, flow, request index) only, hops with
object references, contiguous times that add up exactly to the latency, and rule ids that resolve to the
rule text of the node that decided."""

import numpy as np
import pytest

from core.dataplane import latency as L
from core.dataplane.samples import _splitmix64, sample_uniforms, sampled_indices
from core.engine import Simulation
from core.model import ObjectRef
from core.proxy.ruleset import render_rules
from core.scenario import DEMO_SCENARIO, load_model


def test_splitmix64_reference_and_chunking():
    # splitmix64 from state 0: first output 0xE220A8397B1DCDAF (Vigna's reference implementation)
    assert int(_splitmix64(np.array([0], np.uint64))[0]) == 0xE220A8397B1DCDAF
    whole = sample_uniforms(42, "browser-shop/browser", 0, 1000)
    parts = np.concatenate([sample_uniforms(42, "browser-shop/browser", a, b - a)
                            for a, b in ((0, 1), (1, 300), (300, 301), (301, 1000))])
    assert np.array_equal(whole, parts)
    assert whole.min() >= 0.0 and whole.max() < 1.0
    assert not np.array_equal(whole, sample_uniforms(43, "browser-shop/browser", 0, 1000))
    assert not np.array_equal(whole, sample_uniforms(42, "batch-web/batch-job", 0, 1000))
    # one sample per block of 7 requests, wherever the pieces are cut
    picks = sampled_indices(42, "f/c", 0, 7000, 7)
    assert picks.size == 1000 and np.array_equal(picks // 7, np.arange(1000))
    cut = np.concatenate([sampled_indices(42, "f/c", a, b - a, 7) for a, b in ((0, 3), (3, 10), (10, 4001),
                                                                                (4001, 7000))])
    assert np.array_equal(picks, cut)
    assert np.array_equal(sampled_indices(42, "f/c", 5, 3, 1), [5, 6, 7])  # block 1: every request


def run_demo(mode: str, until: float = 20.0, dt: float = 0.1):
    model = load_model(DEMO_SCENARIO)
    model.proxy.mode = mode
    model.timeline = []  # no node failure: every node's rules stay what they were when the sample was taken
    sim = Simulation(model)
    out = []
    while sim.time < until - 1e-9:
        tick = sim.step(dt)
        rulesets = {}
        for s in tick.traffic.samples:
            for h in s.hops:
                if h.rule_id is not None:
                    node = h.where.name
                    if node not in rulesets:
                        rulesets[node] = render_rules(model, sim.state, node)
                    out.append((s, h, rulesets[node]))
            out.append((s, None, None))
    return sim, out


@pytest.mark.parametrize("mode", ["iptables", "ipvs", "nftables"])
def test_hops_add_up_and_rule_ids_resolve(mode):
    sim, rows = run_demo(mode)
    samples = {id(s): s for s, h, _ in rows if h is None}.values()
    assert len(samples) > 100
    delivered = 0
    for s in samples:
        assert s.hops[0].enter_ns == 0 and s.hops[-1].leave_ns == s.latency_ns
        assert all(a.leave_ns == b.enter_ns for a, b in zip(s.hops, s.hops[1:]))
        assert sum(h.leave_ns - h.enter_ns for h in s.hops) == s.latency_ns
        assert all(h.outcome == "forwarded" for h in s.hops[:-1]) and s.hops[-1].outcome == s.outcome
        assert s.hops[0].where == ObjectRef("Client", "", s.client.name)
        if s.outcome == "delivered":
            delivered += 1
            last = s.hops[-1]
            assert last.where.kind == "Pod"
            # delivery to a pod costs SAME_NODE or CROSS_NODE; the last hop also absorbs < 1 ns of rounding
            assert min(abs(last.leave_ns - last.enter_ns - round(c * 1e6)) for c in (L.SAME_NODE, L.CROSS_NODE)) <= 1
    assert delivered > 100
    resolved = 0
    for s, h, rs in rows:
        if h is None or s.outcome != "delivered" or h.where.kind != "Node":
            continue
        line = rs.line(h.rule_id)
        assert line is not None, (h.rule_id, rs.ids[:5])
        ep = h.dst_after if mode != "nftables" else h.dst_after.replace(":", "/")
        assert ep in line
        resolved += 1
    assert resolved > 50


def test_samples_are_fair_across_flows():
    # demo: browser-shop at 20 req/s, batch-web at 10 req/s; 20 samples/s shared by 2 flows -> one request in
    # round(2 * 20 / 20) = 2 and in round(2 * 10 / 20) = 1: about 10 samples a second each, 200 in 20 s
    _, rows = run_demo("iptables")
    per_flow: dict[str, int] = {}
    for s, h, _ in rows:
        if h is None:
            per_flow[s.flow] = per_flow.get(s.flow, 0) + 1
    assert set(per_flow) == {"browser-shop", "batch-web"}
    assert all(150 <= n <= 250 for n in per_flow.values()), per_flow


def test_sampled_requests_depend_only_on_flow_and_index():
    _, a = run_demo("iptables", until=6.0, dt=0.1)
    _, b = run_demo("iptables", until=6.0, dt=0.1)
    key = [(s.flow, s.index, s.time, s.outcome, s.latency_ns, s.hops) for s, h, _ in a if h is None]
    assert key == [(s.flow, s.index, s.time, s.outcome, s.latency_ns, s.hops) for s, h, _ in b if h is None]
    # blocks: round(2 flows x rate / 20 samples/s): browser-shop (20/s) 2 -> one in two, batch-web (10/s) 1
    sim, rows = run_demo("iptables", until=3.0)
    assert {f.name: sim.dataplane.samples.block(f) for f in sim.dataplane.flows} == {"browser-shop": 2,
                                                                                       "batch-web": 1}
    browser = [s.index for s, h, _ in rows if h is None and s.flow == "browser-shop"]
    assert len(set(i // 2 for i in browser)) == len(browser)  # never two in one block


CASES = [  # (mode, etp, itp, affinity, target, client)
    ("iptables", "Local", "Cluster", False, "192.168.0.11:30080", "laptop"),  # KUBE-SVL for ETP=Local
    ("iptables", "Cluster", "Local", False, "default/web:80", "pod-client"),  # KUBE-SVL for ITP=Local
    ("iptables", "Cluster", "Cluster", True, "default/web:80", "pod-client"),  # ClientIP affinity
    ("iptables", "Cluster", "Cluster", False, "203.0.113.10:80", "laptop"),  # LB -> NodePort -> KUBE-EXT
    ("ipvs", "Cluster", "Cluster", False, "192.168.0.11:30080", "laptop"),  # virtual server on the node IP
    ("ipvs", "Cluster", "Cluster", False, "203.0.113.10:80", "pod-client"),  # LB IP matched on the pod's node
    ("ipvs", "Local", "Cluster", False, "192.168.0.11:30080", "laptop"),
    ("nftables", "Local", "Cluster", False, "192.168.0.11:30080", "laptop"),
    ("nftables", "Cluster", "Cluster", True, "default/web:80", "pod-client"),
]


@pytest.mark.parametrize("mode,etp,itp,affinity,target,client", CASES)
def test_rule_ids_resolve_for_policies_affinity_and_entries(mode, etp, itp, affinity, target, client):
    from tests.core.dataplane_fixtures import cluster, settled

    model = cluster(4, mode=mode, etp=etp, itp=itp, affinity=affinity)
    sim = settled(model)
    sim.dataplane.send(target, from_=client, requests=400, duration=2.0, addresses=20)
    checked = 0
    while sim.time < 13.0:
        tick = sim.step(0.1)
        rulesets = {}
        for s in tick.traffic.samples:
            assert sum(h.leave_ns - h.enter_ns for h in s.hops) == s.latency_ns
            for h in s.hops:
                if h.rule_id is None or s.outcome != "delivered":
                    continue
                rs = rulesets.get(h.where.name) or rulesets.setdefault(h.where.name,
                                                                        render_rules(model, sim.state, h.where.name))
                line = rs.line(h.rule_id)
                assert line is not None, (h.rule_id, h.where)
                ep = h.dst_after if mode != "nftables" else h.dst_after.replace(":", "/")
                assert ep in line  # nftables: the numgen rule names every endpoint chain, "ip/port" in each
                checked += 1
    assert checked >= 10


DROPS = [  # (mode, replicas, etp, target, client, outcome)
    ("iptables", 0, "Cluster", "default/web:80", "pod-client", "refused"),
    ("iptables", 0, "Cluster", "192.168.0.11:30080", "laptop", "refused"),
    ("nftables", 0, "Cluster", "default/web:80", "pod-client", "refused"),
    ("nftables", 0, "Cluster", "192.168.0.11:30080", "laptop", "refused"),
    ("ipvs", 0, "Cluster", "default/web:80", "pod-client", "refused"),  # no endpoint anywhere: ICMP unreachable
    ("ipvs", 0, "Cluster", "192.168.0.11:30080", "laptop", "refused"),
    # ETP=Local, one web pod: a NodePort on another node has no local endpoint -> "has no local endpoints" DROP
    ("iptables", 1, "Local", "nolocal:30080", "laptop", "no_local_endpoints"),
    ("nftables", 1, "Local", "nolocal:30080", "laptop", "no_local_endpoints"),
]


@pytest.mark.parametrize("mode,replicas,etp,target,client,outcome", DROPS)
def test_drops_carry_the_rule_that_refused_them(mode, replicas, etp, target, client, outcome):
    from tests.core.dataplane_fixtures import cluster, settled

    model = cluster(replicas, mode=mode, etp=etp)
    sim = settled(model)
    if target.startswith("nolocal"):
        web_nodes = {p.node for p in sim.state.pods.values() if p.labels.get("app") == "web"}
        other = next(n for n in sorted(sim.state.nodes) if n not in web_nodes)
        target = f"{sim.state.nodes[other].ip}:30080"
    sim.dataplane.send(target, from_=client, requests=100, duration=1.0, addresses=5)
    seen = 0
    while sim.time < 11.5:
        for s in sim.step(0.1).traffic.samples:
            assert s.outcome == outcome
            hop = s.hops[-1]
            assert hop.where.kind == "Node" and hop.rule_id is not None
            line = render_rules(model, sim.state, hop.where.name).line(hop.rule_id)
            assert line is not None, hop.rule_id
            seen += 1
    assert seen >= 10


@pytest.mark.parametrize("mode", ["iptables", "ipvs"])
def test_keepalive_only_ticks_keep_the_clusterip_entry(mode):
    # batch-job (on node-3) -> web-clusterip:80 over keep-alive connections of 50 requests at 10 req/s: most
    # 0.5 s ticks open no connection at all, and their samples used to show the entry as "192.168.0.12:None"
    # (the entry kind was only set by a tick that opened one). Every sample enters at the ClusterIP, port 80,
    # the address kube-proxy's KUBE-SERVICES rule matches, and no address of any hop reads "None".
    model = load_model(DEMO_SCENARIO)
    model.proxy.mode = mode
    sim = Simulation(model)
    sim.dataplane.trace.limit = 10_000
    vip = next(s.cluster_ip for s in model.services if s.name == "web-clusterip")
    batch, replayed = [], 0
    while sim.time < 30 - 1e-9:
        for s in sim.step(0.5).traffic.samples:
            for h in s.hops:
                assert all("None" not in a for a in (h.src, h.dst, h.src_after, h.dst_after) if a), (s, h)
            if s.flow == "batch-web":
                batch.append(s)
                replayed += any(h.rule.startswith("conntrack") for h in s.hops)
    assert len(batch) > 20 and replayed > 10
    for s in batch:
        assert s.hops[0].dst == f"{vip}:80" and s.hops[1].dst == f"{vip}:80", s
    traces = [t for t in sim.dataplane.trace.traces if t["client"] == "batch-job"]
    assert traces and all(t["hops"][0]["dst"] == f"{vip}:80" for t in traces)
    addresses = [h[k] for t in sim.dataplane.trace.traces for h in t["hops"] for k in ("src", "dst", "src_after",
                                                                                     "dst_after") if h[k]]
    assert addresses and not [a for a in addresses if "None" in a]
