"""The live driver lands on exactly the states a headless run computes: step, play/pause, step back, seek."""

from __future__ import annotations

import dataclasses
import sys
import threading

import pytest

from core.model import TimelineEvent
from desktop.live.adapter import LiveRun
from desktop.live.driver import LiveDriver
from tests.desktop.live_helpers import demo_model, fingerprint, headless


@pytest.fixture
def driver(qtbot):
    d = LiveDriver(LiveRun(demo_model()))
    yield d
    d.stop()


def test_single_steps_match_a_headless_run(driver):
    for _ in range(37):  # 37 ticks of 0.1 s
        driver.step()
    assert driver.time == pytest.approx(3.7)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 3.7))


def test_play_then_pause_stops_on_a_tick_of_the_headless_run(driver, qtbot):
    driver.set_speed(50.0)
    driver.play()
    qtbot.waitUntil(lambda: driver.time >= 6.0, timeout=20000)
    driver.pause()
    t = driver.time
    assert not driver.sim_timer.isActive()
    qtbot.wait(120)
    assert driver.time == t  # paused: time stands still
    ticks = round(t / 0.1)
    assert t == pytest.approx(ticks * 0.1)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), t))


def test_step_back_across_the_node_failure_lands_on_the_headless_state(driver):
    # the demo fails node-2 at 20 s; go past it, then back before it and forward again
    driver.seek(26.0)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 26.0))
    for _ in range(3):
        driver.step_back()
    assert driver.time == pytest.approx(25.7)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 25.7))
    driver.seek(19.5)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 19.5))
    for _ in range(10):
        driver.step()
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 20.5))


def test_run_to_pauses_at_the_target_and_says_so(driver, qtbot):
    driver.set_speed(50.0)
    with qtbot.waitSignal(driver.target_reached, timeout=20000) as blocker:
        driver.run_to(2.0)
    assert blocker.args[0] == pytest.approx(2.0)
    assert not driver.playing
    assert driver.time == pytest.approx(2.0)


def test_speed_is_clamped_to_the_documented_range(driver):
    driver.set_speed(1000)
    assert driver.speed == 50.0
    driver.set_speed(0.0)
    assert driver.speed == 0.1


# -- the worker thread: realtime play steps the core off the GUI thread ------------------------------------------
def _hold_first_tick(driver, ticks: int = 5):
    """Start a worker job of ``ticks`` ticks whose first tick is held inside the core until the job is told to
    stop (what ``settle`` does): the job is certainly in flight when the test acts, and exactly one tick lands."""
    run = driver.run
    real = run._sim.step
    entered = threading.Event()

    def held(dt=None):
        run._sim.step = real
        entered.set()
        assert run._job._cancel.wait(20), "the job was never cancelled"
        return real(dt)

    run._sim.step = held
    driver.playing = True
    driver._budget = ticks * run.tick + 1e-9
    driver._submit()
    assert entered.wait(20)
    assert driver.busy and run.busy
    return driver._job


def _headless_with(model, actions, until):
    timeline = list(model.timeline) + [TimelineEvent(at, a, target, value) for at, a, target, value in actions]
    return headless(dataclasses.replace(model, timeline=timeline), until)


def test_an_action_while_a_worker_step_is_in_flight_lands_on_the_headless_state(driver):
    driver.seek(3.0)
    frames = []
    driver.frame_stepped.connect(frames.append)
    _hold_first_tick(driver)
    driver.apply("failNode", "node-3")  # waits for the tick in flight, lands it, then acts at its end
    assert not driver.busy
    assert [f.time for f in frames] == [pytest.approx(3.1)]
    assert driver.time == pytest.approx(3.1)
    for _ in range(9):
        driver.step()
    expected = _headless_with(demo_model(), [(3.1, "failNode", "node-3", None)], 4.0)
    assert fingerprint(driver.run.sim) == fingerprint(expected)


def test_a_seek_and_a_step_back_while_a_worker_step_is_in_flight_land_on_the_headless_state(driver):
    driver.seek(5.0)
    _hold_first_tick(driver)
    driver.seek(2.0)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 2.0))
    _hold_first_tick(driver)
    driver.step_back()  # the tick in flight lands (2.1), then one tick back
    assert driver.time == pytest.approx(2.0)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 2.0))


def test_pause_while_a_worker_step_is_in_flight_stops_on_a_whole_tick(driver):
    driver.seek(1.0)
    _hold_first_tick(driver)
    driver.playing = True
    driver.pause()
    assert not driver.busy and not driver.playing
    assert driver.time == pytest.approx(1.1)
    assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 1.1))


def test_frames_played_in_the_worker_are_the_frames_of_a_synchronous_run(driver, qtbot):
    """Jobs of however many ticks the wall clock allowed: the same ticks, the same traffic, in order."""
    frames = []
    driver.frame_stepped.connect(frames.append)
    driver.set_speed(50.0)
    with qtbot.waitSignal(driver.target_reached, timeout=30000):
        driver.run_to(4.0)
    sync = LiveRun(demo_model())
    expected = [sync.step() for _ in range(40)]
    assert [round(f.time, 9) for f in frames] == [round(f.time, 9) for f in expected]
    assert [(f.sent, f.delivered, f.dropped, len(f.samples), f.uids) for f in frames] == \
        [(f.sent, f.delivered, f.dropped, len(f.samples), f.uids) for f in expected]
    assert [e.as_dict() for f in frames for e in f.events] == [e.as_dict() for f in expected for e in f.events]


def test_a_change_to_the_run_itself_drops_the_frames_of_the_job_in_flight(driver):
    """A caller that changes the run without the driver (the view applying an edit) waits for the job; its
    frames describe a run that was replaced, so they are not shown."""
    run = driver.run
    real = run._sim.step
    go = threading.Event()

    def gated(dt=None):
        assert go.wait(20)
        return real(dt)

    run._sim.step = gated
    driver.playing = True
    driver._budget = 3 * run.tick + 1e-9
    driver._submit()
    frames = []
    driver.frame_stepped.connect(frames.append)
    go.set()
    run.seek(1.0)  # waits for the job, marks it stale, seeks
    run._sim.step = real
    driver.pause()
    assert frames == []
    assert not driver.busy
    assert fingerprint(run.sim) == fingerprint(headless(demo_model(), 1.0))


def test_an_error_in_the_worker_is_raised_on_the_gui_thread_and_play_stops(driver):
    run = driver.run

    def broken(dt=None):
        raise RuntimeError("core failed")

    run._sim.step = broken
    driver.playing = True
    driver._budget = run.tick + 1e-9
    driver._submit()
    with pytest.raises(RuntimeError, match="core failed"):
        driver.settle()
    assert not driver.playing and not driver.busy


def test_stop_leaves_no_worker_thread_and_no_timer_running(qtbot):
    before = {t.ident for t in threading.enumerate()}
    d = LiveDriver(LiveRun(demo_model()))
    d.start_display()
    d.set_speed(50.0)
    with qtbot.waitSignal(d.target_reached, timeout=30000):
        d.run_to(1.0)
    assert d.run._executor is not None  # the steps were the worker's
    d.play()
    d.stop()
    assert not d.busy and not d.playing
    assert not any(t.isActive() for t in (d.sim_timer, d.paint_timer, d.text_timer))
    assert d.run._executor is None
    assert {t.ident for t in threading.enumerate() if t.is_alive()} <= before
    assert sys.getswitchinterval() == pytest.approx(0.005)
    assert fingerprint(d.run.sim) == fingerprint(headless(demo_model(), d.time))


def test_the_panels_refresh_while_playing_in_the_worker(driver, qtbot):
    """The 1 s text refresh comes after a job that prepared the panels' rules, with no job in flight."""
    seen = []
    driver.text_refreshed.connect(lambda: seen.append((driver.busy, driver.run.busy)))
    driver.start_display()
    driver.play()
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=10000)
    driver.pause()
    assert all(s == (False, False) for s in seen)


def test_a_seek_past_run_tos_target_while_playing_in_the_worker_still_ends_it(driver, qtbot):
    driver.set_speed(0.1)  # the target is not reached by playing before the seek
    driver.run_to(2.0)
    assert driver.playing
    driver.seek(3.0)
    with qtbot.waitSignal(driver.target_reached, timeout=10000) as blocker:
        pass
    assert blocker.args[0] == pytest.approx(3.0)
    assert not driver.playing and not driver.busy


def test_the_time_readout_says_when_playing_delivers_less_than_the_chosen_speed(qtbot, monkeypatch):
    """HG (Xvfb, load 5): 50x played at about 24x while the box still said 50x. The driver measures the
    simulated seconds per wall second once a second; under 80 % of the chosen speed the readout shows it."""
    from desktop.live import driver as driver_mod
    from desktop.live.adapter import LiveRun
    from desktop.live.driver import LiveDriver
    from tests.desktop.live_helpers import demo_model

    d = LiveDriver(LiveRun(demo_model(), 1))
    try:
        d.set_speed(50.0)
        d.playing, d.mode = True, "realtime"
        wall = iter([100.0, 101.0, 102.0, 103.0])
        monkeypatch.setattr(driver_mod.time, "monotonic", lambda: next(wall))
        for t in (10.0, 34.0, 58.0, 82.0):  # 24 simulated seconds a wall second
            d.time_changed.emit(t)
            d._sample_pace()
        assert d.achieved_speed == 24.0

        class Controls:
            driver = d
        from desktop.live.controls import LiveControls

        assert LiveControls._pace_text(Controls()) == " (≈24×)"
        d.set_speed(20.0)  # 24 >= 0.8 x 20: nothing to say
        assert LiveControls._pace_text(Controls()) == ""
        d.run_replaced.emit()  # a seek: the pace is measured afresh
        assert d.achieved_speed is None
    finally:
        d.playing = False
        d.stop()
