"""ClientIP session affinity per mode (domain.md a.5, c.2): sticky until timeout, then rescheduled."""

import numpy as np
import pytest

from core.proxy import make_balancer

KEYS = [f"10.244.{i // 50}.{i % 50 + 2}:8080" for i in range(100)]


def one(b, ip, now, rng):
    out = b.pick(np.array([ip], np.uint32), np.array([40000]), now, rng)
    return int(out[0]), bool(b.last_by_affinity[0])


@pytest.mark.parametrize("mode", ["iptables", "nftables", "userspace", "ipvs"])
def test_sticky_until_timeout_then_rescheduled(mode):
    rng = np.random.default_rng(1)
    b = make_balancer(mode, "rr", affinity_timeout=10800)
    b.set_endpoints(KEYS)
    first, by_aff = one(b, 7, 0.0, rng)
    assert not by_aff
    # every new connection refreshes the entry (xt_recent --set, nft update, template, userspace lastUsed)
    assert one(b, 7, 5000.0, rng) == (first, True)
    assert one(b, 7, 15799.9, rng) == (first, True)  # 15799.9 - 5000 = 10799.9 < 10800
    # 26599.9 - 15799.9 = 10800: not < 10800 -> expired, the scheduler runs again
    _, by_aff = one(b, 7, 26599.9, rng)
    assert not by_aff


@pytest.mark.parametrize("mode", ["iptables", "nftables", "userspace", "ipvs"])
def test_repeat_clients_in_one_batch_follow_their_first_connection(mode):
    rng = np.random.default_rng(2)
    b = make_balancer(mode, "rr", affinity_timeout=60)
    b.set_endpoints(KEYS)
    ips = rng.integers(0, 20, size=500).astype(np.uint32)
    out = b.pick(ips, np.arange(500) + 1024, 0.0, rng)
    for ip in np.unique(ips):
        assert len(set(out[ips == ip].tolist())) == 1
    # exactly the first connection of each client was scheduled
    assert (~b.last_by_affinity).sum() == np.unique(ips).size
    again = b.pick(ips, np.arange(500) + 1024, 30.0, rng)
    assert np.array_equal(again, out) and b.last_by_affinity.all()


def test_removed_endpoint_drops_its_affinity_entries():
    rng = np.random.default_rng(3)
    b = make_balancer("iptables", affinity_timeout=100)
    b.set_endpoints(KEYS[:3])
    e, _ = one(b, 9, 0.0, rng)
    gone = b.endpoint_keys[e]
    b.set_endpoints([k for k in KEYS[:3] if k != gone])
    e2, by_aff = one(b, 9, 1.0, rng)
    assert not by_aff and b.endpoint_keys[e2] != gone


def test_ipvs_quiesced_template_is_not_used():
    # expire_quiescent_template=1: the real server went to weight 0 -> the template is ignored
    rng = np.random.default_rng(4)
    b = make_balancer("ipvs", "rr", affinity_timeout=100)
    b.set_endpoints(KEYS[:3])
    e, _ = one(b, 9, 0.0, rng)
    key = b.endpoint_keys[e]
    b.set_endpoints([k for k in KEYS[:3] if k != key])  # it has a connection: quiesced, not deleted
    assert key in b.endpoint_keys
    e2, by_aff = one(b, 9, 1.0, rng)
    assert not by_aff and b.endpoint_keys[e2] != key


def test_affinity_rule_texts():
    rng = np.random.default_rng(5)
    b = make_balancer("iptables", affinity_timeout=10800)
    b.set_endpoints(KEYS[:3])
    b.pick(np.array([1, 1], np.uint32), np.array([1, 2]), 0.0, rng)
    assert "-m recent --rcheck --seconds 10800 --reap" in b.describe_pick(1)
    assert "--probability" in b.describe_pick(0) or "always matches" in b.describe_pick(0)
    n = make_balancer("nftables", affinity_timeout=10800)
    n.set_endpoints(KEYS[:3])
    n.pick(np.array([1, 1], np.uint32), np.array([1, 2]), 0.0, rng)
    assert n.describe_pick(1).startswith("ip saddr @affinity-")
