"""ClientIP session affinity as a vectorised table: client IP -> (endpoint key, last seen).

One table models every mode's mechanism (domain.md a.5, c.2): iptables ``xt_recent`` lists checked in
endpoint order with ``--rcheck --seconds T --reap`` and refreshed by ``--set``; nftables per-endpoint
``affinity-*`` sets with ``update``; IPVS persistence templates (timeout T, refreshed by each new
connection); userspace's in-memory map. A client is remembered under at most one unexpired endpoint at a
time (it only reaches a second list after its first entry expired), so one row per client IP is exact
for "first matching list wins". An entry matches while ``now - stamp < T`` (xt_recent: stamp after
``now - T``). Rows live in sorted numpy arrays; lookups are one ``searchsorted``.

Not modelled: xt_recent's per-list capacity (``ip_list_tot``, 100 by default), IPVS template netmasks.
"""

from __future__ import annotations

import numpy as np


class AffinityTable:
    """Sorted arrays of client IPs with the endpoint key code and time each was last sent there."""

    def __init__(self, timeout: float) -> None:
        if not timeout > 0:
            raise ValueError(f"affinity timeout must be > 0 seconds (Kubernetes allows 1..86400), got {timeout}")
        self.timeout = float(timeout)
        self.ips = np.empty(0, dtype=np.uint32)
        self.codes = np.empty(0, dtype=np.int64)  # index into self.key_names
        self.stamps = np.empty(0, dtype=np.float64)
        self.key_names: list[str] = []
        self._code_of: dict[str, int] = {}

    def __len__(self) -> int:
        return int(self.ips.size)

    def code(self, key: str) -> int:
        c = self._code_of.get(key)
        if c is None:
            c = len(self.key_names)
            self.key_names.append(key)
            self._code_of[key] = c
        return c

    def lookup(self, src_ip: np.ndarray, now: float, code_to_index: np.ndarray) -> np.ndarray:
        """Endpoint index remembered for each client, or -1 (no row, expired, or endpoint unusable).

        ``code_to_index`` maps key codes to current endpoint indices (-1 when the endpoint is gone or,
        for IPVS with expire_quiescent_template, quiesced).
        """
        out = np.full(src_ip.shape, -1, dtype=np.int64)
        if self.ips.size == 0 or src_ip.size == 0:
            return out
        pos = np.searchsorted(self.ips, src_ip)
        pos_c = np.minimum(pos, self.ips.size - 1)
        found = (self.ips[pos_c] == src_ip) & (now - self.stamps[pos_c] < self.timeout)
        codes = self.codes[pos_c[found]]
        idx = np.full(codes.shape, -1, dtype=np.int64)
        ok = codes < code_to_index.size
        idx[ok] = code_to_index[codes[ok]]
        out[found] = idx
        return out

    def remember(self, src_ip: np.ndarray, codes: np.ndarray, now: float) -> None:
        """Set/refresh rows for these clients (last occurrence wins); expired rows are reaped."""
        if src_ip.size:
            # last occurrence of each ip in the batch
            rev_ips = src_ip[::-1]
            uniq, first_rev = np.unique(rev_ips, return_index=True)
            new_codes = codes[::-1][first_rev]
            keep = ~np.isin(self.ips, uniq, assume_unique=True)
            ips = np.concatenate([self.ips[keep], uniq.astype(np.uint32)])
            cds = np.concatenate([self.codes[keep], new_codes.astype(np.int64)])
            sts = np.concatenate([self.stamps[keep], np.full(uniq.size, now, dtype=np.float64)])
        else:
            ips, cds, sts = self.ips, self.codes, self.stamps
        live = now - sts < self.timeout
        order = np.argsort(ips[live], kind="stable")
        self.ips = ips[live][order]
        self.codes = cds[live][order]
        self.stamps = sts[live][order]

    def forget_keys(self, keys: set[str]) -> None:
        """Drop rows pointing at endpoints whose rule/set/real server was removed."""
        dead = [self._code_of[k] for k in keys if k in self._code_of]
        if dead and self.ips.size:
            keep = ~np.isin(self.codes, np.asarray(dead, dtype=np.int64))
            self.ips, self.codes, self.stamps = self.ips[keep], self.codes[keep], self.stamps[keep]

    def code_to_index(self, endpoint_keys: list[str], usable: np.ndarray | None = None) -> np.ndarray:
        """Array mapping every known key code to its index in ``endpoint_keys`` (-1 if absent/unusable)."""
        for k in endpoint_keys:
            self.code(k)
        m = np.full(len(self.key_names), -1, dtype=np.int64)
        for i, k in enumerate(endpoint_keys):
            if usable is None or usable[i]:
                m[self._code_of[k]] = i
        return m
