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
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core.model import ObjectRef
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.kinds import object_ref, ref_label
from core.scenario.yaml_io import ParsedDoc

EVENTS = ("object_added", "object_removed", "object_changed", "modified_changed", "document_saved")


@dataclass(frozen=True)
class DocumentEvent:
    name: str
    ref: ObjectRef | None = None
    index: int | None = None
    old_ref: ObjectRef | None = None
    modified: bool | None = None


@dataclass(eq=False)
class ListGroup:
    """A ``kind: List`` of the file (what ``kubectl get -o yaml`` prints): its own fields, items left out.

    Its items are ordinary entries of the document (validated and built like any object); saving writes
    consecutive entries of the same group back as one List, with the envelope's fields in their order."""

    envelope: dict  # the List object with ``items`` emptied (key order kept)
    origin: ParsedDoc | None = None  # the List's text in the file: saving edits it rather than rewriting it

    def __deepcopy__(self, memo: dict) -> ListGroup:
        """Not copied (never changed after loading): a copied Document's items stay in one List."""
        return self


@dataclass
class Entry:
    """One object of the document: its raw dict and, while unedited, where its fields are in the file;
    ``group`` is the List it came from (None for a document of its own).

    ``origin`` is what was loaded for this object -- its text, marks and the fingerprint of its data then -- and
    stays with the object through edits (and a removal undone): saving edits that text into the new content
    instead of writing the object anew, so comments and formatting of the untouched parts are kept."""

    raw: dict
    parsed: ParsedDoc | None = None
    group: ListGroup | None = None
    origin: ParsedDoc | None = None

    @property
    def ref(self) -> ObjectRef:
        return object_ref(self.raw)


_PATH_TOKEN = re.compile(r"""\.?(?:([^.\[\]"']+)|\[(-?\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\])""")


def split_path(path: str) -> list[str | int]:
    """A field path as keys: ``"spec.ports[0].nodePort"`` -> ``["spec", "ports", 0, "nodePort"]``.

    A key holding dots, slashes or brackets is written bracket-quoted, with double or single quotes (a
    backslash escapes a quote or a backslash inside): ``metadata.annotations["podpath.dev/position"]``,
    ``metadata.labels['kubernetes.io/hostname']``. ValueError on a path that does not parse."""
    out: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _PATH_TOKEN.match(path, pos)
        if not m or m.end() == pos or (m.group(0).startswith(".") and pos == 0):
            raise ValueError(f"bad field path {path!r} at character {pos + 1}: expected name, [index] or "
                             '["key"], e.g. spec.ports[0].nodePort or metadata.labels["kubernetes.io/hostname"]')
        name, index, dq, sq = m.groups()
        if index is not None:
            out.append(int(index))
        elif dq is not None or sq is not None:
            out.append(re.sub(r"\\(.)", r"\1", dq if dq is not None else sq))
        else:
            out.append(name)
        pos = m.end()
    return out


def _fingerprint(raw: object) -> str:
    """A content fingerprint (key order included, as the file would be written)."""
    text = json.dumps(raw, sort_keys=False, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Document:
    """A scenario: objects in file order, plus what loading found wrong with the file's structure."""

    filename: str = "<string>"
    entries: list[Entry] = field(default_factory=list)
    load_diagnostics: list[Diagnostic] = field(default_factory=list)
    _listeners: dict[str, list[Callable[[DocumentEvent], None]]] = field(default_factory=dict, repr=False)
    _saved_fingerprint: str | None = field(default=None, repr=False)
    _fingerprint_now: str | None = field(default=None, repr=False)
    _known: set[str] = field(default_factory=set, repr=False)  # object contents that have been in the document
    # removed objects' origins by content fingerprint: adding the same content back (an undo) takes them again
    _detached: dict[str, tuple[ParsedDoc | None, ListGroup | None]] = field(default_factory=dict, repr=False)

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

    def _content_fingerprint(self) -> str:
        if self._fingerprint_now is None:
            self._fingerprint_now = _fingerprint([e.raw for e in self.entries])
        return self._fingerprint_now

    def _touch(self, was: bool) -> None:
        """After a change: ``was`` is ``is_modified`` from before it."""
        self._fingerprint_now = None
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
        """Deep copies of every raw object, in file order (the items of a List as objects of their own)."""
        return [copy.deepcopy(e.raw) for e in self.entries]

    def documents(self, keep=None) -> list[dict]:
        """The YAML documents to write: each object, except that consecutive items of one ``kind: List`` are
        written back inside that List. ``keep(raw) -> dict | None`` may transform or drop each object."""
        out: list[dict] = []
        open_group: ListGroup | None = None
        for e in self.entries:
            raw = copy.deepcopy(e.raw) if keep is None else keep(e.raw)
            if raw is None:
                continue
            if e.group is None:
                out.append(raw)
                open_group = None
            elif e.group is open_group:
                out[-1]["items"].append(raw)
            else:
                envelope = copy.deepcopy(e.group.envelope)
                envelope["items"] = [raw]
                out.append(envelope)
                open_group = e.group
        return out

    @property
    def is_modified(self) -> bool:
        """True when the content differs from the last saved (or loaded) state; undoing back to it clears it."""
        self._baseline()
        return self._content_fingerprint() != self._saved_fingerprint

    def _baseline(self) -> None:
        """Before the first edit or query: the content as loaded counts as saved, and its objects as known."""
        if self._saved_fingerprint is None:
            self._saved_fingerprint = self._content_fingerprint()
            self._known.update(_fingerprint(e.raw) for e in self.entries)

    def mark_saved(self) -> None:
        was = self.is_modified
        self._saved_fingerprint = self._content_fingerprint()
        if was:
            self._emit(DocumentEvent("modified_changed", modified=False))
        self._emit(DocumentEvent("document_saved"))

    # ---------------------------------------------------------------- edits
    def _check(self, raw: object, ignore_index: int | None = None) -> ObjectRef:
        """Refuse a change that adds errors (or a duplicate identity); a partial fix of an object that still has
        other errors is accepted, and so is content that was already in the document (undo restoring it)."""
        from core.scenario.validate import type_name, validate_object  # noqa: PLC0415  (validate imports kinds)

        if not isinstance(raw, dict):
            raise ScenarioError(Diagnostic("error", f"an object must be a mapping, not {type_name(raw)}",
                                           self.filename))
        self._baseline()
        problems = [d for d in validate_object(raw, None, self.filename) if d.is_error]
        if problems and _fingerprint(raw) not in self._known:
            before = 0
            if ignore_index is not None:
                before = sum(d.is_error for d in validate_object(self.entries[ignore_index].raw, None, self.filename))
            if len(problems) > before:
                raise ScenarioError(problems)
        ref = object_ref(raw)
        for i, e in enumerate(self.entries):
            if i != ignore_index and e.ref == ref and ref.name:
                raise ScenarioError(Diagnostic("error", f"{ref.kind} \"{ref.name}\" already exists", self.filename,
                                               object=ref_label(ref), path="metadata.name", value=ref.name))
        return ref

    def _accept(self, raw: dict) -> tuple[dict, str]:
        copied = copy.deepcopy(raw)
        fp = _fingerprint(copied)
        self._known.add(fp)
        return copied, fp

    @staticmethod
    def _entry(raw: dict, fp: str, origin: ParsedDoc | None, group: ListGroup | None) -> Entry:
        """An entry for new content: its marks are the origin's again when the content is back to what was
        loaded (an undo), so diagnostics find their lines."""
        parsed = origin if origin is not None and origin.fingerprint == fp else None
        return Entry(raw, parsed, group, origin)

    def add(self, raw: dict, index: int | None = None) -> ObjectRef:
        """Insert a checked copy of ``raw`` (at ``index``, default the end); emits ``object_added``. Content that
        was removed before (an undone delete) gets its file text and its List back."""
        ref = self._check(raw)
        index = len(self.entries) if index is None else max(0, min(index, len(self.entries)))
        was = self.is_modified
        copied, fp = self._accept(raw)
        origin, group = self._detached.pop(fp, (None, None))
        if group is not None and not any(0 <= i < len(self.entries) and self.entries[i].group is group
                                         for i in (index - 1, index)) \
                and any(e.group is group for e in self.entries):
            group = None  # back in its List only beside the List's other items (an undone delete)
        self.entries.insert(index, self._entry(copied, fp, origin, group))
        self._touch(was)
        self._emit(DocumentEvent("object_added", ref, index))
        return ref

    def remove(self, ref: ObjectRef) -> tuple[int, dict]:
        """Remove an object; returns (index, raw dict) so an undo can ``add`` it back in place."""
        index = self.index_of(ref)
        was = self.is_modified
        entry = self.entries.pop(index)
        if entry.origin is not None or entry.group is not None:
            self._detached[_fingerprint(entry.raw)] = (entry.origin, entry.group)
        self._touch(was)
        self._emit(DocumentEvent("object_removed", ref, index))
        return index, entry.raw

    def replace(self, ref: ObjectRef, raw: dict) -> dict:
        """Replace an object in place (it may be renamed); returns the old raw dict for undo."""
        index = self.index_of(ref)
        new_ref = self._check(raw, ignore_index=index)
        old_entry = self.entries[index]
        old = old_entry.raw
        was = self.is_modified
        copied, fp = self._accept(raw)
        self.entries[index] = self._entry(copied, fp, old_entry.origin, old_entry.group)  # stays in its List
        self._touch(was)
        self._emit(DocumentEvent("object_changed", new_ref, index, old_ref=ref))
        return old

    def set_field(self, ref: ObjectRef, path: str, value: object) -> dict:
        """Set one field; ``None`` deletes it. Returns the old raw dict for undo.

        ``path`` is dotted names and ``[index]``; a key with dots or slashes is bracket-quoted:
        ``"spec.ports[0].nodePort"``, ``'metadata.annotations["podpath.dev/position"]'``. Intermediate
        mappings are created."""
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
