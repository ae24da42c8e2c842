"""kube-proxy nftables mode: ``numgen random mod N vmap {...}`` over the sorted endpoints, vectorised.

domain.md c.1: one rule per service chain; endpoints in the same sorted order as iptables mode. The kernel
(``nft_numgen.c``) computes ``reciprocal_scale(get_random_u32(), N) = (u32 * N) >> 32``, so endpoint i
gets exactly ``ceil((i+1)*2^32/N) - ceil(i*2^32/N)`` of the 2^32 draws.
"""

from __future__ import annotations

import numpy as np

from core.proxy.balancer import Balancer

U32 = 1 << 32


def numgen_shares(n: int) -> np.ndarray:
    """Exact share of each of n endpoints under ``reciprocal_scale(u32, n)``."""
    if n == 0:
        return np.zeros(0)
    edges = [-(-i * U32 // n) for i in range(n + 1)]
    return np.asarray([(edges[i + 1] - edges[i]) / U32 for i in range(n)])


class NftablesBalancer(Balancer):
    """``service-<hash>-ns/name/proto/port`` chain of one service on one node."""

    mode = "nftables"

    def _set_endpoints(self, keys: list[str], weights: list[int], now: float) -> None:
        self.endpoint_keys = sorted(keys)
        n = len(self.endpoint_keys)
        self.active = np.zeros(n, dtype=np.int64)
        self.inactive = np.zeros(n, dtype=np.int64)

    def _schedule(self, src_ip, src_port, dst_ip, now, rng, alive) -> np.ndarray:
        n = len(self.endpoint_keys)
        if n == 0:
            return np.full(src_ip.size, -1, dtype=np.int64)  # goto reject-chain via no-endpoint-services
        u = rng.integers(0, U32, size=src_ip.size, dtype=np.uint64)
        u *= np.uint64(n)  # in place: u32 * n < 2^64
        u >>= np.uint64(32)
        return u.view(np.int64)

    def expected_shares(self) -> np.ndarray:
        return numgen_shares(len(self.endpoint_keys))

    def _describe(self, i: int, j: int) -> str:
        if j < 0:
            return "service-ips -> no-endpoint-services: goto reject-chain"
        return f"numgen random mod {len(self.endpoint_keys)} -> {j} : goto endpoint {self.endpoint_keys[j]}"

    def _describe_affinity(self, j: int) -> str:
        return f"ip saddr @affinity-{j} goto endpoint {self.endpoint_keys[j]}"
