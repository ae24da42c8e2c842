"""The desktop application: QApplication, the main window on a scenario (the built-in demo by default).

The window is shown first and everything its first frame does not need (pyqtgraph, the live view) is
installed after the first paint, so the window appears about as fast as a bare Qt window.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "resources" / "scenarios" / "demo.yaml"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="podpath", description="PodPath desktop application")
    parser.add_argument("file", nargs="?", help="scenario file to open (default: the built-in demo)")
    parser.add_argument("--quit-after", type=float, default=None, metavar="SECONDS",
                        help="quit after this many seconds of wall time (smoke tests)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("PodPath")
    app.setApplicationName("PodPath")
    app.setWindowIcon(QIcon(str(DEMO.parent.parent / "icons" / "podpath.svg")))
    languages = i18n.setup(app)  # the saved or the system's language, before the first paint
    window = MainWindow()
    i18n.install(window, languages)  # View → Language
    window.restore_layout(QSettings())
    window.show()
    path = Path(args.file) if args.file else DEMO

    def after_first_paint() -> None:
        # a crash left unsaved work behind: offer it first; otherwise open the file asked for
        if not window.offer_recovery() and not window.open_path(path, ask=False) and args.file:
            window.session.new()
        QTimer.singleShot(0, install_live_view)

    def install_live_view() -> None:
        # after the canvas has painted: the live view imports pyqtgraph (~0.4 s)
        from desktop.live import install  # noqa: PLC0415

        window.install_late("live", install)
        QTimer.singleShot(0, install_lessons)

    def install_lessons() -> None:
        # after the live view, so a lesson drives the live view's driver
        from desktop.lessons.controller import install  # noqa: PLC0415

        window.install_late("lessons", install)

    QTimer.singleShot(0, after_first_paint)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
        QTimer.singleShot(int(args.quit_after * 1000) + 50, app.quit)
    return int(app.exec())
