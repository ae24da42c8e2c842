"""Vectorised IPVS schedulers: k new connections at once, exactly as k sequential kernel calls.

* rr / wrr: the picks walk a fixed cycle; a batch is arithmetic on positions in it.
* lc / wlc / sed / nq: every pick adds one active connection to the chosen dest, so dest d offers the
  increasing cost sequence ``(c_d + j*step) / w_d`` (j = 0, 1, ...). Greedy "least, earliest on ties"
  consumes these sequences in (cost, list position) order, so k picks are the k smallest candidates of
  the merge: a binary search finds the k-th cost, ``np.lexsort`` orders the candidates below it. Costs
  are compared exactly as integers scaled by ``lcm(weights) / w_d`` (the kernel's strict
  ``loh*w_d > doh*w_l``); if that could overflow int64 a plain exact loop is used instead.
* lblc / lblcr: phases in which the cached dest (set) takes consecutive picks, ended by the overload rule;
  one numpy step per phase, not per connection.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

LIMIT = 1 << 62


def _lcm(values: np.ndarray) -> int:
    m = 1
    for v in set(values.tolist()):  # (np.unique costs ~100x more on a hundred small ints)
        m = m * v // math.gcd(m, v)
        if m > LIMIT:
            return 0
    return m


def least_merge(base: np.ndarray, step: int, w: np.ndarray, k: int) -> np.ndarray:
    """Positions (into base/w) of k greedy picks minimising ``(base + j*step)/w``, ties to the lower position."""
    m = base.size
    if k == 0 or m == 0:
        return np.zeros(0, dtype=np.int64)
    base = base.astype(np.int64)
    w = w.astype(np.int64)
    lcm = _lcm(w)
    top = (int(base.max()) + (k + 1) * step) * lcm if lcm else LIMIT
    if not lcm or top >= LIMIT:
        return _least_merge_exact_loop(base, step, w, k)
    if w.min() == w.max():  # equal weights (kube-proxy programs weight 1): rounds, no sort of k items
        picks = _equal_step_merge(base, step, k)
        if picks is not None:
            return picks
    s = lcm // w
    start = base * s
    inc = step * s
    level = _water_level(start, inc, k)
    per = np.maximum((level - start) // inc + 1, 0)
    while int(per.sum()) < k:  # float rounding in the estimate: raise the level until k candidates fit
        level += int(inc.max())
        per = np.maximum((level - start) // inc + 1, 0)
    total = int(per.sum())
    dest = np.repeat(np.arange(m, dtype=np.int64), per)
    j = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
    key = start[dest] + j * inc[dest]
    order = np.lexsort((dest, key))
    return dest[order[:k]]


def _equal_step_merge(base: np.ndarray, step: int, k: int) -> np.ndarray | None:
    """``least_merge`` when every dest has the same weight: candidate j of dest d costs
    ``base_d + j*step = (q_d + j)*step + r_d`` (q, r = divmod(base_d, step)), so the picks come in rounds
    t = q_d + j, each round listing the dests with ``q_d <= t`` in (r_d, position) order. Once every dest
    has joined (t >= max q) the rounds repeat, so k picks are a few partial rounds and a tiled cycle.
    Returns None when the partial rounds would be too many to lay out (the caller sorts instead).
    """
    m = base.size
    q, r = np.divmod(base, step)
    sigma = np.lexsort((np.arange(m), r))  # m entries: the order of dests within a round
    qs = q[sigma]
    q0, q1 = int(qs.min()), int(qs.max())
    if q1 == q0:
        return np.resize(sigma, k).astype(np.int64, copy=False)
    rounds = np.arange(q0, min(q1, q0 + k))  # the partial rounds (each lists at least one dest)
    per_round = np.searchsorted(np.sort(qs), rounds, side="right")
    cum = np.cumsum(per_round)
    need = int(np.searchsorted(cum, k)) + 1 if cum[-1] >= k else rounds.size
    if need * m > 8 * (k + m):
        return None
    mask = qs[None, :] <= rounds[:need, None]
    head = np.broadcast_to(sigma, mask.shape)[mask]
    if head.size >= k:
        return head[:k].astype(np.int64, copy=False)
    return np.concatenate([head, np.resize(sigma, k - head.size)]).astype(np.int64, copy=False)


def _water_level(start: np.ndarray, inc: np.ndarray, k: int) -> int:
    """Integer level L with at least k candidates ``start_d + j*inc_d <= L`` and at most k + m of them.

    Water filling: L = (k + sum s/inc) / sum 1/inc over the dests below L; dests above are dropped and
    L recomputed (the set only shrinks, so this ends after a few rounds). Every candidate <= L is kept,
    so the k smallest are among them.
    """
    active = np.ones(start.size, dtype=bool)
    inv = 1.0 / inc
    while True:
        level = (k + float((start[active] * inv[active]).sum())) / float(inv[active].sum())
        below = start <= level
        if np.array_equal(below, active):
            return int(level)
        active = below


def _least_merge_exact_loop(base: np.ndarray, step: int, w: np.ndarray, k: int) -> np.ndarray:
    cost = [int(x) for x in base]
    ws = [int(x) for x in w]
    out = np.empty(k, dtype=np.int64)
    for r in range(k):
        best = 0
        for d in range(1, len(cost)):
            if cost[best] * ws[d] > cost[d] * ws[best]:
                best = d
        out[r] = best
        cost[best] += step
    return out


def least_one(oh: np.ndarray, w: np.ndarray) -> int:
    """Position of the dest with the least ``oh/w`` (strict comparison: earliest wins); -1 if empty."""
    if oh.size == 0:
        return -1
    ratio = oh / w
    near = np.flatnonzero(ratio <= ratio.min() * (1 + 1e-9) + 1e-300)
    best = int(near[0])
    for d in near[1:].tolist():
        if int(oh[best]) * int(w[d]) > int(oh[d]) * int(w[best]):
            best = d
    return best


def wlc_pick(active: np.ndarray, inactive: np.ndarray, weight: np.ndarray) -> int:
    """``ip_vs_wlc_schedule`` / ``__ip_vs_lblc_schedule``: usable (weight > 0) dest with least overhead/weight."""
    usable = np.flatnonzero(weight > 0)
    if usable.size == 0:
        return -1
    oh = active[usable] * 256 + inactive[usable]
    return int(usable[least_one(oh, weight[usable])])


def rr_batch(usable: np.ndarray, pointer: int, k: int) -> np.ndarray:
    """rr picks: cycle through usable list positions starting after ``pointer`` (-1 = list head)."""
    if usable.size == 0:
        return np.full(k, -1, dtype=np.int64)
    start = int(np.searchsorted(usable, pointer, side="right")) % usable.size
    return np.resize(np.roll(usable, -start), k).astype(np.int64, copy=False)  # the cycle, repeated


def cycle_counts(picks: np.ndarray, k: int, period: int, n: int) -> np.ndarray:
    """Per-dest counts of k picks that walk a cycle of ``period`` picks: whole cycles plus the remainder."""
    whole, rest = divmod(k, period)
    counts = np.bincount(picks[: min(k, period)], minlength=n) * whole if whole else np.zeros(n, dtype=np.int64)
    if rest:
        counts = counts + np.bincount(picks[k - rest :], minlength=n)
    return counts.astype(np.int64)


def wrr_cycle(weight: np.ndarray, mw: int, di: int) -> tuple[np.ndarray, np.ndarray]:
    """The full wrr cycle as (dest positions, cw level of each pick): cw = mw, mw-di, ... > 0."""
    levels = np.arange(mw, 0, -di, dtype=np.int64)
    if levels.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ok = weight[None, :] >= levels[:, None]
    lv, dest = np.nonzero(ok)
    return dest.astype(np.int64), levels[lv]


def wrr_batch(weight: np.ndarray, cl: int, cw: int, mw: int, di: int, k: int) -> tuple[np.ndarray, int, int]:
    """k wrr picks from state (cl position or -1, cw); returns picks and the new (cl, cw)."""
    if mw <= 0:
        return np.full(k, -1, dtype=np.int64), cl, cw
    dest, lvl = wrr_cycle(weight, mw, di)
    n = weight.size
    keys = (mw - lvl) * (n + 1) + dest + 1
    start = int(np.searchsorted(keys, (mw - cw) * (n + 1) + cl + 1, side="right")) % dest.size
    if k == 0:
        return np.zeros(0, dtype=np.int64), cl, cw
    last = (start + k - 1) % dest.size
    return np.resize(np.roll(dest, -start), k), int(dest[last]), int(lvl[last])


def sed_batch(active: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    usable = np.flatnonzero(weight > 0)
    if usable.size == 0:
        return np.full(k, -1, dtype=np.int64)
    return usable[least_merge(active[usable] + 1, 1, weight[usable], k)]


def nq_batch(active: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    """nq: first the idle usable dests in list order (one each), then sed on the rest of the batch."""
    usable = np.flatnonzero(weight > 0)
    if usable.size == 0:
        return np.full(k, -1, dtype=np.int64)
    idle = usable[active[usable] == 0][:k]
    a = active.copy()
    a[idle] += 1
    rest = usable[least_merge(a[usable] + 1, 1, weight[usable], k - idle.size)]
    return np.concatenate([idle, rest]).astype(np.int64)


def lc_batch(active: np.ndarray, inactive: np.ndarray, weight: np.ndarray, k: int, weighted: bool) -> np.ndarray:
    usable = np.flatnonzero(weight > 0)
    if usable.size == 0:
        return np.full(k, -1, dtype=np.int64)
    w = weight[usable] if weighted else np.ones(usable.size, dtype=np.int64)
    return usable[least_merge(active[usable] * 256 + inactive[usable], 256, w, k)]


def _exists_underloaded(active: np.ndarray, weight: np.ndarray, skip: np.ndarray | None = None) -> bool:
    hit = active * 2 < weight
    if skip is not None:
        hit[skip] = False
    return bool(hit.any())


def lblc_batch(cached: int, active: np.ndarray, inactive: np.ndarray, weight: np.ndarray,
               k: int) -> tuple[np.ndarray, int]:
    """lblc picks for one destination IP. ``cached`` is the cache entry's dest position (-1 none/unavailable).

    A cached dest is used while weight > 0 and not overloaded (``active > weight`` and some dest has
    ``active*2 < weight``); otherwise wlc picks and the entry is updated. ``active`` is updated in place.

    The batch is a few phases (a wlc pick, then a run on the cached dest), so it runs on Python ints: the
    wlc pick is a heap of (overhead scaled to a common weight multiple, list position) with stale entries
    skipped, and the number of underloaded dests is kept as counters change.
    """
    out_d: list[int] = []
    out_n: list[int] = []
    act = active.tolist()
    ina = inactive.tolist()
    w = weight.tolist()
    usable = [d for d, x in enumerate(w) if x > 0]
    lcm = _lcm(weight[weight > 0]) if usable else 1
    scale = [lcm // x if x > 0 else 0 for x in w] if lcm else None
    if scale is None:  # weights whose lcm overflows: the numpy path
        return _lblc_batch_numpy(cached, active, inactive, weight, k)
    heap = [((act[d] * 256 + ina[d]) * scale[d], d) for d in usable]
    heapq.heapify(heap)
    under = sum(1 for d in range(len(w)) if act[d] * 2 < w[d])
    t = 0
    while t < k:
        c = cached
        if c >= 0 and w[c] > 0:
            c_under = act[c] * 2 < w[c]
            others = under - c_under > 0
            if not (act[c] > w[c] and others):
                m = k - t if not others else min(k - t, w[c] + 1 - act[c])
                out_d.append(c)
                out_n.append(m)
                act[c] += m
                if c_under and act[c] * 2 >= w[c]:
                    under -= 1
                heapq.heappush(heap, ((act[c] * 256 + ina[c]) * scale[c], c))
                t += m
                continue
        d = -1
        while heap:  # wlc: least overhead/weight, earliest on ties; skip entries made stale by new picks
            cost, d = heap[0]
            if cost == (act[d] * 256 + ina[d]) * scale[d]:
                break
            heapq.heappop(heap)
            d = -1
        if d < 0:
            out_d.append(-1)  # nothing changes: every later connection of the batch finds no dest either
            out_n.append(k - t)
            break
        cached = d
        out_d.append(d)
        out_n.append(1)
        if act[d] * 2 < w[d] and (act[d] + 1) * 2 >= w[d]:
            under -= 1
        act[d] += 1
        heapq.heappush(heap, ((act[d] * 256 + ina[d]) * scale[d], d))
        t += 1
    active[:] = act
    return np.repeat(np.asarray(out_d, dtype=np.int64), out_n), cached


def _lblc_batch_numpy(cached: int, active: np.ndarray, inactive: np.ndarray, weight: np.ndarray,
                      k: int) -> tuple[np.ndarray, int]:
    out = np.empty(k, dtype=np.int64)
    t = 0
    while t < k:
        c = cached
        if c >= 0 and weight[c] > 0:
            others = _exists_underloaded(active, weight, np.asarray([c]))
            if not (active[c] > weight[c] and others):
                m = k - t if not others else min(k - t, int(weight[c]) + 1 - int(active[c]))
                out[t : t + m] = c
                active[c] += m
                t += m
                continue
        d = wlc_pick(active, inactive, weight)
        if d < 0:
            out[t:] = -1  # nothing changes: every later connection of the batch finds no dest either
            break
        cached = d
        out[t] = d
        active[d] += 1
        t += 1
    return out, cached


def set_min(members: list[int], active: np.ndarray, inactive: np.ndarray, weight: np.ndarray) -> int:
    """``ip_vs_dest_set_min``: first available member with weight > 0, then strict weighted-least (set order).

    Deleted members (-1, not IP_VS_DEST_F_AVAILABLE) and weight-0 members can never win (``loh*0 > ...``
    is false), so this is the least ``overhead/weight`` among the usable members, earliest on ties.
    """
    mem = np.asarray(members, dtype=np.int64)
    mem = mem[mem >= 0]
    mem = mem[weight[mem] > 0]
    if mem.size == 0:
        return -1
    return int(mem[least_one(active[mem] * 256 + inactive[mem], weight[mem])])


def set_max(members: list[int], oh_w: list[tuple[int, int]]) -> int:
    """``ip_vs_dest_set_max``: member index (into ``members``) with the most overhead/weight, weight > 0."""
    most = -1
    moh = 0
    for i, (doh, dw) in enumerate(oh_w):
        if most < 0:
            if dw > 0:
                most, moh = i, doh
            continue
        if moh * dw < doh * oh_w[most][1] and dw > 0:
            most, moh = i, doh
    return most


def lblcr_phase(members: list[int], active: np.ndarray, inactive: np.ndarray, weight: np.ndarray,
                r: int) -> np.ndarray:
    """Up to r consecutive picks from the member set before its least-loaded member becomes overloaded.

    Returns the picks (possibly fewer than r: the next connection needs the global wlc path).
    """
    av = np.asarray(members, dtype=np.int64)
    av = av[av >= 0]
    av = av[weight[av] > 0]  # set order kept
    if av.size == 0:
        return np.zeros(0, dtype=np.int64)
    seq = av[least_merge(active[av] * 256 + inactive[av], 256, weight[av], r)]
    if not (active * 2 < weight).any():
        return seq  # nobody is underloaded, and picks only add connections: no pick can be overloaded
    # occurrence number of each pick within its dest: position - first position of that dest's run
    order = np.argsort(seq, kind="stable")
    sorted_seq = seq[order]
    head = np.empty(seq.size, dtype=bool)
    head[:1] = True
    np.not_equal(sorted_seq[1:], sorted_seq[:-1], out=head[1:])
    starts = np.flatnonzero(head)
    run_start = np.repeat(starts, np.diff(np.append(starts, seq.size)))
    occ = np.empty(seq.size, dtype=np.int64)
    occ[order] = np.arange(seq.size) - run_start
    a_before = active[seq] + occ
    static = np.ones(active.size, dtype=bool)
    static[av] = False
    e_static = bool((active * 2 < weight)[static].any())
    if e_static:
        e_t = np.ones(seq.size, dtype=bool)
    else:
        # a member stays underloaded until its need-th pick (active*2 >= weight after it); the set has an
        # underloaded member up to the last of those picks, or throughout if some member never gets there
        need = np.zeros(active.size, dtype=np.int64)
        need[av] = -(-weight[av] // 2) - active[av]
        want = need[av] > 0
        hit = np.flatnonzero((occ == need[seq] - 1) & (need[seq] > 0))
        if int(np.count_nonzero(want)) > hit.size:
            t_end = seq.size  # some underloaded member is not picked often enough within these picks
        else:
            t_end = int(hit.max()) if hit.size else -1
        e_t = np.arange(seq.size) <= t_end
    over = (a_before > weight[seq]) & e_t
    first = int(np.argmax(over)) if over.any() else seq.size
    return seq[:first]


LBLCR_SMALL = 32  # calm remainders up to this many picks are stepped in Python (a merge costs more)
LBLCR_LONG = 64  # a set phase that has taken this many Python steps continues as numpy phases


def lblcr_batch(members: list[int], active: np.ndarray, inactive: np.ndarray, weight: np.ndarray,
                k: int) -> tuple[np.ndarray, list[int]]:
    """k lblcr picks for one cache entry, after the connection that ran the set's expiry check.

    ``members``: the set in set order (head first) as list positions, -1 for a deleted member. Each pick is
    the set's least-loaded usable member (``ip_vs_dest_set_min``) unless it is overloaded, else wlc over
    all dests, whose pick joins the set at its head if it is not a member. ``active`` is updated in place;
    returns the picks and the positions that joined, in joining order (each went to the head).

    Runs on Python ints: a heap of scaled overhead per dest for wlc and one per set member (set order on
    ties), stale entries skipped, and the number of underloaded dests kept as counters change. Once no
    dest is underloaded none can be overloaded for the rest of the batch (it only adds connections), so
    the remainder is one ``lblcr_phase`` merge; so is a long phase of set picks (big weights).
    """
    if k > LBLCR_SMALL and not (active * 2 < weight).any():  # calm from the start: one merge
        seq = lblcr_phase(members, active, inactive, weight, k)
        if seq.size == k:  # (empty when the set has no usable member: wlc below)
            active += np.bincount(seq, minlength=active.size)
            return seq, []
    usable = weight > 0
    lcm = _lcm(weight[usable]) if usable.any() else 1
    if not lcm:  # weights whose lcm overflows int64 scaling: the numpy phases
        return _lblcr_batch_numpy(members, active, inactive, weight, k)
    act = active.tolist()
    ina = inactive.tolist()
    w = weight.tolist()
    scale = [lcm // x if x > 0 else 0 for x in w]
    heappush, heappop = heapq.heappush, heapq.heappop
    gheap = [((act[d] * 256 + ina[d]) * scale[d], d) for d in np.flatnonzero(usable).tolist()]
    heapq.heapify(gheap)
    rank: dict[int, int] = {}  # member position -> place in set order (smaller = nearer the head)
    for i, d in enumerate(members):
        if d >= 0 and d not in rank:
            rank[d] = i
    sheap = [((act[d] * 256 + ina[d]) * scale[d], r, d) for d, r in rank.items() if w[d] > 0]
    heapq.heapify(sheap)
    under = sum(1 for a, x in zip(act, w) if a * 2 < x)
    head = -1  # rank of the next member to join
    joined: list[int] = []
    parts: list[np.ndarray] = []
    steps: list[int] = []
    t = 0
    run = 0  # set picks in a row (the current phase)
    chunk = 2 * LBLCR_LONG
    while t < k:
        dest = -1
        while sheap:  # set_min: least scaled overhead, earliest in set order; skip stale entries
            cost, _r, d = sheap[0]
            if cost == (act[d] * 256 + ina[d]) * scale[d]:
                dest = d
                break
            heappop(sheap)
        if dest >= 0 and (under == 0 or act[dest] <= w[dest]):  # not overloaded: the set's pick
            if (under == 0 and k - t > LBLCR_SMALL) or run >= LBLCR_LONG:
                if steps:
                    parts.append(np.asarray(steps, dtype=np.int64))
                    steps = []
                active[:] = act
                r = k - t if under == 0 else min(chunk, k - t)
                seq = lblcr_phase(sorted(rank, key=rank.__getitem__), active, inactive, weight, r)
                parts.append(seq)
                got = np.bincount(seq, minlength=active.size)
                active += got
                t += seq.size
                if seq.size == r:
                    chunk *= 2
                else:
                    run = 0  # the phase ended at an overloaded pick: the next connection takes wlc
                act = active.tolist()
                under = sum(1 for a, x in zip(act, w) if a * 2 < x)
                for d in np.flatnonzero(got).tolist():
                    c = (act[d] * 256 + ina[d]) * scale[d]
                    heappush(gheap, (c, d))
                    heappush(sheap, (c, rank[d], d))
                continue
            run += 1
        else:
            run = 0
            dest = -1
            while gheap:  # wlc over every dest: least scaled overhead, earliest in the list on ties
                cost, d = gheap[0]
                if cost == (act[d] * 256 + ina[d]) * scale[d]:
                    dest = d
                    break
                heappop(gheap)
            if dest < 0:  # nothing changes: every later connection of the batch finds no dest either
                steps.extend([-1] * (k - t))
                break
            if dest not in rank:
                rank[dest] = head
                head -= 1
                joined.append(dest)
        steps.append(dest)
        a = act[dest]
        if a * 2 < w[dest] <= (a + 1) * 2:
            under -= 1
        act[dest] = a + 1
        c = ((a + 1) * 256 + ina[dest]) * scale[dest]
        heappush(gheap, (c, dest))
        heappush(sheap, (c, rank[dest], dest))
        t += 1
    if steps:
        parts.append(np.asarray(steps, dtype=np.int64))
    active[:] = act
    out = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return out, joined


def _lblcr_batch_numpy(members: list[int], active: np.ndarray, inactive: np.ndarray, weight: np.ndarray,
                       k: int) -> tuple[np.ndarray, list[int]]:
    """``lblcr_batch`` as numpy phases only (set_min, ``lblcr_phase``, wlc): the reference for its heaps."""
    members = list(members)
    joined: list[int] = []
    out = np.empty(k, dtype=np.int64)
    t = 0
    chunk = 256
    while t < k:
        dest = set_min(members, active, inactive, weight)
        if dest >= 0:
            calm = not (active * 2 < weight).any()
            seq = lblcr_phase(members, active, inactive, weight, k - t if calm else min(chunk, k - t))
            if seq.size:
                out[t : t + seq.size] = seq
                active += np.bincount(seq, minlength=active.size)
                t += seq.size
                chunk = chunk * 2 if seq.size == chunk else chunk
                continue
        d = wlc_pick(active, inactive, weight)
        if d < 0:
            out[t:] = -1
            break
        if d not in members:
            members.insert(0, d)
            joined.append(d)
        out[t] = d
        active[d] += 1
        t += 1
    return out, joined
