"""Exports: the canvas to PNG or SVG, the charts to PNG, metrics and the event log to CSV, the Kubernetes objects
to a manifest file, and a lesson to a self-contained folder (File → Export in the Lessons menu).

Everything here writes what the running simulation and the document already hold; nothing is recomputed.
CSV files use a header row, a dot as decimal separator and UTF-8, so spreadsheets in any locale read them.
"""

from __future__ import annotations

import csv
import html
import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene, QWidget

from core.scenario import Document, export_manifests
from desktop.lessons.model import Lesson

DROP_COLUMNS_FIRST = ("refused", "timeout_dead_endpoint", "node_down", "no_local_endpoints", "static_route_dead")


def export_canvas(scene: QGraphicsScene, path: str | Path, *, width: int = 1920,
                  background: str = "#FFFFFF") -> Path:
    """The whole picture (the scene rect) into ``path``: PNG at ``width`` pixels, or SVG (vector, same size)."""
    path = Path(path)
    rect = scene.sceneRect() if not scene.sceneRect().isEmpty() else scene.itemsBoundingRect()
    if rect.isEmpty():
        raise ValueError("the canvas is empty: nothing to export")
    rect = rect.marginsAdded(QMarginsF(16, 16, 16, 16))
    height = max(1, round(width * rect.height() / rect.width()))
    suffix = path.suffix.lower()
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator  # noqa: PLC0415

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(QSize(width, height))
        gen.setViewBox(QRectF(0, 0, width, height))
        gen.setTitle("PodPath canvas")
        painter = QPainter(gen)
        painter.fillRect(QRectF(0, 0, width, height), QColor(background))
        scene.render(painter, QRectF(0, 0, width, height), rect, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
    elif suffix == ".png":
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor(background))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, QRectF(0, 0, width, height), rect, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        if not image.save(str(path)):
            raise OSError(f"cannot write {path}")
    else:
        raise ValueError(f"{path}: the canvas exports to .png or .svg")
    return path


def export_widget_png(widget: QWidget, path: str | Path) -> Path:
    """A widget (the charts dock) as it is on screen, into a PNG."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(f"{path}: charts export to .png")
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def write_events_csv(events, path: str | Path) -> int:
    """The control-plane event log (``ClusterState.events``) as CSV: time, type, reason, object, message."""
    path = Path(path)
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["time_s", "type", "reason", "object", "message"])
        for e in events:
            w.writerow([_num(e.time), e.type, e.reason, _object_text(e), e.message])
            n += 1
    return n


def write_metrics_csv(ticks, path: str | Path) -> int:
    """Per-tick traffic figures (the ``Tick.traffic`` of each step) as CSV: one row per tick with sent,
    delivered, each drop reason, p50 latency, then delivered per pod. ``sent = delivered + Σ drops`` per row."""
    rows = [t for t in ticks if t is not None]
    reasons = sorted({r for t in rows for r in t.dropped}, key=lambda r: (r not in DROP_COLUMNS_FIRST, r))
    pods = sorted({k[1] for t in rows for k in t.endpoint_counts})
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["t0_s", "t1_s", "sent", "delivered", *(f"dropped_{r}" for r in reasons), "latency_p50_ms",
                    *(f"pod:{p}" for p in pods)])
        for t in rows:
            per_pod: dict[str, int] = {}
            for key, count in t.endpoint_counts.items():
                per_pod[key[1]] = per_pod.get(key[1], 0) + count
            lat = t.latencies_ms
            p50 = _num(float(sorted(lat)[(len(lat) - 1) // 2])) if len(lat) else ""
            w.writerow([_num(t.t0), _num(t.t1), t.sent, t.delivered, *(t.dropped.get(r, 0) for r in reasons), p50,
                        *(per_pod.get(p, 0) for p in pods)])
    return len(rows)


def write_manifests(doc: Document, path: str | Path, *, include_nodes: bool = False) -> Path:
    """What ``podpath export`` writes: only the real Kubernetes objects, ready for ``kubectl apply``."""
    path = Path(path)
    text = export_manifests(doc, include_nodes=include_nodes)
    if not text.strip():
        raise ValueError("the scenario has no Kubernetes objects to export")
    path.write_text(text, encoding="utf-8")
    return path


def export_lesson_folder(lesson: Lesson, source: Path, doc: Document, folder: str | Path, *,
                         snapshots: dict[int, Path] | None = None) -> Path:
    """A lesson as a folder that needs nothing else: the lesson file itself (open it in PodPath), the
    Kubernetes objects for a real cluster, and index.html with every step in Korean and English (questions,
    choices, answers, the comparison table), plus any step snapshots given (1-based step -> PNG)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / source.name)
    try:
        write_manifests(doc, folder / "kubernetes-objects.yaml")
    except ValueError:
        pass  # a lesson made only of PodPath kinds has nothing for kubectl
    images = {}
    for step, png in (snapshots or {}).items():
        target = folder / f"step-{step}.png"
        if Path(png).resolve() != target.resolve():
            shutil.copyfile(png, target)
        images[step] = target.name
    (folder / "index.html").write_text(lesson_html(lesson, source.name, images), encoding="utf-8")
    return folder


def lesson_html(lesson: Lesson, filename: str, images: dict[int, str] | None = None) -> str:
    """The handout: both languages side by side, one section per step."""
    images = images or {}
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="ko"><head><meta charset="utf-8">',
           f"<title>{e(lesson.title.ko)} / {e(lesson.title.en)}</title>",
           "<style>body{font-family:'Nanum Gothic','Noto Sans CJK KR',sans-serif;max-width:1100px;margin:2em auto;"
           "line-height:1.5}.row{display:grid;grid-template-columns:1fr 1fr;gap:2em}.q{color:#0072B2;font-weight:bold}"
           ".a{color:#A04000}table{border-collapse:collapse}td,th{border:1px solid #888;padding:.3em .6em}"
           "img{max-width:100%;border:1px solid #ccc}</style></head><body>",
           f'<h1>{e(lesson.title.ko)}<br><small lang="en">{e(lesson.title.en)}</small></h1>',
           f"<p>Open <code>{e(filename)}</code> in PodPath (<code>podpath {e(filename)}</code>) to play this "
           "lesson; <code>kubernetes-objects.yaml</code> holds its Kubernetes objects for a real cluster.</p>"]
    if lesson.summary:
        out.append(f'<div class="row"><p>{e(lesson.summary.ko)}</p><p lang="en">{e(lesson.summary.en)}</p></div>')
    for i, step in enumerate(lesson.steps, 1):
        out.append(f"<h2>{i}. (t = {step.until:g} s)</h2>")
        cols = []
        for lang in ("ko", "en"):
            part = []
            if step.predict:
                part.append(f'<p class="q">{e(step.predict.question.get(lang))}</p>')
                if step.predict.choices:
                    part.append("<ol type=\"A\">" + "".join(f"<li>{e(c.get(lang))}</li>"
                                                          for c in step.predict.choices) + "</ol>")
            part.append(f"<p>{e(step.caption.get(lang))}</p>")
            if step.predict:
                part.append(f'<details><summary>{"정답" if lang == "ko" else "Answer"}</summary>'
                            f'<p class="a">{e(step.predict.answer.get(lang))}</p></details>')
            cols.append(f'<div lang="{lang}">' + "".join(part) + "</div>")
        out.append('<div class="row">' + "".join(cols) + "</div>")
        if i in images:
            out.append(f'<p><img src="{e(images[i])}" alt="step {i}"></p>')
    if lesson.table:
        columns = [c.column for c in lesson.table[0].cells]
        out.append("<h2>표 / Table</h2><table><tr><th></th>" + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr>")
        for row in lesson.table:
            cells = "".join(f"<td>{e(c.value)}" + (f"<br><small>{e(c.note.ko)}<br>{e(c.note.en)}</small>" if c.note
                                                   else "") + "</td>" for c in row.cells)
            out.append(f"<tr><th>{e(row.row.ko)}<br><small>{e(row.row.en)}</small></th>{cells}</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def run_ticks(model, until: float, actions=()) -> list:
    """The traffic of every tick of a headless run to ``until`` (with the runtime actions replayed): the same
    numbers the GUI showed, since a scenario, its seed and its actions give the same run."""
    from core.engine import Simulation  # noqa: PLC0415

    sim = Simulation(model)
    for a in actions:
        sim.schedule(a)
    out = []
    tick = model.simulation.tick
    while sim.time < until - 1e-9:
        t = sim.step(min(tick, until - sim.time))
        if t.traffic is not None:
            out.append(t.traffic)
    return out


def _num(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def _object_text(e) -> str:
    obj = getattr(e, "object", None) or getattr(e, "ref", None)
    return str(obj).strip() if obj is not None else ""
