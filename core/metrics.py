"""Metrics for the charts and the CLI: per-endpoint shares, drops by reason, latency, fairness, chi-square.

All accumulation is vectorised (``np.bincount``/``np.add.at``); time series live in fixed-size ring
buffers so a classroom run of hours keeps constant memory.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
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


class _Columns:
    """Per-tick series of many keys on one shared time axis (``Metrics.throughput``'s rows): one column per
    key in a 2-D ring, so a tick costs one row write whatever the number of keys (one ring per key cost a
    Python call per endpoint per tick: ~5 ms a tick at 2,000 pods). Rows grow up to ``capacity``; columns
    grow as keys arrive; a key evicted frees its column for the next (an all-zero column is a fresh one)."""

    def __init__(self, capacity: int):
        self.capacity = int(capacity)
        self.col: dict = {}  # key -> column, in order of first sight (re-seen after eviction: at the end)
        self._free: list[int] = []
        # int32 counts (a tick never sends 2**31 requests to one endpoint; a bigger count widens the array):
        # 2,000 endpoints x 6,000 ticks is 48 MB, in memory and in every checkpoint
        self._v = np.zeros((min(self.capacity, 64), 8), dtype=np.int32)
        self._rows = 0  # rows written so far (all of them once the ring wrapped)

    def __getstate__(self) -> dict:
        """Snapshots keep the rows and columns written so far (rows grow by doubling, columns too)."""
        state = self.__dict__.copy()
        state["_v"] = (self._v.shape, self._v[: self._rows, : len(self.col) + len(self._free)])
        return state

    def __setstate__(self, state: dict) -> None:
        shape, head = state["_v"]
        v = np.zeros(shape, dtype=head.dtype)
        v[: head.shape[0], : head.shape[1]] = head
        state["_v"] = v
        self.__dict__.update(state)

    def record(self, row: int, counts: dict | None) -> None:
        """Write ring row ``row`` (the throughput ring's index): each key's count, 0 for every other key."""
        if row >= self._v.shape[0]:  # rows grow (doubling) until the ring is full
            grown = np.zeros((min(self.capacity, max(2 * self._v.shape[0], row + 1)), self._v.shape[1]),
                             dtype=self._v.dtype)
            grown[: self._v.shape[0]] = self._v
            self._v = grown
        self._v[row] = 0
        self._rows = max(self._rows, row + 1)
        if not counts:
            return
        cols = []
        for key in counts:
            c = self.col.get(key)
            if c is None:
                c = self._free.pop() if self._free else len(self.col)
                if c >= self._v.shape[1]:
                    grown = np.zeros((self._v.shape[0], max(2 * self._v.shape[1], c + 1)), dtype=self._v.dtype)
                    grown[:, : self._v.shape[1]] = self._v
                    self._v = grown
                self.col[key] = c
            cols.append(c)
        values = list(counts.values())
        if self._v.dtype != np.int64 and max(values) > np.iinfo(self._v.dtype).max:
            self._v = self._v.astype(np.int64)
        self._v[row, cols] = values

    def evict_idle(self) -> None:
        """Forget keys whose column is zero in every row kept."""
        if not self.col:
            return
        used = np.array(list(self.col.values()), dtype=np.int64)
        idle = ~np.any(self._v[:, used], axis=0)
        if np.any(idle):
            for key, c in [(k, c) for (k, c), z in zip(self.col.items(), idle.tolist()) if z]:
                del self.col[key]
                self._free.append(c)

    def values(self, key, order: np.ndarray | None, n: int) -> np.ndarray:
        """The key's column over the ``n`` rows kept, chronological (``order``: ring rows when wrapped)."""
        c = self.col[key]
        col = self._v[:n, c] if order is None else self._v[order, c]
        return col.astype(np.float64).reshape(-1, 1)


class SeriesView(Mapping):
    """Read-only ``key -> series`` over a ``_Columns`` store; each series has ``data()`` like a RingBuffer."""

    def __init__(self, metrics: Metrics, store: _Columns):
        self._metrics = metrics
        self._store = store

    def __getitem__(self, key) -> _ColumnSeries:
        if key not in self._store.col:
            raise KeyError(key)
        return _ColumnSeries(self._metrics, self._store, key)

    def __iter__(self):
        return iter(list(self._store.col))

    def __len__(self) -> int:
        return len(self._store.col)


class _ColumnSeries:
    def __init__(self, metrics: Metrics, store: _Columns, key):
        self._m, self._store, self._key = metrics, store, key

    def __len__(self) -> int:
        return len(self._m.throughput)

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Times and values in chronological order (copies), like ``RingBuffer.data``."""
        ring = self._m.throughput
        n = len(ring)
        if ring._n <= ring.capacity:  # noqa: SLF001
            return ring._t[:n].copy(), self._store.values(self._key, None, n)  # noqa: SLF001
        i = ring._n % ring.capacity  # noqa: SLF001
        order = np.r_[i:ring.capacity, 0:i]
        return ring._t[order], self._store.values(self._key, order, n)  # noqa: SLF001


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
        self._endpoints = _Columns(self.series_capacity)  # endpoint key -> delivered in each tick
        self._drops = _Columns(self.series_capacity)  # reason -> drops in each tick

    @property
    def endpoint_series(self) -> SeriesView:
        """Endpoint key -> its series (t, delivered in that tick): zeros at ticks before it was first seen."""
        return SeriesView(self, self._endpoints)

    @property
    def drop_series(self) -> SeriesView:
        """Drop reason -> its series (t, drops in that tick)."""
        return SeriesView(self, self._drops)

    def record_tick(self, t: float, sent: int, delivered: int, dropped: int,
                    endpoint_counts: dict | None = None, drops: dict | None = None) -> None:
        """One row per tick in every series; endpoints and reasons seen before get a 0 when idle."""
        row = self.throughput._n % self.throughput.capacity  # noqa: SLF001
        self.throughput.append(t, (sent, delivered, dropped))
        self._endpoints.record(row, endpoint_counts)
        self._drops.record(row, drops)
        if self.throughput._n % max(1, self.series_capacity // 4) == 0 and self.throughput._n >= self.series_capacity:
            self._evict_idle()

    def _evict_idle(self) -> None:
        """Forget series that stayed at zero for a whole ring (pods long gone): memory stays bounded over hours
        of churn. A key seen again later starts a fresh series (zeros before, like any new one)."""
        self._endpoints.evict_idle()
        self._drops.evict_idle()

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
