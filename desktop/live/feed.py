"""From the core's packet samples to the packet layer's arrays; one colour index per destination pod.

``PodColours`` gives every pod a stable ``desktop.style.endpoint_style`` index, shared by the packets, the
charts and the legend (pods of one workload get neighbouring indices, so a Service's pods differ in colour
and shape). ``PacketFeed`` turns a Frame's samples into waypoints (anchors of the hops' objects on the
canvas) and key times for the realtime or step-by-step clock.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF

from core.model import ObjectRef
from desktop.canvas.packets import DONE_LINGER, DROP_LINGER, PacketLayer
from desktop.i18n import drop_reason_label
from desktop.live.adapter import Frame, destination_pod, hop_is_dnat, hop_is_proxy, hop_is_snat


def tr(text: str) -> str:
    return QCoreApplication.translate("LiveView", text)


class PodColours:
    """Pod -> style index, assigned in (owner, name) order at start and in order of appearance after."""

    def __init__(self):
        self.index: dict[ObjectRef, int] = {}

    def reset(self, state) -> None:
        self.index.clear()
        self.update(state)

    def update(self, state) -> None:
        for ref in self.new_pods(self.index, state):
            self.index[ref] = len(self.index)

    @staticmethod
    def new_pods(index: dict, state) -> list[ObjectRef]:
        """The pods of ``state`` not in ``index``, in the order ``update`` numbers them."""
        new = [p for p in state.pods.values() if ObjectRef("Pod", p.namespace, p.name) not in index]
        new.sort(key=lambda p: ((p.owner or ("", "", ""))[2], p.namespace, p.name))
        return [ObjectRef("Pod", p.namespace, p.name) for p in new]

    def preview(self) -> ColourPreview:
        """``preview(state)``, callable in another thread: the pod styles (pod key -> index) as ``update`` would
        make them for ``state``, from the index as it is now (``adopt`` then takes them over)."""
        return ColourPreview(dict(self.index))

    def adopt(self, preview: ColourPreview) -> bool:
        """Take the numbers ``preview`` gave the new pods, if nothing was numbered here since it was made."""
        if preview.added is None or len(self.index) != preview.base:
            return False
        for ref in preview.added:
            self.index[ref] = len(self.index)
        return True

    def of(self, pod: ObjectRef | None) -> int:
        if pod is None:
            return -1  # no destination pod: the packet layer's grey dot
        i = self.index.get(pod)
        if i is None:
            i = self.index[pod] = len(self.index)
        return i


class ColourPreview:
    def __init__(self, index: dict):
        self.index = index
        self.base = len(index)
        self.added: list[ObjectRef] | None = None

    def __call__(self, state) -> dict[tuple[str, str], int]:
        self.added = PodColours.new_pods(self.index, state)
        styles = {(r.namespace, r.name): i for r, i in self.index.items()}
        for i, r in enumerate(self.added, start=self.base):
            styles[(r.namespace, r.name)] = i
        return styles


def segment_seconds(speed: float) -> float:
    """Wall seconds a packet takes between two waypoints: readable on a projector at 1x, quicker (but
    still followable) when the simulation runs fast."""
    return float(np.clip(0.55 / max(speed, 0.1) ** 0.35, 0.18, 0.9))


class PacketFeed:
    """Feeds a PacketLayer from frames; ``resolve(ref) -> QPointF | None`` places objects on the canvas."""

    def __init__(self, layer: PacketLayer, resolve: Callable[[ObjectRef], QPointF | None], colours: PodColours):
        self.layer = layer
        self.resolve = resolve
        self.colours = colours
        self.samples: dict[int, object] = {}  # uid -> Sample (kept while the packet is on screen)
        self.limit = 20000

    def clear(self) -> None:
        self.layer.clear()
        self.samples.clear()

    def forget_gone(self) -> None:
        if len(self.samples) > len(self.layer) + 256:
            alive = set(self.layer.uid.tolist())
            self.samples = {u: s for u, s in self.samples.items() if u in alive}

    def add_frame(self, frame: Frame, *, wall_now: float, speed: float, step_mode: bool) -> None:
        if not frame.samples:
            return
        t0 = frame.time - frame.dt
        seg = segment_seconds(speed)
        uids, styles, pts, times, counts, dropped, linger = [], [], [], [], [], [], []
        drop_text: dict[int, str] = {}
        captions: dict[int, list[tuple[int, str]]] = {}
        for uid, s in zip(frame.uids, frame.samples):
            way: list[tuple[float, float]] = []
            hop_time: list[float] = []
            caps: list[tuple[int, str]] = []
            last_ref = None
            for h in s.hops:
                p = self.resolve(h.where)
                if p is None:
                    continue
                if h.where != last_ref:
                    way.append((p.x(), p.y()))
                    hop_time.append(s.time + h.enter_ns / 1e9)
                    last_ref = h.where
                text = []
                if hop_is_dnat(h):
                    text.append(tr("DNAT → {0}").format(h.dst_after))
                if hop_is_snat(h):
                    text.append(tr("SNAT → {0}").format((h.src_after or "").rsplit(":", 1)[0]))
                if hop_is_proxy(h):
                    text.append(tr("nginx → {0}").format(h.dst_after))
                if text:
                    caps.append((len(way) - 1, " · ".join(text)))
            if not way:
                continue
            if len(way) == 1:
                way.append(way[0])
                hop_time.append(hop_time[0] + 1e-9)
            k = len(way)
            if step_mode:
                kt = np.array(hop_time)
                kt[-1] = max(kt[-1], s.time + s.latency_ns / 1e9)
                kt = np.maximum.accumulate(kt)
                stay = frame.dt
            else:
                start = wall_now + max(0.0, s.time - t0) / max(speed, 1e-6)
                kt = start + np.arange(k) * seg
                stay = DROP_LINGER if s.outcome != "delivered" else DONE_LINGER
            uids.append(uid)
            styles.append(self.colours.of(destination_pod(s)))
            pts.append(np.array(way))
            times.append(kt)
            counts.append(k)
            dropped.append(s.outcome != "delivered")
            linger.append(stay)
            if s.outcome != "delivered":
                where = s.hops[-1].where
                drop_text[uid] = tr("Dropped at {0}: {1}").format(f"{where.kind} {where.name}",
                                                                   drop_reason_label(s.outcome))
            if caps:
                captions[uid] = caps
            self.samples[uid] = s
        if not uids:
            return
        k = max(counts)
        P = np.zeros((len(uids), k, 2))
        T = np.full((len(uids), k), np.inf)
        for i, (p, t) in enumerate(zip(pts, times)):
            P[i, : len(p)] = p
            P[i, len(p):] = p[-1]
            T[i, : len(t)] = t
        room = self.limit - len(self.layer)
        if room <= 0:
            return
        sl = slice(0, room)
        self.layer.add(np.array(uids)[sl], np.array(styles)[sl], P[sl], T[sl], np.array(counts)[sl],
                       np.array(dropped)[sl], np.array(linger)[sl], drop_text, captions)
