"""CanvasView: zoom (Ctrl+wheel, pinch, keys), pan (wheel, middle drag, Space+drag), fit, rubber-band
selection, drops from the palette (a kind id in a vendor MIME type) and of .yaml files, rename in place."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QLineEdit, QWidget

MIN_SCALE, MAX_SCALE = 0.02, 4.0
YAML_SUFFIXES = (".yaml", ".yml", ".json")


def _mime_kind() -> str:
    """The palette's MIME type (desktop.editor.kinds imports the document model: not before the first paint)."""
    from desktop.editor.kinds import MIME_KIND  # noqa: PLC0415

    return MIME_KIND


class _NameEdit(QLineEdit):
    """The rename-in-place line edit: Return renames, Esc leaves the name as it was."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class CanvasView(QGraphicsView):
    kind_dropped = Signal(str, QPointF)  # palette kind id, scene point
    files_dropped = Signal(list)  # local paths of dropped YAML files
    rename_finished = Signal(object, str)  # (ObjectRef, new name)
    zoom_changed = Signal(float)

    def __init__(self, scene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.setObjectName("canvas")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPointF | None = None
        self._space = False
        self._editor: QLineEdit | None = None
        self.auto_fit = True  # fit the picture until the user zooms or pans
        # while the user drops things the view keeps its own scene rect (what it showed, and the picture):
        # following the scene's, a picture smaller than the viewport was centred again after each edit and
        # the next drop point moved
        self._pinned = False
        if scene is not None:
            scene.sceneRectChanged.connect(self._on_scene_rect_changed)

    # -- zoom ----------------------------------------------------------------------------------------------
    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        target = min(MAX_SCALE, max(MIN_SCALE, self.scale_factor * factor))
        factor = target / self.scale_factor
        if abs(factor - 1) < 1e-9:
            return
        self.auto_fit = False
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_changed.emit(self.scale_factor)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def reset_zoom(self) -> None:
        self.auto_fit = False
        self.resetTransform()
        self.zoom_changed.emit(1.0)

    def pin(self) -> None:
        """Keep what the view shows where it is on screen through the next edits (until ``fit()``)."""
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        self._pinned = True
        self.setSceneRect(self.sceneRect().united(visible))

    def _on_scene_rect_changed(self, rect: QRectF) -> None:
        if self._pinned:
            self.setSceneRect(self.sceneRect().united(rect))

    def fit(self, rect: QRectF | None = None) -> None:
        """Fit the picture (or ``rect``) in the view, never magnifying past 1:1 for a small cluster."""
        if rect is None and self._pinned:  # follow the scene's rect again
            self._pinned = False
            self.setSceneRect(QRectF())
        rect = rect if rect is not None else self.sceneRect()
        if rect.isEmpty() or self.viewport().width() < 10:
            return
        super().fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)  # (told once, below)
        if self.scale_factor > 1.0:
            self.resetTransform()
            self.centerOn(rect.center())
        self.zoom_changed.emit(self.scale_factor)

    def fitInView(self, *args) -> None:  # noqa: N802 (Qt override)
        """QGraphicsView's fit, and the zoom readout told: a fit from elsewhere (projector mode's) changed the
        scale silently, and the status bar went on showing the old zoom."""
        super().fitInView(*args)
        self.zoom_changed.emit(self.scale_factor)

    def view_state(self) -> tuple:
        """What the view shows (its transform, the scene point at its centre, whether it fits the picture by
        itself), for ``restore_view_state`` after a mode that fits the picture its own way (projector mode)."""
        return self.transform(), self._centre(), self.auto_fit

    def restore_view_state(self, state: tuple) -> None:
        """Back to a ``view_state()``: the zoom the user had, centred where it was (or fitted again when the
        view was fitting the picture), and the zoom readout with it."""
        transform, centre, auto_fit = state
        self.auto_fit = auto_fit
        if auto_fit:
            self.fit()
            return
        self.setTransform(transform)
        self.centerOn(centre)
        # centerOn lands on whole scroll-bar steps, a pixel off the point each time (six F5/Esc rounds moved
        # the view 6-7 px; HT2): the bars are moved by what is left, measured at the viewport's true centre
        miss = self.viewportTransform().map(centre) - self.viewportTransform().map(self._centre())
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(miss.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(miss.y()))
        self.zoom_changed.emit(self.scale_factor)

    def _centre(self) -> QPointF:
        """The scene point at the viewport's centre (not rounded to a pixel)."""
        vp = self.viewport()
        inverse, _ok = self.viewportTransform().inverted()
        return inverse.map(QPointF(vp.width() / 2.0, vp.height() / 2.0))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.zoom_by(1.2 ** steps, event.position())
            event.accept()
            return
        self.auto_fit = False
        super().wheelEvent(event)

    # -- pan --------------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._editor is not None:  # a click elsewhere on the canvas ends a rename in place (unchanged)
            self.close_editor()
        if event.button() == Qt.MouseButton.MiddleButton or (self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.pan(-delta.x(), -delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def pan(self, dx: float, dy: float) -> None:
        self.auto_fit = False
        self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() + dx))
        self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() + dy))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            event.accept()
            return
        super().keyReleaseEvent(event)

    # -- drops --------------------------------------------------------------------------------------------------
    @staticmethod
    def _yaml_paths(event) -> list[str]:
        md = event.mimeData()
        if not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile() and u.toLocalFile().lower().endswith(YAML_SUFFIXES)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(_mime_kind()) or self._yaml_paths(event):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(_mime_kind()) or self._yaml_paths(event):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        md = event.mimeData()
        if md.hasFormat(_mime_kind()):
            kind = bytes(md.data(_mime_kind()).data()).decode("utf-8")
            # the view stays as it is while the user places things: re-fitting after each drop moved the
            # next drop point (5 Services dropped in a row below the cluster landed as a staircase inside it,
            # the zoom 57 -> 36 %); Fit to Window fits again
            self.auto_fit = False
            self.pin()
            self.kind_dropped.emit(kind, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
            return
        paths = self._yaml_paths(event)
        if paths:
            self.files_dropped.emit(paths)
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    # -- rename in place ------------------------------------------------------------------------------------------
    def edit_name(self, item) -> QLineEdit | None:
        """Open a line edit over ``item`` (a HitItem with a document ref); Enter renames, Esc cancels."""
        if item is None or item.doc_ref is None:
            return None
        self.close_editor()
        rect = self.mapFromScene(item.sceneBoundingRect()).boundingRect()
        edit = _NameEdit(item.doc_ref.name, self.viewport())
        edit.cancelled.connect(self.close_editor)
        edit.setObjectName("rename-editor")
        edit.setGeometry(rect.left() + 4, rect.top() + 4, max(160, min(rect.width() - 8, 360)), edit.sizeHint().height())
        edit.selectAll()
        ref = item.doc_ref

        def done() -> None:
            if self._editor is edit:
                text = edit.text()
                self.close_editor()
                self.rename_finished.emit(ref, text)

        edit.returnPressed.connect(done)
        edit.editingFinished.connect(self.close_editor)
        edit.show()
        edit.setFocus()
        self._editor = edit
        return edit

    def close_editor(self) -> None:
        edit, self._editor = self._editor, None
        if edit is not None:
            edit.hide()
            edit.deleteLater()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit_item = getattr(self.scene(), "hit_item", None)  # none before the window's second stage
        item = hit_item(self.mapToScene(event.position().toPoint())) if hit_item is not None else None
        if item is not None and item.doc_ref is not None and item.kind != "lb":
            self.edit_name(item)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
