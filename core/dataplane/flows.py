"""Traffic flows: seeded request arrivals, client addresses and ports, and the connection model.

A ``Flow`` is one Traffic object (or a ``podpath route --to`` what-if): a client with K source addresses
sending requests to a target at a rate. Arrivals in a tick are Poisson(rate * dt) at uniform times
(or an exact count, for ``--requests``). Each request is sent from one of the K addresses, chosen at
random. With ``connection: new`` every request opens a connection from a fresh ephemeral port
(32768-60999, Linux's ``ip_local_port_range``); with ``keepalive`` each address keeps one connection
open for ``requests_per_connection`` requests, pinned by conntrack to the endpoint its first packet was
sent to -- kube-proxy balances connections, not requests.
"""

from __future__ import annotations

import ipaddress
import zlib
from dataclasses import dataclass, field

import numpy as np

from core.dataplane.tables import ip_to_u32
from core.dataplane.targets import ParsedTarget, TargetError, parse_target
from core.model import ClientSpec, TrafficSpec

EPHEMERAL_PORTS = (32768, 61000)  # Linux net.ipv4.ip_local_port_range default: 32768-60999
PLANE_STREAM = 1  # SeedSequence spawn keys: (PLANE_STREAM,) the data plane's own stream,
FLOW_STREAM = 2  # (FLOW_STREAM, crc32 of the flow's key, n) the n-th flow with that key


def flow_rng(seed: int, key: str, n: int = 0, part: int = 1) -> np.random.Generator:
    """A flow's own random streams, keyed by the seed and the flow (not by the order flows were added, nor
    by how time is sliced): ``part`` 0 the client side (arrival times, source addresses and ports), so that
    the same scenario in another proxy mode sends the very same requests; ``part`` 1 the cluster side
    (kube-proxy's picks, the load balancer's and DNS's choices)."""
    return np.random.default_rng(np.random.SeedSequence(
        seed, spawn_key=(FLOW_STREAM, zlib.crc32(key.encode()), n, part)))


@dataclass
class Flow:
    """One stream of requests from a client to a target, with its live connection table."""

    name: str
    client: ClientSpec
    target: ParsedTarget
    rate: float
    requests_per_connection: int = 1
    start: float = 0.0
    stop: float | None = None
    addresses: np.ndarray = field(default_factory=lambda: np.zeros(1, np.uint32))
    client_node: str | None = None  # internal clients: the node their pod runs on
    budget: int | None = None  # exact number of requests still to send (None: Poisson at ``rate``)
    # per source address: the open connection (endpoint id or -1), requests left on it, its proxy node
    conn_eid: np.ndarray = field(init=False)
    conn_left: np.ndarray = field(init=False)
    conn_node: np.ndarray = field(init=False)
    conn_vs: np.ndarray = field(init=False)
    conn_masq: np.ndarray = field(init=False)
    conn_lb: np.ndarray = field(init=False)
    conn_port: np.ndarray = field(init=False)
    sent: int = 0
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0), repr=False)  # picks
    arrival_rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(1), repr=False)

    def stream_key(self) -> str:
        """What identifies this flow for its random stream: name, client and target."""
        return f"{self.name}\0{self.client.name}\0{self.target.text}"

    def __post_init__(self) -> None:
        k = len(self.addresses)
        self.conn_eid = np.full(k, -1, np.int64)
        self.conn_left = np.zeros(k, np.int64)
        self.conn_node = np.full(k, -1, np.int64)
        self.conn_vs = np.full(k, -1, np.int64)
        self.conn_masq = np.zeros(k, bool)
        self.conn_lb = np.zeros(k, bool)
        self.conn_port = np.zeros(k, np.int64)

    @property
    def internal(self) -> bool:
        return self.client.location == "internal"

    @property
    def keepalive(self) -> bool:
        return self.requests_per_connection > 1

    def arrivals(self, t0: float, t1: float, rng: np.random.Generator) -> np.ndarray:
        """Sorted arrival times in [t0, t1)."""
        lo = max(t0, self.start)
        hi = t1 if self.stop is None else min(t1, self.stop)
        if hi <= lo:
            return np.zeros(0)
        if self.budget is not None:
            total_left = self.budget
            # spread the budget evenly over the remaining active time, at least one tick's worth
            span_left = max((self.stop if self.stop is not None else hi) - lo, hi - lo)
            n = total_left if span_left <= (hi - lo) + 1e-12 else int(round(total_left * (hi - lo) / span_left))
            n = min(max(n, 0), total_left)
            self.budget -= n
        else:
            n = int(rng.poisson(self.rate * (hi - lo)))
        if n == 0:  # most 10 ms pieces of a slow flow; drawing no uniforms leaves the generator as it is
            return np.zeros(0)
        return np.sort(rng.uniform(lo, hi, n))


def client_addresses(client: ClientSpec, k: int, pod_cidr: str | None, taken: set[int] | frozenset[int] = frozenset()
                     ) -> np.ndarray:
    """K source addresses. An external client: its IP and the next K-1 addresses. An in-cluster client is K
    pods of its node, so every address is a pod address of the node's podCIDR: never the network address,
    the bridge gateway ``.1`` or the broadcast address, and none a running pod holds (``taken``, uint32).
    They are taken from the top of the range downwards (host-local allocates pods from ``.2`` upwards), the
    client's own ``ip`` first when it has one. More clients than free pod addresses is a ``TargetError``."""
    if client.location == "internal":
        if pod_cidr is None:
            raise ValueError(f"client {client.name}: its node has no podCIDR")
        net = ipaddress.IPv4Network(pod_cidr)
        first, last = int(net.network_address) + 2, int(net.broadcast_address) - 1
        usable = max(0, last - first + 1)
        own = ip_to_u32(client.ip) if client.ip else None
        blocked = {t for t in taken if first <= t <= last and t != own}
        free = usable - len(blocked)
        if k > free:
            raise TargetError(
                f"client {client.name}: {k} in-cluster client addresses do not fit node {client.node}'s podCIDR "
                f"{pod_cidr}: it has {usable} pod addresses ({net.network_address + 2} to "
                f"{net.broadcast_address - 1}), {free} of them free; use --clients {max(free, 1)} or fewer")
        picks: list[int] = [own] if own is not None else []
        addr = last
        while len(picks) < k:
            if addr not in blocked and addr != own:
                picks.append(addr)
            addr -= 1
        return np.array(picks[:k], dtype=np.uint64).astype(np.uint32)
    base = ip_to_u32(client.ip or "198.51.100.10")
    return (base + np.arange(k, dtype=np.uint64)).astype(np.uint32)


def flow_from_traffic(spec: TrafficSpec, client: ClientSpec, pod_cidr: str | None, k: int = 1,
                      taken: set[int] | frozenset[int] = frozenset()) -> Flow:
    target = parse_target(spec.target)
    if target.kind == "url" and spec.http_path != "/" and target.path == "/":
        target = ParsedTarget(target.kind, target.host, target.port, spec.http_path, target.text)
    r = spec.requests_per_connection if spec.connection == "keepalive" else 1
    return Flow(spec.name, client, target, spec.rate, max(1, r), spec.start, spec.stop,
                client_addresses(client, k, pod_cidr, taken), client.node if client.location == "internal" else None)
