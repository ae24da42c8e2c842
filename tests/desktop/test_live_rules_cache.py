"""LiveRun.rules keeps a node's rendered rules while nothing they are made of changed (the panels ask every
second; at 2,000 pods a render and parse takes ~0.25 s): what it returns is always what a fresh render gives."""

from __future__ import annotations

from core.proxy.ruleset import render_rules
from desktop.live.adapter import LiveRun
from tests.desktop.live_helpers import demo_model


def _fresh(run, node, mode=None):
    return render_rules(run.sim.model, run.sim.state, node, mode)


def test_rules_are_reused_while_nothing_changed():
    run = LiveRun(demo_model())
    run.run_to(2.0)
    first = run.rules("node-1")
    assert run.rules("node-1") is first
    assert run.rules("node-1").text == _fresh(run, "node-1").text


def test_cached_rules_equal_a_fresh_render_through_a_failure_an_action_and_a_seek_back():
    run = LiveRun(demo_model())
    run.seek(19.0)  # the demo fails node-2 at 20 s: endpoints leave each node's rules in turn
    for _ in range(80):
        run.step()
        for node in ("node-1", "node-3"):
            assert run.rules(node).text == _fresh(run, node).text
    assert run.rules("node-1", "ipvs").text == _fresh(run, "node-1", "ipvs").text
    run.seek(10.0)  # a new future from an older state version: nothing cached may be taken for it
    run.apply("scale", "default/web", 5)
    for _ in range(30):
        run.step()
        assert run.rules("node-1").text == _fresh(run, "node-1").text
    run.apply("setProxyMode", "", "ipvs")
    for _ in range(30):
        run.step()
        assert run.rules("node-3").text == _fresh(run, "node-3").text
