"""The live picture built off the GUI thread: what it shows is what a synchronous re-layout shows (boxes, pods,
hit items, tooltips, pixels); a stale one is refused; the worker's pauses for the GUI's frames change nothing
of the run; the pod colours it previews are the ones the view then numbers."""

from __future__ import annotations

import threading
import time

import pytest

from core.model import ObjectRef
from desktop.live.adapter import FrameGate, LiveRun
from desktop.live.driver import LiveDriver
from desktop.live.feed import PodColours
from desktop.live.view import obstacle_rects
from tests.desktop.live_helpers import demo_model, fingerprint, headless, live_demo


@pytest.fixture
def live(qtbot, tmp_path):
    with live_demo(qtbot, tmp_path, (1400, 900)) as view:
        yield view


def _fail_node_3_and_step(view, ticks: int) -> None:
    for _ in range(20):
        view.driver.step()
    fail = next(a for a in view.controls.context_actions(ObjectRef("Node", "", "node-3"))
                if a.text() == "Fail node node-3")
    fail.trigger()
    for _ in range(ticks):
        view.driver.step()


def _scene_record(scene) -> dict:
    """What the canvas shows and answers to: boxes, pods (rect, colour, node), hit items with their tooltips."""
    pic = scene.picture
    boxes = {str(r): (b.kind, b.rect.getRect(), b.title, tuple(b.lines)) for r, b in pic.boxes.items()}
    pods = {k: (pb.rect.getRect(), pb.colour, pb.name) for k, pb in pic.pods.items()}
    items = {str(k): (str(it.ref), it.kind, it.sceneBoundingRect().getRect(), str(it.doc_ref), it.movable,
                      it.toolTip(), tuple(it.fanout), it.isSelected())
             for k, it in scene._items.items()}
    return {"boxes": boxes, "pods": pods, "items": items, "bounds": scene.sceneRect().getRect()}


def _prepare_in_thread(view):
    """Build the picture of the run's state as the driver's worker does: another thread, inputs captured here."""
    scene = view.window.scene
    preparer = scene.live_preparer(styles_for=view.colours.preview(), extras=obstacle_rects)
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("prep", preparer(view.run.state, view.run.state_version())))
    t.start()
    t.join()
    return out["prep"]


def test_a_picture_prepared_in_another_thread_shows_what_a_synchronous_relayout_shows(live, qtbot):
    scene = live.window.scene
    canvas = live.window.view
    _fail_node_3_and_step(live, 120)  # node-3 NotReady, its pods evicted and re-created elsewhere
    live.show_state(force=True)
    canvas.grab()  # a paint: the layer knows the region and scale to render ahead for
    for _ in range(80):  # the cluster changes again (replacement pods become ready, kube-proxy syncs)
        live.driver.step()
    assert live.run.state_version() != live._state_version
    prep = _prepare_in_thread(live)
    assert prep.image is not None, "the cache was rendered ahead, off the GUI thread"
    assert prep.diff is not None, "the hit items are diffed against those the scene has"
    live._on_picture_prepared(prep)
    assert live._state_version == live.run.state_version()
    assert scene.layer._pixmap is prep.image.image, "installed as rendered, no render on the GUI thread"
    prepared = _scene_record(scene)
    shot_prepared = canvas.grab().toImage()
    layer_key = scene.layer._key
    # the same state laid out on the GUI thread, from scratch
    scene.apply_cluster_state(live.run.state)
    scene.set_pod_styles(live.colours.index)
    synchronous = _scene_record(scene)
    shot_sync = canvas.grab().toImage()
    assert prepared == synchronous
    assert layer_key[1:] == scene.layer._key[1:], "same scale, device ratio and theme"
    assert shot_prepared == shot_sync, "the pre-rendered cache draws the very pixels a GUI-thread render does"
    # and the pods drawn are the cluster's
    pods = {k for k, pb in scene.picture.pods.items() if not pb.client}
    assert pods == {(p.namespace, p.name) for p in live.run.state.pods.values()}


def test_the_items_diff_touches_only_what_changed_and_leaves_the_items_a_full_sync_would(live):
    scene = live.window.scene
    live.show_state(force=True)
    before = {k: it for k, it in scene._items.items()}
    _fail_node_3_and_step(live, 150)
    prep = _prepare_in_thread(live)
    assert prep.diff is not None
    _version, changed, gone, _tips = prep.diff
    assert 0 < len(changed) + len(gone) < len(prep.wanted), "a node failure changes some items, not all"
    live._on_picture_prepared(prep)
    after = _scene_record(scene)
    untouched = [k for k in prep.wanted if k not in changed and k in before]
    assert untouched and all(scene._items[k] is before[k] for k in untouched), "unchanged items are kept as they are"
    assert all(k not in scene._items for k in gone)
    # a full sync from the same picture changes nothing more
    scene._apply_items(prep.wanted, prep.tips)
    assert _scene_record(scene) == after
    assert set(scene._items) == set(prep.wanted)


def test_a_picture_prepared_before_an_edit_is_refused_and_the_canvas_lays_out_itself(live):
    scene = live.window.scene
    _fail_node_3_and_step(live, 40)
    preparer = scene.live_preparer(styles_for=live.colours.preview(), extras=obstacle_rects)
    shown = scene.picture
    scene.clear_cluster_state()  # what the picture is built from changes (a document relayout)
    scene.apply_cluster_state(live.run.state)
    picture_now = scene.picture
    prep = preparer(live.run.state, live.run.state_version())
    assert not scene.apply_prepared(prep, live.run.state), "built from inputs that have changed since"
    assert scene.picture is picture_now and scene.picture is not shown and scene.picture is not prep.picture


def test_the_pod_colours_a_preview_gives_are_the_ones_the_view_numbers():
    run = LiveRun(demo_model())
    colours = PodColours()
    colours.update(run.state)
    preview = colours.preview()
    for _ in range(25):
        run.step()
    run.apply("failNode", "node-3")
    for _ in range(200):  # evicted at ~17 s: the Deployments' replacements are new pods
        run.step()
    styles = preview(run.state)
    assert preview.added, "the failed node's pods were replaced by new ones"
    reference = PodColours()
    reference.index = dict(colours.index)
    reference.update(run.state)
    assert colours.adopt(preview)
    assert colours.index == reference.index
    assert styles == {(r.namespace, r.name): i for r, i in reference.index.items()}
    # a preview made before the index grew is not adopted (its numbers would collide)
    stale = PodColours()
    stale.update(LiveRun(demo_model()).state)
    late = stale.preview()
    late(run.state)
    stale.index[ObjectRef("Pod", "default", "numbered-meanwhile")] = len(stale.index)
    assert not stale.adopt(late)


# -- the frame gate ---------------------------------------------------------------------------------------------
def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_the_worker_waits_while_a_frame_is_painted_and_goes_on_when_it_is():
    gate = FrameGate(max_wait=2.0)
    gate.close()  # a frame starts (no next frame due)
    opened = threading.Timer(0.05, gate.open)
    opened.start()
    waited = _timed(gate.pause)
    assert 0.04 < waited < 1.0, "waits until the GUI thread opens the gate, not max_wait"
    assert _timed(gate.pause) < 0.005, "an open gate with no frame due costs nothing"
    assert gate.waits == 1


def test_the_worker_waits_at_most_max_wait_and_once_per_frame():
    gate = FrameGate(max_wait=0.03)
    gate.close()
    assert 0.025 < _timed(gate.pause) < 0.5, "a GUI that never paints slows the worker, never stops it"
    assert _timed(gate.pause) < 0.005, "the same frame is not waited for again"
    gate.close()
    assert _timed(gate.pause) > 0.025, "the next frame is"


def test_the_worker_stops_just_before_a_frame_is_due_and_not_long_before():
    gate = FrameGate(max_wait=0.5)
    gate.close(time.perf_counter() + 10.0)
    gate.open()  # the frame painted; the next is due in 10 s
    assert _timed(gate.pause) < 0.005
    gate.close(time.perf_counter() + 0.001)
    gate.open()
    slept = _timed(gate.pause)
    assert 0.0005 < slept < 0.1, "due within LEAD: the worker sleeps until then, so the frame finds it idle"
    assert _timed(gate.pause) < 0.005, "once per frame"


def test_playing_with_the_gate_in_use_gives_the_frames_and_state_of_a_synchronous_run(qtbot):
    """The worker pausing for a real window's frames changes when it computes, never what."""
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 200)
    window.show()
    driver = LiveDriver(LiveRun(demo_model()))
    driver.painted.connect(lambda _wall: window.update())  # each frame repaints the window
    driver.watch_window(window)
    frames = []
    driver.frame_stepped.connect(frames.append)
    driver.start_display()
    try:
        driver.set_speed(20.0)
        with qtbot.waitSignal(driver.target_reached, timeout=60000):
            driver.run_to(6.0)
        assert driver.frames_flushed > 0, "the window's repaints opened the gate"
        assert driver.run.gate.waits > 0, "and the worker waited for them"
        sync = LiveRun(demo_model())
        expected = [sync.step() for _ in range(60)]
        assert [(round(f.time, 9), f.sent, f.delivered, f.dropped, f.uids) for f in frames] == \
            [(round(f.time, 9), f.sent, f.delivered, f.dropped, f.uids) for f in expected]
        assert fingerprint(driver.run.sim) == fingerprint(headless(demo_model(), 6.0))
    finally:
        driver.stop()
    assert driver.run.gate.is_open() and driver.run.sim.pause_point is None


def test_while_playing_in_the_worker_the_canvas_follows_the_cluster_through_prepared_pictures(live, qtbot):
    prepared = []
    live.driver.picture_prepared.connect(prepared.append)
    for _ in range(20):
        live.driver.step()
    live.run.apply("failNode", "node-3")
    live.driver.set_speed(8.0)  # ~3 s of wall time: the canvas is due a new picture every STATE_REFRESH_S
    with qtbot.waitSignal(live.driver.target_reached, timeout=90000):
        live.driver.run_to(live.run.time + 24.0)
    assert prepared, "the worker built the canvas's pictures"
    qtbot.waitUntil(lambda: live._state_version == live.run.state_version() or not live.driver.playing, timeout=5000)
    live.show_state(force=True)  # (paused: the GUI thread lays out what the last job left, if anything)
    shown = set(live.window.scene.picture.pods)
    running = {(p.namespace, p.name) for p in live.run.state.pods.values() if p.node != "node-3"}
    assert running <= shown, "every running pod is on the canvas"
