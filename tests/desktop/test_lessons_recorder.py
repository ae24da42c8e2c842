"""Recording a lesson: live actions become a Timeline, markers become steps, the file plays back the same."""

from __future__ import annotations

import pytest

from core.engine import Simulation
from core.scenario import DEMO_SCENARIO, load_document, load_model
from desktop.lessons.model import Text, load_lesson
from desktop.lessons.player import LessonClock
from desktop.lessons.recorder import LessonRecorder


def test_a_recorded_lesson_is_a_valid_lesson_that_replays_the_live_actions(qtbot, tmp_path):
    doc = load_document(DEMO_SCENARIO)
    clock = LessonClock(load_model(DEMO_SCENARIO))
    rec = LessonRecorder("my-outage", Text("내 장애", "My outage"))
    clock.seek(3.0)
    rec.add_step(clock.time, Text("시작", "The start"))
    clock.seek(5.0)
    clock.apply("failNode", "node-3")
    clock.seek(12.0)
    rec.add_predict(clock.time, Text("node-3는?", "What about node-3?"), Text("NotReady", "NotReady"))
    path = rec.save(doc, clock.actions, tmp_path / "my-outage.yaml")
    clock.stop()

    lesson, saved = load_lesson(path)
    assert lesson.name == "my-outage" and lesson.title.en == "My outage"
    assert [s.until for s in lesson.steps] == [3.0, 12.0]
    assert lesson.steps[0].predict is None and lesson.steps[1].predict.question.en == "What about node-3?"
    timelines = [raw for raw in saved if raw["kind"] == "Timeline"]
    recorded = [t for t in timelines if t["metadata"]["name"] == "my-outage-recorded"]
    assert recorded[0]["spec"]["events"] == [{"at": 5, "action": "failNode", "target": "node-3"}]
    # replaying the saved file without any live action: node-3 failed at 5 s, classroom grace 5 s -> NotReady at 10
    sim = Simulation(load_model(path))
    sim.run(12.0)
    assert sim.state.nodes["node-3"].ready != "True" and not sim.state.nodes["node-3"].up
    # the original scenario's objects are all still there
    assert len([r for r in saved if r["kind"] != "Lesson"]) == len(list(doc)) + 1


def test_markers_follow_time_and_an_empty_recording_is_refused(tmp_path):
    rec = LessonRecorder("x", Text("가", "A"))
    with pytest.raises(ValueError, match="nothing recorded"):
        rec.build(load_document(DEMO_SCENARIO), [], "x.yaml")
    rec.add_step(10, Text("가", "A"))
    with pytest.raises(ValueError, match="comes before the last one"):
        rec.add_step(4, Text("나", "B"))
