"""ClusterScene: the canvas's scene — follows the session's document, draws the cluster as a cached static
layer, keeps invisible items for hit-testing, selection and drag.

Contract for the live view (also on /work/notes/board.md):

* ``apply_cluster_state(state: core.state.ClusterState)`` — redraw runtime facts from a running
  Simulation's state (node conditions and cordons, pods created / deleted / moved with new IPs and phases).
  The scene keeps showing that state until ``clear_cluster_state()`` or a document edit (after an edit the
  scene shows the settled cluster of the edited document until the live view applies a new state).
* ``anchor(ref) -> QPointF | None`` — the scene point of a Client, load balancer (``lb_ref(ns, name)``,
  kind "LoadBalancer"), Node, Pod (``ObjectRef("Pod", ns, name)`` or the pod key ``(ns, name)``), Service,
  Ingress, IngressClass or workload.
* ``item_for_ref(ref)`` — the hit item of that object (None if not drawn).
* ``context_actions_provider``: ``callable(ref) -> list[QAction]`` (or None) — extra actions for a right-click
  on an object; also the signal ``context_menu_requested(ref, QPoint screen_pos)``.
* ``picture_changed`` — emitted after every re-layout (anchors may have moved).

Without a live state the scene shows the cluster as a core Simulation settles it (pods scheduled and Ready),
the same way ``podpath route --to`` settles before a what-if.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QCursor, QKeyEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene, QGraphicsSceneMouseEvent, QMenu

from core.model import ClusterModel, ObjectRef
from core.scenario.build import build_model
from core.scenario.document import Document, Entry, split_path
from core.scenario.errors import ScenarioError
from core.scenario.kinds import ANN_POSITION, object_ref, ref_label
from core.state import ClusterState
from desktop.canvas.items import HitItem, is_movable
from desktop.canvas.picture import (
    BADGE_H,
    BADGE_H_PROJECTOR,
    BOX_SIZES,
    SERVICE_H,
    SERVICE_W,
    Occupied,
    Picture,
    build_picture,
    lb_ref,
)
from desktop.canvas.render import Renderer, status_text
from desktop.canvas.static_layer import StaticLayer
from desktop.style import LIGHT, Theme

SETTLE_LIMIT = 300.0
SETTLED_KEPT = 2  # the settled state now and the one before (undo / redo of the last placement change; each
# more kept 2,000-pod state costs ~3 ms of garbage collection on every later edit, a settle ~0.3 s)
# a box dropped on others moves to the nearest spot at least picture.FREE_GAP away from every box of these kinds
OBSTACLE_KINDS = ("node", "workload", "service", "ingress", "ingressclass", "client", "lb", "traffic")
HANDLE_ROOM = 14.0  # the connection handle sticks out at a box's right edge
GROUP_GAP = 24.0  # between the boxes of a pasted group laid out in a grid
GROUP_COLUMNS = 4  # a pasted manifest of 20 boxes is a block near the mouse, not one row 5,000 units long
PLACEMENT_KINDS = ("Node", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Simulation",
                   "KubeSchedulerConfiguration", "ClusterConfiguration", "Client")


def settle(model: ClusterModel) -> ClusterState:
    """The cluster as a Simulation settles it without traffic or timeline: every pod scheduled and Ready
    (or stuck Pending), every kube-proxy synced — as ``podpath route --to`` settles."""
    from core.engine import Simulation  # noqa: PLC0415  (the first frame does not need the engine)

    quiet = copy.copy(model)
    quiet.timeline = []
    quiet.traffic = []
    # no checkpoints: nobody seeks in this throw-away run (a snapshot pickles the whole 2,000-pod state)
    sim = Simulation(quiet, dataplane=False, checkpoint_interval=None)
    while sim.time < SETTLE_LIMIT:
        sim.step(1.0)
        pods = sim.state.pods.values()
        moving = [p for p in pods if p.deletion_timestamp is None and p.node is not None and not p.ready]
        if not moving and sim.time >= 5.0:
            break
    return sim.state


def _placement_key(objects: list[dict]) -> str:
    """What pod placement depends on: nodes, workloads, pods, scheduler/cluster config (positions aside)."""
    keep = []
    for raw in objects:
        if raw.get("kind") in PLACEMENT_KINDS:
            meta = raw.get("metadata")
            ann = meta.get("annotations") if isinstance(meta, dict) else None
            if isinstance(ann, dict) and ANN_POSITION in ann:  # shallow copies down to the annotations
                ann = {k: v for k, v in ann.items() if k != ANN_POSITION}
                raw = {**raw, "metadata": {**meta, "annotations": ann}}
            keep.append(raw)
    return json.dumps(keep, sort_keys=True, default=str)


class ClusterScene(QGraphicsScene):
    picture_changed = Signal()  # the picture was re-laid out (anchors may have moved)
    context_menu_requested = Signal(object, QPoint)  # (ObjectRef, screen position) of a right-click
    connect_requested = Signal(object, object)  # (source ref, target ref): a drag from a connection handle
    moved = Signal(object, bool)  # {ObjectRef: (x, y)} new top-left corners, nudge (arrow keys)
    pod_dropped_on_node = Signal(object, str)  # (Pod ref, node name)
    refused = Signal(str)  # an interaction that could not be done, and why (for the status bar)
    theme_changed = Signal(object)  # the desktop.style.Theme now drawn (overlays such as the legend follow it)

    def __init__(self, session=None, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        self.session = session
        self.renderer = Renderer(theme)
        self.layer = StaticLayer(self.renderer)
        self.addItem(self.layer)
        self.picture = Picture()
        self.model: ClusterModel | None = None
        self.state: ClusterState | None = None  # the settled state
        self.live_state: ClusterState | None = None
        self.pod_styles: dict[tuple[str, str], int] = {}  # pod key -> endpoint_style index (live view)
        self._placement: str | None = None
        # settled states by placement key, least recently used first (only the scene reads them; never changed)
        self._settled: dict[str, ClusterState] = {}
        self._last_good: dict[str, dict] = {}  # object label -> raw object of the last document without errors
        self._items: dict[object, HitItem] = {}
        self._aliases: dict[ObjectRef, ObjectRef] = {}  # stand-in ref drawn -> the document's (invalid names)
        self._badge_h = BADGE_H  # workload badges' height (taller in projector mode)
        self._inputs = 0  # bumped whenever what a live picture is built from changes (document, order)
        self._items_version = 0  # bumped by every change of the hit items (``_apply_items``)
        self._applied: tuple | None = None  # (items version, wanted, tips) the hit items were last made from
        self._prep_inputs: tuple | None = None  # (inputs, objects as drawn, document refs) for live_preparer
        self.context_actions_provider: Callable[[ObjectRef], list[QAction]] | None = None
        self._connect: _ConnectInteraction | None = None
        self._syncing = False
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        if session is not None:
            session.placer = self.free_position
            session.group_placer = self.place_group
            session.document_replaced.connect(self._on_document_replaced)
            session.document_changed.connect(self.rebuild)

    # -- theme ------------------------------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        return self.renderer.theme

    def set_projector(self, on: bool, theme: Theme | None = None) -> None:
        """Projector mode: labels kept at 1.5 times the usual least on-screen size (names, addresses), and
        taller workload badges (their name and 'n/m ready' line both readable: the picture is laid out again)."""
        self.renderer.text_scale = 1.5 if on else 1.0
        badge_h = BADGE_H_PROJECTOR if on else BADGE_H
        if badge_h != self._badge_h:
            self._badge_h = badge_h
            self._inputs += 1  # a live picture being built has the other height
            self._relayout()
        if theme is not None:
            self.set_theme(theme)
        else:
            self.layer.invalidate()

    def set_theme(self, theme: Theme) -> None:
        self.renderer.theme = theme
        self.setBackgroundBrush(QColor(theme.background))
        for item in self._items.values():
            item.highlight = QColor(theme.selection)
        self.layer.invalidate()
        self.theme_changed.emit(theme)

    # -- following the document --------------------------------------------------------------------------
    def _on_document_replaced(self) -> None:
        self._placement = None
        self._order = {}  # a new document is laid out afresh
        self._last_good = {}
        self.live_state = None
        self.rebuild()

    def _model_for(self, doc: Document) -> ClusterModel | None:
        self._aliases = {}
        if self.session is not None and self.session.model is not None:
            return self.session.model
        # errors: draw the objects in error without their bad fields (a Deployment with replicas: -2 stays on
        # the canvas, drawn with the default), then without the objects still in error, else the last good model
        diags = list(self.session.diagnostics) if self.session is not None else []
        bad_fields: dict[str, list[str]] = {}
        for d in diags:
            if d.is_error and d.object:
                bad_fields.setdefault(d.object, []).append(d.path or "")
        # an object whose bad field cannot just be left out (a required port of 70000) is drawn as it last
        # built (where the user put it now), so it does not vanish from the canvas while being typed; with no
        # last good version (a file opened or restored in error), with the palette template's value there
        dropped: set[str] = set()
        no_good: set[str] = set()  # last good versions that no longer build with the others
        # an object whose name itself is invalid ('Bad_Name') is drawn under a valid stand-in name, shown and
        # edited as itself (``_aliases``): it was left off the canvas, so it could not be seen, moved or
        # connected until renamed (HG)
        taken = {(r.kind, r.namespace, r.name) for r in (object_ref(o) for o in doc)}
        no_template: set[str] = set()
        alias_of: dict[ObjectRef, str] = {}

        def stand_in(label: str, raw: dict) -> dict | None:
            good = self._last_good.get(label)
            if label not in no_good and good is not None and good.get("kind") == raw.get("kind"):
                return _with_position(good, raw)
            if label not in no_template:
                return _with_template_values(raw, bad_fields.get(label, []))
            return None

        for _attempt in range(4):
            keep = Document(filename=doc.filename)
            self._aliases = {}
            for raw in doc:
                real = object_ref(raw)
                label = ref_label(real)
                if label not in dropped:
                    trial = copy.deepcopy(raw)
                    paths = bad_fields.get(label, [])
                    if "metadata.name" in paths and isinstance(trial.get("metadata"), dict):
                        name = alias_of.get(real)
                        if name is None:  # one stand-in name per object over the attempts
                            name = alias_of[real] = _drawable_name(
                                real.name, {n for k, ns, n in taken if (k, ns) == (real.kind, real.namespace)})
                            taken.add((real.kind, real.namespace, name))
                        trial["metadata"]["name"] = name
                        self._aliases[ObjectRef(real.kind, real.namespace, name)] = real
                        paths = [path for path in paths if path != "metadata.name"]
                    if all(_drop_field(trial, path) for path in paths):
                        keep.entries.append(Entry(trial))
                        continue
                    dropped.add(label)
                other = stand_in(label, raw)
                if other is not None and real in alias_of and isinstance(other.get("metadata"), dict):
                    other = {**other, "metadata": {**other["metadata"], "name": alias_of[real]}}
                    self._aliases[ObjectRef(real.kind, real.namespace, alias_of[real])] = real
                if other is not None:
                    keep.entries.append(Entry(other))
            try:
                return build_model(keep)[0]
            except ScenarioError as exc:
                # errors name a renamed object by its stand-in name: back to the document's label (HG: a
                # 'Bad_Name' Service with port 70000 took a new stand-in name each attempt and emptied the canvas)
                back = {ref_label(fake): ref_label(real) for fake, real in self._aliases.items()}
                errors = [(back.get(d.object, d.object), d.path) for d in exc.diagnostics if d.is_error and d.object]
                still = {obj for obj, _ in errors}
                if not still:
                    return self.model
                for obj, path in errors:
                    if path and path not in bad_fields.get(obj, []):
                        bad_fields.setdefault(obj, []).append(path)
                progress = bool(still - dropped)
                for label in still & dropped:  # its stand-in did not build either: the next one, else leave out
                    if label not in no_good and label in self._last_good:
                        no_good.add(label)
                        progress = True
                    elif label not in no_template:
                        no_template.add(label)
                        progress = True
                if not progress:
                    return self.model
                dropped |= still
            except Exception:
                return self.model
        return self.model

    def rebuild(self) -> None:
        """Re-lay out from the session's document (settling again only when placement inputs changed)."""
        if self.session is None:
            return
        # a live state belongs to the document it was simulated from: after an edit, show the settled
        # cluster until the live view applies a state of the edited document
        self.live_state = None
        doc = self.session.document
        objects = doc.objects()
        self._aliases = {}
        model = self._model_for(doc) if len(doc) else ClusterModel()
        if self.session.model is not None:  # objects() are copies: kept as each object's last good version
            self._last_good = {ref_label(object_ref(o)): o for o in objects}
        key = _placement_key(objects)
        if model is not None and (key != self._placement or self.state is None):
            cached = self._settled.pop(key, None)
            if cached is not None:  # undo / redo of a replicas change: the same inputs settle the same way
                self.state = cached
            else:
                try:
                    self.state = settle(model)
                except Exception:  # a simulation that cannot start still leaves the static picture
                    self.state = None
            if self.state is not None:
                self._settled[key] = self.state
                while len(self._settled) > SETTLED_KEPT:
                    self._settled.pop(next(iter(self._settled)))
            self._placement = key
        self.model = model
        self._relayout(objects)

    def _relayout(self, objects: list[dict] | None = None) -> None:
        if objects is None:
            objects = self.session.document.objects() if self.session is not None else []
        doc_objects = objects
        objects = self._aliased(objects)
        if self.live_state is None:
            self._inputs += 1  # the badge / Service order below may change: a live picture built before is stale
            # the order of badges and Services is kept through edits (new ones come after): a replicas change
            # moved pods, and with them 'api' from 6th to 2nd place in the Service row (HG); a new document
            # is ordered by where the pods are
            self.picture = build_picture(objects, self.model, self.state, getattr(self, "_order", None) or None,
                                         self._badge_h)
            # the settled order of badges and Services, kept while a live run moves pods around
            boxes = sorted((b for b in self.picture.boxes.values() if b.kind in ("workload", "service")),
                           key=lambda b: (b.rect.top(), b.rect.left()))
            old = getattr(self, "_order", None) or {}
            if not old:
                self._order = {b.ref: float(rank) for rank, b in enumerate(boxes)}
            else:
                # ranks are kept, also of objects deleted since: an undone delete puts the box back in its
                # place instead of at the end of its row (HG); new objects rank after every other
                order, nxt = dict(old), max(old.values()) + 1.0
                for b in boxes:
                    if b.ref not in order:
                        order[b.ref], nxt = nxt, nxt + 1.0
                self._order = order
        else:
            self.picture = build_picture(objects, self.model, self.live_state, getattr(self, "_order", None),
                                         self._badge_h)
        if self._aliases:
            _apply_aliases(self.picture, self._aliases)
        self._apply_pod_styles()
        self.layer.set_picture(self.picture)
        in_doc = {object_ref(o) for o in doc_objects}
        self._apply_items(*_wanted_items(self.picture, in_doc))
        self.setSceneRect(self.picture.bounds)
        self.picture_changed.emit()

    def _aliased(self, objects: list[dict]) -> list[dict]:
        """The document's objects as the picture reads them: an invalidly named object under its stand-in name."""
        if not self._aliases:
            return objects
        stand_in = {real: fake.name for fake, real in self._aliases.items()}
        return [{**o, "metadata": {**o["metadata"], "name": stand_in[object_ref(o)]}}
                if object_ref(o) in stand_in else o for o in objects]

    # -- live pictures built off the GUI thread ---------------------------------------------------------------
    def live_preparer(self, styles_for: Callable | None = None, extras: Callable | None = None) -> LivePreparer:
        """A job that lays out (and renders) the picture of a running cluster's state in another thread --
        the driver's worker, right after the ticks it stepped, while the state is the worker's alone -- so
        that the GUI thread only swaps it in (``apply_prepared``): at 2,000 pods the layout, the hit items'
        boxes and tooltips and the cache render cost ~70 ms, four frames, every time the cluster changed.
        Everything it reads of the scene is captured now, on the GUI thread. ``styles_for(state)`` gives the
        pods' packet styles (pod key -> index) as the live view will assign them; ``extras(picture)`` is
        computed with the picture (the live view's caption obstacles)."""
        if self._prep_inputs is None or self._prep_inputs[0] != self._inputs:
            doc_objects = self.session.document.objects() if self.session is not None else []
            self._prep_inputs = (self._inputs, self._aliased(doc_objects), frozenset(object_ref(o) for o in doc_objects))
        inputs, objects, in_doc = self._prep_inputs
        order = getattr(self, "_order", None)
        return LivePreparer(inputs, objects, in_doc, self.model, dict(order) if order is not None else None,
                            dict(self._aliases), dict(self.pod_styles), styles_for, extras,
                            self.layer.render_plan(), self.renderer.clone(), self._applied, self._badge_h)

    def apply_prepared(self, prep: PreparedPicture, state: ClusterState, styles: dict | None = None) -> bool:
        """Show ``state`` with the picture ``prep`` built of it (False, nothing done: it was built from a
        document or canvas that has changed since; ``apply_cluster_state`` then). ``styles``: the pods'
        packet styles now (None: those the preparer used); the cache rendered with other styles is not used."""
        if prep.inputs != self._inputs:
            return False
        self.live_state = state
        self.picture = prep.picture
        image = prep.image
        if styles is not None:
            keyed = {(r.namespace, r.name) if isinstance(r, ObjectRef) else tuple(r): int(i) for r, i in styles.items()}
            if keyed != prep.styles:
                image = None
                self.pod_styles = keyed
                self._apply_pod_styles()
            else:
                self.pod_styles = prep.styles
        else:
            self.pod_styles = prep.styles
        self.renderer.badge_markers = not self.pod_styles
        self.layer.set_picture(self.picture, prerendered=image)
        self._apply_items(prep.wanted, prep.tips, home=False, diff=prep.diff)
        self.setSceneRect(self.picture.bounds)
        self.picture_changed.emit()
        return True

    def free_position(self, kind: str, point: tuple[float, float]) -> tuple[float, float]:
        """Where a new box of ``kind`` (a document kind) dropped with its top-left at ``point`` goes: there,
        unless it would cover a box already drawn (a Service, a node, ...); then the nearest free spot, so
        nothing dropped hides what is under it. The box's own size is its kind's (a first Service dropped on
        a new canvas was taken for 200 x 60 and covered a badge's corner)."""
        w, h, handle = BOX_SIZES.get(kind, (200.0, 60.0, False))
        occupied = self._occupied()
        spot = occupied.free_spot(QRectF(point[0], point[1], w, h), handle)
        return point if spot == QPointF(*point) else (spot.x(), spot.y())

    def _occupied(self) -> Occupied:
        occupied = Occupied()
        for b in self.picture.boxes.values():
            if b.kind in OBSTACLE_KINDS and not b.rect.isEmpty():
                occupied.add(b.rect, b.connectable)
        return occupied

    def place_group(self, items: list[tuple], mode: str = "paste",
                    anchor: tuple[float, float] | None = None) -> list[tuple[float, float] | None]:
        """Where pasted or duplicated objects go, as stored top-left positions (None: the object is not a box
        of its own, e.g. a Node in its zone row, a Pod in its node, a Traffic on its edge). ``items`` are
        (document kind or None, source ref or None, wanted top-left or None). The group keeps its sources'
        arrangement (else a grid, 4 wide), starting at ``anchor``: for a paste the mouse over the canvas, else the
        visible centre; for a duplicate 30 px down-right of its sources. Each box then goes to the nearest
        spot where it covers no box drawn nor one of the group, so nothing pasted hides anything."""
        drawn = [self.picture.boxes[src].rect for _k, src, _at in items
                 if src is not None and src in self.picture.boxes and self.picture.boxes[src].kind != "node"]
        origin = QPointF(min(r.left() for r in drawn), min(r.top() for r in drawn)) if drawn else None
        if anchor is None:
            if mode == "duplicate" and origin is not None:
                anchor = (origin.x() + 30.0, origin.y() + 30.0)
            else:
                anchor = self._paste_anchor()
        occupied = self._occupied()
        out: list[tuple[float, float] | None] = []
        cell = 0  # the next place in the group's grid (GROUP_COLUMNS wide) for boxes without a drawn source
        for kind, src, at in items:
            size = BOX_SIZES.get(kind)
            if size is None:
                out.append(None)
                continue
            w, h, handle = size
            if at is not None:
                want = QPointF(*at)
            elif origin is not None and src in self.picture.boxes and self.picture.boxes[src].kind != "node":
                want = QPointF(*anchor) + (self.picture.boxes[src].rect.topLeft() - origin)
            else:
                row, col = divmod(cell, GROUP_COLUMNS)
                want = QPointF(anchor[0] + col * (SERVICE_W + HANDLE_ROOM + GROUP_GAP),
                               anchor[1] + row * (SERVICE_H + GROUP_GAP))
                cell += 1
            spot = occupied.free_spot(QRectF(want.x(), want.y(), w, h), handle)
            occupied.add(QRectF(spot.x(), spot.y(), w, h), handle)
            out.append((round(spot.x()), round(spot.y())))
        return out

    def _paste_anchor(self) -> tuple[float, float]:
        """The mouse's scene point when it is over the canvas, else the centre of what the canvas shows."""
        views = self.views()
        if not views:
            r = self.picture.bounds
            return (r.center().x(), r.center().y()) if not r.isEmpty() else (0.0, 0.0)
        view = views[0]
        port = view.viewport()
        at = port.mapFromGlobal(QCursor.pos())
        if not port.rect().contains(at) or not port.underMouse():
            at = port.rect().center()
        p = view.mapToScene(at)
        return (p.x(), p.y())

    # -- live view contract ---------------------------------------------------------------------------------
    def apply_cluster_state(self, state: ClusterState) -> None:
        """Show a running simulation's state (node conditions, cordons, pods with their IPs and phases)."""
        self.live_state = state
        self._relayout()

    def set_pod_styles(self, styles: dict) -> None:
        """Mark each pod with the (colour, shape) of the packets that go to it: ``styles`` maps a pod key
        ``(ns, name)`` or ``ObjectRef("Pod", ns, name)`` to a ``desktop.style.endpoint_style`` index. Pods not
        in it keep their workload's marker. Costs one cache render, not a re-layout."""
        keyed = {}
        for ref, index in styles.items():
            key = (ref.namespace, ref.name) if isinstance(ref, ObjectRef) else tuple(ref)
            keyed[key] = int(index)
        if keyed == self.pod_styles:
            return
        self.pod_styles = keyed
        self.renderer.badge_markers = not keyed  # the markers now mean packets: none on the badges
        self._apply_pod_styles()
        self.layer.invalidate()

    def _apply_pod_styles(self) -> None:
        _style_pods(self.picture, self.pod_styles)

    def clear_cluster_state(self) -> None:
        """Back to the settled picture of the document."""
        self.live_state = None
        self._relayout()

    def anchor(self, ref) -> QPointF | None:
        return self.picture.anchor(ref)

    def item_for_ref(self, ref) -> HitItem | None:
        if isinstance(ref, ObjectRef) and ref.kind == "Pod" and ref not in self._items:
            return self._items.get((ref.namespace, ref.name))
        return self._items.get(ref)

    # -- hit items -------------------------------------------------------------------------------------------
    def _apply_items(self, wanted: dict, tips: dict, home: bool = True, diff: tuple | None = None) -> None:
        """Make the hit items what ``wanted`` says (``_wanted_items``): only the items whose box, title, refs
        or fan-out changed are touched (a kube-proxy sync or one evicted node changes a few of 2,000).
        ``home``: also put back an item left away from its box (a drag the document refused); a live picture
        leaves a box being dragged where the mouse has it. ``diff``: (items version, keys changed, keys gone,
        tooltips changed) against the items as that version left them, worked out in the worker with the
        picture (``LivePreparer``): then only those are looked at."""
        items = self._items
        if diff is not None and diff[0] == self._items_version:
            _version, keys, gone, tip_keys = diff
        else:
            keys, tip_keys = wanted, None
            gone = [k for k, it in items.items()
                    if (want := wanted.get(k)) is None or it.kind != want[1] or it.movable != bool(want[4])]
        selected = {it.ref for it in self.selectedItems() if isinstance(it, HitItem)}
        self._syncing = True
        try:
            for k in gone:
                item = items.pop(k, None)
                if item is not None:
                    self.removeItem(item)
            highlight = QColor(self.renderer.theme.selection)
            for k in keys:
                want = wanted[k]
                item = items.get(k)
                if item is not None and (item.kind != want[1] or item.movable != bool(want[4])):
                    self.removeItem(items.pop(k))
                    item = None
                if item is None:
                    ref, kind, rect, doc_ref, movable, connectable, key, title, _fan = want
                    item = HitItem(ref, kind, rect, doc_ref=doc_ref, movable=movable, connectable=connectable,
                                   key=key, title=title)
                    item.highlight = highlight
                    self.addItem(item)
                    items[k] = item
                    changed = True
                elif item.wanted != want or (home and item.pos() != item.home):
                    item.ref, item.doc_ref = want[0], want[3]
                    item.set_box(want[2], want[7])
                    changed = True
                else:
                    changed = False
                item.wanted = want
                if want[8] != item.fanout:  # a Service's fan-out to its pods (drawn while it is selected)
                    item.set_fanout(list(want[8]))
                if changed and item.isSelected() != (want[0] in selected):
                    item.setSelected(want[0] in selected)
            for k in (tips if tip_keys is None else tip_keys):
                item = items.get(k)
                tip = tips.get(k, "")
                if item is not None and tip != item.tip:  # setToolTip on 2,000 items costs tens of ms
                    item.tip = tip
                    item.setToolTip(tip)
        finally:
            self._syncing = False
        self._items_version += 1
        self._applied = (self._items_version, wanted, tips)

    def items_for_refs(self, refs: list) -> list[HitItem]:
        out = []
        for it in self._items.values():
            if it.ref in refs or (it.doc_ref is not None and it.doc_ref in refs and it.kind != "lb"):
                out.append(it)
        return out

    def select_refs(self, refs: list) -> None:
        self._syncing = True
        try:
            wanted = set(refs)
            for it in self._items.values():
                it.setSelected(it.ref in wanted or (it.doc_ref in wanted and it.kind != "lb"))
        finally:
            self._syncing = False

    def selected_refs(self) -> list[ObjectRef]:
        """The selection as document refs where there is one (an LB selects its Service), in a stable order."""
        out = []
        for it in self.selectedItems():
            if isinstance(it, HitItem):
                ref = it.doc_ref or it.ref
                if ref not in out:
                    out.append(ref)
        return sorted(out)

    @property
    def syncing(self) -> bool:
        return self._syncing

    # -- interactions ------------------------------------------------------------------------------------------
    def hit_item(self, pos: QPointF, exclude: HitItem | None = None) -> HitItem | None:
        for it in self.items(pos):
            if isinstance(it, HitItem) and it is not exclude and it.shape_rect().contains(it.mapFromScene(pos)):
                return it
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.hit_item(event.scenePos())
            if item is not None and item.connectable and item.doc_ref is not None and (
                    item.handle_rect().contains(item.mapFromScene(event.scenePos()))
                    or event.modifiers() & Qt.KeyboardModifier.ShiftModifier and
                    event.modifiers() & Qt.KeyboardModifier.AltModifier):
                self._connect = _ConnectInteraction(self, item, event.scenePos())
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._connect is not None:
            self._connect.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._connect is not None:
            interaction, self._connect = self._connect, None
            interaction.finish(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self._finish_move()

    def _finish_move(self) -> None:
        moved = {it: it.pos() for it in self._items.values() if it.pos() != it.home}
        if not moved:
            return
        positions: dict[ObjectRef, tuple[float, float]] = {}
        for it, pos in moved.items():
            if it.kind == "pod":
                node = self._node_under(it)
                it.setPos(it.home)
                if node is not None and it.doc_ref is not None:
                    self.pod_dropped_on_node.emit(it.doc_ref, node)
                elif it.doc_ref is not None:
                    self.refused.emit(self.tr("Drop a pod on a node to pin it there"))
                continue
            if it.doc_ref is not None:
                positions[it.doc_ref] = (pos.x(), pos.y())
        if positions:
            self.moved.emit(positions, False)

    def _node_under(self, item: HitItem) -> str | None:
        return self.node_at(item.mapToScene(item.rect().center()), exclude=item)

    def node_at(self, pos: QPointF, exclude: HitItem | None = None) -> str | None:
        """The name of the node whose box is under ``pos`` (pods inside it included)."""
        for it in self.items(pos):
            if isinstance(it, HitItem) and it.kind == "node" and it is not exclude:
                return it.ref.name
        return None

    def cancel_interaction(self) -> None:
        if self._connect is not None:
            self._connect.cancel()
            self._connect = None
        for it in self._items.values():
            if it.pos() != it.home:
                it.setPos(it.home)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_interaction()
            event.accept()
            return
        steps = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if event.key() in steps and self.selectedItems():
            dx, dy = steps[event.key()]
            step = 50 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 10
            positions = {}
            for it in self.selectedItems():
                if isinstance(it, HitItem) and it.flags() & HitItem.GraphicsItemFlag.ItemIsMovable and \
                        it.kind != "pod" and it.doc_ref is not None:
                    positions[it.doc_ref] = (it.home.x() + dx * step, it.home.y() + dy * step)
            if positions:
                self.moved.emit(positions, True)
                event.accept()
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        item = self.hit_item(event.scenePos())
        if item is None:
            super().contextMenuEvent(event)
            return
        if not item.isSelected():
            self.clearSelection()
            item.setSelected(True)
        ref = item.doc_ref or item.ref
        self.context_menu_requested.emit(ref, event.screenPos())
        actions = list(self.context_actions_provider(item.ref)) if self.context_actions_provider else []
        actions += list(getattr(self, "editor_actions", []))
        if actions:
            menu = QMenu()
            for a in actions:
                menu.addAction(a)
            menu.exec(event.screenPos())
        event.accept()


def _tooltip(pic: Picture, key) -> str:
    if isinstance(key, tuple) and not isinstance(key, ObjectRef):
        pb = pic.pods.get(key)
        if pb is None:
            return ""
        owner = f"\n{pb.owner.kind} {pb.owner.name}" if pb.owner else ""
        where = QCoreApplication.translate("Canvas", "node %1").replace("%1", pb.node or "—")
        return f"{pb.name}\n{pb.ip or '—'} · {pb.phase} · {status_text(pb.status)}\n{where}{owner}"
    box = pic.boxes.get(key)
    if box is None:
        return ""
    lag = box.lag.detail() if box.lag else []
    return "\n".join([box.title, *[line for line in box.lines if line], *lag])


def _style_pods(pic: Picture, styles: dict) -> None:
    """Each pod drawn in the packet style (pod key -> index) of the packets that reach it; clients keep theirs."""
    for key, pb in pic.pods.items():
        index = styles.get(key)
        if index is not None and not pb.client:
            pb.colour = index


def _wanted_items(pic: Picture, in_doc) -> tuple[dict, dict]:
    """The hit items a picture needs, key -> (ref, kind, rect, doc_ref, movable, connectable, pod key, title),
    and their tooltips. Pure: the live view's worker computes them with the picture."""
    wanted: dict[object, tuple] = {}
    tips: dict[object, str] = {}
    fanout = pic.fanout
    for ref, box in pic.boxes.items():
        doc_ref = box.doc_ref or (ref if ref in in_doc else None)
        wanted[ref] = (ref, box.kind, box.rect, doc_ref, is_movable(box.kind, ref, False) and doc_ref == ref,
                       box.connectable, None, box.title, tuple(fanout.get(ref, ())))
        tips[ref] = _tooltip(pic, ref)
    for key, pb in pic.pods.items():
        doc_ref = pb.ref if pb.ref in in_doc else None
        wanted[key] = (pb.ref, "pod", pb.rect, doc_ref, pb.bare and doc_ref is not None, False, key, pb.name, ())
        tips[key] = _tooltip(pic, key)
    return wanted, tips


def _items_diff(applied: tuple | None, wanted: dict, tips: dict) -> tuple | None:
    """What changed from the hit items ``applied`` (items version, wanted, tips) to ``wanted``/``tips``."""
    if applied is None:
        return None
    version, before, tips_before = applied
    keys = [k for k, w in wanted.items() if before.get(k) != w]
    gone = [k for k in before if k not in wanted]
    tip_keys = [k for k, t in tips.items() if tips_before.get(k) != t]
    return version, keys, gone, tip_keys


class PreparedPicture:
    """A live picture built off the GUI thread (``LivePreparer``): the picture, its hit items and tooltips,
    the pod styles it was drawn with, the rendered cache (or None) and the caller's ``extras``."""

    __slots__ = ("inputs", "version", "picture", "wanted", "tips", "styles", "image", "extras", "styles_for", "diff")

    def __init__(self, inputs, version, picture, wanted, tips, styles, image, extras, styles_for=None, diff=None):
        self.inputs, self.version, self.picture, self.diff = inputs, version, picture, diff
        self.wanted, self.tips, self.styles, self.image, self.extras = wanted, tips, styles, image, extras
        self.styles_for = styles_for  # what made ``styles`` (the live view's colour preview), if not the scene's


class LivePreparer:
    """``preparer(state, version)`` -> PreparedPicture: lays out ``state`` as ``ClusterScene._relayout`` does
    for a live state, from inputs captured on the GUI thread, and renders the static layer's cache for the
    view's last painted region and scale. Safe in another thread while the GUI thread paints: it touches no
    scene, item or widget (QRectF values and a QImage of its own, painted with a copy of the renderer)."""

    def __init__(self, inputs, objects, in_doc, model, order, aliases, styles, styles_for, extras, plan, renderer,
                 applied=None, badge_h=BADGE_H):
        self.inputs, self.objects, self.in_doc, self.model, self.badge_h = inputs, objects, in_doc, model, badge_h
        self.applied = applied  # the scene's hit items as last made (``ClusterScene._applied``), never changed
        self.order, self.aliases, self.styles = order, aliases, styles
        self.styles_for, self.extras, self.plan, self.renderer = styles_for, extras, plan, renderer

    def __call__(self, state: ClusterState, version=None, pause: Callable[[], None] | None = None) -> PreparedPicture:
        """``pause``: called between the parts of the work (``FrameGate.pause``: a GUI frame goes first)."""
        pause = pause or (lambda: None)
        pic = build_picture(self.objects, self.model, state, self.order, self.badge_h)
        pause()
        if self.aliases:
            _apply_aliases(pic, self.aliases)
        styles = self.styles_for(state) if self.styles_for is not None else self.styles
        _style_pods(pic, styles)
        wanted, tips = _wanted_items(pic, self.in_doc)
        pause()
        diff = _items_diff(self.applied, wanted, tips)
        extras = self.extras(pic) if self.extras is not None else None
        pause()
        image = None
        if self.plan is not None:
            image = self.plan.render(self.renderer, pic)
        return PreparedPicture(self.inputs, version, pic, wanted, tips, styles, image, extras, self.styles_for, diff)


class _ConnectInteraction:
    """Drag from a connection handle to another object: a rubber line while dragging, ``connect_requested``
    on release over a target, nothing on Esc or release over empty canvas."""

    def __init__(self, scene: ClusterScene, source: HitItem, start: QPointF):
        self.scene = scene
        self.source = source
        self.line = QGraphicsLineItem(start.x(), start.y(), start.x(), start.y())
        pen = QPen(QColor(scene.renderer.theme.selection), 3, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.line.setPen(pen)
        self.line.setZValue(100)
        scene.addItem(self.line)

    def move(self, pos: QPointF) -> None:
        line = self.line.line()
        line.setP2(pos)
        self.line.setLine(line)

    def cancel(self) -> None:
        if self.line.scene() is not None:
            self.scene.removeItem(self.line)

    def finish(self, pos: QPointF) -> None:
        self.cancel()
        target = self.scene.hit_item(pos, exclude=self.source)
        if target is None:
            return
        if target.kind == "pod" and target.doc_ref is None:
            # a simulated pod: connect to the workload that owns it
            pb = self.scene.picture.pods.get(target.key)
            if pb is not None and pb.owner is not None:
                self.scene.connect_requested.emit(self.source.doc_ref, pb.owner)
            return
        dst = target.ref if target.kind == "lb" else (target.doc_ref or target.ref)
        self.scene.connect_requested.emit(self.source.doc_ref, dst)


def scene_rect_of(items: list[HitItem]) -> QRectF:
    rect = QRectF()
    for it in items:
        rect = rect.united(it.sceneBoundingRect())
    return rect


def _drawable_name(name: str, taken: set[str]) -> str:
    """A valid DNS label standing in for an invalid name ('Bad_Name' -> 'bad-name'), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9-]+", "-", str(name).lower()).strip("-") or "x"
    if not base[0].isalpha():
        base = "x-" + base
    base = base[:55].rstrip("-")
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    return out


def _apply_aliases(pic: Picture, aliases: dict[ObjectRef, ObjectRef]) -> None:
    """Boxes drawn for stand-in refs become the document's objects again: keyed, titled and edited as them."""
    def real(ref):
        return aliases.get(ref, ref) if isinstance(ref, ObjectRef) else ref

    for fake, doc_ref in aliases.items():
        box = pic.boxes.pop(fake, None)
        if box is not None:
            box.ref, box.doc_ref = doc_ref, None
            box.title = box.title.replace(fake.name, doc_ref.name)
            pic.boxes[doc_ref] = box
        lb = pic.boxes.get(lb_ref(fake.namespace, fake.name))
        if lb is not None:
            lb.doc_ref = doc_ref
            lb.title = lb.title.replace(fake.name, doc_ref.name)
        if fake in pic.fanout:
            pic.fanout[doc_ref] = pic.fanout.pop(fake)
    for pb in pic.pods.values():
        pb.owner = real(pb.owner)
    for e in pic.edges:
        e.src, e.dst = real(e.src), real(e.dst)


def _with_position(good: dict, now: dict) -> dict:
    """A copy of the last good version of an object, with the position annotation it has now."""
    good = copy.deepcopy(good)
    pos = ((now.get("metadata") or {}).get("annotations") or {}).get(ANN_POSITION)
    meta = good.setdefault("metadata", {})
    ann = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    ann.pop(ANN_POSITION, None)
    if pos is not None:
        ann[ANN_POSITION] = pos
    if ann:
        meta["annotations"] = ann
    else:
        meta.pop("annotations", None)
    return good


def _with_template_values(raw: dict, paths: list[str]) -> dict | None:
    """A copy of ``raw`` whose bad fields hold the palette template's values for its kind (a Service's
    port 80), or None when the template has no value at one of those paths."""
    from desktop.editor.editor import get_path, set_path  # noqa: PLC0415  (the editor imports no canvas)
    from desktop.editor.kinds import PALETTE  # noqa: PLC0415

    kind = next((k for k in PALETTE if k.kind == raw.get("kind")), None)
    if kind is None or not paths:
        return None
    name = str((raw.get("metadata") or {}).get("name") or kind.base_name)
    template = kind.make(name, [])[0]
    out = copy.deepcopy(raw)
    for path in paths:
        value = get_path(template, path)
        if value is None:
            return None
        try:
            set_path(out, path, copy.deepcopy(value))
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):
            return None
    return out


def _drop_field(raw: dict, path: str) -> bool:
    """Remove the field at ``path`` from ``raw`` so the object builds with its default; False where that
    cannot help (no path, an identity field, or a path that does not lead anywhere)."""
    try:
        keys = split_path(path) if path else []
    except ValueError:
        return False
    if len(keys) < 2 or keys[0] in ("apiVersion", "kind") or keys[:2] == ["metadata", "name"]:
        return False
    node: object = raw
    for k in keys[:-1]:
        if isinstance(k, int) and isinstance(node, list) and -len(node) <= k < len(node):
            node = node[k]
        elif isinstance(k, str) and isinstance(node, dict) and k in node:
            node = node[k]
        else:
            return False
    last = keys[-1]
    if isinstance(node, dict) and isinstance(last, str) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and -len(node) <= last < len(node):
        del node[last]
        return True
    return False
