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


def uniform_mixture(shares: np.ndarray) -> tuple[float, np.ndarray]:
    """Write exact shares P (each within ~n * 2^-31 of 1/n) as ``(1 - eps) * uniform + eps * Q``.

    Returns ``eps`` (a little above ``max_i 1 - n * P_i``) and the cumulative sum of ``Q``. A draw
    ``u < 1 - eps`` picks ``floor(u / (1 - eps) * n)``; the rare ``u >= 1 - eps`` (about one draw in 10^8)
    picks from Q with ``(u - (1 - eps)) / eps``: exactly P, with one multiplication per draw instead of a
    search over the chain's cumulative shares.
    """
    n = shares.size
    eps = float(np.max(1.0 - n * shares)) * 1.5 + 1e-12
    q = np.maximum(shares - (1.0 - eps) / n, 0.0)
    return eps, np.cumsum(q / q.sum())


class IptablesBalancer(Balancer):
    """KUBE-SVC/KUBE-SVL chain of one service on one node."""

    mode = "iptables"

    def __init__(self, *, affinity_timeout: float | None = None) -> None:
        super().__init__(affinity_timeout=affinity_timeout)
        self._eps = 0.0
        self._q_cum = np.zeros(0)
        self._n_scaled = 0.0
        self._probs: list[str] = []

    def _set_endpoints(self, keys: list[str], weights: list[int], now: float) -> None:
        # kube-proxy's byEndpoint: lexicographic order of the "ip:port" strings (weights unused by iptables)
        self.endpoint_keys = sorted(keys)
        n = len(self.endpoint_keys)
        self._probs = chain_probabilities(n)
        if n > 1:
            self._eps, self._q_cum = uniform_mixture(quantised_shares(n))
            # keeps u * n / (1 - eps) below n for every u < 1 - eps
            self._n_scaled = n * (1.0 - 2.0 ** -52) / (1.0 - self._eps)
        self.active = np.zeros(n, dtype=np.int64)
        self.inactive = np.zeros(n, dtype=np.int64)

    def _schedule(self, src_ip, src_port, dst_ip, now, rng, alive) -> np.ndarray:
        n = len(self.endpoint_keys)
        if n == 0:
            return np.full(src_ip.size, -1, dtype=np.int64)  # no endpoints: REJECT in the filter table
        if n == 1:
            return np.zeros(src_ip.size, dtype=np.int64)
        u = rng.random(src_ip.size)
        top = 1.0 - self._eps
        pos = (u * self._n_scaled).astype(np.int64)
        if u.size and u.max() >= top:  # the correction branch of the mixture
            rare = np.flatnonzero(u >= top)
            q = (u[rare] - top) / self._eps
            pos[rare] = np.minimum(np.searchsorted(self._q_cum, q, side="right"), n - 1)
        return pos

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
