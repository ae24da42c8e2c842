"""The data plane end to end on a hand-built 3-node cluster: paths, NAT, policies, failures, conservation."""

import numpy as np
import pytest

from core.dataplane.tables import iptables_shares
from core.metrics import chi_square
from tests.core.dataplane_fixtures import cluster, settled, web_pod_ips


def _send(sim, target, n=3000, **kw):
    plane = sim.dataplane
    flow = plane.send(target, requests=n, duration=n / 1000.0, **kw)
    while flow.budget and flow.budget > 0 or sim.time < flow.stop:
        sim.step()
    sim.step()
    return plane.metrics


def test_clusterip_from_a_pod_reaches_every_endpoint_with_the_iptables_shares():
    sim = settled(cluster())
    m = _send(sim, "default/web:80", n=30000, from_="node-1", addresses=50)
    assert m.sent == 30000 and m.delivered == 30000 and not m.dropped
    ips = sorted(web_pod_ips(sim).values(), key=lambda ip: f"{ip}:8080")  # kube-proxy's "ip:port" order
    counts = np.array([sum(v for k, v in m.endpoint_counts.items() if k[2] == ip) for ip in ips])
    # three endpoints: probabilities 0.3333333333, 0.5, (last) -> shares ~ 1/3 each after quantisation
    stat, dof, p = chi_square(counts, iptables_shares(3))
    assert dof == 2 and p > 0.01
    assert all(k[3] == 8080 for k in m.endpoint_counts)  # named targetPort "http" resolved to 8080


def test_conservation_and_determinism_in_every_mode():
    results = []
    for mode, sched in [("iptables", "rr"), ("nftables", "rr"), ("ipvs", "rr"), ("ipvs", "lc"), ("ipvs", "sh"),
                        ("userspace", "rr")]:
        runs = []
        for _ in range(2):
            sim = settled(cluster(mode=mode, scheduler=sched))
            m = _send(sim, "default/web:80", n=2000, from_="node-2", addresses=20)
            assert m.sent == m.delivered + sum(m.dropped.values()) == 2000
            runs.append(dict(m.endpoint_counts))
        assert runs[0] == runs[1], mode  # same scenario + seed -> same picks
        results.append(runs[0])
    assert len(results) == 6


def test_ipvs_rr_per_node_state_cycles_over_the_kernel_list():
    sim = settled(cluster(mode="ipvs", scheduler="rr"))
    plane = sim.dataplane
    _send(sim, "default/web:80", n=9, from_="node-1")
    # 9 connections over 3 real servers: exactly 3 each, whatever the list order
    assert sorted(plane.metrics.endpoint_counts.values()) == [3, 3, 3]
    assert sorted(r["inactive"] for r in plane.connections() if r["node"] == "node-1") == [3, 3, 3]
    # another node's kube-proxy has its own rr pointer and counters: node-2 starts its own cycle
    _send(sim, "default/web:80", n=1, from_="node-2")
    assert sorted(r["inactive"] for r in plane.connections() if r["node"] == "node-2") == [0, 0, 1]


def test_nodeport_etp_cluster_masquerades_and_etp_local_preserves_source():
    sim = settled(cluster(etp="Cluster"))
    plane = sim.dataplane
    plane.trace.limit = 5
    _send(sim, "192.168.0.10:30080", n=200, from_="laptop")
    t = plane.trace.traces[0]
    proxy_hop = next(h for h in t["hops"] if h["node"] == "node-1")
    assert proxy_hop["src"].startswith("198.51.100.7:")
    assert proxy_hop["src_after"].startswith("192.168.0.10:")  # SNAT to the node IP (KUBE-MARK-MASQ)
    assert "KUBE-NODEPORTS --dport 30080" in proxy_hop["rule"] and "MASQUERADE" in proxy_hop["rule"]

    sim = settled(cluster(etp="Local"))
    plane = sim.dataplane
    plane.trace.limit = 5
    pods_on = {p.node for p in sim.state.pods.values() if p.labels.get("app") == "web"}
    node = sorted(pods_on)[0]
    ip = sim.state.nodes[node].ip
    _send(sim, f"{ip}:30080", n=200, from_="laptop")
    assert plane.metrics.delivered == 200
    assert {k[4] for k in plane.metrics.endpoint_counts} == {node}  # only local endpoints
    hop = next(h for h in plane.trace.traces[0]["hops"] if h["node"] == node and h["dst_after"])
    assert hop["src_after"].startswith("198.51.100.7:")  # client IP preserved


def _empty_node(sim):
    used = {p.node for p in sim.state.pods.values() if p.labels.get("app") == "web"}
    free = [n for n in sim.state.nodes if n not in used]
    return free[0] if free else None


def test_etp_local_without_local_endpoint_iptables_drops_ipvs_falls_back():
    for mode, reason in (("iptables", "no_local_endpoints"), ("nftables", "no_local_endpoints"),
                         ("ipvs", "reply_discarded")):
        model = cluster(replicas=1, mode=mode, etp="Local")
        sim = settled(model)
        node = _empty_node(sim)
        assert node is not None
        m = _send(sim, f"{sim.state.nodes[node].ip}:30080", n=100, from_="laptop")
        assert m.dropped == {reason: 100}, mode


def test_no_endpoints_rejects_and_clusterip_is_unreachable_from_outside():
    sim = settled(cluster(replicas=0, ingress=False))
    m = _send(sim, "default/web:80", n=50, from_="node-1")
    assert m.dropped == {"refused": 50}
    sim = settled(cluster())
    m = _send(sim, "10.96.100.10:80", n=50, from_="laptop")
    assert m.dropped == {"no_route": 50}


def test_itp_local_uses_only_the_clients_node():
    sim = settled(cluster(itp="Local", ingress=False))
    nodes_with = {p.node for p in sim.state.pods.values() if p.labels.get("app") == "web"}
    for node in sim.state.nodes:
        before = dict(sim.dataplane.metrics.dropped)
        counts_before = dict(sim.dataplane.metrics.endpoint_counts)
        m = _send(sim, "default/web:80", n=100, from_=node)
        if node in nodes_with:
            new = {k for k, v in m.endpoint_counts.items() if v != counts_before.get(k, 0)}
            assert new and all(k[4] == node for k in new)
        else:
            assert m.dropped.get("no_local_endpoints", 0) - before.get("no_local_endpoints", 0) == 100


def test_node_failure_timeouts_until_kube_proxy_drops_the_endpoints():
    model = cluster(ingress=False)
    sim = settled(model)
    plane = sim.dataplane
    victim = next(p.node for p in sim.state.pods.values() if p.labels.get("app") == "web")
    from core.model import TimelineEvent

    sim.schedule(TimelineEvent(sim.time, "failNode", victim))
    client_node = next(n for n in sim.state.nodes if n != victim)
    flow = plane.send("default/web:80", from_=client_node, requests=20000, duration=20.0, addresses=100)
    while sim.time < flow.stop:
        sim.step()
    m = plane.metrics
    assert m.sent == m.delivered + sum(m.dropped.values())
    # classroom preset: grace 5 s (+ monitor period 1 s) + 1 s sync -> a few seconds of timeouts, then none
    assert m.dropped.get("timeout_dead_endpoint", 0) > 0
    t, v = m.throughput.data()
    late = t > flow.start + 12.0
    assert v[late, 2].sum() == 0  # no drops once the endpoints are gone from every view


def test_static_route_breaks_when_the_pod_moves_but_the_service_keeps_answering():
    model = cluster(ingress=False)
    sim = settled(model)
    plane = sim.dataplane
    pod = next(p for p in sim.state.pods.values() if p.labels.get("app") == "web")
    from core.model import TimelineEvent

    static = plane.send(f"{pod.ip}:8080", from_="laptop", requests=3000, duration=30.0)
    svc = plane.send("192.168.0.11:30080" if pod.node != "node-2" else "192.168.0.10:30080", from_="laptop",
                     requests=3000, duration=30.0)
    sim.schedule(TimelineEvent(sim.time + 1.0, "failNode", pod.node))
    while sim.time < static.stop:
        sim.step()
    m = plane.metrics
    assert m.dropped.get("static_route_dead", 0) > 1000  # the pod's node died: the static route never recovers
    # the replacement pod got a new IP in another node's podCIDR
    new = [p for p in sim.state.pods.values() if p.labels.get("app") == "web" and p.ready and p.node != pod.node]
    assert len(new) == 3 and pod.ip not in {p.ip for p in new}
    assert svc.sent == 3000


def test_ingress_host_routing_and_404():
    sim = settled(cluster())
    plane = sim.dataplane
    plane.trace.limit = 1
    m = _send(sim, "http://shop.example.com/cart", n=300, from_="laptop")
    assert m.delivered + m.dropped.get("node_down", 0) == 300
    assert {k[0] for k in m.endpoint_counts} == {"default/web:http"}
    hops = plane.trace.traces[0]["hops"]
    assert any("Ingress default/shop host shop.example.com path /" in h["rule"] for h in hops)
    m2 = _send(sim, "http://other.example.com/", n=100, from_="laptop")
    assert m2.dropped.get("http_404", 0) == 100


def test_no_ingress_controller_means_nothing_answers():
    model = cluster(ingress=False)
    from core.model import IngressBackend, IngressPath, IngressRule, IngressSpec

    model.ingresses.append(IngressSpec("default", "shop", None, rules=(
        IngressRule("shop.example.com", (IngressPath("/", "Prefix", IngressBackend("web", 80)),)),)))
    sim = settled(model)
    m = _send(sim, "http://shop.example.com/", n=10, from_="laptop")
    assert m.dropped == {"no_ingress_controller": 10}


def test_keepalive_pins_connections():
    # one client address, 10 requests per connection, spread over 10 ticks: exactly 100 connections
    sim = settled(cluster(mode="ipvs", scheduler="rr"))
    m = _send(sim, "default/web:80", n=1000, from_="node-1", addresses=1, keepalive=10)
    assert m.sent == 1000 and m.delivered == 1000
    assert m.new_connections == 100
    # conntrack pins all 10 requests of a connection to its endpoint; rr spreads the 100 connections
    counts = sorted(v for k, v in m.endpoint_counts.items() if k[0] == "default/web:http")
    assert counts == [330, 330, 340]


def test_headless_and_external_name_skip_kube_proxy():
    sim = settled(cluster())
    plane = sim.dataplane
    plane.trace.limit = 2
    # DNS gives the pod IPs; with no NAT the client must dial the pods' own port (8080), not the
    # Service port: port 80 is refused by every pod
    m = _send(sim, "web-headless.default.svc.cluster.local:8080", n=300, from_="node-1")
    assert m.delivered == 300
    assert "headless" in plane.trace.traces[0]["hops"][0]["rule"]
    assert {k[3] for k in m.endpoint_counts} == {8080}
    m = _send(sim, "web-headless.default.svc.cluster.local:80", n=50, from_="node-1")
    assert m.dropped == {"refused": 50}
    m = _send(sim, "docs.default.svc.cluster.local:443", n=5, from_="node-1")
    assert m.delivered == 305
    # cluster DNS does not answer outside the cluster
    m = _send(sim, "web-headless.default.svc.cluster.local:8080", n=7, from_="laptop")
    assert m.dropped == {"refused": 50, "nxdomain": 7}


def test_trace_names_the_iptables_rule_with_kube_proxy_probability_strings():
    sim = settled(cluster())
    plane = sim.dataplane
    plane.trace.limit = 300
    _send(sim, "default/web:80", n=300, from_="node-1")
    rules = [h["rule"] for t in plane.trace.traces for h in t["hops"] if "KUBE-SVC" in h["rule"]]
    assert any("rule 1/3 -m statistic --mode random --probability 0.3333333333" in r for r in rules)
    assert any("rule 2/3 -m statistic --mode random --probability 0.5000000000" in r for r in rules)
    assert any("rule 3/3 (last rule, no statistic match)" in r for r in rules)
    assert all("KUBE-SEP-" in r and "DNAT --to-destination" in r for r in rules)


def test_lb_skips_failed_nodes_after_health_checks():
    sim = settled(cluster(ingress=False))
    from core.model import TimelineEvent

    sim.schedule(TimelineEvent(sim.time, "failNode", "node-3"))
    flow = sim.dataplane.send("203.0.113.10:80", from_="laptop", requests=6000, duration=30.0)
    while sim.time < flow.stop:
        sim.step()
    m = sim.dataplane.metrics
    assert m.sent == m.delivered + sum(m.dropped.values()) == 6000
    t, v = m.throughput.data()
    # health checks every 5 s, out after 2 failures: no more node_down drops after ~10-15 s
    assert v[t > flow.start + 16.0, 2].sum() == 0


@pytest.mark.parametrize("mode", ["iptables", "ipvs", "nftables"])
def test_session_affinity_keeps_each_client_on_one_pod(mode):
    sim = settled(cluster(mode=mode, affinity=True))
    plane = sim.dataplane
    m = _send(sim, "default/web:80", n=1000, from_="node-1", addresses=1)
    assert len([k for k in m.endpoint_counts if k[0] == "default/web:http"]) == 1
    del plane


@pytest.mark.parametrize("target,src", [
    ("default/web:80", "node-1"), ("192.168.0.11:30080", "laptop"), ("203.0.113.10:80", "laptop"),
    ("http://shop.example.com/", "laptop"), ("web-headless.default.svc.cluster.local:8080", "node-2"),
])
def test_trace_hops_add_up_to_the_request_latency(target, src):
    sim = settled(cluster())
    plane = sim.dataplane
    plane.trace.limit = 40
    _send(sim, target, n=40, from_=src)
    delivered = [t for t in plane.trace.traces if t["outcome"] == "delivered"]
    assert delivered
    for t in delivered:
        assert abs(sum(h["latency_ms"] for h in t["hops"]) - t["latency_ms"]) < 1e-6, t
        assert all(set(h) == {"node", "src", "dst", "src_after", "dst_after", "rule", "latency_ms"} for h in t["hops"])


def test_route_batch_matches_the_flow_path_latency_model():
    sim = settled(cluster(ingress=False))
    plane = sim.dataplane
    vs = plane.services.lookup(sim.model.services[0], sim.model.services[0].ports[0])
    n = 3000
    node = np.zeros(n, np.int64)  # clients on node-1
    src = np.full(n, 0x0AF400FA, np.uint32)  # 10.244.0.250, a pod address on node-1
    r = plane.route_batch(node, np.full(n, vs), src, np.arange(n) + 40000)
    assert (r.outcome == 0).all() and r.counts.sum() == n
    # same-node picks: rules walked (vs + position + 3) * 0.25 us + DNAT 2 us + 20 us veth; cross-node 200 us
    lat = r.latency_ms
    pos = np.array([{e: i for i, e in enumerate(plane.proxies.table_list[0].eids[:3])}[x] for x in r.eid])
    same = np.array([plane.registry.node[e] == "node-1" for e in r.eid])
    want = (vs + pos + 3) * 0.00025 + 0.002 + np.where(same, 0.02, 0.20)
    assert np.allclose(lat, want)
    assert plane.metrics.latency.count == n
    # the histogram the batch filled per latency class agrees with the per-request latencies
    for q in (1, 50, 90, 99, 100):
        rank = int(np.ceil(q / 100 * n)) - 1
        assert plane.metrics.latency.percentile(q) == pytest.approx(np.sort(lat)[rank], abs=0.0011)
    # a hairpin: a pod reaching itself through its Service is SNATed (+2 us)
    own = r.eid[0]
    pod_ip = plane.registry.ip[own]
    a, b, c, d = (int(x) for x in pod_ip.split("."))
    ip = np.uint32((a << 24) | (b << 16) | (c << 8) | d)
    node_of = plane.node_index[plane.registry.node[own]]
    r2 = plane.route_batch(np.full(4000, node_of), np.full(4000, vs), np.full(4000, ip), np.arange(4000) + 1000)
    hit = r2.eid == own
    assert hit.any() and np.allclose(r2.latency_ms[hit] - r2.latency_ms[hit].min(), 0)
    pos_own = {e: i for i, e in enumerate(plane.proxies.table_list[0].eids[:3])}[own]
    assert r2.latency_ms[hit][0] == pytest.approx((vs + pos_own + 3) * 0.00025 + 0.002 + 0.002 + 0.02)


def test_mode_switch_takes_effect_at_the_next_sync_and_keeps_established_connections():
    sim = settled(cluster(mode="iptables", ingress=False))
    plane = sim.dataplane
    from core.model import TimelineEvent

    keep = plane.send("default/web:80", from_="node-1", requests=400, duration=4.0, keepalive=400)
    sim.step()
    pinned = int(keep.conn_eid[0])
    assert pinned >= 0
    sim.schedule(TimelineEvent(sim.time, "setProxyMode", "", "ipvs"))
    sim.step()
    sim.step(1.5)  # kube-proxy's sync delay (minSyncPeriod 1 s) has passed on every node
    assert all(v.config.mode == "ipvs" for v in sim.state.proxy_views.values())
    before = dict(plane.metrics.endpoint_counts)
    flow = plane.send("default/web:80", from_="node-2", requests=300, duration=0.3)
    while sim.time < max(flow.stop, keep.stop) + 0.1:
        sim.step()
    new = {k: v - before.get(k, 0) for k, v in plane.metrics.endpoint_counts.items()}
    # the keep-alive connection opened under iptables still goes to its pod (conntrack)
    assert int(keep.conn_eid[0]) == pinned or keep.conn_left[0] == 0
    # new connections from node-2 now go through IPVS rr: an exact round robin over 3 servers
    rr = [v for k, v in new.items()]
    assert sum(rr) >= 300 and max(rr) - min(rr) <= 400  # the keep-alive stream lands on one pod only
    # node-2's IPVS virtual server counts the connections it balanced
    assert sum(r["inactive"] for r in plane.connections() if r["node"] == "node-2") == 300


def test_scale_to_zero_uses_terminating_endpoints_until_they_are_gone():
    sim = settled(cluster(ingress=False))
    plane = sim.dataplane
    from core.model import TimelineEvent

    sim.schedule(TimelineEvent(sim.time, "scale", "default/web", 0))
    flow = plane.send("default/web:80", from_="node-1", requests=1000, duration=10.0)
    refused_at = None
    while sim.time < flow.stop:
        t = sim.step().traffic
        if t.dropped.get("refused") and refused_at is None:
            refused_at = sim.time
    m = plane.metrics
    # serving+terminating pods keep answering through the fallback (domain.md a.7) during the termination
    # grace (classroom: 3 s); when they are gone, kube-proxy still sends to them until its next sync
    # (1 s at 100 requests/s: at most ~110 timeouts), then nothing is left: REJECT, refused at once
    assert m.delivered > 0 and m.dropped.get("refused", 0) > 0
    assert m.dropped.get("timeout_dead_endpoint", 0) <= 120
    assert refused_at is not None and refused_at > flow.start + 2.5


def test_userspace_retries_another_backend_after_a_failed_connect():
    results = {}
    for mode in ("iptables", "userspace"):
        sim = settled(cluster(mode=mode, ingress=False))
        from core.model import TimelineEvent

        victim = next(p.node for p in sim.state.pods.values() if p.labels.get("app") == "web")
        client = next(n for n in sim.state.nodes if n != victim)
        sim.schedule(TimelineEvent(sim.time, "failNode", victim))
        flow = sim.dataplane.send("default/web:80", from_=client, requests=2000, duration=4.0)
        while sim.time < flow.stop:
            sim.step()
        results[mode] = sim.dataplane.metrics
    assert results["iptables"].dropped.get("timeout_dead_endpoint", 0) > 300  # ~1/3 of connections time out
    assert results["userspace"].dropped.get("timeout_dead_endpoint", 0) == 0  # kube-proxy retried elsewhere
    assert results["userspace"].latency.percentile(99) > 200  # ... after a failed connect (250 ms)


def test_chart_series_connections_and_expected_shares():
    sim = settled(cluster(mode="ipvs", scheduler="lc", ingress=False))
    plane = sim.dataplane
    _send(sim, "default/web:80", n=600, from_="node-1", addresses=5)
    m = plane.metrics
    keys = [k for k in m.endpoint_series if k[0] == "default/web:http"]
    assert len(keys) == 3
    total = sum(m.endpoint_series[k].data()[1].sum() for k in keys)
    assert total == m.delivered == 600
    t, shares = m.share_series("default/web:http")
    tot = sum(shares.values())
    assert t.size == len(m.throughput) and (tot > 0).any() and np.allclose(tot[tot > 0], 1.0, atol=1e-9)
    rows = plane.connections()
    # lc on node-1: every closed connection is an inactive entry for 120 s (TIME_WAIT); none active
    mine = [r for r in rows if r["node"] == "node-1"]
    assert sum(r["inactive"] for r in mine) == 600 and sum(r["active"] for r in mine) == 0
    # lc balances on (active << 8) + inactive: the inactive counts differ by at most one
    inact = sorted(r["inactive"] for r in mine)
    assert inact[-1] - inact[0] <= 1
    assert sum(plane.expected_shares("default/web:http").values()) == pytest.approx(1.0)
    # the totals' shares and Jain's index: lc spread 600 connections over 3 pods within one
    assert sum(m.shares("default/web:http").values()) == pytest.approx(1.0)
    assert m.fairness("default/web:http") > 0.999


def test_lb_with_etp_local_sends_only_to_nodes_whose_health_check_passes():
    sim = settled(cluster(replicas=1, etp="Local", ingress=False))
    pod_node = next(p.node for p in sim.state.pods.values() if p.labels.get("app") == "web")
    sim.dataplane.trace.limit = 300
    m = _send(sim, "203.0.113.10:80", n=300, from_="laptop")
    # healthCheckNodePort answers only where a local ready endpoint is: every request enters that node,
    # keeps its client source (no SNAT) and is delivered
    assert m.delivered == 300 and not m.dropped
    lb_hops = [t["hops"][0]["rule"] for t in sim.dataplane.trace.traces]
    assert all(r.endswith(f"-> {pod_node}") for r in lb_hops)


def test_ipvs_itp_local_without_local_endpoint_has_no_real_server():
    # one replica; a client pod on a node without it. iptables/nftables DROP (filter "has no local
    # endpoints"); IPVS programs the virtual server with the empty local list: ICMP unreachable
    for mode, reason in (("iptables", "no_local_endpoints"), ("nftables", "no_local_endpoints"),
                         ("ipvs", "no_destination")):
        sim = settled(cluster(replicas=1, mode=mode, itp="Local", ingress=False))
        node = _empty_node(sim)
        m = _send(sim, "default/web:80", n=60, from_=node)
        assert m.dropped == {reason: 60}, mode


def test_requests_see_a_failure_only_from_the_instant_it_happens():
    # the engine cuts a tick at control-plane events: nothing sent before the failure instant is lost
    sim = settled(cluster(ingress=False))
    plane = sim.dataplane
    plane.trace.limit = 100000
    from core.model import TimelineEvent

    at = sim.time + 1.05  # inside a 0.1 s tick
    victim = next(p.node for p in sim.state.pods.values() if p.labels.get("app") == "web")
    sim.schedule(TimelineEvent(at, "failNode", victim))
    client = next(n for n in sim.state.nodes if n != victim)
    flow = plane.send("default/web:80", from_=client, requests=3000, duration=3.0, addresses=30)
    while sim.time < flow.stop:
        sim.step()
    failed = [t["time"] for t in plane.trace.traces if t["outcome"] != "delivered"]
    assert failed and min(failed) >= at
    before = [t for t in plane.trace.traces if t["time"] < at]
    assert before and all(t["outcome"] == "delivered" for t in before)
    t, v = plane.metrics.throughput.data()
    assert np.all(np.diff(t) > 0)  # one chart row per engine step, never two for one tick


def test_ipvs_deletes_drained_real_servers_so_mh_stops_failing():
    # mh keeps a quiesced (weight 0) server's table slots: its clients get no destination until
    # kube-proxy's once-a-minute graceful-termination check deletes the server with no connections left
    sim = settled(cluster(mode="ipvs", scheduler="mh", ingress=False))
    plane = sim.dataplane
    from core.model import TimelineEvent

    victim = next(p.node for p in sim.state.pods.values() if p.labels.get("app") == "web")
    client = next(n for n in sim.state.nodes if n != victim)
    sim.schedule(TimelineEvent(sim.time, "failNode", victim))
    flow = plane.send("default/web:80", from_=client, requests=30000, duration=300.0, addresses=200)
    while sim.time < flow.stop:
        sim.step(1.0)
    t, v = plane.metrics.drop_series.get("no_destination", None).data() if "no_destination" in \
        plane.metrics.drop_series else (np.zeros(1), np.zeros((1, 1)))
    # quiesced at ~+6 s, inactive entries expire 120 s after their last connection, then the next check
    late = t > flow.start + 200.0
    assert v[late].sum() == 0
