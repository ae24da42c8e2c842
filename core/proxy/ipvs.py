"""kube-proxy IPVS mode: one virtual server's real-server list and kernel scheduler state, vectorised.

domain.md b.1-b.3. ``endpoint_keys`` is the kernel list ``svc->destinations`` (new real servers are
linked at the HEAD, so it is reverse insertion order). kube-proxy's ``syncEndpoint`` adds new endpoints
in the given order; a vanished endpoint is deleted at once if it has no connections, else quiesced
(weight 0) by the graceful-termination manager and deleted by a later sync once drained; an endpoint
that comes back while quiesced is deleted and re-added (``MoveRSOutofGracefulDeleteList``). A re-added
real server comes back from the kernel's dest trash with its counters. Scheduler hooks run on each
add/delete/update exactly as the kernel's (rr pointer, wrr reset, dh/sh/mh table rebuild).

``pick`` accepts ``dst_ip`` (dh, lblc, lblcr hash/cache the *destination* address, i.e. the virtual IP);
without it the balancer's ``vip`` is used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from core.proxy import ipvs_sched as S
from core.proxy.balancer import Balancer
from core.proxy.ipvs_hash import (
    dh_table,
    hash_32_array,
    ip_to_u32,
    mh_lookup_array,
    mh_table,
    sh_bucket_array,
    sh_table,
)

IPVS_SCHEDULERS = ("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", "mh")
LBLC_EXPIRATION = 24 * 3600.0  # sysctl lblc_expiration / lblcr_expiration default (24 h)


def plan_real_server_sync(current: Sequence[tuple[str, int, int, bool]], keys: Sequence[str],
                          weights: Sequence[int]) -> list[tuple[str, str, int]]:
    """kube-proxy ``syncEndpoint`` + graceful termination as kernel operations.

    ``current``: (key, weight, active+inactive, quiesced) in kernel list order. Returns a list of
    ("add" | "del" | "upd", key, weight) in the order kube-proxy issues them.
    """
    cur = {k: (w, conns, q) for k, w, conns, q in current}
    ops: list[tuple[str, str, int]] = []
    wanted = set(keys)
    for key, w in zip(keys, weights):
        if key not in cur:
            ops.append(("add", key, w))
            continue
        cw, _conns, quiesced = cur[key]
        if quiesced:
            ops.append(("del", key, 0))
            ops.append(("add", key, w))
        elif cw != w:
            ops.append(("upd", key, w))
    for key, _w, conns, quiesced in current:
        if key in wanted:
            continue
        if conns == 0:
            ops.append(("del", key, 0))
        elif not quiesced:
            ops.append(("upd", key, 0))
    return ops


@dataclass
class _TrashEntry:
    active: int
    inactive: int
    weight: int
    last_weight: int


@dataclass
class _LblcrEntry:
    members: list[str] = field(default_factory=list)  # set order: newest at head
    lastmod: float = 0.0
    lastuse: float = 0.0


class IpvsBalancer(Balancer):
    """One IPVS virtual server (ClusterIP:port, or node IP:nodePort, ...) on one node."""

    mode = "ipvs"

    def __init__(self, scheduler: str = "rr", *, affinity_timeout: float | None = None, sh_port: bool = False,
                 mh_port: bool = True, vip: str | int = 0, default_weights: dict[str, int] | None = None) -> None:
        if scheduler == "":
            scheduler = "rr"  # "blank means the default algorithm method (currently rr)"
        if scheduler not in IPVS_SCHEDULERS:
            raise ValueError(f"unknown IPVS scheduler {scheduler!r}; allowed: {', '.join(IPVS_SCHEDULERS)}")
        super().__init__(affinity_timeout=affinity_timeout)
        self.scheduler = scheduler
        self.counts_connections = True
        self.sh_port = sh_port
        self.mh_port = mh_port
        self.vip = ip_to_u32(vip)
        self.default_weights = dict(default_weights or {})
        self.weight = np.zeros(0, dtype=np.int64)
        self.last_weight = np.zeros(0, dtype=np.int64)
        self.quiesced = np.zeros(0, dtype=bool)
        self.trash: dict[str, _TrashEntry] = {}
        self.rr_pointer: str | None = None  # key of the last chosen dest; None = list head
        self.wrr_cl: str | None = None
        self.wrr_di, self.wrr_mw, self.wrr_cw = 1, 0, 0
        self._table: np.ndarray | None = None
        self._lookup: np.ndarray | None = None  # table with unavailable owners (weight <= 0) as -1
        self._lookup1: np.ndarray | None = None  # _lookup + 1
        self._pos_map: dict[str, int] | None = None
        self.lblc_cache: dict[int, tuple[str, float]] = {}
        self.lblcr_cache: dict[int, _LblcrEntry] = {}

    # ------------------------------------------------------------------ kernel operations
    def _insert_at_head(self, key: str, weight: int) -> None:
        t = self.trash.pop(key, None)
        act, inact, lw = (t.active, t.inactive, t.last_weight) if t else (0, 0, 0)
        self.endpoint_keys.insert(0, key)
        self.weight = np.r_[weight, self.weight].astype(np.int64)
        self.last_weight = np.r_[weight if weight > 0 else lw, self.last_weight].astype(np.int64)
        self.active = np.r_[act, self.active].astype(np.int64)
        self.inactive = np.r_[inact, self.inactive].astype(np.int64)
        self.quiesced = np.r_[False, self.quiesced]
        self._dest_changed()

    def _delete(self, key: str) -> None:
        i = self.endpoint_keys.index(key)
        if self.rr_pointer == key:  # ip_vs_rr_del_dest: pointer moves to the previous entry
            self.rr_pointer = self.endpoint_keys[i - 1] if i > 0 else None
        self.trash[key] = _TrashEntry(int(self.active[i]), int(self.inactive[i]), int(self.weight[i]),
                                      int(self.last_weight[i]))
        del self.endpoint_keys[i]
        keep = np.arange(len(self.weight)) != i
        self.weight, self.last_weight = self.weight[keep], self.last_weight[keep]
        self.active, self.inactive, self.quiesced = self.active[keep], self.inactive[keep], self.quiesced[keep]
        self._dest_changed()

    def _update(self, key: str, weight: int) -> None:
        i = self.endpoint_keys.index(key)
        self.weight[i] = weight
        if weight > 0:
            self.last_weight[i] = weight
        self._dest_changed()

    def _dest_changed(self) -> None:
        """Scheduler hooks: wrr ``ip_vs_wrr_dest_changed``; dh/sh/mh rebuild their table (lazily)."""
        self._table = None
        self._lookup = None
        self._lookup1 = None
        self._pos_map = None
        if self.scheduler == "wrr":
            pos = [int(w) for w in self.weight if w > 0]
            di = 0
            for w in pos:
                di = math.gcd(di, w)
            di = di or 1
            mw = int(self.weight.max()) if self.weight.size else 0
            mw -= di - 1
            self.wrr_cl, self.wrr_di, self.wrr_mw = None, di, mw
            if self.wrr_cw > mw or self.wrr_cw == 0:
                self.wrr_cw = mw
            elif di > 1:
                self.wrr_cw = (self.wrr_cw // di) * di + 1

    def set_scheduler(self, scheduler: str) -> None:
        """``ipvsadm -E -s NEW`` (kube-proxy's UpdateVirtualServer when ``--ipvs-scheduler`` changes).

        ``ip_vs_edit_service`` unbinds the old scheduler (``done_service``) and binds the new one
        (``init_service``): only the scheduler's own data starts afresh -- rr's pointer at the list head,
        wrr's mark (cw = mw), the dh/sh/mh tables rebuilt from the list, empty lblc/lblcr caches. The real
        servers, their order, weights, quiesced state and connection counters (``activeconns``,
        ``inactconns``), the dest trash and the persistence templates belong to the service and are kept.
        """
        if scheduler == "":
            scheduler = "rr"
        if scheduler not in IPVS_SCHEDULERS:
            raise ValueError(f"unknown IPVS scheduler {scheduler!r}; allowed: {', '.join(IPVS_SCHEDULERS)}")
        if scheduler == self.scheduler:
            return
        self.scheduler = scheduler
        self.rr_pointer = None
        self.wrr_cl, self.wrr_di, self.wrr_mw, self.wrr_cw = None, 1, 0, 0
        self.lblc_cache = {}
        self.lblcr_cache = {}
        self._dest_changed()  # wrr: di, mw and cw = mw; dh/sh/mh: table rebuilt on first use

    def set_endpoints(self, keys: Sequence[str], weights: Sequence[int] | None = None, *, now: float = 0.0) -> None:
        if weights is None and self.default_weights:
            weights = [self.default_weights.get(k, 1) for k in keys]
        super().set_endpoints(keys, weights, now=now)

    def _set_endpoints(self, keys: list[str], weights: list[int], now: float) -> None:
        current = [(k, int(self.weight[i]), int(self.active[i] + self.inactive[i]), bool(self.quiesced[i]))
                   for i, k in enumerate(self.endpoint_keys)]
        for op, key, w in plan_real_server_sync(current, keys, weights):
            if op == "add":
                self._insert_at_head(key, w)
            elif op == "del":
                self._delete(key)
            else:
                self._update(key, w)
                if w == 0 and key not in keys:
                    self.quiesced[self.endpoint_keys.index(key)] = True
        if self.scheduler in ("dh", "sh", "mh"):
            self._lookup_table()  # built at sync time, as the kernel does in the add/del/edit hooks

    def delete_drained(self) -> list[str]:
        """Graceful-termination check: delete quiesced real servers that have no connections left."""
        gone = [k for i, k in enumerate(self.endpoint_keys)
                if self.quiesced[i] and self.active[i] + self.inactive[i] == 0]
        for k in gone:
            self._delete(k)
        if self.affinity is not None:
            self.affinity.forget_keys(set(gone))
        return gone

    # ------------------------------------------------------------------ scheduling
    def _usable_for_affinity(self) -> np.ndarray:
        # expire_quiescent_template=1: a template whose real server is quiesced is not used
        return self.weight > 0

    def table(self) -> np.ndarray:
        """The dh/sh (256 buckets) or mh (4093 slots) lookup table as dest positions, -1 = empty."""
        if self._table is None:
            if self.scheduler == "dh":
                self._table = dh_table(len(self.endpoint_keys))
            elif self.scheduler == "sh":
                self._table = sh_table(self.weight.tolist())
            elif self.scheduler == "mh":
                self._table = mh_table(self.endpoint_keys, self.last_weight.tolist())
            else:
                raise ValueError(f"scheduler {self.scheduler} has no lookup table")
        return self._table

    def _lookup_table(self) -> np.ndarray:
        if self._lookup is None:
            t = self.table()
            ok = t >= 0
            ok[ok] = self.weight[t[ok]] > 0
            self._lookup = np.where(ok, t, -1)
            self._lookup1 = self._lookup + 1
        return self._lookup

    def _schedule(self, src_ip, src_port, dst_ip, now, rng, alive) -> np.ndarray:
        k = src_ip.size
        s = self.scheduler
        n = len(self.endpoint_keys)
        if s == "rr":
            picks = S.rr_batch(np.flatnonzero(self.weight > 0), self._pos(self.rr_pointer), k)
            if k and picks[-1] >= 0:
                self.rr_pointer = self.endpoint_keys[int(picks[-1])]
                self._batch_counts = S.cycle_counts(picks, k, int((self.weight > 0).sum()), n)
            return picks
        if s == "wrr":
            picks, cl, cw = S.wrr_batch(self.weight, self._pos(self.wrr_cl), self.wrr_cw, self.wrr_mw, self.wrr_di, k)
            if k and self.wrr_mw > 0:
                self.wrr_cl, self.wrr_cw = self.endpoint_keys[cl], cw
                period = int(S.wrr_cycle(self.weight, self.wrr_mw, self.wrr_di)[0].size)
                self._batch_counts = S.cycle_counts(picks, k, period, n)
            return picks
        if s in ("lc", "wlc"):
            return S.lc_batch(self.active, self.inactive, self.weight, k, weighted=(s == "wlc"))
        if s == "sed":
            return S.sed_batch(self.active, self.weight, k)
        if s == "nq":
            return S.nq_batch(self.active, self.weight, k)
        if s in ("dh", "sh", "mh"):
            if not self.endpoint_keys:
                return np.full(k, -1, dtype=np.int64)
            lookup = self._lookup_table()
            if s == "dh":
                if dst_ip is None:  # one virtual IP: one bucket for the whole batch
                    owner = int(lookup[hash_32_array(np.asarray([self.vip]), 8)[0]])
                    if owner >= 0:
                        self._batch_counts = np.zeros(n, dtype=np.int64)
                        self._batch_counts[owner] = k
                    return np.full(k, owner, dtype=np.int64)
                bucket = hash_32_array(dst_ip, 8)
            elif s == "sh":
                bucket = sh_bucket_array(src_ip, src_port if self.sh_port else 0)
            else:
                bucket = mh_lookup_array(src_ip, src_port if self.mh_port else 0)
            if self.affinity is not None:
                return lookup[bucket]
            # owner + 1 per connection (0: none) counts the batch's picks per dest in the same pass
            out = np.take(lookup + 1 if self._lookup1 is None else self._lookup1, bucket)
            self._batch_counts = np.bincount(out, minlength=n + 1)[1:]
            out -= 1
            return out
        return self._schedule_locality(dst_ip, k, now)

    def _schedule_locality(self, dst_ip, k: int, now: float) -> np.ndarray:
        """lblc / lblcr, one run of equal destination addresses at a time (one run for a single VIP)."""
        out = np.empty(k, dtype=np.int64)
        if k == 0:
            return out
        if dst_ip is None:
            runs = [(self.vip, 0, k)]
        else:
            bounds = np.r_[0, np.flatnonzero(dst_ip[1:] != dst_ip[:-1]) + 1, k].tolist()
            runs = [(int(dst_ip[a]), a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        active = self.active.copy()  # the batch's own picks raise activeconns as they happen
        for daddr, a, b in runs:
            if self.scheduler == "lblc":
                out[a:b] = self._lblc_run(daddr, active, b - a, now)
            else:
                out[a:b] = self._lblcr_run(daddr, active, b - a, now)
        self._batch_counts = active - self.active  # pick() adds these instead of counting the picks again
        return out

    def _lblc_run(self, daddr: int, active: np.ndarray, k: int, now: float) -> np.ndarray:
        entry = self.lblc_cache.get(daddr)
        cached = -1
        if entry is not None and now - entry[1] <= LBLC_EXPIRATION:
            cached = self._pos(entry[0])
        picks, cached = S.lblc_batch(cached, active, self.inactive, self.weight, k)
        if cached >= 0:
            self.lblc_cache[daddr] = (self.endpoint_keys[cached], now)
        elif entry is not None:
            self.lblc_cache[daddr] = (entry[0], now)
        return picks

    def _lblcr_run(self, daddr: int, active: np.ndarray, k: int, now: float) -> np.ndarray:
        en = self.lblcr_cache.get(daddr)
        if en is not None and now - en.lastuse > LBLC_EXPIRATION:
            en = None  # reaped by the periodic full check
            del self.lblcr_cache[daddr]
        out = np.empty(k, dtype=np.int64)
        t = 0
        if en is None:  # no entry: wlc, and a new set holding that dest
            dd = S.wlc_pick(active, self.inactive, self.weight)
            if dd < 0:
                out[:] = -1
                return out
            en = _LblcrEntry([self.endpoint_keys[dd]], now, now)
            self.lblcr_cache[daddr] = en
            out[0] = dd
            active[dd] += 1
            t = 1
        else:
            en.lastuse = now
            if len(en.members) > 1 and now > en.lastmod + LBLC_EXPIRATION:
                members = [self._pos(m) for m in en.members]
                # the first connection of the batch runs the expiry check (lastmod = now after it)
                dest = S.set_min(members, active, self.inactive, self.weight)
                m = S.set_max(members, [self._oh_w(key, p, active) for key, p in zip(en.members, members)])
                if m >= 0:
                    del en.members[m]
                    en.lastmod = now
                    if dest >= 0 and dest == members[m]:
                        # the kernel still uses the dest it chose before erasing it from the set
                        if not self._overloaded(dest, active):
                            out[0] = dest
                            active[dest] += 1
                            t = 1
                        else:
                            dd = S.wlc_pick(active, self.inactive, self.weight)
                            if dd < 0:
                                out[:] = -1  # nothing changes: the rest of the batch finds no dest either
                                return out
                            key = self.endpoint_keys[dd]
                            if key not in en.members:
                                en.members.insert(0, key)
                                en.lastmod = now
                            out[0] = dd
                            active[dd] += 1
                            t = 1
        if t < k:
            picks, joined = S.lblcr_batch([self._pos(m) for m in en.members], active, self.inactive,
                                          self.weight, k - t)
            out[t:] = picks
            for d in joined:
                en.members.insert(0, self.endpoint_keys[d])
            if joined:
                en.lastmod = now
        return out

    def _overloaded(self, d: int, active: np.ndarray) -> bool:
        """lblc/lblcr ``is_overloaded``: active > weight while some dest has active*2 < weight."""
        return bool(active[d] > self.weight[d] and np.any(active * 2 < self.weight))

    def _oh_w(self, key: str, pos: int, active: np.ndarray) -> tuple[int, int]:
        if pos >= 0:
            return int(active[pos]) * 256 + int(self.inactive[pos]), int(self.weight[pos])
        t = self.trash.get(key)
        return (t.active * 256 + t.inactive, t.weight) if t else (0, 0)

    def _pos(self, key: str | None) -> int:
        if key is None:
            return -1
        if self._pos_map is None:
            self._pos_map = {k: i for i, k in enumerate(self.endpoint_keys)}
        return self._pos_map.get(key, -1)

    # ------------------------------------------------------------------ reporting
    def expected_shares(self) -> np.ndarray:
        n = len(self.endpoint_keys)
        if self.scheduler == "rr":
            usable = self.weight > 0
            return usable / usable.sum() if usable.any() else np.zeros(n)
        if self.scheduler == "wrr":
            dest, _ = S.wrr_cycle(self.weight, self.wrr_mw, self.wrr_di)
            return np.bincount(dest, minlength=n) / dest.size if dest.size else np.zeros(n)
        raise ValueError(f"IPVS {self.scheduler} has no fixed share vector (only rr and wrr are stateless in share)")

    def _describe(self, i: int, j: int) -> str:
        if j < 0:
            return f"IPVS {self.scheduler}: no destination available -> ICMP port unreachable"
        return f"IPVS {self.scheduler} -> {self.endpoint_keys[j]}"

    def _describe_affinity(self, j: int) -> str:
        t = self.affinity.timeout if self.affinity else 0
        return f"IPVS persistent {t:g} template -> {self.endpoint_keys[j]}"
