"""The lesson player: next / previous step, captions, and predict-then-reveal pauses over a running scenario.

A step either plays the simulation to its ``until`` and waits, or — with ``predict`` — first waits with the
question on screen (students answer), then plays to ``until`` and reveals the answer. ``previous`` goes back
to where the previous step began. The player does not simulate: it tells a *clock* to play to a time, to
seek, or to apply an action. ``LessonClock`` is the built-in clock (a core Simulation stepped by a QTimer);
the live view's driver can stand in for it (same five members: ``time``, ``play_to``, ``pause``, ``seek``,
``apply`` and the ``time_changed`` / ``target_reached`` signals).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from core.engine import Simulation
from core.model import ClusterModel, TimelineEvent
from desktop.lessons.model import Lesson, Step, Text

FRAME_MS = 40  # the clock's wall-time step while playing


class LessonClock(QObject):
    """Simulated time for a lesson: play to a time at ``speed`` × real time, pause, seek, runtime actions."""

    time_changed = Signal(float)  # the simulated time moved (every frame while playing, once per seek)
    target_reached = Signal(float)  # play_to(t) arrived at t
    action_applied = Signal(object)  # a runtime action (TimelineEvent) was applied

    def __init__(self, model: ClusterModel, parent: QObject | None = None, *, speed: float = 4.0):
        super().__init__(parent)
        self.model = model
        self.speed = float(speed)
        self.actions: list[TimelineEvent] = []
        self._target: float | None = None
        self._free = False
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_frame)
        self.last_tick = None
        self._restart()

    def _restart(self) -> None:
        self.sim = Simulation(self.model)
        for action in self.actions:
            self.sim.schedule(action)

    @property
    def time(self) -> float:
        return self.sim.time

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        """Play freely (no target) until paused."""
        self._target, self._free = None, True
        self._timer.start()

    def play_to(self, t: float) -> None:
        if t <= self.time + 1e-9:
            self.pause()
            self.target_reached.emit(self.time)
            return
        self._target, self._free = float(t), False
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    def advance(self, dt: float) -> None:
        """Advance ``dt`` simulated seconds at once (tick by tick), stopping at the target if there is one."""
        end = self.time + dt
        if self._target is not None and not self._free:
            end = min(end, self._target)
        tick = self.model.simulation.tick
        while self.time < end - 1e-9:
            self.last_tick = self.sim.step(min(tick, end - self.time))
        self.time_changed.emit(self.time)
        if self._target is not None and self.time >= self._target - 1e-9:
            self._timer.stop()
            target, self._target = self._target, None
            self.target_reached.emit(target)

    def _on_frame(self) -> None:
        self.advance(self.speed * FRAME_MS / 1000.0)

    def seek(self, t: float) -> None:
        """Stand at simulated time ``t`` (a rerun from 0 when going back: same file and seed, same state)."""
        self._timer.stop()
        self._target = None
        if t < self.time - 1e-9:
            self.actions = [a for a in self.actions if a.at <= t + 1e-9]
            self._restart()
        tick = self.model.simulation.tick
        while self.time < t - 1e-9:
            self.last_tick = self.sim.step(min(tick, t - self.time))
        self.time_changed.emit(self.time)

    def apply(self, action: str, target: str = "", value=None) -> TimelineEvent:
        """A runtime action now (fail a node, switch the proxy mode, …); ValueError names what is wrong."""
        event = TimelineEvent(round(self.time, 9), action, target, value)  # type: ignore[arg-type]
        self.sim.schedule(event)
        self.actions.append(event)
        self.action_applied.emit(event)
        return event


class LiveClock(QObject):
    """The live view's driver as the lesson's clock: packets, charts and panels follow the lesson."""

    time_changed = Signal(float)
    target_reached = Signal(float)

    def __init__(self, driver, parent: QObject | None = None):
        super().__init__(parent)
        self.driver = driver
        driver.time_changed.connect(self.time_changed)
        driver.target_reached.connect(self.target_reached)

    @property
    def time(self) -> float:
        return self.driver.time

    @property
    def playing(self) -> bool:
        return bool(getattr(self.driver, "playing", False))

    @property
    def speed(self) -> float:
        return float(getattr(self.driver, "speed", 1.0))

    @speed.setter
    def speed(self, value: float) -> None:
        if hasattr(self.driver, "set_speed"):
            self.driver.set_speed(value)

    @property
    def sim(self):
        return getattr(getattr(self.driver, "run", None), "sim", None)

    @property
    def actions(self) -> list:
        return list(getattr(getattr(self.driver, "run", None), "actions", []))

    def play(self) -> None:
        self.driver.play()

    def play_to(self, t: float) -> None:
        self.driver.run_to(t)

    def pause(self) -> None:
        self.driver.pause()

    def stop(self) -> None:
        self.driver.pause()

    def seek(self, t: float) -> None:
        self.driver.seek(t)

    def apply(self, action: str, target: str = "", value=None):
        return self.driver.apply(action, target, value)


class LessonPlayer(QObject):
    """Which step is on screen and in which phase; drives the clock."""

    changed = Signal()  # step, phase or texts changed: views re-read ``view(lang)``
    finished = Signal()  # the last step was shown

    QUESTION, PLAYING, SHOWN, DONE = "question", "playing", "shown", "done"

    def __init__(self, lesson: Lesson, clock, parent: QObject | None = None):
        super().__init__(parent)
        self.lesson = lesson
        self.clock = clock
        self.index = 0
        self.phase = self.SHOWN
        self.revealed = False
        clock.target_reached.connect(self._on_reached)

    # -- state ------------------------------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    def start_time(self, index: int) -> float:
        return 0.0 if index <= 0 else self.lesson.steps[index - 1].until

    def start(self) -> None:
        self._enter(0)

    def _enter(self, index: int) -> None:
        self.index = index
        self.revealed = False
        begin = self.start_time(index)
        if abs(self.clock.time - begin) > 1e-9:
            self.clock.seek(begin)
        if self.step.predict is not None:
            self.clock.pause()
            self.phase = self.QUESTION
            self.changed.emit()
        else:
            self.phase = self.PLAYING
            self.changed.emit()
            self.clock.play_to(self.step.until)

    def _on_reached(self, _t: float) -> None:
        if self.phase != self.PLAYING:
            return
        self.phase = self.DONE if self.index == len(self.lesson.steps) - 1 else self.SHOWN
        if self.step.predict is not None:
            self.revealed = True
        self.changed.emit()
        if self.phase == self.DONE:
            self.finished.emit()

    # -- commands ---------------------------------------------------------------------------------------
    def next(self) -> None:
        """Reveal (play the predicted moment), skip to the end of a playing step, or go to the next step."""
        if self.phase == self.QUESTION:
            self.phase = self.PLAYING
            self.changed.emit()
            self.clock.play_to(self.step.until)
        elif self.phase == self.PLAYING:
            self.clock.pause()
            self.clock.seek(self.step.until)
            self._on_reached(self.step.until)
        elif self.phase == self.SHOWN and self.index + 1 < len(self.lesson.steps):
            self._enter(self.index + 1)

    def previous(self) -> None:
        """Back to the beginning of the previous step (or of this one, if it is the first)."""
        self._enter(max(0, self.index - 1))

    def restart_step(self) -> None:
        self._enter(self.index)

    def go_to(self, index: int) -> None:
        """Jump to a step (1-based in the UI, 0-based here), e.g. from a comparison-table cell."""
        if not 0 <= index < len(self.lesson.steps):
            raise IndexError(f"step {index + 1} does not exist; the lesson has {len(self.lesson.steps)}")
        self._enter(index)

    # -- what to show -----------------------------------------------------------------------------------
    def view(self, lang: str) -> dict:
        """The texts for the current moment: title, caption, question, choices, answer (None until revealed)."""
        step = self.step
        p = step.predict

        def t(text: Text | None) -> str | None:
            return None if text is None else text.get(lang)

        return {
            "title": t(self.lesson.title),
            "index": self.index + 1,
            "count": len(self.lesson.steps),
            # a predict pause shows only the question: the caption would give the answer away
            "caption": None if self.phase == self.QUESTION else t(step.caption),
            "question": t(p.question) if p else None,
            "choices": [c.get(lang) for c in p.choices] if p else [],
            "answer": t(p.answer) if p and self.revealed else None,
            "phase": self.phase,
            "focus": list(step.focus),
            # drop reasons the step's checks say do happen: their code names go in a tooltip, not in the text
            "reasons": sorted({code for c in step.checks + (p.checks if p else ()) for code, r in c.dropped.items()
                               if r.lo is not None and r.lo >= 1}),
        }
