"""Load, save and export scenario files (the public entry points re-exported by ``core.scenario``)."""

from __future__ import annotations

import copy
from pathlib import Path

from core.model import ClusterModel
from core.scenario.build import build_model
from core.scenario.document import Document, Entry, ListGroup, _fingerprint
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.kinds import CONFIG_KINDS, PODPATH_API, is_podpath_key, object_ref, ref_label
from core.scenario.migrations import CURRENT_FORMAT_VERSION, declared_version, migrate
from core.scenario.validate import format_path, type_name
from core.scenario.writing import write_file
from core.scenario.yaml_edit import leading_text, patch_text
from core.scenario.yaml_io import ParsedDoc, dump_documents, parse_yaml, read_text

NOT_APPLYABLE_GROUPS = ("kubeadm.k8s.io/", "kubeproxy.config.k8s.io/", "kubescheduler.config.k8s.io/",
                        "kubelet.config.k8s.io/", "podpath.dev/")


def loads_document(text: str, filename: str = "<string>") -> Document:
    """Parse scenario text into a Document; raises ScenarioError on unreadable/unsafe YAML or a newer format."""
    if not isinstance(text, str):
        raise ScenarioError(Diagnostic("error", f"expected text, got {type(text).__name__}", filename))
    parsed = parse_yaml(text, filename)
    doc = Document(filename=filename)
    for p in parsed:
        label = ref_label(object_ref(p.data)) if isinstance(p.data, dict) else ""
        for path, line, col, message in p.problems:
            doc.load_diagnostics.append(Diagnostic("error", message, filename, line, col, label, format_path(path)))
        if isinstance(p.data, dict) and is_list(p.data):
            _add_list(doc, p, filename)
        elif isinstance(p.data, dict):
            p.fingerprint = _fingerprint(p.data)
            doc.entries.append(Entry(p.data, p, origin=p))
        else:
            line, col = p.start
            doc.load_diagnostics.append(Diagnostic(
                "error", f"Invalid value: each YAML document must be a mapping (a Kubernetes object), got "
                f"{type_name(p.data)}", filename, line, col, "", "", None))
    version, index, bad = declared_version([e.raw for e in doc.entries])
    if index is not None:
        line, col = doc.mark_of(index, ("metadata", "annotations", "podpath.dev/format-version"))
        sim = f"Simulation {doc.entries[index].ref.name}".rstrip()
        if version is None or version < 0:
            raise ScenarioError(Diagnostic("error", f"Invalid value: {bad!r}: the format version must be a whole "
                                           f"number (this PodPath reads 0..{CURRENT_FORMAT_VERSION})", filename,
                                           line, col, sim, "metadata.annotations[podpath.dev/format-version]", bad))
        if version > CURRENT_FORMAT_VERSION:
            raise ScenarioError(Diagnostic(
                "error", f"refused: this file is format version {version}, written by a newer PodPath; this PodPath "
                f"reads versions up to {CURRENT_FORMAT_VERSION}. Update PodPath to open it.", filename, line, col,
                sim, "metadata.annotations[podpath.dev/format-version]", version))
        if version < CURRENT_FORMAT_VERSION:
            migrate([e.raw for e in doc.entries], version)
    return doc


def is_list(raw: dict) -> bool:
    """``apiVersion: v1, kind: List``: what ``kubectl get … -o yaml`` prints around the objects."""
    return raw.get("kind") == "List" and raw.get("apiVersion") == "v1"


def _item_docs(parsed: ParsedDoc, count: int) -> list[ParsedDoc]:
    """The marks of each List item, re-rooted at the item (so its errors keep their file:line:column); one pass
    over the List's marks, not one per item."""
    subs = [ParsedDoc(None) for _ in range(count)]
    for marks, attr in ((parsed.value_marks, "value_marks"), (parsed.key_marks, "key_marks")):
        for k, v in marks.items():
            if len(k) >= 2 and k[0] == "items" and isinstance(k[1], int) and 0 <= k[1] < count:
                getattr(subs[k[1]], attr)[k[2:]] = v
    for path, line, col, msg in parsed.problems:
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int) and 0 <= path[1] < count:
            subs[path[1]].problems.append((path[2:], line, col, msg))
    return subs


def _add_list(doc: Document, p: ParsedDoc, filename: str) -> None:
    """Each item of a ``kind: List`` becomes an object of the document, remembered as part of that List."""
    raw = p.data
    assert isinstance(raw, dict)
    items = raw.get("items")
    line, col = p.value_marks.get(("items",), p.start)
    if items is None:
        items = []
    if not isinstance(items, list):
        doc.load_diagnostics.append(Diagnostic("error", f"Invalid value: items: expected a list of objects, got "
                                               f"{type_name(items)}", filename, line, col, "List", "items", None))
        p.fingerprint = _fingerprint(raw)
        doc.entries.append(Entry(raw, p, origin=p))  # kept as it is, so nothing is lost
        return
    if not items:
        doc.load_diagnostics.append(Diagnostic("warning", "a List with no items holds no objects: nothing to load, "
                                               "and it is not written back when the scenario is saved", filename,
                                               *p.start, "List", "items", None))
        return
    envelope = {k: ([] if k == "items" else copy.deepcopy(v)) for k, v in raw.items()}
    p.fingerprint = _fingerprint(raw)
    group = ListGroup(envelope, p)
    for path, pl, pc, message in p.problems:
        if path[:1] != ("items",):
            doc.load_diagnostics.append(Diagnostic("error", message, filename, pl, pc, "List", format_path(path)))
    subs = _item_docs(p, len(items))
    for i, item in enumerate(items):
        sub = subs[i]
        sub.data = item
        if isinstance(item, dict):
            label = ref_label(object_ref(item))
            for path, pl, pc, message in sub.problems:
                doc.load_diagnostics.append(Diagnostic("error", message, filename, pl, pc, label, format_path(path)))
            sub.fingerprint = _fingerprint(item)
            doc.entries.append(Entry(item, sub, group, sub))
        else:
            il, ic = p.value_marks.get(("items", i), (line, col))
            doc.load_diagnostics.append(Diagnostic(
                "error", f"Invalid value: each item of a List must be a mapping (a Kubernetes object), got "
                f"{type_name(item)}", filename, il, ic, "List", f"items[{i}]", None))


def load_document(path: str | Path) -> Document:
    """Read and parse a scenario file; raises ScenarioError when it cannot be read safely."""
    return loads_document(read_text(path), str(path))


def load_model_with_warnings(path: str | Path, *, seed: int | None = None) -> tuple[ClusterModel, list[Diagnostic]]:
    return build_model(load_document(path), seed=seed)


def load_model(path: str | Path, *, seed: int | None = None) -> ClusterModel:
    """load_document + build_model; raises ScenarioError on any error (warnings: load_model_with_warnings)."""
    return load_model_with_warnings(path, seed=seed)[0]


def dumps_document(doc: Document) -> str:
    """The scenario as YAML: one document per object, the items of a loaded ``kind: List`` inside it.

    Saving edits the file's own text as a person would: an object not edited since loading is written back as
    the file had it; an edited one has only its changed fields rewritten (``core.scenario.yaml_edit``), so its
    comments, key order, quoting and flow style elsewhere stay; a new object is written as YAML."""
    pieces: list[str] = []
    pending: list[dict] = []

    def flush() -> None:
        if pending:
            pieces.append(dump_documents(pending))
            pending.clear()

    for data, origin in _units(doc):
        kept = _text_of(data, origin)
        if kept is None:
            pending.append(data)
            continue
        flush()
        pieces.append(kept)
    flush()
    out = ""
    for i, piece in enumerate(pieces):
        body = piece if piece.endswith("\n") or i == len(pieces) - 1 else piece + "\n"
        if out and not _starts_with_separator(body):
            out += "---\n"
        out += body
    return out


def _units(doc: Document) -> list[tuple[dict, ParsedDoc | None]]:
    """The YAML documents to write (as ``Document.documents``, without copying) with the loaded text each one
    can be edited from: an object's own, or a List's for the first run of its items."""
    units: list[tuple[dict, ParsedDoc | None]] = []
    open_group: ListGroup | None = None
    written: set[int] = set()
    for e in doc.entries:
        if e.group is None:
            units.append((e.raw, e.origin))
            open_group = None
        elif e.group is open_group:
            units[-1][0]["items"].append(e.raw)
        else:
            envelope = dict(e.group.envelope)
            envelope["items"] = [e.raw]
            first = id(e.group) not in written
            written.add(id(e.group))
            units.append((envelope, e.group.origin if first else None))
            open_group = e.group
    return units


def _text_of(data: dict, origin: ParsedDoc | None) -> str | None:
    """The text to save for ``data`` loaded from ``origin``: the file's text as it was while the data is
    unchanged, else that text with only the changes edited in; None when there is no text to start from."""
    if origin is None or not origin.source:
        return None
    if origin.fingerprint is not None and origin.fingerprint == _fingerprint(data):
        return origin.source
    patched = patch_text(origin.source, data)
    if patched is not None:
        return patched
    return leading_text(origin.source) + dump_documents([data])  # written anew; its heading comments kept


def _starts_with_separator(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return stripped.startswith("---")
    return False


def save_document(doc: Document, path: str | Path) -> None:
    """Write every object (unknown kinds and fields unchanged) into ``path`` with ``write_file`` (atomic for a
    regular file, through a symlink, mode kept; read-only files refused), then mark the document saved.
    A write failure raises ``WriteError`` (an OSError; the document stays modified).

    Refused (ScenarioError, nothing written) when loading found errors that the document cannot hold --
    a document that is not a mapping, a key written twice -- because saving would silently drop that data."""
    lost = [x for x in doc.load_diagnostics if x.is_error]
    if lost:
        raise ScenarioError([Diagnostic(
            "error", f"refused to save: {doc.filename} had {len(lost)} load error(s) and saving would lose the "
            "data involved; fix them in the file and open it again", str(path))] + lost)
    write_file(path, dumps_document(doc))
    doc.mark_saved()


def _strip_podpath_annotations(obj: object) -> None:
    if isinstance(obj, dict):
        meta = obj.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
            ann = {k: v for k, v in meta["annotations"].items() if not is_podpath_key(str(k))}
            if ann:
                meta["annotations"] = ann
            else:
                del meta["annotations"]
        for value in obj.values():
            _strip_podpath_annotations(value)
    elif isinstance(obj, list):
        for item in obj:
            _strip_podpath_annotations(item)


def _exported(raw: dict, include_nodes: bool) -> dict | None:
    """One object as exported: None when it is not for ``kubectl apply``, else a copy without PodPath
    annotations."""
    api = raw.get("apiVersion")
    if raw.get("kind") in CONFIG_KINDS or api == PODPATH_API or (
            isinstance(api, str) and api.startswith(NOT_APPLYABLE_GROUPS)):
        return None
    if not include_nodes and api == "v1" and raw.get("kind") == "Node":
        return None
    obj = copy.deepcopy(raw)
    _strip_podpath_annotations(obj)
    return obj


def export_objects(doc: Document, *, include_nodes: bool = False) -> list[dict]:
    """The real Kubernetes objects of the document, PodPath annotations removed; the items of a loaded
    ``kind: List`` stay inside their List (kubectl applies each item).

    v1 Node objects are left out unless ``include_nodes``: applying them to a cluster would create Node
    objects that no kubelet backs (phantom nodes, NotReady forever)."""
    return doc.documents(lambda raw: _exported(raw, include_nodes))


def export_manifests(doc: Document, *, include_nodes: bool = False) -> str:
    """Multi-document YAML that ``kubectl apply -f`` accepts: no PodPath kinds, annotations or config kinds,
    no Nodes unless ``include_nodes``; ``""`` when nothing is left."""
    objects = export_objects(doc, include_nodes=include_nodes)
    return dump_documents(objects) if objects else ""
