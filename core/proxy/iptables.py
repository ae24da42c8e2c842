"""kube-proxy iptables mode: ``-m statistic --mode random --probability`` chains, kernel-quantised, vectorised.

domain.md a.2: for n endpoints sorted as "ip:port" strings, rule i < n-1 carries probability
``"%0.10f" % (1/(n-i))``; iptables stores ``lround(0x80000000 * p)`` and the kernel matches when
``(get_random_u32() & 0x7FFFFFFF) < stored``; the last rule always matches. Walking the chain with an
independent draw per rule is a categorical distribution over the quantised shares
``q_i * prod_{j<i}(1 - q_j)``, so a batch is one ``searchsorted`` of uniform draws over their cumulative
sum (the equivalence is checked by a chi-square test against the per-rule walk in ``reference``).
"""

from __future__ import annotations

import math

import numpy as np

from core.proxy.balancer import Balancer

STATISTIC_SCALE = 0x80000000  # 2^31


def iptables_probability_string(n_remaining: int) -> str:
    """kube-proxy ``computeProbability(k) = fmt.Sprintf("%0.10f", 1.0/float64(k))``."""
    if not isinstance(n_remaining, int) or n_remaining < 1:
        raise ValueError(f"number of remaining endpoints must be an integer >= 1, got {n_remaining!r}")
    return "%0.10f" % (1.0 / n_remaining)


def _parse_probability(p_str: str) -> float:
    try:
        p = float(p_str)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"--probability must be a decimal number in [0, 1], got {p_str!r}") from exc
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"--probability must be in [0, 1], got {p_str!r}")
    return p


def statistic_stored_value(p_str: str) -> int:
    """libxt_statistic: ``lround(0x80000000 * p)`` (round half away from zero; p >= 0)."""
    return int(math.floor(STATISTIC_SCALE * _parse_probability(p_str) + 0.5))


def iptables_save_probability(p_str: str) -> str:
    """What ``iptables-save`` prints for a rule created with ``--probability p_str``: ``%.11f`` of stored/2^31."""
    return "%.11f" % (statistic_stored_value(p_str) / STATISTIC_SCALE)


def chain_probabilities(n: int) -> list[str]:
    """Probability strings of the statistic rules of an n-endpoint chain (n-1 rules; the last is unconditional)."""
    return [iptables_probability_string(n - i) for i in range(n - 1)]


def quantised_shares(n: int) -> np.ndarray:
    """Exact share of each endpoint under the kernel's quantised per-rule match probabilities."""
    if n == 0:
        return np.zeros(0)
    shares = np.zeros(n)
    rest = 1.0
    for i, p in enumerate(chain_probabilities(n)):
        q = statistic_stored_value(p) / STATISTIC_SCALE
        shares[i] = rest * q
        rest *= 1.0 - q
    shares[n - 1] = rest
    return shares


class IptablesBalancer(Balancer):
    """KUBE-SVC/KUBE-SVL chain of one service on one node."""

    mode = "iptables"

    def __init__(self, *, affinity_timeout: float | None = None) -> None:
        super().__init__(affinity_timeout=affinity_timeout)
        self._cum = np.zeros(0)
        self._edges = np.zeros(0)
        self._near_uniform = False
        self._probs: list[str] = []

    def _set_endpoints(self, keys: list[str], weights: list[int], now: float) -> None:
        # kube-proxy's byEndpoint: lexicographic order of the "ip:port" strings (weights unused by iptables)
        self.endpoint_keys = sorted(keys)
        n = len(self.endpoint_keys)
        self._probs = chain_probabilities(n)
        self._cum = np.cumsum(quantised_shares(n))[:-1] if n else np.zeros(0)
        # bin edges 0, cum..., 1; the quantised shares are within ~n*2^-31 of 1/n, so floor(u*n) is the
        # right bin or its neighbour: two comparisons fix it (much cheaper than a binary search)
        self._edges = np.r_[0.0, self._cum, 1.0]
        self._near_uniform = n > 0 and bool(np.abs(self._edges - np.arange(n + 1) / n).max() < 0.25 / n)
        self.active = np.zeros(n, dtype=np.int64)
        self.inactive = np.zeros(n, dtype=np.int64)

    def _schedule(self, src_ip, src_port, dst_ip, now, rng, alive) -> np.ndarray:
        n = len(self.endpoint_keys)
        if n == 0:
            return np.full(src_ip.size, -1, dtype=np.int64)  # no endpoints: REJECT in the filter table
        if n == 1:
            return np.zeros(src_ip.size, dtype=np.int64)
        u = rng.random(src_ip.size)
        if not self._near_uniform:
            return np.searchsorted(self._cum, u, side="right").astype(np.int64)
        g = np.minimum((u * n).astype(np.int64), n - 1)
        e = self._edges
        return g + (u >= e[g + 1]) - (u < e[g])

    def expected_shares(self) -> np.ndarray:
        return quantised_shares(len(self.endpoint_keys))

    def _describe(self, i: int, j: int) -> str:
        if j < 0:
            return "KUBE-SERVICES: service has no endpoints -> REJECT"
        n = len(self.endpoint_keys)
        key = self.endpoint_keys[j]
        if j < n - 1:
            return f"KUBE-SVC rule {j + 1} -m statistic --mode random --probability {self._probs[j]} -> {key}"
        return f"KUBE-SVC rule {j + 1} (last, no statistic match: always matches) -> {key}"

    def _describe_affinity(self, j: int) -> str:
        t = self.affinity.timeout if self.affinity else 0
        return f"KUBE-SVC affinity rule {j + 1} -m recent --rcheck --seconds {t:g} --reap -> {self.endpoint_keys[j]}"
