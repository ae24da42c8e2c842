"""The kube-proxy stage: per node, the rules that node programs decide which endpoint gets a connection.

Each node has its own view (``state.proxy_views``: what its kube-proxy synced last, in the mode it
synced) and, for the stateful paths, its own balancer per virtual service (IPVS schedulers keep per-node
pointers and connection counters; session affinity keeps per-node client tables). Stateless paths
(iptables' statistic chain and nftables' ``numgen``) of Services without affinity and without a Local
policy run for every node and Service at once through the node's compiled ``ViewTable``; nodes whose
views hold the same slices share one table.

Traffic policy, masquerade and fallbacks follow domain.md a.6/a.7: ITP=Local and ETP=Local (from outside
the cluster) use the node's local endpoints; with none, iptables/nftables DROP while IPVS falls back to
the cluster endpoints (and the external client's reply is discarded); no usable endpoint anywhere is a
REJECT. ETP=Cluster external traffic is masqueraded to the node IP; so is a hairpin (a pod reaching
itself through the VIP) and off-cluster sources of ClusterIP traffic or everything with masqueradeAll.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from core.dataplane import latency as L
from core.dataplane.ipvs_store import STORE_SCHEDULERS, IpvsStore
from core.dataplane.outcomes import OUTCOME_CODES
from core.dataplane.tables import ViewTable, endpoint_port, ip_to_u32, kube_proxy_order
from core.proxy import make_balancer
from core.proxy.render_common import categorize_endpoints

STATELESS_MODES = ("iptables", "nftables")
MODE_CODES = {"iptables": 0, "nftables": 1, "ipvs": 2, "userspace": 3}
MODE_NAMES = {c: m for m, c in MODE_CODES.items()}
IPVS_RS_CHECK_INTERVAL = 60.0  # s between kube-proxy's checks for drained real servers to delete
IPVS_TCPFIN_TIMEOUT = 120.0  # s a closed connection stays an inactive IPVS entry (ipvsadm --timeout: 900 120 300)


@dataclass
class ProxyResult:
    eid: np.ndarray
    outcome: np.ndarray
    position: np.ndarray  # index of the pick in its endpoint list (rule number - 1), -1 none
    masq: np.ndarray
    decider: np.ndarray  # int index into ``deciders`` (-1: none): the Slot / ViewTable that decided
    pick_i: np.ndarray  # index of the request within its balancer's last batch (for describe_pick)
    deciders: list = field(default_factory=list)
    same_node: np.ndarray | None = None  # the picked endpoint is on the deciding node (when computed)

    @property
    def balancer(self) -> np.ndarray:
        """The deciding object per request (object array; for the few requests that are traced)."""
        n = self.decider.size
        if len(self.deciders) == 1 and n and int(self.decider.min()) == 0 == int(self.decider.max()):
            out = np.empty(n, dtype=object)
            out[:] = self.deciders[0]  # one decider for the whole batch: a fill, not a gather
            return out
        return np.array(self.deciders + [None], dtype=object)[self.decider]


@dataclass
class Slot:
    """A balancer for one (node, virtual service, category) with the endpoint ids behind its keys."""

    node: str
    vs: int
    category: str  # "cluster" | "local"
    mode: str
    balancer: object
    keys: tuple[str, ...] = ()
    eids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    eid_of_key: dict[str, int] = field(default_factory=dict)
    opened: list[np.ndarray] = field(default_factory=list)  # eids of connections opened this tick

    def refresh(self) -> None:
        """Re-read the balancer's endpoint order (IPVS keeps quiesced servers until they drain)."""
        keys = list(self.balancer.endpoint_keys)
        self.keys = tuple(keys)
        self.eids = np.array([self.eid_of_key.get(k, -1) for k in keys], dtype=np.int64)

    def index_of(self, eids: np.ndarray) -> np.ndarray:
        lookup = {int(e): i for i, e in enumerate(self.eids.tolist())}
        return np.array([lookup.get(int(e), -1) for e in eids.tolist()], dtype=np.int64)


_CONSTANT_COLUMNS: list = [np.zeros(0, np.int32), np.zeros(0, np.int64)]


def _constant_columns(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Read-only ``(zeros int32, arange int64)`` of length ``n``: the decider index and pick index of a batch
    decided entirely in the IPVS store (one decider, the requests in order), shared between batches."""
    zeros, ar = _CONSTANT_COLUMNS
    if zeros.size < n:
        zeros, ar = np.zeros(n, np.int32), np.arange(n, dtype=np.int64)
        zeros.flags.writeable = False
        ar.flags.writeable = False
        _CONSTANT_COLUMNS[:] = [zeros, ar]
    return zeros[:n], ar[:n]


def _drop_code(name: str) -> int:
    return OUTCOME_CODES[name]


class StoreDecider:
    """The decider of requests picked in the vectorised IPVS store (for traces: ``describe_pick``)."""

    mode = "ipvs"
    category = "cluster"

    def __init__(self, registry, node_sched: list[str], nodes: np.ndarray, eids: np.ndarray) -> None:
        self.registry = registry
        self.node_sched = node_sched
        self.nodes = nodes
        self.eids = eids
        self.balancer = self

    def describe_pick(self, i: int) -> str:
        if not 0 <= i < self.eids.size:
            raise ValueError(f"describe_pick: index {i} outside the last batch of {self.eids.size}")
        sched, e = self.node_sched[int(self.nodes[i])], int(self.eids[i])
        if e < 0:
            return f"IPVS {sched}: no destination available -> ICMP port unreachable"
        return f"IPVS {sched} -> {self.registry.key(e)}"


class NodeProxies:
    """Every node's kube-proxy: compiled views, balancers and IPVS connection bookkeeping."""

    def __init__(self, plane):
        self.plane = plane
        self.sim = plane.sim
        self.services = plane.services
        self.registry = plane.registry
        self.node_names = [n.name for n in plane.model.nodes]
        self._seen_version: dict[str, int] = {}
        self._seen_mode: dict[str, tuple[str, str]] = {}
        self.tables: dict[str, ViewTable] = {}
        self._table_cache: dict[tuple, ViewTable] = {}
        self._fingerprint_of: dict[str, tuple] = {}
        self._stamp: tuple | None = None
        self._last_drain_check = 0.0
        self.slots: dict[tuple[int, int, str], Slot] = {}
        self._expiry: deque[tuple[float, Slot, np.ndarray]] = deque()
        self._position: np.ndarray | None = None
        # IPVS state of (node, Service) pairs in arrays; Services with affinity or a Local policy use objects
        self.store = IpvsStore(self.services.size, len(self.node_names))
        self.use_store = True  # False: every (node, Service) gets an IpvsBalancer object (tests compare both)
        self.vs_special = self.services.affinity | self.services.internal_local | self.services.external_local
        self._changed_cache: dict[tuple[int, int], tuple[ViewTable, ViewTable, np.ndarray]] = {}
        cfg = plane.model.proxy
        self.cluster_cidr = ipaddress.IPv4Network(cfg.cluster_cidr or plane.model.cluster.pod_subnet)
        self._cidr_lo = int(self.cluster_cidr.network_address)
        self._cidr_hi = int(self.cluster_cidr.broadcast_address)

    # ------------------------------------------------------------------------------------ syncing
    def config(self, node: str):
        view = self.sim.state.proxy_views.get(node)
        return view.config if view is not None else self.sim.state.proxy_config

    def sync(self) -> None:
        """Adopt every node's latest kube-proxy view (compiled lazily, shared between equal views)."""
        state = self.sim.state
        # nothing to do unless a view was re-synced (its version moves) or the cluster changed
        views_version = getattr(state, "proxy_views_version", None)  # one counter for every view, when kept
        stamp = (state.version, views_version if views_version is not None
                 else tuple(v.version for v in state.proxy_views.values()))
        if stamp == self._stamp:
            return
        if (views_version is not None and self._stamp is not None and self._stamp[1] == views_version
                and getattr(self, "_synced_views", None) is state.proxy_views
                and getattr(self, "_synced_default", None) is state.proxy_config):
            # only the cluster moved (a pod's phase, a node's condition): no kube-proxy view changed, so no
            # table, balancer or mode did either -- only node addresses are read again. (Each view change
            # bumps proxy_views_version; the fallback config of a node without a view is replaced, never
            # edited in place.) At 5,000 nodes this skips a 5,000-node pass on every state change.
            self._node_ips(state)
            self._stamp = stamp
            return
        live_tables: dict[tuple, ViewTable] = {}
        for i, node in enumerate(self.node_names):
            view = state.proxy_views.get(node)
            if view is None:
                continue
            mode_key = (view.config.mode, view.config.ipvs_scheduler or "rr")
            if self._seen_version.get(node) == view.version and self._seen_mode.get(node) == mode_key:
                live_tables.setdefault(self._fingerprint_of.get(node), self.tables[node])
                continue
            old_table = self.tables.get(node)
            # nodes in the same state share one slices dict (copy-on-write in the control plane), so the
            # dict's identity names the content; the table keeps the dict so the id cannot be recycled
            fp = (view.config.mode, id(view.slices))
            table = self._table_cache.get(fp) or live_tables.get(fp)
            if table is None or table.source is not view.slices:
                prev = self.tables.get(node)  # recompile only the Services this sync changed
                table = (ViewTable.updated(prev, self.services, view.slices, self.registry, view.config.mode)
                         if prev is not None else ViewTable(self.services, view.slices, self.registry, view.config.mode))
            live_tables[fp] = table
            self.tables[node] = table
            self._fingerprint_of[node] = fp
            old_key = self._seen_mode.get(node)
            if old_key is not None and old_key[0] == "ipvs":
                self._sync_store(i, old_key, mode_key, old_table, table)
            if old_key not in (None, mode_key):
                if old_key[0] == mode_key[0] == "ipvs":
                    # only the scheduler changed: kube-proxy edits each virtual server in place
                    # (ipvsadm -E); its real servers keep their connection counters
                    for key, slot in self.slots.items():
                        if key[0] == i:
                            slot.balancer.set_scheduler(mode_key[1])
                else:
                    # the mode switched: new rules, new balancers; conntrack keeps old connections
                    for key in [k for k in self.slots if k[0] == i]:
                        del self.slots[key]
            self._seen_version[node] = view.version
            self._seen_mode[node] = mode_key
            if self.slots:
                for key, slot in list(self.slots.items()):
                    if key[0] == i:
                        self._load_slot(slot, i)
        self._table_cache = live_tables
        self._node_arrays()
        self._stamp = stamp
        self._synced_views = state.proxy_views
        self._synced_default = state.proxy_config

    def _changed_services(self, old: ViewTable, new: ViewTable) -> np.ndarray:
        """Per virtual service: does its cluster endpoint list differ between two compiled views?"""
        hit = self._changed_cache.get((id(old), id(new)))
        if hit is not None and hit[0] is old and hit[1] is new:
            return hit[2]
        changed = old.count != new.count
        same = np.flatnonzero(~changed & (old.count > 0))
        cnt = old.count[same]
        if cnt.size:
            within = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
            a = old.eids[np.repeat(old.offset[same], cnt) + within]
            b = new.eids[np.repeat(new.offset[same], cnt) + within]
            diff = np.repeat(same, cnt)[a != b]
            changed[diff] = True
        self._changed_cache = {(id(old), id(new)): (old, new, changed)}
        return changed

    def _sync_store(self, i: int, old_key: tuple[str, str], mode_key: tuple[str, str], old_table, table) -> None:
        """A node that was in IPVS mode re-synced: leave its store pairs, move them out to objects, or
        drop them -- before the node's object balancers are re-synced below."""
        if mode_key[0] != "ipvs":
            self.store.drop_node(i)  # kube-proxy in another mode cleans the IPVS virtual servers up
            return
        vs_i, pid_i = self.store.node_pairs(i)
        if pid_i.size == 0:
            return
        if mode_key[1] not in STORE_SCHEDULERS:
            out = np.ones(pid_i.size, bool)
        elif old_table is not None and old_table is not table:
            out = self._changed_services(old_table, table)[vs_i]
        else:
            out = np.zeros(pid_i.size, bool)
        if out.any():
            self._take_out(i, vs_i[out], pid_i[out], old_table, old_key[1])
        if mode_key[1] != old_key[1]:
            self.store.reset_pointers(pid_i[~out])  # the new scheduler starts at the list head

    def _take_out(self, i: int, vs_list: np.ndarray, pids: np.ndarray, table: ViewTable, sched: str) -> None:
        """Move pairs from the store into ``IpvsBalancer`` objects (same list, pointer and counters),
        with their pending inactive-entry expiries."""
        node = self.node_names[i]
        created = {}
        for v, p in zip(vs_list.tolist(), pids.tolist()):
            lo, k = int(table.offset[v]), int(table.count[v])
            eids = table.eids[lo:lo + k][::-1]  # kernel list: kube-proxy's order added at the head
            keys = [self.registry.key(int(e)) for e in eids]
            item = self.services.items[v]
            vip = ip_to_u32(item.service.cluster_ip) if item.service.cluster_ip not in (None, "None") else 0
            bal = make_balancer("ipvs", sched, vip=vip)
            active, inactive, ptr = self.store.state_of(p)
            bal.endpoint_keys = keys
            bal.weight = np.ones(k, np.int64)
            bal.last_weight = np.ones(k, np.int64)
            bal.quiesced = np.zeros(k, bool)
            bal.active, bal.inactive = active, inactive
            bal.rr_pointer = keys[ptr] if ptr >= 0 else None
            bal._dest_changed()
            slot = Slot(node, v, "cluster", "ipvs", bal)
            slot.eid_of_key = dict(zip(keys, eids.tolist()))
            slot.refresh()
            self.slots[(i, v, "cluster")] = slot
            created[p] = slot
        moved = self.store.take_out(pids)
        if moved:
            entries = list(self._expiry) + [(t, created[p], created[p].eids[cols]) for t, p, cols in moved]
            entries.sort(key=lambda e: e[0])  # stable: same-time entries keep their order
            self._expiry = deque(entries)

    def _endpoints_for(self, node_i: int, vs: int, category: str) -> tuple[list, bool]:
        """(endpoint, target port) pairs of a category on a node, in kube-proxy order, and has_any."""
        node = self.node_names[node_i]
        view = self.sim.state.proxy_views.get(node)
        item = self.services.items[vs]
        eps_all = view.slices.get((item.service.namespace, item.service.name), ()) if view else ()
        with_port = [(e, p) for e in eps_all if (p := endpoint_port(e, item.port)) is not None]
        internal_local = bool(self.services.internal_local[vs])
        external_local = bool(self.services.external_local[vs])
        accessible = item.port.node_port is not None or bool(item.service.load_balancer_ip) or bool(
            item.service.external_ips)
        cluster, local, _reach, has_any = categorize_endpoints([e for e, _ in with_port], node, internal_local,
                                                               external_local, accessible)
        chosen = {id(e) for e in (local if category == "local" else cluster)}
        return kube_proxy_order([(e, p) for e, p in with_port if id(e) in chosen]), has_any

    def has_local_ready_endpoint(self, node_i: int, vs: int) -> bool:
        """What the node's healthCheckNodePort reports: a local endpoint that is ready (not terminating)."""
        view = self.sim.state.proxy_views.get(self.node_names[node_i])
        item = self.services.items[vs]
        eps = view.slices.get((item.service.namespace, item.service.name), ()) if view else ()
        return any(e.ready and e.node == self.node_names[node_i] for e in eps)

    def _load_slot(self, slot: Slot, node_i: int) -> None:
        eps, _ = self._endpoints_for(node_i, slot.vs, slot.category)
        keys = [f"{e.ip}:{p}" for e, p in eps]
        for e, p in eps:
            slot.eid_of_key[f"{e.ip}:{p}"] = self.registry.id_for(e.ip, p, e.node, e.pod)
        slot.balancer.set_endpoints(keys, None, now=self.plane.now)
        slot.refresh()

    def slot(self, node_i: int, vs: int, category: str) -> Slot:
        key = (node_i, vs, category)
        slot = self.slots.get(key)
        if slot is None:
            cfg = self.config(self.node_names[node_i])
            item = self.services.items[vs]
            timeout = item.service.affinity_timeout if item.service.session_affinity == "ClientIP" else None
            vip = ip_to_u32(item.service.cluster_ip) if item.service.cluster_ip not in (None, "None") else 0
            bal = make_balancer(cfg.mode, cfg.ipvs_scheduler, affinity_timeout=timeout, vip=vip)
            slot = Slot(self.node_names[node_i], vs, category, cfg.mode, bal)
            self._load_slot(slot, node_i)
            self.slots[key] = slot
        return slot

    # ------------------------------------------------------------------------------------ deciding
    def _in_cluster(self, src_ip: np.ndarray) -> np.ndarray:
        # unsigned wrap-around: one subtraction and one comparison test lo <= ip <= hi
        return (src_ip - np.uint32(self._cidr_lo)) <= np.uint32(self._cidr_hi - self._cidr_lo)

    def _node_arrays(self) -> None:
        """Per-node mode code, masqueradeAll and compiled table, refreshed at each sync.

        The config-derived arrays are rebuilt only when some node holds another config object (views share
        one copy of the desired config), with each config's values computed once; the table ids only when
        some node holds another table. Two list passes over the nodes otherwise."""
        state = self.sim.state
        views, default = state.proxy_views, state.proxy_config
        names = self.node_names
        cfgs = [view.config if (view := views.get(n)) is not None else default for n in names]
        tables_of = self.tables
        tabs = [tables_of.get(n) for n in names]
        n_nodes = len(names)
        if cfgs != getattr(self, "_cfgs_seen", None):  # identical objects compare without __eq__
            derived: dict[int, tuple] = {}
            rows = []
            for c in cfgs:
                d = derived.get(id(c))
                if d is None:
                    sched = c.ipvs_scheduler or "rr"
                    d = derived[id(c)] = (MODE_CODES[c.mode], bool(c.masquerade_all),
                                          STORE_SCHEDULERS.get(sched, -1) if c.mode == "ipvs" else -1, sched)
                rows.append(d)
            self.node_mode = np.array([r[0] for r in rows], dtype=np.int8).reshape(n_nodes)
            self.node_masq_all = np.array([r[1] for r in rows], dtype=bool).reshape(n_nodes)
            self.node_store_sched = np.array([r[2] for r in rows], dtype=np.int8).reshape(n_nodes)
            self.node_sched_name = [r[3] for r in rows]
            self._cfgs_seen = cfgs
        if tabs != getattr(self, "_tabs_seen", None) or not hasattr(self, "node_table"):
            tables: list[ViewTable] = []
            ids: dict[int, int] = {}
            tid_list = []
            for t in tabs:
                if t is None:
                    tid_list.append(-1)
                    continue
                k = ids.get(id(t))
                if k is None:
                    k = ids[id(t)] = len(tables)
                    tables.append(t)
                tid_list.append(k)
            self.node_table = np.array(tid_list, dtype=np.int64).reshape(n_nodes)
            self.table_list = tables
            self._tabs_seen = tabs
        self._node_ips(state)
        codes = np.unique(self.node_store_sched[self.node_store_sched >= 0])
        self.store_sched_one = int(codes[0]) if codes.size == 1 else None  # every store node, one scheduler
        # every node decides in the IPVS store from one compiled view: no per-request eligibility masks
        self.every_node_store = bool(len(self.table_list) == 1 and np.all(self.node_store_sched >= 0)
                                     and np.all(self.node_table >= 0))
        self.vs_special_any = bool(self.vs_special.any())
        self.all_stateless = bool(np.all(self.node_mode <= 1))
        self.any_masq_all = bool(self.node_masq_all.any())

    def _node_ips(self, state) -> None:
        nodes = state.nodes
        ips = [nodes[n].ip if n in nodes else None for n in self.node_names]
        if ips != getattr(self, "_ips_seen", None):  # node addresses rarely change: convert them once
            self.node_ip_u32 = np.array([ip_to_u32(ip) if ip else 0 for ip in ips], dtype=np.uint32)
            self._ips_seen = ips

    def decide(self, node_idx: np.ndarray, vs: np.ndarray, src_ip: np.ndarray, src_port: np.ndarray,
               external_entry: bool, now: float) -> ProxyResult:
        """kube-proxy's decision for a batch of new connections: ``node_idx`` decides for ``vs``.

        ``external_entry``: the packets entered through KUBE-EXT (a NodePort, LB IP or external IP) rather
        than the ClusterIP rule. Traffic policy and masquerade then follow domain.md a.6 by source address:
        ETP=Cluster masquerades everything; ETP=Local sends off-cluster sources to the node's local
        endpoints unmasqueraded, short-circuits pod sources (clusterCIDR) to all endpoints, and
        masquerades sources on the node itself.
        """
        n = node_idx.size
        rng = self.plane.rng
        if (len(self.table_list) == 1 and self.all_stateless and not self.services.any_special
                and not external_entry):
            # the common case: every node programs the same view in a stateless mode, and no Service
            # needs per-node state (affinity) or local endpoints: one O(1) pick per request
            table = self.table_list[0]
            eid, pos = table.pick_stateless(vs, rng.random(n))
            outcome = np.zeros(n, np.int64) if table.all_nonempty else (eid < 0) * _drop_code("refused")
            masq = ~self._in_cluster(src_ip)
            if self.any_masq_all:
                masq |= self.node_masq_all[node_idx]
            ips = self.registry.ip_u32()
            if ips.size:
                masq |= ips[eid] == src_ip  # hairpin; eid -1 is masked just below
            return ProxyResult(eid, outcome, pos, masq & (eid >= 0), np.zeros(n, np.int32),
                               np.full(n, -1, np.int64), [table])
        if self.every_node_store and self.use_store and not self.vs_special_any:
            return self._decide_all_store(node_idx, vs, src_ip, src_port, external_entry, now)
        from_cluster = self._in_cluster(src_ip)
        if external_entry:
            ext_local = self.services.external_local[vs]
            from_node = src_ip == self.node_ip_u32[node_idx]
            local = ext_local & ~from_cluster & ~from_node
            masq = ~ext_local | from_node | self.node_masq_all[node_idx]
        else:
            local = self.services.internal_local[vs]
            masq = ~from_cluster | self.node_masq_all[node_idx]
        res = ProxyResult(np.full(n, -1, np.int64), np.zeros(n, np.int64), np.full(n, -1, np.int64),
                          np.zeros(n, bool), np.full(n, -1, np.int32), np.full(n, -1, np.int64))
        fast = (self.node_mode[node_idx] <= 1) & ~local & ~self.services.affinity[vs]
        all_fast = bool(fast.all())
        if fast.any():
            fi = np.nonzero(fast)[0]
            u = rng.random(fi.size)
            tid = self.node_table[node_idx[fi]]
            for t, table in enumerate(self.table_list):
                m = tid == t
                if not m.any():
                    continue
                sel = fi[m]
                picked, pos = table.pick_stateless(vs[sel], u[m])
                res.eid[sel] = picked
                res.position[sel] = pos
                res.decider[sel] = len(res.deciders)
                res.deciders.append(table)
                res.outcome[sel[picked < 0]] = _drop_code("refused")
        if not all_fast:
            slow = np.nonzero(~fast)[0]
            slow = self._decide_store(res, slow, node_idx, vs)
        if not all_fast and slow.size:
            self._decide_groups(res, slow, node_idx, vs, local, external_entry, src_ip, src_port, now)
        picked = res.eid >= 0
        ips = self.registry.ip_u32()
        if ips.size:
            # hairpin: a pod reaching itself through the VIP (index -1 reads the last id: masked below)
            masq = masq | (ips[res.eid] == src_ip)
        res.masq = masq & picked
        return res

    def _decide_all_store(self, node_idx, vs, src_ip, src_port, external_entry: bool, now: float) -> ProxyResult:
        """``decide`` when every node is an IPVS store node of one compiled view and no Service needs
        objects: the whole batch goes to the store (pairs that left it go to their objects)."""
        n = node_idx.size
        table = self.table_list[0]
        sched = self.store_sched_one if self.store_sched_one is not None else self.node_store_sched[node_idx]
        handled, col = self.store.decide(node_idx, vs, sched, table.count, per_vs=True)
        tmp = self.store._tmp  # per-request work arrays kept between batches (none of them is returned)
        flat = np.take(table.last, vs, out=tmp("flat", n, table.last.dtype), mode="clip")
        flat -= col
        eid = np.take(table.eids, flat)  # col -1 reads one past the last endpoint: fixed below
        got = col >= 0
        all_got = bool(got.all())
        outcome = np.zeros(n, np.int64)
        if not all_got:
            eid[~got] = -1
            none = np.flatnonzero(~got & handled)
            outcome[none] = np.where(table.has_any[vs[none]], _drop_code("no_destination"), _drop_code("refused"))
        decider, pick_i = _constant_columns(n)  # read only: copied below before any change
        res = ProxyResult(eid, outcome, col, np.zeros(n, bool), decider, pick_i,
                          [StoreDecider(self.registry, self.node_sched_name, node_idx, eid)])
        if not handled.all():  # pairs that moved out to objects (endpoints changed, other scheduler)
            res.decider, res.pick_i = decider.copy(), pick_i.copy()
            rest = np.flatnonzero(~handled)
            res.decider[rest] = -1
            res.pick_i[rest] = -1
            res.eid[rest] = -1
            res.position[rest] = -1
            self._decide_groups(res, rest, node_idx, vs, np.zeros(n, bool), external_entry, src_ip, src_port, now)
        # masquerade: off-cluster sources (ClusterIP rule) or every packet of a NodePort/LB entry
        # (ETP=Cluster; no Service here has ETP=Local), masqueradeAll, and hairpins
        if external_entry:
            masq = np.ones(n, bool)
        elif n and self._cidr_lo <= int(src_ip.min()) and int(src_ip.max()) <= self._cidr_hi:
            masq = self.node_masq_all[node_idx] if self.any_masq_all else np.zeros(n, bool)
        else:
            masq = ~self._in_cluster(src_ip)
            if self.any_masq_all:
                masq |= self.node_masq_all[node_idx]
        ips = self.registry.ip_u32()
        if ips.size:
            # a hairpin (a pod reaching itself through its Service) picks an endpoint on its own node, so only
            # same-node picks compare their endpoint's address with their source (eid -1: masked below)
            node_of = self.registry.node_indices(self.plane.node_index)
            ep_node = np.take(node_of, res.eid, out=tmp("ep_node", n, node_of.dtype), mode="wrap")  # -1: last
            same = np.equal(ep_node, node_idx)
            near = np.flatnonzero(same | (ep_node < 0))  # and endpoints on no known node
            masq[near] |= np.take(ips, res.eid[near]) == src_ip[near]
            res.same_node = same
        masq &= res.eid >= 0
        res.masq = masq
        return res

    def _decide_store(self, res: ProxyResult, slow: np.ndarray, node_idx: np.ndarray, vs: np.ndarray) -> np.ndarray:
        """IPVS requests of store pairs, decided in arrays per compiled view; returns the rest of ``slow``."""
        if not self.use_store:
            return slow
        whole = slow.size == node_idx.size  # every request of the batch is a candidate: no gathers
        nodes_s = node_idx if whole else node_idx[slow]
        vs_s = vs if whole else vs[slow]
        ok = (self.node_store_sched[nodes_s] >= 0) & ~self.vs_special[vs_s]
        tid = self.node_table[nodes_s]
        ok &= tid >= 0
        if not ok.any():
            return slow
        all_ok = bool(ok.all())
        rest = [] if all_ok else [slow[~ok]]
        tables = np.flatnonzero(np.bincount(tid[ok])).tolist() if len(self.table_list) > 1 else [0]
        for t in tables:
            table = self.table_list[t]
            if all_ok and len(tables) == 1:
                sel = slice(None) if whole else slow
                nodes, v = nodes_s, vs_s
            else:
                m = ok & (tid == t)
                sel = slow[m]
                nodes, v = nodes_s[m], vs_s[m]
            width = table.count[v]
            sched = self.store_sched_one if self.store_sched_one is not None else self.node_store_sched[nodes]
            handled, col = self.store.decide(nodes, v, sched, width)
            if not handled.all():
                sel = np.arange(node_idx.size)[sel] if isinstance(sel, slice) else sel
                rest.append(sel[~handled])
                sel, nodes, v, width, col = sel[handled], nodes[handled], v[handled], width[handled], col[handled]
            got = col >= 0
            flat = table.offset[v]
            flat += width
            flat -= 1
            flat -= col
            eid = table.eids[flat]
            n_sel = col.size
            if not got.all():
                eid[~got] = -1
                none = ~got
                where = np.flatnonzero(none) if isinstance(sel, slice) else sel[none]
                res.outcome[where] = np.where(table.has_any[v[none]], _drop_code("no_destination"),
                                              _drop_code("refused"))
            res.eid[sel] = eid
            res.position[sel] = col
            res.decider[sel] = len(res.deciders)
            res.deciders.append(StoreDecider(self.registry, self.node_sched_name, nodes, eid))
            res.pick_i[sel] = np.arange(n_sel)
        if not rest:
            return slow[:0]
        return np.sort(np.concatenate(rest)) if len(rest) > 1 else rest[0]

    def _decide_groups(self, res: ProxyResult, slow: np.ndarray, node_idx, vs, local, external_entry: bool,
                       src_ip, src_port, now: float) -> None:
        """The object path: requests ``slow`` grouped per (node, virtual service, local), in arrival order."""
        key = (node_idx[slow].astype(np.int64) * (self.services.size + 1) + vs[slow]) * 2 + local[slow]
        order = np.argsort(key, kind="stable")
        k_sorted = key[order]
        bounds = np.r_[0, np.nonzero(np.diff(k_sorted))[0] + 1, k_sorted.size]
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            sel = slow[order[a:b]]
            k = int(k_sorted[a])
            is_local, rest = k % 2, k // 2
            ni, v = divmod(rest, self.services.size + 1)
            self._decide_group(res, sel, ni, v, bool(is_local), external_entry, src_ip, src_port, now)

    def _decide_group(self, res: ProxyResult, sel: np.ndarray, ni: int, v: int, is_local: bool,
                      external_entry: bool, src_ip: np.ndarray, src_port: np.ndarray, now: float) -> None:
        cfg = self.config(self.node_names[ni])
        category = "local" if is_local else "cluster"
        eps, has_any = self._endpoints_for(ni, v, category)
        if not has_any:
            res.outcome[sel] = _drop_code("refused")
            return
        if is_local and not eps:
            if cfg.mode != "ipvs":
                res.outcome[sel] = _drop_code("no_local_endpoints")  # the filter table DROPs it
                return
            item = self.services.items[v]
            accessible = item.port.node_port is not None or bool(item.service.load_balancer_ip) or bool(
                item.service.external_ips)
            if not external_entry and not accessible:
                # ITP=Local: syncEndpoint falls back to the cluster endpoints (PR 97081), but kube-proxy
                # computes none for a Service that only uses local ones: no real server, ICMP unreachable
                res.outcome[sel] = _drop_code("no_destination")
                return
            # IPVS: syncEndpoint uses the cluster endpoints when there is no local one (PR 97081). A pod
            # client's reply returns through its own node and is un-NATed; an external client's is not.
            category = "cluster"
        slot = self.slot(ni, v, category)
        idx = np.asarray(slot.balancer.pick(src_ip[sel].astype(np.uint32), src_port[sel], now, self.plane.rng),
                         dtype=np.int64)
        ok = idx >= 0
        eids = np.full(sel.size, -1, np.int64)
        eids[ok] = slot.eids[idx[ok]]
        res.eid[sel] = eids
        res.position[sel] = idx
        res.decider[sel] = len(res.deciders)
        res.deciders.append(slot)
        res.pick_i[sel] = np.arange(sel.size)
        res.outcome[sel[~ok]] = _drop_code("no_destination" if cfg.mode == "ipvs" else "refused")
        if is_local and category == "cluster" and external_entry:
            # an external client's reply comes back from the remote pod's node, not through this one
            res.outcome[sel[ok]] = _drop_code("reply_discarded")
        if cfg.mode == "ipvs" and np.any(ok):
            slot.opened.append(eids[ok])

    def retry_userspace(self, out, dead: np.ndarray, now: float) -> np.ndarray:
        """Userspace mode retried a failed backend with the next one (domain.md c.2); others don't."""
        retried = np.zeros(dead.shape, bool)
        for i in np.nonzero(dead)[0].tolist():
            slot = out.balancer[i]
            if not isinstance(slot, Slot) or slot.mode != "userspace":
                continue
            alive = self.plane.alive(slot.eids)
            if not np.any(alive):
                continue
            idx = slot.balancer.pick(out.src_ip[i:i + 1].astype(np.uint32), out.src_port[i:i + 1], now,
                                     self.plane.rng, alive=alive)
            if idx[0] >= 0 and alive[idx[0]]:
                out.eid[i] = slot.eids[idx[0]]
                out.rule_pos[i] = idx[0]
                out.retried[i] = True
                retried[i] = True
        return retried

    # ------------------------------------------------------------------------------------ connections
    def close_tick(self, now: float) -> None:
        """Connections opened this tick answered and closed: active -> inactive (TIME_WAIT), expiring later."""
        self.store.close(now + IPVS_TCPFIN_TIMEOUT)
        for slot in self.slots.values():
            if not slot.opened:
                continue
            eids = np.concatenate(slot.opened)
            slot.opened.clear()
            idx = slot.index_of(eids)
            idx = idx[idx >= 0]
            if idx.size:
                slot.balancer.release(idx, "active_to_inactive")
                self._expiry.append((now + IPVS_TCPFIN_TIMEOUT, slot, slot.eids[idx]))

    def expire(self, now: float) -> None:
        self.store.expire(now)
        while self._expiry and self._expiry[0][0] <= now:
            _, slot, eids = self._expiry.popleft()
            idx = slot.index_of(eids)
            idx = idx[idx >= 0]
            if idx.size:
                slot.balancer.release(idx, "inactive_expired")
        # kube-proxy's graceful-termination manager: once a minute, delete the quiesced (weight 0) real
        # servers whose connections are gone (rsCheckDeleteInterval)
        if now - self._last_drain_check >= IPVS_RS_CHECK_INTERVAL:
            self._last_drain_check = now
            for slot in self.slots.values():
                drain = getattr(slot.balancer, "delete_drained", None)
                if drain is not None and drain():
                    slot.refresh()

    def connection_rows(self) -> list[dict]:
        """IPVS connection counters per node, virtual service and real server (``ipvsadm -Ln`` on each node),
        from the object balancers and the store, ordered by node, Service and category."""
        rows = []
        for (ni, vs, category), slot in self.slots.items():
            bal = slot.balancer
            if not getattr(bal, "counts_connections", False):
                continue
            for i, key in enumerate(bal.endpoint_keys):
                rows.append(((ni, vs, category), {"node": slot.node, "service": self.services.items[vs].label,
                                                  "category": category, "endpoint": key,
                                                  "active": int(bal.active[i]), "inactive": int(bal.inactive[i])}))
        st = self.store
        live = ~st.p_out[st.key_pid]
        for key, pid in zip(st.keys[live].tolist(), st.key_pid[live].tolist()):
            ni, vs = divmod(key, st.nv)
            node = self.node_names[ni]
            table = self.tables.get(node)
            if table is None:
                continue
            lo, k = int(table.offset[vs]), int(table.count[vs])
            active, inactive, _ptr = st.state_of(pid)
            for c, e in enumerate(table.eids[lo:lo + k][::-1].tolist()):
                rows.append(((ni, vs, "cluster"), {"node": node, "service": self.services.items[vs].label,
                                                   "category": "cluster", "endpoint": self.registry.key(e),
                                                   "active": int(active[c]), "inactive": int(inactive[c])}))
        rows.sort(key=lambda r: r[0])  # stable: kernel list order within a virtual service
        return [r for _k, r in rows]

    def connection_totals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every node's IPVS counters summed per (node, endpoint id) over its virtual services, as arrays
        ``(node index, endpoint id, active, inactive)`` sorted by node then endpoint, zero rows left out --
        what a chart of connections per node and pod needs, without one dict per real server."""
        parts = []
        for (ni, _vs, _cat), slot in self.slots.items():
            bal = slot.balancer
            if getattr(bal, "counts_connections", False) and len(bal.endpoint_keys):
                parts.append((np.full(slot.eids.size, ni, np.int64), slot.eids, np.asarray(bal.active, np.int64),
                              np.asarray(bal.inactive, np.int64)))
        st = self.store
        st._flush()
        live = ~st.p_out[st.key_pid]
        keys, pids = st.keys[live], st.key_pid[live]
        if keys.size:
            node, vs = np.divmod(keys, st.nv)
            tid = self.node_table[node] if self.node_table.size else np.full(node.size, -1)
            widths = st.p_w[pids]
            for t in np.flatnonzero(np.bincount(tid[tid >= 0])).tolist() if (tid >= 0).any() else []:
                table = self.table_list[t]
                for w in np.flatnonzero(np.bincount(widths[tid == t])).tolist():
                    if w == 0:
                        continue
                    m = (tid == t) & (widths == w)
                    rows = st.p_row[pids[m]]
                    cls = st.widths[w]
                    cols = np.arange(w)
                    # kernel column c holds kube-proxy position w - 1 - c of the Service's segment
                    flat = table.offset[vs[m]][:, None] + (w - 1 - cols)[None, :]
                    parts.append((np.repeat(node[m], w), table.eids[flat].ravel(),
                                  cls.active[rows].astype(np.int64).ravel(),
                                  cls.inactive[rows].astype(np.int64).ravel()))
        if not parts:
            z = np.zeros(0, np.int64)
            return z, z, z, z
        node, eid, act, ina = (np.concatenate(x) for x in zip(*parts))
        keep = (act > 0) | (ina > 0)
        node, eid, act, ina = node[keep], eid[keep], act[keep], ina[keep]
        key = node * (len(self.registry) + 1) + eid
        uniq, inv = np.unique(key, return_inverse=True)
        n_e = len(self.registry) + 1
        return (uniq // n_e, uniq % n_e, np.bincount(inv, weights=act).astype(np.int64),
                np.bincount(inv, weights=ina).astype(np.int64))

    # ------------------------------------------------------------------------------------ latency
    def service_positions(self) -> np.ndarray:
        """Position of each virtual service's rule in KUBE-SERVICES (PodPath writes them in model order)."""
        if self._position is None:
            self._position = np.arange(self.services.size, dtype=np.int64)
        return self._position

    def cost_one(self, out, i: int) -> float:
        """The decision cost (ms) of request ``i`` alone, DNAT and any SNAT included (for traces)."""
        if out.proxy_node[i] < 0 or out.vs[i] < 0:
            return 0.0
        mode = self.config(self.node_names[int(out.proxy_node[i])]).mode
        c = L.proxy_cost(mode, self.service_positions()[int(out.vs[i])], max(int(out.rule_pos[i]), 0),
                         int(out.rule_pos[i]) != -2)
        return float(c) + L.NAT + (L.NAT if out.masq[i] else 0.0)

    def cost(self, out) -> np.ndarray:
        """kube-proxy's decision cost (ms) per request, by the deciding node's mode."""
        cost = np.zeros(out.outcome.size)
        has = (out.proxy_node >= 0) & (out.vs >= 0)
        if not np.any(has):
            return cost
        codes = self.node_mode  # each node's mode at its last sync (``_node_arrays``)
        names = MODE_NAMES
        pos = self.service_positions()
        all_have = bool(has.all())
        idx = None if all_have else np.flatnonzero(has)
        node_code = codes[out.proxy_node if all_have else out.proxy_node[idx]]
        present = np.flatnonzero(np.bincount(node_code, minlength=len(MODE_CODES)))
        for c in present.tolist():
            if present.size == 1:
                sel = slice(None) if all_have else idx
            else:
                sel = np.flatnonzero(node_code == c) if all_have else idx[node_code == c]
            if names[c] == "iptables" and isinstance(sel, slice):
                # proxy_cost's iptables formula in place: (position + 1 + 1 + (pick + 1)) rules walked, and
                # an established connection (rule_pos -2) costs only its conntrack NAT lookup
                rules = np.take(pos, out.vs).astype(np.float64)
                rules += np.maximum(out.rule_pos, 0)
                rules += 3.0
                rules *= L.IPTABLES_PER_RULE
                old = out.rule_pos == -2
                if old.any():
                    rules[old] = L.NAT
                cost = rules
                continue
            new = out.rule_pos[sel] != -2
            cost[sel] = L.proxy_cost(names[c], pos[out.vs[sel]], np.maximum(out.rule_pos[sel], 0), new)
        return cost
