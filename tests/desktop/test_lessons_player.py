"""The lesson player: steps, predict-then-reveal, going back, and the Lessons extension of the main window."""

from __future__ import annotations

import pytest

from core.scenario import load_model
from desktop.lessons.model import builtin_lessons, load_lesson
from desktop.lessons.player import LessonClock, LessonPlayer

WHY = builtin_lessons()[0]


@pytest.fixture
def player(qtbot):
    lesson, _ = load_lesson(WHY)
    clock = LessonClock(load_model(WHY), speed=50.0)
    p = LessonPlayer(lesson, clock)
    yield p
    clock.stop()


def _finish(p: LessonPlayer) -> None:
    """Play the current step to its end without wall-clock waiting."""
    while p.phase == p.PLAYING:
        p.clock.advance(1.0)


def test_a_plain_step_plays_to_until_then_waits(player):
    player.start()
    assert player.phase == player.PLAYING and player.clock.playing
    _finish(player)
    assert player.phase == player.SHOWN
    assert player.clock.time == pytest.approx(8.0)  # step 1 of lesson 1 ends at 8 s
    assert not player.clock.playing


def test_predict_shows_only_the_question_then_reveals_after_playing(player):
    player.start()
    _finish(player)
    player.next()  # step 2 has a predict pause
    v = player.view("en")
    assert player.phase == player.QUESTION and not player.clock.playing
    assert v["question"].startswith("At 10 s node-2 goes down")
    assert v["caption"] is None and v["answer"] is None  # the caption would give the answer away
    assert len(v["choices"]) == 3
    assert player.clock.time == pytest.approx(8.0)
    player.next()  # reveal: play to 20 s first
    assert player.phase == player.PLAYING and player.view("en")["answer"] is None
    _finish(player)
    v = player.view("ko")
    assert player.clock.time == pytest.approx(20.0)
    assert v["answer"].startswith("정적 라우팅은 그 순간부터") and v["caption"].startswith("노드다운 장애발생")
    # what the answer says is what happened: the node is NotReady (grace 5 s after the 10 s failure)
    node2 = player.clock.sim.state.nodes["node-2"]
    assert node2.ready != "True" and not node2.up


def test_previous_goes_back_to_where_the_previous_step_began(player):
    player.start()
    _finish(player)
    player.next()
    player.next()
    _finish(player)
    assert player.index == 1 and player.clock.time == pytest.approx(20.0)
    player.previous()
    assert player.index == 0 and player.clock.time == pytest.approx(0.0)
    _finish(player)
    assert player.clock.time == pytest.approx(8.0)
    assert player.clock.sim.state.nodes["node-2"].ready == "True"  # rerun from 0: node-2 has not failed yet


def test_skipping_ahead_lands_on_the_same_state_as_playing(player):
    player.start()
    player.next()  # skip to the end of step 1 at once
    assert player.phase == player.SHOWN and player.clock.time == pytest.approx(8.0)


def test_the_whole_lesson_plays_to_the_end_in_both_languages(qtbot):
    for path in builtin_lessons():
        lesson, _ = load_lesson(path)
        clock = LessonClock(load_model(path), speed=50.0)
        p = LessonPlayer(lesson, clock)
        seen = {"ko": [], "en": []}
        p.start()
        for _ in range(3 * len(lesson.steps)):
            _finish(p)
            for lang in seen:
                v = p.view(lang)
                seen[lang].append(v["answer"] or v["caption"] or v["question"])
            if p.phase == p.DONE:
                break
            p.next()
        clock.stop()
        assert p.phase == p.DONE, path.name
        assert p.clock.time == pytest.approx(lesson.steps[-1].until)
        assert all(seen["ko"]) and all(seen["en"]) and seen["ko"] != seen["en"]


def test_runtime_actions_fail_a_node_and_switch_the_proxy_mode(player):
    player.start()
    _finish(player)
    player.clock.apply("setProxyMode", "", "ipvs")
    player.clock.apply("failNode", "node-3")
    player.clock.advance(0.5)
    assert player.clock.sim.state.proxy_config.mode == "ipvs"
    with pytest.raises(ValueError, match="unknown mode"):
        player.clock.apply("setProxyMode", "", "ebpf")


def test_the_drop_reasons_a_step_shows_go_to_a_tooltip_with_their_code_names(player, qtbot):
    """Lesson 1 step 2's checks expect static_route_dead and timeout_dead_endpoint drops (min 1): the answer's
    tooltip names them in words and by code; the answer itself uses only the words."""
    from desktop.lessons.panel import LessonPanel

    player.start()
    _finish(player)
    player.next()
    assert player.view("en")["reasons"] == ["static_route_dead", "timeout_dead_endpoint"]
    player.next()
    _finish(player)
    panel = LessonPanel()
    qtbot.addWidget(panel)
    panel.show_view(player.view("en"))
    tip = panel.answer.toolTip()
    assert "static route: the pod is gone — static_route_dead: " in tip
    assert "timed out: sent to a dead pod — timeout_dead_endpoint: " in tip
    assert "timeout_dead_endpoint" not in panel.answer.text()
    assert player.view("en")["reasons"] == ["static_route_dead", "timeout_dead_endpoint"]
