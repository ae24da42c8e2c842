"""Property: every request is accounted for -- sent = delivered + dropped by reason -- in any cluster,
mode, policy, target and failure schedule; and nothing is delivered to a pod that is not running."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.model import IPVS_SCHEDULERS, TimelineEvent
from tests.core.dataplane_fixtures import cluster, settled

TARGETS = ["default/web:80", "web.default.svc.cluster.local:80", "192.168.0.10:30080", "192.168.0.12:30081",
           "203.0.113.10:80", "http://shop.example.com/a", "http://nowhere.example.com/", "10.96.100.10:80",
           "web-headless.default:8080", "docs.default:443", "default/web:9999", "10.244.0.2:8080"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicas=st.integers(0, 4), mode=st.sampled_from(["iptables", "nftables", "ipvs", "userspace"]),
       scheduler=st.sampled_from(IPVS_SCHEDULERS), etp=st.sampled_from(["Cluster", "Local"]),
       itp=st.sampled_from(["Cluster", "Local"]), affinity=st.booleans(), target=st.sampled_from(TARGETS),
       src=st.sampled_from(["node-1", "node-3", "laptop"]), keepalive=st.sampled_from([1, 1, 7]),
       fail=st.one_of(st.none(), st.tuples(st.sampled_from(["node-1", "node-2", "node-3"]),
                                           st.floats(0.0, 4.0))))
def test_every_request_is_accounted_for(replicas, mode, scheduler, etp, itp, affinity, target, src, keepalive,
                                         fail):
    sim = settled(cluster(replicas, mode=mode, scheduler=scheduler, etp=etp, itp=itp, affinity=affinity),
                  until=6.0)
    plane = sim.dataplane
    if fail is not None:
        sim.schedule(TimelineEvent(sim.time + fail[1], "failNode", fail[0]))
    flow = plane.send(target, from_=src, requests=400, duration=8.0, addresses=3, keepalive=keepalive)
    seen = 0
    while sim.time < flow.stop + 0.2:
        tick = sim.step()
        t = tick.traffic
        assert t.sent == t.delivered + sum(t.dropped.values())
        seen += t.sent
        # delivered requests reached pods that run on nodes that are up
        for (_svc, pod, ip, _port, node), _n in t.endpoint_counts.items():
            if pod.startswith("/"):  # ExternalName: outside the cluster
                continue
            ns, name = pod.split("/", 1)
            p = sim.state.pods.get((ns, name))
            assert p is not None and p.ip == ip and p.node == node
    m = plane.metrics
    assert seen == m.sent == 400
    assert m.sent == m.delivered + sum(m.dropped.values())
