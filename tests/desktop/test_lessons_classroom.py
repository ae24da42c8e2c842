"""Every built-in lesson played start to finish as a teacher would: the full window (live view driving packets
and charts), projector mode on, → to the end, in Korean and in English; switching language on the last step
leaves no text in the other language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.lessons.model import builtin_lessons
from tests.desktop.test_i18n_runtime import stale, visible_texts


@pytest.fixture
def window(qtbot, qm_dir, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop import i18n
    from desktop.lessons.controller import install
    from desktop.live import install as install_live
    from desktop.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    i18n.install(w)
    w.resize(1280, 720)
    w.show()
    w.install_late("live", install_live)
    w.install_late("lessons", install)
    yield w
    les = w.extensions["lessons"]
    les.projector.leave()
    les.close()
    w.extensions["live"].driver.stop()
    w.extensions["i18n"].set_language("en", remember=False)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_lesson_plays_to_the_end_in_projector_mode(qtbot, window, lang):
    les = window.extensions["lessons"]
    languages = window.extensions["i18n"]
    other = "en" if lang == "ko" else "ko"
    for path in builtin_lessons():
        languages.set_language(lang, remember=False)
        les.open_lesson(path)
        qtbot.waitUntil(lambda p=path: les.player is not None and les.lesson.path == p, timeout=10000)
        les.projector.enter()
        shown = []
        for _ in range(4 * len(les.lesson.steps)):
            if les.player.phase == "done":
                break
            les.next_step()  # → : reveal, skip to the end of the step, or the next step
            qtbot.wait(5)
            caption = les.projector.caption
            shown.append((caption.head.text(), caption.text.text() or caption.answer.text() or caption.question.text()))
        assert les.player.phase == "done", path.name
        assert les.clock.time == pytest.approx(les.lesson.steps[-1].until), path.name
        assert all(head and text for head, text in shown), path.name
        last = les.lesson.steps[-1]
        assert les.projector.caption.text.text() == (last.caption.get(lang) if last.predict is None else "")
        for now in (other, lang):
            languages.set_language(now, remember=False)
            qtbot.wait(20)
            assert stale(visible_texts(window), now) == [], (path.name, now)
        les.projector.leave()


def test_projector_mode_scales_the_legend_and_labels_the_selection(qtbot, window):
    """Entering projector mode at 720 px: the legend strip's type 1.5 times larger (12 → 18 px); the canvas
    names the selected objects even where pods are cells; leaving puts both back."""
    les = window.extensions["lessons"]
    legend = window.extensions["live"].legend
    les.open_lesson(builtin_lessons()[0])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    window.resize(1280, 720)
    les.projector.enter()
    assert les.projector.scale() >= 1.0
    assert legend.scale == pytest.approx(1.5 * les.projector.scale())
    refs = les.lesson.steps[0].focus
    assert refs  # lesson 1's first step selects what it is about ...
    assert window.scene.renderer.labelled == set(window.scene.selected_refs()) != set()  # ... and it is named
    # a packet chosen (canvas or event list): the pods on its path are named too, by ref and by key
    from core.dataplane.samples import Hop, Sample
    from core.model import ObjectRef

    live = window.extensions["live"]
    pod = sorted(live.driver.run.sim.state.pods.values(), key=lambda p: p.name)[0]
    ref = ObjectRef("Pod", pod.namespace, pod.name)
    client = ObjectRef("Client", "", "browser")
    sample = Sample(1.0, "f", 0, client, "1.2.3.4:5", "web", "delivered", 20,
                    (Hop(client, 0, 10, "1.2.3.4:5", "10.96.0.9:80", "1.2.3.4:5", "10.96.0.9:80", None, "", "forwarded"),
                     Hop(ref, 10, 20, "1.2.3.4:5", "10.244.0.5:80", "1.2.3.4:5", "10.244.0.5:80", None, "", "delivered")))
    live.select_packet(sample)
    assert window.scene.renderer.labelled == set(window.scene.selected_refs()) | {ref, (pod.namespace, pod.name)}
    live.trace.clear()
    assert window.scene.renderer.labelled == set(window.scene.selected_refs())
    les.projector.leave()
    assert legend.scale == 1.0 and window.scene.renderer.labelled == set()


def test_projector_c_shows_the_charts_beside_the_canvas(qtbot, window):
    """Lesson captions send students to the drop and fairness charts: C shows them beside the canvas in
    projector mode (they are hidden with the rest of the chrome), C again hides them; Esc restores the layout."""
    les = window.extensions["lessons"]
    les.open_lesson(builtin_lessons()[3])
    qtbot.waitUntil(lambda: les.player is not None, timeout=10000)
    window.resize(1280, 720)
    charts = window.docks["live-charts"]
    les.projector.enter()
    assert not charts.isVisible()
    width = window.view.width()
    qtbot.keyClick(window, Qt.Key.Key_C)
    qtbot.wait(50)
    assert charts.isVisible() and charts.width() > 400 and window.view.width() < width - 400
    tabs = window.extensions["live"].charts.tabs
    assert tabs.currentIndex() == 0
    qtbot.keyClick(window, Qt.Key.Key_C)  # the second page: drops by reason, latency
    assert charts.isVisible() and tabs.currentIndex() == 1
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert not charts.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_C)
    les.projector.leave()
    assert not les.projector.active
