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

When numba is available (``core.jit``) a batch is decided by the compiled loops of
``core.dataplane.ipvs_kernels`` instead: one sort of the batch per (pair, arrival), then a pass that finds
the pairs by merging with the sorted keys and a pass that picks connection by connection, as the kernel
does. A batch's connections are then recorded one cell per connection (``REPEATED``: cells may repeat)
and counted by compiled loops. The numpy paths below stay for ``PODPATH_JIT=0`` and platforms without
numba; tests pin both to the same picks, pointers and counters.

Anything else -- a Service whose endpoints change in a node's view, a switch to another scheduler --
moves the affected pairs out into ordinary ``IpvsBalancer`` objects with their list, pointer and counters
(``take_out``); from then on the per-object path (graceful termination, dest trash, every scheduler)
applies to them. Requests to a pair that was taken out are left to that path.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from core.dataplane import ipvs_kernels as K

STORE_SCHEDULERS = {"rr": 0, "lc": 1, "wlc": 1, "sed": 2, "nq": 2}
SMALL_GROUP = 64  # a pair with more requests than this in one batch is merged per pair (least_merge)
DENSE_LIMIT = 1 << 27  # pair keys up to this use a direct map (4 bytes per key, pages touched on use)
INT32_SAFE = (1 << 31) // 512  # active counts below this keep active * 256 + inactive inside int32
# ``mult`` of a recorded batch whose cells may repeat (one connection per entry): the compiled path records
# its picks in arrival order without merging them; counter updates add entry by entry
REPEATED = "repeated"
_NO_MULT = np.zeros(0, np.int64)


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


def _add_cells(counts: np.ndarray, cells: np.ndarray, mult, sign: int) -> None:
    """``counts.flat[cells] += sign * mult`` for distinct ``cells`` (``mult`` None: 1 each; ``REPEATED``:
    1 each, ``cells`` may repeat)."""
    view = counts.reshape(-1)
    compiled = K.add.get()
    if compiled is not None:
        compiled(view, cells, _NO_MULT if mult is None or isinstance(mult, str) else mult, sign)
        return
    if isinstance(mult, str):  # recorded by the compiled path, replayed without it (a restored checkpoint)
        np.add.at(view, cells.astype(np.intp), sign)
        return
    if cells.dtype != np.intp:
        # numpy's fancy indexing converts other index types per access (twice for ``+=``); once here is
        # about 40 % cheaper on a million cells
        cells = cells.astype(np.intp)
    if mult is None:
        view[cells] += sign
    elif sign > 0:
        view[cells] += mult
    else:
        view[cells] -= mult


def _distinct(a: np.ndarray) -> list[int]:
    """Distinct values of a small-valued non-negative int array, ascending (no hashing of 10^6 items)."""
    if a.size == 0:
        return []
    lo, hi = int(a.min()), int(a.max())
    if lo == hi:
        return [lo]
    return np.flatnonzero(np.bincount(a)).tolist()


def _run_lengths(sorted_cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    first = np.empty(sorted_cells.size, bool)
    first[:1] = True
    np.not_equal(sorted_cells[1:], sorted_cells[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return sorted_cells[starts], np.diff(np.append(starts, sorted_cells.size))


def _argmin_rows(mat: np.ndarray, rows: np.ndarray, used: int | None = None) -> np.ndarray:
    """``np.take(mat, rows, axis=0).argmin(axis=1)`` for non-negative ``mat``: the least value of each row,
    earliest column on ties. Per block of rows, each value is packed with its column (``value << bits |
    column``) and the block is reduced column against column, so numpy's inner loop runs down the rows
    rather than once per row. When ``rows`` number at least half of the ``used`` leading rows, every used
    row is reduced front to back and the answers are gathered (a sequential pass over the counters costs
    less than fetching each requested row from a random place)."""
    w = mat.shape[1]
    if rows.size < 4096 or w > 256:
        return np.take(mat, rows, axis=0).argmin(axis=1)
    if used is not None and 2 * rows.size >= used:
        return np.take(_argmin_blocks(mat, None, used, np.int8 if w <= 127 else np.int64), rows)
    return _argmin_blocks(mat, rows, rows.size, np.int64)


def _argmin_blocks(mat: np.ndarray, rows: np.ndarray | None, n: int, dtype) -> np.ndarray:
    """The least column of ``mat[rows]`` (``rows`` None: of the first ``n`` rows), block by block."""
    w = mat.shape[1]
    bits = max(1, (w - 1).bit_length())
    low = (1 << bits) - 1
    out = np.empty(n, dtype)
    chunk = max(1024, (1 << 18) // w)
    cols = {t: np.arange(w, dtype=t)[:, None] for t in (np.int16, np.int32, np.int64)}
    for s in range(0, n, chunk):
        src = mat[s:min(s + chunk, n)] if rows is None else np.take(mat, rows[s:s + chunk], axis=0)
        top = int(src.max())
        if top < 1 << (15 - bits):
            t = np.int16  # small counters (the usual case): half the bytes to pack and reduce
        else:
            t = np.int32 if top < 1 << (31 - bits) else np.int64
        # packed column-major (one row per column of ``mat``), so every pass runs down a block's rows
        g = np.empty((w, src.shape[0]), t)
        np.copyto(g, src.T, casting="unsafe")
        g <<= bits
        g |= cols[t]
        np.bitwise_and(g.min(axis=0), low, out=out[s:s + chunk], casting="unsafe")
    return out


class IpvsStore:
    """The IPVS state of every (node, virtual service) pair that has not been taken out to an object."""

    force_sorted = False  # tests: decide every batch by the sort of the whole batch (the reference path)
    # None: decide through the compiled loops (``ipvs_kernels``) when numba is there (``core.jit``);
    # False: always the numpy path (tests compare the two)
    use_compiled: bool | None = None

    def __init__(self, n_vs: int, n_nodes: int = 0) -> None:
        self.nv = n_vs + 1
        self.keys = np.zeros(0, np.int64)  # sorted node * nv + vs
        self.key_pid = np.zeros(0, np.int64)
        # key -> pair id + 1 (0: none): np.zeros maps zero pages lazily, so memory follows the pairs in use
        size = n_nodes * self.nv
        self.dense = np.zeros(size, np.int32) if 0 < size <= DENSE_LIMIT else None
        self.n = 0
        self.p_w = np.zeros(0, np.int32)
        self.p_row = np.zeros(0, np.int64)
        self.p_ptr = np.zeros(0, np.int32)
        self.p_out = np.zeros(0, bool)  # taken out to an IpvsBalancer (or dropped)
        self.widths: dict[int, _Width] = {}
        # this tick's connections: [list width, distinct cells row * width + column, connections per cell
        # (None: 1 each), whether activeconns already count them]. A batch's picks are added to activeconns
        # lazily (``_flush``): only a later read in the same tick needs them, and close() would take them
        # straight back out again
        self.opened: list[list] = []
        self.expiry: deque[tuple[float, int, np.ndarray, np.ndarray | None]] = deque()

    # ------------------------------------------------------------------------------ checkpoints
    def snapshot(self) -> dict:
        """A copy of the whole state (the direct map is rebuilt on restore, not copied)."""
        self._flush()
        return {
            "n": self.n, "keys": self.keys.copy(), "key_pid": self.key_pid.copy(),
            "p": {name: getattr(self, name)[: self.n].copy() for name in ("p_w", "p_row", "p_ptr", "p_out")},
            "widths": {w: (c.rows, c.active[: c.rows].copy(), c.inactive[: c.rows].copy())
                       for w, c in self.widths.items()},
            "opened": [list(e) for e in self.opened],
            "expiry": list(self.expiry),
        }

    def restore(self, snap: dict) -> None:
        if self.dense is not None:  # clear only the entries in use: untouched pages of the map stay unmapped
            self.dense[self.keys[self.keys < self.dense.size]] = 0
        self.n = snap["n"]
        self.keys, self.key_pid = snap["keys"].copy(), snap["key_pid"].copy()
        for name, arr in snap["p"].items():
            setattr(self, name, arr.copy())
        self.widths = {}
        for w, (rows, active, inactive) in snap["widths"].items():
            c = self.widths[w] = _Width(w)
            c.allocate(rows)
            c.active[:rows] = active
            c.inactive[:rows] = inactive
        self.opened = [list(e) for e in snap["opened"]]
        self.expiry = deque(snap["expiry"])  # entries are never modified in place: sharing is safe
        if self.dense is not None:
            inside = self.keys < self.dense.size
            self.dense[self.keys[inside]] = self.key_pid[inside] + 1

    def __getstate__(self) -> dict:
        """Pickling (checkpoints) leaves the direct map out: it is rebuilt from the sorted keys."""
        state = dict(self.__dict__)
        state.pop("_stamp", None)  # scratch arrays
        state.pop("_mark", None)
        state.pop("_work", None)
        dense = state.pop("dense")
        state["_dense_size"] = None if dense is None else dense.size
        return state

    def __setstate__(self, state: dict) -> None:
        size = state.pop("_dense_size")
        self.__dict__.update(state)
        self.dense = None if size is None else np.zeros(size, np.int32)
        if self.dense is not None:
            inside = self.keys < size
            self.dense[self.keys[inside]] = self.key_pid[inside] + 1

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
        for w in _distinct(width):
            sel = width == w
            self.p_row[pid[sel]] = self._width(int(w)).allocate(int(sel.sum()))
        self.n = total
        at = np.searchsorted(self.keys, ukey)
        self.keys = np.insert(self.keys, at, ukey)
        self.key_pid = np.insert(self.key_pid, at, pid)
        if self.dense is not None:
            inside = ukey < self.dense.size  # a node added later lies beyond the map: sorted keys only
            self.dense[ukey[inside]] = pid[inside] + 1
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
        if self.dense is not None:
            self.dense[self.keys[lo:hi]] = 0
        self.keys = np.delete(self.keys, np.s_[lo:hi])
        self.key_pid = np.delete(self.key_pid, np.s_[lo:hi])

    def reset_pointers(self, pid: np.ndarray) -> None:
        """A switch between store schedulers: rr's init_service points at the list head again."""
        self.p_ptr[pid] = -1

    def _flush(self) -> None:
        """Count this tick's open connections in activeconns (before anything reads them)."""
        for entry in self.opened:
            if not entry[3]:
                _add_cells(self.widths[entry[0]].active, entry[1], entry[2], 1)
                entry[3] = True

    def state_of(self, pid: int) -> tuple[np.ndarray, np.ndarray, int]:
        """(active, inactive, rr pointer column) of one pair, in kernel list order."""
        self._flush()
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
        for t, w, flat, mult in self.expiry:
            if w not in owners:
                keep.append((t, w, flat, mult))
                continue
            who = owners[w][flat // w]
            hit = who >= 0
            if hit.any():
                for p in np.unique(who[hit]).tolist():
                    mine = who == p
                    cols = (flat[mine] % w).astype(np.int64)
                    moved.append((t, p, cols if mult is None or isinstance(mult, str)
                                  else np.repeat(cols, mult[mine])))
                flat, mult = flat[~hit], (mult[~hit] if mult is not None and not isinstance(mult, str) else mult)
            if flat.size:
                keep.append((t, w, flat, mult))
        self.expiry = keep
        return moved

    # ------------------------------------------------------------------------------ deciding
    def decide(self, node: np.ndarray, vs: np.ndarray, sched, width: np.ndarray, per_vs: bool = False) -> tuple:
        """Picks for a batch of new connections (arrival order) whose nodes share one compiled view.

        ``sched[i]``: STORE_SCHEDULERS code of the node's scheduler (one int when every node shares it);
        ``width[i]``: the Service's number of cluster endpoints in that view (with ``per_vs``: ``width[v]``
        per virtual service). Returns ``(handled, col)``: ``handled`` False where the pair was taken out
        (the caller uses its object); ``col`` the kernel list position picked (-1: none).
        """
        n = node.size
        if n == 0:
            return np.ones(0, bool), np.full(0, -1, np.int64)
        key = np.multiply(node, self.nv, out=self._tmp("key", n, np.int64), dtype=np.int64)
        key += vs
        if np.isscalar(sched):
            code = int(sched)
        else:
            lo, hi = int(sched.min()), int(sched.max())
            code = lo if lo == hi else None
        if self._compiled():
            return self._decide_compiled(key, sched, code, width, per_vs)
        if (code is not None and self.dense is not None and not self.force_sorted
                and int(key.max()) < self.dense.size):
            return self._decide_direct(key, code, width, per_vs)
        return self._decide_sorted(key, sched, width, per_vs)

    def _compiled(self) -> bool:
        if self.force_sorted or self.use_compiled is False or not K.available():
            return False
        if self.n == 0 and self.dense is not None:
            # the compiled lookup walks the sorted keys: the direct map (200 MB of address space at 5,000
            # nodes, a page touched per pair) is not needed; the numpy paths search the sorted keys too
            self.dense = None
        return True

    def _decide_compiled(self, key: np.ndarray, sched, code: int | None, width: np.ndarray, per_vs: bool) -> tuple:
        """``decide`` through the compiled loops (``ipvs_kernels``): the batch sorted per (pair, arrival),
        one pass finds the pairs, one pass per list width picks. Same pairs, picks, pointers and counters
        as the numpy paths; the batch is recorded cell per connection (``REPEATED``), in pair order."""
        n = key.size
        shift = max(1, int(n - 1).bit_length())
        if int(key.max()) >= 1 << (62 - shift):  # pragma: no cover - beyond 2^40 pairs and requests
            return self._decide_sorted(key, sched, width, per_vs)
        comp = key  # a work array (decide's): sorted in place
        comp <<= shift
        comp |= self._arange32(n)
        comp.sort()
        mask = (1 << shift) - 1
        pid = self._tmp("pid", n, np.int64)
        lookup = K.lookup.get()
        t = lookup(comp, shift, self.keys, self.key_pid, pid, 0)
        if t < n:  # pairs seen for the first time: created in key order (as the numpy paths do)
            rest = comp[t:]
            rk = rest >> shift
            at = np.minimum(np.searchsorted(self.keys, rk), max(self.keys.size - 1, 0))
            new = (self.keys[at] != rk) if self.keys.size else np.ones(rk.size, bool)
            ukey, first_i = np.unique(rk[new], return_index=True)
            gw = width[ukey % self.nv] if per_vs else width[rest[new][first_i] & mask]
            self._create(ukey, gw)
            lookup(comp, shift, self.keys, self.key_pid, pid, t)
        if code is None:
            codes = np.ascontiguousarray(sched, dtype=np.int8)
            code = 0
        else:
            codes = np.zeros(0, np.int8)
        pick = K.pick.get()
        idle = not self.opened  # every connection of earlier batches closed: activeconns are all 0
        one = len(self.widths) == 1  # one list width ever: rows were allocated in pair order, row = pair id
        col = np.empty(n, np.int64)
        w_one = next(iter(self.widths)) if one else -1
        if one and w_one > 0 and not self.p_out[: self.n].any():
            c = self.widths[w_one]
            cells = np.empty(n, self._cell_dtype(c))
            pick(comp, mask, n, pid, pid, code, codes, self.p_row, True, self.p_ptr, c.active, c.inactive, idle,
                 col, cells)
            self.opened.append([w_one, cells, REPEATED, False])
            return np.ones(n, bool), col
        out = np.take(self.p_out, pid)
        w_req = np.take(self.p_w, pid)
        live = ~out & (w_req > 0)
        handled = np.ones(n, bool)
        if out.any():
            handled[comp[out] & mask] = False
        col.fill(-1)
        widths = _distinct(w_req[live])
        whole = len(widths) == 1 and bool(live.all())
        for w in widths:
            sel = None if whole else np.flatnonzero(live & (w_req == w))
            c = self.widths[w]
            cells = np.empty(n if sel is None else sel.size, self._cell_dtype(c))
            pick(comp, mask, n if sel is None else -1, pid if sel is None else sel, pid, code, codes, self.p_row,
                 one, self.p_ptr, c.active, c.inactive, idle, col, cells)
            self.opened.append([w, cells, REPEATED, False])
        return handled, col

    @staticmethod
    def _cell_dtype(c: _Width):
        return np.int32 if c.active.size < 1 << 31 else np.int64

    def _decide_sorted(self, key: np.ndarray, sched, width: np.ndarray, per_vs: bool) -> tuple:
        """``decide`` by one sort of the batch per (pair, arrival): any mix of schedulers, any key."""
        n = key.size
        col = np.full(n, -1, np.int64)
        handled = np.ones(n, bool)
        shift = max(1, int(n - 1).bit_length())
        if int(key.max()) < 1 << (62 - shift):
            comp = key
            comp <<= shift
            comp |= np.arange(n, dtype=np.int64)
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
        if self.dense is not None and int(ukey[-1]) < self.dense.size:
            pid = self.dense[ukey].astype(np.int64)
            found = pid > 0
            pid -= 1
        else:
            at = np.searchsorted(self.keys, ukey)
            atc = np.minimum(at, max(self.keys.size - 1, 0))
            found = (self.keys[atc] == ukey) if self.keys.size else np.zeros(ukey.size, bool)
            pid = np.empty(ukey.size, np.int64)
            pid[found] = self.key_pid[atc[found]]
        if not found.all():
            new = ~found
            # ``width``: per request, or per virtual service (an array of the view's counts)
            gw = width[ukey[new] % self.nv] if per_vs else width[order[gstart[new]]]
            pid[new] = self._create(ukey[new], gw)
        out_g = self.p_out[pid]
        g_of = np.cumsum(first)  # group of each sorted request (+1)
        g_of -= 1
        rank = np.arange(n, dtype=np.int64)
        rank -= np.take(gstart, g_of)
        if out_g.any():
            handled[order[out_g[g_of]]] = False
        uniform = len(self.widths) == 1  # one list width everywhere: no per-pair width gathers
        gw = np.full(ukey.size, next(iter(self.widths)), np.int64) if uniform else self.p_w[pid].astype(np.int64)
        gsched = np.full(ukey.size, sched, np.int8) if np.isscalar(sched) else sched[order[gstart]]
        live = ~out_g & (gw > 0)
        # --- rr: the cycle from the pointer
        rr = live & (gsched == 0)
        if rr.all():  # the common case: one pass per step, no masks
            ptr1 = self.p_ptr[pid]
            ptr1 += 1
            scol = np.take(ptr1, g_of).astype(np.int64)
            scol += rank
            if uniform:
                w = int(gw[0])
                if int(gsize.max()) + w < 2 * w + 1:
                    np.subtract(scol, w, out=scol, where=scol >= w)  # ptr + 1 + rank < 2w: one wrap
                else:
                    scol %= w
            else:
                w_req = np.take(gw, g_of)
                if int(gsize.max()) + int(gw.max()) < 2 * int(gw.min()) + 1:
                    np.subtract(scol, w_req, out=scol, where=scol >= w_req)
                else:
                    scol %= w_req
            self.p_ptr[pid] = scol[gstart + gsize - 1]
        else:
            scol = np.full(n, -1, np.int64)  # column per sorted request
            if rr.any():
                req = rr[g_of]
                g = g_of[req]
                scol[req] = (self.p_ptr[pid[g]].astype(np.int64) + 1 + rank[req]) % gw[g]
                last = gstart[rr] + gsize[rr] - 1
                self.p_ptr[pid[rr]] = scol[last]
        # --- least-connection family: rounds over small groups, least_merge for big ones
        least = live & (gsched > 0)
        if least.any():
            # every counter opened by an earlier batch was closed: activeconns are all 0 at the start
            idle = not self.opened
            self._flush()
            self._least(least, gsize, gstart, g_of, rank, pid, gw, gsched, scol, idle)
        col[order] = scol
        # counters: every pick opens an active connection on its cell
        if bool(live.all()) and len(self.widths) == 1 and (rr.all() or not rr.any()):
            self._open_uniform(pid, gw, gsize, g_of, rank, scol, bool(rr.all()))
        else:
            picked = scol >= 0
            if picked.any():
                self._open(picked, g_of, pid, gw, gsize, rank, scol, rr)
        return handled, col

    def _tmp(self, name: str, n: int, dtype) -> np.ndarray:
        """A reusable per-request work array of ``n`` entries (contents undefined; never returned to callers
        and never kept past the call). Fresh multi-megabyte temporaries cost page faults on every batch --
        on a machine with transparent huge pages, a large share of a million-request batch."""
        work = self.__dict__.setdefault("_work", {})
        arr = work.get(name)
        if arr is None or arr.size < n or arr.dtype != dtype:
            arr = work[name] = np.empty(max(n, 64), dtype)
        return arr[:n]

    def _arange32(self, n: int) -> np.ndarray:
        """0 .. n-1 as int32, kept between batches (read only)."""
        work = self.__dict__.setdefault("_work", {})
        arr = work.get("arange")
        if arr is None or arr.size < n:
            arr = work["arange"] = np.arange(max(n, 64), dtype=np.int32)
            arr.flags.writeable = False
        return arr[:n]

    def _scratch(self, name: str, dtype) -> np.ndarray:
        """A reusable array of at least one entry per pair (not state: never read before written)."""
        arr = self.__dict__.get(name)
        if arr is None or arr.size < self.n:
            arr = np.zeros(max(self.n, 2 * (0 if arr is None else arr.size), 64), dtype)
            self.__dict__[name] = arr
        return arr

    def _decide_direct(self, key: np.ndarray, code: int, width: np.ndarray, per_vs: bool) -> tuple:
        """``decide`` through the direct map when every request's node has the same scheduler family.

        No sort of the batch: each request finds its pair in the map and picks from the pair's state as the
        first connection of its pair in the batch; only the requests of pairs that occur more than once
        (rare when a batch spreads over many pairs) are sorted per (pair, arrival) and decided in turn as
        in ``_decide_sorted``. Same picks, pointers and counters."""
        n = key.size
        pid32 = np.take(self.dense, key, out=self._tmp("pid32", n, np.int32), mode="clip")
        if not pid32.all():
            miss = np.flatnonzero(pid32 == 0)
            mk = key[miss]
            ukey, first_i = np.unique(mk, return_index=True)
            gw = width[ukey % self.nv] if per_vs else width[miss[first_i]]
            self._create(ukey, gw)
            pid32[miss] = np.take(self.dense, mk)
        pid = np.subtract(pid32, 1, out=self._tmp("pid", n, np.int64), dtype=np.int64)
        uniform = len(self.widths) == 1
        w_one = next(iter(self.widths)) if uniform else -1
        if uniform and w_one > 0 and not self.p_out[: self.n].any():  # no pair ever taken out: no gather
            return np.ones(n, bool), self._pick_direct(pid, code, None)
        out = np.take(self.p_out, pid)
        w_req = np.take(self.p_w, pid)
        live = ~out & (w_req > 0)
        col = np.full(n, -1, np.int64)
        idx = np.flatnonzero(live)
        if idx.size:
            col[idx] = self._pick_direct(pid[idx], code, None if uniform else w_req[idx].astype(np.int64))
        return ~out, col

    def _pick_direct(self, pid: np.ndarray, code: int, w_req: np.ndarray | None) -> np.ndarray:
        """Columns picked for requests of pairs in the store with non-empty lists (``w_req`` None: every
        list has the store's one width), in arrival order; updates pointers and records the connections."""
        n = pid.size
        # pairs with several requests in this batch: each pair's slot keeps one of its request numbers
        # (whichever write lands last), so every other request of the pair sees another number
        ar = self._arange32(n)
        stamp = self._scratch("_stamp", np.int32)
        stamp[pid] = ar
        loser = np.not_equal(np.take(stamp, pid, out=self._tmp("st", n, np.int32), mode="clip"), ar,
                             out=self._tmp("loser", n, bool))
        multi = None
        if loser.any():
            mpairs = np.unique(pid[loser])
            mark = self._scratch("_mark", bool)
            mark[mpairs] = True
            multi = np.flatnonzero(np.take(mark, pid, out=self._tmp("mk", n, bool), mode="clip"))  # every request of those pairs, in arrival order
            mark[mpairs] = False
        w = None if w_req is None else w_req
        w_one = next(iter(self.widths)) if w_req is None else -1
        if code == 0:
            col = self._rr_direct(pid, w, w_one, multi)
        else:
            col = self._least_direct(pid, code, w, w_one, multi)
        self._open_direct(pid, col, code, w, w_one, multi)
        return col

    def _multi_groups(self, pid: np.ndarray, multi: np.ndarray) -> tuple:
        """The requests ``multi`` grouped per pair, arrival order within a pair: (their indices sorted,
        group starts, sizes, group of each, rank within the group)."""
        m = multi.size
        shift = max(1, int(m - 1).bit_length())
        comp = pid[multi] << shift
        comp |= np.arange(m, dtype=np.int64)
        comp.sort()
        sorted_idx = multi[comp & ((1 << shift) - 1)]
        skey = comp >> shift
        first = np.empty(m, bool)
        first[0] = True
        np.not_equal(skey[1:], skey[:-1], out=first[1:])
        gstart = np.flatnonzero(first)
        gsize = np.diff(np.append(gstart, m))
        g_of = np.cumsum(first) - 1
        rank = np.arange(m, dtype=np.int64) - gstart[g_of]
        return sorted_idx, gstart, gsize, g_of, rank

    def _rr_direct(self, pid, w, w_one: int, multi) -> np.ndarray:
        col = np.add(np.take(self.p_ptr, pid, out=self._tmp("ptr", pid.size, np.int32), mode="clip"), 1, dtype=np.int64)
        big = 1
        if multi is not None:
            sidx, gstart, gsize, g_of, rank = self._multi_groups(pid, multi)
            col[sidx] += rank  # sidx are distinct requests
            big = int(gsize.max())
        if w is None:
            if big <= w_one:
                np.subtract(col, w_one, out=col, where=col >= w_one)  # ptr + 1 + rank < 2w: one wrap
            else:
                col %= w_one
        else:
            col %= w
        ptr = self._tmp("ptr", col.size, np.int32)
        np.copyto(ptr, col, casting="unsafe")  # columns < list width: exact in int32
        self.p_ptr[pid] = ptr  # a pair with several requests: fixed just below to its last one
        if multi is not None:
            last = sidx[gstart + gsize - 1]
            self.p_ptr[pid[last]] = ptr[last]
        return col

    def _least_direct(self, pid, code: int, w, w_one: int, multi) -> np.ndarray:
        idle = not self.opened  # every counter opened by an earlier batch was closed: activeconns all 0
        self._flush()
        n = pid.size
        col = np.empty(n, np.int64)
        rows = pid if len(self.widths) == 1 else np.take(self.p_row, pid)  # one width ever: row = pair id
        for wv in ([w_one] if w is None else _distinct(w)):
            sel = None if w is None else np.flatnonzero(w == wv)
            r = rows if sel is None else rows[sel]
            c = self.widths[wv]
            if idle and code == 1:  # the overhead is inactconns alone
                pick = _argmin_rows(c.inactive, r, c.rows)
            elif idle:  # sed/nq with every server idle: the list head
                pick = np.zeros(r.size, np.int64)
            else:
                pick = self._least_round(c, r, np.full(r.size, code == 1))
            if sel is None:
                col[:] = pick
            else:
                col[sel] = pick
        if multi is not None:
            # pairs with several requests: their picks in turn (the picks above are each pair's first)
            sidx, gstart, gsize, g_of, rank = self._multi_groups(pid, multi)
            gpid = pid[sidx[gstart]]
            gw = np.full(gstart.size, w_one, np.int64) if w is None else w[sidx[gstart]].astype(np.int64)
            scol = np.full(sidx.size, -1, np.int64)
            self._least(np.ones(gstart.size, bool), gsize, gstart, g_of, rank, gpid, gw,
                        np.full(gstart.size, code, np.int8), scol, idle)
            col[sidx] = scol
        return col

    def _open_direct(self, pid, col, code: int, w, w_one: int, multi) -> None:
        """Record the batch's connections: one distinct cell per pair with a single request, and the
        multi-request pairs' cells with their multiplicities (as ``_open``)."""
        single = None
        if multi is not None:
            single = np.ones(pid.size, bool)
            single[multi] = False
        for wv in ([w_one] if w is None else _distinct(w)):
            sel = single if w is None else (w == wv if single is None else single & (w == wv))
            p = pid if sel is None else pid[sel]
            # one list width ever: rows were allocated in pair order, so a pair's row is its id. The cells
            # stay in the expiry queue for 120 s: 4 bytes each where the width's counters allow
            dt = np.int32 if self.widths[wv].active.size < 1 << 31 else np.int64
            rows = p if len(self.widths) == 1 else np.take(self.p_row, p)
            cells = np.multiply(rows, wv, dtype=dt, casting="unsafe")
            np.add(cells, col if sel is None else col[sel], out=cells, casting="unsafe")
            if cells.size:
                if cells.size > 1 << 16:
                    # distinct cells in any order count the same; ascending, the counter updates of close and
                    # expire walk the counters front to back instead of missing the cache at every cell
                    cells.sort()
                self.opened.append([wv, cells, None, False])
        if multi is not None:
            sidx, gstart, gsize, g_of, rank = self._multi_groups(pid, multi)
            gpid = pid[sidx[gstart]]
            gw = np.full(gstart.size, w_one, np.int64) if w is None else w[sidx[gstart]].astype(np.int64)
            self._open(np.ones(sidx.size, bool), g_of, gpid, gw, gsize, rank, col[sidx],
                       np.full(gstart.size, code == 0))

    def _open_uniform(self, pid, gw, gsize, g_of, rank, scol, is_rr: bool) -> None:
        """``_open`` when every pick succeeded, every list has the same width and one scheduler family
        decided: per-group values repeated instead of per-request gathers."""
        w = int(gw[0])
        cells = np.take(self.p_row[pid] * w, g_of)
        cells += scol
        big = int(gsize.max())
        if is_rr:
            if big <= w:  # no pair wrapped around its list: every cell is distinct
                self.opened.append([w, cells, None, False])
                return
            first = rank < w
            size = np.take(gsize, g_of)[first]
            mult = (size - 1 - rank[first]) // w + 1
            self.opened.append([w, cells[first], mult, False])
            return
        if big == 1:
            self.opened.append([w, cells, None, False])
            return
        single = np.take(gsize == 1, g_of)
        extra, cnt = _run_lengths(np.sort(cells[~single]))
        one = cells[single]
        self.opened.append([w, np.concatenate([one, extra]), np.concatenate([np.ones(one.size, np.int64), cnt]),
                            False])

    def _least(self, least, gsize, gstart, g_of, rank, pid, gw, gsched, scol, idle: bool) -> None:
        from core.proxy.ipvs_sched import least_merge

        small = least & (gsize <= SMALL_GROUP)
        undo: dict[int, list[np.ndarray]] = {}
        for j in range(int(gsize[small].max()) if small.any() else 0):
            groups = np.flatnonzero(small) if j == 0 else np.flatnonzero(small & (gsize > j))
            widths = _distinct(gw[groups])
            for w in widths:
                g = groups if len(widths) == 1 else groups[gw[groups] == w]
                c = self.widths[w]
                rows = self.p_row[pid[g]]
                lc = gsched[g] == 1
                if j == 0 and idle and lc.all():  # activeconns all 0: the overhead is inactconns
                    pick = np.take(c.inactive, rows, axis=0).argmin(axis=1)
                elif j == 0 and idle and not lc.any():  # sed/nq with every server idle: the list head
                    pick = np.zeros(rows.size, np.int64)
                else:
                    pick = self._least_round(c, rows, lc)
                scol[gstart[g] + j] = pick
                again = gsize[g] > j + 1  # the pair picks again in a later round: count this pick now
                if again.any():
                    cells = rows[again] * w + pick[again]
                    c.active.reshape(-1)[cells] += 1  # one row per group in a round: no repeats
                    undo.setdefault(w, []).append(cells)
        for g in np.flatnonzero(least & (gsize > SMALL_GROUP)).tolist():
            w = int(gw[g])
            c = self.widths[w]
            r = int(self.p_row[pid[g]])
            a = c.active[r].astype(np.int64)
            if gsched[g] == 1:
                picks = least_merge(a * 256 + c.inactive[r], 256, np.ones(w, np.int64), int(gsize[g]))
            else:
                picks = least_merge(a + 1, 1, np.ones(w, np.int64), int(gsize[g]))
            scol[gstart[g]:gstart[g] + gsize[g]] = picks
        # the rounds' own counting is taken back out: the batch is recorded (and counted) by _open
        for w, parts in undo.items():
            cells, cnt = _run_lengths(np.sort(np.concatenate(parts)))
            _add_cells(self.widths[w].active, cells, cnt, -1)

    @staticmethod
    def _least_round(c: _Width, rows: np.ndarray, lc: np.ndarray) -> np.ndarray:
        """One pick per row: least ``active * 256 + inactive`` (lc rows) or least ``active`` (sed/nq rows),
        earliest column on ties."""
        cost = np.take(c.active, rows, axis=0)  # a copy: the pick's cost per column
        if lc.any():
            inact = np.take(c.inactive, rows, axis=0)
            if int(cost.max()) >= INT32_SAFE or int(inact.max()) >= 1 << 22:
                cost = cost.astype(np.int64)  # active * 256 + inactive could leave int32
            if lc.all():
                cost <<= 8
                cost += inact
            else:
                cost[lc] = cost[lc] * 256 + inact[lc]
        return cost.argmin(axis=1)

    def _open(self, picked, g_of, pid, gw, gsize, rank, scol, rr) -> None:
        """Record this batch's connections (distinct cells with multiplicities) for ``close``; they count
        in activeconns from the next ``_flush``."""
        g = g_of[picked]
        w_req = gw[g]
        r = rank[picked]
        size = gsize[g]
        is_rr = rr[g]
        # rr: the cell of rank r repeats every w ranks, so ranks < w are the distinct cells and each
        # stands for ceil((size - r) / w) connections; least family: cells of groups with several requests
        # may repeat, so those are counted by a sort
        first = np.where(is_rr, r < w_req, size == 1)
        mult_all = np.where(is_rr, (size - 1 - r) // np.maximum(w_req, 1) + 1, 1)
        flat_all = self.p_row[pid[g]] * w_req + scol[picked]
        for w in _distinct(w_req):
            sel = w_req == w if len(self.widths) > 1 else slice(None)
            f_sel, first_sel, rr_sel = flat_all[sel], first[sel], is_rr[sel]
            cells = f_sel[first_sel]
            mult = mult_all[sel][first_sel]
            rest = ~first_sel & ~rr_sel
            if rest.any():
                extra, cnt = _run_lengths(np.sort(f_sel[rest]))
                cells = np.concatenate([cells, extra])
                mult = np.concatenate([mult, cnt])
            self.opened.append([w, cells, None if bool((mult == 1).all()) else mult, False])

    # ------------------------------------------------------------------------------ lifecycle
    def close(self, expires_at: float) -> None:
        """This tick's connections answered and closed: active -> inactive until ``expires_at``."""
        compiled = K.close.get()
        for w, cells, mult, counted in self.opened:
            c = self.widths[w]
            if compiled is not None:  # both counters in one pass
                compiled(c.active.reshape(-1), c.inactive.reshape(-1), cells,
                         _NO_MULT if mult is None or isinstance(mult, str) else mult, counted)
            else:
                if counted:
                    _add_cells(c.active, cells, mult, -1)
                _add_cells(c.inactive, cells, mult, 1)
            self.expiry.append((expires_at, w, cells, mult))
        self.opened.clear()

    def expire(self, now: float) -> None:
        while self.expiry and self.expiry[0][0] <= now:
            _, w, cells, mult = self.expiry.popleft()
            _add_cells(self.widths[w].inactive, cells, mult, -1)
