"""Snapshots of a running simulation and the automatic checkpoints behind ``Simulation.seek``.

A ``Snapshot`` is the simulation's whole mutable state (control plane, cluster state, data plane, random
generators, the position in the action log) serialised with pickle: bytes, so keeping one costs its size and
restoring it never aliases live objects. The action log and the checkpoints themselves are not part of it.
Checkpoints later than the current time stay valid after a seek back (the future replays identically) and
are dropped only when a new action or edit replaces that future.

``CheckpointStore`` takes one at the end of a step whenever ``interval`` simulated seconds have passed since
the last; at most ``max_count`` are kept: when full, every other one is dropped and the interval doubles
(t=0 stays), so memory stays bounded over hours of simulated time and going back costs at most one
(current) interval of re-simulation. On a big cluster, where a snapshot takes long (about 1 s per 15,000
pods), a checkpoint (one that took over 50 ms) also makes the next wait until the simulation has stepped for ``WALL_FACTOR`` times the last one's
cost, so checkpoints never take more than a tenth of the time; the re-simulation a seek needs is then
bounded by that wall time instead.
"""

from __future__ import annotations

import bisect
import contextlib
import copyreg
import gc
import io
import pickle
import threading
import time
from dataclasses import dataclass

import numpy as np

WALL_FACTOR = 10.0  # step for at least 10x the last checkpoint's cost before the next one ...
THROTTLE_ABOVE = 0.05  # ... when that cost was above 50 ms (small clusters keep the simulated interval)

# the Simulation attributes a snapshot holds (everything that changes while it runs)
STATE_FIELDS = ("model", "document", "rng", "control", "state", "dataplane", "traffic_time", "_parts",
                "_reported", "_next_action")


@dataclass(frozen=True)
class Snapshot:
    time: float
    actions_applied: int  # length of the action log already applied when it was taken
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def _rebuild_trimmed(cls, state: dict, name: str, size: int, head):
    """Rebuild an object whose array ``name`` was stored without its unused (all-zero) tail."""
    obj = cls.__new__(cls)
    arr = np.zeros((size,) + head.shape[1:], dtype=head.dtype)
    arr[: head.shape[0]] = head
    state[name] = arr
    obj.__dict__.update(state)
    return obj


def _trimmed(obj, used: int, names: tuple[str, ...]):
    state = dict(obj.__dict__)
    if len(names) == 1:
        arr = state.pop(names[0])
        return _rebuild_trimmed, (type(obj), state, names[0], arr.shape[0], arr[:used].copy())
    # several arrays (a ring buffer's times and values): trim each, rebuild in turn
    parts = []
    for name in names:
        arr = state.pop(name)
        parts.append((name, arr.shape[0], arr[:used].copy()))
    return _rebuild_many, (type(obj), state, tuple(parts))


def _rebuild_many(cls, state: dict, parts):
    obj = cls.__new__(cls)
    for name, size, head in parts:
        arr = np.zeros((size,) + head.shape[1:], dtype=head.dtype)
        arr[: head.shape[0]] = head
        state[name] = arr
    obj.__dict__.update(state)
    return obj


def _reduce_histogram(h):  # 10 million one-microsecond bins, almost all zero: keep those up to the top one
    return _trimmed(h, int(h._top) + 1, ("bins",))  # noqa: SLF001


def _reduce_ring(r):  # a ring buffer not yet full: keep the rows written
    if r._n >= r.capacity:  # noqa: SLF001
        return _trimmed(r, r.capacity, ("_t", "_v"))
    return _trimmed(r, int(r._n), ("_t", "_v"))  # noqa: SLF001


def _dispatch() -> dict:
    table = dict(copyreg.dispatch_table)
    try:
        from core.metrics import LatencyHistogram, RingBuffer  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        return table
    if all(hasattr(LatencyHistogram(1.0), a) for a in ("bins", "_top")):
        table[LatencyHistogram] = _reduce_histogram
    if all(hasattr(RingBuffer(1), a) for a in ("_t", "_v", "_n", "capacity")):
        table[RingBuffer] = _reduce_ring
    return table


_live = threading.local()  # the Simulation being restored into (set by restore_into for the load)


def _live_ref(name: str):
    """Unpickled in place of a reference to the live simulation (or its placements): see ``_Pickler``."""
    sim = _live.sim
    return sim if name == "sim" else sim.control.placements


class _Pickler(pickle.Pickler):
    """The data plane points back at the Simulation: that stays a reference to the live one. The scheduler's
    placement explanations ("why node-2?", thousands of per-node score tables) are a display cache, not
    state: a restored simulation keeps the live one (re-placed pods overwrite their entries).

    Both are caught in ``reducer_override``, which the C pickler consults only for objects that are not of an
    exact built-in type (about 6 % of them here), rather than in ``persistent_id``, which it calls for every
    object: at 2,000 pods (350,000 objects) that halved a snapshot (~80 -> ~30 ms)."""

    _table: dict | None = None

    def __init__(self, file, sim):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._sim = sim
        self._placements = getattr(getattr(sim, "control", None), "placements", None)
        if _Pickler._table is None:
            _Pickler._table = _dispatch()
        self.dispatch_table = _Pickler._table

    def reducer_override(self, obj):
        if obj is self._sim:
            return _live_ref, ("sim",)
        if obj is self._placements and obj is not None:  # an OrderedDict: not an exact dict, so it gets here
            return _live_ref, ("placements",)
        return NotImplemented


@contextlib.contextmanager
def _no_gc():
    """No garbage collection while a snapshot is written or read: unpickling a big cluster creates millions of
    objects, which trigger collections that walk them over and over (15,000 pods: restore 2-3 s -> 0.5-0.7 s,
    snapshot 1.1-3 s -> 0.7-1.2 s). Nothing is freed meanwhile that would not be freed anyway afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def take_snapshot(sim) -> Snapshot:
    buf = io.BytesIO()
    with _no_gc():
        _Pickler(buf, sim).dump({k: getattr(sim, k) for k in STATE_FIELDS})
    return Snapshot(sim.state.time, sim._next_action, buf.getvalue())  # noqa: SLF001


def restore_into(sim, snap: Snapshot) -> None:
    if snap.actions_applied > len(sim.actions):
        raise ValueError("restore: the snapshot is from a future whose actions were discarded")
    previous = getattr(_live, "sim", None)
    _live.sim = sim
    try:
        with _no_gc():
            fields = pickle.loads(snap.data)
    finally:
        _live.sim = previous
    for k, v in fields.items():
        setattr(sim, k, v)


class CheckpointStore:
    """Automatic checkpoints of one simulation, oldest first."""

    def __init__(self, sim, interval: float | None = 5.0, max_count: int = 64):
        if interval is not None and not interval > 0:
            raise ValueError(f"checkpoint interval must be > 0 seconds (or None: off), got {interval!r}")
        if max_count < 2:
            raise ValueError(f"max_checkpoints must be >= 2, got {max_count!r}")
        self.sim = sim
        self.interval = interval
        self.max_count = max_count
        self.items: list[Snapshot] = []
        self.stepped = 0.0  # wall seconds spent stepping since the last checkpoint (Simulation.step adds)
        self.last_cost = 0.0  # wall seconds the last checkpoint took

    def __len__(self) -> int:
        return len(self.items)

    @property
    def bytes(self) -> int:
        return sum(s.size for s in self.items)

    def maybe_take(self) -> None:
        """Take one if ``interval`` has passed since the last (called at the end of every step)."""
        if self.interval is None:
            return
        now = self.sim.state.time
        times = [s.time for s in self.items]
        i = bisect.bisect_right(times, now + 1e-9)  # items[:i] are at or before now
        if i and now < times[i - 1] + self.interval - 1e-9:
            return
        if i < len(times) and times[i] < now + self.interval - 1e-9:
            return  # a later checkpoint (kept from before a seek back) already covers this stretch
        if i and self.last_cost > THROTTLE_ABOVE and self.stepped < WALL_FACTOR * self.last_cost:
            return  # a big cluster: checkpoints cost at most 1/WALL_FACTOR of the stepping time
        t0 = time.perf_counter()
        self.items.insert(i, take_snapshot(self.sim))
        self.last_cost = time.perf_counter() - t0
        self.stepped = 0.0
        if len(self.items) > self.max_count:
            self.items = self.items[::2]
            self.interval *= 2

    def take(self) -> Snapshot:
        """A checkpoint now, whatever the interval (e.g. a GUI's bookmark); returns it."""
        now = self.sim.state.time
        self.items = [s for s in self.items if s.time != now]
        times = [s.time for s in self.items]
        snap = take_snapshot(self.sim)
        self.items.insert(bisect.bisect_right(times, now), snap)
        return snap

    def latest_at(self, t: float) -> Snapshot | None:
        best = None
        for snap in self.items:
            if snap.time <= t + 1e-9:
                best = snap
        return best

    def discard_after(self, t: float) -> None:
        """Drop checkpoints later than ``t`` (their future is being re-simulated or replaced)."""
        self.items = [s for s in self.items if s.time <= t + 1e-9]
