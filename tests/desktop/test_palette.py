"""The shared palette gives distinct (colour, shape) pairs, so hue is never the only cue."""

from desktop.style import OKABE_ITO, SHAPES, endpoint_style


def test_first_64_destinations_are_distinct_pairs():
    pairs = {endpoint_style(i) for i in range(64)}
    assert len(pairs) == 64


def test_palette_is_okabe_ito():
    assert OKABE_ITO[:3] == ("#E69F00", "#56B4E9", "#009E73")
    assert endpoint_style(0) == ("#E69F00", SHAPES[0])
    assert endpoint_style(8) == ("#E69F00", SHAPES[1])
