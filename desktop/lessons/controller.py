"""The Lessons extension of the main window: the Lessons menu, the Lesson dock, the player and projector mode.

``install(window)`` (called through ``window.install_late("lessons", install)``) adds a Lessons menu (the
built-in lessons by title in the current language, Open lesson…, next/previous step, projector mode F5,
compare mode, record a lesson) and a Lesson dock. Whenever the session opens a document holding a ``Lesson``
object, the player starts on it. The player drives the live view's driver when that driver offers the clock
members (``time``, ``play_to``, ``pause``, ``seek``, ``apply``, ``time_changed``, ``target_reached``);
otherwise its own ``LessonClock``, whose cluster state it hands to the canvas (``scene.apply_cluster_state``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from core.scenario import ScenarioError
from desktop import export, i18n
from desktop.i18n import Languages
from desktop.lessons.model import (
    LESSON_KIND,
    Lesson,
    builtin_lessons,
    focus_ref,
    lesson_from_raw,
    lesson_problems,
    load_lesson,
)
from desktop.lessons.panel import LessonPanel
from desktop.lessons.player import LessonClock, LessonPlayer, LiveClock
from desktop.lessons.projector import SCHEDULERS, ProjectorMode
from desktop.lessons.table import LessonTable

CLOCK_MEMBERS = ("time", "run_to", "play", "pause", "seek", "apply", "time_changed", "target_reached")
__all__ = ["CLOCK_MEMBERS", "Lessons", "LiveClock", "install"]


def _languages(window) -> Languages:
    return i18n.install(window)


class Lessons(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.languages = _languages(window)
        self.lesson: Lesson | None = None
        self.player: LessonPlayer | None = None
        self.clock = None
        self.panel = LessonPanel()
        self.panel.next_requested.connect(self.next_step)
        self.panel.previous_requested.connect(self.previous_step)
        # beside the inspector (a tab of it), so a long caption gets the dock's whole height
        self.dock = window.add_dock("lesson", self.tr("Lesson"), self.panel, Qt.DockWidgetArea.RightDockWidgetArea,
                                    tabify_with="inspector" if "inspector" in window.docks else None)
        self.table = LessonTable()
        self.table.cell_chosen.connect(self.go_to_lesson_step)
        self.table_dock = window.add_dock("lesson-table", self.tr("Comparison table"), self.table,
                                          Qt.DockWidgetArea.BottomDockWidgetArea)
        self.table_dock.hide()
        self._pending_step: int | None = None
        self.projector = ProjectorMode(window, self)
        self._build_menu()
        self.languages.language_changed.connect(lambda _lang: self.retranslate())
        # after the live view (if any) has rebuilt its run for the new document
        window.session.document_replaced.connect(lambda: QTimer.singleShot(0, self._on_document_replaced))
        self._on_document_replaced()

    # -- menu -------------------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        w = self.window
        menu = w.menu("lessons")
        self.menu = menu
        self._lesson_actions: list[tuple[QAction, Lesson]] = []
        for path in builtin_lessons():
            try:
                lesson, _ = load_lesson(path)
            except ScenarioError:
                continue  # a broken built-in lesson is a test failure, not a menu crash
            action = menu.addAction("")
            action.triggered.connect(lambda _=False, p=path: self.open_lesson(p))
            self._lesson_actions.append((action, lesson))
        menu.addSeparator()
        self.open_action = menu.addAction("")
        self.open_action.triggered.connect(self._open_dialog)
        menu.addSeparator()
        self.next_action = menu.addAction("")
        self.next_action.setShortcut(QKeySequence("Ctrl+Right"))
        self.next_action.triggered.connect(self.next_step)
        self.previous_action = menu.addAction("")
        self.previous_action.setShortcut(QKeySequence("Ctrl+Left"))
        self.previous_action.triggered.connect(self.previous_step)
        menu.addSeparator()
        self.projector_action = menu.addAction("")
        self.projector_action.setShortcut(QKeySequence("F5"))
        self.projector_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.projector_action.triggered.connect(self.projector.toggle)
        self.compare_action = menu.addAction("")
        self.compare_action.triggered.connect(self.open_compare)
        self.compare_window = None
        menu.addSeparator()
        self.recorder = None
        self.record_action = menu.addAction("")
        self.record_action.setCheckable(True)
        self.record_action.triggered.connect(self.toggle_recording)
        self.mark_step_action = menu.addAction("")
        self.mark_step_action.triggered.connect(self.mark_step)
        self.mark_predict_action = menu.addAction("")
        self.mark_predict_action.triggered.connect(self.mark_predict)
        # menus are hidden in projector mode, so the window must own the action for F5 to keep working
        w.addAction(self.projector_action)
        self.extra_actions: dict[str, QAction] = {}
        file_menu = w.menu("file")
        entries = file_menu.actions()
        export = w.actions_by_name.get("export")
        after = entries.index(export) + 1 if export in entries else len(entries)
        self.export_menu = QMenu(file_menu)  # beside Export Manifests…, above Quit (Quit stays the last item)
        if after < len(entries):
            file_menu.insertMenu(entries[after], self.export_menu)
        else:
            file_menu.addMenu(self.export_menu)
        self.export_menu.setObjectName("menu-export")
        self.export_actions: dict[str, QAction] = {}
        for key, slot in (("canvas", self.export_canvas), ("charts", self.export_charts),
                          ("metrics", self.export_metrics), ("events", self.export_events),
                          ("manifests", self.export_manifests), ("lesson", self.export_lesson)):
            action = self.export_menu.addAction("")
            action.setObjectName(f"action-export-{key}")
            action.triggered.connect(slot)
            self.export_actions[key] = action
        self.retranslate()

    def add_action(self, key: str, slot) -> QAction:
        """Another part of the classroom tools (compare, export, recording) adds an entry to this menu."""
        action = self.menu.addAction(key)
        action.triggered.connect(slot)
        self.extra_actions[key] = action
        return action

    def retranslate(self) -> None:
        i18n.retranslate_main_window(self.window)
        lang = self.languages.current
        for action, lesson in self._lesson_actions:
            # the menu names the lesson by the part before its dash; the rest goes to the tooltip and status
            # bar (whole titles ran off a 1280x720 screen, cut mid-word: HG)
            title = lesson.title.get(lang)
            head, dash, rest = title.partition(" — ")
            action.setText(f"{lesson.order}. {head}")
            action.setToolTip(title)
            action.setStatusTip(rest if dash else title)
        self.open_action.setText(self.tr("Open lesson file…"))
        self.next_action.setText(self.tr("Next step / reveal"))
        self.previous_action.setText(self.tr("Previous step"))
        self.projector_action.setText(self.tr("Projector mode"))
        self.compare_action.setText(self.tr("Compare two configurations…"))
        self.record_action.setText(self.tr("Stop recording and save the lesson…") if self.recorder
                                   else self.tr("Record a lesson"))
        self.mark_step_action.setText(self.tr("Add a step here…"))
        self.mark_predict_action.setText(self.tr("Add a predict pause here…"))
        self.mark_step_action.setEnabled(self.recorder is not None)
        self.mark_predict_action.setEnabled(self.recorder is not None)
        self.dock.setWindowTitle(self.tr("Lesson"))
        self.table_dock.setWindowTitle(self.tr("Comparison table"))
        self.table.show_lesson(self.lesson, lang)
        self.export_menu.setTitle(self.tr("E&xport as"))
        for key, text in (("canvas", self.tr("Canvas as PNG or SVG…")), ("charts", self.tr("Charts as PNG…")),
                          ("metrics", self.tr("Metrics as CSV…")), ("events", self.tr("Event log as CSV…")),
                          ("manifests", self.tr("Kubernetes manifests…")),
                          ("lesson", self.tr("Lesson as a folder…"))):
            self.export_actions[key].setText(text)
        self.export_actions["lesson"].setEnabled(self.lesson is not None)
        self.refresh()

    # -- opening ----------------------------------------------------------------------------------------
    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open lesson"), str(builtin_lessons()[0].parent),
                                              self.tr("Lessons (*.yaml *.yml)"))
        if path:
            self.open_lesson(Path(path))

    def open_lesson(self, path: Path) -> None:
        self.window.session.open(path)

    def _on_document_replaced(self) -> None:
        session = self.window.session
        doc = session.document
        found = [raw for raw in doc if isinstance(raw, dict) and raw.get("kind") == LESSON_KIND]
        self._stop()
        if not found or session.model is None:
            self.lesson = None
            self.table.show_lesson(None, self.languages.current)
            self.table_dock.hide()
            self.refresh()
            return
        problems = lesson_problems(doc, doc.filename)
        if problems:
            QMessageBox.warning(self.window, self.tr("Lesson"),
                                self.tr("This lesson cannot be played:\n{0}").format(
                                    "\n".join(p.format() for p in problems)))
            self.lesson = None
            self.refresh()
            return
        self.lesson = lesson_from_raw(found[0], Path(doc.filename))
        self.clock = self._make_clock(session.model)
        self.player = LessonPlayer(self.lesson, self.clock, self)
        self.player.changed.connect(self.refresh)
        self.clock.time_changed.connect(self._on_time)
        self.dock.show()
        self.dock.raise_()
        self.export_actions["lesson"].setEnabled(True)
        self.table.show_lesson(self.lesson, self.languages.current)
        self.table_dock.setVisible(bool(self.lesson.table))
        self.player.start()
        if self._pending_step is not None:
            step, self._pending_step = self._pending_step, None
            if 1 <= step <= len(self.lesson.steps):
                self.player.go_to(step - 1)

    def go_to_lesson_step(self, name: str, step: int) -> None:
        """Open lesson ``name`` (a built-in lesson, or the open one) at its 1-based ``step``."""
        if self.lesson is not None and self.lesson.name == name and self.player is not None:
            self.player.go_to(step - 1)
            return
        for path in builtin_lessons():
            try:
                lesson, _ = load_lesson(path)
            except ScenarioError:
                continue
            if lesson.name == name:
                self._pending_step = step
                self.open_lesson(path)
                return
        self.window.statusBar().showMessage(self.tr("No lesson named {0}").format(name), 5000)

    # -- recording ----------------------------------------------------------------------------------------
    def _recording_clock(self):
        """Recording plays the open scenario: the lesson's clock, or a fresh one for a plain scenario."""
        if self.clock is None and self.window.session.model is not None:
            self.clock = self._make_clock(self.window.session.model)
            self.clock.time_changed.connect(self._on_time)
        return self.clock

    def toggle_recording(self) -> None:
        from desktop.lessons.recorder import LessonRecorder, TextsDialog  # noqa: PLC0415

        if self.recorder is None:
            if self._recording_clock() is None:
                self.record_action.setChecked(False)
                self._failed(ValueError(self.tr("The scenario has errors: fix them first (Problems).")))
                return
            dialog = TextsDialog(self.tr("Record a lesson"), [("name", self.tr("Name (letters, digits, -)")),
                                                              ("title_ko", self.tr("Title (Korean)")),
                                                              ("title_en", self.tr("Title (English)"))], self.window)
            if dialog.exec() != TextsDialog.DialogCode.Accepted or not dialog.value("name"):
                self.record_action.setChecked(False)
                return
            self.recorder = LessonRecorder(dialog.value("name"), dialog.text("title"))
            self.window.statusBar().showMessage(self.tr("Recording: play, act, and add steps"), 6000)
        else:
            path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save the recorded lesson"),
                                                  f"{self.recorder.name}.yaml", self.tr("Lessons (*.yaml *.yml)"))
            if path:
                try:
                    saved = self.recorder.save(self.window.session.document, list(getattr(self.clock, "actions", [])),
                                               path)
                    self._done(self.tr("Lesson"), saved)
                except (OSError, ValueError, ScenarioError) as exc:
                    self._failed(exc)
                    self.record_action.setChecked(True)
                    return
            self.recorder = None
        self.record_action.setChecked(self.recorder is not None)
        self.retranslate()

    def mark_step(self) -> None:
        from desktop.lessons.recorder import TextsDialog  # noqa: PLC0415

        if self.recorder is None or self.clock is None:
            return
        at = self.clock.time
        dialog = TextsDialog(self.tr("Step at t = {0} s").format(f"{at:.1f}"),
                             [("caption_ko", self.tr("Caption (Korean)")), ("caption_en", self.tr("Caption (English)"))],
                             self.window)
        if dialog.exec() == TextsDialog.DialogCode.Accepted:
            try:
                self.recorder.add_step(at, dialog.text("caption"))
            except ValueError as exc:
                self._failed(exc)

    def mark_predict(self) -> None:
        from desktop.lessons.recorder import TextsDialog  # noqa: PLC0415

        if self.recorder is None or self.clock is None:
            return
        at = self.clock.time
        dialog = TextsDialog(self.tr("Predict pause answered at t = {0} s").format(f"{at:.1f}"),
                             [("question_ko", self.tr("Question (Korean)")), ("question_en", self.tr("Question (English)")),
                              ("answer_ko", self.tr("Answer (Korean)")), ("answer_en", self.tr("Answer (English)"))],
                             self.window)
        if dialog.exec() == TextsDialog.DialogCode.Accepted:
            try:
                self.recorder.add_predict(at, dialog.text("question"), dialog.text("answer"))
            except ValueError as exc:
                self._failed(exc)

    def open_compare(self) -> None:
        """Compare mode on the open scenario (iptables against IPVS lc to start with)."""
        from desktop.lessons.compare import CompareWindow  # noqa: PLC0415  (imports pyqtgraph)

        model = self.window.session.model
        if model is None:
            self._failed(ValueError(self.tr("The scenario has errors: fix them first (Problems).")))
            return
        if self.compare_window is not None:
            self.compare_window.close()
        self.compare_window = CompareWindow(model, list(self.window.session.document), self.window)
        self.compare_window.show()

    # -- exports ----------------------------------------------------------------------------------------
    def _ask(self, title: str, filters: str, suggested: str) -> Path | None:
        base = Path(self.window.session.path or "") if getattr(self.window.session, "path", None) else Path.cwd()
        start = str((base.parent if base.suffix else base) / suggested)
        path, _ = QFileDialog.getSaveFileName(self.window, title, start, filters)
        return Path(path) if path else None

    def _done(self, what: str, path: Path) -> None:
        self.window.statusBar().showMessage(self.tr("{0} written to {1}").format(what, str(path)), 6000)

    def _failed(self, exc: Exception) -> None:
        QMessageBox.warning(self.window, self.tr("Not exported"), str(exc))

    def _stem(self) -> str:
        return Path(getattr(self.window.session.document, "filename", "podpath")).stem or "podpath"

    def export_canvas(self) -> None:
        path = self._ask(self.tr("Export canvas"), self.tr("PNG image (*.png);;SVG drawing (*.svg)"),
                         f"{self._stem()}.png")
        if path:
            try:
                export.export_canvas(self.window.scene, path)
                self._done(self.tr("Canvas"), path)
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def export_charts(self) -> None:
        charts = getattr(self.window.extensions.get("live"), "charts", None)
        if charts is None:
            self._failed(ValueError(self.tr("No charts to export: the live view is not running.")))
            return
        path = self._ask(self.tr("Export charts"), self.tr("PNG image (*.png)"), f"{self._stem()}-charts.png")
        if path:
            try:
                export.export_widget_png(charts, path)
                self._done(self.tr("Charts"), path)
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def _run_so_far(self) -> tuple[float, list]:
        now = self.clock.time if self.clock is not None else 0.0
        actions = getattr(self.clock, "actions", []) if self.clock is not None else []
        return now, list(actions)

    def export_metrics(self) -> None:
        model = self.window.session.model
        if model is None:
            self._failed(ValueError(self.tr("The scenario has errors: nothing ran.")))
            return
        now, actions = self._run_so_far()
        if now <= 0:
            now = 30.0  # nothing played yet: the first half minute
        path = self._ask(self.tr("Export metrics"), self.tr("CSV (*.csv)"), f"{self._stem()}-metrics.csv")
        if path:
            try:
                export.write_metrics_csv(export.run_ticks(model, now, actions), path)
                self._done(self.tr("Metrics"), path)
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def export_events(self) -> None:
        sim = getattr(self.clock, "sim", None) if self.clock is not None else None
        if sim is None:
            self._failed(ValueError(self.tr("Nothing has run yet: play the scenario first.")))
            return
        path = self._ask(self.tr("Export event log"), self.tr("CSV (*.csv)"), f"{self._stem()}-events.csv")
        if path:
            try:
                export.write_events_csv(sim.state.events, path)
                self._done(self.tr("Event log"), path)
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def export_manifests(self) -> None:
        path = self._ask(self.tr("Export Kubernetes manifests"), self.tr("YAML (*.yaml *.yml)"),
                         f"{self._stem()}-k8s.yaml")
        if path:
            try:
                export.write_manifests(self.window.session.document, path)
                self._done(self.tr("Manifests"), path)
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def export_lesson(self, folder: Path | None = None) -> Path | None:
        """The lesson as a folder: the file, its manifests, a bilingual handout, and the canvas at each step's end."""
        if self.lesson is None or self.lesson.path is None:
            return None
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self.window, self.tr("Export lesson into folder"))
            if not chosen:
                return None
            folder = Path(chosen) / self.lesson.path.stem
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shots = self._step_snapshots(folder)
            export.export_lesson_folder(self.lesson, self.lesson.path, self.window.session.document, folder,
                                        snapshots=shots)
            self._done(self.tr("Lesson"), folder)
            return folder
        except (OSError, ValueError) as exc:
            self._failed(exc)
            return None

    def _step_snapshots(self, folder: Path) -> dict[int, Path]:
        """The canvas at the end of every step (the clock is put back where it was)."""
        clock, player = self.clock, self.player
        if clock is None or player is None or self.lesson is None:
            return {}
        back, index, phase, revealed = clock.time, player.index, player.phase, player.revealed
        clock.pause()
        shots = {}
        try:
            for i, step in enumerate(self.lesson.steps, 1):
                clock.seek(step.until)
                QCoreApplication.processEvents()
                shots[i] = export.export_canvas(self.window.scene, folder / f"step-{i}.png", width=1600)
        finally:
            clock.seek(back)
            player.index, player.phase, player.revealed = index, phase, revealed
            self.refresh()
        return shots

    def _make_clock(self, model):
        live = self.window.extensions.get("live")
        driver = getattr(live, "driver", None)
        if driver is not None and all(hasattr(driver, m) for m in CLOCK_MEMBERS):
            return LiveClock(driver, self)
        return LessonClock(model, self)

    def _stop(self) -> None:
        if self.player is not None:
            self.player.changed.disconnect(self.refresh)
            self.player.deleteLater()
            self.player = None
        if self.clock is not None:
            self.clock.stop()
            self.clock.deleteLater()
        self.clock = None

    def close(self) -> None:
        self._stop()

    # -- showing ------------------------------------------------------------------------------------------
    def status(self) -> str:
        if self.clock is None:
            return ""
        mode = ""
        proxy = self._proxy_config()
        if proxy is not None:
            m = proxy.mode
            mode = f" · {m} {proxy.ipvs_scheduler}" if m == "ipvs" else f" · {m}"
        return self.tr("t = {0} s").format(f"{self.clock.time:.1f}") + mode

    def refresh(self) -> None:
        view = self.player.view(self.languages.current) if self.player and self.lesson else None
        self.panel.show_view(view)
        self.projector.caption.show_view(view, self.status())
        if view is not None and (view["index"], tuple(view["focus"])) != getattr(self, "_focused", None):
            # a new step: select what it is about (the canvas highlights and, in projector mode, labels it)
            self._focused = (view["index"], tuple(view["focus"]))
            refs = [r for f in view["focus"] if (r := focus_ref(f)) is not None]
            if refs:
                self.window.select_refs(refs)

    def _on_time(self, _t: float) -> None:
        self.projector.caption.show_view(
            self.player.view(self.languages.current) if self.player else None, self.status())
        scene = self.window.scene
        sim = getattr(self.clock, "sim", None)
        if isinstance(self.clock, LessonClock) and sim is not None and hasattr(scene, "apply_cluster_state"):
            scene.apply_cluster_state(sim.state)

    # -- commands (menu, panel, projector keys) ---------------------------------------------------------
    def _live_driver(self):
        """The live view's driver, for the projector keys when no lesson is open (any scenario)."""
        return getattr(self.window.extensions.get("live"), "driver", None)

    def _active_clock(self):
        if self.clock is not None:
            return self.clock
        driver = self._live_driver()
        if driver is None:
            return None
        cached = getattr(self, "_live_clock", None)
        if cached is None or cached.driver is not driver:  # one adapter per driver (a new document, a new driver)
            if cached is not None:
                cached.deleteLater()
            self._live_clock = cached = LiveClock(driver, self)
        return cached

    def next_step(self) -> None:
        """→: the lesson's next step (or reveal); without a lesson, one simulation step."""
        if self.player:
            self.player.next()
        elif (driver := self._live_driver()) is not None:
            driver.step()

    def previous_step(self) -> None:
        """←: back to the previous lesson step; without a lesson, one simulation step back."""
        if self.player:
            self.player.previous()
        elif (driver := self._live_driver()) is not None:
            driver.step_back()

    def toggle_play(self) -> None:
        c = self._active_clock()
        if c is None:
            return
        if getattr(c, "playing", False):
            c.pause()
        elif hasattr(c, "play"):
            c.play()

    def change_speed(self, factor: float) -> None:
        c = self._active_clock()
        if c is not None and hasattr(c, "speed"):
            c.speed = min(50.0, max(0.1, c.speed * factor))
            self.refresh()

    def _proxy_config(self):
        """The kube-proxy configuration in force now (after runtime switches), or None."""
        c = self._active_clock()
        sim = getattr(c, "sim", None)
        state = getattr(sim, "state", None) if sim is not None else getattr(c, "state", None)
        return getattr(state, "proxy_config", None)

    def _selected_node(self) -> str | None:
        for ref in self.window.selected_refs():
            if getattr(ref, "kind", None) == "Node":
                return ref.name
        return None

    def _apply(self, action: str, target: str = "", value=None) -> None:
        c = self._active_clock()
        if c is None:
            return
        try:
            c.apply(action, target, value)
        except ValueError as exc:
            self.window.statusBar().showMessage(str(exc), 5000)
        self.refresh()

    def fail_selected_node(self) -> None:
        node = self._selected_node()
        if node:
            self._apply("failNode", node)

    def recover_selected_node(self) -> None:
        node = self._selected_node()
        if node:
            self._apply("recoverNode", node)

    def set_proxy_mode(self, mode: str) -> None:
        self._apply("setProxyMode", "", mode)

    def next_scheduler(self) -> None:
        proxy = self._proxy_config()
        current = proxy.ipvs_scheduler if proxy is not None else "rr"
        nxt = SCHEDULERS[(SCHEDULERS.index(current) + 1) % len(SCHEDULERS)] if current in SCHEDULERS else "rr"
        self._apply("setIPVSScheduler", "", nxt)


def install(window) -> Lessons:
    return Lessons(window)
