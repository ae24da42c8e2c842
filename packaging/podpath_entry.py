"""Entry point of the frozen bundle: the ``podpath`` command (desktop app and headless subcommands), plus
``--smoke LESSON [SECONDS]`` for packaging/smoke_test.py: open the lesson in the real window, run SECONDS
simulated seconds (default 10) through the lesson player, switch to Korean and back, print one line, exit 0."""

from __future__ import annotations

import sys
import time
from pathlib import Path

T0 = time.perf_counter()


def smoke(lesson: str, seconds: float) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.lessons.controller import install
    from desktop.mainwindow import MainWindow

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("PodPath")
    app.setApplicationName("PodPath-smoke")
    languages = i18n.setup(app)
    window = MainWindow()
    i18n.install(window, languages)
    window.show()
    result = {"code": 1}

    def shown() -> None:
        print(f"window shown after {time.perf_counter() - T0:.2f} s", flush=True)
        QTimer.singleShot(0, run)

    state = {"tries": 0}

    def run() -> None:
        state["lessons"] = install(window)
        state["lessons"].open_lesson(Path(lesson))
        QTimer.singleShot(0, played)

    def played() -> None:
        try:
            check()
        except BaseException as exc:  # a smoke test must end, whatever went wrong
            result["code"] = 1
            try:
                print(f"smoke FAILED: {exc!r}", file=sys.stderr, flush=True)
            finally:
                app.quit()

    def check() -> None:
        lessons = state["lessons"]
        if lessons.player is None and state["tries"] < 200:  # the player starts once the document is in
            state["tries"] += 1
            QTimer.singleShot(10, played)
            return
        if lessons.player is None or lessons.clock is None:
            print(f"smoke FAILED: {lesson} did not start a lesson", flush=True)
            app.quit()
            return
        lessons.clock.pause()
        lessons.clock.seek(seconds)
        ko = languages.set_language("ko", remember=False)
        title_ko = window.menuBar().actions()[0].text()
        languages.set_language("en", remember=False)
        ok = abs(lessons.clock.time - seconds) < 1e-6 and ko and title_ko != "&File"
        print(f"smoke {'ok' if ok else 'FAILED'}: lesson {lessons.lesson.name} at t={lessons.clock.time:.1f} s, "
              f"Korean menu {title_ko!r}, {lessons.clock.sim.state.version} state changes", flush=True)
        result["code"] = 0 if ok else 1
        lessons.close()
        window.close()
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()
    return result["code"]


def main() -> int:
    argv = sys.argv[1:]
    if argv and argv[0] == "--smoke":
        if len(argv) < 2:
            print("usage: podpath --smoke LESSON.yaml [SECONDS]", file=sys.stderr)
            return 2
        return smoke(argv[1], float(argv[2]) if len(argv) > 2 else 10.0)
    from core.cli import main as podpath

    return int(podpath(argv) or 0)


if __name__ == "__main__":
    sys.exit(main())
