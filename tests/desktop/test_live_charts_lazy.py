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
    # the first chart of each page carries the marker's words
    assert _lines(drop)[0].label.format == "node-2 NotReady"
    assert getattr(_lines(lat)[0], "label", None) is None
    charts.add_marker(7.5, "node-2 Ready")  # after: straight into all five
    assert [line.value() for line in _lines(fair)] == [3.0, 7.5]
    charts.clear_markers_after(5.0)
    assert [line.value() for line in _lines(fair)] == [3.0]
    assert [line.value() for line in _lines(charts.rps_plot)] == [3.0]
    assert len(charts.lat_curves) == 3 and charts.fair_curve is not None
