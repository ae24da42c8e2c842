"""Crash recovery: a real PodPath process with unsaved changes is killed (SIGKILL, no chance to clean up);
the next start offers its recovery file and restoring gives back the unsaved document, still marked modified
and still belonging to the original file."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core.model import ObjectRef
from core.scenario.files import load_document
from desktop.editor.session import pending_recoveries

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
app.setOrganizationName("PodPathTest"); app.setApplicationName("PodPathTest")
from desktop.mainwindow import MainWindow
w = MainWindow()
w.show()
assert w.open_path(sys.argv[1], ask=False)
w.editor.create("node")
w.editor.set_field(w.session.document.refs()[-1], 'metadata.labels["topology.kubernetes.io/zone"]', "zone-c")
w.session.autosave_interval_ms = 200  # the minute's autosave, sooner
w.session._autosave.start(200)
from PySide6.QtCore import QTimer
QTimer.singleShot(600, lambda: (print("READY", flush=True)))
app.exec()
"""


def test_killed_process_leaves_work_that_the_next_start_restores(org, qtbot, tmp_path):
    scenario = tmp_path / "demo.yaml"
    scenario.write_text((ROOT / "resources/scenarios/demo.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(scenario)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY", proc.stderr.read()
        found = pending_recoveries()
        assert not found  # the writer is alive: its file is not offered to anyone else
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    found = pending_recoveries()
    assert len(found) == 1
    assert load_document(scenario).objects() == load_document(ROOT / "resources/scenarios/demo.yaml").objects()

    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    asked = []
    w.ask = lambda title, text, buttons, default: (asked.append(text), QMessageBox.StandardButton.Yes)[1]
    assert w.offer_recovery()
    assert str(scenario) in asked[0]
    doc = w.session.document
    node = doc.get(ObjectRef("Node", "", "node-4"))
    assert node["metadata"]["labels"]["topology.kubernetes.io/zone"] == "zone-c"
    assert w.session.path == scenario and w.isWindowModified()
    assert pending_recoveries() == []  # restored: the recovery file is gone (a new one appears at the next autosave)
    # saving writes the recovered work into the original file
    assert w.file_save()
    assert ObjectRef("Node", "", "node-4") in load_document(scenario)
    w.close()
    w.session.stop()


def test_a_clean_close_leaves_no_recovery_file(org, qtbot, tmp_path):
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.session.open_text("apiVersion: v1\nkind: Node\nmetadata: {name: a}\n", "x.yaml")
    w.editor.create("client")
    assert w.session.autosave() is not None
    assert w.session.recovery_file().exists()
    w.ask = lambda *a: QMessageBox.StandardButton.Discard
    assert w.close()
    assert not w.session.recovery_file().exists()
    w.session.stop()


def test_a_killed_process_not_yet_reaped_is_dead_for_recovery(org, tmp_path):
    """kill -9 leaves a zombie until the parent reaps it (an init that reaps late): ``kill(pid, 0)`` still
    succeeds, and the next start used to think the writer alive and not offer its work (seen under Xvfb)."""
    import json
    import time

    from desktop.editor.session import recovery_dir

    proc = subprocess.Popen(["sleep", "60"])
    try:
        folder = recovery_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{proc.pid}-1.yaml").write_text("apiVersion: v1\nkind: Node\nmetadata: {name: a}\n")
        (folder / f"{proc.pid}-1.json").write_text(json.dumps({"path": "", "saved": 0, "pid": proc.pid}))
        assert pending_recoveries() == []  # the writer is alive
        proc.send_signal(signal.SIGKILL)
        stat = Path(f"/proc/{proc.pid}/stat")
        end = time.monotonic() + 10
        while ") Z " not in stat.read_text() and time.monotonic() < end:  # dead, not reaped: a zombie
            time.sleep(0.01)
        assert ") Z " in stat.read_text()
        assert [p.name for p in pending_recoveries()] == [f"{proc.pid}-1.yaml"]
    finally:
        proc.kill()
        proc.wait()
        for p in recovery_dir().glob(f"{proc.pid}-1.*"):
            p.unlink()
