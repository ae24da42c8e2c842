"""Exports: canvas PNG/SVG, metrics and event log CSV, manifests, a lesson as a self-contained folder."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsScene, QLabel

from core.engine import Simulation
from core.model import TimelineEvent
from core.scenario import load_document, load_model
from desktop import export
from desktop.lessons.model import builtin_lessons, load_lesson

WHY = builtin_lessons()[0]


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def scene(qtbot):
    s = QGraphicsScene()
    s.setSceneRect(QRectF(0, 0, 400, 200))
    s.addRect(QRectF(10, 10, 100, 50)).setBrush(QColor("#0072B2"))
    yield s
    s.clear()


def test_canvas_png_has_the_requested_width_and_the_picture(scene, tmp_path):
    out = export.export_canvas(scene, tmp_path / "c.png", width=864)
    img = QImage(str(out))
    # scene rect 400 x 200 plus a 16-unit margin on each side: 432 x 232, scaled to 864 wide -> 464 high
    assert (img.width(), img.height()) == (864, 464)
    blue = QColor("#0072B2").rgb()
    # the rectangle at scene (10..110, 10..60) lands at ((10+16)*2 .. (110+16)*2) = 52..252 across
    assert img.pixel(150, 80) == blue and img.pixel(600, 300) != blue


def test_canvas_svg_is_a_vector_drawing(scene, tmp_path):
    out = export.export_canvas(scene, tmp_path / "c.svg", width=864)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 864 464"


def test_canvas_refuses_other_formats_and_empty_scenes(qtbot, scene, tmp_path):
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        export.export_canvas(scene, tmp_path / "c.jpg")
    with pytest.raises(ValueError, match="empty"):
        export.export_canvas(QGraphicsScene(), tmp_path / "e.png")


def test_widget_png(qtbot, tmp_path):
    label = QLabel("charts")
    qtbot.addWidget(label)
    label.resize(200, 80)
    out = export.export_widget_png(label, tmp_path / "w.png")
    assert QImage(str(out)).size().width() >= 200


def test_event_log_csv_holds_every_event_of_the_run(tmp_path):
    sim = Simulation(load_model(WHY))
    sim.run(30)
    n = export.write_events_csv(sim.state.events, tmp_path / "events.csv")
    rows = _read(tmp_path / "events.csv")
    assert n == len(rows) == len(sim.state.events)
    not_ready = [r for r in rows if r["reason"] == "NodeNotReady" and r["object"] == "node/node-2"]
    # failed at 10 s, classroom grace period 5 s: NotReady at 15 s
    assert [r["time_s"] for r in not_ready] == ["15"]


def test_metrics_csv_accounts_for_every_request(tmp_path):
    model = load_model(WHY)
    ticks = export.run_ticks(model, 20.0)
    n = export.write_metrics_csv(ticks, tmp_path / "m.csv")
    rows = _read(tmp_path / "m.csv")
    assert n == len(rows) > 0
    drops = [c for c in rows[0] if c.startswith("dropped_")]
    pods = [c for c in rows[0] if c.startswith("pod:")]
    assert "dropped_static_route_dead" in drops and len(pods) == 3
    for r in rows:
        assert int(r["sent"]) == int(r["delivered"]) + sum(int(r[c]) for c in drops)
        assert int(r["delivered"]) == sum(int(r[c]) for c in pods)
    assert float(rows[-1]["t1_s"]) == pytest.approx(20.0)


def test_metrics_of_a_replayed_run_include_the_runtime_actions(tmp_path):
    model = load_model(WHY)
    plain = export.run_ticks(model, 12.0)
    failed = export.run_ticks(model, 12.0, [TimelineEvent(5.0, "failNode", "node-3")])
    assert sum(t.dropped.get("static_route_dead", 0) for t in plain) > 0
    lost_plain = sum(t.sent - t.delivered for t in plain)
    lost_failed = sum(t.sent - t.delivered for t in failed)
    assert lost_failed > lost_plain  # node-3 runs new-app, the Service's client: its requests die too


def test_manifests_are_what_kubectl_applies(tmp_path):
    out = export.write_manifests(load_document(WHY), tmp_path / "k8s.yaml")
    kinds = [d["kind"] for d in yaml.safe_load_all(out.read_text(encoding="utf-8")) if d]
    assert sorted(kinds) == ["Deployment", "Service"]


def test_lesson_folder_is_self_contained(tmp_path):
    lesson, doc = load_lesson(WHY)
    shot = tmp_path / "shot.png"
    QImage(8, 8, QImage.Format.Format_RGB32).save(str(shot))
    folder = export.export_lesson_folder(lesson, WHY, doc, tmp_path / "out", snapshots={2: shot})
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["01-why-services.yaml", "index.html", "kubernetes-objects.yaml", "step-2.png"]
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "서비스란?" in page and "Why Services" in page
    assert page.count("<h2>") == len(lesson.steps)
    assert "10초에 node-2가 다운됩니다" in page and "At 10 s node-2 goes down" in page
    assert 'src="step-2.png"' in page
    # the copied lesson is still a valid lesson
    again, _ = load_lesson(folder / "01-why-services.yaml")
    assert again.steps == lesson.steps


def test_the_comparison_lesson_exports_its_table(tmp_path):
    path = builtin_lessons()[-1]
    lesson, doc = load_lesson(path)
    page = export.lesson_html(lesson, path.name)
    assert page.count("<tr>") == 1 + len(lesson.table)
    assert "1.205 ms" in page and "외부 접속" in page
