"""Plain-Python references: every load-balancing algorithm, one connection at a time, as the C code does it.

These follow the kernel / kube-proxy logic literally (pointer scans over the destination list, strict
comparisons, list order) and are deliberately unoptimised. Tests check the vectorised balancers against
them; the benchmark times them as the "plain loop" baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.proxy.iptables import STATISTIC_SCALE, chain_probabilities, statistic_stored_value
from core.proxy.ipvs import LBLC_EXPIRATION, plan_real_server_sync
from core.proxy.ipvs_hash import MH_HASH1_KEY, MH_HASH2_KEY, MH_TAB_SIZE, hash_32, mh_hash, mh_turns, split_key

# ---------------------------------------------------------------------------------------------- iptables


def iptables_pick_one(stored: Sequence[int], rng: np.random.Generator) -> int:
    """Walk the KUBE-SVC chain: rule i matches when ``(get_random_u32() & 0x7FFFFFFF) < stored[i]``."""
    for i, s in enumerate(stored):
        if (int(rng.integers(0, 1 << 32)) & 0x7FFFFFFF) < s:
            return i
    return len(stored)


def iptables_stored(n: int) -> list[int]:
    return [statistic_stored_value(p) for p in chain_probabilities(n)]


def nftables_pick_one(n: int, rng: np.random.Generator) -> int:
    """``numgen random mod n``: ``reciprocal_scale(get_random_u32(), n)``."""
    return (int(rng.integers(0, 1 << 32)) * n) >> 32


assert STATISTIC_SCALE == 1 << 31

# ---------------------------------------------------------------------------------------------- userspace


class RefUserspace:
    """``LoadBalancerRR`` of one service: shuffled list, index, ClientIP affinity map, dial retries."""

    def __init__(self, affinity_timeout: float | None = None) -> None:
        self.endpoints: list[str] = []
        self.index = 0
        self.ttl = affinity_timeout
        self.affinity: dict[int, tuple[str, float]] = {}

    def set_endpoints(self, shuffled: list[str]) -> None:
        """The list after ``ShuffleStrings`` (tests pass the same shuffle the balancer used)."""
        self.endpoints = list(shuffled)
        self.index = 0
        self.affinity = {ip: v for ip, v in self.affinity.items() if v[0] in shuffled}

    def next_endpoint(self, src_ip: int, now: float, reset: bool) -> str:
        if self.ttl is not None and not reset:
            hit = self.affinity.get(src_ip)
            if hit is not None and now - hit[1] < self.ttl:
                self.affinity[src_ip] = (hit[0], now)
                return hit[0]
        ep = self.endpoints[self.index]
        self.index = (self.index + 1) % len(self.endpoints)
        if self.ttl is not None:
            self.affinity[src_ip] = (ep, now)
        return ep

    def connect(self, src_ip: int, now: float, alive: dict[str, bool] | None = None) -> str | None:
        if not self.endpoints:
            return None
        reset = False
        for _ in range(4):
            ep = self.next_endpoint(src_ip, now, reset)
            if alive is None or alive[ep]:
                return ep
            reset = True
        return None


# ---------------------------------------------------------------------------------------------- IPVS


class Dest:
    def __init__(self, key: str, weight: int) -> None:
        self.key = key
        self.addr, self.port = split_key(key)
        self.weight = weight
        self.last_weight = weight
        self.active = 0
        self.inactive = 0
        self.quiesced = False


def _overhead(d: Dest) -> int:
    return (d.active << 8) + d.inactive


class RefIpvs:
    """One IPVS virtual server: kernel list (head first), dest trash, and the scheduler's state."""

    def __init__(self, scheduler: str, sh_port: bool = False, mh_port: bool = True, vip: int = 0) -> None:
        self.scheduler = scheduler
        self.dests: list[Dest] = []
        self.trash: dict[str, Dest] = {}
        self.sh_port, self.mh_port, self.vip = sh_port, mh_port, vip
        self.rr_ptr: Dest | None = None  # None = &svc->destinations (head)
        self.wrr_cl: Dest | None = None
        self.di, self.mw, self.cw = 1, 0, 0
        self.buckets: list[Dest | None] = []
        self.lblc: dict[int, list] = {}  # daddr -> [dest, lastuse]
        self.lblcr: dict[int, dict] = {}  # daddr -> {"set": [dest...], "lastmod": t, "lastuse": t}
        self._changed()

    # -- control plane -----------------------------------------------------------------------
    def sync(self, keys: Sequence[str], weights: Sequence[int] | None = None) -> None:
        weights = list(weights) if weights is not None else [1] * len(keys)
        current = [(d.key, d.weight, d.active + d.inactive, d.quiesced) for d in self.dests]
        for op, key, w in plan_real_server_sync(current, keys, weights):
            if op == "add":
                d = self.trash.pop(key, None) or Dest(key, w)
                d.weight = w
                if w > 0:
                    d.last_weight = w
                d.quiesced = False
                self.dests.insert(0, d)  # list_add_rcu at the head
            elif op == "del":
                d = next(x for x in self.dests if x.key == key)
                i = self.dests.index(d)
                if self.rr_ptr is d:
                    self.rr_ptr = self.dests[i - 1] if i > 0 else None
                self.dests.remove(d)
                self.trash[key] = d
            else:
                d = next(x for x in self.dests if x.key == key)
                d.weight = w
                if w > 0:
                    d.last_weight = w
                if w == 0 and key not in keys:
                    d.quiesced = True
            self._changed()

    def _changed(self) -> None:
        s = self.scheduler
        if s == "wrr":
            g = 0
            for d in self.dests:
                if d.weight > 0:
                    g = math.gcd(g, d.weight)
            self.di = g if g else 1
            self.mw = max([d.weight for d in self.dests], default=0) - (self.di - 1)
            self.wrr_cl = None
            if self.cw > self.mw or self.cw == 0:
                self.cw = self.mw
            elif self.di > 1:
                self.cw = (self.cw // self.di) * self.di + 1
        elif s in ("dh", "sh"):
            self.buckets = []
            if self.dests:
                p = 0
                count = 0
                for _ in range(256):
                    d = self.dests[p]
                    self.buckets.append(d)
                    if s == "dh":
                        p = (p + 1) % len(self.dests)
                    else:
                        count += 1
                        if count >= d.weight:
                            p = (p + 1) % len(self.dests)
                            count = 0
        elif s == "mh":
            self._mh_populate()

    def _mh_populate(self) -> None:
        m = MH_TAB_SIZE
        self.buckets = [None] * m
        turns = mh_turns([d.last_weight for d in self.dests])
        if not any(t > 0 for t in turns):
            return
        perm = [mh_hash(d.addr, d.port, MH_HASH1_KEY) % m for d in self.dests]
        skip = [mh_hash(d.addr, d.port, MH_HASH2_KEY) % (m - 1) + 1 for d in self.dests]
        taken = [False] * m
        n = 0
        while True:
            p = 0
            dt_count = 0
            while p < len(self.dests):
                if turns[p] < 1:
                    p += 1
                    continue
                c = perm[p]
                while taken[c]:
                    perm[p] += skip[p]
                    if perm[p] >= m:
                        perm[p] -= m
                    c = perm[p]
                taken[c] = True
                self.buckets[c] = self.dests[p]
                n += 1
                if n == m:
                    return
                dt_count += 1
                if dt_count >= turns[p]:
                    dt_count = 0
                    p += 1

    # -- data plane ------------------------------------------------------------------------------
    def connect(self, saddr: int, sport: int, now: float, daddr: int | None = None) -> str | None:
        daddr = self.vip if daddr is None else daddr
        d = getattr(self, "_sched_" + self.scheduler)(saddr, sport, daddr, now)
        if d is None:
            return None
        d.active += 1
        return d.key

    def release(self, key: str, kind: str) -> None:
        d = next(x for x in self.dests if x.key == key)
        if kind in ("active_to_inactive", "active_closed"):
            d.active -= 1
            if kind == "active_to_inactive":
                d.inactive += 1
        else:
            d.inactive -= 1

    def _sched_rr(self, saddr, sport, daddr, now):
        lst = self.dests
        start = -1 if self.rr_ptr is None else lst.index(self.rr_ptr)
        for i in range(start + 1, len(lst)):
            if lst[i].weight > 0:
                self.rr_ptr = lst[i]
                return lst[i]
        if start >= 0:  # second pass up to and including the old position
            for i in range(0, start + 1):
                if lst[i].weight > 0:
                    self.rr_ptr = lst[i]
                    return lst[i]
        return None

    def _sched_wrr(self, saddr, sport, daddr, now):
        if self.mw == 0:
            return None
        lst = self.dests
        i = -1 if self.wrr_cl is None else lst.index(self.wrr_cl)
        while True:
            for j in range(i + 1, len(lst)):
                if lst[j].weight >= self.cw:
                    self.wrr_cl = lst[j]
                    return lst[j]
            i = -1
            self.cw -= self.di
            if self.cw <= 0:
                self.cw = self.mw

    def _sched_lc(self, saddr, sport, daddr, now):
        least, loh = None, 0
        for d in self.dests:
            if d.weight == 0:
                continue
            doh = _overhead(d)
            if least is None or doh < loh:
                least, loh = d, doh
        return least

    def _weighted_least(self, oh) -> Dest | None:
        it = iter(self.dests)
        least = None
        for d in it:
            if d.weight > 0:
                least, loh = d, oh(d)
                break
        if least is None:
            return None
        for d in it:
            doh = oh(d)
            if loh * d.weight > doh * least.weight:
                least, loh = d, doh
        return least

    def _sched_wlc(self, saddr, sport, daddr, now):
        return self._weighted_least(_overhead)

    def _sched_sed(self, saddr, sport, daddr, now):
        return self._weighted_least(lambda d: d.active + 1)

    def _sched_nq(self, saddr, sport, daddr, now):
        least, loh = None, 0
        for d in self.dests:
            if d.weight == 0:
                continue
            doh = d.active + 1
            if d.active == 0:
                return d
            if least is None or loh * d.weight > doh * least.weight:
                least, loh = d, doh
        return least

    def _bucket_owner(self, b: int) -> Dest | None:
        d = self.buckets[b] if self.buckets else None
        return d if d is not None and d.weight > 0 else None

    def _sched_dh(self, saddr, sport, daddr, now):
        return self._bucket_owner(hash_32(daddr, 8))

    def _sched_sh(self, saddr, sport, daddr, now):
        port = sport if self.sh_port else 0
        return self._bucket_owner(hash_32((port + saddr) & 0xFFFFFFFF, 8) & 255)

    def _sched_mh(self, saddr, sport, daddr, now):
        port = sport if self.mh_port else 0
        return self._bucket_owner(mh_hash(saddr, port, MH_HASH1_KEY) % MH_TAB_SIZE)

    def _is_overloaded(self, dest: Dest) -> bool:
        if dest.active > dest.weight:
            for d in self.dests:
                if d.active * 2 < d.weight:
                    return True
        return False

    def _available(self, d: Dest) -> bool:
        return d in self.dests

    def _sched_lblc(self, saddr, sport, daddr, now):
        en = self.lblc.get(daddr)
        if en is not None and now - en[1] > LBLC_EXPIRATION:
            en = None
        if en is not None:
            en[1] = now
            d = en[0]
            if self._available(d) and d.weight > 0 and not self._is_overloaded(d):
                return d
        d = self._weighted_least(_overhead)
        if d is None:
            return None
        self.lblc[daddr] = [d, now]
        return d

    def _sched_lblcr(self, saddr, sport, daddr, now):
        en = self.lblcr.get(daddr)
        if en is not None and now - en["lastuse"] > LBLC_EXPIRATION:
            del self.lblcr[daddr]
            en = None
        if en is None:
            d = self._weighted_least(_overhead)
            if d is None:
                return None
            self.lblcr[daddr] = {"set": [d], "lastmod": now, "lastuse": now}
            return d
        en["lastuse"] = now
        dest = self._set_min(en["set"])
        if len(en["set"]) > 1 and now > en["lastmod"] + LBLC_EXPIRATION:
            m = self._set_max(en["set"])
            if m is not None:
                en["set"].remove(m)
                en["lastmod"] = now
        if dest is not None and not self._is_overloaded(dest):
            return dest
        d = self._weighted_least(_overhead)
        if d is None:
            return None
        if d not in en["set"]:
            en["set"].insert(0, d)
            en["lastmod"] = now
        return d

    def _set_min(self, members: list[Dest]) -> Dest | None:
        it = iter(members)
        least = None
        for d in it:
            if d.weight > 0 and self._available(d):
                least, loh = d, _overhead(d)
                break
        if least is None:
            return None
        for d in it:
            doh = _overhead(d)
            if loh * d.weight > doh * least.weight and self._available(d):
                least, loh = d, doh
        return least

    def _set_max(self, members: list[Dest]) -> Dest | None:
        it = iter(members)
        most = None
        for d in it:
            if d.weight > 0:
                most, moh = d, _overhead(d)
                break
        if most is None:
            return None
        for d in it:
            doh = _overhead(d)
            if moh * d.weight < doh * most.weight and d.weight > 0:
                most, moh = d, doh
        return most
