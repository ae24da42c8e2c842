"""Projector mode (F5, Esc to leave): full screen, editing chrome hidden, big high-contrast captions, keys.

Entering remembers which menus, toolbars, docks and status bar were visible and hides them; a caption bar
(``CaptionBar``) docks under the canvas; the canvas is fitted to the screen and asked for its projector
level of detail (``scene.set_projector(True)`` when the canvas offers it: larger type, status-coloured pod
cells above ~100 pods with labels only for the selection and the packet path). Leaving restores all of it.

Keys while projecting: Space play/pause, → / Page Down next step or reveal, ← / Page Up previous step (a
presenter remote sends Page Up/Down), F fail the selected node, R recover it, 1 iptables, 2 IPVS, 3 nftables,
S next IPVS scheduler, K the kernel's rules beside the canvas, C the charts beside the canvas, C again their
second page (the captions point at the drop and fairness charts), C again hidden, T lesson 6's comparison table shown or hidden (the
cluster gets the whole height), + / − speed, D light/dark, Esc leave.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QTabBar, QWidget

from desktop.lessons.panel import CaptionBar
from desktop.style import DARK, LIGHT

SCHEDULERS = ("rr", "lc", "dh", "sh", "sed", "nq")
PROXY_KEYS = {"1": "iptables", "2": "ipvs", "3": "nftables"}


class ProjectorMode(QObject):
    entered = Signal()
    left = Signal()

    def __init__(self, window, lessons):
        super().__init__(window)
        self.window = window
        self.lessons = lessons
        self.active = False
        self.theme = LIGHT
        self.caption = CaptionBar()
        self.dock = QDockWidget(window)
        self.dock.setObjectName("dock-projector-caption")
        self.dock.setTitleBarWidget(QWidget())
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.dock.setWidget(self.caption)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.caption.height_needed.connect(self._on_height_needed)
        self._saved: dict = {}
        self._watching_selection = False
        self._keys: list[QShortcut] = []
        bindings = [
            ("Esc", self.leave), ("Space", lessons.toggle_play), ("Right", lessons.next_step),
            ("PgDown", lessons.next_step), ("Left", lessons.previous_step), ("PgUp", lessons.previous_step),
            ("F", lessons.fail_selected_node), ("R", lessons.recover_selected_node), ("S", lessons.next_scheduler),
            ("+", lambda: lessons.change_speed(2.0)), ("=", lambda: lessons.change_speed(2.0)),
            ("-", lambda: lessons.change_speed(0.5)), ("D", self.toggle_theme), ("K", self.toggle_rules),
            ("T", self.toggle_table), ("C", self.toggle_charts),
        ]
        bindings += [(key, lambda m=mode: lessons.set_proxy_mode(m)) for key, mode in PROXY_KEYS.items()]
        for key, slot in bindings:
            sc = QShortcut(QKeySequence(key), window)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.setEnabled(False)
            sc.activated.connect(slot)
            self._keys.append(sc)

    def scale(self) -> float:
        """Type scale: 1.0 at 720 px of screen height, proportional above and below."""
        return max(0.6, self.window.height() / 720.0)

    def _on_height_needed(self, height: int) -> None:
        if self.active:
            self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
            QTimer.singleShot(30, self.fit)

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        table = self.lessons.table_dock
        if table.isVisible():  # lesson 6: the table full width above the caption bar, not squeezed beside it
            # moved out of any tab group first: a group's tab bar left behind stays painted over the table
            w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, table)
        self._saved = {
            # the client rectangle, not saveGeometry(): restoring that without a window manager (a kiosk, Xvfb)
            # put the window 25 px lower on every F5/Esc, its status bar below the screen's edge
            "geometry": w.normalGeometry() if w.isMaximized() else w.geometry(),
            "state": w.saveState(),  # docks, their tabs and sizes, toolbars: restored exactly on leaving
            "menubar": w.menuBar().isVisible(),
            "statusbar": w.statusBar().isVisible(),
            "maximized": w.isMaximized(),
            # open docks, also those behind another tab (hiding only the front one left the group's tab bar)
            "hidden": [d for d in w.findChildren(QDockWidget)
                       if (d.isVisible() or d.toggleViewAction().isChecked()) and d is not self.dock
                       and d is not self.lessons.table_dock],
            "toolbars": [t for t in w.findChildren(QWidget) if t.metaObject().className() == "QToolBar"
                         and t.isVisible()],
            # the user's zoom and where the view was: the projector fits the cluster to the screen, and Esc
            # kept that fit (19 % on 100 nodes, pods blank cells) while the readout still said the user's 44 %
            "view": w.view.view_state() if hasattr(w.view, "view_state") else None,
        }
        for d in self._saved["hidden"]:
            d.hide()
        # the dock groups' tab bars: after a restoreState (leaving projector mode) Qt keeps the old ones around,
        # still shown; without their docks they stayed painted over the caption bar and the table
        for bar in w.findChildren(QTabBar):
            if bar.parent() is w and bar.isVisible():
                bar.hide()
        for t in self._saved["toolbars"]:
            t.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        self.active = True
        for sc in self._keys:
            sc.setEnabled(True)
        self.dock.show()
        if table.isVisible():
            w.splitDockWidget(table, self.dock, Qt.Orientation.Vertical)
            table.setTitleBarWidget(QWidget())  # no "Comparison table" title bar: its height goes to the canvas
        screen = w.screen()
        if screen is not None:  # without a window manager (kiosk, Xvfb) full screen is only a request
            w.setGeometry(screen.geometry())
        w.showFullScreen()
        self._apply_theme()
        self._canvas(True)
        self._on_height_needed(self.caption.minimumHeight())
        self.entered.emit()

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        self.active = False
        for sc in self._keys:
            sc.setEnabled(False)
        self.dock.hide()
        self.lessons.table_dock.setTitleBarWidget(None)
        self._canvas(False)
        w.showNormal()
        w.setGeometry(self._saved["geometry"])
        if self._saved.get("maximized"):
            w.showMaximized()
        w.menuBar().setVisible(self._saved["menubar"])
        w.statusBar().setVisible(self._saved["statusbar"])
        self._apply_theme()
        rules = w.docks.get("live-rules") if hasattr(w, "docks") else None
        if rules is not None and "rules-style" in self._saved:
            rules.widget().setStyleSheet(self._saved.pop("rules-style"))
        # the saved state shows the docks and toolbars that were open, in their tab groups; showing them one by
        # one first made Qt build each group's tab bar twice, and the stale copies stayed painted in the window
        w.restoreState(self._saved["state"])
        self._restore_view()
        # once more when the window has its size back (a window manager resizes it later): same zoom and centre
        QTimer.singleShot(0, self._restore_view)
        self.left.emit()

    def _restore_view(self) -> None:
        state = self._saved.get("view")
        if state is not None and not self.active and hasattr(self.window.view, "restore_view_state"):
            self.window.view.restore_view_state(state)

    def toggle_rules(self) -> None:
        """K: the kernel's rules (the live view's Rules panel) beside the canvas, in larger type, or hidden."""
        dock = self.window.docks.get("live-rules") if hasattr(self.window, "docks") else None
        if dock is None or not self.active:
            return
        if dock.isVisible():
            dock.hide()
            dock.widget().setStyleSheet(self._saved.pop("rules-style", ""))
            return
        self._saved.setdefault("rules-style", dock.widget().styleSheet())
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.widget().setStyleSheet(f"font-size: {round(15 * self.scale())}px;")
        dock.show()
        self.window.resizeDocks([dock], [round(self.window.width() * 0.42)], Qt.Orientation.Horizontal)
        QTimer.singleShot(60, self.fit)

    def toggle_charts(self) -> None:
        """C: the live charts beside the canvas — first page (requests per pod, fairness), C again the second
        (drops by reason, latency), C again hidden; lessons 2-5 ask students to read them."""
        dock = self.window.docks.get("live-charts") if hasattr(self.window, "docks") else None
        if dock is None or not self.active:
            return
        tabs = getattr(dock.widget(), "tabs", None)
        if dock.isVisible():
            if tabs is not None and tabs.currentIndex() < tabs.count() - 1:
                tabs.setCurrentIndex(tabs.currentIndex() + 1)
                return
            dock.hide()
        else:
            if tabs is not None:
                tabs.setCurrentIndex(0)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.show()
            dock.raise_()
            self.window.resizeDocks([dock], [round(self.window.width() * 0.5)], Qt.Orientation.Horizontal)
        QTimer.singleShot(60, self.fit)

    def toggle_table(self) -> None:
        """T: the comparison table (a lesson that has one) under the canvas, or hidden so the cluster gets the
        whole screen above the caption bar (with the table the cluster is ~240 px high at 1280x720)."""
        dock = self.lessons.table_dock
        if not self.active or self.lessons.lesson is None or not self.lessons.lesson.table:
            return
        if dock.isVisible():
            dock.hide()
            # the caption bar would take the freed height: it keeps its own, the canvas gets the rest
            need = self.caption.minimumHeight()
            self.window.resizeDocks([self.dock], [need], Qt.Orientation.Vertical)
            QTimer.singleShot(0, lambda: self.window.resizeDocks([self.dock], [need], Qt.Orientation.Vertical))
        else:
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            self.window.splitDockWidget(dock, self.dock, Qt.Orientation.Vertical)
            dock.setTitleBarWidget(QWidget())
            dock.show()
            self._apply_theme()
        self._canvas(True)

    def toggle_theme(self) -> None:
        self.theme = DARK if self.theme is LIGHT else LIGHT
        self._apply_theme()
        self._canvas(self.active)

    def _apply_theme(self) -> None:
        self.caption.set_theme(self.theme, self.scale())
        self.lessons.table.set_font_px(round(20 * self.scale()) if self.active else 13, compact=self.active)
        if self.active and self.lessons.table_dock.isVisible():
            self.window.resizeDocks([self.lessons.table_dock], [self.lessons.table.preferred_height() + 2],
                                    Qt.Orientation.Vertical)
        self.lessons.refresh()

    def _path_pods(self) -> set:
        """The pods on the selected packet's path (the one the Packet trace shows), by ref and by key."""
        live = getattr(self.window, "extensions", {}).get("live")
        sample = getattr(getattr(live, "trace", None), "sample", None)
        if sample is None:
            return set()
        pods = {h.where for h in sample.hops if h.where.kind == "Pod"}
        return pods | {(r.namespace, r.name) for r in pods}

    def _label_selection(self, *_args) -> None:
        """Above ~100 pods the canvas draws pods as cells without names: the selected ones and the pods on the
        selected packet's path keep a name tag."""
        import shiboken6  # noqa: PLC0415

        scene = self.window.scene
        renderer = getattr(scene, "renderer", None)
        if renderer is None or not hasattr(renderer, "labelled") or not shiboken6.isValid(scene):
            return  # (also: the window is closing, the trace panel cleared after the scene was deleted)
        refs = set(scene.selected_refs()) if self.active and hasattr(scene, "selected_refs") else set()
        if self.active:
            refs |= self._path_pods()
        if refs != renderer.labelled:
            renderer.labelled = refs
            layer = getattr(scene, "layer", None)
            if layer is not None:
                layer.invalidate()

    def _canvas(self, on: bool) -> None:
        scene, view = self.window.scene, self.window.view
        if on and not self._watching_selection and hasattr(scene, "selectionChanged"):
            scene.selectionChanged.connect(self._label_selection)
            trace = getattr(getattr(self.window, "extensions", {}).get("live"), "trace", None)
            if trace is not None and hasattr(trace, "sample_shown"):
                trace.sample_shown.connect(self._label_selection)
            self._watching_selection = True
        if hasattr(scene, "set_projector"):
            scene.set_projector(on, theme=self.theme)
        self._label_selection()
        live = getattr(self.window, "extensions", {}).get("live")
        legend = getattr(live, "legend", None)
        if legend is not None and hasattr(legend, "set_scale"):  # the legend strip, readable from the back
            # (with lesson 6's table on screen the canvas keeps 1.0: at 1.5 the strip took a third of it)
            big = on and not self.lessons.table_dock.isVisible()
            legend.set_scale(1.5 * max(1.0, self.scale()) if big else 1.0)
            if hasattr(live, "_place_legend"):
                live._place_legend()
        if hasattr(scene, "set_theme"):
            if on and "theme" not in self._saved:
                self._saved["theme"] = getattr(scene, "theme", LIGHT)
            scene.set_theme(self.theme if on else self._saved.pop("theme", LIGHT))
        if on and view is not None:
            QTimer.singleShot(60, self.fit)  # after the caption bar has taken its height

    def fit(self) -> None:
        """Fit the cluster to the screen space above the caption bar."""
        if not self.active:
            return
        scene = self.window.scene
        rect = scene.sceneRect() if hasattr(scene, "apply_cluster_state") else scene.itemsBoundingRect()
        if not rect.isEmpty():
            self.window.view.fitInView(rect.adjusted(-10, -10, 10, 10), Qt.AspectRatioMode.KeepAspectRatio)
