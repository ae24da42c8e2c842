"""Step-by-step mode (offscreen, the real main window): a step back goes back exactly one event, through the
core's checkpoints; the event list prints times as the UI does and follows the newest line unless the user
scrolled up; the toolbar shows the mode in force after a Timeline switch."""

from __future__ import annotations

import pytest

from tests.desktop.live_helpers import DEMO, fingerprint


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    yield w
    if getattr(w, "_test_live", None) is not None:
        w._test_live.shutdown()
    w.session.undo_stack.setClean()


def _live(window, path=DEMO):
    from desktop.live import install

    window.session.open(path)
    window._test_live = window.install_late("live", install)
    return window._test_live


def _position(view):
    d = view.driver
    return (round(view.run.time, 9), list(d.revealed), fingerprint(view.run.sim), view.events.visible_events(),
            view.layer.selected)


def test_step_back_in_step_mode_goes_back_exactly_one_event(window):
    view = _live(window)
    view.controls.mode_box.setCurrentIndex(view.controls.mode_box.findData("step"))
    d = view.driver
    for _ in range(3):  # start a little into the run, so that going back crosses ticks and a checkpoint
        d.step()
    history = [_position(view)]
    for _ in range(45):
        d.step()
        history.append(_position(view))
    times = [h[0] for h in history]
    assert len(set(times)) >= 3, "the steps cross several ticks"
    assert all(len(history[i + 1][1]) == len(history[i][1]) + 1 for i in range(len(history) - 1))
    for i in range(len(history) - 2, -1, -1):
        d.step_back()
        now = _position(view)
        assert now[0] == history[i][0], f"step back {len(history) - 1 - i}: time"
        assert now[1] == history[i][1], "exactly the last event is taken off"
        assert now[2] == history[i][2], "the cluster is what it was when that event was shown"
        assert now[3] == history[i][3], "the event list is what it was"
        last = now[1][-1]
        if last.packet is not None:
            assert view.layer.selected == last.packet  # the current event's packet is selected again
            assert view.selected_packet is not None
    # and forward again replays the same events
    for i in range(1, 6):
        d.step()
        assert _position(view)[1] == history[i][1]


def test_step_back_before_the_first_shown_event_lands_on_the_previous_ticks_last_event(window):
    view = _live(window)
    d = view.driver
    for _ in range(30):  # 3 s in realtime ticks
        d.step()
    view.controls.mode_box.setCurrentIndex(view.controls.mode_box.findData("step"))
    t = view.run.time
    d.step_back()
    assert d.revealed, "the events of the closest earlier tick with packets are listed"
    assert view.run.time < t - 1e-9
    assert abs(d.revealed_at[-1] - view.run.time) < 1e-9
    # its events are exactly those of a frame re-simulated to that tick
    assert d.revealed == d.last_frame.packet_events()
    d.step()  # forward: the next tick's first event
    assert view.run.time > d.revealed_at[-2] or len(d.revealed) == 1


def test_event_times_read_like_the_rest_of_the_ui_and_the_list_follows_the_newest_line(window, qtbot):
    from desktop.panels.events import format_time

    assert format_time(12.35) == "12.350 s"
    assert format_time(0.0) == "0.000 s"
    view = _live(window)
    view.controls.mode_box.setCurrentIndex(view.controls.mode_box.findData("step"))
    window.docks["live-events"].raise_()
    d = view.driver
    for _ in range(120):
        d.step()
    qtbot.wait(20)
    tree = view.events.tree
    bar = tree.verticalScrollBar()
    assert bar.maximum() > 0, "more lines than fit"
    assert bar.value() == bar.maximum(), "the newest line is in view"
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert last.text(0) == format_time(d.revealed[-1].time)
    assert tree.visualItemRect(last).bottom() <= tree.viewport().height()
    # the user scrolls up: new lines no longer move the list
    bar.setValue(0)
    for _ in range(10):
        d.step()
    qtbot.wait(20)
    assert bar.value() == 0
    # back at the bottom: it follows again
    bar.setValue(bar.maximum())
    for _ in range(10):
        d.step()
    qtbot.wait(20)
    assert bar.value() == bar.maximum()
    assert tree.topLevelItem(tree.topLevelItemCount() - 1).data(0, 256) == d.revealed[-1]


def test_the_list_follows_lines_added_while_its_dock_was_hidden(window, qtbot):
    view = _live(window)
    view.controls.mode_box.setCurrentIndex(view.controls.mode_box.findData("step"))
    qtbot.wait(20)
    dock = window.docks["live-events"]
    dock.hide()
    qtbot.wait(20)
    assert not view.events.tree.isVisible()
    for _ in range(100):
        view.driver.step()
    dock.show()
    dock.raise_()
    qtbot.wait(50)
    bar = view.events.tree.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()


TIMELINE = """
---
apiVersion: podpath.dev/v1alpha1
kind: Timeline
metadata:
  name: lesson-switches
spec:
  events:
  - {at: 1, action: setProxyMode, value: ipvs}
  - {at: 1.5, action: setIPVSScheduler, value: lc}
  - {at: 2, action: setScheduler, value: RoundRobin}
  - {at: 2.5, action: setTimingPreset, value: realistic}
"""


def test_the_toolbar_shows_the_modes_a_timeline_switched_without_applying_anything(window, tmp_path):
    path = tmp_path / "switches.yaml"
    path.write_text(DEMO.read_text() + TIMELINE)
    view = _live(window, path)
    c = view.controls
    shown = lambda: tuple(b.currentData() for b in (c.proxy_box, c.ipvs_box, c.sched_box, c.preset_box))  # noqa: E731
    assert shown() == ("iptables", "rr", "LeastAllocated", "classroom")
    assert not c.ipvs_box.isEnabled()
    seen = []
    for _ in range(30):
        view.driver.step()
        seen.append((round(view.run.time, 1), shown()))
    at = dict(seen)
    assert at[0.9] == ("iptables", "rr", "LeastAllocated", "classroom")
    assert at[1.0] == ("ipvs", "rr", "LeastAllocated", "classroom")
    assert at[1.5] == ("ipvs", "lc", "LeastAllocated", "classroom")
    assert at[2.0] == ("ipvs", "lc", "RoundRobin", "classroom")
    assert at[2.5] == ("ipvs", "lc", "RoundRobin", "realistic")
    assert c.ipvs_box.isEnabled()
    assert view.run.actions == [], "following the run applied no live action"
    assert view.run.sim.timing.node_monitor_grace_period == 50.0  # realistic, from the Timeline
    # a seek back before the switches shows the modes of that time again
    view.driver.seek(0.5)
    assert shown() == ("iptables", "rr", "LeastAllocated", "classroom")
    assert view.run.actions == []


def test_a_timeline_mode_switch_gets_its_chart_marker_once(window, tmp_path):
    path = tmp_path / "switches.yaml"
    path.write_text(DEMO.read_text() + TIMELINE)
    view = _live(window, path)
    for _ in range(16):
        view.driver.step()
    assert [m[1] for m in view.charts.markers] == ["mode ipvs", "IPVS lc"]
    assert [round(m[0], 1) for m in view.charts.markers] == [1.0, 1.5]
    view.driver.seek(1.2)  # back between the switches: the later marker goes, no new one comes
    assert [m[1] for m in view.charts.markers] == ["mode ipvs"]
