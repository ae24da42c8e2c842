"""The live driver lands on exactly the states a headless run computes: step, play/pause, step back, seek."""

from __future__ import annotations

import pytest

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
