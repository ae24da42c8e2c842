"""The editable scenario document: raw objects in file order, stable identities, past-tense events.

Every edit goes through ``add`` / ``remove`` / ``replace`` / ``set_field``; each one checks the object
(structure against the Kubernetes schema for modelled kinds) and then emits an event to the listeners
subscribed for that event name. Events (all past tense):

* ``object_added``   -- DocumentEvent(ref, index)
* ``object_removed`` -- DocumentEvent(ref, index)
* ``object_changed`` -- DocumentEvent(ref, index, old_ref)  (old_ref differs from ref on a rename)
* ``modified_changed`` -- DocumentEvent(modified=...) when ``is_modified`` flips
* ``document_saved`` -- DocumentEvent() after ``mark_saved``

Undo commands store ``ObjectRef`` + the serialized dict that ``remove`` / ``replace`` return. Nothing here
imports Qt.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core.model import ObjectRef
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.kinds import object_ref
from core.scenario.yaml_io import ParsedDoc

EVENTS = ("object_added", "object_removed", "object_changed", "modified_changed", "document_saved")


@dataclass(frozen=True)
class DocumentEvent:
    name: str
    ref: ObjectRef | None = None
    index: int | None = None
    old_ref: ObjectRef | None = None
    modified: bool | None = None


@dataclass
class Entry:
    """One object of the document: its raw dict and, while unedited, where its fields are in the file."""

    raw: dict
    parsed: ParsedDoc | None = None

    @property
    def ref(self) -> ObjectRef:
        return object_ref(self.raw)


_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split_path(path: str) -> list[str | int]:
    """``"spec.ports[0].nodePort"`` -> ``["spec", "ports", 0, "nodePort"]``."""
    out: list[str | int] = []
    for name, index in _PATH_TOKEN.findall(path):
        out.append(int(index) if index else name)
    return out


@dataclass
class Document:
    """A scenario: objects in file order, plus what loading found wrong with the file's structure."""

    filename: str = "<string>"
    entries: list[Entry] = field(default_factory=list)
    load_diagnostics: list[Diagnostic] = field(default_factory=list)
    _listeners: dict[str, list[Callable[[DocumentEvent], None]]] = field(default_factory=dict, repr=False)
    _revision: int = 0
    _saved_revision: int = 0

    # ---------------------------------------------------------------- listeners
    def subscribe(self, event: str, listener: Callable[[DocumentEvent], None]) -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown document event {event!r}; allowed: {', '.join(EVENTS)}")
        self._listeners.setdefault(event, []).append(listener)

    def unsubscribe(self, event: str, listener: Callable[[DocumentEvent], None]) -> None:
        listeners = self._listeners.get(event, [])
        if listener in listeners:
            listeners.remove(listener)

    def _emit(self, event: DocumentEvent) -> None:
        for listener in list(self._listeners.get(event.name, ())):
            listener(event)

    def _touch(self) -> None:
        was = self.is_modified
        self._revision += 1
        if self.is_modified != was:
            self._emit(DocumentEvent("modified_changed", modified=self.is_modified))

    # ---------------------------------------------------------------- queries
    def __iter__(self) -> Iterator[dict]:
        return (e.raw for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def refs(self) -> list[ObjectRef]:
        return [e.ref for e in self.entries]

    def index_of(self, ref: ObjectRef) -> int:
        for i, e in enumerate(self.entries):
            if e.ref == ref:
                return i
        raise KeyError(f"no object {ref} in the document")

    def __contains__(self, ref: object) -> bool:
        return any(e.ref == ref for e in self.entries)

    def get(self, ref: ObjectRef) -> dict:
        """A deep copy of the object's raw dict (edit it and ``replace`` it back)."""
        return copy.deepcopy(self.entries[self.index_of(ref)].raw)

    def objects(self) -> list[dict]:
        """Deep copies of every raw object, in file order."""
        return [copy.deepcopy(e.raw) for e in self.entries]

    @property
    def is_modified(self) -> bool:
        return self._revision != self._saved_revision

    def mark_saved(self) -> None:
        was = self.is_modified
        self._saved_revision = self._revision
        if was:
            self._emit(DocumentEvent("modified_changed", modified=False))
        self._emit(DocumentEvent("document_saved"))

    # ---------------------------------------------------------------- edits
    def _check(self, raw: object, ignore_index: int | None = None) -> ObjectRef:
        from core.scenario.validate import validate_object  # noqa: PLC0415  (validate imports kinds)

        if not isinstance(raw, dict):
            raise ScenarioError(Diagnostic("error", f"an object must be a mapping, not {type(raw).__name__}",
                                           self.filename))
        problems = [d for d in validate_object(raw, None, self.filename) if d.is_error]
        if problems:
            raise ScenarioError(problems)
        ref = object_ref(raw)
        for i, e in enumerate(self.entries):
            if i != ignore_index and e.ref == ref:
                raise ScenarioError(Diagnostic("error", f"{ref.kind} \"{ref.name}\" already exists", self.filename,
                                               object=str(ref), path="metadata.name", value=ref.name))
        return ref

    def add(self, raw: dict, index: int | None = None) -> ObjectRef:
        """Insert a checked copy of ``raw`` (at ``index``, default the end); emits ``object_added``."""
        ref = self._check(raw)
        index = len(self.entries) if index is None else max(0, min(index, len(self.entries)))
        self.entries.insert(index, Entry(copy.deepcopy(raw)))
        self._touch()
        self._emit(DocumentEvent("object_added", ref, index))
        return ref

    def remove(self, ref: ObjectRef) -> tuple[int, dict]:
        """Remove an object; returns (index, raw dict) so an undo can ``add`` it back in place."""
        index = self.index_of(ref)
        entry = self.entries.pop(index)
        self._touch()
        self._emit(DocumentEvent("object_removed", ref, index))
        return index, entry.raw

    def replace(self, ref: ObjectRef, raw: dict) -> dict:
        """Replace an object in place (it may be renamed); returns the old raw dict for undo."""
        index = self.index_of(ref)
        new_ref = self._check(raw, ignore_index=index)
        old = self.entries[index].raw
        self.entries[index] = Entry(copy.deepcopy(raw))
        self._touch()
        self._emit(DocumentEvent("object_changed", new_ref, index, old_ref=ref))
        return old

    def set_field(self, ref: ObjectRef, path: str, value: object) -> dict:
        """Set one field (``"spec.replicas"``, ``"spec.ports[0].nodePort"``); ``None`` deletes it.

        Intermediate mappings are created; returns the old raw dict for undo."""
        raw = self.get(ref)
        keys = split_path(path)
        if not keys:
            raise ValueError(f"empty field path {path!r}")
        cursor: object = raw
        for key, nxt in zip(keys, keys[1:]):
            if isinstance(key, int):
                if not isinstance(cursor, list) or not -len(cursor) <= key < len(cursor):
                    raise KeyError(f"{path}: no list element [{key}]")
                cursor = cursor[key]
            else:
                if not isinstance(cursor, dict):
                    raise KeyError(f"{path}: {key!r} is not inside a mapping")
                if not isinstance(cursor.get(key), (dict, list)):
                    cursor[key] = [] if isinstance(nxt, int) else {}
                cursor = cursor[key]
        last = keys[-1]
        if isinstance(last, int):
            if not isinstance(cursor, list) or not -len(cursor) <= last < len(cursor):
                raise KeyError(f"{path}: no list element [{last}]")
            cursor[last] = value
        elif isinstance(cursor, dict):
            if value is None:
                cursor.pop(last, None)
            else:
                cursor[last] = value
        else:
            raise KeyError(f"{path}: {last!r} is not inside a mapping")
        return self.replace(ref, raw)

    # ---------------------------------------------------------------- positions
    def mark_of(self, index: int, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        """Best (line, column) for a field of entry ``index``: the field, else its closest parent."""
        parsed = self.entries[index].parsed
        if parsed is None:
            return (0, 0)
        marks = parsed.key_marks if key else parsed.value_marks
        p = tuple(path)
        while p:
            if p in marks:
                return marks[p]
            if key and p in parsed.value_marks:
                return parsed.value_marks[p]
            p = p[:-1]
        return parsed.start
