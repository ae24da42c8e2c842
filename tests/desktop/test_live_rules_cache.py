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


def test_a_background_job_prepares_the_rules_last_asked_for():
    """While playing, the panels' rules are rendered in the worker after the ticks (not in a frame): the next
    ``rules()`` finds them, equal to a fresh render of the state the job left."""
    run = LiveRun(demo_model())
    run.seek(19.5)
    run.rules("node-1")  # what the panel shows
    job = run.step_in_background(15, prepare=True)  # across node-2's failure at 20 s: node-1's rules change
    assert job.wait(60)
    assert run.take_job() is job and job.error is None and len(job.frames) == 15
    cached = run._rules_cache[("node-1", None)][1]
    assert run.rules("node-1") is cached  # no render on the GUI thread
    assert cached.text == _fresh(run, "node-1").text
    run.close()


def test_a_prepare_only_job_steps_nothing():
    run = LiveRun(demo_model())
    run.run_to(1.0)
    run.rules("node-3")
    job = run.step_in_background(0, prepare=True)
    assert job.wait(60) and run.take_job() is job
    assert job.frames == [] and run.time == 1.0
    run.close()
