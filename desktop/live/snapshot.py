"""Render the live view at a simulated time without a screen: the canvas with packets in flight and the
charts, into a PNG or an SVG (``podpath snapshot``)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication

LEAD_IN = 2.0  # simulated seconds of packets fed before the snapshot, so some are in flight at ``at``


def render_snapshot(path: str | Path, at: float, out: str | Path, size: tuple[int, int] = (1280, 720),
                    seed: int | None = None, lang: str = "en", layout: dict | None = None) -> tuple[int, int]:
    """Open ``path`` in an offscreen main window, run to ``at`` and write ``out`` (.png or .svg) of ``size``:
    the live view composed as a slide (``paint_slide``). Returns the image size; ``layout``, when given, is
    filled with where each part went and what was drawn (tests). Raises ScenarioError / OSError / ValueError
    with a message for the user."""
    out = Path(out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"-o {out}: the output must end in .png or .svg")
    from PySide6.QtCore import QRect, QSettings, QSize
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
        if view.charts is not None:  # the charts' markers at node events and mode switches, as a live run has them
            for e in run.state.events:
                if e.object.startswith("node/") and e.reason in ("NodeNotReady", "NodeReady") and e.time <= at:
                    view.charts.add_marker(e.time, f"{e.object[5:]} {e.reason[4:]}")
            for ev in list(run.sim.model.timeline) + list(run.actions):
                if ev.action in ("setProxyMode", "setIPVSScheduler") and ev.at <= at:
                    view.charts.add_marker(ev.at, view.controls.marker_text(ev.action, ev.value))
        view.layer.set_clock(run.time)
        view.show_state(force=True)
        view._fill_events()  # the control-plane log up to ``at``
        view.layer.set_labels(view.node_notes())  # "NotReady · evicting in N s", kube-proxy lag, on the nodes
        view.refresh_text()
        if view.charts is not None:
            view.charts.update_from(run, force=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            gen = QSvgGenerator()
            gen.setFileName(str(out))
            gen.setSize(QSize(w, h))
            gen.setViewBox(QRect(0, 0, w, h))
            gen.setTitle("PodPath")
            painter = QPainter(gen)
            drawn = paint_slide(painter, view, w, h, Path(path).name)
            painter.end()
        else:
            image = QImage(w, h, QImage.Format.Format_ARGB32)
            image.fill(0xFFFFFFFF)
            painter = QPainter(image)
            drawn = paint_slide(painter, view, w, h, Path(path).name)
            painter.end()
            if not image.save(str(out)):
                raise OSError(f"cannot write {out}")
        if layout is not None:
            layout.update(drawn)
            layout["packets"] = [(float(x), float(y), int(u)) for (x, y), u in
                                 zip(view.layer._hit_pos.tolist(), view.layer._hit_uid.tolist())]
            layout["styles"] = {int(u): int(st) for u, st in zip(view.layer.uid.tolist(), view.layer.style.tolist())}
            if view.charts is not None:
                from desktop.style import endpoint_style

                layout["chart_colours"] = [endpoint_style(view.colours.of(p))[0] for p in view.charts._pods]
        return w, h
    finally:
        window.session.undo_stack.setClean()
        if lang != "en":
            languages.set_language("en", remember=False)
        window.close()
        window.deleteLater()
        app.processEvents()


# -- the slide --------------------------------------------------------------------------------------------
# Laid out for a 1280 x 720 slide and scaled with the image, so 1920 x 1080 is the same picture, sharper. The
# cluster gets most of the image (the demo's 2,200 x 900 scene units at half size: pod names readable), a
# narrow column beside it the legend and the newest events, and a strip below the balance charts.
HEADER_H = 32  # the title line: file, time, the modes in force
CHARTS_FRACTION = 0.29  # the charts strip under the canvas
SIDE_FRACTION = 0.17  # the legend and the newest events, beside the canvas
CANVAS_PAD = 16.0  # scene units around the cluster's content


def tr(text: str) -> str:
    return QCoreApplication.translate("Snapshot", text)


def slide_layout(w: int, h: int) -> dict:
    """Where each part of the slide goes, in image pixels: ``header``, ``canvas`` (the area the cluster is
    fitted into), ``side`` (legend, then events) and ``charts``. ``scale``: the slide relative to 1280 x 720."""
    from PySide6.QtCore import QRectF

    scale = min(w / 1280.0, h / 720.0)
    header = QRectF(0, 0, w, round(HEADER_H * scale))
    charts_h = round(h * CHARTS_FRACTION)
    side_w = round(w * SIDE_FRACTION) if w >= 640 else 0
    top = header.bottom()
    return {"scale": scale, "header": header,
            "canvas": QRectF(0, top, w - side_w, h - charts_h - top),
            "side": QRectF(w - side_w, top, side_w, h - charts_h - top),
            "charts": QRectF(0, h - charts_h, w, charts_h)}


def content_rect(picture):
    """The part of the scene with something in it: every box and pod and the cluster's boundary, padded (the
    picture's own bounds keep a wide margin for editing)."""
    rect = picture.cluster_rect
    for b in picture.boxes.values():
        rect = rect.united(b.rect) if not rect.isEmpty() else b.rect
    for pb in picture.pods.values():
        rect = rect.united(pb.rect)
    if rect.isEmpty():
        return picture.bounds
    return rect.adjusted(-CANVAS_PAD, -CANVAS_PAD, CANVAS_PAD, CANVAS_PAD)


def paint_slide(painter, view, w: int, h: int, title: str) -> dict:
    """Paint the live view as a slide: a title line with the time and the modes in force; the cluster fitted
    to most of the image with the packets in flight and the notes on nodes; the legend and the newest events
    beside it; the balance charts as a strip below. Returns the layout (rects in image pixels; ``drawn``:
    where the cluster went, ``fit``: image pixels per scene unit)."""
    from PySide6.QtCore import QPoint, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop.panels.events import format_time

    lay = slide_layout(w, h)
    k = lay["scale"]
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)
    painter.setRenderHint(painter.RenderHint.TextAntialiasing, True)
    painter.fillRect(QRectF(0, 0, w, h), QColor("#FFFFFF"))
    # -- title line
    head = lay["header"]
    painter.fillRect(head, QColor("#1F2A44"))
    run = view.run
    mode, ipvs, sched, preset = view.controls.in_force()
    minutes, seconds = divmod(max(run.time, 0.0), 60.0)
    clock = f"t = {int(minutes)}:{seconds:04.1f}"
    proxy = f"{mode} ({ipvs})" if mode == "ipvs" else mode
    bold = QFont()
    bold.setPixelSize(max(10, round(16 * k)))
    bold.setBold(True)
    plain = QFont(bold)
    plain.setBold(False)
    painter.setPen(QColor("#FFFFFF"))
    painter.setFont(bold)
    pad = 12 * k
    painter.drawText(head.adjusted(pad, 0, -pad, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     f"PodPath · {title}")
    painter.setFont(plain)
    painter.drawText(head.adjusted(pad, 0, -pad, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                     tr("{0}   ·   kube-proxy {1}   ·   scheduler {2}   ·   timing {3}").format(
                         clock, proxy, sched, preset))
    # -- the cluster, fitted (packets in flight and the notes on nodes are drawn by the packet layer)
    area = lay["canvas"].adjusted(6 * k, 6 * k, -6 * k, -6 * k)
    scene = view.window.scene
    source = content_rect(scene.picture)
    fit = min(area.width() / max(source.width(), 1.0), area.height() / max(source.height(), 1.0))
    drawn = QRectF(0, 0, source.width() * fit, source.height() * fit)
    drawn.moveCenter(area.center())
    scene.clearSelection()
    background = scene.backgroundBrush()
    painter.fillRect(drawn, background)
    layer = scene.layer
    layer.render_to(painter, drawn, source)  # the cluster drawn directly: vector in an SVG, no cached pixmap
    layer.setVisible(False)
    scene.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
    try:
        scene.render(painter, drawn, source, Qt.AspectRatioMode.KeepAspectRatio)  # packets, notes, selection
    finally:
        layer.setVisible(True)
        scene.setBackgroundBrush(background)
    lay["drawn"], lay["fit"], lay["source"] = drawn, fit, source
    # -- beside it: the legend (laid out at the 720p size, drawn scaled), then the newest events
    side = lay["side"]
    if side.width() > 0:
        painter.fillRect(side, QColor("#F4F6F8"))
        painter.setPen(QPen(QColor("#C9D1D9"), 1))
        painter.drawLine(side.topLeft(), side.bottomLeft())
        legend = view.legend
        legend.relayout(int(side.width() / k))
        painter.save()
        painter.translate(side.left(), side.top())
        painter.scale(k, k)
        QWidget.render(legend, painter, QPoint(0, 0))
        painter.restore()
        small = QFont()
        small.setPixelSize(max(8, round(11 * k)))
        sbold = QFont(small)
        sbold.setBold(True)
        fm = QFontMetricsF(small)
        row = fm.height() * 1.05
        inner = side.adjusted(6 * k, legend.height() * k + 6 * k, -6 * k, -4 * k)
        painter.setFont(sbold)
        painter.setPen(QColor("#111111"))
        painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), row * 1.2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, tr("Events"))
        lines = []
        for ev in view.events.visible_events():
            where = ev.where.split("/")[-1].split(" ")[-1]
            alarm = ev.kind == "drop" or any(w_ in ev.text for w_ in ("NotReady", "Failed", "Killing", "Evict"))
            text = view.events.display_text(ev)[0]  # in words and in the snapshot's language, as the panel shows it
            lines.append((format_time(ev.time), f"{where}: {text}", "#B84A00" if alarm else "#222222"))
        room = max(0, int((inner.height() - row * 1.3) // (row * 2)))
        shown = lines[-room:] if room else []  # the newest, newest last (as the Events panel follows them)
        y = inner.top() + row * 1.3
        for when, text, colour in shown:
            painter.setFont(sbold)
            painter.setPen(QColor("#5B6770"))
            painter.drawText(QRectF(inner.left(), y, inner.width(), row), Qt.AlignmentFlag.AlignLeft, when)
            painter.setFont(small)
            painter.setPen(QColor(colour))
            painter.drawText(QRectF(inner.left() + 6 * k, y + row, inner.width() - 6 * k, row),
                             Qt.AlignmentFlag.AlignLeft,
                             fm.elidedText(text, Qt.TextElideMode.ElideRight, inner.width() - 6 * k))
            y += row * 2
        lay["events_shown"] = shown
    # -- the charts strip: the balance page, laid out at the 720p size and drawn scaled
    charts = getattr(view, "charts", None)
    strip = lay["charts"]
    painter.setPen(QPen(QColor("#C9D1D9"), 1))
    painter.drawLine(strip.topLeft(), strip.topRight())
    if charts is not None:
        glw = charts.glw
        glw.setParent(None)  # out of the dock's tab page: the snapshot lays it out at its own size
        glw.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        glw.resize(int(strip.width() / k), int((strip.height() - 4 * k) / k))
        glw.show()
        charts.update_from(run, force=True)
        for _ in range(2):
            QApplication.processEvents()
        painter.save()
        painter.translate(strip.left(), strip.top() + 4 * k)
        painter.scale(k, k)
        QWidget.render(glw, painter, QPoint(0, 0))  # the widget, not QGraphicsView.render (its scene only)
        painter.restore()
    return lay
