"""Metrics for the charts and the CLI: per-endpoint shares, drops by reason, latency, fairness, chi-square.

All accumulation is vectorised (``np.bincount``/``np.add.at``); time series live in fixed-size ring
buffers so a classroom run of hours keeps constant memory.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from core.proxy.stats import chi2_sf


def jain_index(counts: np.ndarray) -> float:
    """Jain's fairness index (sum x)^2 / (n * sum x^2): 1.0 perfectly even, 1/n all on one."""
    x = np.asarray(counts, dtype=np.float64)
    if x.size == 0 or not np.any(x):
        return 1.0
    return float(x.sum() ** 2 / (x.size * np.square(x).sum()))


def chi_square_sf(stat: float, dof: int) -> float:
    """P(X >= stat) for a chi-square distribution with ``dof`` degrees of freedom (1.0 when dof < 1)."""
    return chi2_sf(stat, dof) if dof >= 1 else 1.0


def chi_square(observed: np.ndarray, expected_shares: np.ndarray) -> tuple[float, int, float]:
    """Pearson's chi-square of ``observed`` counts against ``expected_shares``: (statistic, dof, p-value).

    Categories with an expected share of 0 are left out (and must have no observations to fit).
    """
    obs = np.asarray(observed, dtype=np.float64)
    shares = np.asarray(expected_shares, dtype=np.float64)
    total = obs.sum()
    if total == 0 or obs.size < 2:
        return 0.0, 0, 1.0
    shares = shares / shares.sum()
    keep = shares > 0
    if np.any(obs[~keep] > 0):
        return math.inf, int(keep.sum()) - 1, 0.0
    exp = shares[keep] * total
    stat = float(np.sum(np.square(obs[keep] - exp) / exp))
    dof = int(keep.sum()) - 1
    return stat, dof, chi_square_sf(stat, dof)


def balance_report(endpoint_counts: dict[tuple, int], expected_shares=None) -> dict[str, dict]:
    """Per Service port label: how evenly its delivered requests spread over its endpoints.

    ``endpoint_counts`` maps ``(service label, pod, ip, port, node)`` to delivered requests (``Metrics``);
    ``expected_shares(label)`` (optional, e.g. ``DataPlane.expected_shares``) gives the share per ``ip:port``
    the proxy mode itself aims at. Returns ``{label: {jain, chi_square, dof, p_uniform[, chi_square_mode,
    p_mode]}}`` for labels with at least two endpoints -- the ``balance`` object of ``podpath route --json``:
    Jain's index, Pearson's chi-square against an even split and against the mode's own shares (added when
    the endpoints that answered are exactly those the mode programs now)."""
    per_service: dict[str, list[tuple[str, int]]] = {}
    for (service, _pod, ip, port, _node), count in sorted(endpoint_counts.items()):
        per_service.setdefault(service, []).append((f"{ip}:{port}", count))
    out: dict[str, dict] = {}
    for service, rows in per_service.items():
        if len(rows) < 2:
            continue  # one endpoint (or an ExternalName / static route): nothing to balance
        arr = np.array([c for _, c in rows], dtype=np.float64)
        stat, dof, p = chi_square(arr, np.full(arr.size, 1.0 / arr.size))
        entry = {"jain": round(jain_index(arr), 6), "chi_square": round(stat, 4), "dof": dof, "p_uniform": round(p, 6)}
        want = expected_shares(service) if expected_shares is not None else None
        keys = [k for k, _ in rows]
        if want and set(keys) == set(want):
            s2, _d2, p2 = chi_square(arr, np.array([want[k] for k in keys]))
            entry.update({"chi_square_mode": round(s2, 4), "p_mode": round(p2, 6)})
        out[service] = entry
    return out


class RingBuffer:
    """A fixed-capacity time series of rows (time + ``width`` values), oldest overwritten first."""

    def __init__(self, capacity: int, width: int = 1):
        self.capacity = int(capacity)
        self.width = int(width)
        self._t = np.zeros(self.capacity)
        self._v = np.zeros((self.capacity, self.width))
        self._n = 0  # rows ever appended

    def append(self, t: float, values: np.ndarray | float) -> None:
        i = self._n % self.capacity
        self._t[i] = t
        self._v[i] = values
        self._n += 1

    def __len__(self) -> int:
        return min(self._n, self.capacity)

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Times and values in chronological order (copies)."""
        n = len(self)
        if self._n <= self.capacity:
            return self._t[:n].copy(), self._v[:n].copy()
        i = self._n % self.capacity
        order = np.r_[i:self.capacity, 0:i]
        return self._t[order], self._v[order]


class LatencyHistogram:
    """Latencies in 1-microsecond bins up to 10 s (overflow in the last bin): exact percentiles, fixed memory."""

    RESOLUTION_MS = 0.001

    def __init__(self, max_ms: float = 10_000.0):
        self.bins = np.zeros(int(max_ms / self.RESOLUTION_MS) + 1, dtype=np.int64)
        self.count = 0
        self._top = -1  # highest bin with a sample: percentiles scan bins[:_top + 1], not all 10 million

    def add(self, latencies_ms: np.ndarray) -> None:
        if len(latencies_ms) == 0:
            return
        idx = (np.asarray(latencies_ms) * (1.0 / self.RESOLUTION_MS) + 0.5).astype(np.int64)
        counts = np.bincount(idx)
        if counts.size > self.bins.size:  # overflow goes to the last bin
            counts = np.r_[counts[: self.bins.size - 1], counts[self.bins.size - 1:].sum()]  # only as long as the largest latency: no 10M-bin temporary
        self.bins[: counts.size] += counts
        self.count += len(latencies_ms)
        self._top = max(self._top, counts.size - 1)

    def add_counts(self, latencies_ms: np.ndarray, counts: np.ndarray) -> None:
        """Add ``counts[i]`` samples of latency ``latencies_ms[i]`` (latency classes of a batch)."""
        if len(latencies_ms) == 0:
            return
        idx = np.minimum((np.asarray(latencies_ms) * (1.0 / self.RESOLUTION_MS) + 0.5).astype(np.int64),
                         self.bins.size - 1)
        add = np.bincount(idx, weights=np.asarray(counts, dtype=np.float64))
        self.bins[: add.size] += np.rint(add).astype(np.int64)
        self.count += int(np.sum(counts))
        self._top = max(self._top, add.size - 1)

    def add_bins(self, counts: np.ndarray) -> None:
        """Add a histogram already binned at this resolution (``counts[i]`` samples in bin i)."""
        counts = np.asarray(counts, dtype=np.int64)
        k = min(counts.size, self.bins.size)
        self.bins[:k] += counts[:k]
        if counts.size > k:
            self.bins[-1] += counts[k:].sum()
        self.count += int(counts.sum())
        nz = np.flatnonzero(counts[:k])
        self._top = max(self._top, self.bins.size - 1 if counts.size > k else (int(nz[-1]) if nz.size else -1))

    def percentile(self, q: float) -> float | None:
        """The smallest latency such that at least q% of the samples are <= it (nearest-rank)."""
        if self.count == 0:
            return None
        rank = max(1, math.ceil(q / 100.0 * self.count))
        cum = np.cumsum(self.bins[: self._top + 1])
        return round(float(np.searchsorted(cum, rank)) * self.RESOLUTION_MS, 6)


@dataclass
class Metrics:
    """Totals since the start plus per-tick series, fed by the data plane once per tick."""

    sent: int = 0
    delivered: int = 0
    new_connections: int = 0
    dropped: Counter = field(default_factory=Counter)
    endpoint_counts: Counter = field(default_factory=Counter)  # (service, pod ns/name, ip, port, node) -> n
    latency: LatencyHistogram = field(default_factory=LatencyHistogram)
    series_capacity: int = 6000
    throughput: RingBuffer = field(init=False)  # t, (sent, delivered, dropped) per tick

    def __post_init__(self) -> None:
        self.throughput = RingBuffer(self.series_capacity, 3)
        self.endpoint_series: dict[tuple, RingBuffer] = {}  # endpoint key -> (t, delivered in that tick)
        self.drop_series: dict[str, RingBuffer] = {}  # reason -> (t, drops in that tick)

    def record_tick(self, t: float, sent: int, delivered: int, dropped: int,
                    endpoint_counts: dict | None = None, drops: dict | None = None) -> None:
        """One row per tick in every series; endpoints and reasons seen before get a 0 when idle."""
        self.throughput.append(t, (sent, delivered, dropped))
        for key, _n in (endpoint_counts or {}).items():
            if key not in self.endpoint_series:
                self.endpoint_series[key] = self._new_series()
        for key, buf in self.endpoint_series.items():
            buf.append(t, (endpoint_counts or {}).get(key, 0))
        for reason in drops or {}:
            if reason not in self.drop_series:
                self.drop_series[reason] = self._new_series()
        for reason, buf in self.drop_series.items():
            buf.append(t, (drops or {}).get(reason, 0))
        if self.throughput._n % max(1, self.series_capacity // 4) == 0 and self.throughput._n >= self.series_capacity:
            self._evict_idle()

    def _evict_idle(self) -> None:
        """Forget series that stayed at zero for a whole ring (pods long gone): memory stays bounded over hours
        of churn. A key seen again later starts a fresh series (zeros before, like any new one)."""
        for series in (self.endpoint_series, self.drop_series):
            for key in [k for k, buf in series.items() if not np.any(buf._v)]:
                del series[key]

    def _new_series(self) -> RingBuffer:
        """A series that starts with zeros at every earlier tick, so all series share one time axis."""
        buf = RingBuffer(self.series_capacity, 1)
        for t_prev in self.throughput.data()[0][:-1]:
            buf.append(float(t_prev), 0)
        return buf

    def share_series(self, service: str, window: int = 10) -> tuple[np.ndarray, dict[tuple, np.ndarray]]:
        """Per-endpoint share of a service's delivered requests over a moving window of ``window`` ticks."""
        keys = [k for k in self.endpoint_series if k[0] == service]
        if not keys:
            return np.zeros(0), {}
        t, _ = self.endpoint_series[keys[0]].data()
        rows = np.stack([self.endpoint_series[k].data()[1][:, 0] for k in keys])
        kernel = np.ones(window)
        smooth = np.stack([np.convolve(r, kernel)[: r.size] for r in rows])
        total = smooth.sum(axis=0)
        shares = np.divide(smooth, total, out=np.zeros_like(smooth), where=total > 0)
        return t, {k: shares[i] for i, k in enumerate(keys)}

    def shares(self, service: str | None = None) -> dict[tuple, float]:
        """Share of delivered requests per endpoint (optionally of one service)."""
        items = {k: v for k, v in self.endpoint_counts.items() if service is None or k[0] == service}
        total = sum(items.values())
        return {k: v / total for k, v in items.items()} if total else {}

    def fairness(self, service: str) -> float:
        counts = np.array([v for k, v in self.endpoint_counts.items() if k[0] == service], dtype=np.float64)
        return jain_index(counts)
