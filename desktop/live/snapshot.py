"""Render the live view at a simulated time without a screen: the canvas with packets in flight and the
charts, into a PNG or an SVG (``podpath snapshot``)."""

from __future__ import annotations

import os
from pathlib import Path

LEAD_IN = 2.0  # simulated seconds of packets fed before the snapshot, so some are in flight at ``at``


def render_snapshot(path: str | Path, at: float, out: str | Path, size: tuple[int, int] = (1280, 720),
                    seed: int | None = None, lang: str = "en") -> tuple[int, int]:
    """Open ``path`` in an offscreen main window of ``size``, run to ``at`` and write ``out`` (.png or .svg).
    Returns the image size. Raises ScenarioError / OSError / ValueError with a message for the user."""
    out = Path(out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"-o {out}: the output must end in .png or .svg")
    from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed, and the same picture on any machine
    app = QApplication.instance() or QApplication(["podpath-snapshot"])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    from desktop import i18n
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    i18n.load_bundled_fonts()
    languages = i18n.Languages(app)
    languages.set_language(lang, remember=False)  # --lang ko|en (ValueError for anything else)
    window = MainWindow()
    try:
        w, h = size
        window.setMinimumSize(QSize(1, 1))
        window.resize(w, h)
        window.show()
        window.session.open(Path(path))
        if window.session.model is None:
            from core.scenario.errors import ScenarioError

            raise ScenarioError(list(window.session.diagnostics))
        view = window.install_late("live", install)
        if seed is not None:
            view.seed = seed
            view.rebuild()
        view.driver.stop()  # the picture is of simulated time, not of the wall clock
        for name, dock in window.docks.items():
            dock.setVisible(name in ("live-charts", "live-events"))
        run = view.run
        run.seek(max(0.0, at - LEAD_IN))
        view.show_state(force=True)
        for frame in run.run_to(at):
            view.feed.add_frame(frame, wall_now=frame.time - frame.dt, speed=1.0, step_mode=False)
        view.layer.set_clock(run.time)
        view.show_state(force=True)
        view.refresh_text()
        if view.charts is not None:
            view.charts.update_from(run, force=True)
        window.docks["live-charts"].raise_()
        window.resizeDocks([window.docks["live-charts"]], [int(h * 0.36)], Qt.Orientation.Vertical)
        window.resizeDocks([window.docks["live-events"]], [int(w * 0.24)], Qt.Orientation.Horizontal)
        for _ in range(3):
            app.processEvents()
        fit = getattr(window.view, "fit", None)
        if callable(fit):
            fit()
        view._place_legend()
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            gen = QSvgGenerator()
            gen.setFileName(str(out))
            gen.setSize(QSize(w, h))
            gen.setViewBox(QRect(0, 0, w, h))
            gen.setTitle("PodPath")
            painter = QPainter(gen)
            window.render(painter, QPoint(0, 0))
            painter.end()
        else:
            image = QImage(w, h, QImage.Format.Format_ARGB32)
            image.fill(0xFFFFFFFF)
            painter = QPainter(image)
            window.render(painter, QPoint(0, 0))
            painter.end()
            if not image.save(str(out)):
                raise OSError(f"cannot write {out}")
        return w, h
    finally:
        window.session.undo_stack.setClean()
        if lang != "en":
            languages.set_language("en", remember=False)
        window.close()
        window.deleteLater()
        app.processEvents()
