"""Allocation values worked out by hand from domain.md d.1 (core.ipam)."""

import numpy as np
import pytest

from core.ipam import (
    AllocationError,
    PodCIDRAllocator,
    PodIPAllocator,
    PortAllocator,
    ServiceCIDRAllocator,
    port_range_offset,
    service_range_offset,
)


def test_nodeport_static_band_default_range():
    # size = 32767 - 30000 + 1 = 2768; offset = min(max(16, 2768 // 32 = 86), 128) = 86 -> 30000..30085
    assert port_range_offset(2768) == 86
    assert PortAllocator().static_band() == (30000, 30085)


def test_service_static_band_slash12():
    # /12 -> 2**20 addresses; offset = min(max(16, 2**20 // 16 = 65536), 256) = 256
    # allocatable addresses start at .0.1, so the static band is 10.96.0.1 .. 10.96.1.0 (256 addresses)
    assert service_range_offset(2**20) == 256
    alloc = ServiceCIDRAllocator("10.96.0.0/12")
    assert alloc.kubernetes_ip == "10.96.0.1"
    assert alloc.static_band() == ("10.96.0.1", "10.96.1.0")


def test_small_slash28_has_no_static_band():
    # /28 -> size 16 <= 16 -> offset 0; 14 allocatable addresses .1 .. .14
    assert service_range_offset(16) == 0
    alloc = ServiceCIDRAllocator("10.0.0.0/28")
    rng = np.random.default_rng(0)
    got = {alloc.allocate_next(rng) for _ in range(14)}
    assert got == {f"10.0.0.{i}" for i in range(1, 15)}
    with pytest.raises(AllocationError):
        alloc.allocate_next(rng)


def test_automatic_allocations_avoid_static_band():
    rng = np.random.default_rng(7)
    alloc = ServiceCIDRAllocator("10.96.0.0/24")  # size 256: offset max(16, 256 // 16 = 16) = 16 -> .1 .. .16
    for _ in range(200):
        ip = alloc.allocate_next(rng)
        assert int(ip.rsplit(".", 1)[1]) > 16
    ports = PortAllocator()
    for _ in range(300):
        assert ports.allocate_next(rng) >= 30086


def test_static_band_used_only_when_dynamic_full():
    # /24: 254 allocatable, 16 static -> 238 dynamic; the 239th automatic one must come from .1 .. .16
    rng = np.random.default_rng(1)
    alloc = ServiceCIDRAllocator("10.96.0.0/24")
    for _ in range(238):
        alloc.allocate_next(rng)
    assert 1 <= int(alloc.allocate_next(rng).rsplit(".", 1)[1]) <= 16


def test_user_port_errors_use_apiserver_wording():
    ports = PortAllocator()
    with pytest.raises(AllocationError, match="provided port is not in the valid range. The range of valid "
                       "ports is 30000-32767"):
        ports.allocate(29999)
    ports.allocate(30080)
    with pytest.raises(AllocationError, match="provided port is already allocated"):
        ports.allocate(30080)


def test_pod_cidrs_and_pod_ips():
    # one /24 per node out of 10.244.0.0/16, in order
    cidrs = PodCIDRAllocator("10.244.0.0/16", 24)
    assert [cidrs.allocate_next() for _ in range(3)] == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    second = PodIPAllocator("10.244.1.0/24")  # .1 is the bridge: first pods get .2 then .3
    assert second.allocate_next() == "10.244.1.2"
    assert second.allocate_next() == "10.244.1.3"


def test_host_local_reuse_order_after_release():
    # host-local continues after the last reserved address and only wraps around at the end
    a = PodIPAllocator("10.244.0.0/29")  # usable pod IPs .2 .. .6 (.7 broadcast)
    assert [a.allocate_next() for _ in range(3)] == ["10.244.0.2", "10.244.0.3", "10.244.0.4"]
    a.release("10.244.0.2")
    assert a.allocate_next() == "10.244.0.5"
    assert a.allocate_next() == "10.244.0.6"
    assert a.allocate_next() == "10.244.0.2"  # wrapped to the released one
