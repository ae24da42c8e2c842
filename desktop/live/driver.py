"""The sim driver: play, pause, step, step back, reset, speed, seek; the simulation and paint cadences apart.

Three timers, as friture and pyqtgraph's scrolling plots do it:

* the **simulation timer** (every 50 ms while playing in realtime) steps the core by whole scenario ticks --
  as many as ``speed`` x elapsed wall time allows -- so what is shown at time t is what ``podpath run``
  computes for t;
* the **paint timer** (16 ms) moves the packets and redraws the charts from data already computed;
* the **text timer** (1 s) refreshes the readouts and the panels' text.

While playing in realtime the core steps in a **worker thread** (``LiveRun.step_in_background``): at
2,000 pods one tick costs ~20 ms of core time, more than a frame, and stepping on the GUI thread made every
frame that met a step late. A job of whole ticks starts right after a paint tick (so that tick read the
core's state first) and is landed by a later timer shot: its frames are emitted on the GUI thread exactly as
synchronous steps emit them. While a job runs (``busy``) the core is the worker's: ``LiveRun``'s accessors
wait for it, and everything here that changes or reads the run (pause, step, step back, seek, reset,
actions, mode) first ``settle()``s -- the job stops after its current tick and its frames land -- so every
state shown is a whole tick of the same sequence of steps ``podpath run`` takes. The GIL's switch interval
is shortened while a job runs (the core is mostly pure Python; the paint timer waits for the GIL at most
that long each time it needs it).

Step-by-step mode: time advances one *packet event* at a time (a DNS answer, a DNAT, a drop, a
control-plane event...): ``step()`` reveals the next event of the current tick, simulating the next tick when
the current one has no event left. ``step_back()`` goes back one tick through the core's checkpoints.
"""

from __future__ import annotations

import gc
import sys
import time
from collections import deque

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal

from desktop.live.adapter import Frame, LiveRun, PacketEvent, StepJob

SPEEDS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
SIM_INTERVAL_MS = 50
PAINT_INTERVAL_MS = 16
TEXT_INTERVAL_MS = 1000
MAX_STEP_WALL = 0.04  # seconds of stepping per simulation timer shot before the rest is dropped (slow machine)
SWITCH_INTERVAL = 0.001  # the GIL's switch interval while a worker job runs (Python's default: 0.005)


class LiveDriver(QObject):
    """Drives a LiveRun. Signals (past tense):

    * ``frame_stepped(Frame)`` — one tick was simulated (realtime or step mode)
    * ``time_changed(float)`` — the simulated time changed (step, seek, reset, action)
    * ``run_replaced()`` — the run was rebuilt (reset, seek back, action): views drop what is in flight
    * ``event_revealed(PacketEvent)`` — step-by-step mode showed the next event
    * ``event_hidden(PacketEvent)`` — step-by-step mode stepped back over this event (off the list)
    * ``event_current(PacketEvent | None)`` — after a step back: the event now current (None: none left)
    * ``painted(float)`` — a paint tick (wall clock) for the packet layer and the charts
    * ``text_refreshed()`` — the ~1 Hz refresh for readouts and panels
    * ``playing_changed(bool)``, ``mode_changed(str)``, ``speed_changed(float)``
    * ``target_reached(float)`` — ``run_to(t)`` arrived
    * ``picture_prepared(object)`` — a worker job built the canvas's picture of the cluster after its ticks
      (``picture_source``), emitted after the job's frames
    """

    frame_stepped = Signal(object)
    time_changed = Signal(float)
    run_replaced = Signal()
    event_revealed = Signal(object)
    event_hidden = Signal(object)
    event_current = Signal(object)
    painted = Signal(float)
    text_refreshed = Signal()
    playing_changed = Signal(bool)
    mode_changed = Signal(str)
    speed_changed = Signal(float)
    target_reached = Signal(float)
    picture_prepared = Signal(object)

    def __init__(self, run: LiveRun, parent: QObject | None = None, *, threaded: bool = True):
        super().__init__(parent)
        self.run = run
        self.threaded = threaded  # realtime play steps the core in the run's worker thread
        self._job: StepJob | None = None
        # () -> (preparer, version shown) or None: asked as each worker job starts; the job then builds the
        # canvas's picture of the cluster after its ticks if the version has changed (``picture_prepared``)
        self.picture_source = None
        self._switch_saved: float | None = None
        self.speed = 1.0
        self.mode = "realtime"  # or "step"
        self.playing = False
        self.target: float | None = None
        self._budget = 0.0
        self._last_wall = time.monotonic()
        self.pending: list[PacketEvent] = []  # step mode: events of the current tick not shown yet
        self.revealed: list[PacketEvent] = []  # step mode: the events shown, in order
        self.revealed_at: list[float] = []  # the end time of the tick each shown event belongs to
        self.last_frame: Frame | None = None
        self._pace: deque[tuple[float, float]] = deque(maxlen=4)  # (wall, simulated time) once a second
        self._now = 0.0  # the simulated time last shown (time_changed), read without waiting for a job
        self.time_changed.connect(self._note_time)
        self.run_replaced.connect(self._pace.clear)  # a seek, a reset, an action: a jump, not a pace
        self.sim_timer = QTimer(self)
        self.sim_timer.setInterval(SIM_INTERVAL_MS)
        self.sim_timer.timeout.connect(self._on_sim_timer)
        self.paint_timer = QTimer(self)
        self.paint_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % (0.8 ms) late
        self.paint_timer.setInterval(PAINT_INTERVAL_MS)
        self.paint_timer.timeout.connect(self._on_paint_timer)
        self.text_timer = QTimer(self)
        self.text_timer.setInterval(TEXT_INTERVAL_MS)
        self.text_timer.timeout.connect(self._on_text_timer)
        self._text_due = False
        app = QCoreApplication.instance()
        if app is not None:  # quitting while playing: the worker stops after its tick, before Qt goes
            app.aboutToQuit.connect(self.stop)
        self._watched = None  # the window whose frames the worker lets through (``watch_window``)
        self.frames_flushed = 0

    # -- lifecycle --------------------------------------------------------------------------------------
    def start_display(self) -> None:
        """Start the paint and text timers (the simulation timer runs only while playing)."""
        self.paint_timer.start()
        self.text_timer.start()

    def stop(self) -> None:
        """Stop the timers and the worker (a job in flight lands first); the run can be used synchronously."""
        for t in (self.sim_timer, self.paint_timer, self.text_timer):
            t.stop()
        if self.playing:
            gc.unfreeze()
        self.playing = False
        self.run.gate.open()
        self.watch_window(None)
        job = self.run.take_job(wait=True) if self._job is not None else None
        if job is not None:  # stopped (a new run, the window closing): its frames are for no one
            job.stale = True
            self._land(job)
        self.run.close()
        self._restore_switch()

    @property
    def busy(self) -> bool:
        """A worker job is stepping the core: the view must not read the core's objects now."""
        return self._job is not None

    def settle(self) -> None:
        """Stop the job in flight after its current tick and land its frames (no-op when none)."""
        if self._job is not None:
            self._land(self.run.take_job(wait=True))

    @property
    def time(self) -> float:
        return self.run.time

    # -- transport ----------------------------------------------------------------------------------------
    @property
    def achieved_speed(self) -> float | None:
        """Simulated seconds per wall second over the last few seconds of realtime play (None: not measured
        yet). At 50x a loaded machine delivers less (HG saw about 24x): the readout says so."""
        if len(self._pace) < 3:
            return None
        (w0, t0), (w1, t1) = self._pace[0], self._pace[-1]
        return (t1 - t0) / (w1 - w0) if w1 > w0 else None

    def _note_time(self, t: float) -> None:
        self._now = t

    def _sample_pace(self) -> None:
        if self.playing and self.mode == "realtime":
            self._pace.append((time.monotonic(), self._now))
        else:
            self._pace.clear()

    def play(self) -> None:
        if self.playing:
            return
        self.playing = True
        # the cluster as it is now is kept out of garbage collection while playing: a full collection walked
        # the whole 2,000-pod heap (90-110 ms holding the GIL: a frame 6 frames late every few seconds);
        # objects made while playing are collected as ever, and pausing hands the rest back
        gc.freeze()
        self._pace.clear()
        self._last_wall = time.monotonic()
        # the first tick is due at once: waiting for the budget of one tick (two 50 ms timer shots at 1x)
        # left a class looking at a still canvas for 0.1 s after Play, at any speed for step mode's 0.6 s
        self._budget = self.run.tick if self.mode == "realtime" else 0.6
        self.sim_timer.start()
        QTimer.singleShot(0, self._first_shot)
        self.playing_changed.emit(True)

    def _first_shot(self) -> None:
        if self.playing and self.sim_timer.isActive():
            self._on_sim_timer()

    def pause(self) -> None:
        # the job in flight lands first, as frames played (the time shown while paused is a whole tick, the
        # last one stepped); landing may reach run_to's target, which pauses
        self.settle()
        if not self.playing:
            return
        self.playing = False
        self.sim_timer.stop()
        self._restore_switch()
        gc.unfreeze()
        self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, speed: float) -> None:
        speed = min(max(float(speed), SPEEDS[0]), SPEEDS[-1])
        if speed != self.speed:
            self.speed = speed
            self.speed_changed.emit(speed)

    def set_mode(self, mode: str) -> None:
        if mode not in ("realtime", "step"):
            raise ValueError(f"mode must be realtime or step, got {mode!r}")
        if mode == self.mode:
            return
        self.pause()
        self.mode = mode
        self.pending = []
        self.revealed, self.revealed_at = [], []  # a new step-by-step session starts from here
        self.mode_changed.emit(mode)

    def step(self) -> None:
        """Realtime mode: one tick. Step mode: the next packet or control-plane event."""
        self.settle()
        if self.mode == "realtime":
            self._step_tick()
            return
        guard = 0
        while not self.pending and guard < 600:  # at most a minute of idle ticks at 0.1 s
            frame = self._step_tick()
            self.pending = frame.packet_events()
            guard += 1
        if self.pending:
            ev = self.pending.pop(0)
            self.revealed.append(ev)
            self.revealed_at.append(self.run.time)
            self.event_revealed.emit(ev)

    def step_back(self) -> None:
        """Realtime mode: one tick back. Step mode: exactly one event back -- the last event shown is taken
        off the list and the one before it is current again; when that one belongs to an earlier tick, the
        run goes back to the end of that tick (through the core's checkpoints) and re-simulates it, so the
        cluster, the packets in flight and the events still to come are what they were when it was shown."""
        self.settle()
        if self.mode == "step":
            self._step_back_event()
            return
        self.pending = []
        self.run.step_back()
        self._trim_revealed()
        self.run_replaced.emit()
        self.time_changed.emit(self.run.time)

    def _step_back_event(self) -> None:
        tick = self.run.tick
        if self.revealed:
            ev = self.revealed.pop()
            at = self.revealed_at.pop()
            if self._on_tick(at):
                self.pending.insert(0, ev)
            self.event_hidden.emit(ev)
        if self.revealed:
            at = self.revealed_at[-1]
            if self._on_tick(at):
                self.event_current.emit(self.revealed[-1])  # same tick: nothing to re-simulate
                return
            self._go_to_tick(at)
            events = self.last_frame.packet_events() if self.last_frame is not None else []
            last = self.revealed[-1]
            cut = next((i for i in range(len(events) - 1, -1, -1) if events[i] == last), len(events) - 1)
            self.pending = events[cut + 1:]
            self.event_current.emit(last)
            return
        # nothing shown before: the last event of the closest earlier tick that has any (all of that tick's
        # events are then in the past, so they are listed, the last one current)
        t = self.run.time
        if self.last_frame is not None and abs(self.last_frame.time - t) < 1e-9:
            t -= tick
        guard = 0
        while t > 1e-9 and guard < 600:
            self._go_to_tick(t)
            events = self.last_frame.packet_events() if self.last_frame is not None else []
            if events:
                self.pending = []
                for e in events:
                    self.revealed.append(e)
                    self.revealed_at.append(self.run.time)
                    self.event_revealed.emit(e)
                return
            t -= tick
            guard += 1
        self.pending = []
        self.run.seek(0.0)
        self.last_frame = None
        self.run_replaced.emit()
        self.time_changed.emit(self.run.time)
        self.event_current.emit(None)

    def _on_tick(self, t: float) -> bool:
        """The run stands at the end of the tick ending at ``t``, and that tick's frame is the last one."""
        f = self.last_frame
        return f is not None and abs(f.time - t) < 1e-9 and abs(self.run.time - t) < 1e-9

    def _go_to_tick(self, t: float) -> None:
        """Stand at the end of the tick that ends at ``t``, with that tick's frame re-simulated (its packets)."""
        self.pending = []
        self.run.seek(max(0.0, t - self.run.tick))
        self.last_frame = None
        self.run_replaced.emit()
        if self.run.time < t - 1e-9:
            self._step_tick()
        else:
            self.time_changed.emit(self.run.time)

    def _trim_revealed(self) -> None:
        """Forget the events shown after the current time (a seek or step back went before them)."""
        keep = sum(1 for at in self.revealed_at if at <= self.run.time + 1e-9)
        del self.revealed[keep:]
        del self.revealed_at[keep:]

    def reset(self) -> None:
        self.pause()
        self.settle()
        self.pending = []
        self.revealed = []
        self.revealed_at = []
        self.last_frame = None
        self.run.reset()
        self.run_replaced.emit()
        self.time_changed.emit(self.run.time)

    def seek(self, t: float) -> None:
        """Scrub to simulated time ``t`` (through the core's checkpoints)."""
        self.settle()
        self.pending = []
        self.run.seek(t)
        self.last_frame = None
        self._trim_revealed()
        self.run_replaced.emit()
        self.time_changed.emit(self.run.time)

    def run_to(self, t: float) -> None:
        """Play until simulated time ``t``, then pause and emit ``target_reached``."""
        self.settle()
        self.target = float(t)
        if self.run.time >= t - 1e-9:
            self.target = None
            self.target_reached.emit(self.run.time)
            return
        self.play()

    def apply(self, action: str, target: str = "", value=None):
        """A live action now (raises ValueError with the reason when it is refused)."""
        self.settle()
        event = self.run.apply(action, target, value)
        self.pending = []
        self.run_replaced.emit()
        self.time_changed.emit(self.run.time)
        return event

    # -- timers ----------------------------------------------------------------------------------------------
    def _step_tick(self) -> Frame:
        frame = self.run.step()
        self.last_frame = frame
        self.frame_stepped.emit(frame)
        self.time_changed.emit(frame.time)
        return frame

    def _accrue(self) -> None:
        now = time.monotonic()
        self._budget += (now - self._last_wall) * self.speed
        self._last_wall = now

    def _on_sim_timer(self) -> None:
        if self.threaded and self.mode == "realtime":
            self._poll()
            self._accrue()
            if not self.paint_timer.isActive():  # no paint ticks to start jobs after (a test, a snapshot)
                self._submit()
            return
        self._accrue()
        if self.mode == "step":
            # step mode plays as a slide show: one event per timer shot, slower at low speed
            self._budget = min(self._budget, 1.0)
            if self._budget >= 0.6:  # one event every 0.6 s at 1x
                self._budget = 0.0
                self.step()
            return
        tick = self.run.tick
        started = time.monotonic()
        while self._budget >= tick - 1e-12:
            if self.target is not None and self.run.time >= self.target - 1e-9:
                break
            self._step_tick()
            self._budget -= tick
            if time.monotonic() - started > MAX_STEP_WALL:
                self._budget = min(self._budget, tick)  # cannot keep up: slow down rather than freeze
                break
        self._check_target()

    def _check_target(self) -> bool:
        """``run_to``'s target is reached (or passed: a seek went beyond it): pause and say so."""
        if self.target is not None and self.run.time >= self.target - 1e-9:
            reached = self.run.time
            self.target = None
            self.pause()
            self.target_reached.emit(reached)
            return True
        return False

    # -- the worker ----------------------------------------------------------------------------------------
    def _poll(self) -> None:
        """Land the job in flight if it is done."""
        if self._job is not None and self._job.done():
            self._land(self.run.take_job())

    def _submit(self) -> None:
        """Start a job of the ticks due (whole ticks; not past the target) when none is in flight."""
        if self._job is not None or not self.playing or self.mode != "realtime" or self._check_target():
            return
        tick = self.run.tick
        n = int(self._budget / tick + 1e-9)
        if self.target is not None:
            n = min(n, max(0, round((self.target - self.run.time) / tick + 0.4999999)))
        prepare = self._text_due  # the panels refresh after this job: their rules are rendered in it
        if n <= 0 and not prepare:
            return
        if self._switch_saved is None and sys.getswitchinterval() > SWITCH_INTERVAL:
            self._switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        picture = self.picture_source() if self.picture_source is not None and n > 0 else None
        self._job = self.run.step_in_background(n, max_wall=MAX_STEP_WALL, prepare=prepare, picture=picture)

    def _restore_switch(self) -> None:
        if self._switch_saved is not None:
            sys.setswitchinterval(self._switch_saved)
            self._switch_saved = None

    def _land(self, job: StepJob | None) -> None:
        """Emit a finished job's frames on the GUI thread as synchronous steps do; stop at the target."""
        self._job = None
        if job is None:
            return
        tick = self.run.tick
        if not job.stale:
            self._budget -= len(job.frames) * tick
            if job.hit_wall:
                self._budget = min(self._budget, tick)  # cannot keep up: slow down rather than fall behind
            for frame in job.frames:
                self.last_frame = frame
                self.frame_stepped.emit(frame)
                self.time_changed.emit(frame.time)
            if job.prepared is not None and job.error is None:
                self.picture_prepared.emit(job.prepared)
        if job.error is not None:
            self.pause()
            raise job.error
        self._check_target()
        if self._text_due and self._job is None and (job.prepare or not self._playing_threaded()):
            self._text_due = False
            self.text_refreshed.emit()

    def playing_threaded(self) -> bool:
        """Realtime play with the core in the worker: the canvas's pictures are built there too."""
        return self._playing_threaded()

    def _playing_threaded(self) -> bool:
        return self.threaded and self.playing and self.mode == "realtime"

    def _on_text_timer(self) -> None:
        self._sample_pace()
        if self._job is not None or self._playing_threaded():
            # the panels read the core: after a job has landed, the next one preparing their rules
            self._text_due = True
            return
        self.text_refreshed.emit()

    def watch_window(self, window) -> None:
        """Let the frames of ``window`` (a top-level widget: the main window) through the worker: each paint
        tick closes the run's frame gate, and the window's repaint after it (the UpdateRequest Qt posts to a
        top-level widget whose children asked for a repaint) opens it again once handled. Without a window
        the worker never waits."""
        if self._watched is not None:
            try:
                self._watched.removeEventFilter(self)
            except RuntimeError:  # (the window is gone)
                pass
        self._watched = window
        if window is not None:
            window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self._watched and event.type() == QEvent.Type.UpdateRequest and not self.run.gate.is_open():
            QTimer.singleShot(0, self._frame_flushed)  # after this event: the window has painted
        return False

    def _frame_flushed(self) -> None:
        self.frames_flushed += 1
        self.run.gate.open()

    def _on_paint_timer(self) -> None:
        if self._watched is not None:
            # a frame starts: the worker (the job in flight, or the one started below) waits between pieces
            # until the window has painted it, and stops just before the next is due
            self.run.gate.close(time.perf_counter() + PAINT_INTERVAL_MS / 1000.0)
        self._poll()
        self.painted.emit(time.monotonic())
        if self._playing_threaded():
            # right after the paint tick's slots read the core: the next job starts now
            self._accrue()
            self._submit()
