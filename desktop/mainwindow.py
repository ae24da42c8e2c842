"""The one main window: canvas in the middle, docks around it, menus, toolbars, status bar.

Editor (issue "editor") and live view (issue "live view") both extend this window through a small API
instead of reaching into each other:

* ``menu(name)`` — the QMenu for "file", "edit", "view", "simulation", "help" (created on first use,
  in that order)
* ``toolbar(name)`` — a named QToolBar ("file", "edit", "simulation", …), added on first use
* ``add_dock(name, title, widget, area=…, tabify_with=None)`` — a QDockWidget with objectName ``name``
  (so its place persists), listed under View → Panels
* ``session`` — the EditorSession (document, undo stack, path, diagnostics); its ``document_replaced``
  signal tells views to rebuild
* ``view`` / ``scene`` — the canvas (desktop.canvas); ``selected_refs()`` / ``selection_changed`` — the
  ObjectRefs selected on the canvas or in a panel; ``select_refs(refs)`` selects them everywhere
* ``extensions`` — objects installed after the first paint (e.g. the live view) by ``install_late``

Geometry, dock layout and recent files persist in QSettings.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QGraphicsScene, QGraphicsView, QMainWindow, QMenu, QToolBar, QWidget

from desktop.editor.session import EditorSession

MENU_ORDER = ("file", "edit", "view", "simulation", "help")
MENU_TITLES = {"file": "&File", "edit": "&Edit", "view": "&View", "simulation": "&Simulation", "help": "&Help"}


class MainWindow(QMainWindow):
    selection_changed = Signal(list)  # list[ObjectRef]: the selection changed (canvas or panel)

    def __init__(self, session: EditorSession | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PodPathMainWindow")
        self.session = session or EditorSession(self)
        self._menus: dict[str, QMenu] = {}
        self._toolbars: dict[str, QToolBar] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.extensions: dict[str, object] = {}
        self._selected: list = []
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene, self)
        self.setCentralWidget(self.view)
        for name in MENU_ORDER:
            self.menu(name)
        self._panels_menu = self.menu("view").addMenu(self.tr("&Panels"))
        self.statusBar()
        self.resize(1280, 800)

    # -- extension API ------------------------------------------------------------------------------------
    def menu(self, name: str) -> QMenu:
        if name not in self._menus:
            title = MENU_TITLES.get(name, name.title())
            self._menus[name] = self.menuBar().addMenu(self.tr(title))
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
        return ext

    # -- selection ------------------------------------------------------------------------------------------
    def selected_refs(self) -> list:
        return list(self._selected)

    def select_refs(self, refs: list) -> None:
        refs = list(refs)
        if refs != self._selected:
            self._selected = refs
            self.selection_changed.emit(refs)

    # -- persistence ------------------------------------------------------------------------------------------
    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def restore_layout(self, settings: QSettings) -> None:
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
