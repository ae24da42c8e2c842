"""Colours and shapes shared by the canvas, the packets and the charts.

Colour-blind-safe: the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), each colour paired
with a marker shape so that no information is carried by hue alone. ``endpoint_style(i)`` gives the i-th
destination's (colour, shape); packets and chart series use the same index so they match.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe–Ito, in an order that keeps neighbours distinct; black is left for text and outlines.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
SHAPES = ("circle", "square", "triangle", "diamond", "pentagon", "hexagon", "star", "cross")

# Status colours (also paired with a glyph where they are shown: ✓ ready, ✕ failed, … pending)
STATUS = {
    "ready": "#009E73",      # bluish green
    "not_ready": "#D55E00",  # vermillion
    "pending": "#E69F00",    # orange
    "terminating": "#999999",
    "cordoned": "#0072B2",   # blue
    "dropped": "#D55E00",
}


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    cluster_fill: str
    node_fill: str
    node_border: str
    text: str
    muted_text: str
    edge: str
    selection: str


LIGHT = Theme("light", background="#FFFFFF", cluster_fill="#F4F6F8", node_fill="#FFFFFF", node_border="#5B6770",
              text="#111111", muted_text="#4A5560", edge="#6B7780", selection="#0072B2")
DARK = Theme("dark", background="#1E1F22", cluster_fill="#26282C", node_fill="#2E3136", node_border="#A0A8B0",
             text="#F2F2F2", muted_text="#B8C0C8", edge="#9AA4AE", selection="#56B4E9")


def endpoint_style(index: int) -> tuple[str, str]:
    """(colour, shape) of the index-th destination: colours cycle every 8, shapes shift each cycle so
    the first 64 destinations are all distinct pairs."""
    colour = OKABE_ITO[index % len(OKABE_ITO)]
    shape = SHAPES[(index + index // len(OKABE_ITO)) % len(SHAPES)]
    return colour, shape
