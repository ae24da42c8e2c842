"""Property tests: arbitrary text, bytes and mutated valid scenarios raise nothing but ScenarioError."""

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.scenario import DEMO_SCENARIO, ScenarioError, build_model, load_document, loads_document
from core.scenario.document import Document, Entry
from tests.core.guards import wall_clock_limit

DEMO_OBJECTS = load_document(DEMO_SCENARIO).objects()

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False),
                    st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


EXAMPLE_LIMIT = 5.0  # seconds of wall-clock per example: a hang (alias bomb, runaway loop) fails, not blocks




def _load_and_build(text: str) -> None:
    with wall_clock_limit(EXAMPLE_LIMIT):
        try:
            build_model(loads_document(text, "fuzz.yaml"), seed=0)
        except ScenarioError as exc:
            assert exc.diagnostics and all(d.format() for d in exc.diagnostics)
            assert not any("Error:" in d.message for d in exc.diagnostics)  # no Python exception names


def test_guard_stops_a_hang():
    import time

    with pytest.raises(TimeoutError):
        with wall_clock_limit(0.2):
            while True:
                time.sleep(0.01)


ALIAS_LEVELS = st.integers(7, 12)  # 10**6 scalars and up once expanded: over MAX_NODES = 10**6


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2000), ALIAS_LEVELS)
def test_alias_bombs_after_other_documents(filler, levels):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "l: [" + ", ".join(["{k: v}"] * filler) + "]\n---\nb: 1\n---\n" + "\n".join(lines) + "\n"
    with wall_clock_limit(EXAMPLE_LIMIT):
        with pytest.raises(ScenarioError, match="alias bomb"):
            loads_document(text, "bomb.yaml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    _load_and_build(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data):
    _load_and_build(data.decode("latin-1"))


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_demo(data):
    objects = copy.deepcopy(DEMO_OBJECTS)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(objects) - 1))
        paths = [p for p in _paths(objects[i]) if p]
        path = data.draw(st.sampled_from(paths))
        parent = objects[i]
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(values)
    doc = Document("mut.yaml", [Entry(o) for o in objects])
    with wall_clock_limit(EXAMPLE_LIMIT):
        try:
            build_model(doc, seed=0)
        except ScenarioError as exc:
            assert not any("could not build" in d.message for d in exc.diagnostics), exc
    # the mutated scenario also survives a text round trip without anything but ScenarioError
    _load_and_build(yaml.safe_dump_all(objects))
