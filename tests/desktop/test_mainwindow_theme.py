"""The canvas and the charts follow a dark desktop: by its colour scheme, or where the platform does not say
(X11 without a theme plugin), by the application palette."""

from __future__ import annotations

from tests.desktop.live_helpers import DEMO


def test_a_dark_palette_without_a_colour_scheme_turns_the_canvas_and_the_charts_dark(qtbot, tmp_path):
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QPalette
    from PySide6.QtWidgets import QApplication

    from desktop.live import install
    from desktop.mainwindow import MainWindow, system_is_dark
    from desktop.style import DARK, LIGHT

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorScheme") and hints.colorScheme() != Qt.ColorScheme.Unknown:
        import pytest

        pytest.skip("this platform reports a colour scheme")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    saved = QApplication.palette()
    try:
        assert w.scene.renderer.theme is LIGHT
        dark = QPalette(saved)
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            dark.setColor(role, QColor("#202124"))
        QApplication.setPalette(dark)
        qtbot.waitUntil(lambda: w.scene.renderer.theme is DARK, timeout=3000)
        assert system_is_dark()
        # the charts beside the canvas too (they stayed white)
        assert view.charts.glw.backgroundBrush().color().name().upper() == DARK.background.upper()
        assert view.charts.share_plot.getAxis("left").textPen().color().name().upper() == DARK.text.upper()
        QApplication.setPalette(saved)
        qtbot.waitUntil(lambda: w.scene.renderer.theme is LIGHT, timeout=3000)
        assert view.charts.glw.backgroundBrush().color().name().upper() == LIGHT.background.upper()
    finally:
        QApplication.setPalette(saved)
        view.shutdown()
        w.session.undo_stack.setClean()
