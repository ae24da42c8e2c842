"""Chart series for a live view: per pod, per Service, per drop reason, over fixed time bins in ring buffers.

``ChartSeries`` is fed every routed request (its arrival time, outcome, Service, pod and latency) and keeps
one row per **fixed time bin** of ``resolution`` seconds (default 0.1 s): bin ``b`` holds the requests that
arrived in ``[b * resolution, (b + 1) * resolution)``. Because rows follow arrival times, not the steps the
simulation was cut into, the series are the same whatever step sizes drove the run (IPVS connection
counters are the exception: they are levels read at the end of each step, stored in the bin of that time).
A bin is *complete* once the data plane has routed past its end; readers only see complete bins.

Memory is bounded: ``capacity`` bins (default 3000 = 5 minutes at 0.1 s) in ring buffers stored twice over
(row ``i`` at ``i % capacity`` and ``i % capacity + capacity``), so the last ``n`` rows are always one
contiguous slice -- ``times()`` and ``counts`` come back as numpy views, not copies. At most ``max_columns``
(Service, pod) pairs are tracked; a pair with no request for a whole ring is dropped, so pods that come and go
over hours (a Deployment rolling, nodes failing) do not grow the arrays.

Keys are stable references: ``ObjectRef("Pod", ns, name)``, ``ObjectRef("Service", ns, name)`` (all ports
of a Service together), ``ObjectRef("Node", "", name)``.

Readers (each returns ``(t, ...)`` with ``t`` the end time of each complete bin, oldest first):

* ``rps(pod)`` requests per second delivered to the pod (over every Service it serves);
* ``share(pod, service, window)`` the pod's share of the Service's delivered requests over a moving window
  (``windowed(service, window)``: every pod's windowed counts in one call);
* ``jain(service, window)`` Jain's index over the Service's pods in the window;
* ``chi_square(service, window, expected=None)`` Pearson's chi-square and p-value against an even split or
  against ``expected`` shares per pod (e.g. ``DataPlane.expected_pod_shares``);
* ``latency(service)`` p50/p90/p99 in ms of the requests delivered in each bin (nearest rank; NaN if none);
* ``drops(reason)`` drops per second for one reason (its name or outcome code); ``throughput()`` sent/delivered/dropped per second;
* ``connections(node, pod)`` IPVS ActiveConn / InActConn of that node's real server(s) for the pod.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.metrics import chi_square_sf
from core.model import ObjectRef

WINDOW = 5.0  # default moving window, seconds


class _Ring:
    """``capacity`` rows x ``width`` columns stored twice over, so any run of recent rows is one slice."""

    def __init__(self, capacity: int, width: int, dtype, fill=0):
        self.capacity = capacity
        self.fill = fill
        self.a = np.full((2 * capacity, width), fill, dtype=dtype)

    def grow(self, width: int) -> None:
        """At least ``width`` columns; the table at least doubles when it grows (a new column per new key
        copied the whole ring every time: 720 IPVS (node, pod) keys took 7-14 s). Columns past the keys in
        use hold ``fill`` and are never read."""
        have = self.a.shape[1]
        if width > have:
            width = max(width, 2 * have)
            extra = np.full((self.a.shape[0], width - have), self.fill, dtype=self.a.dtype)
            self.a = np.concatenate([self.a, extra], axis=1)

    def clear_rows(self, bins: np.ndarray) -> None:
        r = bins % self.capacity
        self.a[r] = self.fill
        self.a[r + self.capacity] = self.fill

    def add(self, bins: np.ndarray, cols: np.ndarray) -> None:
        """Count one per (bin, column) pair (``cols`` of size 1: the same column for every bin): a bincount
        over the few bins involved, not a scatter-add."""
        b0 = int(bins.min())
        span = int(bins.max()) - b0 + 1
        w = self.a.shape[1]
        flat = (bins - b0) * w + cols if cols.size == bins.size else (bins - b0) * w + int(cols[0])
        c = np.bincount(flat, minlength=span * w).reshape(span, w).astype(self.a.dtype)
        r = np.arange(b0, b0 + span) % self.capacity
        self.a[r] += c
        self.a[r + self.capacity] += c

    def set(self, b: int, cols, values) -> None:
        r = b % self.capacity
        self.a[r, cols] = values
        self.a[r + self.capacity, cols] = values

    def view(self, first: int, n: int) -> np.ndarray:
        s = first % self.capacity
        return self.a[s:s + n]


class ChartSeries:
    """Ring-buffered chart series over fixed time bins (see the module docstring)."""

    def __init__(self, resolution: float = 0.1, capacity: int = 3000, max_columns: int = 4096,
                 n_outcomes: int = 32):
        if not resolution > 0 or capacity < 2:
            raise ValueError("resolution must be > 0 s and capacity at least 2 bins")
        self.resolution = float(resolution)
        self.capacity = int(capacity)
        self.max_columns = int(max_columns)
        self.complete = 0  # bins [0, complete) are complete
        self._head = -1  # highest bin cleared so far
        # (service, pod) columns
        self._col: dict[tuple[ObjectRef, ObjectRef], int] = {}
        self._col_key: list[tuple[ObjectRef, ObjectRef] | None] = []
        self._col_last = np.zeros(0, np.int64)  # last bin with a request, per column
        self._free: list[int] = []
        self.untracked = 0  # delivered requests whose (service, pod) found no free column
        self._counts = _Ring(self.capacity, 16, np.int32)
        self._outcomes = _Ring(self.capacity, n_outcomes, np.int32)  # per outcome code (0 delivered)
        self._time = np.zeros(2 * self.capacity)
        # latency percentiles per service: column per service, 3 rings (p50, p90, p99)
        self._svc_col: dict[ObjectRef, int] = {}
        self._lat = _Ring(self.capacity, 3 * 4, np.float64, np.nan)
        self._lat_pending: dict[tuple[int, int], list] = {}  # (bin, svc col) -> latency arrays (or floats)
        # IPVS connection levels per (node, pod): 2 columns each (active, inactive)
        self._conn_col: dict[tuple[ObjectRef, ObjectRef], int] = {}
        self._conn = _Ring(self.capacity, 2 * 8, np.float64, np.nan)
        self.connections_every = 0.5  # seconds between two reads of the IPVS counters
        self.connections_due = 0.0

    # ---------------------------------------------------------------------------------------- pickling
    _RINGS = ("_counts", "_outcomes", "_lat", "_conn")

    def __getstate__(self) -> dict:
        """Snapshots keep each ring's first copy only, and only the rows written so far: every write goes to
        both copies, and rows past ``_head`` (before the ring first wraps) still hold the fill value. At 2,000
        pods the (Service, pod) counts alone are 6,000 x 2,048 int32 (49 MB) in memory; a checkpoint 20 s
        into a run keeps 200 rows of them (1.6 MB)."""
        state = self.__dict__.copy()
        state.pop("_memo", None)  # keyed by object identities: meaningless in another process or after a restore
        state.pop("_feed_refs", None)  # feed_series' reference objects, rebuilt on demand
        used = max(0, min(self._head + 1, self.capacity))
        for name in self._RINGS:
            ring = state[name]
            state[name] = (ring.capacity, ring.fill, ring.a.shape[1], ring.a.dtype, ring.a[:used])
        return state

    def __setstate__(self, state: dict) -> None:
        for name in self._RINGS:
            capacity, fill, width, dtype, head = state[name]
            ring = _Ring(capacity, width, dtype, fill)
            ring.a[: head.shape[0]] = head
            ring.a[capacity: capacity + head.shape[0]] = head
            state[name] = ring
        self.__dict__.update(state)

    # ---------------------------------------------------------------------------------------- writing
    def _advance(self, b: int) -> None:
        """Make bins up to ``b`` current (clearing the rows they reuse)."""
        if b <= self._head:
            return
        lo = max(self._head + 1, b - self.capacity + 1)
        if lo == b:  # one new bin (the usual case at a GUI's frame rate): plain row writes
            r = b % self.capacity
            for ring in (self._counts, self._outcomes, self._lat, self._conn):
                ring.a[r] = ring.fill
                ring.a[r + self.capacity] = ring.fill
            self._time[r] = self._time[r + self.capacity] = (b + 1) * self.resolution
            self._head = b
            return
        bins = np.arange(lo, b + 1)
        for ring in (self._counts, self._outcomes, self._lat, self._conn):
            ring.clear_rows(bins)
        r = bins % self.capacity
        t = (bins + 1) * self.resolution
        self._time[r] = t
        self._time[r + self.capacity] = t
        self._head = b

    def _column(self, service: ObjectRef, pod: ObjectRef) -> int:
        key = (service, pod)
        col = self._col.get(key)
        if col is not None:
            return col
        if self._free:
            col = self._free.pop()
        elif len(self._col_key) < self.max_columns:
            col = len(self._col_key)
            self._col_key.append(None)
            self._col_last = np.append(self._col_last, -1)
            if col >= self._counts.a.shape[1]:
                self._counts.grow(max(2 * self._counts.a.shape[1], col + 1))
        else:
            return -1
        self._col[key] = col
        self._col_key[col] = key
        self._col_last[col] = -1
        self._counts.a[:, col] = 0  # a reused column: its old rows are a whole ring old, but clear them
        return col

    def _service_col(self, service: ObjectRef) -> int:
        col = self._svc_col.get(service)
        if col is None:
            col = len(self._svc_col)
            self._svc_col[service] = col
            self._lat.grow(3 * (col + 1))
        return col

    def add(self, times: np.ndarray, outcome: np.ndarray, service: Sequence[ObjectRef | None],
            pod: Sequence[ObjectRef | None], keys: np.ndarray, latency_ms: np.ndarray) -> None:
        """Requests arriving at ``times`` with ``outcome`` codes; ``keys[i]`` indexes ``service``/``pod`` (the
        request's Service and pod, None when it has none) and ``latency_ms[i]`` is its latency if delivered.
        Times must not fall in a bin already complete."""
        if times.size == 0:
            return
        if times.size <= 16:
            self._add_few(times, outcome, service, pod, keys, latency_ms)
            return
        bins = (np.asarray(times) * (1.0 / self.resolution) + 1e-9).astype(np.int64)  # times >= 0: floor
        if bins[0] < self.complete or bins.min() < self.complete:
            bins = np.maximum(bins, self.complete)
        self._advance(int(bins.max()))
        code = np.asarray(outcome)
        ok = code == 0
        every = bool(ok.all())
        if every:  # all delivered: a count per bin in column 0
            self._outcomes.add(bins, np.zeros(1, np.int64))
        else:
            self._outcomes.add(bins, np.minimum(code, self._outcomes.a.shape[1] - 1))
        if not np.any(ok):
            return
        b_ok, k_ok = (bins, keys) if every else (bins[ok], keys[ok])
        per_key = np.bincount(k_ok, minlength=len(service))
        present = np.nonzero(per_key)[0].tolist()
        cols = np.full(len(service), -1, np.int64)
        scol = np.full(len(service), -1, np.int64)
        for k in present:  # one column per (Service, pod) seen
            if service[k] is not None and pod[k] is not None:
                cols[k] = self._column(service[k], pod[k])
            if service[k] is not None:
                scol[k] = self._service_col(service[k])
        self.untracked += int(sum(per_key[k] for k in present if cols[k] < 0 and scol[k] >= 0))
        # counts per (bin, key) in one bincount, then added to each key's column
        b0 = int(b_ok.min())
        span = int(b_ok.max()) - b0 + 1
        nk = len(service)
        mat = np.bincount((b_ok - b0) * nk + k_ok, minlength=span * nk).reshape(span, nk)
        rows = np.arange(b0, b0 + span) % self.capacity
        for k in present:
            if cols[k] >= 0:
                self._counts.a[rows, cols[k]] += mat[:, k].astype(np.int32)
                self._counts.a[rows + self.capacity, cols[k]] += mat[:, k].astype(np.int32)
                self._col_last[cols[k]] = max(int(self._col_last[cols[k]]), b0 + int(np.nonzero(mat[:, k])[0][-1]))
        # latencies per (bin, Service), kept until the bin is complete
        lat = np.asarray(latency_ms) if every else np.asarray(latency_ms)[ok]
        services_here = sorted({int(scol[k]) for k in present if scol[k] >= 0})
        for sc in services_here:
            if len(services_here) == 1 and all(scol[k] == sc for k in present):
                b_m, l_m = b_ok, lat
            else:
                mine = scol[k_ok] == sc
                b_m, l_m = b_ok[mine], lat[mine]
            if span == 1:
                self._lat_pending.setdefault((b0, sc), []).append(l_m)
            elif np.all(b_m[1:] >= b_m[:-1]):  # arrivals come in time order: split at the bin edges
                edges = np.flatnonzero(np.diff(b_m)) + 1
                for chunk_b, chunk_l in zip(np.split(b_m, edges), np.split(l_m, edges)):
                    self._lat_pending.setdefault((int(chunk_b[0]), sc), []).append(chunk_l)
            else:
                for bb in np.unique(b_m).tolist():
                    self._lat_pending.setdefault((bb, sc), []).append(l_m[b_m == bb])

    def add_hops(self, times: np.ndarray, service: Sequence[ObjectRef | None], pod: Sequence[ObjectRef | None],
                 keys: np.ndarray) -> None:
        """Requests that a Service's rules sent to one of its pods on the way to another Service's pod: an
        Ingress controller's Service (LoadBalancer / NodePort) picks the controller pod, which then proxies to
        the backend. They count in the (controller Service, controller pod) columns, so that Service's share
        chart shows how kube-proxy spread them; their outcome and latency stay the final Service's (``add``).
        ``keys[i] > 0`` indexes ``service``/``pod``; 0 is no such hop."""
        keys = np.asarray(keys)
        hop = keys > 0
        if not hop.any():
            return
        bins = (np.asarray(times)[hop] * (1.0 / self.resolution) + 1e-9).astype(np.int64)
        bins = np.maximum(bins, self.complete)
        self._advance(int(bins.max()))
        k_hop = keys[hop]
        for k in np.unique(k_hop).tolist():
            if service[k] is None or pod[k] is None:
                continue
            col = self._column(service[k], pod[k])
            b = bins[k_hop == k]
            if col < 0:
                self.untracked += int(b.size)
                continue
            rows, n = np.unique(b % self.capacity, return_counts=True)
            cnt = self._counts.a
            cnt[rows, col] += n.astype(cnt.dtype)
            cnt[rows + self.capacity, col] += n.astype(cnt.dtype)
            self._col_last[col] = max(int(self._col_last[col]), int(b.max()))

    def _add_few(self, times, outcome, service, pod, keys, latency_ms) -> None:
        """``add`` for a handful of requests (a GUI step): plain Python, same result, no numpy call overhead.
        Columns are looked up by the identity of the (Service, pod) references first (``feed_series`` hands
        the same objects every time): hashing two dataclass references per request cost more than the rest."""
        inv = 1.0 / self.resolution
        cap, width = self.capacity, self._outcomes.a.shape[1] - 1
        bins = [max(int(t * inv + 1e-9), self.complete) for t in times.tolist()]
        self._advance(max(bins))
        outs = self._outcomes.a
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self._memo = {}
        for b, code, k, lat in zip(bins, outcome.tolist(), keys.tolist(), latency_ms.tolist()):
            r = b % cap
            c = min(code, width)
            outs[r, c] += 1
            outs[r + cap, c] += 1
            svc = service[k]
            if code != 0 or svc is None:
                continue
            p = pod[k]
            hit = memo.get((id(svc), id(p)))
            if hit is None or hit[0] is not svc or hit[1] is not p:
                sc = self._service_col(svc)
                col = -2 if p is None else self._column(svc, p)
                hit = memo[(id(svc), id(p))] = (svc, p, sc, col)
            sc, col = hit[2], hit[3]
            self._lat_pending.setdefault((b, sc), []).append(lat)  # a float: close() takes floats and arrays
            if col == -2:
                continue
            if col < 0:
                self.untracked += 1
                continue
            cnt = self._counts.a  # _column may have grown the array
            cnt[r, col] += 1
            cnt[r + cap, col] += 1
            if b > self._col_last[col]:
                self._col_last[col] = b

    def close(self, t: float) -> None:
        """Everything before ``t`` has been routed: bins ending at or before ``t`` are complete."""
        done = int(math.floor(t / self.resolution + 1e-9))
        if done <= self.complete:
            return
        self._advance(done - 1)
        for key in [k for k in self._lat_pending if k[0] < done]:
            parts = self._lat_pending.pop(key)
            floats = [v for v in parts if type(v) is float]
            if floats:  # single latencies from _add_few
                parts = [v for v in parts if type(v) is not float] + [np.array(floats)]
            vals = np.concatenate(parts)
            if key[0] < done - self.capacity:
                continue
            n = vals.size
            # nearest rank: the ceil(q/100 * n)-th smallest, found by partition (O(n)) rather than a sort
            ranks = [max(1, math.ceil(q / 100.0 * n)) - 1 for q in (50, 90, 99)]
            part = np.partition(vals, ranks)
            self._lat.set(key[0], [3 * key[1] + j for j in range(3)], part[ranks])
        old = self.complete
        self.complete = done
        if done // max(1, self.capacity // 4) != old // max(1, self.capacity // 4):
            self._evict()

    def _evict(self) -> None:
        """Free (service, pod) columns with no request during the whole ring."""
        for col in np.nonzero(self._col_last < self.complete - self.capacity)[0].tolist():
            key = self._col_key[col]
            if key is not None:
                del self._col[key]
                self._col_key[col] = None
                self._free.append(col)
                self.__dict__.pop("_memo", None)  # _add_few's column memo: a freed column must be looked up again

    def set_connections(self, t: float, levels: dict[tuple[ObjectRef, ObjectRef], tuple[int, int]]) -> None:
        """IPVS (ActiveConn, InActConn) per (node, pod) at time ``t`` (a level, stored in the bin of ``t``)."""
        b = max(int(math.floor(t / self.resolution + 1e-9)) - 1, self.complete - 1, 0)
        self._advance(b)
        for key, (active, inactive) in levels.items():
            col = self._conn_col.get(key)
            if col is None:
                if len(self._conn_col) >= self.max_columns:
                    continue
                col = len(self._conn_col)
                self._conn_col[key] = col
                self._conn.grow(2 * (col + 1))
            self._conn.set(b, [2 * col, 2 * col + 1], [active, inactive])

    def connection_keys(self) -> list[tuple[ObjectRef, ObjectRef]]:
        """The (node, pod) pairs whose IPVS counters have been recorded."""
        return list(self._conn_col)

    # ---------------------------------------------------------------------------------------- reading
    def _span(self) -> tuple[int, int]:
        n = min(self.complete, self.capacity)
        return self.complete - n, n

    def times(self) -> np.ndarray:
        """End time of every complete bin still held, oldest first (a view)."""
        first, n = self._span()
        s = first % self.capacity
        return self._time[s:s + n]

    def nbytes(self) -> int:
        """Bytes held by the ring buffers (bounded by capacity x columns)."""
        return sum(r.a.nbytes for r in (self._counts, self._outcomes, self._lat, self._conn)) + self._time.nbytes

    def pods(self) -> list[ObjectRef]:
        return sorted({k[1] for k in self._col})

    def services(self) -> list[ObjectRef]:
        return sorted({k[0] for k in self._col})

    def _cols(self, service: ObjectRef | None = None, pod: ObjectRef | None = None) -> list[int]:
        return [c for (s, p), c in sorted(self._col.items())
                if (service is None or s == service) and (pod is None or p == pod)]

    def counts(self, service: ObjectRef | None = None, pod: ObjectRef | None = None) -> np.ndarray:
        """Delivered requests per bin, one column per (service, pod) pair matching the filters."""
        first, n = self._span()
        return self._counts.view(first, n)[:, self._cols(service, pod)]

    def rps(self, pod: ObjectRef) -> tuple[np.ndarray, np.ndarray]:
        """Requests per second delivered to ``pod``."""
        return self.times(), self.counts(pod=pod).sum(axis=1) / self.resolution

    def _windowed(self, service: ObjectRef, window: float) -> tuple[list[ObjectRef], np.ndarray]:
        """Per pod of ``service``: requests in the last ``window`` seconds, at every complete bin."""
        cols = self._cols(service)
        pods = [self._col_key[c][1] for c in cols]  # type: ignore[index]
        first, n = self._span()
        x = self._counts.view(first, n)[:, cols].astype(np.int64)
        w = max(1, int(round(window / self.resolution)))
        c = np.cumsum(x, axis=0)
        out = c.copy()
        out[w:] -= c[:-w]
        return pods, out

    def windowed(self, service: ObjectRef, window: float = WINDOW) -> tuple[np.ndarray, list[ObjectRef], np.ndarray]:
        """``(t, pods, counts)``: ``counts[:, j]`` is the requests ``pods[j]`` got from ``service`` in the
        ``window`` seconds ending at each complete bin -- every pod's share in one call
        (``counts / counts.sum(axis=1)``)."""
        pods, x = self._windowed(service, window)
        return self.times(), pods, x

    def share(self, pod: ObjectRef, service: ObjectRef, window: float = WINDOW) -> tuple[np.ndarray, np.ndarray]:
        """``pod``'s share of ``service``'s delivered requests over the moving window (0 where none)."""
        pods, x = self._windowed(service, window)
        total = x.sum(axis=1)
        mine = x[:, pods.index(pod)] if pod in pods else np.zeros(total.size, np.int64)
        return self.times(), np.divide(mine, total, out=np.zeros(total.size), where=total > 0)

    def jain(self, service: ObjectRef, window: float = WINDOW) -> tuple[np.ndarray, np.ndarray]:
        """Jain's index (sum x)^2 / (n sum x^2) over the pods that got requests in the window (1 when none)."""
        _, x = self._windowed(service, window)
        return self.times(), jain_rows(x)

    def chi_square(self, service: ObjectRef, window: float = WINDOW,
                   expected: dict[ObjectRef, float] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Pearson's chi-square of the window's per-pod counts against an even split over the pods seen in the
        window, or against ``expected`` shares per pod; returns ``(t, statistic, dof, p)``."""
        pods, x = self._windowed(service, window)
        shares = None if expected is None else np.array([expected.get(p, 0.0) for p in pods])
        if expected is not None:
            extra = [p for p in expected if p not in pods and expected[p] > 0]
            if extra:  # expected pods that got nothing yet: zero columns
                x = np.concatenate([x, np.zeros((x.shape[0], len(extra)), np.int64)], axis=1)
                shares = np.r_[shares, [expected[p] for p in extra]]
        stat, dof = chi_square_rows(x, shares)
        p = np.array([chi_square_sf(float(s), int(d)) if math.isfinite(s) else 0.0 for s, d in zip(stat, dof)])
        return self.times(), stat, dof, p

    def latency(self, service: ObjectRef) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """p50, p90, p99 (ms) of the requests delivered through ``service`` in each bin (NaN when none)."""
        first, n = self._span()
        col = self._svc_col.get(service)
        if col is None:
            nan = np.full(n, np.nan)
            return self.times(), nan, nan, nan
        v = self._lat.view(first, n)
        return self.times(), v[:, 3 * col], v[:, 3 * col + 1], v[:, 3 * col + 2]

    def drops(self, reason: str | int) -> tuple[np.ndarray, np.ndarray]:
        """Requests per second dropped for ``reason`` (a name of ``core.dataplane.outcomes.DROP_REASONS``, or its
        outcome code)."""
        from core.dataplane.outcomes import OUTCOME_CODES

        code = OUTCOME_CODES[reason] if isinstance(reason, str) else int(reason)
        first, n = self._span()
        return self.times(), self._outcomes.view(first, n)[:, code] / self.resolution

    def throughput(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sent, delivered and dropped requests per second."""
        first, n = self._span()
        v = self._outcomes.view(first, n)
        sent = v.sum(axis=1) / self.resolution
        delivered = v[:, 0] / self.resolution
        return self.times(), sent, delivered, sent - delivered

    def connections(self, node: ObjectRef, pod: ObjectRef) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """IPVS ActiveConn and InActConn on ``node`` for ``pod``'s real servers (NaN where not read)."""
        first, n = self._span()
        col = self._conn_col.get((node, pod))
        if col is None:
            nan = np.full(n, np.nan)
            return self.times(), nan, nan
        v = self._conn.view(first, n)
        return self.times(), v[:, 2 * col], v[:, 2 * col + 1]


def jain_rows(x: np.ndarray) -> np.ndarray:
    """Jain's index per row over the columns with a nonzero count (1.0 for a row with none)."""
    x = np.asarray(x, dtype=np.float64)
    n = (x > 0).sum(axis=1)
    s = x.sum(axis=1)
    q = np.square(x).sum(axis=1)
    return np.divide(s * s, n * q, out=np.ones(x.shape[0]), where=q > 0)


def chi_square_rows(x: np.ndarray, shares: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pearson's chi-square per row: against an even split over the row's nonzero columns, or against
    ``shares`` (columns with share 0 are left out; an observation there makes the statistic infinite).
    Returns (statistic, degrees of freedom); rows with no requests or fewer than 2 categories get (0, 0)."""
    x = np.asarray(x, dtype=np.float64)
    total = x.sum(axis=1)
    if shares is None:
        present = x > 0
        k = present.sum(axis=1)
        exp = np.divide(total, k, out=np.zeros_like(total), where=k > 0)
        dev = np.where(present, np.square(x - exp[:, None]), 0.0)
        stat = np.divide(dev.sum(axis=1), exp, out=np.zeros_like(total), where=exp > 0)
        dof = np.maximum(k - 1, 0)
    else:
        sh = np.asarray(shares, dtype=np.float64)
        keep = sh > 0
        sh = sh / sh[keep].sum() if keep.any() else sh
        e = total[:, None] * sh[keep][None, :]
        stat = np.divide(np.square(x[:, keep] - e), e, out=np.zeros_like(e), where=e > 0).sum(axis=1)
        stat = np.where((x[:, ~keep] > 0).any(axis=1), np.inf, stat)
        dof = np.full(x.shape[0], max(int(keep.sum()) - 1, 0))
    empty = (total == 0) | ((dof < 1) & np.isfinite(stat))
    return np.where(empty, 0.0, stat), np.where(empty, 0, dof)
