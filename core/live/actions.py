"""Runtime actions: what a user does to a running simulation, logged so that it replays identically.

Every action is a ``TimelineEvent`` applied at the simulation's current time (after the control-plane
timers due at that instant), or an edit (a changed ``ClusterModel``, see ``core.live.edits``). The
``ActionLog`` keeps them in order; ``Simulation`` replays the entries after a checkpoint when it re-simulates
(``seek``), and ``timeline_events`` / ``write_timeline`` turn the log into the scenario's ``Timeline``
(docs/scenario-format.md lists the action kinds).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from core.model import ClusterModel, ObjectRef, TimelineEvent
from core.state import Change

# the Timeline's action kinds a live session can produce (docs/scenario-format.md)
RUNTIME_ACTIONS = ("failNode", "recoverNode", "cordon", "uncordon", "drain", "deletePod", "scale",
                   "setProxyMode", "setIPVSScheduler", "setScheduler", "setTimingPreset")
EDIT_ACTIONS = ("applyObject", "deleteObject")


@dataclass(frozen=True)
class LoggedAction:
    """One entry of the action log: a timeline-style action, or an edit (``event`` None, ``model`` set)."""

    seq: int  # position in the log, from 0
    at: float  # simulated time it was applied
    event: TimelineEvent | None
    model: ClusterModel | None = None  # edits: the scenario after the edit
    objects: tuple[tuple[str, dict], ...] = ()  # edits: ("apply", manifest) / ("delete", {kind, namespace, name})

    @property
    def is_edit(self) -> bool:
        return self.event is None


class ActionLog(Sequence):
    """The actions applied to one simulation, in order (a ``Sequence`` of ``LoggedAction``)."""

    def __init__(self) -> None:
        self._items: list[LoggedAction] = []

    def __getitem__(self, i):  # type: ignore[override]
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def append(self, at: float, event: TimelineEvent | None, *, model: ClusterModel | None = None,
               objects: tuple = ()) -> LoggedAction:
        entry = LoggedAction(len(self._items), at, event, model, tuple(objects))
        self._items.append(entry)
        return entry

    def truncate(self, n: int) -> None:
        """Forget entries ``n`` and later (a new action after a seek back starts a new future)."""
        del self._items[n:]

    def timeline_events(self) -> list[TimelineEvent]:
        """The log as Timeline events: actions as they are; an edit as one ``applyObject`` (value: the
        manifest) or ``deleteObject`` (target ``Kind/namespace/name``) per changed object."""
        out: list[TimelineEvent] = []
        for entry in self._items:
            if entry.event is not None:
                out.append(entry.event)
                continue
            for op, raw in entry.objects:
                if op == "apply":
                    out.append(TimelineEvent(entry.at, "applyObject", _ref_text(raw), copy.deepcopy(raw)))  # type: ignore[arg-type]
                else:
                    out.append(TimelineEvent(entry.at, "deleteObject", _ref_text(raw)))  # type: ignore[arg-type]
        return out


# kinds without a namespace (the rest default to "default", as kubectl does)
CLUSTER_SCOPED = ("Node", "IngressClass", "Client", "Traffic", "Timeline", "Simulation", "Namespace",
                  "KubeProxyConfiguration", "KubeSchedulerConfiguration")


def _ref_text(raw: dict) -> str:
    meta = raw.get("metadata") or {}
    kind = raw.get("kind", "")
    ns = meta.get("namespace") or ("" if kind in CLUSTER_SCOPED else "default")
    name = meta.get("name", "")
    return f"{kind}/{ns}/{name}" if ns else f"{kind}/{name}"


def timeline_entries(events: list[TimelineEvent]) -> list[dict]:
    """Timeline ``spec.events`` items (``{at, action, target, value}``) for ``events``."""
    out = []
    for e in events:
        item: dict = {"at": round(float(e.at), 9), "action": e.action}
        if e.target:
            item["target"] = e.target
        if e.value is not None:
            item["value"] = e.value
        out.append(item)
    return out


def write_timeline(doc, log: ActionLog, name: str = "live-session") -> ObjectRef:
    """Add (or replace) a ``Timeline`` object named ``name`` in ``doc`` (a ``core.scenario.Document``) holding
    the log's actions, so that loading the saved scenario replays the session. Returns its reference."""
    raw = {"apiVersion": "podpath.dev/v1alpha1", "kind": "Timeline", "metadata": {"name": name},
           "spec": {"events": timeline_entries(log.timeline_events())}}
    existing = next((r for r in doc.refs() if r.kind == "Timeline" and r.name == name), None)
    if existing is not None:
        doc.replace(existing, raw)
        return existing
    return doc.add(raw)


def check_action(sim, event: TimelineEvent) -> None:
    """Raise ValueError (naming the action, the value and what is allowed) unless ``event`` can be applied."""
    if event.action not in RUNTIME_ACTIONS:
        raise ValueError(f"unknown action {event.action!r}; allowed: {', '.join(RUNTIME_ACTIONS)}")
    if event.action == "deletePod":
        target = str(event.target or "")
        ns, _, name = target.rpartition("/")
        if (ns or "default", name) not in sim.state.pods and sim.control.find_workload(target) is None:
            raise ValueError(f"deletePod: no pod or workload named {target!r}")
    sim.control.check_timeline_event(event)


def execute(sim, entry: LoggedAction) -> None:
    """Apply one logged entry to ``sim`` at its current time (the control plane settles afterwards)."""
    control = sim.control
    ref = ObjectRef("Cluster", "", "")
    if entry.event is None:
        from core.live.edits import apply_model  # noqa: PLC0415

        apply_model(sim, entry.model)
        return
    event = entry.event
    control._on_timeline(event)  # noqa: SLF001  (the control plane's own timeline handler)
    if event.action in ("failNode", "recoverNode", "cordon", "uncordon", "drain"):
        ref = ObjectRef("Node", "", event.target)
    elif event.action == "deletePod":
        ns, _, name = event.target.rpartition("/")
        ref = ObjectRef("Pod", ns or "default", name)
    elif event.action == "scale":
        ns, _, name = event.target.rpartition("/")
        ref = ObjectRef("Workload", ns or "default", name)
    control.state.changes.append(Change(control.state.time, "ActionApplied", ref,
                                        (("action", event.action), ("target", event.target),
                                         ("value", event.value))))
    control._settle()  # noqa: SLF001


__all__ = ["ActionLog", "LoggedAction", "RUNTIME_ACTIONS", "EDIT_ACTIONS", "check_action", "execute",
           "write_timeline", "timeline_entries"]
