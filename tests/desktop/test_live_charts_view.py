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


def test_marker_labels_close_in_time_are_printed_at_different_heights(qtbot):
    """At 1280x720 'node-3 NotReady', 'node-2 NotReady', 'mode ipvs' and 'IPVS lc' (17-45 s) were printed over
    each other (three heights in turn); a label that fits beside the last one at the top goes there again."""
    from desktop.live.charts import LABEL_ROWS, LiveCharts
    from desktop.live.feed import PodColours

    charts = LiveCharts(PodColours())
    qtbot.addWidget(charts)
    charts.resize(1280, 200)
    charts.show()
    charts.rps_plot.setXRange(0.0, 60.0, padding=0)
    qtbot.waitUntil(lambda: charts.rps_plot.getViewBox().width() > 100, timeout=3000)
    for t, label in ((17.0, "node-3 NotReady"), (23.0, "node-2 NotReady"), (42.0, "mode ipvs"), (45.0, "IPVS lc")):
        charts.add_marker(t, label)
    rows = [row for _t, _w, row in charts._marker_rows]
    wide = {t: w for t, w, _r in charts._marker_rows}
    assert wide[17.0] > 6.0, "a label spans seconds at this width (the test means something)"
    for (t1, w1, r1), (t2, _w2, r2) in zip(charts._marker_rows, charts._marker_rows[1:], strict=False):
        if t2 - t1 < w1 + wide[t2]:
            assert r1 != r2, (t1, t2, rows)
    labelled = [line for _t, items in charts._marker_items for plot, line in items if plot is charts.rps_plot]
    assert [line.label.orthoPos for line in labelled] == [charts._label_position(charts.rps_plot, r) for r in rows]
    assert all(p <= LABEL_ROWS[0] for p in (line.label.orthoPos for line in labelled))
    charts.add_marker(200.0, "node-3 Ready")  # far later: room at the top again
    assert charts._marker_rows[-1][2] == 0
    charts.clear_markers_after(30.0)
    assert [t for t, _w, _r in charts._marker_rows] == [17.0, 23.0]


def test_marker_labels_on_a_short_chart_stay_inside_it(qtbot):
    """At 1280x720 the charts are ~80 px tall: a label centred at 92 % of the height had its top half cut by
    the chart's edge ('mode ipvs', user test). Rows start just under the top, a label's height apart."""
    from PySide6.QtGui import QFontMetricsF

    from desktop.live.charts import LiveCharts
    from desktop.live.feed import PodColours

    charts = LiveCharts(PodColours())
    qtbot.addWidget(charts)
    charts.resize(1280, 150)
    charts.show()
    qtbot.waitUntil(lambda: charts.rps_plot.getViewBox().height() > 20, timeout=3000)
    height = charts.rps_plot.getViewBox().height()
    half = (QFontMetricsF(charts.font()).height() + 4) / 2 / height
    positions = [charts._label_position(charts.rps_plot, row) for row in range(4)]
    assert positions[0] + half <= 1.0, "the top label's upper edge inside the chart"
    assert all(b < a for a, b in zip(positions, positions[1:], strict=False)), "rows go down"
