"""The desktop application: QApplication, the main window on a scenario (the built-in demo by default).

Start-up order, so the window appears about as fast as a bare Qt window: the window's frame is built with Qt
alone and shown (``MainWindow(deferred=True)``); after its first paint the document model is imported and
the file opened (``complete()``, ~0.3 s: numpy, YAML, networkx), then the live view (pyqtgraph, ~0.4 s),
then the lessons.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LESSONS_AFTER_MS = 300
DEMO = Path(__file__).resolve().parent.parent / "resources" / "scenarios" / "demo.yaml"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="podpath", description="PodPath desktop application")
    parser.add_argument("file", nargs="?", help="scenario file to open (default: the built-in demo)")
    parser.add_argument("--quit-after", type=float, default=None, metavar="SECONDS",
                        help="quit after this many seconds of wall time (smoke tests)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("PodPath")
    app.setApplicationName("PodPath")
    app.setWindowIcon(QIcon(str(DEMO.parent.parent / "icons" / "podpath.svg")))
    languages = i18n.setup(app)  # the saved or the system's language, before the first paint
    window = MainWindow(deferred=True)  # the frame only: menus, toolbars, canvas, dock frames
    i18n.install(window, languages)  # View → Language
    window.restore_layout(QSettings())
    path = Path(args.file) if args.file else DEMO
    started = [False]

    def after_first_paint() -> None:
        if started[0]:
            return
        started[0] = True
        app.removeEventFilter(first_paint)
        window.complete()  # the document model and the panels
        # a crash left unsaved work behind: offer it first; otherwise open the file asked for
        if not window.offer_recovery() and not window.open_path(path, ask=False) and args.file:
            window.session.new()
        QTimer.singleShot(0, install_live_view)

    def install_live_view() -> None:
        # after the canvas has painted: the live view imports pyqtgraph (~0.4 s)
        from desktop.live import install  # noqa: PLC0415

        window.install_late("live", install)
        # the lessons are not needed for the demo to run: they load once the live view has had its first
        # frames (so a lesson still finds the live view's driver)
        QTimer.singleShot(LESSONS_AFTER_MS, install_lessons)

    def install_lessons() -> None:
        # after the live view, so a lesson drives the live view's driver
        from desktop.lessons.controller import install  # noqa: PLC0415

        window.install_late("lessons", install)

    class FirstPaint(QObject):
        """When the main window receives its first paint: the second stage, once that paint is done."""

        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
            if obj is window and event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, after_first_paint)
            return False

    first_paint = FirstPaint(window)
    app.installEventFilter(first_paint)
    window.show()
    QTimer.singleShot(500, after_first_paint)  # a platform that never paints (minimised, no screen) goes on
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
        QTimer.singleShot(int(args.quit_after * 1000) + 50, app.quit)
    return int(app.exec())

