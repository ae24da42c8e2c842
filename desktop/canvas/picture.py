"""The picture of a cluster: where every box, pod and edge goes, computed from the model and a cluster state.

Pure data (Qt only for QRectF/QPointF): the static layer paints it, the scene makes hit-test items from it,
and the live view asks it for anchors. Layout rules, as an engineer draws a cluster:

* inside a cluster boundary: the workloads' badges on top, then one row of nodes per zone (wrapped at
  ``NODES_PER_ROW``), each node a container of its pods; then the Services; then Ingresses and
  IngressClasses;
* outside the boundary, on the left: external Clients, and a load balancer per LoadBalancer Service;
* a ``podpath.dev/position`` annotation ("x,y", the box's top-left) overrides the automatic place of a
  top-level object; positions are written only when the user moves something.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QPointF, QRectF

from core.model import ClusterModel, ObjectRef
from core.scenario.kinds import ANN_POSITION, object_ref
from core.scenario.targets import parse_target
from core.state import ClusterState

POD_W, POD_H, POD_GAP = 176.0, 42.0, 8.0
NODE_PAD, NODE_HEADER, NODE_MIN_W, NODE_MIN_H, NODE_GAP = 12.0, 78.0, 240.0, 150.0, 44.0
ZONE_LABEL_H, ZONE_GAP = 34.0, 40.0
NODES_PER_ROW = 10
BADGE_W, BADGE_H = 210.0, 52.0
# projector mode: taller workload badges, so that the name and its "Deployment · n/m ready" line both stay
# readable where a 1280x720 projector shows the demo at ~56 % (a 52-unit badge is ~29 px there: the name only)
BADGE_H_PROJECTOR = 72.0
SERVICE_W, SERVICE_H = 236.0, 82.0
INGRESS_W, INGRESS_H = 236.0, 74.0
CLIENT_W, CLIENT_H = 170.0, 58.0
LB_W, LB_H = 200.0, 64.0
TRAFFIC_W, TRAFFIC_H = 150.0, 30.0
GAP = 24.0
MARGIN = 40.0
ROW_GAP = 70.0
HANDLE = 18.0
FANOUT_NODES = 8  # a Service whose pods are on more nodes draws its edges only when selected  # the connection handle at a connectable box's right edge

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
# a top-level box: (width, height, has a connection handle) by document kind
BOX_SIZES = {"Deployment": (BADGE_W, BADGE_H, False), "StatefulSet": (BADGE_W, BADGE_H, False),
             "DaemonSet": (BADGE_W, BADGE_H, False), "ReplicaSet": (BADGE_W, BADGE_H, False),
             "Service": (SERVICE_W, SERVICE_H, True), "Ingress": (INGRESS_W, INGRESS_H, True),
             "IngressClass": (INGRESS_W, INGRESS_H, False), "Client": (CLIENT_W, CLIENT_H, True)}
# kinds whose position the user can store (top-level boxes that are document objects)
MOVABLE_KINDS = ("Node", *WORKLOAD_KINDS, "Service", "Ingress", "IngressClass", "Client", "Pod", "Traffic")


def tr(text: str) -> str:
    return QCoreApplication.translate("Canvas", text)


def lb_ref(namespace: str, name: str) -> ObjectRef:
    """The external load balancer of a LoadBalancer Service (not a document object)."""
    return ObjectRef("LoadBalancer", namespace, name)


@dataclass(frozen=True)
class ProxyLag:
    """How far one node's kube-proxy is behind the EndpointSlices: ``stale`` endpoints it still sends
    traffic to although the slice no longer has them ready (gone, or not ready), and ``missing`` ones the
    slice has ready that it does not program yet. Each item is (Service key, Endpoint)."""

    stale: tuple = ()
    missing: tuple = ()

    def __bool__(self) -> bool:
        return bool(self.stale or self.missing)

    @staticmethod
    def _pods(items) -> dict[str, tuple]:
        """Endpoint address -> (pod name, [Service names]) in order (a pod behind four Services counts once)."""
        out: dict[str, tuple] = {}
        for (_ns, svc), ep in items:
            out.setdefault(ep.ip, (ep.pod[1], []))[1].append(svc)
        return out

    def stale_ips(self) -> list[str]:
        return list(self._pods(self.stale))

    def missing_ips(self) -> list[str]:
        return list(self._pods(self.missing))

    def text(self) -> str:
        """The node's status line: "kube-proxy: 2 stale endpoints" (and/or the ones not programmed yet),
        counting pods (a pod behind several Services is one endpoint to the class)."""
        parts = []
        stale, missing = len(self._pods(self.stale)), len(self._pods(self.missing))
        if stale:
            parts.append(tr("1 stale endpoint") if stale == 1 else tr("%1 stale endpoints").replace("%1", str(stale)))
        if missing:
            parts.append(tr("1 new endpoint not programmed") if missing == 1
                         else tr("%1 new endpoints not programmed").replace("%1", str(missing)))
        return tr("kube-proxy: %1").replace("%1", ", ".join(parts)) if parts else ""

    def short(self) -> str:
        """The note drawn on the node (narrow: neighbouring nodes' notes must not run into each other):
        "kube-proxy: 2 stale", "kube-proxy: 1 new", "kube-proxy: 2 stale, 1 new"."""
        parts = []
        stale, missing = len(self._pods(self.stale)), len(self._pods(self.missing))
        if stale:
            parts.append(tr("%1 stale").replace("%1", str(stale)))
        if missing:
            parts.append(tr("%1 new").replace("%1", str(missing)))
        return tr("kube-proxy: %1").replace("%1", ", ".join(parts)) if parts else ""

    def detail(self) -> list[str]:
        """One line per pod, for tooltips and the rules panel:
        "still programmed: web-x 10.244.1.5 (web-clusterip, web-lb)"."""
        out = []
        for what, items in ((tr("still programmed"), self.stale), (tr("not programmed yet"), self.missing)):
            for ip, (pod, services) in self._pods(items).items():
                out.append(f"{what}: {pod} {ip} ({', '.join(services)})")
        return out


def _ready_ips(endpoints) -> set[str]:
    return {e.ip for e in endpoints if e.ready}


def proxy_lags(state: ClusterState | None) -> dict[str, ProxyLag]:
    """Every running node's kube-proxy lag behind the EndpointSlices (nodes that are down do not sync and
    forward nothing: left out). Nodes whose kube-proxy synced from the same snapshot share one ``slices``
    dict in the core, so each distinct view is compared once."""
    if state is None or not state.proxy_views:
        return {}
    model = getattr(state, "model", None)
    headless = {(x.namespace, x.name) for x in getattr(model, "services", ()) if x.cluster_ip == "None"}
    # kube-proxy programs no rules for a headless Service: its endpoints are DNS answers, not kube-proxy's
    current = {key: sl.endpoints for key, sl in state.slices.items() if key not in headless}
    by_view: dict[int, ProxyLag] = {}
    out: dict[str, ProxyLag] = {}
    for name, view in state.proxy_views.items():
        node = state.nodes.get(name)
        if node is None or not node.up:
            continue
        lag = by_view.get(id(view.slices))
        if lag is None:
            stale, missing = [], []
            for key in sorted((set(view.slices) | set(current)) - headless):
                programmed = view.slices.get(key, ())
                now = current.get(key, ())
                if programmed is now or programmed == now:
                    continue
                have, want = _ready_ips(programmed), _ready_ips(now)
                stale += [(key, e) for e in programmed if e.ready and e.ip not in want]
                missing += [(key, e) for e in now if e.ready and e.ip not in have]
            lag = by_view[id(view.slices)] = ProxyLag(tuple(stale), tuple(missing))
        if lag:
            out[name] = lag
    return out


@dataclass
class Box:
    ref: ObjectRef  # for a load balancer: lb_ref(...)
    kind: str  # "node", "workload", "service", "ingress", "ingressclass", "client", "lb", "traffic", "zone"
    rect: QRectF
    title: str
    lines: list[str] = field(default_factory=list)  # a node: IP, podCIDR, state, kube-proxy lag ("" none)
    status: str = ""  # style.STATUS key, or ""
    colour: int = -1  # endpoint_style index (workloads and their pods), -1 none
    doc_ref: ObjectRef | None = None  # the document object this box edits (the Service of an LB)
    connectable: bool = False
    lag: ProxyLag | None = None  # a node: its kube-proxy behind the EndpointSlices (None: in step)


@dataclass
class PodBox:
    key: tuple[str, str]
    ref: ObjectRef  # ObjectRef("Pod", ns, name); a bare Pod's is its document ref
    rect: QRectF
    name: str
    ip: str
    status: str  # "ready", "pending", "not_ready", "terminating"
    phase: str
    node: str
    owner: ObjectRef | None
    colour: int = -1
    bare: bool = False  # a Pod object of the document (movable onto a node)
    client: bool = False  # an internal Client drawn as a pod of its node
    cx: float = 0.0  # centre x as a Python float (QRectF.center() per pod is slow in sort keys)

    def __post_init__(self) -> None:
        self.cx = self.rect.x() + self.rect.width() / 2


@dataclass
class Edge:
    src: ObjectRef
    dst: ObjectRef | tuple[str, str]
    p1: QPointF
    p2: QPointF
    style: str  # "selector", "backend", "controller", "traffic", "lb"
    label: str = ""
    via: tuple[QPointF, ...] = ()  # bends between p1 and p2

    def points(self) -> list[QPointF]:
        return [self.p1, *self.via, self.p2]


@dataclass
class Picture:
    boxes: dict[ObjectRef, Box] = field(default_factory=dict)
    pods: dict[tuple[str, str], PodBox] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    cluster_rect: QRectF = field(default_factory=QRectF)
    zones: list[Box] = field(default_factory=list)
    bounds: QRectF = field(default_factory=QRectF)
    fanout: dict[ObjectRef, list[QPointF]] = field(default_factory=dict)  # Service -> its pods, drawn when selected

    def anchor(self, ref: ObjectRef | tuple[str, str]) -> QPointF | None:
        if isinstance(ref, tuple) and not isinstance(ref, ObjectRef):
            pod = self.pods.get(ref)
            return pod.rect.center() if pod else None
        box = self.boxes.get(ref)
        if box is not None:
            return box.rect.center()
        if ref.kind == "Pod":
            pod = self.pods.get((ref.namespace, ref.name))
            if pod is not None:
                return pod.rect.center()
        return None


def parse_position(raw: dict) -> QPointF | None:
    meta = raw.get("metadata")
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    text = ann.get(ANN_POSITION) if isinstance(ann, dict) else None
    if not isinstance(text, str):
        return None
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        return None
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    return QPointF(x, y)


def format_position(point: QPointF) -> str:
    return f"{round(point.x())},{round(point.y())}"


FREE_GAP = 12.0  # a box moved out of the way keeps at least this much room around it
FREE_STEP, FREE_SEARCH = 16.0, 640.0
NATURAL_GAP = 6.0  # a box the automatic layout placed stays put while this much room is left around it


class Occupied:
    """The top-level boxes placed so far (stored positions first: fixed), as (left, top, right, bottom)
    tuples in a coarse grid, so asking "is this spot free?" stays quick on a 100-node cluster. The automatic
    layout flows around them (``flow``, ``push_down``, ``column``): nothing it places covers a box the user
    put somewhere, and its rows stay rows."""

    CELL = 512.0

    def __init__(self) -> None:
        self.rects: list[tuple[float, float, float, float]] = []
        self._grid: dict[tuple[int, int], list[int]] = {}

    def _cells(self, r: tuple[float, float, float, float]):
        c = self.CELL
        for i in range(math.floor(r[0] / c), math.floor(r[2] / c) + 1):
            for j in range(math.floor(r[1] / c), math.floor(r[3] / c) + 1):
                yield (i, j)

    def add(self, rect: QRectF, handle: bool = False) -> None:
        r = _extent(rect, handle)
        index = len(self.rects)
        self.rects.append(r)
        for cell in self._cells(r):
            self._grid.setdefault(cell, []).append(index)

    def first_hit(self, r: tuple[float, float, float, float], gap: float = 0.0) -> tuple | None:
        """A placed box that ``r`` (grown by ``gap`` all round) covers, or None."""
        g = (r[0] - gap, r[1] - gap, r[2] + gap, r[3] + gap)
        seen: set[int] = set()
        for cell in self._cells(g):
            for i in self._grid.get(cell, ()):
                if i in seen:
                    continue
                seen.add(i)
                o = self.rects[i]
                if o[0] < g[2] and g[0] < o[2] and o[1] < g[3] and g[1] < o[3]:
                    return o
        return None

    def hits(self, r: tuple[float, float, float, float], gap: float = 0.0) -> bool:
        return self.first_hit(r, gap) is not None

    def near(self, r: tuple[float, float, float, float], reach: float) -> list[tuple[float, float, float, float]]:
        g = (r[0] - reach, r[1] - reach, r[2] + reach, r[3] + reach)
        out = {i for cell in self._cells(g) for i in self._grid.get(cell, ())}
        return [self.rects[i] for i in sorted(out)]

    def free_spot(self, rect: QRectF, handle: bool = False, gap: float = FREE_GAP) -> QPointF:
        """The top-left nearest ``rect``'s where a box of its size covers nothing placed (``gap`` around)."""
        x0, y0 = rect.left(), rect.top()
        r0 = _extent(rect, handle)
        w, h = r0[2] - r0[0], r0[3] - r0[1]
        if not self.hits(r0, gap):
            return QPointF(x0, y0)
        near = self.near(r0, FREE_SEARCH)
        # beside each box in the way (left, right, above, below), then on a grid around
        xs = {x0, *(o[2] + gap for o in near), *(o[0] - gap - w for o in near)}
        ys = {y0, *(o[3] + gap for o in near), *(o[1] - gap - h for o in near)}
        steps = range(-int(FREE_SEARCH // FREE_STEP), int(FREE_SEARCH // FREE_STEP) + 1)
        candidates = [(x, y0) for x in xs] + [(x0, y) for y in ys] + \
            [(x0 + i * FREE_STEP, y0 + j * FREE_STEP) for i in steps for j in steps]
        for x, y in sorted(candidates, key=lambda c: ((c[0] - x0) ** 2 + (c[1] - y0) ** 2, c[1], c[0])):
            if not self.hits((x, y, x + w, y + h), gap):
                return QPointF(x, y)
        # a crowded neighbourhood: under everything placed
        return QPointF(x0, max(o[3] for o in self.rects) + gap)

    def push_down(self, rects: list[QRectF]) -> float:
        """How far down (>= 0) a row of boxes must go, all together, so that none covers a placed box."""
        dy = 0.0
        for _ in range(10000):
            for r in rects:
                hit = self.first_hit((r.left(), r.top() + dy, r.right(), r.bottom() + dy), NATURAL_GAP)
                if hit is not None:
                    dy = hit[3] + FREE_GAP - r.top()  # grows every time: the loop ends
                    break
            else:
                return dy
        return dy

    def flow(self, sizes: list[tuple[float, float, bool]], x0: float, y: float, width: float) -> tuple[list, float]:
        """Boxes of ``sizes`` (width, height, handle) laid left to right from (x0, y) and wrapped at ``width``,
        as text flows around pictures: a slot that covers a placed box moves on past it. Returns their
        rectangles (added) and the y under the last line."""
        x, row_h, blocked, skipped = x0, 0.0, y, 0.0
        out = []
        for w, h, handle in sizes:
            for _ in range(10000):
                # a line is as long as the width plus what it skipped: a box put in it moves the rest of the
                # line along, not every line below (and the node rows) down
                if x > x0 and x + w > x0 + width + skipped:  # next line: under this one, or what blocked it
                    y = y + row_h + GAP if row_h else max(y + GAP, blocked + FREE_GAP)
                    x, row_h, blocked, skipped = x0, 0.0, y, 0.0
                hit = self.first_hit(_extent(QRectF(x, y, w, h), handle), NATURAL_GAP)
                if hit is None:
                    break
                skipped += hit[2] + FREE_GAP - x
                x = hit[2] + FREE_GAP
                blocked = max(blocked, hit[3])
            rect = QRectF(x, y, w, h)
            self.add(rect, handle)
            out.append(rect)
            x += w + GAP
            row_h = max(row_h, h)
        return out, y + row_h

    def column(self, rect: QRectF, handle: bool = False) -> QRectF:
        """``rect`` moved down past every placed box it covers (the load balancers' and Clients' column)."""
        rect = QRectF(rect)
        for _ in range(10000):
            hit = self.first_hit(_extent(rect, handle), NATURAL_GAP)
            if hit is None:
                break
            rect.moveTop(hit[3] + FREE_GAP)
        self.add(rect, handle)
        return rect


def _extent(rect: QRectF, handle: bool) -> tuple[float, float, float, float]:
    """A box's rectangle as a tuple, with its connection handle at the right edge when it has one."""
    return (rect.left(), rect.top(), rect.right() + (HANDLE / 2 if handle else 0.0), rect.bottom())


def _matches(selector: dict[str, str] | None, labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def pod_status(pod) -> str:
    if pod.deletion_timestamp is not None:
        return "terminating"
    if pod.ready:
        return "ready"
    if pod.phase == "Running":
        return "not_ready"
    return "pending"


def node_status(node) -> str:
    if node.ready != "True":
        return "not_ready"
    if node.unschedulable:
        return "cordoned"
    return "ready"


def build_picture(objects: list[dict], model: ClusterModel | None, state: ClusterState | None,
                  rank: dict[ObjectRef, float] | None = None, badge_h: float = BADGE_H) -> Picture:
    """Lay out the cluster. ``objects`` are the document's raw objects (for stored positions and for what
    the model could not build); ``state`` gives nodes' IPs and the pods as a simulation placed them.
    ``rank`` (object -> rank) fixes the left-to-right order of workload badges and Services, e.g. as the settled
    picture had them, so that a running cluster whose pods move does not shuffle the boxes under the class's
    eyes; objects not in it are placed by their pods as usual. ``badge_h``: the workload badges' height
    (``BADGE_H_PROJECTOR`` in projector mode)."""
    pic = Picture()
    stored: dict[ObjectRef, QPointF] = {}
    for raw in objects:
        pos = parse_position(raw)
        if pos is not None:
            stored[object_ref(raw)] = pos
    model = model or ClusterModel()
    workload_index = {w.ref: i for i, w in enumerate(model.workloads)}
    bare = {(p.namespace, p.name) for p in model.pods}

    # -- pods per node ------------------------------------------------------------------------------------
    pods_by_node: dict[str, list] = {n.name: [] for n in model.nodes}
    pending: list = []
    pod_states = list(state.pods.values()) if state is not None else []
    for p in sorted(pod_states, key=lambda p: (p.owner or ("", "", ""), p.namespace, p.name)):
        if p.node in pods_by_node:
            pods_by_node[p.node].append(p)
        else:
            pending.append(p)
    internal_clients: dict[str, list] = {}
    for c in model.clients:
        if c.location == "internal" and c.node in pods_by_node:
            internal_clients.setdefault(c.node, []).append(c)
    most = max([len(v) + len(internal_clients.get(k, ())) for k, v in pods_by_node.items()] + [1])
    cols = 1 if most <= 4 else 2 if most <= 10 else min(8, math.ceil(math.sqrt(most / 1.6)))
    node_w = max(NODE_MIN_W, cols * (POD_W + POD_GAP) - POD_GAP + 2 * NODE_PAD)
    # pods fill their node's width (a one-column node is wider than a pod: its pods' names and states had
    # 40 units of room left unused beside them while elided; HG)
    pod_w = (node_w - 2 * NODE_PAD - (cols - 1) * POD_GAP) / cols

    def node_h(name: str) -> float:
        n = len(pods_by_node.get(name, ())) + len(internal_clients.get(name, ()))
        rows = math.ceil(n / cols) if n else 0
        return max(NODE_MIN_H, NODE_HEADER + rows * (POD_H + POD_GAP) + NODE_PAD)

    # -- nodes in zone rows -------------------------------------------------------------------------------
    zones: dict[str, list] = {}
    for n in model.nodes:
        zones.setdefault(n.zone or "", []).append(n)
    order = sorted(zones, key=lambda z: (z == "", z))
    per_row = _nodes_per_row(zones, node_w, max((node_h(n.name) for n in model.nodes), default=NODE_MIN_H))
    # the badge row above the nodes: as many rows as the cluster's width needs
    n_zones = len(zones)
    if len(model.nodes) <= NODES_PER_ROW:
        nodes_w = len(model.nodes) * (node_w + NODE_GAP) + max(0, n_zones - 1) * ZONE_GAP - NODE_GAP
    else:
        nodes_w = min(max(len(v) for v in zones.values()), per_row) * (node_w + NODE_GAP) - NODE_GAP
    n_svc = sum(1 for s in model.services if not s.implicit)
    est_w = max(nodes_w, min(max(n_svc, 3), 8) * (SERVICE_W + GAP) - GAP)
    badges_per_row = max(1, int((est_w + GAP) // (BADGE_W + GAP)))
    badge_rows = math.ceil(len(model.workloads) / badges_per_row)
    y = MARGIN + (badge_rows * (badge_h + GAP) - GAP + ROW_GAP if badge_rows else 0.0)
    x0 = MARGIN
    node_rects: dict[str, QRectF] = {}
    width = 0.0
    side_by_side = len(model.nodes) <= NODES_PER_ROW  # a small cluster: zones next to each other
    band_top, band_h, x = y, 0.0, x0
    nodes_top = y  # where the node rows start when nothing is in their way
    node_rows: list[list[str]] = [[]] if side_by_side else []  # top to bottom (a small cluster: one band)
    for zone in order:
        members = zones[zone]
        if side_by_side:
            zy = band_top + ZONE_LABEL_H
            node_rows[0] += [n.name for n in members]
            for i, n in enumerate(members):
                node_rects[n.name] = QRectF(x + i * (node_w + NODE_GAP), zy, node_w, node_h(n.name))
            band_h = max(band_h, ZONE_LABEL_H + max(node_h(n.name) for n in members))
            x += len(members) * (node_w + NODE_GAP) + ZONE_GAP
            width = max(width, x - x0 - NODE_GAP - ZONE_GAP)
            continue
        y += ZONE_LABEL_H
        for start in range(0, len(members), per_row):
            row = members[start:start + per_row]
            node_rows.append([n.name for n in row])
            h = max(node_h(n.name) for n in row)
            for i, n in enumerate(row):
                node_rects[n.name] = QRectF(x0 + i * (node_w + NODE_GAP), y, node_w, node_h(n.name))
            width = max(width, len(row) * (node_w + NODE_GAP) - NODE_GAP)
            y += h + NODE_GAP
        y += ZONE_GAP - NODE_GAP
    if side_by_side:
        y = band_top + band_h + ZONE_GAP
    if len(zones) > 1 or (order and order[0]):
        for zone in order:  # status "stacked": zones in rows, room for a name up the bar when zoomed out
            pic.zones.append(Box(ObjectRef("Zone", "", zone), "zone", QRectF(), zone or tr("(no zone)"),
                                 status="" if side_by_side else "stacked"))
    width = max(width, est_w)
    lags = proxy_lags(state)
    # every box the user placed first: what the automatic layout puts down goes around them
    occupied = Occupied()
    sizes: dict[ObjectRef, tuple[float, float, bool]] = {n.ref: (node_w, node_h(n.name), False) for n in model.nodes}
    sizes.update({w.ref: (BADGE_W, badge_h, False) for w in model.workloads})
    sizes.update({s.ref: (SERVICE_W, SERVICE_H, True) for s in model.services if not s.implicit})
    sizes.update({i.ref: (INGRESS_W, INGRESS_H, True) for i in model.ingresses})
    sizes.update({ObjectRef("IngressClass", "", c.name): (INGRESS_W, INGRESS_H, False) for c in model.ingress_classes})
    sizes.update({ObjectRef("Client", "", c.name): (CLIENT_W, CLIENT_H, True) for c in model.clients
                  if not (c.location == "internal" and c.node in pods_by_node)})
    for ref, pos in stored.items():
        if ref in sizes:
            w_, h_, handle = sizes[ref]
            occupied.add(QRectF(pos.x(), pos.y(), w_, h_), handle)
    # the badges' slots first (all one size: their order, known later, does not change where the lines go)
    auto_badges = [w for w in model.workloads if w.ref not in stored]
    badge_slots, badges_bottom = occupied.flow([(BADGE_W, badge_h, False)] * len(auto_badges), MARGIN, MARGIN, width)
    # then the node rows, each pushed down as far as something placed is in its way (the rows under it too)
    shift = max(0.0, badges_bottom + ROW_GAP - nodes_top) if badge_slots else 0.0
    for row in node_rows:
        rects = [node_rects[name].translated(0, shift) for name in row if ObjectRef("Node", "", name) not in stored]
        shift += occupied.push_down(rects)
        for name in row:
            node_rects[name].translate(0, shift)
            if ObjectRef("Node", "", name) not in stored:
                occupied.add(node_rects[name])
    y += shift
    nodes_bottom = y
    for n in model.nodes:
        rect = node_rects[n.name]
        if n.ref in stored:
            rect.moveTopLeft(stored[n.ref])
        ns = state.nodes.get(n.name) if state is not None else None
        ip = ns.ip if ns else (n.internal_ip or "")
        cidr = ns.pod_cidr if ns else (n.pod_cidr or "")
        status = node_status(ns) if ns else "ready"
        state_text = {"ready": "Ready", "not_ready": "NotReady", "cordoned": "Ready,SchedulingDisabled"}[status]
        if ns is not None and ns.ready == "Unknown":
            state_text = "Unknown"
        lag = lags.get(n.name)
        pic.boxes[n.ref] = Box(n.ref, "node", rect, n.name, [ip, cidr, state_text, lag.text() if lag else ""], status,
                               connectable=False, lag=lag)
    for zone_box in pic.zones:  # zone rules follow the nodes
        rects = [pic.boxes[n.ref].rect for n in zones[zone_box.ref.name]]
        top = min(r.top() for r in rects) - ZONE_LABEL_H
        bottom = max(r.bottom() for r in rects)
        zone_box.rect = QRectF(min(r.left() for r in rects) - 14, top, 6, bottom - top)

    # -- pods inside their nodes ----------------------------------------------------------------------------
    for name, plist in pods_by_node.items():
        rect = pic.boxes[ObjectRef("Node", "", name)].rect
        cells = [("pod", p) for p in plist] + [("client", c) for c in internal_clients.get(name, ())]
        for i, (what, p) in enumerate(cells):
            r, c = divmod(i, cols)
            cell = QRectF(rect.left() + NODE_PAD + c * (pod_w + POD_GAP), rect.top() + NODE_HEADER + r * (POD_H + POD_GAP),
                          pod_w, POD_H)
            if what == "client":
                ref = ObjectRef("Client", "", p.name)
                pic.pods[("", f"client:{p.name}")] = PodBox(("", f"client:{p.name}"), ref, cell, p.name,
                                                            p.ip or "", "ready", "Running", name, None, client=True)
                continue
            owner = ObjectRef(*p.owner) if p.owner else None
            pic.pods[p.key] = PodBox(p.key, ObjectRef("Pod", p.namespace, p.name), cell, p.name, p.ip or "",
                                     pod_status(p), p.phase, name, owner, workload_index.get(owner, -1),
                                     bare=p.key in bare)

    # -- workload badges on top ---------------------------------------------------------------------------------
    def mean_x(keys_x: list[float], default: float) -> float:
        return sum(keys_x) / len(keys_x) if keys_x else default

    pods_of: dict[ObjectRef, list[PodBox]] = {}
    for pb in pic.pods.values():
        if pb.owner is not None:
            pods_of.setdefault(pb.owner, []).append(pb)
    def keep(ref: ObjectRef, by_pods: float) -> tuple[int, float]:
        # ranked objects first, in their rank; the rest after them, by their pods
        return (0, rank[ref]) if rank and ref in rank else (1 if rank else 0, by_pods)

    wl = sorted(model.workloads, key=lambda w: keep(w.ref, mean_x([p.cx for p in pods_of.get(w.ref, [])], 1e9)))
    slots = iter(badge_slots)
    for w in wl:
        box = _workload_box(w.ref, model, pods_of, state)
        box.rect = QRectF(stored[w.ref].x(), stored[w.ref].y(), BADGE_W, badge_h) if w.ref in stored else next(slots)
        pic.boxes[w.ref] = box

    # -- pending pods (no node) under the nodes -------------------------------------------------------------------
    y = nodes_bottom
    if pending:
        per_row = max(1, int(width // (POD_W + POD_GAP)))
        for i, p in enumerate(pending):
            r, c = divmod(i, per_row)
            cell = QRectF(MARGIN + c * (POD_W + POD_GAP), y + r * (POD_H + POD_GAP), POD_W, POD_H)
            owner = ObjectRef(*p.owner) if p.owner else None
            pic.pods[p.key] = PodBox(p.key, ObjectRef("Pod", p.namespace, p.name), cell, p.name, "", pod_status(p),
                                     p.phase, "", owner, workload_index.get(owner, -1), bare=p.key in bare)
        block = QRectF(MARGIN, y, min(len(pending), per_row) * (POD_W + POD_GAP) - POD_GAP,
                       math.ceil(len(pending) / per_row) * (POD_H + POD_GAP) - POD_GAP)
        occupied.add(block)  # automatic boxes stay off the pending pods too
        y += math.ceil(len(pending) / per_row) * (POD_H + POD_GAP) + ROW_GAP - POD_GAP
        pods_of = {}
        for pb in pic.pods.values():
            if pb.owner is not None:
                pods_of.setdefault(pb.owner, []).append(pb)
    else:
        y += ROW_GAP - ZONE_GAP

    # -- services under the nodes, ordered by where their pods are ------------------------------------------------------
    services = [s for s in model.services if not s.implicit]
    by_label: dict[tuple[str, str, str], list[PodBox]] = {}  # (namespace, key, value) -> pods
    for pb in pic.pods.values():
        if not pb.client:
            for k, v in _labels(state, pb.key).items():
                by_label.setdefault((pb.key[0], k, v), []).append(pb)
    sel_pods: dict[ObjectRef, list[PodBox]] = {}
    for s in services:
        if not s.selector:
            sel_pods[s.ref] = []
            continue
        first, *rest = s.selector.items()
        candidates = by_label.get((s.namespace, *first), [])
        sel_pods[s.ref] = [pb for pb in candidates if all(_labels(state, pb.key).get(k) == v for k, v in rest)]
    services.sort(key=lambda s: keep(s.ref, mean_x([p.cx for p in sel_pods[s.ref]], 1e9)))
    svc_by_ref = {s.ref: s for s in services}
    svc_top = y
    y = _row(pic, [(s.ref, SERVICE_W, SERVICE_H) for s in services], MARGIN, y, width, stored, "service",
             lambda r: _service_box(svc_by_ref[r]), occupied)

    # -- ingresses and ingress classes ----------------------------------------------------------------------------
    items = [(i.ref, INGRESS_W, INGRESS_H) for i in model.ingresses]
    items += [(ObjectRef("IngressClass", "", c.name), INGRESS_W, INGRESS_H) for c in model.ingress_classes]
    y = _row(pic, items, MARGIN, y + (ROW_GAP - GAP if services else 0), width, stored, "ingress",
             lambda r: _ingress_box(r, model), occupied)
    in_cluster = [b.rect for b in pic.boxes.values()] + [p.rect for p in pic.pods.values()] + [z.rect for z in pic.zones]
    cluster = QRectF(0, 0, width + 2 * MARGIN, max(y, nodes_bottom) + MARGIN - GAP)
    for r in in_cluster:
        cluster = cluster.united(r.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
    pic.cluster_rect = cluster

    # -- outside: load balancers, then clients further left ----------------------------------------------------------
    lbs = [s for s in services if s.type == "LoadBalancer"]
    col = cluster.left() - 90 - max(LB_W, CLIENT_W)
    svc_bottom = max([pic.boxes[s.ref].rect.bottom() for s in services] + [svc_top])
    for i, s in enumerate(lbs):
        svc_rect = pic.boxes[s.ref].rect
        ref = lb_ref(s.namespace, s.name)
        rect = occupied.column(QRectF(col, svc_top + i * (LB_H + GAP), LB_W, LB_H))
        ip = s.load_balancer_ip or tr("<pending>")
        ports = ", ".join(str(p.port) for p in s.ports)
        pic.boxes[ref] = Box(ref, "lb", rect, tr("LB %1").replace("%1", s.name), [f"{ip}:{ports}" if ports else ip],
                             doc_ref=s.ref)
        # routed under the Services row: out of the LB, down, along, up into the Service
        p1 = QPointF(rect.right(), rect.center().y())
        bend_x = cluster.left() - 40 + i * 8
        below = svc_bottom + 14 + i * 8
        via = (QPointF(bend_x, p1.y()), QPointF(bend_x, below), QPointF(svc_rect.center().x() + i * 6, below))
        label = ", ".join(f"{p.port}→:{p.node_port}" for p in s.ports if p.node_port)
        pic.edges.append(Edge(ref, s.ref, p1, QPointF(svc_rect.center().x() + i * 6, svc_rect.bottom()), "lb",
                              label, via))
    external = [c for c in model.clients if not (c.location == "internal" and c.node in pods_by_node)]
    nodes_top = min([b.rect.top() for b in pic.boxes.values() if b.kind == "node"] + [cluster.top() + MARGIN])
    for i, c in enumerate(external):
        ref = ObjectRef("Client", "", c.name)
        rect = QRectF(col + (max(LB_W, CLIENT_W) - CLIENT_W) / 2, nodes_top + i * (CLIENT_H + 50), CLIENT_W, CLIENT_H)
        if ref in stored:
            rect.moveTopLeft(stored[ref])
        else:
            rect = occupied.column(rect, handle=True)
        where = c.ip or (tr("in %1").replace("%1", c.node) if c.node else "")
        pic.boxes[ref] = Box(ref, "client", rect, c.name, [where] if where else [], connectable=True)

    # -- edges -------------------------------------------------------------------------------------------------
    for s in services:
        svc = pic.boxes[s.ref]
        by_node: dict[str, list[PodBox]] = {}
        for pb in sel_pods[s.ref]:
            by_node.setdefault(pb.node, []).append(pb)
        if len(by_node) > FANOUT_NODES:
            # pods all over the cluster: one edge per pod would be a hairball; the box says how many, and
            # selecting the Service shows its edges (pic.fanout)
            pic.fanout[s.ref] = [pb.rect.center() for pb in sel_pods[s.ref]]
            svc.lines.append(tr("→ %1 pods on %2 nodes").replace("%1", str(len(sel_pods[s.ref])))
                             .replace("%2", str(len(by_node))))
            continue
        for node, pbs in by_node.items():
            if len(pbs) <= 3 or not node:
                for pb in pbs:
                    pic.edges.append(Edge(s.ref, pb.key, _top(svc.rect), _bottom(pb.rect), "selector"))
            else:
                nrect = pic.boxes[ObjectRef("Node", "", node)].rect
                pic.edges.append(Edge(s.ref, ObjectRef("Node", "", node), _top(svc.rect), _bottom(nrect), "selector",
                                      f"×{len(pbs)}"))
    services_by_name = {(s.namespace, s.name): s for s in services}
    for ing in model.ingresses:
        ibox = pic.boxes[ing.ref]
        backends = [p.backend for r in ing.rules for p in r.paths]
        if ing.default_backend:
            backends.append(ing.default_backend)
        seen = set()
        for b in backends:
            svc = services_by_name.get((ing.namespace, b.service_name))
            if svc is None or svc.ref in seen:
                continue
            seen.add(svc.ref)
            pic.edges.append(Edge(ing.ref, svc.ref, _top(ibox.rect), _bottom(pic.boxes[svc.ref].rect), "backend"))
    ctrl = _controller(model)
    if ctrl is not None:
        cls_ref, ctrl_svc = ctrl
        for ing in model.ingresses:
            if cls_ref in pic.boxes:
                a, b = pic.boxes[ing.ref].rect, pic.boxes[cls_ref].rect
                pic.edges.append(Edge(ing.ref, cls_ref, _right(a), _left(b), "controller"))
        if ctrl_svc is not None and cls_ref in pic.boxes and ctrl_svc.ref in pic.boxes:
            pic.edges.append(Edge(cls_ref, ctrl_svc.ref, _top(pic.boxes[cls_ref].rect),
                                  _bottom(pic.boxes[ctrl_svc.ref].rect), "controller"))
    _traffic(pic, model, services_by_name, state)
    bounds = QRectF(cluster)
    for box in pic.boxes.values():
        bounds = bounds.united(box.rect)
    pic.bounds = bounds.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    return pic


def _nodes_per_row(zones: dict[str, list], node_w: float, node_h: float, aspect: float = 2.2) -> int:
    """Nodes per row in a large cluster: the count that makes the block of zone rows closest to ``aspect``
    (width / height) — a canvas beside docks on a 16:9 screen."""
    best, best_err = NODES_PER_ROW, float("inf")
    if not any(zones.values()):  # no Node objects (a plain manifest): nothing to arrange
        return best
    for per_row in range(4, 41):
        rows = sum(math.ceil(len(v) / per_row) for v in zones.values())
        width = min(per_row, max((len(v) for v in zones.values()), default=1)) * (node_w + NODE_GAP)
        height = rows * (node_h + NODE_GAP) + len(zones) * (ZONE_LABEL_H + ZONE_GAP)
        err = abs(math.log(width / height / aspect))
        if err < best_err:
            best, best_err = per_row, err
    return best


def _labels(state: ClusterState | None, key: tuple[str, str]) -> dict[str, str]:
    if state is None:
        return {}
    pod = state.pods.get(key)
    return pod.labels if pod else {}


def _top(r: QRectF) -> QPointF:
    return QPointF(r.center().x(), r.top())


def _bottom(r: QRectF) -> QPointF:
    return QPointF(r.center().x(), r.bottom())


def _left(r: QRectF) -> QPointF:
    return QPointF(r.left(), r.center().y())


def _right(r: QRectF) -> QPointF:
    return QPointF(r.right(), r.center().y())


def _row(pic: Picture, items: list, x0: float, y: float, width: float, stored: dict, kind: str, make,
         occupied: Occupied) -> float:
    """Place boxes left to right from (x0, y), wrapping at ``width`` and flowing around the boxes already in
    ``occupied`` (stored ones keep their place); returns the y under the row."""
    boxes = {ref: make(ref) for ref, _w, _h in items}
    auto = [(ref, w, h) for ref, w, h in items if ref not in stored]
    rects, bottom = occupied.flow([(w, h, boxes[ref].connectable) for ref, w, h in auto], x0, y, width)
    placed = dict(zip((ref for ref, _w, _h in auto), rects))
    for ref, w, h in items:
        box = boxes[ref]
        box.rect = placed[ref] if ref in placed else QRectF(stored[ref].x(), stored[ref].y(), w, h)
        box.kind = box.kind or kind
        pic.boxes[ref] = box
    return bottom + ROW_GAP if auto else y


def _workload_box(ref: ObjectRef, model: ClusterModel, pods_of: dict, state: ClusterState | None = None) -> Box:
    w = next(w for w in model.workloads if w.ref == ref)
    pods = pods_of.get(ref, [])
    ready = sum(p.status == "ready" for p in pods)
    # the replicas wanted now: a live scale changes the run, not the document (after scaling web to 6 while
    # playing the box read "6/3 ready"; user test)
    replicas = getattr(state, "replicas", None) or {}
    want = len(pods) if w.kind == "DaemonSet" else replicas.get((w.kind, w.namespace, w.name), w.replicas)
    idx = next(i for i, x in enumerate(model.workloads) if x.ref == ref)
    line = tr("%1 · %2/%3 ready").replace("%1", w.kind).replace("%2", str(ready)).replace("%3", str(want))
    return Box(ref, "workload", QRectF(), w.name, [line], colour=idx)


def _service_box(s) -> Box:
    """Name; type and ClusterIP; ports (port→targetPort, and the nodePort where there is one)."""
    if s.type == "ExternalName":
        kind, ip = "ExternalName", s.external_name or ""
    else:
        kind = "headless" if s.headless else s.type
        ip = "clusterIP: None" if s.headless else (s.cluster_ip or "")
    ports = []
    for p in s.ports:
        text = f"{p.port}→{p.effective_target_port}"
        if p.node_port:
            text += f" :{p.node_port}"
        ports.append(text)
    # the address on a line of its own: it must stay readable when the canvas is zoomed out
    return Box(s.ref, "service", QRectF(), s.name, [ip, " · ".join([kind, ", ".join(ports)]).strip(" ·")],
               connectable=True)


def _ingress_box(ref: ObjectRef, model: ClusterModel) -> Box:
    if ref.kind == "Ingress":
        ing = next(i for i in model.ingresses if i.ref == ref)
        hosts = sorted({r.host or "*" for r in ing.rules})
        line = ", ".join(hosts) if hosts else tr("(no rules)")
        cls_line = tr("class: %1").replace("%1", ing.class_name or tr("default"))
        return Box(ref, "ingress", QRectF(), f"Ingress {ref.name}", [line, cls_line],
                   connectable=True)
    cls = next(c for c in model.ingress_classes if c.name == ref.name)
    return Box(ref, "ingressclass", QRectF(), f"IngressClass {ref.name}",
               [cls.controller + (" " + tr("(default)") if cls.is_default else "")])


def _controller(model: ClusterModel):
    if not model.ingress_classes:
        return None
    try:
        from core.dataplane.targets import find_ingress_controller  # noqa: PLC0415  (optional layer)
    except ImportError:
        return None
    info = find_ingress_controller(model)
    cls = next((c for c in model.ingress_classes if c.is_default), model.ingress_classes[0])
    return ObjectRef("IngressClass", "", cls.name), (info.service if info else None)


def _traffic(pic: Picture, model: ClusterModel, services: dict, state: ClusterState | None) -> None:
    """A Traffic edge from its client to what its target names; its label box sits on the edge."""
    node_ips = {}
    if state is not None:
        node_ips = {n.ip: n.spec.ref for n in state.nodes.values()}
    cluster_ips = {s.cluster_ip: s for s in services.values() if s.cluster_ip}
    lb_ips = {s.load_balancer_ip: s for s in services.values() if s.load_balancer_ip}
    hosts = {}
    for ing in model.ingresses:
        for r in ing.rules:
            if r.host:
                hosts[r.host] = ing.ref
    counts: dict[ObjectRef, int] = {}
    for t in model.traffic:
        src = pic.boxes.get(ObjectRef("Client", "", t.client))
        src_rect = src.rect if src else None
        if src_rect is None:
            pod = pic.pods.get(("", f"client:{t.client}"))
            src_rect = pod.rect if pod else None
        if src_rect is None:
            continue
        dst: ObjectRef | None = None
        try:
            target = parse_target(t.target)
        except ValueError:
            target = None
        if target is not None:
            if target.kind == "host" and target.host in hosts:
                dst = hosts[target.host]
            elif target.service is not None and target.service in services:
                dst = services[target.service].ref
            elif target.kind == "ip":
                if target.host in lb_ips:
                    s = lb_ips[target.host]
                    dst = lb_ref(s.namespace, s.name)
                elif target.host in cluster_ips:
                    dst = cluster_ips[target.host].ref
                elif target.host in node_ips:
                    dst = node_ips[target.host]
        if dst is not None and dst.kind == "Ingress":
            # external requests to an Ingress host enter through the controller's load balancer
            ctrl = _controller(model)
            client = next((c for c in model.clients if c.name == t.client), None)
            if ctrl and ctrl[1] is not None and client is not None and client.location == "external":
                lb = lb_ref(ctrl[1].namespace, ctrl[1].name)
                if lb in pic.boxes:
                    dst = lb
        ref = ObjectRef("Traffic", "", t.name)
        dst_rect = pic.boxes[dst].rect if dst in pic.boxes else None
        p1 = QPointF(src_rect.right(), src_rect.center().y())
        p2 = QPointF(dst_rect.left(), dst_rect.center().y()) if dst_rect is not None else p1 + QPointF(120, 0)
        if dst_rect is not None and dst_rect.left() < p1.x():
            p2 = _top(dst_rect) if dst_rect.top() > p1.y() else _bottom(dst_rect)
        n = counts.get(dst or ref, 0)
        counts[dst or ref] = n + 1
        mid = (p1 + p2) / 2 + QPointF(0, n * (TRAFFIC_H + 6))
        label = f"{t.name} · {t.rate:g}/s"
        rect = QRectF(mid.x() - TRAFFIC_W / 2, mid.y() - TRAFFIC_H / 2, TRAFFIC_W, TRAFFIC_H)
        pic.boxes[ref] = Box(ref, "traffic", rect, label, [t.target])
        pic.edges.append(Edge(ObjectRef("Client", "", t.client), dst or ref, p1, p2, "traffic", ""))
