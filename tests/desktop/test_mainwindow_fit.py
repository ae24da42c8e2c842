"""The main window with the live view (charts, events, rules, inspector) fits a 1280x720 screen that also
shows a window manager's title bar: its minimum height leaves room for one."""

from __future__ import annotations

from tests.desktop.live_helpers import DEMO


def test_window_with_live_view_fits_1280x720_with_a_title_bar(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    try:
        qtbot.wait(50)
        # 720 px less a title bar (~30 px) and a panel or taskbar (~40 px)
        assert w.minimumSizeHint().height() <= 650
        w.resize(1280, 650)
        qtbot.wait(50)
        assert w.height() == 650
        bar = w.statusBar()
        assert bar.isVisible() and bar.geometry().bottom() <= w.height() - 1
        charts = w.docks["live-charts"]
        assert charts.isVisible() and charts.geometry().bottom() < bar.geometry().top()
        assert view.charts.share_plot.getViewBox().height() >= 60  # the bars still say something
        # the side panels may shrink (their contents scroll), not vanish
        for name in ("inspector", "live-events"):
            assert w.docks[name].height() >= 90
    finally:
        view.shutdown()
        w.session.undo_stack.setClean()
