"""Routing a whole batch of pod-to-ClusterIP connections across thousands of Services in one pass.

``route_batch(plane, ...)`` is the data plane's bulk path (``DataPlane.route_batch``): the same stages as the
flows -- kube-proxy's decision, SNAT, the liveness of the chosen pod, the latency model -- over arrays. When
every node programs the same stateless view (iptables or nftables, no affinity, no Local policy, every node
up) it runs on one compiled table: per-request work is a handful of gathers and comparisons, and outcomes,
endpoint counts and the latency histogram come from bincounts.
"""

from __future__ import annotations

import numpy as np

from core.dataplane import latency as L
from core.dataplane.outcomes import CODE_NAMES, OUTCOME_CODES


def route_batch(plane, node_idx: np.ndarray, vs: np.ndarray, src_ip: np.ndarray, src_port: np.ndarray,
                now: float | None = None) -> BatchResult:
    """Route a batch of new connections from pods to ClusterIPs, across any number of Services.

    ``node_idx[i]`` is the client pod's node (whose kube-proxy decides), ``vs[i]`` the virtual service
    index (``plane.services``). The same stages as the flows: kube-proxy decision, liveness of the
    chosen pod, latency; the metrics totals, drops and latency histogram are updated, and the
    per-endpoint counts are returned as an array indexed by endpoint id (``counts``).
    """
    now = plane.sim.time if now is None else now
    plane._refresh_alive()
    plane.proxies.sync()
    node_idx = np.asarray(node_idx, dtype=np.int64)
    vs = np.asarray(vs, dtype=np.int64)
    src_ip = np.asarray(src_ip, dtype=np.uint32)
    P = plane.proxies
    if (len(P.table_list) == 1 and P.all_stateless and not plane.services.any_special
            and bool(plane.node_up.all())):
        result = _one_table(plane, P.table_list[0], node_idx, vs, src_ip)
    else:
        result = _general(plane, node_idx, vs, src_ip, np.asarray(src_port), now)
    plane.proxies.close_tick(now)
    return result

def _one_table(plane, table, node_idx, vs, src_ip) -> BatchResult:
    """Every node programs the same stateless view: the whole batch is counted per (flat table entry,
    same node, SNAT) class -- one bincount -- and outcomes, endpoint counts and latencies are derived
    per class. Per-request arrays are produced on demand only."""
    n = node_idx.size
    P = plane.proxies
    work = _workspace(plane, n)
    u = plane.rng.random(n, out=work("u", np.float64))
    flat, _pos = table.pick_flat(vs, u, work)
    f_node, f_ip, f_vs, f_pos = table.flat_arrays(plane.registry, plane.node_index)
    size = table.eids.size
    # SNAT: sources outside the cluster CIDR (or everything with masqueradeAll), and hairpins
    lo, hi = P._cidr_lo, P._cidr_hi
    if P.any_masq_all:
        masq = P.node_masq_all[node_idx] | ~P._in_cluster(src_ip)
    elif n and lo <= int(src_ip.min()) and int(src_ip.max()) <= hi:
        masq = None  # every source is a pod address: only hairpins are masqueraded
    else:
        masq = ~P._in_cluster(src_ip)
    nid = work("nid", f_node.dtype)
    np.copyto(nid, node_idx, casting="unsafe")
    same = np.equal(np.take(f_node, flat, out=work("node", f_node.dtype), mode="clip"), nid, out=work("same", bool))
    # a hairpin (a pod reaching itself through its Service) is always a same-node pick, so only those
    # few requests need their endpoint's address compared with their source
    near = np.flatnonzero(same)
    hair = near[f_ip[flat[near]] == src_ip[near]]
    if masq is None:
        masq = np.zeros(n, bool)
        masq_idx = hair
    else:
        masq_idx = None
    masq[hair] = True
    per_flat = np.bincount(flat, minlength=size)  # requests per table entry
    alive = plane._alive_padded()[table.eids]  # per flat entry; the trailing -1 reads False
    exists = table.eids >= 0
    ok_flat = exists & alive
    delivered_flat = np.where(ok_flat, per_flat, 0)
    counts = np.bincount(table.eids[exists], weights=delivered_flat[exists],
                         minlength=len(plane.registry)).astype(np.int64)
    # latency, as a histogram bin per request: the entry's own bin (its rule walk, DNAT and a cross-node
    # hop) moved by whole microseconds for a same-node hop and for SNAT; a histogram over those few
    # thousand bins stays in cache
    m = plane.metrics
    res_ms = m.latency.RESOLUTION_MS
    base = table.latency_bins(f_vs, f_pos, int(P.node_mode[0]), res_ms)
    lat = np.take(base, flat, out=work("lat", np.int64), mode="clip")
    np.add(lat, int(round((L.SAME_NODE - L.CROSS_NODE) / res_ms)), out=lat, where=same)
    snat = int(round(L.NAT / res_ms))
    if masq_idx is not None:
        lat[masq_idx] += snat  # only the hairpins are masqueraded
    else:
        np.add(lat, snat, out=lat, where=masq)
    m.latency.add_bins(np.bincount(lat if ok_flat.all() else lat[np.take(ok_flat, flat)]))
    m.sent += n
    m.new_connections += n
    m.delivered += int(delivered_flat.sum())
    dead = int(per_flat[exists & ~alive].sum())
    refused = int(per_flat[~exists].sum())
    if dead:
        m.dropped["timeout_dead_endpoint"] += dead
    if refused:
        m.dropped["refused"] += refused
    return BatchResult.lazy(plane, table, flat, node_idx, masq, counts)

def _workspace(plane, n: int):
    """Scratch arrays of length ``n`` reused from batch to batch (fresh 8 MB temporaries cost page
    faults on every tick); nothing returned to callers lives in them."""
    ws = plane.__dict__.setdefault("_ws", {})
    if ws.get("n") != n:
        ws.clear()
        ws["n"] = n

    def get(name: str, dtype) -> np.ndarray:
        key = (name, np.dtype(dtype).str)
        arr = ws.get(key)
        if arr is None:
            arr = ws[key] = np.empty(n, dtype=dtype)
        return arr

    return get

def _general(plane, node_idx, vs, src_ip, src_port, now) -> BatchResult:
    n = node_idx.size
    result = plane.proxies.decide(node_idx, vs, src_ip, src_port, False, now)
    eid, outcome = result.eid, result.outcome
    if not plane.node_up.all():
        up = plane.node_up[node_idx]
        eid = np.where(up, eid, -1)
        outcome = np.where(up, outcome, OUTCOME_CODES["node_down"])
    # the chosen pod must really be there (index -1 reads the padding False)
    alive = np.take(plane._alive_padded(), eid, mode="wrap")  # -1 reads the padding
    if not outcome.any() and alive.all():  # the common case: every request delivered, no mask passes
        ok, all_ok = None, True
    else:
        dead = ~alive & (outcome == 0)
        if dead.any():
            outcome = outcome.copy()
            outcome[dead] = OUTCOME_CODES["timeout_dead_endpoint"]
        ok = outcome == 0
        all_ok = bool(ok.all())
    counts = np.bincount(eid if all_ok else eid[ok], minlength=len(plane.registry))
    # latency: the node's decision (iptables: rules walked), DNAT (+ SNAT), then the hop to the pod.
    # It takes few distinct values, so requests are counted per latency class -- (rules walked, mode,
    # SNAT, same node) -- and the class values are computed once per class, not once per request.
    # A Service's rule sits at position vs in KUBE-SERVICES (PodPath writes them in model order).
    key = _latency_key(plane, node_idx, vs, result.position, result.masq, eid,
                       result.same_node if plane.node_up.all() else None)
    hist = np.bincount(key if all_ok else key[ok])
    classes = np.flatnonzero(hist)
    m = plane.metrics
    m.latency.add_counts(_class_latency(classes), hist[classes])
    if all_ok:
        codes = np.zeros(len(OUTCOME_CODES), np.int64)
        codes[0] = n
    else:
        codes = np.bincount(outcome, minlength=len(OUTCOME_CODES))
    m.sent += n
    m.new_connections += n
    m.delivered += int(codes[0])
    for code in np.nonzero(codes[1:])[0] + 1:
        m.dropped[CODE_NAMES[int(code)]] += int(codes[code])
    return BatchResult(outcome, eid, key, counts)


def _latency_key(plane, node_idx, vs, position, masq, eid, same=None) -> np.ndarray:
    """Latency class of each request: ``((rules walked * 4 + mode) * 2 + snat) * 2 + same_node``."""
    modes = plane.proxies.node_mode
    # the same integer as 16 * (rules walked) + 4 * mode + 2 * snat + same, in fewer passes over the batch
    key = np.maximum(position, 0)  # in place from here on: a handful of passes over one array
    key += vs
    key *= 16
    if modes.size and int(modes.min()) == int(modes.max()):
        if int(modes[0]):
            key += 4 * int(modes[0])
    else:
        key += np.take(modes, node_idx).astype(np.int64) * 4
    if same is None:
        same = np.equal(np.take(plane.registry.node_indices(plane.node_index), eid), node_idx)
    key += same
    snat = np.flatnonzero(masq)  # few: hairpins and off-cluster sources
    if snat.size == masq.size:
        key += 2
    elif snat.size:
        key[snat] += 2
    return key


def _class_latency(key: np.ndarray) -> np.ndarray:
    """Latency (ms) of a ``route_batch`` latency class ``((rules * 4 + mode) * 2 + snat) * 2 + same_node``."""
    same = key & 1
    snat = (key >> 1) & 1
    mode = (key >> 2) & 3
    rules = key >> 4
    decision = np.where(mode == 0, (rules + 3) * L.IPTABLES_PER_RULE,
                        np.where(mode == 3, 2 * L.USERSPACE_COPY,
                                 np.where(mode == 2, L.IPVS_LOOKUP, L.NFTABLES_LOOKUP)))
    return decision + L.NAT + snat * L.NAT + np.where(same == 1, L.SAME_NODE, L.CROSS_NODE)


class BatchResult:
    """Per-request outcome code, endpoint id and latency of ``route_batch``, and delivered counts per
    endpoint id. The per-request arrays of the one-table fast path are derived on first access."""

    def __init__(self, outcome, eid, latency_key, counts):
        self._outcome, self._eid, self._key = outcome, eid, latency_key
        self.counts = counts
        self._lazy = None

    @classmethod
    def lazy(cls, plane, table, flat, node_idx, masq, counts) -> BatchResult:
        """The one-table fast path: ``flat`` indexes ``table.eids``; ``masq`` is the SNAT mask."""
        r = cls(None, None, None, counts)
        r._lazy = (plane, table, flat, node_idx, masq)
        return r

    @property
    def _flat(self) -> np.ndarray:
        return self._lazy[2]

    @property
    def eid(self) -> np.ndarray:
        if self._eid is None:
            self._eid = self._lazy[1].eids[self._flat]
        return self._eid

    @property
    def outcome(self) -> np.ndarray:
        if self._outcome is None:
            plane = self._lazy[0]
            eid = self.eid
            self._outcome = np.where(eid < 0, OUTCOME_CODES["refused"],
                                     np.where(plane._alive_padded()[eid], 0, OUTCOME_CODES["timeout_dead_endpoint"]))
        return self._outcome

    @property
    def latency_key(self) -> np.ndarray:
        if self._key is None:
            plane, table, flat, node_idx, masq = self._lazy
            _n, _ip, f_vs, f_pos = table.flat_arrays(plane.registry, plane.node_index)
            self._key = _latency_key(plane, node_idx, f_vs[flat], f_pos[flat], masq, self.eid)
        return self._key

    @property
    def latency_ms(self) -> np.ndarray:
        """Per-request latency in ms (from the latency classes)."""
        return _class_latency(self.latency_key)
