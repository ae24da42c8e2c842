"""Balancer base class: one kube-proxy load-balancing state per (node, virtual service), batch API.

Subclasses implement ``_set_endpoints`` and ``_schedule`` (one batch of connections that need a fresh
scheduling decision, in arrival order). The base class validates input, applies ClientIP affinity
(only first-time clients reach the scheduler), keeps the last batch for ``describe_pick`` and the
per-endpoint connection counters for ``release``.

Approximation (stateful IPVS schedulers with affinity only): within one batch the scheduler sees the
counters as they were at the start of the batch plus its own picks; connections that followed a
persistence template in the same batch are added to ``active`` after the batch, not interleaved.
Without affinity, and for rr/wrr/sh/dh/mh and the stateless modes, a batch equals the same connections
processed one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.proxy.affinity import AffinityTable

RELEASE_KINDS = ("active_to_inactive", "inactive_expired", "active_closed")


def as_src_arrays(src_ip, src_port) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert (source IP, source port) batches to uint32 / int64 arrays of equal length."""
    ip = np.asarray(src_ip)
    port = np.asarray(src_port)
    if ip.ndim != 1 or port.ndim != 1 or ip.shape != port.shape:
        raise ValueError(f"src_ip and src_port must be 1-D arrays of equal length, got shapes {ip.shape} and {port.shape}")
    if ip.size and ip.dtype != np.uint32 and (
            not np.issubdtype(ip.dtype, np.integer) or ip.min() < 0 or ip.max() > 0xFFFFFFFF):
        raise ValueError("src_ip must hold IPv4 addresses as integers 0..4294967295 (uint32)")
    if port.size and port.dtype != np.uint16:
        if not np.issubdtype(port.dtype, np.integer):
            raise ValueError("src_port must hold integers 0..65535")
        # one pass: negative values viewed as unsigned are huge
        if (port.astype(np.int64, copy=False).view(np.uint64) > 65535).any():
            raise ValueError("src_port must hold integers 0..65535")
    return ip.astype(np.uint32, copy=False), port.astype(np.int64, copy=False)


def validate_keys(keys: Sequence[str], weights: Sequence[int] | None) -> tuple[list[str], list[int]]:
    keys = list(keys)
    for k in keys:
        if not isinstance(k, str) or ":" not in k:
            raise ValueError(f"endpoint key must be a string 'ip:port', got {k!r}")
    if len(set(keys)) != len(keys):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"duplicate endpoint keys: {dup}")
    if weights is None:
        w = [1] * len(keys)
    else:
        w = [int(x) for x in weights]
        if len(w) != len(keys):
            raise ValueError(f"weights has {len(w)} entries but there are {len(keys)} endpoint keys")
        if any(x < 0 or x > 65535 for x in w):
            raise ValueError(f"weights must be integers 0..65535 (IPVS real-server weight), got {w}")
    return keys, w


class Balancer:
    """kube-proxy's choice of endpoint for new connections to one virtual service on one node."""

    mode = "base"
    scheduler = ""

    def __init__(self, *, affinity_timeout: float | None = None) -> None:
        self.endpoint_keys: list[str] = []
        self.active = np.zeros(0, dtype=np.int64)
        self.inactive = np.zeros(0, dtype=np.int64)
        self.affinity = AffinityTable(affinity_timeout) if affinity_timeout is not None else None
        self.last_picks = np.zeros(0, dtype=np.int64)
        self.last_by_affinity = np.zeros(0, dtype=bool)
        self.counts_connections = False  # IPVS keeps activeconns/inactconns
        self._alive: np.ndarray | None = None
        self._batch_counts: np.ndarray | None = None  # optional per-endpoint pick counts set by _schedule

    # ------------------------------------------------------------------ endpoints
    def set_endpoints(self, keys: Sequence[str], weights: Sequence[int] | None = None, *, now: float = 0.0) -> None:
        keys, w = validate_keys(keys, weights)
        before = set(self.endpoint_keys)
        self._set_endpoints(keys, w, now)
        if self.affinity is not None:
            self.affinity.forget_keys(before - set(self.endpoint_keys))

    def _set_endpoints(self, keys: list[str], weights: list[int], now: float) -> None:
        raise NotImplementedError

    def index_of(self, keys: Sequence[str]) -> np.ndarray:
        """Current index of each key in ``endpoint_keys`` (-1 if absent): re-map stored picks after a change."""
        pos = {k: i for i, k in enumerate(self.endpoint_keys)}
        return np.asarray([pos.get(k, -1) for k in keys], dtype=np.int64)

    # ------------------------------------------------------------------ scheduling
    def _usable_for_affinity(self) -> np.ndarray | None:
        return None

    def _schedule(self, src_ip: np.ndarray, src_port: np.ndarray, dst_ip: np.ndarray | None, now: float,
                  rng: np.random.Generator, alive: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError

    def pick(self, src_ip, src_port, now: float, rng: np.random.Generator, alive: np.ndarray | None = None,
             *, dst_ip: np.ndarray | None = None) -> np.ndarray:
        """Endpoint index for each new connection of the batch (arrival order), -1 when none."""
        ip, port = as_src_arrays(src_ip, src_port)
        if alive is not None:
            alive = np.asarray(alive, dtype=bool)
            if alive.shape != (len(self.endpoint_keys),):
                raise ValueError(f"alive must be a bool mask over the {len(self.endpoint_keys)} endpoints, got shape {alive.shape}")
        if dst_ip is not None:
            dst_ip = np.asarray(dst_ip).astype(np.uint32)
            if dst_ip.shape != ip.shape:
                raise ValueError("dst_ip must have the same length as src_ip")
        self._alive = alive
        if self.affinity is None:
            out = self._schedule(ip, port, dst_ip, now, rng, alive)
            by_aff = np.zeros(out.shape, dtype=bool)
        else:
            out, by_aff = self._pick_with_affinity(ip, port, dst_ip, now, rng, alive)
        if self.counts_connections and out.size:
            if self._batch_counts is not None and self.affinity is None:
                self.active += self._batch_counts  # the scheduler knew the per-dest counts arithmetically
            else:
                self.active += np.bincount(out + 1, minlength=self.active.size + 1)[1:]  # -1 -> bin 0
        self._batch_counts = None
        self.last_picks = out
        self.last_by_affinity = by_aff
        return out

    def _pick_with_affinity(self, ip, port, dst_ip, now, rng, alive):
        aff = self.affinity
        assert aff is not None
        c2i = aff.code_to_index(self.endpoint_keys, self._usable_for_affinity())
        remembered = aff.lookup(ip, now, c2i)
        out = remembered.copy()
        by_aff = remembered >= 0
        todo = np.flatnonzero(~by_aff)
        while todo.size:
            # the first connection of each new client is scheduled; later ones in the batch follow it
            _, first = np.unique(ip[todo], return_index=True)
            lead = np.sort(todo[first])
            sub_dst = dst_ip[lead] if dst_ip is not None else None
            out[lead] = self._schedule(ip[lead], port[lead], sub_dst, now, rng, alive)
            ok = lead[out[lead] >= 0]
            rest = np.setdiff1d(todo, lead, assume_unique=True)
            if ok.size and rest.size:
                lead_ips = ip[ok]
                order = np.argsort(lead_ips)
                pos = np.searchsorted(lead_ips[order], ip[rest])
                pos = np.minimum(pos, ok.size - 1)
                match = lead_ips[order][pos] == ip[rest]
                follow = rest[match]
                out[follow] = out[ok[order][pos[match]]]
                by_aff[follow] = True
                rest = rest[~match]
            todo = rest
        got = out >= 0
        if got.any():
            codes = np.asarray([aff.code(k) for k in self.endpoint_keys], dtype=np.int64)
            aff.remember(ip[got], codes[out[got]], now)
        return out, by_aff

    # ------------------------------------------------------------------ lifecycle
    def release(self, idx, kind: str = "active_to_inactive") -> None:
        """Connection lifecycle for the IPVS counters; validated no-op for modes that keep none."""
        if kind not in RELEASE_KINDS:
            raise ValueError(f"release kind must be one of {RELEASE_KINDS}, got {kind!r}")
        idx = np.asarray(idx, dtype=np.int64)
        n = len(self.endpoint_keys)
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise ValueError(f"release indices must be endpoint indices 0..{n - 1}")
        if not self.counts_connections or idx.size == 0:
            return
        c = np.bincount(idx, minlength=n)
        if kind in ("active_to_inactive", "active_closed"):
            if np.any(c > self.active):
                raise ValueError("release of more active connections than an endpoint has")
            self.active -= c
            if kind == "active_to_inactive":
                self.inactive += c
        else:
            if np.any(c > self.inactive):
                raise ValueError("release of more inactive connections than an endpoint has")
            self.inactive -= c

    # ------------------------------------------------------------------ traces
    def describe_pick(self, i: int) -> str:
        if not 0 <= i < self.last_picks.size:
            raise ValueError(f"describe_pick: index {i} outside the last batch of {self.last_picks.size}")
        j = int(self.last_picks[i])
        if j >= 0 and self.last_by_affinity[i]:
            return self._describe_affinity(j)
        return self._describe(i, j)

    def _describe_affinity(self, j: int) -> str:
        t = self.affinity.timeout if self.affinity else 0
        return f"ClientIP affinity (timeout {t:g}s) -> {self.endpoint_keys[j]}"

    def _describe(self, i: int, j: int) -> str:
        raise NotImplementedError

    def expected_shares(self) -> np.ndarray:
        raise NotImplementedError(f"{self.mode} {self.scheduler} is stateful or hash-based: no fixed share vector")
