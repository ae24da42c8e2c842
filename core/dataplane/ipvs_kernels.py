"""Compiled loops for ``IpvsStore`` (``core.jit``): a batch of new connections decided one at a time.

IPVS decides connection by connection: an rr pair's pointer moves once per connection, and an lc/wlc or
sed/nq pair counts each new connection as active before it picks for the next. The numpy path of
``core.dataplane.ipvs_store`` reproduces that order with sorts, per-pair rounds and merges; the loops
here simply walk the batch in arrival order, so every pick, pointer and counter is the kernel's own
sequence -- the same integers as the numpy path (tests compare both).

The batch is first sorted by (pair key, arrival) -- one numpy sort of ``key << bits | index`` -- so a
pair's requests are adjacent and in arrival order, and the pair map, pointers and counters are walked
front to back instead of at random (a random access into 200 MB of pair map or 60 MB of counters costs
more than the sort):

* ``lookup``: the pair id of each sorted key, by one front-to-back walk of the store's sorted keys (a
  merge, not the numpy path's direct map: 8 bytes a pair read in order rather than a cache line per
  request of a 200 MB map); stops at the first key whose pair does not exist yet (the caller creates it).
* ``pick``: per request of one list width, rr (pointer + 1, wrapping), lc/wlc (least
  ``active * 256 + inactive``) or sed/nq (least ``active``), earliest column on ties; a pair's earlier
  picks in the batch count for its later ones.
* ``add`` / ``close``: counter updates over recorded cells, repeats allowed (``mult`` empty: one each).
"""

from __future__ import annotations

import numpy as np

from core.jit import kernel


def _lookup_loop(comp, shift, keys, key_pid, pid, start):  # pragma: no cover - compiled
    """``pid[t]``: the pair of the key ``comp[t] >> shift`` (``comp`` ascending), from ``t = start`` on;
    returns the first position whose pair does not exist yet (``comp.size``: none).

    Both lists are sorted, so the stored keys are walked once, front to back: from the last match, a
    galloping search (steps 1, 2, 4, ... then halving) finds the next key in O(log gap)."""
    m = keys.size
    last = np.int64(-1)
    p = np.int64(-1)
    lo = 0
    for t in range(start, comp.size):
        k = comp[t] >> shift
        if k != last:  # the requests of a pair are adjacent: one search per pair
            last = k
            if lo < m and keys[lo] < k:
                step = 1
                while lo + step < m and keys[lo + step] < k:
                    lo += step
                    step <<= 1
                hi = min(lo + step, m)  # keys[lo] < k <= keys[hi] (or hi == m)
                while hi - lo > 1:
                    mid = (lo + hi) >> 1
                    if keys[mid] < k:
                        lo = mid
                    else:
                        hi = mid
                lo = hi
            if lo < m and keys[lo] == k:
                p = key_pid[lo]
            else:
                return t
        pid[t] = p
    return comp.size


def _pick_loop(comp, mask, n_all, sel, pid, code, codes, p_row, rows_are_pids, p_ptr, active, inactive, idle,
               col, cells):  # pragma: no cover - compiled
    """Picks for the sorted requests ``sel`` (``n_all`` >= 0: the first ``n_all``), each pair's requests
    adjacent and in arrival order; ``col[comp[t] & mask]`` gets the column, ``cells[j]`` the counter cell
    of the j-th pick. Nothing is written to the counters (the caller records ``cells``). ``codes`` (per
    request, by arrival index) or ``code``: the store scheduler family; a pair's requests share one (its
    node's). ``idle``: every activeconns counter is 0 (every earlier connection closed), so only
    inactconns are read -- and nothing at all for a sed/nq pair's first pick: the list head.

    An lc/sed pair's later requests in the batch see its earlier picks counted in activeconns: they are
    decided in a second pass (pairs asked more than once per batch are few), so the first pass -- one
    pick per pair from its counters as they are -- stays a tight loop."""
    w = active.shape[1]
    shift = np.int64(1)
    while (np.int64(1) << shift) < w:
        shift += 1
    low = (np.int64(1) << shift) - 1
    count = n_all if n_all >= 0 else sel.size
    per_request = codes.size > 0
    scol = np.empty(count, np.int32)
    prev = np.int64(-1)
    again = False
    for j in range(count):
        t = j if n_all >= 0 else sel[j]
        p = pid[t]
        row = p if rows_are_pids else p_row[p]
        cd = codes[comp[t] & mask] if per_request else code
        if cd == 0:  # rr: the next server after the pointer
            c = np.int64(p_ptr[p]) + 1
            if c >= w:
                c %= w
            p_ptr[p] = c
            p = -1  # (a pair has one scheduler: its node's; prev stays an lc/sed pair only)
        elif p == prev:  # the same lc/sed pair again: second pass
            again = True
            continue
        else:  # lc/wlc: least active * 256 + inactive; sed/nq: least active (equal weights)
            # each cost packed above its column: the least packed value names the earliest least
            # column, and the loop has no data-dependent branch
            best = np.int64(1) << 62
            if not idle:
                lcm = np.int64(8) if cd == 1 else np.int64(0)
                im = np.int64(-1) if cd == 1 else np.int64(0)
                a = active[row]
                b = inactive[row]
                for k in range(w):
                    best = min(best, (((np.int64(a[k]) << lcm) + (b[k] & im)) << shift) | k)
            elif cd == 1:  # activeconns all 0: the overhead is inactconns
                b = inactive[row]
                for k in range(w):
                    best = min(best, (np.int64(b[k]) << shift) | k)
            else:  # sed/nq, every server idle: the list head
                best = 0
            c = best & low
        prev = p
        cells[j] = row * w + c
        scol[j] = c
    if again:
        extra = np.zeros(w, np.int64)  # the current pair's picks so far in this batch
        dirty = False
        first = np.int64(0)
        prev = -1
        for j in range(count):
            t = j if n_all >= 0 else sel[j]
            p = pid[t]
            cd = codes[comp[t] & mask] if per_request else code
            if cd == 0:
                continue
            if p != prev:  # a pair's first request: decided in the first pass
                if dirty:
                    for k in range(w):
                        extra[k] = 0
                    dirty = False
                prev = p
                first = scol[j]
                continue
            if not dirty:
                extra[first] += 1
                dirty = True
            row = p if rows_are_pids else p_row[p]
            lcm = np.int64(8) if cd == 1 else np.int64(0)
            im = np.int64(-1) if cd == 1 else np.int64(0)
            a = active[row]
            b = inactive[row]
            keep = np.int64(0) if idle else np.int64(-1)  # idle: activeconns are 0 (not read)
            best = np.int64(1) << 62
            for k in range(w):
                best = min(best, (((((np.int64(a[k]) & keep) + extra[k]) << lcm) + (b[k] & im)) << shift) | k)
            c = best & low
            extra[c] += 1
            cells[j] = row * w + c
            scol[j] = c
    # the columns go back to arrival order in a loop of their own: scattered stores inside the loops
    # above slow their counter reads down
    for j in range(count):
        t = j if n_all >= 0 else sel[j]
        col[comp[t] & mask] = scol[j]


def _add_loop(view, cells, mult, sign):  # pragma: no cover - compiled
    if mult.size:
        for t in range(cells.size):
            view[cells[t]] += sign * mult[t]
    else:
        for t in range(cells.size):
            view[cells[t]] += sign


def _close_loop(active, inactive, cells, mult, counted):  # pragma: no cover - compiled
    if mult.size:
        for t in range(cells.size):
            c = cells[t]
            k = mult[t]
            if counted:
                active[c] -= k
            inactive[c] += k
    else:
        for t in range(cells.size):
            c = cells[t]
            if counted:
                active[c] -= 1
            inactive[c] += 1


lookup = kernel(_lookup_loop)
pick = kernel(_pick_loop)
add = kernel(_add_loop)
close = kernel(_close_loop)


def available() -> bool:
    """True when the store decides through these compiled loops (numba present and not disabled)."""
    return pick.get() is not None
