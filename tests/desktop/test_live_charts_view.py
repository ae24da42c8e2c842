"""The charts in the live view: a reset empties them, a page opened while paused is drawn, and the second
page's event markers are labelled where no legend is (HG's findings under Xvfb)."""

from __future__ import annotations

import numpy as np

from tests.desktop.test_live_view import WEB, live  # noqa: F401  (the fixture)


def _bars(charts) -> int:
    opts = charts.bars.opts
    return 0 if opts.get("height") is None else int(np.size(opts["height"]))


def test_reset_empties_the_charts(live, qtbot):  # noqa: F811
    """After Reset (t = 0) the old run's bars and requests/s curves stayed."""
    charts = live.charts
    for _ in range(100):
        live.driver.step()
    live.charts.set_services([WEB])
    qtbot.waitUntil(lambda: _bars(charts) == 3, timeout=5000)
    assert any(c.xData is not None and c.xData.size for c in charts.rps_curves.values())
    live.driver.reset()
    qtbot.waitUntil(lambda: _bars(charts) == 0, timeout=5000)
    assert all(c.xData is None or c.xData.size == 0 for c in charts.rps_curves.values())
    assert charts.last_expected == {}


def test_the_second_page_opened_while_paused_is_drawn(live, qtbot):  # noqa: F811
    charts = live.charts
    for _ in range(100):
        live.driver.step()
    assert not live.driver.playing
    charts.tabs.setCurrentIndex(1)
    def drawn(curve) -> bool:
        return curve is not None and curve.xData is not None and curve.xData.size > 0

    qtbot.waitUntil(lambda: bool(charts.lat_curves) and drawn(charts.lat_curves[0]) and drawn(charts.fair_curve),
                    timeout=5000)


def test_second_page_markers_are_labelled_on_the_latency_chart_not_over_the_drops_legend(live):  # noqa: F811
    charts = live.charts
    charts.tabs.setCurrentIndex(1)
    charts.add_marker(5.0, "node-2 NotReady")
    t, items = charts._marker_items[-1]
    labelled = {id(plot) for plot, line in items if getattr(line, "label", None) is not None}
    assert id(charts.lat_plot) in labelled and id(charts.drop_plot) not in labelled
