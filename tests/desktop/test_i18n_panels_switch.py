"""Runtime language switch in the panels that word their rows themselves: the event log (every row already
listed), the packet trace, compare mode's configurations and the comparison table — and drop reasons in
words (English and Korean), never their code names (``timeout_dead_endpoint``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.dataplane.samples import Hop, Sample
from core.model import ObjectRef
from core.scenario import load_model
from desktop.lessons.model import builtin_lessons, load_lesson
from desktop.live.adapter import PacketEvent

ROOT = Path(__file__).resolve().parents[2]
LESSONS = {p.stem: p for p in builtin_lessons()}


@pytest.fixture
def languages(qtbot, qm_dir):
    from desktop.i18n import Languages

    lang = Languages()
    lang.set_language("en", remember=False)
    yield lang
    lang.set_language("en", remember=False)


def switch(qtbot, languages, lang):
    languages.set_language(lang, remember=False)
    qtbot.wait(30)  # LanguageChange is delivered through the event queue


def dead_pod_sample() -> Sample:
    node, pod = ObjectRef("Node", "", "node-1"), ObjectRef("Pod", "default", "web-b")
    hops = (Hop(ObjectRef("Client", "", "batch-job"), 0, 100, "10.244.0.9:40000", "10.96.0.10:80",
                "10.244.0.9:40000", "10.96.0.10:80", None, "routed to node-1", "forwarded"),
            Hop(node, 100, 200, "10.244.0.9:40000", "10.96.0.10:80", "10.244.0.9:40000", "10.244.1.7:8080",
                None, "iptables: -> 10.244.1.7:8080", "forwarded"),
            Hop(pod, 200, 300, "10.244.0.9:40000", "10.244.1.7:8080", "10.244.0.9:40000", "10.244.1.7:8080",
                None, "pod web-b is gone: SYN unanswered -> timeout_dead_endpoint", "timeout_dead_endpoint"))
    return Sample(1.5, "batch-web", 7, ObjectRef("Client", "", "batch-job"), "10.244.0.9:40000",
                  "10.96.0.10:80", "timeout_dead_endpoint", 300, hops)


def test_event_log_rows_and_drop_reasons_follow_the_language(qtbot, languages):
    from desktop.panels.events import EventsPanel

    panel = EventsPanel()
    qtbot.addWidget(panel)
    panel.add_events([
        PacketEvent(1.0, "Node node-1", "dnat", "DNAT 10.96.0.10:80 -> 10.244.1.7:8080", 1, 1,
                    args=("10.96.0.10:80", "10.244.1.7:8080")),
        PacketEvent(1.1, "Pod default/web-b", "drop", "dropped: timeout_dead_endpoint", 1, 2,
                    args=("timeout_dead_endpoint",)),
    ])
    row = panel.tree.topLevelItem(1)
    assert (row.text(1), row.text(3)) == ("drop", "dropped: timed out: sent to a dead pod")
    assert row.toolTip(3).startswith("timeout_dead_endpoint: ")  # the code stays findable, in the tooltip
    switch(qtbot, languages, "ko")
    assert (row.text(1), row.text(3)) == ("드롭", "드롭: 타임아웃: 죽은 파드로 보내짐")
    assert panel.tree.headerItem().text(3) != "What" and panel.kind_box.itemText(0) != "All types"
    panel.search.setText("타임아웃")  # the filter finds what is shown
    assert panel.visible_events() == [panel.events[1]]
    panel.search.setText("")
    switch(qtbot, languages, "en")
    assert (row.text(1), row.text(3)) == ("drop", "dropped: timed out: sent to a dead pod")
    assert panel.tree.headerItem().text(3) == "What" and panel.kind_box.itemText(0) == "All types"


def test_trace_and_canvas_drop_text_in_words(qtbot, languages):
    from desktop.panels.trace import TracePanel

    panel = TracePanel()
    qtbot.addWidget(panel)
    panel.show_sample(dead_pod_sample(), hop=2)
    assert panel.summary.text().endswith("dropped: timed out: sent to a dead pod")
    assert panel.rows()[2][6] == "pod web-b is gone: SYN unanswered -> timed out: sent to a dead pod"
    assert "timeout_dead_endpoint" not in " ".join(" ".join(r) for r in panel.rows()) + panel.summary.text()
    switch(qtbot, languages, "ko")
    assert panel.summary.text().endswith("드롭: 타임아웃: 죽은 파드로 보내짐")
    assert panel.tree.currentItem() is panel.tree.topLevelItem(2)  # the chosen hop stays chosen

    # the canvas's drop mark (hover text) is worded the same way
    from PySide6.QtCore import QPointF

    from desktop.canvas.packets import PacketLayer
    from desktop.live.adapter import Frame
    from desktop.live.feed import PacketFeed, PodColours

    layer = PacketLayer()
    feed = PacketFeed(layer, lambda ref: QPointF(len(ref.name) * 10.0, 0.0), PodColours())
    feed.add_frame(Frame(1.6, 0.1, (), [dead_pod_sample()], [5]), wall_now=0.0, speed=1.0, step_mode=True)
    assert layer._drop_text[5] == "Pod web-b에서 드롭: 타임아웃: 죽은 파드로 보내짐"


def test_compare_configurations_and_the_comparison_table_follow_the_language(qtbot, languages):
    from core.scenario import load_document
    from desktop.lessons.compare import CompareWindow
    from desktop.lessons.table import LessonTable

    path = LESSONS["01-why-services"]
    w = CompareWindow(load_model(path), list(load_document(path)), a="as-is", b="classroom")
    qtbot.addWidget(w)
    assert (w.combo_a.currentText(), w.combo_b.currentText()) == ("as in the file", "classroom timings")
    switch(qtbot, languages, "ko")
    assert (w.combo_a.currentText(), w.combo_b.currentText()) == ("파일 그대로", "수업용 타이밍")
    assert w.combo_a.itemText(1) == "iptables"  # mode names are the same in both languages
    switch(qtbot, languages, "en")
    assert w.combo_b.currentText() == "classroom timings"
    w.close()

    table = LessonTable()
    qtbot.addWidget(table)
    lesson, _doc = load_lesson(LESSONS["06-comparison"])
    table.show_lesson(lesson, "en")
    assert table.verticalHeaderItem(0).text() == "Reachable from outside the cluster"
    switch(qtbot, languages, "ko")  # nobody re-shows it: the table follows the language on its own
    assert table.verticalHeaderItem(0).text() == "외부 접속"
    assert [table.horizontalHeaderItem(j).text() for j in range(4)] == ["ClusterIP", "NodePort", "LoadBalancer",
                                                                         "Ingress"]
    assert table.item(0, 0).toolTip().startswith("클러스터 밖에서는 경로가 없음")
