"""The live view in the real main window (offscreen): mode switches reach the charts, a failed node's pods
come back elsewhere, traces and rules agree, step-by-step events filter, Save as timeline replays the run."""

from __future__ import annotations

import pytest

from core.engine import Simulation
from core.model import ObjectRef
from core.scenario.build import build_model
from core.scenario.files import dumps_document, loads_document
from tests.desktop.live_helpers import fingerprint, live_demo

WEB = ObjectRef("Service", "default", "web-clusterip")


@pytest.fixture
def live(qtbot, tmp_path):
    with live_demo(qtbot, tmp_path) as view:
        yield view


def _steps(view, n: int) -> None:
    for _ in range(n):
        view.driver.step()


def test_switching_iptables_to_ipvs_lc_changes_the_share_chart_within_a_few_ticks(live):
    live.charts.set_services([WEB])
    _steps(live, 100)
    live.charts.update_from(live.run, force=True)
    before = dict(live.charts.last_shares)
    assert set(before) and sum(before.values()) == pytest.approx(1.0)
    assert live.charts.conn_curves == {}  # iptables keeps no connection counters
    live.controls.proxy_box.setCurrentIndex(live.controls.proxy_box.findData("ipvs"))
    live.controls.ipvs_box.setCurrentIndex(live.controls.ipvs_box.findData("lc"))
    assert live.run.proxy_mode() == ("ipvs", "lc")
    assert [a.action for a in live.run.actions] == ["setProxyMode", "setIPVSScheduler"]
    _steps(live, 5)  # kube-proxy syncs 1 s (minSyncPeriod) later on every node...
    _steps(live, 10)  # ...then lc decides
    live.charts.update_from(live.run, force=True)
    assert live.run.proxy_mode("node-1") == ("ipvs", "lc")
    assert live.charts.last_shares != before
    _steps(live, 60)  # IPVS counters are read every 0.5 s; batch-job opens a keep-alive connection every 5 s
    live.charts.update_from(live.run, force=True)
    assert live.charts.conn_curves, "IPVS connections per pod (what lc decides on) are charted"
    # the same moment without the switch has different bars: the chart follows the mode, not the clock
    assert [m for _t, m in live.charts.markers][-2:] == ["mode ipvs", "IPVS lc"]


def test_failing_a_node_recreates_its_pods_elsewhere_and_its_endpoints_leave_every_nodes_rules(live):
    run = live.run
    _steps(live, 30)
    old = {p.ip: p.name for p in run.state.pods.values() if p.node == "node-3"}
    assert old
    actions = live.controls.context_actions(ObjectRef("Node", "", "node-3"))
    fail = next(a for a in actions if a.text() == "Fail node node-3")
    fail.trigger()
    assert run.actions[-1].action == "failNode"
    left_at: dict[str, float] = {}
    others = [n for n in run.state.nodes if n != "node-3"]
    for _ in range(400):
        live.driver.step()
        for node in others:
            if node in left_at:
                continue
            text = run.rules(node).text
            if not any(f"{ip}:" in text for ip in old):
                left_at[node] = run.time
        if len(left_at) == len(others):
            break
    assert set(left_at) == set(others), "every live node's kube-proxy drops the failed node's endpoints"
    assert min(left_at.values()) > 3.0 + 1.0  # not before the node is noticed NotReady (grace period)
    # the Deployment's pods come back on the other nodes with new IPs
    for _ in range(300):
        live.driver.step()
        new = [p for p in run.state.pods.values() if p.owner and p.owner[2].startswith("web") and not p.terminating
               and p.ready and p.node != "node-3"]
        if len(new) >= 3:
            break
    web = [p for p in run.state.pods.values() if p.owner and "web" in p.owner[2] and not p.terminating]
    moved = [p for p in web if p.node in others and p.ip not in old and p.name not in old.values()]
    assert len([p for p in web if p.ready]) == 3
    assert moved and all(p.ip and p.ip not in old for p in moved)


def _nodeport_sample(live):
    for _ in range(100):
        live.driver.step()
        frame = live.driver.last_frame
        for uid, s in zip(frame.uids, frame.samples):
            node_hops = [h for h in s.hops if h.where.kind == "Node" and h.rule_id]
            if node_hops and ":3" in (node_hops[0].dst or "") and s.outcome == "delivered":
                return uid, s
    raise AssertionError("no NodePort request sampled")


def test_trace_of_a_nodeport_request_shows_the_dnat_hop_and_the_rules_panel_highlights_the_rule(live):
    uid, sample = _nodeport_sample(live)
    live.select_packet(sample, uid)
    rows = live.trace.rows()
    node_hop = next(h for h in sample.hops if h.where.kind == "Node" and h.rule_id)
    assert 30000 <= int(node_hop.dst.split(":")[1]) <= 32767  # it entered through a nodePort
    dnat = [r for r in rows if r[1] == f"Node {node_hop.where.name}" and r[5].startswith("DNAT → ")]
    assert dnat, rows
    assert dnat[0][3] == f"{sample.src} → {node_hop.dst}" or dnat[0][3].endswith(f"→ {node_hop.dst}")
    assert dnat[0][5].startswith(f"DNAT → {node_hop.dst_after}")
    assert live.trace.tree.currentItem().text(1) == f"Node {node_hop.where.name}"  # the DNAT hop is selected
    assert live.rules.node == node_hop.where.name
    lines = live.rules.highlighted_text()
    assert lines, "the matched rule is highlighted"
    sep = node_hop.rule_id.rsplit("-j ", 1)[1]
    assert any(line.startswith("-A KUBE-SVC-") and line.endswith(f"-j {sep}") for line in lines), lines
    assert live.rules.text.textCursor().blockNumber() == live.rules.highlighted[0] - 1  # scrolled to it


def test_step_by_step_mode_reveals_one_event_at_a_time_and_the_list_filters_by_type(live):
    live.controls.mode_box.setCurrentIndex(live.controls.mode_box.findData("step"))
    assert live.driver.mode == "step"
    before = len(live.events.visible_events())  # the control-plane log so far (pods scheduled at t = 0)
    for _ in range(40):
        live.driver.step()
    shown = live.events.visible_events()
    assert len(shown) == before + 40
    assert shown[before:] == live.driver.revealed  # one event per step, in order
    kinds = {e.kind for e in shown[before:]}
    assert {"dns", "dnat", "delivered"} <= kinds
    live.events.set_kind("dnat")
    only = live.events.visible_events()
    assert only and all(e.kind == "dnat" for e in only)
    assert all(e.text.startswith("DNAT ") for e in only)
    live.events.set_kind("")
    live.events.search.setText("node-1")
    assert all("node-1" in (e.where + e.text).lower() for e in live.events.visible_events())
    live.events.search.setText("")
    # clicking an event selects its packet and shows that hop in the trace
    ev = only[0]
    live.events.event_activated.emit(ev)
    assert live.selected_packet is not None
    assert live.trace.tree.currentItem() is not None
    assert live.trace.tree.currentItem().text(0) == str(ev.hop + 1)


def test_save_as_timeline_then_reload_reproduces_the_run(live):
    _steps(live, 52)
    live.apply("cordon", "node-1")
    _steps(live, 31)
    live.controls.proxy_box.setCurrentIndex(live.controls.proxy_box.findData("ipvs"))
    _steps(live, 47)
    live.apply("scale", "default/web", 5)
    _steps(live, 70)
    live_fp = fingerprint(live.run.sim)
    t = live.run.time
    live.save_as_timeline()
    doc = live.window.session.document
    timelines = [r for r in doc.refs() if r.kind == "Timeline" and r.name.startswith("live-actions")]
    assert len(timelines) == 1
    events = doc.get(timelines[0])["spec"]["events"]
    assert [(e["at"], e["action"]) for e in events] == [(5.2, "cordon"), (8.3, "setProxyMode"), (13, "scale")]
    reloaded = loads_document(dumps_document(doc), "saved.yaml")
    model, _ = build_model(reloaded)
    sim = Simulation(model)
    sim.run(t)
    assert fingerprint(sim) == live_fp
    live.window.session.undo_stack.undo()  # one undo step removes it again
    assert timelines[0] not in live.window.session.document


def test_changing_a_service_type_from_its_context_menu_carries_on_at_the_same_time(live):
    _steps(live, 30)
    t = live.run.time
    ref = ObjectRef("Service", "default", "api")
    actions = {a.text(): a for a in live.controls.context_actions(ref)}
    assert "Make it type NodePort" in actions and "internalTrafficPolicy: Local" in actions
    assert not any("KUBE-NODEPORTS" in line and "default/api" in line for line in live.run.rules("node-1").text.splitlines())
    actions["Make it type NodePort"].trigger()
    assert live.window.session.document.get(ref)["spec"]["type"] == "NodePort"
    assert live.run.time == pytest.approx(t)
    _steps(live, 15)  # kube-proxy programs the nodePort after its sync delay
    text = live.run.rules("node-1").text
    assert any(line.startswith("-A KUBE-NODEPORTS") and "default/api" in line for line in text.splitlines())
    live.window.session.undo_stack.undo()  # one undo step, and the run follows the document back
    assert live.run.sim.model.service("default", "api").type == "ClusterIP"


def test_clicking_a_packet_on_the_canvas_selects_it_and_shows_its_trace(live, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    view = live.window.view
    for _ in range(10):
        live.driver.step()
    qtbot.wait(1000)  # the paint timer moves the packets along their paths
    layer = live.layer
    live.driver.paint_timer.stop()  # freeze them where they are
    layer.update()
    qtbot.wait(50)
    assert layer._hit_uid.size > 0
    x, y = layer._hit_pos[0]
    pos = view.mapFromScene(float(x), float(y))
    assert view.viewport().rect().contains(pos)
    got: list[int] = []
    layer.packet_clicked.connect(got.append)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    assert len(got) == 1
    uid = got[0]  # the packet nearest the click (packets may overlap)
    near = layer._hit_pos[list(layer._hit_uid).index(uid)]
    scale = view.transform().m11()
    assert abs(near[0] - x) * scale <= 16 and abs(near[1] - y) * scale <= 16
    assert layer.selected == uid
    assert live.trace.sample is live.feed.samples[uid]
    assert live.trace.rows()
    # a click on empty canvas is not a packet: it reaches the canvas (and selects nothing here)
    got.clear()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.viewport().rect().topLeft() + pos.__class__(3, 3))
    assert got == []


def test_node_notes_count_down_the_grace_period_and_the_eviction(live):
    # demo timing preset "classroom": node-monitor grace period 5 s (period 1 s), tolerationSeconds 10 s
    _steps(live, 30)
    live.apply("failNode", "node-3")  # at t = 3.0 the kubelet's last heartbeat is 3.0
    _steps(live, 10)  # t = 4.0: NotReady is noticed at 3.0 + 5 = 8.0
    notes = {text for _x, _y, text, _c in live.node_notes()}
    assert "down · NotReady in 4 s" in notes
    _steps(live, 60)  # t = 10.0: NotReady since 8.0, pods evicted at 8.0 + 10 = 18.0
    notes = {text for _x, _y, text, _c in live.node_notes()}
    assert "NotReady · evicting in 8 s" in notes
    live.apply("cordon", "node-1")
    assert "cordoned" in {text for _x, _y, text, _c in live.node_notes()}


def test_pods_on_the_canvas_wear_the_colour_of_the_packets_that_reach_them(live):
    """Packets are coloured by destination pod; the pod's marker on the canvas takes the same style index."""
    _steps(live, 10)
    live.show_state(force=True)
    scene = live.window.scene
    pods = [pb for pb in scene.picture.pods.values() if not pb.client]
    assert pods
    for pb in pods:
        assert pb.colour == live.colours.of(ObjectRef("Pod", pb.key[0], pb.key[1])), pb.key


def test_pausing_freezes_packets_in_flight_so_they_can_be_clicked(live, qtbot):
    """Paused in realtime mode, the packets' clock stands still: they stay where they are (they used to fly on
    and vanish within a second, so a click on a paused packet found nothing).

    What is compared is what was painted (the click targets are the last paint's positions): the test waits
    for the first paint at the paused clock instead of a fixed 100 ms, which a loaded machine could pass
    without painting (the positions then came from a paint before the pause and the next paint moved them)."""
    import numpy as np

    d = live.driver
    layer = live.layer
    d.play()
    qtbot.waitUntil(lambda: layer.uid.size > 0, timeout=5000)
    d.pause()
    frozen = layer.clock  # the clock stops at the pause itself
    assert frozen == live._anim_now()
    qtbot.waitUntil(lambda: layer.painted_clock == frozen, timeout=5000)
    before = (layer.uid.copy(), layer._hit_pos.copy())
    qtbot.wait(2500)  # longer than a packet's flight and linger
    assert layer.clock == frozen and layer.painted_clock == frozen
    assert layer.uid.size == before[0].size > 0
    assert np.array_equal(layer.uid, before[0])
    assert np.allclose(layer._hit_pos, before[1])
    d.play()  # and they move on when played again
    qtbot.waitUntil(lambda: layer.painted_clock is not None and layer.painted_clock > frozen + 0.5, timeout=10000)
    assert not np.array_equal(layer.uid, before[0]) or not np.allclose(layer._hit_pos, before[1])
    d.pause()


def test_a_scaled_up_pod_gets_its_expected_share_mark(live):
    """Scale web from 3 to 4: once every kube-proxy has the new endpoint, iptables gives each of the four
    pods 1/4 of new connections, and the chart marks 1/4 over each bar."""
    _steps(live, 20)
    assert live.apply("scale", "default/web", 4)
    for _ in range(120):  # the charts ask every few frames, also between a sync and the tables' compile
        live.driver.step()
        live.run.expected_shares(WEB)
    expected = live.run.expected_shares(WEB)
    web_pods = [p for p in expected if p.name.startswith("web-")]
    assert len(web_pods) == 4
    assert all(abs(expected[p] - 0.25) < 1e-9 for p in web_pods)


def test_save_as_timeline_while_paused_after_a_node_failure_keeps_the_running_cluster_on_the_canvas(live):
    """HG (Xvfb): paused at ~40 s after a node failure, one click on Save as timeline redrew the canvas as the
    document's t = 0 picture (the failed node Ready with its old pods) while the run went on."""
    _steps(live, 20)
    live.apply("failNode", "node-2")
    _steps(live, 300)  # classroom preset: NotReady, then its pods evicted and re-created elsewhere
    state = live.run.state
    assert state.nodes["node-2"].ready != "True"
    scene = live.window.scene
    live.show_state(force=True)
    before = {k: (pb.node, pb.ip, pb.status) for k, pb in scene.picture.pods.items()}
    try:
        live.save_as_timeline()
        assert scene.live_state is live.run.state
        after = {k: (pb.node, pb.ip, pb.status) for k, pb in scene.picture.pods.items()}
        assert after == before
    finally:
        live.window.session.undo_stack.setClean()  # closing the window asks nothing


def test_a_second_save_as_timeline_writes_only_the_actions_since_the_first(live):
    """HG (Xvfb): the second Save as timeline repeated the first one's events in a new Timeline, so the
    reloaded file failed the node twice. Each Timeline holds only what was not saved yet, and the reloaded
    file replays the run."""
    _steps(live, 30)
    live.apply("cordon", "node-1")
    _steps(live, 20)
    try:
        live.save_as_timeline()
        _steps(live, 20)
        live.apply("scale", "default/web", 4)
        _steps(live, 30)
        live_fp = fingerprint(live.run.sim)
        t = live.run.time
        live.save_as_timeline()
        doc = live.window.session.document
        names = sorted(r.name for r in doc.refs() if r.kind == "Timeline" and r.name.startswith("live-actions"))
        assert names == ["live-actions", "live-actions-2"]
        events = {n: [(e["at"], e["action"]) for e in doc.get(next(r for r in doc.refs() if r.name == n))["spec"]["events"]]
                  for n in names}
        assert events == {"live-actions": [(3, "cordon")], "live-actions-2": [(7, "scale")]}
        model, _ = build_model(loads_document(dumps_document(doc), "saved.yaml"))
        sim = Simulation(model)
        sim.run(t)
        assert fingerprint(sim) == live_fp
        assert live.run.unsaved_actions() == []
    finally:
        live.window.session.undo_stack.setClean()


def test_a_live_action_lists_its_control_plane_events_once(live):
    """HG (Xvfb): Delete pod while playing listed 'Killing', 'SuccessfulCreate' and 'Scheduled' twice: the
    action's re-listing of the log showed them, and the next tick handed them out again."""
    _steps(live, 50)
    pod = next(p for p in live.run.state.pods.values() if p.name.startswith("web-") and p.node)
    live.apply("deletePod", f"{pod.namespace}/{pod.name}")
    _steps(live, 40)
    listed = [(e.time, e.where, e.text) for e in live.events.visible_events() if e.kind == "control"]
    assert len(listed) == len(set(listed))
    assert any(text.startswith("Killing") and where.endswith(pod.name) for _, where, text in listed)
    assert len(listed) == len(live.run.state.events)  # every control-plane event of the run, once


def test_moving_a_box_while_the_cluster_has_changed_keeps_the_running_cluster_on_the_canvas(live):
    """A move edits the document but not the run: the canvas, laid out again, shows the run's state, not the
    document's t = 0 look (user test: after dropping web-lb while playing at t ~ 75 s, node-2 showed its
    evicted pods as Ready until the cluster next changed)."""
    _steps(live, 20)
    live.driver.apply("failNode", "node-3")
    _steps(live, 200)  # node-3's pods evicted, their replacements running elsewhere
    running = {(p.namespace, p.name) for p in live.run.state.pods.values()}
    scene = live.window.scene
    live.show_state(force=True)  # (synchronous steps: the canvas follows at most once a second)
    assert {k for k, pb in scene.picture.pods.items() if not pb.client} == running
    box = scene.picture.boxes[ObjectRef("Service", "default", "web-lb")].rect
    version = live.run.state_version()
    live.window.editor.move({ObjectRef("Service", "default", "web-lb"): (box.left() + 40.0, box.top())})
    assert live.run.state_version() == version, "the run did not change"
    assert scene.live_state is live.run.state
    assert {k for k, pb in scene.picture.pods.items() if not pb.client} == running
    assert scene.picture.boxes[ObjectRef("Service", "default", "web-lb")].rect.left() == pytest.approx(box.left() + 40.0)


def test_a_live_scale_shows_the_new_desired_count_on_the_workload_box(live):
    """Scaling web from 3 to 6 while running changes the run, not the file: the badge counts against 6
    ("Deployment · 3/6 ready", then 6/6), not against the document's 3 ("6/3 ready"; user test)."""
    web = ObjectRef("Deployment", "default", "web")
    _steps(live, 10)
    live.driver.apply("scale", "web", 6)
    live.show_state(force=True)
    line = live.window.scene.picture.boxes[web].lines[0]
    assert line.startswith("Deployment · ") and line.endswith("/6 ready"), line
    _steps(live, 100)
    live.show_state(force=True)
    assert live.window.scene.picture.boxes[web].lines[0] == "Deployment · 6/6 ready"
    assert live.window.session.model.workloads[[w.name for w in live.window.session.model.workloads].index("web")].replicas == 3
