"""Each node's kube-proxy lagging behind the EndpointSlice, on the canvas (offscreen, the real main window):
after node-2 fails, the other nodes keep programming its pods for kube-proxy's sync delay (1 s in the
classroom preset) -- their status, their tooltip, the live note on the node and the rules panel say so."""

from __future__ import annotations

import pytest

from core.model import ObjectRef
from tests.desktop.live_helpers import live_demo


@pytest.fixture
def live(qtbot, tmp_path):
    with live_demo(qtbot, tmp_path) as view:
        yield view


def _run_to(view, t: float) -> None:
    while view.run.time < t - 1e-9:
        view.driver.step()


def _served_pod_ips_on(view, node: str) -> list[str]:
    """Addresses of the pods on ``node`` that a Service with a ClusterIP selects (what kube-proxy programs)."""
    st = view.run.state
    out = set()
    for svc in view.run.sim.model.services:
        if not svc.selector or svc.cluster_ip == "None" or svc.type == "ExternalName":
            continue
        for p in st.pods.values():
            if p.node == node and p.ip and p.namespace == svc.namespace and \
                    all(p.labels.get(k) == v for k, v in svc.selector.items()):
                out.add(p.ip)
    return sorted(out)


def test_nodes_show_their_kube_proxy_still_programming_the_failed_nodes_pods(live):
    from desktop.canvas.picture import proxy_lags

    _run_to(live, 24.9)  # node-2 failed at 20 s; NotReady after the 5 s grace period (classroom)
    assert proxy_lags(live.run.state) == {}
    gone = _served_pod_ips_on(live, "node-2")
    assert len(gone) == 2  # the web pod and the ingress controller pod on node-2
    live.driver.step()  # 25.0: node-2 NotReady, its pods leave the EndpointSlices; kube-proxies sync at 26.0
    assert live.run.state.nodes["node-2"].ready != "True"
    lags = proxy_lags(live.run.state)
    assert set(lags) == {"node-1", "node-3"}  # node-2 is down: its kube-proxy forwards nothing
    for node in ("node-1", "node-3"):
        assert sorted(lags[node].stale_ips()) == gone
        assert lags[node].missing == ()
        assert lags[node].text() == "kube-proxy: 2 stale endpoints"
    # the canvas: the node's status line and tooltip, and the live note on the node
    live.show_state(force=True)
    box = live.window.scene.picture.boxes[ObjectRef("Node", "", "node-1")]
    assert box.lines[3] == "kube-proxy: 2 stale endpoints"
    assert live.window.scene.picture.boxes[ObjectRef("Node", "", "node-2")].lines[3] == ""
    tip = live.window.scene.item_for_ref(ObjectRef("Node", "", "node-1")).toolTip()
    assert all(f" {ip} (" in tip for ip in gone) and "still programmed" in tip
    notes = {(x, y, text) for x, y, text, _c in live.node_notes()}
    for node in ("node-1", "node-3"):  # at the foot of each lagging node
        r = live.window.scene.item_for_ref(ObjectRef("Node", "", node)).sceneBoundingRect()
        assert (r.center().x(), r.bottom(), "kube-proxy: 2 stale") in notes
    assert not any("kube-proxy" in text for _x, _y, text in notes if _x == live.window.scene.item_for_ref(
        ObjectRef("Node", "", "node-2")).sceneBoundingRect().center().x())
    # the rules panel: node-1 still has rules for them, drawn ghosted under a note
    live.rules.set_node("node-1")
    live.refresh_rules()
    assert not live.rules.lag_label.isHidden()
    assert live.rules.lag_label.text().startswith("kube-proxy: 2 stale endpoints")
    lines = live.rules.ruleset.text.splitlines()
    assert live.rules.ghosted
    assert all(any(ip in lines[n - 1] for ip in gone) for n in live.rules.ghosted)
    assert {ip for ip in gone if any(ip in line for line in lines)} == set(gone)
    assert live.rules.text.textCursor().blockNumber() == live.rules.ghosted[0] - 1  # scrolled to the first
    # one sync delay later every kube-proxy has caught up
    _run_to(live, 25.9)
    assert set(proxy_lags(live.run.state)) == {"node-1", "node-3"}
    live.driver.step()  # 26.0
    assert proxy_lags(live.run.state) == {}
    live.show_state(force=True)
    assert live.window.scene.picture.boxes[ObjectRef("Node", "", "node-1")].lines[3] == ""
    live.refresh_rules()
    assert live.rules.lag_label.isHidden() and live.rules.ghosted == []
    assert not any(ip in live.rules.ruleset.text for ip in gone)


def test_new_pods_show_as_not_programmed_yet_until_the_next_sync(live):
    from desktop.canvas.picture import proxy_lags

    _run_to(live, 38.9)
    assert proxy_lags(live.run.state) == {}
    before = {p.ip for p in live.run.state.pods.values() if p.ready}
    live.driver.step()  # 39.0: the replacement pods are Ready and in the slices; kube-proxies sync at 40.0
    new = sorted({p.ip for p in live.run.state.pods.values() if p.ready} - before)
    assert len(new) == 2
    lags = proxy_lags(live.run.state)
    assert set(lags) == {"node-1", "node-3"}
    assert sorted(lags["node-1"].missing_ips()) == new and lags["node-1"].stale == ()
    assert lags["node-1"].text() == "kube-proxy: 2 new endpoints not programmed"
    _run_to(live, 40.0)
    assert proxy_lags(live.run.state) == {}
