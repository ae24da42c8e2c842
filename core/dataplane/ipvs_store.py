"""Every node's IPVS virtual servers at once: per-(node, Service) scheduler state in arrays, not objects.

In IPVS mode each node's kernel keeps, per virtual service, its own real-server list, scheduler pointer
and connection counters (``core.proxy.ipvs.IpvsBalancer`` models one). At 5,000 nodes and 10,000 Services
that is up to 50 million independent balancers; one Python object each cannot route a million requests
in a tick. ``IpvsStore`` keeps the same state for the (node, Service) pairs that have seen traffic in flat
arrays and decides a whole batch with a handful of numpy passes:

* a pair's real-server list is the one kube-proxy programs on a fresh virtual server: the node's compiled
  view (``ViewTable``) segment of the Service, added one by one at the list head, so the kernel order is
  that segment reversed; every weight is 1 (kube-proxy's default) and nothing is quiesced;
* counters live in one 2-D array per list width (rows = pairs, columns = kernel list positions);
* rr keeps the column of its last pick (-1: the list head); lc/wlc pick the least
  ``activeconns * 256 + inactconns``, sed/nq the least ``activeconns`` (with equal weights wlc = lc and
  nq = sed), earliest in the list on ties -- exactly ``core.proxy.ipvs_sched`` one connection at a time.

Anything else -- a Service whose endpoints change in a node's view, a switch to another scheduler --
moves the affected pairs out into ordinary ``IpvsBalancer`` objects with their list, pointer and counters
(``take_out``); from then on the per-object path (graceful termination, dest trash, every scheduler)
applies to them. Requests to a pair that was taken out are left to that path.
"""

from __future__ import annotations

from collections import deque

import numpy as np

STORE_SCHEDULERS = {"rr": 0, "lc": 1, "wlc": 1, "sed": 2, "nq": 2}
SMALL_GROUP = 4  # a pair with more requests than this in one batch is merged per pair (least_merge)


class _Width:
    """Counters of every pair whose list has ``w`` real servers: one row per pair."""

    def __init__(self, w: int) -> None:
        self.w = w
        self.rows = 0
        self.active = np.zeros((16, w), np.int32)
        self.inactive = np.zeros((16, w), np.int32)

    def allocate(self, n: int) -> np.ndarray:
        need = self.rows + n
        if need > self.active.shape[0]:
            cap = max(need, 2 * self.active.shape[0])
            for name in ("active", "inactive"):
                old = getattr(self, name)
                new = np.zeros((cap, self.w), np.int32)
                new[: self.rows] = old[: self.rows]
                setattr(self, name, new)
        rows = np.arange(self.rows, need, dtype=np.int64)
        self.rows = need
        return rows


def _grow(arr: np.ndarray, n: int) -> np.ndarray:
    if n <= arr.size:
        return arr
    out = np.zeros(max(n, 2 * arr.size, 64), arr.dtype)
    out[: arr.size] = arr
    return out


def _add_cells(counts: np.ndarray, flat: np.ndarray, delta: int, dup: np.ndarray | None) -> None:
    """counts.flat[flat] += delta; ``dup`` marks the entries that may repeat a cell (added one by one)."""
    view = counts.reshape(-1)
    if dup is None or not dup.any():
        view[flat] += delta
        return
    once = flat[~dup]
    view[once] += delta
    np.add.at(view, flat[dup], delta)


class IpvsStore:
    """The IPVS state of every (node, virtual service) pair that has not been taken out to an object."""

    def __init__(self, n_vs: int) -> None:
        self.nv = n_vs + 1
        self.keys = np.zeros(0, np.int64)  # sorted node * nv + vs
        self.key_pid = np.zeros(0, np.int64)
        self.n = 0
        self.p_w = np.zeros(0, np.int32)
        self.p_row = np.zeros(0, np.int64)
        self.p_ptr = np.zeros(0, np.int32)
        self.p_out = np.zeros(0, bool)  # taken out to an IpvsBalancer (or dropped)
        self.widths: dict[int, _Width] = {}
        self.opened: list[tuple[int, np.ndarray, np.ndarray | None]] = []
        self.expiry: deque[tuple[float, int, np.ndarray, np.ndarray | None]] = deque()

    # ------------------------------------------------------------------------------ pairs
    def _width(self, w: int) -> _Width:
        c = self.widths.get(w)
        if c is None:
            c = self.widths[w] = _Width(w)
        return c

    def _create(self, ukey: np.ndarray, width: np.ndarray) -> np.ndarray:
        """New pairs (sorted keys not yet stored) with zeroed counters; returns their pair ids."""
        m = ukey.size
        pid = np.arange(self.n, self.n + m, dtype=np.int64)
        total = self.n + m
        self.p_w = _grow(self.p_w, total)
        self.p_row = _grow(self.p_row, total)
        self.p_ptr = _grow(self.p_ptr, total)
        self.p_out = _grow(self.p_out, total)
        self.p_w[self.n:total] = width
        self.p_ptr[self.n:total] = -1
        self.p_out[self.n:total] = False
        for w in np.unique(width).tolist():
            sel = width == w
            self.p_row[pid[sel]] = self._width(int(w)).allocate(int(sel.sum()))
        self.n = total
        at = np.searchsorted(self.keys, ukey)
        self.keys = np.insert(self.keys, at, ukey)
        self.key_pid = np.insert(self.key_pid, at, pid)
        return pid

    def node_pairs(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        """(virtual service indices, pair ids) of the node's pairs still in the store."""
        lo, hi = np.searchsorted(self.keys, [node * self.nv, (node + 1) * self.nv])
        pid = self.key_pid[lo:hi]
        keep = ~self.p_out[pid]
        return self.keys[lo:hi][keep] - node * self.nv, pid[keep]

    def drop_node(self, node: int) -> None:
        """The node left IPVS mode (kube-proxy cleans its virtual servers up): forget its pairs."""
        lo, hi = np.searchsorted(self.keys, [node * self.nv, (node + 1) * self.nv])
        self.p_out[self.key_pid[lo:hi]] = True
        self.keys = np.delete(self.keys, np.s_[lo:hi])
        self.key_pid = np.delete(self.key_pid, np.s_[lo:hi])

    def reset_pointers(self, pid: np.ndarray) -> None:
        """A switch between store schedulers: rr's init_service points at the list head again."""
        self.p_ptr[pid] = -1

    def state_of(self, pid: int) -> tuple[np.ndarray, np.ndarray, int]:
        """(active, inactive, rr pointer column) of one pair, in kernel list order."""
        w = int(self.p_w[pid])
        if w == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), -1
        c, r = self.widths[w], int(self.p_row[pid])
        return c.active[r].astype(np.int64), c.inactive[r].astype(np.int64), int(self.p_ptr[pid])

    def take_out(self, pids: np.ndarray) -> list[tuple[float, int, np.ndarray]]:
        """Mark pairs as moved to objects; returns their pending expiries as (time, pair id, columns)."""
        pids = np.asarray(pids, np.int64)
        if pids.size == 0:
            return []
        self.p_out[pids] = True
        moved: list[tuple[float, int, np.ndarray]] = []
        keep: deque = deque()
        owners: dict[int, np.ndarray] = {}
        for w in np.unique(self.p_w[pids]).tolist():
            if w:
                owner = owners[w] = np.full(self.widths[w].rows, -1, np.int64)
                mine = pids[self.p_w[pids] == w]
                owner[self.p_row[mine]] = mine
        for t, w, flat, dup in self.expiry:
            if w not in owners:
                keep.append((t, w, flat, dup))
                continue
            who = owners[w][flat // w]
            hit = who >= 0
            if hit.any():
                for p in np.unique(who[hit]).tolist():
                    moved.append((t, p, (flat[who == p] % w).astype(np.int64)))
                flat, dup = flat[~hit], (dup[~hit] if dup is not None else None)
            if flat.size:
                keep.append((t, w, flat, dup))
        self.expiry = keep
        return moved

    # ------------------------------------------------------------------------------ deciding
    def decide(self, node: np.ndarray, vs: np.ndarray, sched: np.ndarray, width: np.ndarray) -> tuple:
        """Picks for a batch of new connections (arrival order) whose nodes share one compiled view.

        ``sched[i]``: STORE_SCHEDULERS code of the node's scheduler; ``width[i]``: the Service's number of
        cluster endpoints in that view. Returns ``(handled, col)``: ``handled`` False where the pair was
        taken out (the caller uses its object); ``col`` the kernel list position picked (-1: none).
        """
        n = node.size
        col = np.full(n, -1, np.int64)
        handled = np.ones(n, bool)
        if n == 0:
            return handled, col
        key = node.astype(np.int64) * self.nv + vs
        shift = max(1, int(n - 1).bit_length())
        if int(key.max()) < 1 << (62 - shift):
            comp = (key << shift) | np.arange(n, dtype=np.int64)
            comp.sort()  # pair-major, arrival order within a pair: one sort of unique integers
            order = comp & ((1 << shift) - 1)
            skey = comp >> shift
        else:  # pragma: no cover - beyond 2^40 pairs and requests
            order = np.argsort(key, kind="stable")
            skey = key[order]
        first = np.empty(n, bool)
        first[0] = True
        np.not_equal(skey[1:], skey[:-1], out=first[1:])
        gstart = np.flatnonzero(first)
        ukey = skey[gstart]
        gsize = np.diff(np.append(gstart, n))
        at = np.searchsorted(self.keys, ukey)
        atc = np.minimum(at, max(self.keys.size - 1, 0))
        found = (self.keys[atc] == ukey) if self.keys.size else np.zeros(ukey.size, bool)
        pid = np.empty(ukey.size, np.int64)
        pid[found] = self.key_pid[atc[found]]
        if not found.all():
            new = ~found
            gw = width[order[gstart[new]]]
            pid[new] = self._create(ukey[new], gw)
        out_g = self.p_out[pid]
        g_of = np.repeat(np.arange(ukey.size), gsize)  # group of each sorted request
        rank = np.arange(n, dtype=np.int64) - gstart[g_of]
        if out_g.any():
            handled[order[out_g[g_of]]] = False
        scol = np.full(n, -1, np.int64)  # column per sorted request
        gw = self.p_w[pid].astype(np.int64)
        gsched = sched[order[gstart]]
        live = ~out_g & (gw > 0)
        # --- rr: the cycle from the pointer
        rr = live & (gsched == 0)
        if rr.any():
            req = rr[g_of]
            g = g_of[req]
            scol[req] = (self.p_ptr[pid[g]].astype(np.int64) + 1 + rank[req]) % gw[g]
            last = gstart[rr] + gsize[rr] - 1
            self.p_ptr[pid[rr]] = scol[last]
        # --- least-connection family: rounds over small groups, least_merge for big ones
        least = live & (gsched > 0)
        if least.any():
            self._least(least, gsize, gstart, g_of, rank, pid, gw, gsched, scol)
        col[order] = scol
        # counters: every pick opens an active connection on its cell
        picked = scol >= 0
        if picked.any():
            self._open(picked, g_of, pid, gw, gsize, scol, skip_least=least)
        return handled, col

    def _least(self, least, gsize, gstart, g_of, rank, pid, gw, gsched, scol) -> None:
        from core.proxy.ipvs_sched import least_merge

        small = least & (gsize <= SMALL_GROUP)
        for j in range(int(gsize[small].max()) if small.any() else 0):
            groups = np.flatnonzero(small & (gsize > j))
            for w in np.unique(gw[groups]).tolist():
                g = groups[gw[groups] == w]
                c = self.widths[w]
                rows = self.p_row[pid[g]]
                a = c.active[rows]
                lc = gsched[g] == 1
                cost = a.astype(np.int64)
                if lc.any():
                    cost[lc] = cost[lc] * 256 + c.inactive[rows[lc]]
                pick = cost.argmin(axis=1)
                c.active[rows, pick] += 1  # one row per group in a round: no repeats
                scol[gstart[g] + j] = pick
        for g in np.flatnonzero(least & (gsize > SMALL_GROUP)).tolist():
            w = int(gw[g])
            c = self.widths[w]
            r = int(self.p_row[pid[g]])
            a = c.active[r].astype(np.int64)
            if gsched[g] == 1:
                picks = least_merge(a * 256 + c.inactive[r], 256, np.ones(w, np.int64), int(gsize[g]))
            else:
                picks = least_merge(a + 1, 1, np.ones(w, np.int64), int(gsize[g]))
            c.active[r] += np.bincount(picks, minlength=w).astype(np.int32)
            scol[gstart[g]:gstart[g] + gsize[g]] = picks

    def _open(self, picked, g_of, pid, gw, gsize, scol, skip_least) -> None:
        """Record this batch's connections for ``close``; rr's picks raise activeconns here (the least
        family raised them while picking)."""
        g = g_of[picked]
        w_req = gw[g]
        flat_all = self.p_row[pid[g]] * w_req + scol[picked]
        multi = gsize[g] > 1
        is_rr = ~skip_least[g]
        for w in np.unique(w_req).tolist():
            sel = w_req == w
            flat = flat_all[sel]
            dup = multi[sel] if multi[sel].any() else None
            rr_sel = is_rr[sel]
            if rr_sel.any():
                _add_cells(self.widths[w].active, flat[rr_sel], 1, dup[rr_sel] if dup is not None else None)
            self.opened.append((w, flat, dup))

    # ------------------------------------------------------------------------------ lifecycle
    def close(self, expires_at: float) -> None:
        """This tick's connections answered and closed: active -> inactive until ``expires_at``."""
        for w, flat, dup in self.opened:
            c = self.widths[w]
            _add_cells(c.active, flat, -1, dup)
            _add_cells(c.inactive, flat, 1, dup)
            self.expiry.append((expires_at, w, flat, dup))
        self.opened.clear()

    def expire(self, now: float) -> None:
        while self.expiry and self.expiry[0][0] <= now:
            _, w, flat, dup = self.expiry.popleft()
            _add_cells(self.widths[w].inactive, flat, -1, dup)
