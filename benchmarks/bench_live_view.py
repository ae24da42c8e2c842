"""Live view frame time with packets in flight and the charts live; launch to first paint; demo live in 1 s.

    DISPLAY=:56 .venv/bin/python benchmarks/bench_live_view.py [--quick] [--frames N] [--pairs P] [--playing]

Frame time (issue 10 targets, median and 95th percentile, on a 100-node / 2,000-pod canvas in a
1920x1080 window): one frame = what the 16 ms paint timer does while playing (move every packet, redraw the charts at their
10 Hz cadence with ``setData``, follow the cluster state) and the event loop painting what changed; the 50 ms
simulation timer's step is timed apart. Configurations, interleaved frame by frame in the same run:

* ``base``: the same canvas and live charts, no packets (the ratio's base);
* ``2k``: 2,000 packets in flight (target <= 6 ms median, <= 10 ms p95);
* ``20k``: 20,000 packets in flight (target <= 10 ms median, <= 16 ms p95).

While playing (``--playing``; ``--no-frames --no-startup`` for that alone): what a user gets with the real
timers and event loop -- the intervals between consecutive paint-timer shots and canvas repaints (median,
p95, share later than 16.7 / 33.3 ms) at 1x and 10x, the driver stepping the core in its worker thread and
on the GUI thread (the synchronous driver) interleaved, with a paused reference; each step split into core /
adapter / GUI handling, chart redraws per second, the speed achieved. ``--play-fail node-7`` plays a node
failure (the cluster state changing every second); ``--profile`` cProfiles 30 steps.

Startup, as separate processes (paired, interleaved): a bare PySide6 QMainWindow to its first paint, against
``podpath`` on the demo to its first painted window (target <= 2x: the window's frame — menus, toolbars, the
empty canvas and dock frames — is what paints first, see desktop/app.py), to the demo on the canvas, and to
the demo *fully live* (live view installed, charts up, play pressed and the first packets painted; target
<= 1 s). Launches share a bytecode cache, as an installed app has one (see ``startup_bench``).

Beside each wall-clock figure the bench prints the load average and the GUI thread's CPU time per frame: the
machine's two cores are often shared, and a wall-clock p95 under load measures the other processes too.

Run it under Xvfb at 1920x1080 (``Xvfb :56 -screen 0 1920x1080x24``); offscreen works too but is not the
target platform. Paired medians of interleaved runs, never best-of.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEMO = ROOT / "resources" / "scenarios" / "demo.yaml"


def big_scenario(nodes: int = 100, deployments: int = 20, replicas: int = 100) -> str:
    """A scenario YAML: ``nodes`` nodes in 4 zones, ``deployments`` Deployments x ``replicas`` pods, one
    ClusterIP Service each, one internal client per Deployment sending to it."""
    docs = ["apiVersion: podpath.dev/v1alpha1\nkind: Simulation\nmetadata: {name: big}\nspec: {seed: 7, tick: 0.1, "
            "preset: classroom}\n"]
    for i in range(nodes):
        docs.append(f"apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i + 1}\n  labels: "
                    f"{{topology.kubernetes.io/zone: zone-{'abcd'[i % 4]}}}\nstatus:\n  capacity: "
                    f"{{cpu: '16', memory: 64Gi, pods: '110'}}\n")
    for d in range(deployments):
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{d}}}\nspec:\n  replicas: "
                    f"{replicas}\n  selector: {{matchLabels: {{app: app-{d}}}}}\n  template:\n    metadata: "
                    f"{{labels: {{app: app-{d}}}}}\n    spec:\n      containers:\n      - name: c\n        image: "
                    f"nginx\n        ports: [{{containerPort: 8080}}]\n        resources: {{requests: {{cpu: 10m, "
                    f"memory: 16Mi}}}}\n")
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{d}}}\nspec:\n  selector: {{app: "
                    f"app-{d}}}\n  ports: [{{port: 80, targetPort: 8080}}]\n")
        docs.append(f"apiVersion: podpath.dev/v1alpha1\nkind: Client\nmetadata: {{name: client-{d}}}\nspec: "
                    f"{{location: internal, node: node-{d % nodes + 1}}}\n")
        docs.append(f"apiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {{name: t-{d}}}\nspec: "
                    f"{{client: client-{d}, target: 'svc-{d}.default.svc.cluster.local:80', rate: 50}}\n")
    return "---\n".join(docs)


def pctl(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


# ------------------------------------------------------------------------------------------------ frames
def frame_bench(frames: int, quick: bool) -> dict[str, list[float]]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["bench"])
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/podpath-bench-settings")
    from core.model import ObjectRef
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    window = MainWindow()
    window.resize(1920, 1080)
    window.show()
    text = big_scenario(20 if quick else 100, 4 if quick else 20, 50 if quick else 100)
    t0 = time.perf_counter()
    window.session.open_text(text, "big.yaml")
    for _ in range(5):
        app.processEvents()
    print(f"opened the {'quick' if quick else '100-node / 2,000-pod'} scenario in {time.perf_counter() - t0:.2f} s")
    view = window.install_late("live", install)
    view.driver.stop()  # frames are driven here, synchronously
    run = view.run
    t0 = time.perf_counter()
    run.run_to(20.0)
    print(f"simulated 20 s in {time.perf_counter() - t0:.2f} s; {len(run.state.pods)} pods")
    view.show_state(force=True)
    view.refresh_text()
    view.charts.set_services(run.balanced_services(), prefer=ObjectRef("Service", "default", "svc-0"))
    fit = getattr(window.view, "fit", None)
    for _ in range(5):
        app.processEvents()
    if callable(fit):
        fit()
    app.processEvents()
    # anchors of every pod and node: packets travel between random pairs, slowly, so all stay in flight
    refs = [ObjectRef("Pod", p.namespace, p.name) for p in run.state.pods.values()]
    pts = [view.resolve(r) for r in refs]
    pts = np.array([(p.x(), p.y()) for p in pts if p is not None])
    rng = np.random.default_rng(1)
    layer = view.layer

    def fill(n: int) -> None:
        view.feed.clear()
        if n == 0:
            return
        a = pts[rng.integers(len(pts), size=n)]
        b = pts[rng.integers(len(pts), size=n)]
        mid = (a + b) / 2 + rng.normal(0, 30, size=(n, 2))
        P = np.stack([a, mid, b], axis=1)
        caps = {int(u): [(1, "DNAT → 10.244.1.2:8080")] for u in range(6)}
        start = -rng.uniform(0, 50, size=n) + clock
        T = np.stack([start, start + 60, start + 120], axis=1)
        layer.add(np.arange(10**7, 10**7 + n), rng.integers(0, 64, size=n), P, T, np.full(n, 3), np.zeros(n, bool),
                  0.0, {}, caps)

    sizes = {"base": 0, "2k": 2000, "20k": 20000}
    times: dict[str, list[float]] = {k: [] for k in sizes}
    cpu: dict[str, list[float]] = {k: [] for k in sizes}  # the GUI thread's CPU time in the same frames
    clock = time.monotonic()
    for _ in range(3):  # warm up every configuration
        for n in sizes.values():
            fill(n)
            layer.update()
            app.processEvents()
    steps: list[float] = []
    view.driver.playing = True  # as when playing: the state follows, the charts redraw at their cadence
    for block in range(frames // 6):
        # six frames (~100 ms at 60 fps) of each configuration in turn, the order alternating per block
        for name in (list(sizes) if block % 2 == 0 else list(reversed(list(sizes)))):
            fill(sizes[name])
            for k in range(6):
                if k % 3 == 0:  # the 50 ms simulation timer: one 0.1 s tick (timed apart: not paint work)
                    t = time.perf_counter()
                    view.driver._step_tick()
                    steps.append((time.perf_counter() - t) * 1000.0)
                app.processEvents()  # nothing pending before the frame starts
                clock += 0.016
                t = time.perf_counter()
                c = time.thread_time()
                view._on_paint(clock)  # what the 16 ms paint timer does: packets move, charts (10 Hz)
                app.processEvents()  # paints what changed: the canvas (static cache + packets) and the charts
                times[name].append((time.perf_counter() - t) * 1000.0)
                cpu[name].append((time.thread_time() - c) * 1000.0)
    view.driver.playing = False
    print(f"simulation step (0.1 s tick, every 50 ms): median {statistics.median(steps):.1f} ms, "
          f"p95 {pctl(steps, 95):.1f} ms")
    view.shutdown()
    window.session.undo_stack.setClean()
    window.close()
    return times, cpu


# ------------------------------------------------------------------------------------------------ playing
def _intervals_ms(stamps: list[float]) -> list[float]:
    return [(b - a) * 1000.0 for a, b in zip(stamps, stamps[1:])]


def cadence_line(name: str, vals: list[float]) -> str:
    """median, p95, share of intervals later than one (16.7 ms) and two (33.3 ms) frames of a 60 Hz screen."""
    if not vals:
        return f"{name:<26}(no frames)"
    late1 = sum(v > 16.7 for v in vals) / len(vals)
    late2 = sum(v > 33.3 for v in vals) / len(vals)
    return (f"{name:<26}{len(vals):>6}{statistics.median(vals):>8.1f}{pctl(vals, 95):>8.1f}{max(vals):>8.0f}"
            f"{late1:>8.0%}{late2:>8.0%}")


def playing_bench(seconds: float, rounds: int, speeds: tuple[float, ...], quick: bool, profile: bool,
                  modes: tuple[str, ...] = ("worker", "gui"), fail: str | None = None) -> None:
    """What a user gets WHILE PLAYING: the real timers and event loop, the driver playing at each speed in
    turn (interleaved rounds), on the canvas and both charts of ``frame_bench``. Reports the intervals between
    consecutive paint-timer shots (``LiveDriver.painted``) and between the canvas viewport's paint events,
    and each simulation step split into the core (``Simulation.step``), the adapter (the rest of
    ``LiveRun.step``) and the GUI thread's handling of the frame (``frame_stepped``'s slots). ``modes``: the
    driver stepping the core in its worker thread (``worker``, the default; ``worker-5ms`` with Python's
    default GIL switch interval instead of the driver's, ``worker-0.5ms`` ...), on the GUI thread (``gui``, ``LiveDriver(threaded=
    False)``: the synchronous driver as it was), and ``paused`` (the same frames with nothing simulated: what
    the machine's load alone does to the cadence), interleaved round by round. ``fail``: a node fails at
    16 s, so every round (from 20 s) plays its NotReady, the endpoints leaving each node's rules, the eviction
    and the pods re-created elsewhere (classroom timing): the cluster state changes every second."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    import desktop.live.driver as driver_module

    app = QApplication.instance() or QApplication(["bench"])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/podpath-bench-settings")
    from core.model import ObjectRef
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    window = MainWindow()
    window.resize(1920, 1080)
    window.show()
    window.session.open_text(big_scenario(20 if quick else 100, 4 if quick else 20, 50 if quick else 100), "big.yaml")
    for _ in range(5):
        app.processEvents()
    view = window.install_late("live", install)
    d = view.driver
    run = view.run
    if fail:
        d.seek(16.0)
        d.apply("failNode", fail)
    d.seek(20.0)
    print(f"\nplaying: {'quick' if quick else '100-node / 2,000-pod'} canvas, {len(run.state.pods)} pods, charts live")
    view.charts.set_services(run.balanced_services(), prefer=ObjectRef("Service", "default", "svc-0"))
    window.docks["live-charts"].raise_()
    if callable(getattr(window.view, "fit", None)):
        window.view.fit()
    for _ in range(10):
        app.processEvents()

    if profile:
        import cProfile
        import pstats

        pr = cProfile.Profile()
        pr.enable()
        for _ in range(30):
            run.step()
        pr.disable()
        print("cProfile of 30 LiveRun.step (0.1 s ticks) from t = 20 s, by cumulative time:")
        pstats.Stats(pr).sort_stats("cumulative").print_stats(18)
        d.seek(20.0)

    paints: list[float] = []
    canvas: list[float] = []
    core_ms: list[float] = []
    total_ms: list[float] = []
    gui_ms: list[float] = []
    d.painted.connect(lambda _w: paints.append(time.perf_counter()))

    class Paints(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                canvas.append(time.perf_counter())
            return False

    spy = Paints()
    window.view.viewport().installEventFilter(spy)
    sim_step = run.sim.step

    def timed_core(dt=None):
        t = time.perf_counter()
        out = sim_step(dt)
        core_ms.append((time.perf_counter() - t) * 1000.0)
        return out

    run.sim.step = timed_core
    live_step = run._step_frame  # what LiveRun.step and the worker's jobs run for each tick

    def timed_step():
        t = time.perf_counter()
        out = live_step()
        total_ms.append((time.perf_counter() - t) * 1000.0)
        return out

    run._step_frame = timed_step
    d.frame_stepped.disconnect(view._on_frame)

    def timed_frame(frame):
        t = time.perf_counter()
        view._on_frame(frame)
        gui_ms.append((time.perf_counter() - t) * 1000.0)

    d.frame_stepped.connect(timed_frame)
    chart_parts = [0]  # chart redraws (one of the page's three charts each): the charts stay live
    update_from = view.charts.update_from

    def counted_update(*a, **k):
        chart_parts[0] += 1
        return update_from(*a, **k)

    view.charts.update_from = counted_update
    # the canvas's share of the GUI thread: installing a picture the worker built, a layout done here (the
    # synchronous path: forced by a seek, or the mode 'worker-gui-layout'), and a cache render at paint time
    pic_ms: list[float] = []
    layout_ms: list[float] = []
    render_ms: list[float] = []
    d.picture_prepared.disconnect(view._on_picture_prepared)

    def timed_prepared(prep):
        t = time.perf_counter()
        view._on_picture_prepared(prep)
        pic_ms.append((time.perf_counter() - t) * 1000.0)

    d.picture_prepared.connect(timed_prepared)
    scene = window.scene
    relayout, render = scene._relayout, scene.layer._render

    def timed_relayout(*a, **k):
        t = time.perf_counter()
        out = relayout(*a, **k)
        layout_ms.append((time.perf_counter() - t) * 1000.0)
        return out

    def timed_render(*a, **k):
        t = time.perf_counter()
        out = render(*a, **k)
        render_ms.append((time.perf_counter() - t) * 1000.0)
        return out

    scene._relayout, scene.layer._render = timed_relayout, timed_render
    # from each paint-timer shot until the window has painted the frame (the driver's frame gate opens), and
    # how long the worker waited at the gate for it
    busy_ms: list[float] = []
    shot = [None]
    d.painted.connect(lambda _w: shot.__setitem__(0, time.perf_counter()) if shot[0] is None else None)

    def idle():
        if shot[0] is not None:
            busy_ms.append((time.perf_counter() - shot[0]) * 1000.0)
            shot[0] = None

    # garbage collections while playing (a full collection of a 2,000-pod heap holds the GIL for long)
    import gc
    import threading

    gc_ms: list[tuple[int, float, bool]] = []
    gc_start = [0.0]

    def on_gc(phase, info):
        if phase == "start":
            gc_start[0] = time.perf_counter()
        else:
            gc_ms.append((info["generation"], (time.perf_counter() - gc_start[0]) * 1000.0,
                          threading.current_thread() is threading.main_thread()))

    gc.callbacks.append(on_gc)
    flushed = d._frame_flushed

    def timed_flush():
        idle()
        flushed()

    d._frame_flushed = timed_flush
    source = d.picture_source
    configs = [(speed, mode) for speed in speeds for mode in modes if mode != "paused"]
    if "paused" in modes:
        configs.append((0.0, "paused"))
    switch = driver_module.SWITCH_INTERVAL
    results: dict[tuple, dict[str, list[float]]] = {c: {"paint": [], "canvas": [], "core": [], "adapter": [],
                                                        "gui": [], "rate": [], "charts": [], "install": [],
                                                        "layout": [], "render": [], "frame busy": [], "gc2": [], "gc01": [],
                                                        "gate waits": [], "gate wait ms": [],
                                                        "round p95": [], "round late": []} for c in configs}
    loads: list[float] = []
    loop = QEventLoop()
    for r in range(rounds):
        for speed, mode in (configs if r % 2 == 0 else list(reversed(configs))):
            d.pause()
            d.threaded = mode.startswith("worker")
            # worker-gui-layout: the core in the worker, the canvas laid out on the GUI thread as it changes
            d.picture_source = None if mode == "worker-gui-layout" else source
            # worker-Nms: the GIL switch interval N ms instead of the driver's while a job runs
            driver_module.SWITCH_INTERVAL = float(mode[7:-2]) / 1000 if mode.endswith("ms") else switch
            d.seek(20.0)  # every round plays the same stretch of the run (a checkpoint sits at 20 s)
            for _ in range(5):
                app.processEvents()
            paints.clear(), canvas.clear(), core_ms.clear(), total_ms.clear(), gui_ms.clear()
            pic_ms.clear(), layout_ms.clear(), render_ms.clear(), busy_ms.clear(), gc_ms.clear()
            run.gate.waits, run.gate.waited_s = 0, 0.0
            chart_parts[0] = 0
            loads.append(os.getloadavg()[0])
            d.set_speed(speed)
            t0 = run.time
            w0 = time.perf_counter()
            if mode != "paused":
                d.play()
            QTimer.singleShot(int(seconds * 1000), loop.quit)
            loop.exec()
            d.pause()
            wall = time.perf_counter() - w0
            loads.append(os.getloadavg()[0])
            res = results[(speed, mode)]
            res["paint"] += _intervals_ms(paints)
            round_paint = _intervals_ms(paints)  # this round's own figures, for the paired comparison below
            res["round p95"].append(pctl(round_paint, 95) if round_paint else float("nan"))
            res["round late"].append(sum(v > 33.3 for v in round_paint) / max(len(round_paint), 1))
            res["canvas"] += _intervals_ms(canvas)
            res["core"] += core_ms
            res["adapter"] += [a - b for a, b in zip(total_ms, core_ms)]
            res["gui"] += gui_ms
            res["rate"].append((run.time - t0) / wall)
            res["charts"].append(chart_parts[0] / wall)
            res["install"] += pic_ms
            res["gc2"] += [ms for g, ms, _main in gc_ms if g == 2]
            res["gc01"] += [ms for g, ms, _main in gc_ms if g < 2]
            res["frame busy"] += busy_ms
            res["gate waits"].append(run.gate.waits / wall)
            res["gate wait ms"].append(run.gate.waited_s * 1000.0 / max(run.gate.waits, 1))
            res["layout"] += layout_ms
            res["render"] += render_ms
    driver_module.SWITCH_INTERVAL = switch
    print(f"\nwhile playing ({rounds} interleaved rounds of {seconds:g} s per speed from t = 20 s"
          f"{f'; {fail} failed at 16 s' if fail else ''}); load average "
          f"{min(loads):.2f}..{max(loads):.2f} on {os.cpu_count()} cores")
    print(f"{'intervals, ms':<26}{'n':>6}{'median':>8}{'p95':>8}{'max':>8}{'>16.7':>8}{'>33.3':>8}")
    for (speed, mode), res in results.items():
        name = mode if mode == "paused" else f"{speed:g}x {mode}"
        print(cadence_line(f"{name} paint timer", res["paint"]))
        print(cadence_line(f"{name} canvas paints", res["canvas"]))
        print(cadence_line(f"{name} tick to painted", res["frame busy"]))
    # the verdict between two ways of playing: per round (the two ran side by side, interleaved), the ratio of
    # their paint-timer p95 and the difference of their shares of intervals later than two frames; the median
    # over rounds
    played = [m for m in modes if m != "paused"]
    if len(played) >= 2:
        print(f"\npaired by round (median over {rounds} rounds; first mode against each other)")
        for speed in speeds:
            a = results[(speed, played[0])]
            for other in played[1:]:
                b = results[(speed, other)]
                ratios = [x / y for x, y in zip(a["round p95"], b["round p95"], strict=True) if y > 0]
                diffs = [x - y for x, y in zip(a["round late"], b["round late"], strict=True)]
                print(f"{f'{speed:g}x {played[0]} / {other}':<40} p95 ratio {statistics.median(ratios):.2f} "
                      f"(rounds {', '.join(f'{r:.2f}' for r in ratios)}); >33.3 ms share "
                      f"{statistics.median(diffs):+.1%} (rounds {', '.join(f'{d:+.1%}' for d in diffs)})")
    print(f"\n{'one step, ms':<26}{'median':>8}{'p95':>8}{'max':>8}")
    for (speed, mode), res in results.items():
        if mode == "paused":
            continue
        for part in ("core", "adapter", "gui", "install", "layout", "render", "gc2", "gc01"):
            vals = res[part]
            if vals:
                print(f"{f'{speed:g}x {mode} {part}':<26}{statistics.median(vals):>8.2f}{pctl(vals, 95):>8.2f}"
                      f"{max(vals):>8.1f}  n={len(vals)}")
        print(f"{f'{speed:g}x {mode} gate':<26}{statistics.median(res['gate waits']):>8.1f} waits/s, "
              f"{statistics.median(res['gate wait ms']):.2f} ms each")
        print(f"{f'{speed:g}x {mode} speed':<26}{statistics.median(res['rate']):>8.2f}x (simulated s per wall s), "
              f"{statistics.median(res['charts']):.0f} chart redraws/s (each one chart of three)")
    gc.callbacks.remove(on_gc)
    view.shutdown()
    window.session.undo_stack.setClean()
    window.close()


# ------------------------------------------------------------------------------------------------ startup
_BARE = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint and isinstance(o, QMainWindow):
            print(f"first_paint {time.time() - t0:.4f}", flush=True)
            app.quit()
        return False
f = F(); app.installEventFilter(f)
w = QMainWindow(); w.resize(1280, 800); w.show()
app.exec()
"""

_APP = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject, QTimer, QSettings
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/podpath-bench-settings")
state = {"painted": False, "window": None}
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint and isinstance(o, QMainWindow) and not state["painted"]:
            state["painted"] = True
            state["window"] = o
            print(f"first_paint {time.time() - t0:.4f}", flush=True)
        return False
f = F(); app.installEventFilter(f)
def poll():
    w = state["window"]
    if w is None:
        return
    if not state.get("doc") and getattr(w, "ready", True) and w.session.model is not None and w.scene.items():
        state["doc"] = True  # the demo is on the canvas (to within this 5 ms poll)
        print(f"doc {time.time() - t0:.4f}", flush=True)
    live = w.extensions.get("live")  # app.py installs it after the window's second stage
    if live is None or live.driver is None:
        return
    if not live.driver.playing:
        live.driver.play()
    if len(live.layer) and live.charts is not None:
        print(f"live {time.time() - t0:.4f}", flush=True)
        live.shutdown()
        w.session.undo_stack.setClean()
        app.quit()
t = QTimer(); t.timeout.connect(poll); t.start(5)
from desktop.app import main
main([sys.argv[2], "--quit-after", "20"])
"""


def startup_bench(pairs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"bare": [], "app": [], "doc": [], "live": []}
    # An installed PodPath has its bytecode compiled (pip does it; a source checkout writes __pycache__ on the
    # first run); a shell with PYTHONDONTWRITEBYTECODE=1 would make every launch compile all of PodPath again
    # (~0.17 s), which no user sees. So the launches share a bytecode cache, filled by one unmeasured launch
    # of each kind first; the bare window's PySide6 is compiled already (site-packages).
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="podpath-bench-pyc-")
    for which in ("bare", "app"):
        args = [sys.executable, "-c", _BARE, repr(time.time())] if which == "bare" else \
            [sys.executable, "-c", _APP, repr(time.time()), str(DEMO)]
        subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    for i in range(pairs):
        order = ("bare", "app") if i % 2 == 0 else ("app", "bare")
        for which in order:
            t0 = time.time()
            args = [sys.executable, "-c", _BARE, repr(t0)] if which == "bare" else \
                [sys.executable, "-c", _APP, repr(t0), str(DEMO)]
            proc = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
            for line in proc.stdout.splitlines():
                key, _, value = line.partition(" ")
                if key == "first_paint":
                    out["bare" if which == "bare" else "app"].append(float(value))
                elif key in ("live", "doc"):
                    out[key].append(float(value))
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a 20-node / 200-pod canvas, few frames and launches")
    ap.add_argument("--frames", type=int, default=None)
    ap.add_argument("--pairs", type=int, default=None, help="startup launches of each kind")
    ap.add_argument("--no-startup", action="store_true")
    ap.add_argument("--no-frames", action="store_true", help="skip the paint-only frame times")
    ap.add_argument("--playing", action="store_true", help="also measure the paint cadence while playing")
    ap.add_argument("--play-seconds", type=float, default=None, help="wall seconds per playing round")
    ap.add_argument("--play-rounds", type=int, default=None, help="interleaved rounds per speed")
    ap.add_argument("--profile", action="store_true", help="cProfile 30 simulation steps (with --playing)")
    ap.add_argument("--play-fail", default=None, metavar="NODE", help="NODE fails at 16 s (rounds play from 20 s)")
    ap.add_argument("--play-modes", default="worker,gui,paused",
                    help="what to interleave: worker (core and canvas pictures in a thread), worker-gui-layout "
                         "(the canvas laid out on the GUI thread), worker-5ms, gui (synchronous), paused")
    args = ap.parse_args()
    frames = args.frames or (20 if args.quick else 150)
    pairs = args.pairs or (2 if args.quick else 7)
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM') or 'xcb'} DISPLAY={os.environ.get('DISPLAY', '')}")
    if args.playing:
        playing_bench(args.play_seconds or (3.0 if args.quick else 8.0), args.play_rounds or (1 if args.quick else 3),
                      (1.0, 10.0), args.quick, args.profile, tuple(args.play_modes.split(",")),
                      args.play_fail)
    if not args.no_frames:
        frame_report(frames, args.quick)
    if not args.no_startup:
        startup_report(pairs)
    return 0


def frame_report(frames: int, quick: bool) -> None:
    load = os.getloadavg()[0]
    times, cpu = frame_bench(frames, quick)
    load = max(load, os.getloadavg()[0])
    base_med = statistics.median(times["base"])
    print(f"\nframe time, ms (paint timer while playing + the event loop painting canvas and charts); "
          f"load average {load:.2f} on {os.cpu_count()} cores")
    print("wall = the target's measure; cpu = the GUI thread's CPU time in the same frames (what other processes "
          "on a loaded machine do not add; the X server's share is not in it)")
    print(f"{'config':<8}{'median':>9}{'p95':>9}{'ratio':>8}{'cpu med':>9}{'cpu p95':>9}  target")
    targets = {"base": "", "2k": "<= 6 ms (p95 <= 10)", "20k": "<= 10 ms (p95 <= 16)"}
    for name, vals in times.items():
        med = statistics.median(vals)
        print(f"{name:<8}{med:>9.2f}{pctl(vals, 95):>9.2f}{med / base_med:>8.2f}"
              f"{statistics.median(cpu[name]):>9.2f}{pctl(cpu[name], 95):>9.2f}  {targets[name]}")


def startup_report(pairs: int) -> None:
    load = os.getloadavg()[0]
    st = startup_bench(pairs)
    print(f"\nstartup launches: load average {max(load, os.getloadavg()[0]):.2f}")
    if st["bare"] and st["app"]:
        ratios = [a / b for a, b in zip(st["app"], st["bare"])]
        print("\nlaunch to first painted window, s (paired, interleaved launches)")
        print(f"bare PySide6 QMainWindow: median {statistics.median(st['bare']):.3f}")
        print(f"podpath on the demo:      median {statistics.median(st['app']):.3f}  "
              f"ratio median {statistics.median(ratios):.2f} (target <= 2)")
    if st["doc"]:
        print(f"the demo on the canvas (document opened, canvas items made): median "
              f"{statistics.median(st['doc']):.3f} s")
    if st["live"]:
        print(f"demo fully live (live view + charts installed, playing, packets painted): median "
              f"{statistics.median(st['live']):.3f} s (target <= 1 s)")


if __name__ == "__main__":
    sys.exit(main())
