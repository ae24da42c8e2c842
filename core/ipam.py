"""IP address and port allocation as kube-apiserver, kube-controller-manager and host-local IPAM do it.

* Service ClusterIPs (``ServiceCIDRAllocator``): the range's first usable address belongs to the
  ``kubernetes`` Service; the lower ``offset = min(max(16, size/16), 256)`` addresses form the static
  band; automatic allocation picks at random from the upper (dynamic) band first and falls back to the
  static band only when the upper one is full (k/k ipallocator ``calculateRangeOffset``).
* NodePorts (``PortAllocator``): same band scheme with ``offset = min(max(16, size/32), 128)``.
* Node podCIDRs (``PodCIDRAllocator``): one ``/node_cidr_mask_size`` per node out of the pod subnet, in
  order, keeping the CIDRs nodes already carry.
* Pod IPs (``PodIPAllocator``): host-local IPAM inside the node's podCIDR: ``.1`` is the bridge, the
  first pod gets ``.2``, then the next address after the last one handed out (wrapping), never one that a
  live pod still holds. A pod's pinned ``status.podIP`` is kept when it is inside the podCIDR and free --
  ``.1`` included, which only bridge CNIs reserve (``claim``). A Pod written in the scenario without one gets an
  address derived from its identity (``allocate_for``): a file records no pod IPs, and an object's address
  must not depend on which other pods were created before it.

Stable addresses. A real cluster records every allocation in the object (``spec.clusterIP``,
``spec.ports[].nodePort``, ``spec.podCIDR``), so an address belongs to its object until the object is
deleted. A scenario file usually carries none of them, so PodPath derives each automatic allocation from the
object's identity instead of from the order of a random stream: ``allocate_for(key)`` starts at a slot
computed from ``key`` (``preferred_slot``: a SHA-256 of ``salt/key``, or for names ending in an ordinal --
``node-3``, ``kind-worker2`` -- the ordinal, so ``node-1`` keeps the first podCIDR and the first node IP as
kubeadm clusters usually show) and probes the following slots with wrap-around, dynamic band before static
band, exactly like the apiserver's random scan. Adding, removing or editing one object therefore leaves every
other object's addresses alone, live or after save and reload, unless two identities land on the same slot --
then the one allocated first (file order) keeps it and the other takes the next free slot.

Errors are ``AllocationError`` with a ``reason`` of ``"not_in_range"``, ``"already_allocated"`` or
``"full"`` and kube-apiserver's wording in ``str()``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass

import numpy as np


class AllocationError(ValueError):
    """An address or port could not be allocated; ``reason`` says why."""

    def __init__(self, reason: str, message: str, value: object = None):
        super().__init__(message)
        self.reason = reason
        self.value = value


def service_range_offset(size: int) -> int:
    """Static-band size of a service CIDR of ``size`` addresses (ipallocator calculateRangeOffset)."""
    if size <= 16:
        return 0
    return int(min(max(16, size // 16), 256))


def port_range_offset(size: int) -> int:
    """Static-band size of a port range of ``size`` ports (portallocator calculateRangeOffset)."""
    if size <= 16:
        return 0
    return int(min(max(16, size // 32), 128))


_ORDINAL = re.compile(r"(\d+)$")


def identity_hash(key: str, salt: int | str = 0) -> int:
    """A 64-bit hash of ``salt/key`` (first 8 bytes of SHA-256, big-endian): same key, same number, on every
    machine and Python run (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(f"{salt}/{key}".encode()).digest()[:8], "big")


def preferred_slot(key: str, n: int, salt: int | str = 0, ordinal: bool = False) -> int:
    """Where ``allocate_for`` starts probing among ``n`` slots. With ``ordinal`` a key ending in a number
    ``k >= 1`` (``node-3``) prefers slot ``k - 1`` (mod ``n``); otherwise the identity hash mod ``n``."""
    if n <= 0:
        return 0
    if ordinal:
        m = _ORDINAL.search(key)
        if m and int(m.group(1)) >= 1:
            return (int(m.group(1)) - 1) % n
    return identity_hash(key, salt) % n


def _probe(used: set[int], lo: int, n: int, start: int) -> int | None:
    """The first index of ``lo + (start + k) % n`` (k = 0, 1, ...) that is not in ``used``."""
    for k in range(n):
        idx = lo + (start + k) % n
        if idx not in used:
            return idx
    return None


def _pick(rng: np.random.Generator, free_upper: list[int], free_lower: list[int]) -> int | None:
    if free_upper:
        return free_upper[int(rng.integers(len(free_upper)))]
    if free_lower:
        return free_lower[int(rng.integers(len(free_lower)))]
    return None


class _BandAllocator:
    """Shared bitmap logic: indices ``0..max-1``, the first ``offset`` of them the static band."""

    def __init__(self, size: int, offset: int):
        self.size = size
        self.offset = offset
        self.used: set[int] = set()

    def _allocate_next_index(self, rng: np.random.Generator) -> int | None:
        # Random start in the dynamic band, scan with wrap-around; then the same over the static band
        # (ipallocator randomScanStrategyWithOffset).
        if len(self.used) >= self.size:
            return None
        for lo, n in ((self.offset, self.size - self.offset), (0, self.offset)):
            if n <= 0:
                continue
            start = int(rng.integers(n))
            for k in range(n):
                idx = lo + (start + k) % n
                if idx not in self.used:
                    self.used.add(idx)
                    return idx
        return None


    def _allocate_index_for(self, key: str, salt: int | str) -> int | None:
        """Keyed scan: the dynamic band from ``preferred_slot(key)``, then the static band likewise."""
        if len(self.used) >= self.size:
            return None
        for lo, n in ((self.offset, self.size - self.offset), (0, self.offset)):
            if n <= 0:
                continue
            idx = _probe(self.used, lo, n, preferred_slot(key, n, salt))
            if idx is not None:
                self.used.add(idx)
                return idx
        return None


class ServiceCIDRAllocator(_BandAllocator):
    """ClusterIP allocation within ``--service-cluster-ip-range`` (IPv4)."""

    def __init__(self, cidr: str):
        self.network = ipaddress.IPv4Network(cidr, strict=True)
        size = self.network.num_addresses
        # network address and broadcast are never handed out
        super().__init__(max(0, size - 2), service_range_offset(size))
        self.base = int(self.network.network_address) + 1

    @property
    def kubernetes_ip(self) -> str:
        """The first address, reserved for the ``default/kubernetes`` Service."""
        return str(ipaddress.IPv4Address(self.base))

    def static_band(self) -> tuple[str, str]:
        """First and last address of the static band (inclusive)."""
        return (str(ipaddress.IPv4Address(self.base)),
                str(ipaddress.IPv4Address(self.base + self.offset - 1)))

    def allocate(self, ip: str) -> str:
        """Reserve a user-chosen address; raises AllocationError as the apiserver would refuse it."""
        try:
            addr = ipaddress.IPv4Address(ip)
        except ValueError as exc:
            raise AllocationError("invalid", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                                  ip) from exc
        idx = int(addr) - self.base
        if addr not in self.network or not (0 <= idx < self.size):
            raise AllocationError(
                "not_in_range",
                f"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. "
                f"The range of valid IPs is {self.network}", ip)
        if idx in self.used:
            raise AllocationError("already_allocated",
                                  f"failed to allocate IP {ip}: provided IP is already allocated", ip)
        self.used.add(idx)
        return str(addr)

    def allocate_next(self, rng: np.random.Generator) -> str:
        idx = self._allocate_next_index(rng)
        if idx is None:
            raise AllocationError("full", "failed to allocate a serviceIP: range is full")
        return str(ipaddress.IPv4Address(self.base + idx))

    def allocate_for(self, key: str, salt: int | str = 0) -> str:
        """A ClusterIP derived from ``key`` (e.g. ``Service/ns/name``), stable whatever else is allocated."""
        idx = self._allocate_index_for(key, salt)
        if idx is None:
            raise AllocationError("full", "failed to allocate a serviceIP: range is full")
        return str(ipaddress.IPv4Address(self.base + idx))

    def release(self, ip: str) -> None:
        self.used.discard(int(ipaddress.IPv4Address(ip)) - self.base)


class PortAllocator(_BandAllocator):
    """NodePort allocation within ``--service-node-port-range``."""

    def __init__(self, lo: int = 30000, hi: int = 32767):
        self.lo, self.hi = lo, hi
        size = hi - lo + 1
        super().__init__(size, port_range_offset(size))

    def static_band(self) -> tuple[int, int]:
        return (self.lo, self.lo + self.offset - 1)

    def allocate(self, port: int) -> int:
        if not (self.lo <= port <= self.hi):
            raise AllocationError(
                "not_in_range",
                f"provided port is not in the valid range. The range of valid ports is {self.lo}-{self.hi}",
                port)
        if port - self.lo in self.used:
            raise AllocationError("already_allocated", "provided port is already allocated", port)
        self.used.add(port - self.lo)
        return port

    def allocate_next(self, rng: np.random.Generator) -> int:
        idx = self._allocate_next_index(rng)
        if idx is None:
            raise AllocationError("full", "range is full")
        return self.lo + idx

    def allocate_for(self, key: str, salt: int | str = 0) -> int:
        """A nodePort derived from ``key`` (e.g. ``Service/ns/name/port/TCP/80``)."""
        idx = self._allocate_index_for(key, salt)
        if idx is None:
            raise AllocationError("full", "range is full")
        return self.lo + idx

    def release(self, port: int) -> None:
        self.used.discard(port - self.lo)


class PodCIDRAllocator:
    """One podCIDR per node out of the cluster's pod subnet (nodeipam range allocator)."""

    def __init__(self, pod_subnet: str = "10.244.0.0/16", mask_size: int = 24):
        self.network = ipaddress.IPv4Network(pod_subnet, strict=True)
        if mask_size < self.network.prefixlen:
            raise AllocationError("invalid", f"node CIDR mask size {mask_size} is shorter than the pod subnet "
                                  f"{pod_subnet}")
        self.mask_size = mask_size
        self.count = 1 << (mask_size - self.network.prefixlen)
        self.block = 1 << (32 - mask_size)
        self.used: set[int] = set()
        self._next = 0

    def occupy(self, cidr: str) -> str:
        net = ipaddress.IPv4Network(cidr, strict=True)
        if net.prefixlen != self.mask_size or not net.subnet_of(self.network):
            raise AllocationError("not_in_range",
                                  f"podCIDR {cidr} is not a /{self.mask_size} inside the pod subnet {self.network}",
                                  cidr)
        idx = (int(net.network_address) - int(self.network.network_address)) // self.block
        if idx in self.used:
            raise AllocationError("already_allocated", f"podCIDR {cidr} is already allocated", cidr)
        self.used.add(idx)
        return str(net)

    def allocate_next(self) -> str:
        for k in range(self.count):
            idx = (self._next + k) % self.count
            if idx not in self.used:
                self.used.add(idx)
                self._next = idx + 1
                base = int(self.network.network_address) + idx * self.block
                return f"{ipaddress.IPv4Address(base)}/{self.mask_size}"
        raise AllocationError("full", f"no remaining CIDRs left to allocate in the pod subnet {self.network}")

    def allocate_for(self, node_name: str) -> str:
        """The podCIDR of ``node_name``: its ordinal's block (``node-2`` -> the second), else a hashed one."""
        idx = _probe(self.used, 0, self.count, preferred_slot(node_name, self.count, ordinal=True))
        if idx is None:
            raise AllocationError("full", f"no remaining CIDRs left to allocate in the pod subnet {self.network}")
        self.used.add(idx)
        base = int(self.network.network_address) + idx * self.block
        return f"{ipaddress.IPv4Address(base)}/{self.mask_size}"

    def release(self, cidr: str) -> None:
        net = ipaddress.IPv4Network(cidr)
        self.used.discard((int(net.network_address) - int(self.network.network_address)) // self.block)


@dataclass
class PodIPAllocator:
    """host-local IPAM for one node's podCIDR: gateway ``.1``, pods from ``.2``, round-robin reuse."""

    cidr: str

    def __post_init__(self) -> None:
        net = ipaddress.IPv4Network(self.cidr, strict=True)
        self._base = int(net.network_address)
        self._size = net.num_addresses
        self._first = 2  # .0 network, .1 bridge/gateway
        self._last = self._size - 2  # broadcast excluded
        self._last_reserved = self._first - 1
        self.in_use: set[int] = set()

    @property
    def gateway(self) -> str:
        return str(ipaddress.IPv4Address(self._base + 1))

    @property
    def capacity(self) -> int:
        return max(0, self._last - self._first + 1)

    def contains(self, ip: str) -> bool:
        off = int(ipaddress.IPv4Address(ip)) - self._base
        return self._first <= off <= self._last

    def claimable(self, ip: str) -> bool:
        """Whether a pod may keep ``ip`` (its pinned ``status.podIP``): inside the podCIDR, neither the network
        nor the broadcast address, and free. ``.1`` is allowed: only bridge CNIs keep it for the gateway
        (Calico, Cilium and other routed CNIs hand it to pods); automatic allocation still starts at ``.2``."""
        off = int(ipaddress.IPv4Address(ip)) - self._base
        return 1 <= off <= self._last and off not in self.in_use

    def claim(self, ip: str) -> str:
        """Keep an address a pod already carries (status.podIP); refuses one outside the CIDR or taken."""
        off = int(ipaddress.IPv4Address(ip)) - self._base
        if not (1 <= off <= self._last):
            raise AllocationError("not_in_range", f"{ip} is not a pod address of podCIDR {self.cidr}", ip)
        if off in self.in_use:
            raise AllocationError("already_allocated", f"{ip} is already held by another pod", ip)
        self.in_use.add(off)
        return ip

    def allocate_next(self) -> str:
        n = self.capacity
        for k in range(1, n + 1):
            off = self._first + (self._last_reserved - self._first + k) % n
            if off not in self.in_use:
                self.in_use.add(off)
                self._last_reserved = off
                return str(ipaddress.IPv4Address(self._base + off))
        raise AllocationError("full", f"no IP addresses available in range set: {self.cidr}")

    def allocate_for(self, key: str) -> str:
        """An address derived from ``key`` (a Pod written in the scenario: ``ns/name``) -- ``.2`` up to the last
        before broadcast, at ``preferred_slot(key)``, probing on -- so that the Pod keeps it whatever other
        pods the node runs. Does not move host-local's own "last reserved" pointer."""
        n = self.capacity
        off = _probe(self.in_use, self._first, n, preferred_slot(key, n)) if n > 0 else None
        if off is None:
            raise AllocationError("full", f"no IP addresses available in range set: {self.cidr}")
        self.in_use.add(off)
        return str(ipaddress.IPv4Address(self._base + off))

    def release(self, ip: str) -> None:
        self.in_use.discard(int(ipaddress.IPv4Address(ip)) - self._base)


def pinned_pod_ip_problem(ip: str, cidr: str) -> str | None:
    """Why a pod cannot keep ``ip`` as its address in node podCIDR ``cidr`` (None: it can, ``.1`` included)."""
    net = ipaddress.IPv4Network(cidr, strict=False)
    addr = ipaddress.IPv4Address(ip)
    if addr not in net:
        return f"it is not in the node's podCIDR {net}"
    if net.num_addresses > 2 and addr == net.network_address:
        return f"it is the network address of podCIDR {net}"
    if net.num_addresses > 2 and addr == net.broadcast_address:
        return f"it is the broadcast address of podCIDR {net}"
    return None


def first_free_pod_ip(cidr: str, taken: set[str]) -> str | None:
    """The first address from ``.2`` up (host-local's first pick) that is not in ``taken``."""
    net = ipaddress.IPv4Network(cidr, strict=False)
    base = int(net.network_address)
    for off in range(2, net.num_addresses - 1):
        ip = str(ipaddress.IPv4Address(base + off))
        if ip not in taken:
            return ip
    return None


class SequentialIPAllocator:
    """Hands out addresses of a plain network in order from ``start`` (node IPs, LB IPs, client IPs)."""

    def __init__(self, cidr: str, start: int = 10):
        self.network = ipaddress.IPv4Network(cidr, strict=True)
        self._base = int(self.network.network_address)
        self._next = start
        self._start = start
        self.used: set[str] = set()
        self._used_idx: set[int] = set()  # the same addresses as offsets from the network address

    def occupy(self, ip: str) -> str:
        if ip in self.used:
            raise AllocationError("already_allocated", f"address {ip} is already in use", ip)
        self.used.add(ip)
        try:
            self._used_idx.add(int(ipaddress.IPv4Address(ip)) - self._base)
        except ValueError:
            pass  # not an IPv4 address: it can never collide with one handed out here
        return ip

    def allocate_next(self) -> str:
        while self._next < self.network.num_addresses - 1:
            ip = str(ipaddress.IPv4Address(self._base + self._next))
            self._next += 1
            if ip not in self.used:
                self.used.add(ip)
                self._used_idx.add(self._next - 1)
                return ip
        raise AllocationError("full", f"no free address left in {self.network}")

    def allocate_for(self, key: str) -> str:
        """An address derived from ``key`` (ordinal-first, see ``preferred_slot``) between ``start`` and the
        last address before broadcast."""
        last = self.network.num_addresses - 2
        n = last - self._start + 1
        idx = _probe(self._used_idx, self._start, n, preferred_slot(key, n, ordinal=True)) if n > 0 else None
        if idx is None:
            raise AllocationError("full", f"no free address left in {self.network}")
        ip = str(ipaddress.IPv4Address(self._base + idx))
        self.used.add(ip)
        self._used_idx.add(idx)
        return ip
