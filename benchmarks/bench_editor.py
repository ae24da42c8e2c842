"""Editor benchmark (issue 9): a 100-node / 2,000-pod scenario (benchmarks/big_cluster.py) in the editor window.

Measured, as paired medians of interleaved runs, each against a bare PySide6 window and a bare canvas (a
QGraphicsView on an empty scene) in the same run:

* open: from creating the window to the first painted canvas showing the opened cluster;
* frame: one repaint of the viewport after a pan step, and after a zoom step (a zoom re-renders the static
  layer's cache, a pan within the cached margin only blits it);
* edit: one user edit's command + canvas update + repaint: moving a Service (no re-settle), changing a
  Service port (re-layout), and changing a Deployment's replicas (the cluster settles again).

Not a test: run ``python benchmarks/bench_editor.py`` (``--quick`` for a 12-node cluster while developing).
Use ``QT_QPA_PLATFORM=offscreen`` or a display (Xvfb); numbers differ between the two.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from big_cluster import generate  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QMainWindow  # noqa: E402


class _Painted(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _until_painted(app: QApplication, widget, timeout: float = 60.0) -> None:
    spy = _Painted()
    widget.installEventFilter(spy)
    end = time.perf_counter() + timeout
    while spy.count == 0 and time.perf_counter() < end:
        app.processEvents()
    widget.removeEventFilter(spy)


def bare_window(app: QApplication) -> float:
    t = time.perf_counter()
    w = QMainWindow()
    w.resize(1920, 1080)
    w.show()
    _until_painted(app, w)
    dt = time.perf_counter() - t
    w.close()
    w.deleteLater()
    app.processEvents()
    return dt


def bare_canvas(app: QApplication) -> tuple[float, QGraphicsView]:
    t = time.perf_counter()
    scene = QGraphicsScene()
    view = QGraphicsView(scene)
    view.resize(1920, 1080)
    view.show()
    _until_painted(app, view.viewport())
    return time.perf_counter() - t, view


def editor_open(app: QApplication, path: Path):
    from desktop.mainwindow import MainWindow

    t = time.perf_counter()
    w = MainWindow()
    w.resize(1920, 1080)
    w.show()
    w.open_path(path, ask=False)
    w.view.fit()
    _until_painted(app, w.view.viewport())
    return time.perf_counter() - t, w


def repaint_ms(view, step) -> float:
    step()
    t = time.perf_counter()
    view.viewport().repaint()
    return (time.perf_counter() - t) * 1000.0


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a 12-node / 96-pod cluster and fewer runs")
    ap.add_argument("--pairs", type=int, default=None, help="interleaved runs (default 5, quick 2)")
    args = ap.parse_args()
    pairs = args.pairs or (2 if args.quick else 5)
    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("PodPathBench")
    app.setApplicationName("PodPathBench")
    text = generate(12, 4, 24) if args.quick else generate(100, 20, 100)
    tmp = Path(tempfile.mkdtemp(prefix="podpath-bench-"))
    path = tmp / "big.yaml"
    path.write_text(text, encoding="utf-8")
    from desktop.mainwindow import MainWindow  # noqa: F401  (import cost outside the timings)

    opened, bare_w, bare_c = [], [], []
    pan, zoom, base_frame = [], [], []
    move_edit, field_edit, replica_edit = [], [], []
    for i in range(pairs):
        bare_w.append(bare_window(app))
        dt, view = bare_canvas(app)
        bare_c.append(dt)
        for _ in range(20):
            base_frame.append(repaint_ms(view, lambda: None))
        view.close()
        dt, w = editor_open(app, path)
        opened.append(dt)
        pods = len(w.scene.picture.pods)
        # frames: pan steps within the cache, zoom steps in and out
        for k in range(20):
            pan.append(repaint_ms(w.view, lambda k=k, w=w: w.view.pan(8 if k % 2 else -8, 4)))
        for k in range(10):
            zoom.append(repaint_ms(w.view, lambda k=k, w=w: w.view.zoom_by(1.25 if k % 2 == 0 else 0.8)))
        # edits
        from core.model import ObjectRef

        svc = ObjectRef("Service", "default", "svc-1")
        dep = ObjectRef("Deployment", "default", "app-1")
        replicas = w.session.document.get(dep)["spec"]["replicas"]
        for k in range(3):
            t = time.perf_counter()
            w.editor.move({svc: (100.0 + 10 * k + i, 50.0)})
            w.view.viewport().repaint()
            move_edit.append((time.perf_counter() - t) * 1000.0)
            t = time.perf_counter()
            w.editor.set_field(svc, "spec.ports[0].port", 81 + k + 10 * i)
            w.view.viewport().repaint()
            field_edit.append((time.perf_counter() - t) * 1000.0)
        t = time.perf_counter()
        w.editor.set_field(dep, "spec.replicas", replicas - 1 - i)
        w.view.viewport().repaint()
        replica_edit.append((time.perf_counter() - t) * 1000.0)
        w.answers = []
        w.ask = lambda *a: __import__("PySide6.QtWidgets").QtWidgets.QMessageBox.StandardButton.Discard
        w.close()
        w.session.stop()
        w.deleteLater()
        app.processEvents()
    size = "12-node / 96-pod (quick)" if args.quick else "100-node / 2,000-pod"
    print(f"editor benchmark, {size} scenario ({pods} pods drawn), {pairs} interleaved runs, "
          f"platform {app.platformName()}")
    print(f"  open to first painted canvas: {med(opened) * 1000:8.1f} ms   bare window {med(bare_w) * 1000:6.1f} ms "
          f"(x{med(opened) / med(bare_w):.1f})   bare canvas {med(bare_c) * 1000:6.1f} ms "
          f"(x{med(opened) / med(bare_c):.1f})")
    b = med(base_frame)
    print(f"  frame, bare canvas repaint:   {b:8.2f} ms")
    print(f"  frame after a pan step:       {med(pan):8.2f} ms (x{med(pan) / b:.1f} the bare canvas)"
          f"   p95 {sorted(pan)[int(0.95 * (len(pan) - 1))]:.2f} ms")
    print(f"  frame after a zoom step:      {med(zoom):8.2f} ms (x{med(zoom) / b:.1f}; re-renders the cache)")
    print(f"  edit: move a Service:         {med(move_edit):8.1f} ms (x{med(move_edit) / b:.0f} a bare frame)")
    print(f"  edit: change a Service port:  {med(field_edit):8.1f} ms")
    print(f"  edit: change replicas:        {med(replica_edit):8.1f} ms (the cluster settles again)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
