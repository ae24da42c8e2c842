"""The share chart's expected marks come from a kube-proxy that still syncs: with node-1 failed, its rules
keep the pods of before the failure (HG saw the marks stay on evicted pods and 0 on the pods now serving)."""

from __future__ import annotations

import pytest

from core.engine import Simulation
from core.model import TimelineEvent
from core.scenario import DEMO_SCENARIO, load_model


def test_expected_shares_follow_the_endpoints_after_the_first_node_fails():
    model = load_model(DEMO_SCENARIO)
    model.timeline = [*model.timeline, TimelineEvent(5.0, "failNode", "node-1")]
    sim = Simulation(model, seed=1)
    sim.run(5.0)
    plane = sim.dataplane
    label = next(v.label for v in plane.services.items if v.label.startswith("default/web-clusterip:"))
    before = plane.expected_shares(label)
    assert len(before) == 3 and sum(before.values()) == pytest.approx(1.0)
    sim.run(120.0)  # NotReady, evictions, the web pods re-created on node-2/node-3, every live kube-proxy synced
    assert sim.state.nodes["node-1"].ready != "True"
    sl = sim.state.slices[("default", "web-clusterip")]
    ready = {f"{e.ip}:8080" for e in sl.endpoints if e.ready}  # targetPort http = containerPort 8080
    now = plane.expected_shares(label)
    assert set(now) == ready
    # iptables' statistic chain for 3 endpoints: 1/3, then 1/2 of the rest, then the rest -- even shares
    assert sorted(now.values()) == pytest.approx([1 / 3] * 3, abs=1e-9)
    # node-1's own (stale) rules still hold the pods it saw before failing
    assert set(plane.expected_shares(label, "node-1")) == set(before)
