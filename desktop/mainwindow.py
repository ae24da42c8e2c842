"""The one main window: canvas in the middle, docks around it, menus, toolbars, status bar.

Editor (issue "editor") and live view (issue "live view") both extend this window through a small API
instead of reaching into each other:

* ``menu(name)`` — the QMenu for "file", "edit", "view", "simulation", "help" (created on first use,
  in that order)
* ``toolbar(name)`` — a named QToolBar ("file", "edit", "view", "simulation", …), added on first use
* ``add_dock(name, title, widget, area=…, tabify_with=None)`` — a QDockWidget with objectName ``dock-name``
  (so its place persists), listed under View → Panels
* ``session`` — the EditorSession (document, undo stack, path, diagnostics); its ``document_replaced``
  signal tells views to rebuild, ``document_changed`` follows every edit
* ``editor`` — the Editor (every document edit as one undo step)
* ``view`` / ``scene`` — the canvas (desktop.canvas.view.CanvasView / desktop.canvas.scene.ClusterScene,
  whose contract for the live view is in its module docstring); ``selected_refs()`` /
  ``selection_changed`` — the ObjectRefs selected on the canvas or in a panel; ``select_refs(refs)``
  selects them everywhere
* ``extensions`` — objects installed after the first paint (e.g. the live view) by ``install_late``

Geometry, dock layout and recent files persist in QSettings.

Start-up in two stages (``MainWindow(deferred=True)``, what ``podpath`` does): the constructor builds only
the window's frame — menus, toolbars, the canvas view and the dock frames, Qt alone — so it can be shown and
painted at once; ``complete()`` then imports the document model (``core``: numpy, YAML, networkx) and fills
the frame: session, editor, scene and panels. ``MainWindow()`` does both at once (tests, tools).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QPointF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QGraphicsScene,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QToolButton,
    QWidget,
)

from desktop.canvas.view import CanvasView
from desktop.style import DARK, LIGHT

if TYPE_CHECKING:  # the document model is imported by complete(), after the first paint
    from core.model import ObjectRef
    from desktop.editor.session import EditorSession

# names of the document model, bound by _import_model() (complete()); Exception stands in until then, so an
# ``except`` clause is valid in any stage
ScenarioError: type[Exception] = Exception
EditRefused: type[Exception] = Exception
pending_recoveries = read_recovery_meta = None


def _import_model() -> None:
    global ScenarioError, EditRefused, pending_recoveries, read_recovery_meta  # noqa: PLW0603
    from core.scenario.errors import ScenarioError  # noqa: PLC0415
    from desktop.editor.editor import EditRefused  # noqa: PLC0415
    from desktop.editor.session import pending_recoveries, read_recovery_meta  # noqa: PLC0415

MENU_ORDER = ("file", "edit", "view", "simulation", "help")
MAX_RECENT = 10
SMALL_SCREEN_WIDTH = 1600  # px of available screen width below which the palette is a tab on the right
SHORT_WINDOW_HEIGHT = 900  # px of window height below which the docks give the canvas more (balance_docks)
SPARE_MIN = 24  # px of empty canvas width kept beside a height-fitted cluster
SIDE_GROW_MOST = 0.08  # of the window's width the right column may grow into the canvas's spare width
BOTTOM_DOCK_SHORT = 150  # px the bottom docks (charts) get at least on a short window
SIDE_DOCK_MIN_HEIGHT = 90  # px a side panel may shrink to (its contents scroll): the window fits 1280x720
YAML_FILTER = "YAML (*.yaml *.yml);;All files (*)"


def system_is_dark() -> bool:
    """The desktop's colour scheme; where the platform does not say (X11 without a theme plugin: Unknown even
    under a dark palette, HC saw it under Xvfb), the application palette's window colour decides."""
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def delete_keys(platform_keys: list[QKeySequence]) -> list[QKeySequence]:
    """The platform's Delete keys without Ctrl+D (Duplicate's), Del when nothing is left."""
    keys = [k for k in platform_keys if k != QKeySequence("Ctrl+D")]
    return keys or [QKeySequence("Del")]


class MainWindow(QMainWindow):
    selection_changed = Signal(list)  # list[ObjectRef]: the selection changed (canvas or panel)

    def __init__(self, session: EditorSession | None = None, parent: QWidget | None = None, *,
                 deferred: bool = False):
        super().__init__(parent)
        # the window's first child, so that it is destroyed first: the session is created in complete() but
        # must go before the toolbar buttons and labels its signals update (as when it was created first)
        self._model_owner = QObject(self)
        self.setObjectName("PodPathMainWindow")
        self._given_session = session
        self.session = None  # set by complete()
        self.editor = None
        self.scene = None
        self.ready = False  # complete() has run: session, editor, scene and panels exist
        self._menus: dict[str, QMenu] = {}
        self._toolbars: dict[str, QToolBar] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.extensions: dict[str, object] = {}
        self.actions_by_name: dict[str, QAction] = {}
        self._selected: list = []
        self._layout_restored = False
        self._side_grown = 0  # px the right column took from the canvas's spare width (widen_side_column)
        self.view = CanvasView(QGraphicsScene(self), self)  # the cluster scene replaces it in complete()
        self.setCentralWidget(self.view)
        titles = {"file": self.tr("&File"), "edit": self.tr("&Edit"), "view": self.tr("&View"),
                  "simulation": self.tr("&Simulation"), "help": self.tr("&Help")}
        for name in MENU_ORDER:
            self._menus[name] = self.menuBar().addMenu(titles[name])
        self._build_docks()
        self._build_actions()
        self._build_status()
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.setWindowTitle(self.tr("PodPath"))
        if not deferred:
            self.complete()

    def complete(self) -> None:
        """The second stage: the document model and everything that shows it (see the module docstring)."""
        if self.ready:
            return
        _import_model()
        from desktop.canvas.scene import ClusterScene  # noqa: PLC0415 (after the first paint)
        from desktop.editor.editor import Editor  # noqa: PLC0415
        from desktop.editor.palette import Palette  # noqa: PLC0415
        from desktop.editor.session import EditorSession  # noqa: PLC0415
        from desktop.panels.history import HistoryPanel  # noqa: PLC0415
        from desktop.panels.inspector import Inspector  # noqa: PLC0415
        from desktop.panels.problems import ProblemsPanel  # noqa: PLC0415

        self.session = self._given_session or EditorSession(self._model_owner)
        self.editor = Editor(self.session, self)
        self.scene = ClusterScene(self.session, self)
        self.view.setScene(self.scene)
        self.palette = Palette(self)
        self.inspector = Inspector(self.session, self.editor, self)
        self.history = HistoryPanel(self.session, self)
        self.problems = ProblemsPanel(self.session, self)
        for name, widget in (("palette", self.palette), ("inspector", self.inspector), ("history", self.history),
                             ("problems", self.problems)):
            self.docks[name].setWidget(widget)
        self.let_side_docks_shrink()
        self._build_undo_actions()
        self.scene.editor_actions = [self.actions_by_name[n] for n in ("rename", "duplicate", "copy", "delete")]
        self.ready = True
        self._connect()
        self._apply_theme()
        self._update_title()
        self._update_edit_actions()

    # -- extension API ------------------------------------------------------------------------------------
    def menu(self, name: str) -> QMenu:
        if name not in self._menus:
            self._menus[name] = self.menuBar().addMenu(name.title())
        return self._menus[name]

    def toolbar(self, name: str, title: str | None = None) -> QToolBar:
        if name not in self._toolbars:
            bar = QToolBar(title or name.title(), self)
            bar.setObjectName(f"toolbar-{name}")
            self.addToolBar(bar)
            self._toolbars[name] = bar
        return self._toolbars[name]

    def add_dock(self, name: str, title: str, widget: QWidget,
                 area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
                 tabify_with: str | None = None) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if tabify_with and tabify_with in self.docks:
            self.tabifyDockWidget(self.docks[tabify_with], dock)
        self.docks[name] = dock
        self._panels_menu.addAction(dock.toggleViewAction())
        return dock

    def install_late(self, name: str, factory: Callable[[MainWindow], object]) -> object:
        """Create an extension (e.g. the live view) after the first paint; kept in ``extensions``."""
        ext = factory(self)
        self.extensions[name] = ext
        # the docks the extension added are shown by events Qt has posted to them: deliver those now, so
        # that the arrangement below sees them (it skipped them, and the events list kept 2 rows at 1280x720)
        for dock in self.docks.values():
            QCoreApplication.sendPostedEvents(dock, 0)
        self.let_side_docks_shrink()
        if not self._layout_restored:
            self.balance_docks()
        return ext

    def let_side_docks_shrink(self) -> None:
        """Side panels stacked in one column added their minimum heights (inspector ~190 px + events ~120 px +
        tab bars) to the window's: 707 px with the live view, which left no room on a 1280x720 screen once a
        window manager's title bar was there. Their contents may shrink to ``SIDE_DOCK_MIN_HEIGHT`` (the lists
        scroll), so the canvas and the bottom docks decide the window's minimum height."""
        for dock in self.docks.values():
            widget = dock.widget()
            if widget is None or self.dockWidgetArea(dock) not in (Qt.DockWidgetArea.LeftDockWidgetArea,
                                                                   Qt.DockWidgetArea.RightDockWidgetArea):
                continue
            hint = widget.minimumSizeHint().height()
            if hint > SIDE_DOCK_MIN_HEIGHT and widget.minimumHeight() != SIDE_DOCK_MIN_HEIGHT:
                widget.setMinimumHeight(SIDE_DOCK_MIN_HEIGHT)

    @staticmethod
    def _small_screen() -> bool:
        screen = QGuiApplication.primaryScreen()
        return screen is not None and screen.availableGeometry().width() < SMALL_SCREEN_WIDTH

    def fit_to_screen(self) -> None:
        """First start (no saved geometry): the window fills the screen's available area (a classroom laptop
        at 1280x720 must not get a 1280x800 window whose status bar is off screen)."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.availableGeometry())

    def _fits_screen(self, saved_for: object = None) -> bool:
        """The window fits this screen, and was not arranged for a larger one (``saved_for``: "WxH" of the
        screen it was saved on; some platforms shrink a restored window to the screen themselves)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return True
        avail = screen.availableGeometry()
        if isinstance(saved_for, str) and "x" in saved_for:
            try:
                w, h = (int(v) for v in saved_for.split("x", 1))
            except ValueError:
                w, h = 0, 0
            if w > avail.width() or h > avail.height():
                return False
        return self.width() <= avail.width() and self.height() <= avail.height()

    def balance_docks(self) -> None:
        """The default arrangement: the canvas keeps most of the window (docks about a fifth of the height at the
        bottom, about a fifth of the width at each side), however many panels the extensions added.

        On a short window (a 1280x720 projector) the bottom docks take less (the charts still show bars and
        curves at ~150 px) and, in the right column, the live view's panels (events, rules) get most of the
        height: the events list showed 2 rows under an inspector that said "Nothing selected"."""
        w, h = max(self.width(), 800), max(self.height(), 600)
        short = h < SHORT_WINDOW_HEIGHT
        area = self.dockWidgetArea
        bottom = [d for d in self.docks.values() if area(d) == Qt.DockWidgetArea.BottomDockWidgetArea
                  and d.isVisible()]
        sides = [d for d in self.docks.values() if area(d) in (
            Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea) and d.isVisible()]
        if bottom:
            # the charts need ~210 px to say everything on a tall screen, ~150 px on a short one; beyond that,
            # the canvas gets the height
            least, share = (BOTTOM_DOCK_SHORT, 0.22) if short else (215, 0.24)
            self.resizeDocks(bottom, [max(least, int(h * share))] * len(bottom), Qt.Orientation.Vertical)
        if sides:
            right = 0.2 if w >= SMALL_SCREEN_WIDTH else 0.22  # the palette shares the right column then
            # the right column keeps what it took from the canvas's spare width (widen_side_column): a later
            # extension (the lessons) balancing again had put it back
            widths = [int(w * 0.12) if area(d) == Qt.DockWidgetArea.LeftDockWidgetArea
                      else int(w * right) + self._side_grown for d in sides]
            self.resizeDocks(sides, widths, Qt.Orientation.Horizontal)
        column = [d for d in sides if area(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        live = [d for d in column if d.objectName() in ("dock-live-events", "dock-live-rules", "dock-live-placement")]
        rest = [d for d in column if d not in live]
        if live and rest:
            # one dock of each group stands for its group (the others are tabs behind it); Qt shares the
            # column's height out in these proportions
            live_share = 55 if short else 50
            self.resizeDocks([rest[0], live[0]], [100 - live_share, live_share], Qt.Orientation.Vertical)

    def widen_side_column(self) -> None:
        """On a short window a landscape cluster is fitted by its height: the canvas's width left over beside
        it goes to the right column (at 1280x720 the events' "What" was cut at ~100 px while ~180 px of canvas
        beside the demo cluster stayed empty). The cluster keeps its size. Called while the docks settle (the
        live view does, on its first paint ticks, for the default arrangement); grows by SIDE_GROW_MOST of
        the window's width in all."""
        if not self.ready or max(self.height(), 600) >= SHORT_WINDOW_HEIGHT:
            return
        column = [d for d in self.docks.values()
                  if self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea and d.isVisible()]
        if not column:
            return
        budget = int(max(self.width(), 800) * SIDE_GROW_MOST) - self._side_grown  # in all, however often called
        for _ in range(3):
            self.layout().activate()
            grow = min(self._spare_canvas_width() - SPARE_MIN, budget)
            if grow < 4:
                break
            budget -= grow
            self._side_grown += grow
            self.resizeDocks([column[0]], [column[0].width() + grow], Qt.Orientation.Horizontal)

    def set_palette_compact(self, on: bool) -> None:
        """While a live run is on screen the palette's own column becomes a strip of icons (~44 px instead of
        ~230 px at 1920x1080): the canvas gets that width, and a kind can still be dragged in (its tooltip
        names it). The live view asks for it from the first tick until the run is back at t = 0 (Reset), not
        at each Play/Pause, so the picture is not re-fitted whenever the run pauses.

        Only a palette with a column of its own is narrowed: at 1280x720 it is a tab beside the inspector
        (the right column's width is the inspector's), and a palette the user floated, or stacked with other
        panels, keeps the width they gave it."""
        if not self.ready or on == self.palette.compact:
            return
        dock = self.docks["palette"]
        if on:
            area = self.dockWidgetArea(dock)
            shared = [d for d in self.docks.values() if d is not dock and d.isVisible() and not d.isFloating()
                      and self.dockWidgetArea(d) == area]
            if (dock.isFloating() or not dock.isVisible() or shared or self.tabifiedDockWidgets(dock)
                    or area not in (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)):
                return
            self._palette_full_width = dock.width()
            self.palette.set_compact(True)
            self.resizeDocks([dock], [self.palette.compact_width()], Qt.Orientation.Horizontal)
        else:
            self.palette.set_compact(False)
            width = max(getattr(self, "_palette_full_width", 0), self.palette.minimumWidth())
            self.resizeDocks([dock], [width], Qt.Orientation.Horizontal)

    def _spare_canvas_width(self) -> int:
        """Pixels of the canvas's width the fitted cluster leaves empty (0 when the width limits the fit)."""
        rect = self.view.sceneRect()
        vp = self.view.viewport()
        if rect.isEmpty() or vp.width() < 10 or vp.height() < 10:
            return 0
        scale = min(vp.width() / rect.width(), vp.height() / rect.height(), 1.0)
        return max(0, int(vp.width() - rect.width() * scale))

    # -- selection ------------------------------------------------------------------------------------------
    def selected_refs(self) -> list:
        return list(self._selected)

    def select_refs(self, refs: list) -> None:
        refs = list(refs)
        if refs != self._selected:
            self._selected = refs
            self.scene.select_refs(refs)
            self._show_in_inspector(refs)
            self.selection_changed.emit(refs)

    def _on_scene_selection(self) -> None:
        if self.scene.syncing:
            return
        refs = self.scene.selected_refs()
        if refs != self._selected:
            self._selected = refs
            self._show_in_inspector(refs)
            self.selection_changed.emit(refs)
        self._update_edit_actions()

    def _show_in_inspector(self, refs: list) -> None:
        info = ""
        if len(refs) == 1 and refs[0] not in self.session.document:
            item = self.scene.item_for_ref(refs[0])
            info = item.toolTip().replace("\n", "<br>") if item is not None else str(refs[0])
            info += "<br><i>" + self.tr("Created by the simulation: edit its workload instead") + "</i>"
        elif len(refs) > 1:
            info = self.tr("%n objects selected").replace("%n", str(len(refs)))
        self.inspector.show_refs(refs, info)
        self._update_edit_actions()

    # -- building -------------------------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        """The editor's dock frames (their panels arrive in complete(); the layout is settled now)."""
        self._panels_menu = QMenu(self.tr("&Panels"), self)
        self.add_dock("inspector", self.tr("Inspector"), QWidget())
        if self._small_screen():
            # below 1600 px a palette column of its own takes a sixth of the canvas: it is a tab beside the
            # inspector instead (a saved layout overrides this)
            self.add_dock("palette", self.tr("Palette"), QWidget(), tabify_with="inspector")
        else:
            self.add_dock("palette", self.tr("Palette"), QWidget(), Qt.DockWidgetArea.LeftDockWidgetArea)
        self.add_dock("history", self.tr("History"), QWidget(), tabify_with="inspector")
        self.docks["inspector"].raise_()
        self.add_dock("problems", self.tr("Problems"), QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([self.docks["problems"]], [110], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["palette"], self.docks["inspector"]], [190, 300], Qt.Orientation.Horizontal)

    def _action(self, name: str, text: str, tip: str, slot, shortcut=None, menu: str | None = None) -> QAction:
        a = QAction(text, self)
        a.setObjectName(f"action-{name}")
        a.setToolTip(tip)
        a.setStatusTip(tip)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                a.setShortcuts(shortcut)
            else:
                a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(lambda _checked=False: slot())
        self.actions_by_name[name] = a
        if menu:
            self.menu(menu).addAction(a)
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        a = self._action
        a("new", self.tr("&New"), self.tr("Start an empty scenario"), self.file_new, K.New, "file")
        a("open", self.tr("&Open…"), self.tr("Open a scenario or manifest file"), self.file_open, K.Open, "file")
        self.recent_menu = self.menu("file").addMenu(self.tr("Open &Recent"))
        a("save", self.tr("&Save"), self.tr("Save the scenario to its file"), self.file_save, K.Save, "file")
        a("save-as", self.tr("Save &As…"), self.tr("Save the scenario to a new file"), self.file_save_as, K.SaveAs,
          "file")
        a("revert", self.tr("Re&vert"), self.tr("Discard every change since the last save"), self.file_revert, None,
          "file")
        self.menu("file").addSeparator()
        a("import", self.tr("&Import Manifests…"), self.tr("Add the objects of manifest files to this scenario"),
          self.file_import, "Ctrl+I", "file")
        a("export", self.tr("&Export Manifests…"),
          self.tr("Write the Kubernetes objects as kubectl apply accepts them (what podpath export writes)"),
          self.file_export, "Ctrl+E", "file")
        self.menu("file").addSeparator()
        a("quit", self.tr("&Quit"), self.tr("Close PodPath"), self.close, K.Quit, "file")
        self._undo_place = self.menu("edit").addSeparator()  # Undo and Redo go above it (complete())
        a("cut", self.tr("Cu&t"), self.tr("Copy the selection as Kubernetes YAML and delete it"), self.edit_cut, K.Cut,
          "edit")
        a("copy", self.tr("&Copy"), self.tr("Copy the selection as Kubernetes YAML"), self.edit_copy, K.Copy, "edit")
        a("paste", self.tr("&Paste"), self.tr("Add the Kubernetes objects on the clipboard"), self.edit_paste, K.Paste,
          "edit")
        a("duplicate", self.tr("Dup&licate"), self.tr("Copy the selection under new names"), self.edit_duplicate,
          "Ctrl+D", "edit")
        a("delete", self.tr("&Delete"), self.tr("Delete the selection"), self.edit_delete, K.Delete, "edit")
        # on X11 the platform's Delete keys are [Del, Ctrl+D] (an emacs binding): Duplicate's Ctrl+D was then
        # ambiguous and never fired by key (HG under Xvfb); Delete keeps the others
        delete = self.actions_by_name["delete"]
        delete.setShortcuts(delete_keys(delete.shortcuts()))
        a("rename", self.tr("Re&name"), self.tr("Rename the selected object in place"), self.edit_rename, "F2", "edit")
        self.menu("edit").addSeparator()
        a("select-all", self.tr("Select &All"), self.tr("Select every object on the canvas"), self.edit_select_all,
          K.SelectAll, "edit")
        a("zoom-in", self.tr("Zoom &In"), self.tr("Magnify the canvas"), self.view.zoom_in, K.ZoomIn, "view")
        a("zoom-out", self.tr("Zoom &Out"), self.tr("Shrink the canvas"), self.view.zoom_out, K.ZoomOut, "view")
        a("zoom-reset", self.tr("&Actual Size"), self.tr("Show the canvas at 100 %"), self.view.reset_zoom, "Ctrl+0",
          "view")
        a("fit", self.tr("&Fit to Window"), self.tr("Show the whole cluster"), self._fit, "Ctrl+9", "view")
        self.menu("view").addSeparator()
        self.menu("view").addMenu(self._panels_menu)
        a("about", self.tr("&About PodPath"), self.tr("What PodPath is"), self._about, None, "help")
        self._stack_buttons: dict[str, QToolButton] = {}
        for name, bar, acts in (("file", self.tr("File"), ("new", "open", "save")),
                                ("edit", self.tr("Edit"), ("undo", "redo", "delete")),
                                ("view", self.tr("View"), ("zoom-in", "zoom-out", "fit"))):
            tb = self.toolbar(name, bar)
            for act in acts:
                if act in ("undo", "redo"):
                    tb.addWidget(self._stack_button(act))
                else:
                    tb.addAction(self.actions_by_name[act])
        for name in ("cut", "copy", "duplicate", "delete", "rename", "revert"):
            self.actions_by_name[name].setEnabled(False)  # nothing selected, nothing saved yet
        self._refresh_recent()

    def _build_undo_actions(self) -> None:
        """Edit → Undo/Redo from the session's undo stack, and the toolbar's buttons wired to it."""
        K = QKeySequence.StandardKey
        undo = self.session.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcuts(K.Undo)
        undo.setObjectName("action-undo")
        redo = self.session.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts(K.Redo)
        redo.setObjectName("action-redo")
        for act, tip in ((undo, self.tr("Undo the last change")), (redo, self.tr("Redo the change undone last"))):
            act.setToolTip(tip)
            act.setStatusTip(tip)
            self.menu("edit").insertAction(self._undo_place, act)
            self.addAction(act)
        self.actions_by_name["undo"], self.actions_by_name["redo"] = undo, redo
        for which, button in self._stack_buttons.items():
            self._wire_stack_button(which, button)

    def _stack_button(self, which: str) -> QToolButton:
        """Undo/Redo on the toolbar with a fixed label (the menu's action says "Undo Move node-2"; on the
        toolbar that text made every button after it jump sideways after each edit); the action's name is in
        the tooltip. Disabled until the undo stack exists (complete())."""
        button = QToolButton(self)
        button.setObjectName(f"toolbar-{which}")
        button.setText(self.tr("Undo") if which == "undo" else self.tr("Redo"))
        button.setAutoRaise(True)
        button.setEnabled(False)
        self._stack_buttons[which] = button
        return button

    def _wire_stack_button(self, which: str, button: QToolButton) -> None:
        stack = self.session.undo_stack
        if which == "undo":
            button.clicked.connect(stack.undo)
            stack.canUndoChanged.connect(button.setEnabled)
            stack.undoTextChanged.connect(
                lambda text: button.setToolTip(self.tr("Undo %1").replace("%1", text) if text else self.tr("Undo")))
            button.setEnabled(stack.canUndo())
        else:
            button.clicked.connect(stack.redo)
            stack.canRedoChanged.connect(button.setEnabled)
            stack.redoTextChanged.connect(
                lambda text: button.setToolTip(self.tr("Redo %1").replace("%1", text) if text else self.tr("Redo")))
            button.setEnabled(stack.canRedo())

    def _build_status(self) -> None:
        self.problem_label = QLabel()
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.problem_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

    def _connect(self) -> None:
        s = self.session
        s.modified_changed.connect(lambda _m: self._update_title())
        s.path_changed.connect(lambda _p: self._update_title())
        s.diagnostics_changed.connect(self._update_problem_count)
        s.document_replaced.connect(self._on_document_replaced)
        s.file_changed_on_disk.connect(self._on_file_changed_on_disk)
        self.scene.selectionChanged.connect(self._on_scene_selection)
        self.scene.moved.connect(self._on_moved)
        self.scene.connect_requested.connect(self._on_connect)
        self.scene.pod_dropped_on_node.connect(lambda ref, node: self._guard(lambda: self.editor.pin_pod(ref, node)))
        self.scene.refused.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.scene.picture_changed.connect(self._on_picture_changed)
        self.view.kind_dropped.connect(self._on_kind_dropped)
        self.view.files_dropped.connect(self.import_files)
        self.view.rename_finished.connect(lambda ref, name: self._guard(lambda: self.editor.rename(ref, name)))
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f} %"))
        self.palette.kind_activated.connect(lambda kind: self._on_kind_dropped(
            kind, self.view.mapToScene(self.view.viewport().rect().center())))
        self.problems.problem_activated.connect(self._on_problem_activated)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(lambda _s: self._apply_theme())

    # -- theme and title ----------------------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        self._system_dark = system_is_dark()
        self.scene.set_theme(DARK if self._system_dark else LIGHT)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # a dark palette set without a colour scheme (X11 desktops without a theme plugin) changes the theme
        # too -- only when it turns the desktop dark or light (projector mode's own theme is left alone)
        if (event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange) and self.ready
                and system_is_dark() != getattr(self, "_system_dark", None)):
            self._apply_theme()
        super().changeEvent(event)

    def _update_title(self) -> None:
        self.setWindowModified(self.session.modified)
        self.setWindowTitle(self.tr("%1[*] — PodPath").replace("%1", self.session.title))
        self.actions_by_name["revert"].setEnabled(self.session.path is not None and self.session.modified)

    def _update_problem_count(self) -> None:
        errors, warnings = self.problems.counts()
        self.problem_label.setText(self.tr("%1 errors, %2 warnings").replace("%1", str(errors))
                                   .replace("%2", str(warnings)))

    def _update_edit_actions(self) -> None:
        refs = [r for r in self._selected if r in self.session.document]
        for name in ("cut", "copy", "duplicate", "delete"):
            self.actions_by_name[name].setEnabled(bool(refs))
        self.actions_by_name["rename"].setEnabled(len(refs) == 1)

    def _on_document_replaced(self) -> None:
        self._selected = []
        self.view.auto_fit = True
        QTimer.singleShot(0, self._fit_if_auto)
        self._update_edit_actions()

    def _fit_if_auto(self) -> None:
        if self.view.auto_fit:
            self.view.fit()

    def _on_picture_changed(self) -> None:
        if self.view.auto_fit:
            self.view.fit()
        # an edit, undo or redo re-creates the canvas items while the selection signal is muted: take the
        # selection the canvas really has (an object undone away is no longer selected), so that clicking it
        # again after a redo is a change the inspector follows
        # (an object still in the document but not drawn — e.g. selected from the Problems dock — stays)
        refs = [r for r in self._selected if self.scene.item_for_ref(r) is not None or r in self.session.document]
        if refs != self._selected:
            self._selected = refs
            self._show_in_inspector(refs)
            self.selection_changed.emit(refs)

    def _fit(self) -> None:
        self.view.auto_fit = True
        self.view.fit()

    # -- user feedback --------------------------------------------------------------------------------------------
    def ask(self, title: str, text: str, buttons: QMessageBox.StandardButton,
            default: QMessageBox.StandardButton) -> QMessageBox.StandardButton:
        """A modal question (tests replace this method)."""
        return QMessageBox.question(self, title, text, buttons, default)

    def tell(self, title: str, text: str, detail: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        if detail:
            box.setDetailedText(detail)
        box.exec()

    def get_open_paths(self, title: str, many: bool = False) -> list[str]:
        start = str(self.session.path.parent) if self.session.path else ""
        if many:
            return QFileDialog.getOpenFileNames(self, title, start, YAML_FILTER)[0]
        path = QFileDialog.getOpenFileName(self, title, start, YAML_FILTER)[0]
        return [path] if path else []

    def get_save_path(self, title: str, suggestion: str) -> str:
        return QFileDialog.getSaveFileName(self, title, suggestion, YAML_FILTER)[0]

    def _guard(self, fn) -> object:
        """Run an edit; a refusal goes to the status bar (and the Problems dock keeps the rest)."""
        try:
            return fn()
        except EditRefused as exc:
            self.statusBar().showMessage(str(exc), 8000)
        except ScenarioError as exc:
            first = exc.diagnostics[0] if exc.diagnostics else None
            text = first.format() if first else str(exc)
            self.statusBar().showMessage(self.tr("Refused: %1").replace("%1", text), 10000)
        return None

    # -- canvas events ------------------------------------------------------------------------------------------
    def _on_kind_dropped(self, kind: str, point: QPointF) -> None:
        node = self.scene.node_at(point)
        refs = self._guard(lambda: self.editor.create(kind, (point.x(), point.y()), node=node))
        if refs:
            self.select_refs([refs[0]])
            self.statusBar().showMessage(self.tr("Added %1").replace("%1", str(refs[0])), 5000)

    def _on_moved(self, positions: dict, nudge: bool) -> None:
        self._guard(lambda: self.editor.move(positions, nudge))

    def _on_connect(self, src: ObjectRef, dst: ObjectRef) -> None:
        text = self._guard(lambda: self.editor.connect(src, dst))
        if text:
            self.statusBar().showMessage(text, 6000)

    def _on_problem_activated(self, ref: ObjectRef | None, path: str) -> None:
        if ref is None:
            return
        self._selected = []
        self.select_refs([ref])
        self.docks["inspector"].raise_()
        self.inspector.focus_field(path)

    # -- edit menu ----------------------------------------------------------------------------------------------
    def _doc_selection(self) -> list[ObjectRef]:
        return [r for r in self._selected if r in self.session.document]

    def edit_copy(self) -> None:
        text = self.editor.to_yaml(self._doc_selection())
        if text:
            QApplication.clipboard().setText(text)

    def edit_cut(self) -> None:
        refs = self._doc_selection()
        if refs:
            self.edit_copy()
            self._guard(lambda: self.editor.delete(refs))

    def edit_paste(self) -> None:
        text = QApplication.clipboard().text()
        refs = self._guard(lambda: self.editor.paste_yaml(text))
        if refs:
            self.select_refs(refs)

    def edit_duplicate(self) -> None:
        refs = self._guard(lambda: self.editor.duplicate(self._doc_selection()))
        if refs:
            self.select_refs(refs)

    def edit_delete(self) -> None:
        refs = self._doc_selection()
        if refs:
            self._guard(lambda: self.editor.delete(refs))

    def edit_rename(self) -> None:
        refs = self._doc_selection()
        if len(refs) == 1:
            item = self.scene.item_for_ref(refs[0])
            if item is not None:
                self.view.ensureVisible(item)
                self.view.edit_name(item)
            else:
                self.docks["inspector"].raise_()
                self.inspector.focus_field("metadata.name")

    def edit_select_all(self) -> None:
        for item in self.scene.items():
            if item.flags() & item.GraphicsItemFlag.ItemIsSelectable:
                item.setSelected(True)

    # -- file menu ----------------------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded, or unmodified)."""
        if not self.ready or not self.session.modified:
            return True
        SB = QMessageBox.StandardButton
        answer = self.ask(self.tr("Unsaved changes"),
                          self.tr("%1 has unsaved changes. Save them?").replace("%1", self.session.title),
                          SB.Save | SB.Discard | SB.Cancel, SB.Save)
        if answer == SB.Save:
            return self.file_save()
        if answer == SB.Discard:
            self.session.discard_recovery()
            return True
        return False

    def file_new(self) -> None:
        if self.maybe_save():
            self.session.new()

    def file_open(self) -> None:
        if not self.maybe_save():
            return
        paths = self.get_open_paths(self.tr("Open Scenario"))
        if paths:
            self.open_path(paths[0], ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        if ask and not self.maybe_save():
            return False
        try:
            self.session.open(path)
        except (ScenarioError, OSError) as exc:
            detail = "\n".join(d.format() for d in exc.diagnostics) if isinstance(exc, ScenarioError) else str(exc)
            self.tell(self.tr("Cannot open file"), self.tr("%1 could not be opened.").replace("%1", str(path)), detail)
            return False
        self._add_recent(str(Path(path).resolve()))
        return True

    def file_save(self) -> bool:
        if self.session.path is None or self.session.builtin:  # the shipped demo/lessons are never saved over
            return self.file_save_as()
        return self._save_to(None)

    def file_save_as(self) -> bool:
        suggestion = self.session.path or Path("untitled.yaml")
        if self.session.builtin:
            suggestion = Path.home() / suggestion.name
        path = self.get_save_path(self.tr("Save Scenario As"), str(suggestion))
        if not path:
            return False
        return self._save_to(path)

    def _save_to(self, path: str | None) -> bool:
        try:
            self.session.save(path)
        except (ScenarioError, OSError, ValueError) as exc:
            detail = "\n".join(d.format() for d in exc.diagnostics) if isinstance(exc, ScenarioError) else str(exc)
            self.tell(self.tr("Not saved"), self.tr("The scenario was not saved; your changes are still here."), detail)
            return False
        self._add_recent(str(self.session.path.resolve()))
        self.statusBar().showMessage(self.tr("Saved %1").replace("%1", str(self.session.path)), 5000)
        return True

    def file_revert(self) -> None:
        if self.session.path is None:
            return
        SB = QMessageBox.StandardButton
        answer = self.ask(self.tr("Revert"), self.tr("Discard every change since %1 was saved?")
                          .replace("%1", self.session.title), SB.Yes | SB.No, SB.No)
        if answer == SB.Yes:
            self.open_path(self.session.path, ask=False)

    def file_import(self) -> None:
        self.import_files(self.get_open_paths(self.tr("Import Manifests"), many=True))

    def import_files(self, paths: list[str]) -> None:
        for path in paths:
            try:
                text = Path(path).read_text(encoding="utf-8-sig")
                refs = self.editor.paste_yaml(text, offset=(0.0, 0.0), source=Path(path).name)
            except (OSError, UnicodeDecodeError) as exc:
                self.tell(self.tr("Cannot import"), self.tr("%1 could not be read.").replace("%1", path), str(exc))
                continue
            except (ScenarioError, EditRefused) as exc:
                detail = "\n".join(d.format() for d in exc.diagnostics) if isinstance(exc, ScenarioError) else str(exc)
                self.tell(self.tr("Cannot import"), self.tr("%1 holds no objects PodPath can add.").replace("%1", path),
                          detail)
                continue
            self.statusBar().showMessage(self.tr("Imported %1 objects from %2").replace("%1", str(len(refs)))
                                         .replace("%2", Path(path).name), 6000)

    def file_export(self) -> None:
        suggestion = (self.session.path.with_suffix("").name + "-manifests.yaml") if self.session.path \
            else "manifests.yaml"
        path = self.get_save_path(self.tr("Export Manifests"), suggestion)
        if path:
            try:
                self.session.export(path)
            except OSError as exc:
                self.tell(self.tr("Not exported"), str(exc))
                return
            self.statusBar().showMessage(self.tr("Exported to %1").replace("%1", path), 5000)

    # -- recent files --------------------------------------------------------------------------------------------
    def _settings(self) -> QSettings:
        return QSettings()

    def recent_files(self) -> list[str]:
        value = self._settings().value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: str) -> None:
        files = [path] + [p for p in self.recent_files() if p != path]
        self._settings().setValue("recentFiles", files[:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, path in enumerate(files):
            act = self.recent_menu.addAction(f"&{i + 1} {Path(path).name}")
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(files))

    # -- files changed elsewhere, crash recovery ------------------------------------------------------------------
    def _on_file_changed_on_disk(self, path: str) -> None:
        SB = QMessageBox.StandardButton
        if not Path(path).exists():
            self.statusBar().showMessage(self.tr("%1 was removed from disk; Save writes it again").replace("%1", path))
            return
        text = self.tr("%1 was changed by another program. Reload it?").replace("%1", Path(path).name)
        if self.session.modified:
            text += "\n" + self.tr("Reloading discards your unsaved changes.")
        if self.ask(self.tr("File changed on disk"), text, SB.Yes | SB.No, SB.No) == SB.Yes:
            self.open_path(path, ask=False)

    def offer_recovery(self) -> bool:
        """If a previous session did not end cleanly, offer to restore its unsaved work; True if restored."""
        found = pending_recoveries(exclude=self.session.recovery_id)
        if not found:
            return False
        newest = found[0]
        original = read_recovery_meta(newest).get("path") or self.tr("an untitled scenario")
        SB = QMessageBox.StandardButton
        answer = self.ask(self.tr("Restore unsaved work?"),
                          self.tr("PodPath did not close normally. Restore the unsaved changes to %1?")
                          .replace("%1", str(original)), SB.Yes | SB.No, SB.Yes)
        if answer == SB.Yes:
            try:
                self.session.restore(newest)
            except (ScenarioError, OSError) as exc:
                self.tell(self.tr("Cannot restore"), str(exc))
                return False
            return True
        for p in found:
            for f in (p, p.with_suffix(".json")):
                f.unlink(missing_ok=True)
        return False

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About PodPath"),
                          self.tr("PodPath makes Kubernetes Service networking visible: build a cluster, press play "
                                  "and watch every request take its real path."))

    # -- a .yaml dropped anywhere on the window is imported ------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if CanvasView._yaml_paths(event):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = CanvasView._yaml_paths(event)
        if paths and self.ready:
            event.acceptProposedAction()
            self.import_files(paths)
            return
        super().dropEvent(event)

    # -- persistence ------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.save_layout(self._settings())
        if self.ready:
            self.session.stop()
            self.session.discard_recovery()
        event.accept()

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:  # the screen it was arranged for (restore_layout compares)
            avail = screen.availableGeometry()
            settings.setValue("window/screen", f"{avail.width()}x{avail.height()}")
        settings.setValue("window/state", self.saveState())

    def restore_layout(self, settings: QSettings) -> None:
        geometry = settings.value("window/geometry")
        saved = isinstance(geometry, QByteArray)
        if not saved or not self.restoreGeometry(geometry) or not self._fits_screen(settings.value("window/screen")):
            # first start, or a window saved on a larger screen (a 1920x1080 monitor at home, the class's
            # 1280x720 projector today: it came back 1280x800 with its status bar off screen, and the docks
            # sized for 1920 px left the canvas ~640x240 px): this screen's default arrangement
            self.fit_to_screen()
            if saved:
                return
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self._layout_restored = bool(self.restoreState(state))
