"""Shared by the live-view tests: the demo model, a headless reference run, a state fingerprint."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

from core.engine import Simulation
from core.scenario import load_model

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "scenarios" / "demo.yaml"


def demo_model():
    return load_model(DEMO)


def fingerprint(sim) -> str:
    """Everything a viewer sees of a run at one instant: pods, nodes, events, per-endpoint counts, drops."""
    st = sim.state
    plane = sim.dataplane
    return json.dumps({
        "time": round(st.time, 9),
        "pods": sorted((p.namespace, p.name, p.node, p.ip, p.phase, p.ready, p.terminating) for p in st.pods.values()),
        "nodes": sorted((n.name, n.ready, n.up, n.unschedulable) for n in st.nodes.values()),
        "events": [e.as_dict() for e in st.events],
        "sent": plane.metrics.sent, "delivered": plane.metrics.delivered,
        "dropped": sorted(plane.metrics.dropped.items()),
        "counts": sorted((list(k), v) for k, v in plane.metrics.endpoint_counts.items()),
    }, sort_keys=True, default=str)


def headless(model, until: float, seed=None):
    sim = Simulation(model, seed)
    sim.run(until)
    return sim


@contextmanager
def live_demo(qtbot, tmp_path, size=(1600, 1000)):
    """The main window (settings under ``tmp_path``) with the demo open and the live view installed: yields
    the LiveView, and shuts it down after."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from PySide6.QtWidgets import QMessageBox

    from desktop.live import install
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    w.ask = lambda *_a, **_k: QMessageBox.StandardButton.Discard  # closing never waits on a modal question
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    try:
        yield view
    finally:
        view.shutdown()
        w.session.undo_stack.setClean()
