"""The charts' second page is made on first use, with the event markers placed before it existed."""

from __future__ import annotations

import pytest

pytest.importorskip("pyqtgraph")


def _lines(plot):
    import pyqtgraph as pg

    return [i for i in plot.items if isinstance(i, pg.InfiniteLine)]


def test_second_page_made_on_first_show_with_earlier_markers(qtbot):
    from desktop.live.charts import LiveCharts
    from desktop.live.feed import PodColours

    charts = LiveCharts(PodColours())
    qtbot.addWidget(charts)
    charts.add_marker(3.0, "node-2 NotReady")
    assert charts._page2 is None  # not made before it is needed
    charts.tabs.setCurrentIndex(1)
    assert charts._page2 is not None
    drop, lat, fair = charts._page2
    for plot in (charts.rps_plot, charts.conn_plot, drop, lat, fair):
        assert [line.value() for line in _lines(plot)] == [3.0]
    # one chart of each page carries the marker's words: requests/s, and latency (the drops chart's legend
    # is where the words would go)
    assert _lines(lat)[0].label.format == "node-2 NotReady"
    assert getattr(_lines(drop)[0], "label", None) is None
    charts.add_marker(7.5, "node-2 Ready")  # after: straight into all five
    assert [line.value() for line in _lines(fair)] == [3.0, 7.5]
    charts.clear_markers_after(5.0)
    assert [line.value() for line in _lines(fair)] == [3.0]
    assert [line.value() for line in _lines(charts.rps_plot)] == [3.0]
    assert len(charts.lat_curves) == 3 and charts.fair_curve is not None


def test_a_tall_chart_dock_stacks_its_charts_and_a_wide_one_lines_them_up(qtbot):
    """Projector mode's C puts the charts beside the canvas, half the screen wide and the whole height: side
    by side the third chart was cut off (seen under Xvfb at 1280x720)."""
    from desktop.live.charts import LiveCharts
    from desktop.live.feed import PodColours

    charts = LiveCharts(PodColours())
    qtbot.addWidget(charts)
    charts.resize(1200, 220)
    charts.show()
    qtbot.wait(20)
    page1 = (charts.share_plot, charts.rps_plot, charts.conn_plot)
    assert [charts.glw.ci.items[p][0] for p in page1] == [(0, 0), (0, 1), (0, 2)]
    charts.resize(620, 600)
    qtbot.waitUntil(lambda: charts.stacked, timeout=2000)
    assert [charts.glw.ci.items[p][0] for p in page1] == [(0, 0), (1, 0), (2, 0)]
    page2 = (charts.drop_plot, charts.lat_plot, charts.fair_plot)  # made while stacked: stacked too
    assert [charts.glw2.ci.items[p][0] for p in page2] == [(0, 0), (1, 0), (2, 0)]
    charts.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    right = max(p.sceneBoundingRect().right() for p in page2)
    assert right <= charts.glw2.width() + 1  # nothing cut off at the right
    charts.resize(1200, 154)  # the charts' height in a 1280x720 window
    qtbot.waitUntil(lambda: not charts.stacked, timeout=2000)
    assert [charts.glw2.ci.items[p][0] for p in page2] == [(0, 0), (0, 1), (0, 2)]
    charts.tabs.setCurrentIndex(0)
    qtbot.wait(50)
    # back side by side, the charts fit the short dock again (they stayed as tall as stacked, cut off)
    for p in page1:
        assert p.geometry().bottom() <= charts.glw.height() + 1, (p.geometry(), charts.glw.height())


def test_charts_stacked_at_first_then_docked_wide_and_short_fit_the_dock(qtbot):
    """A chart widget first laid out tall (stacked), then docked under a 1280x720 canvas (~1276x124 px of
    plots): the plots were left 168 px tall, their axes cut off (seen under Xvfb)."""
    from desktop.live.charts import LiveCharts
    from desktop.live.feed import PodColours

    charts = LiveCharts(PodColours())
    qtbot.addWidget(charts)
    charts.resize(300, 600)
    charts.show()
    qtbot.waitUntil(lambda: charts.stacked, timeout=2000)
    charts.resize(1280, 154)
    qtbot.waitUntil(lambda: not charts.stacked, timeout=2000)
    qtbot.wait(50)
    for p in (charts.share_plot, charts.rps_plot, charts.conn_plot):
        assert p.geometry().bottom() <= charts.glw.height() + 1, (p.geometry(), charts.glw.height())
