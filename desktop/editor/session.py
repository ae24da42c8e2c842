"""EditorSession: the open scenario — its Document, its QUndoStack, its file, its diagnostics, its safety net.

The document is the truth; the canvas and the panels are views of it. "Modified" means the undo stack is
not clean (or the document came back from a recovery file). Signals (past tense):

* ``document_replaced()``   — a different document was opened (New/Open/Revert/restore): views rebuild
* ``document_changed()``    — an edit (or its undo/redo) changed the document; diagnostics and ``model``
  are already up to date
* ``path_changed(str)``     — the file the session saves to changed ("" for an untitled document)
* ``diagnostics_changed()`` — the document's problems were re-checked
* ``modified_changed(bool)`` — the document became modified / unmodified
* ``file_changed_on_disk(str)`` — another program changed (or removed) the open file

Nothing lost: saves go through ``core.scenario.files.save_document`` (atomic, "write into the file");
while modified, ``autosave()`` runs every ``autosave_interval_ms`` and writes the document to a recovery
file under QStandardPaths.AppDataLocation/recovery; a clean save, New/Open or a discarded close removes it,
so a recovery file found at start-up means the last session did not end cleanly.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QUndoStack

from core.model import ClusterModel
from core.scenario.build import build_model
from core.scenario.document import Document
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.files import dumps_document, load_document, loads_document, save_document
from core.scenario.kinds import ANN_POSITION
from core.scenario.yaml_io import write_atomic

AUTOSAVE_MS = 60_000


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# what PodPath ships: the demo, the lessons (opened from here, never saved over)
BUILTIN_DIR = Path(__file__).resolve().parents[2] / "resources"

class EditorSession(QObject):
    document_replaced = Signal()
    document_changed = Signal()
    path_changed = Signal(str)
    diagnostics_changed = Signal()
    modified_changed = Signal(bool)
    file_changed_on_disk = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.document: Document = loads_document("", "untitled.yaml")
        self.path: Path | None = None
        self.diagnostics: list[Diagnostic] = []
        self.model: ClusterModel | None = None
        self._recovered = False  # modified because it came back from a recovery file
        self._checked_key: str | None = None  # the content (positions aside) the diagnostics belong to
        self._disk_digest: str | None = None  # what we last read from / wrote to the file
        self.autosave_interval_ms = AUTOSAVE_MS
        self._autosave = QTimer(self)
        self._autosave.setObjectName("autosave")
        self._autosave.timeout.connect(self.autosave)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.recovery_id = f"{os.getpid()}-{int(time.time() * 1000)}"
        # ``placer(kind, (x, y)) -> (x, y)``: where a new box of that kind dropped at (x, y) goes so that it
        # covers no other box (the canvas sets it; None: exactly where dropped)
        self.placer = None
        # ``group_placer(items, mode) -> [(x, y) | None]``: where pasted ("paste") or duplicated ("duplicate")
        # objects go, items being (kind or None, source ref or None, wanted (x, y) or None) (the canvas sets
        # it; None: positions as they come, unplaced ones laid out automatically)
        self.group_placer = None

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return self._recovered or not self.undo_stack.isClean()

    @property
    def builtin(self) -> bool:
        """The file is one PodPath ships (the demo, a lesson, under ``resources/``): it is opened to be played
        and changed, never written back -- Save asks for a name of the user's own, as for an untitled one."""
        if self.path is None:
            return False
        try:
            return self.path.resolve().is_relative_to(BUILTIN_DIR)
        except OSError:
            return False

    @property
    def title(self) -> str:
        return self.path.name if self.path else "untitled.yaml"

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_autosave()
        self.modified_changed.emit(self.modified)

    def _update_autosave(self) -> None:
        if self.modified:
            if not self._autosave.isActive():
                self._autosave.start(self.autosave_interval_ms)
        else:
            self._autosave.stop()
            self.discard_recovery()

    def stop(self) -> None:
        """Stop the timers and the file watch (the window is closing)."""
        self._autosave.stop()
        paths = self._watcher.files()
        if paths:
            self._watcher.removePaths(paths)

    # -- opening ----------------------------------------------------------------------------------------
    def new(self) -> None:
        self._replace(loads_document("", "untitled.yaml"), None)

    def open(self, path: str | Path) -> None:
        """Open a scenario file; raises ScenarioError (with located diagnostics) or OSError."""
        path = Path(path)
        doc = load_document(path)
        self._replace(doc, path)

    def open_text(self, text: str, filename: str) -> None:
        self._replace(loads_document(text, filename), None)

    def revert(self) -> None:
        if self.path is not None:
            self.open(self.path)

    def _replace(self, doc: Document, path: Path | None, recovered: bool = False) -> None:
        self.discard_recovery()
        self.document = doc
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._recovered = recovered
        old = self._watcher.files()
        if old:
            self._watcher.removePaths(old)
        self.path = path
        self._disk_digest = None
        if path is not None and path.exists():
            try:
                self._disk_digest = _digest(path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                self._disk_digest = None
            self._watcher.addPath(str(path))
        self.recheck()
        self._update_autosave()
        self.path_changed.emit(str(path) if path else "")
        self.modified_changed.emit(self.modified)
        self.document_replaced.emit()

    # -- edits ----------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """After an edit (called by every command): re-check and tell the views. A change of stored positions
        only (a move) keeps the model and the diagnostics: positions are not part of the cluster."""
        key = _content_key(self.document)
        if key != self._checked_key:
            self.recheck()
        self.document_changed.emit()

    def recheck(self) -> None:
        """Build the model from the document; keep the diagnostics (errors leave ``model`` None)."""
        loaded = list(self.document.load_diagnostics)
        try:
            self.model, found = build_model(self.document)
        except ScenarioError as exc:
            self.model, found = None, list(exc.diagnostics)
        except Exception as exc:  # a bug in the build must not take the editor down with the user's work
            self.model, found = None, [Diagnostic("error", f"internal error while checking: {exc!r}",
                                                  self.document.filename)]
        self.diagnostics = loaded + [d for d in found if d not in loaded]
        self._checked_key = _content_key(self.document)
        self.diagnostics_changed.emit()

    # -- saving ------------------------------------------------------------------------------------------------
    def save(self, path: str | Path | None = None) -> None:
        """Save (to ``path``: Save As); raises ScenarioError (refused) or OSError (nothing changed then)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no file name: use Save As")
        if path is None and self.builtin:
            raise ValueError(f"{target.name} is one of PodPath's built-in scenarios: use Save As to keep your changes")
        if self.path is not None and target != self.path:
            self._watcher.removePaths(self._watcher.files() or [str(self.path)])
        text = dumps_document(self.document)
        save_document(self.document, target)
        self.document.filename = str(target)
        self._disk_digest = _digest(text)
        changed = target != self.path
        self.path = target
        self._recovered = False
        if str(target) not in self._watcher.files():
            self._watcher.addPath(str(target))
        self.undo_stack.setClean()
        self._update_autosave()
        self.modified_changed.emit(False)
        if changed:
            self.path_changed.emit(str(target))

    def export(self, path: str | Path, include_nodes: bool = False) -> str:
        """Write what ``podpath export`` writes; returns the text written."""
        from core.scenario.files import export_manifests  # noqa: PLC0415

        text = export_manifests(self.document, include_nodes=include_nodes)
        write_atomic(path, text)
        return text

    # -- watching the file ----------------------------------------------------------------------------------
    def _on_file_changed(self, path: str) -> None:
        p = Path(path)
        if self.path is None or p != self.path:
            return
        try:
            digest = _digest(p.read_text(encoding="utf-8-sig")) if p.exists() else None
        except (OSError, UnicodeDecodeError):
            digest = None
        if p.exists() and path not in self._watcher.files():
            self._watcher.addPath(path)  # an atomic replace drops the watch
        if digest is not None and digest == self._disk_digest:
            return  # our own save, or no real change
        self._disk_digest = digest
        self.file_changed_on_disk.emit(path)

    def check_disk(self) -> None:
        """Look at the file now (the watcher may be slow or absent on some file systems)."""
        if self.path is not None:
            self._on_file_changed(str(self.path))

    # -- recovery ----------------------------------------------------------------------------------------------
    def recovery_file(self) -> Path:
        return recovery_dir() / f"{self.recovery_id}.yaml"

    def autosave(self) -> Path | None:
        """Write the document to this session's recovery file (only while modified)."""
        if not self.modified:
            return None
        target = self.recovery_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, dumps_document(self.document))
        meta = {"path": str(self.path) if self.path else "", "saved": time.time(), "pid": os.getpid()}
        write_atomic(target.with_suffix(".json"), json.dumps(meta))
        return target

    def discard_recovery(self) -> None:
        for p in (self.recovery_file(), self.recovery_file().with_suffix(".json")):
            try:
                p.unlink()
            except FileNotFoundError:
                pass

    def restore(self, recovery: Path) -> None:
        """Open a recovery file as a modified document of its original path; removes the recovery file."""
        meta = read_recovery_meta(recovery)
        doc = load_document(recovery)
        original = Path(meta["path"]) if meta.get("path") else None
        doc.filename = str(original) if original else "untitled.yaml"
        self._replace(doc, original, recovered=True)
        for p in (recovery, recovery.with_suffix(".json")):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        self._update_autosave()


def _content_key(doc: Document) -> str:
    """The document's content with ``podpath.dev/position`` annotations left out (and the line numbers of the
    objects, which a move does not change: diagnostics carry them)."""
    parts = []
    for entry in doc.entries:
        raw = entry.raw
        meta = raw.get("metadata")
        ann = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(ann, dict) and ANN_POSITION in ann:
            raw = dict(raw)
            meta = dict(meta)
            meta["annotations"] = {k: v for k, v in ann.items() if k != ANN_POSITION}
            raw["metadata"] = meta
        parts.append((id(entry.parsed), raw))
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=False).encode("utf-8", "surrogatepass")).hexdigest()


def read_recovery_meta(recovery: Path) -> dict:
    try:
        meta = json.loads(recovery.with_suffix(".json").read_text(encoding="utf-8"))
        return meta if isinstance(meta, dict) else {}
    except (OSError, ValueError):
        return {}


def pending_recoveries(exclude: str | None = None) -> list[Path]:
    """Recovery files left by sessions that did not end cleanly (newest first)."""
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.yaml") if p.stem != exclude and not _alive(read_recovery_meta(p).get("pid"))]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _alive(pid: object) -> bool:
    """Whether a process with this id is running (its recovery file belongs to a live PodPath window)."""
    if not isinstance(pid, int) or pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    # a killed process stays a zombie until its parent reaps it (an init that reaps late, a shell still
    # running): it is dead, its recovery file is to be offered
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return stat[stat.rindex(")") + 2:][:1] not in ("Z", "X")
    except (OSError, ValueError):
        return True
