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


def test_a_window_saved_on_a_larger_screen_comes_back_fitted_with_this_screens_arrangement(qtbot, tmp_path):
    """Saved at home on a big monitor, opened on a smaller projector: the window fits the screen (it came back
    1280x800 on 1280x720, status bar off screen) and the dock arrangement saved for the big screen is not
    restored (the canvas would be left a sliver)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication

    from desktop.mainwindow import MainWindow

    avail = QGuiApplication.primaryScreen().availableGeometry()
    settings = QSettings(str(tmp_path / "saved.ini"), QSettings.Format.IniFormat)
    big = MainWindow(deferred=True)
    qtbot.addWidget(big)
    big.setGeometry(0, 0, avail.width() + 640, avail.height() + 360)  # larger than this screen
    big.save_layout(settings)
    assert settings.value("window/screen") == f"{avail.width()}x{avail.height()}"
    settings.setValue("window/screen", f"{avail.width() + 640}x{avail.height() + 360}")  # saved on a bigger one
    settings.sync()

    w = MainWindow(deferred=True)
    qtbot.addWidget(w)
    w.restore_layout(settings)
    assert w.width() <= avail.width() and w.height() <= avail.height()
    assert not w._layout_restored  # the default arrangement for this screen follows (balance_docks)

    # a window that fitted is restored as it was, state included
    small = MainWindow(deferred=True)
    qtbot.addWidget(small)
    small.setGeometry(10, 10, avail.width() // 2, avail.height() // 2)
    fits = QSettings(str(tmp_path / "fits.ini"), QSettings.Format.IniFormat)
    small.save_layout(fits)
    fits.sync()
    again = MainWindow(deferred=True)
    qtbot.addWidget(again)
    again.restore_layout(fits)
    assert (again.width(), again.height()) == (avail.width() // 2, avail.height() // 2)
    assert again._layout_restored
