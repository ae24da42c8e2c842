"""Desktop test setup: settings and recovery files in a temporary home, and no test may leave a QTimer running.

The dangling-timer check follows napari's ``_dangling_qtimers`` fixture (napari/conftest.py): ``QTimer.start``
and ``QTimer.singleShot`` are wrapped while a test runs; a timer still active (or a single-shot still
pending) when the test ends fails it, because a timer that outlives its test fires into the next one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

_HOME = tempfile.mkdtemp(prefix="podpath-desktop-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")


@pytest.fixture(autouse=True)
def _dangling_qtimers(request):
    from PySide6.QtCore import QCoreApplication, QTimer

    started: list = []
    pending = [0]
    orig_start = QTimer.start
    orig_single = QTimer.singleShot

    def start(self, *args):
        started.append(self)
        return orig_start(self, *args)

    def single_shot(*args):
        args = list(args)
        if args and callable(args[-1]) and not isinstance(args[-1], QTimer):
            fn = args[-1]
            pending[0] += 1

            def fired(fn=fn):
                pending[0] -= 1
                fn()

            args[-1] = fired
        return orig_single(*args)

    QTimer.start = start
    QTimer.singleShot = staticmethod(single_shot)
    try:
        yield
    finally:
        QTimer.start = orig_start
        QTimer.singleShot = staticmethod(orig_single)
    app = QCoreApplication.instance()
    deadline = time.monotonic() + 0.5
    while pending[0] > 0 and app is not None and time.monotonic() < deadline:
        app.processEvents()  # zero-delay single shots posted at the end of the test may still run
        time.sleep(0.005)
    active = []
    for t in started:
        try:
            if t.isActive():
                active.append(t.objectName() or repr(t))
        except RuntimeError:  # deleted with its parent: fine
            pass
    if active or pending[0] > 0:
        pytest.fail(f"{request.node.nodeid} left {len(active)} QTimer(s) running ({', '.join(active)}) and "
                    f"{max(pending[0], 0)} single-shot(s) pending", pytrace=False)


@pytest.fixture
def org(qapp):
    """An application name for QSettings / QStandardPaths inside the temporary home."""
    qapp.setOrganizationName("PodPathTest")
    qapp.setApplicationName("PodPathTest")
    return qapp


@pytest.fixture
def editor_window(org, qtbot, tmp_path):
    """A MainWindow on a copy of the demo (so saves never touch resources/), closed without questions."""
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from desktop.mainwindow import MainWindow

    demo = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"
    path = tmp_path / "demo.yaml"
    # the demo without stored positions: the automatic layout, so no test depends on hand-placed boxes
    path.write_text("".join(line for line in demo.read_text(encoding="utf-8").splitlines(keepends=True)
                            if "podpath.dev/position" not in line), encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.open_path(path, ask=False)
    window.asked = []

    def ask(title, text, buttons, default):
        window.asked.append(title)
        return window.answers.pop(0) if window.answers else QMessageBox.StandardButton.Discard

    window.answers = []
    window.ask = ask
    window.tell = lambda title, text, detail="": window.asked.append(title)
    yield window
    window.answers = [QMessageBox.StandardButton.Discard]
    window.close()
    window.session.stop()


@pytest.fixture
def qm_dir(tmp_path, monkeypatch):
    """The .qm files compiled from the committed .ts sources, as tools/setup.sh builds them, with the .ts
    catalogues of the runtime retranslation beside them (as the bundle ships them)."""
    root = Path(__file__).resolve().parents[2]
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for lang in ("ko", "en"):
        ts = root / f"resources/translations/podpath_{lang}.ts"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(tmp_path / f"podpath_{lang}.qm")], check=True)
        (tmp_path / f"podpath_{lang}.ts").write_bytes(ts.read_bytes())
    monkeypatch.setenv("PODPATH_TRANSLATIONS", str(tmp_path))
    return tmp_path
