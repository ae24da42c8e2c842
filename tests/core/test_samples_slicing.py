"""Packet samples and chart series do not depend on how time is cut into steps (issue 7 items 1, 3, 5): the
demo (with its node-2 failure at t=20) run in 0.1 s steps, 0.05 s steps and random steps gives the same
samples, hop by hop, and the same series."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine import Simulation
from core.scenario import DEMO_SCENARIO, load_model

UNTIL = 24.0


def run(steps):
    sim = Simulation(load_model(DEMO_SCENARIO))
    samples = []
    for dt in steps:
        tick = sim.step(dt)
        if tick.traffic is not None:
            samples += tick.traffic.samples
    return sim, samples


def cut(sizes):
    """Steps of the given sizes, repeated, until UNTIL (the last one shortened to land on it)."""
    out, t, k = [], 0.0, 0
    while t < UNTIL - 1e-9:
        d = round(min(sizes[k % len(sizes)], UNTIL - t), 6)
        out.append(d)
        t = round(t + d, 6)
        k += 1
    return out


REFERENCE = None


def reference():
    global REFERENCE
    if REFERENCE is None:
        REFERENCE = run(cut([0.1]))
    return REFERENCE


def same(a, b) -> None:
    sim_a, samples_a = a
    sim_b, samples_b = b
    assert sim_a.time == sim_b.time == UNTIL
    assert len(samples_a) > 300 and samples_a == samples_b
    sa, sb = sim_a.dataplane.series, sim_b.dataplane.series
    assert np.array_equal(sa.times(), sb.times()) and sa.pods() == sb.pods()
    for p in sa.pods():
        assert np.array_equal(sa.rps(p)[1], sb.rps(p)[1])
    for s in sa.services():
        for x, y in zip(sa.latency(s)[1:], sb.latency(s)[1:]):
            assert np.array_equal(x, y, equal_nan=True)
    assert np.array_equal(sa.throughput()[3], sb.throughput()[3])  # drops during the node-2 outage


def test_frame_rate_steps_give_the_same_samples():
    same(reference(), run(cut([0.05])))
    same(reference(), run(cut([0.016])))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(min_value=0.001, max_value=1.5), min_size=1, max_size=12))
def test_random_slicings_give_the_same_samples(sizes):
    same(reference(), run(cut(sizes)))
