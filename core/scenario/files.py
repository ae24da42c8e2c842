"""Load, save and export scenario files (the public entry points re-exported by ``core.scenario``)."""

from __future__ import annotations

import copy
from pathlib import Path

from core.model import ClusterModel
from core.scenario.build import build_model
from core.scenario.document import Document, Entry
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.kinds import CONFIG_KINDS, PODPATH_API, is_podpath_key, object_ref, ref_label
from core.scenario.migrations import CURRENT_FORMAT_VERSION, declared_version, migrate
from core.scenario.validate import format_path, type_name
from core.scenario.writing import write_file
from core.scenario.yaml_io import dump_documents, parse_yaml, read_text

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
        if isinstance(p.data, dict):
            doc.entries.append(Entry(p.data, p))
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


def load_document(path: str | Path) -> Document:
    """Read and parse a scenario file; raises ScenarioError when it cannot be read safely."""
    return loads_document(read_text(path), str(path))


def load_model_with_warnings(path: str | Path, *, seed: int | None = None) -> tuple[ClusterModel, list[Diagnostic]]:
    return build_model(load_document(path), seed=seed)


def load_model(path: str | Path, *, seed: int | None = None) -> ClusterModel:
    """load_document + build_model; raises ScenarioError on any error (warnings: load_model_with_warnings)."""
    return load_model_with_warnings(path, seed=seed)[0]


def dumps_document(doc: Document) -> str:
    return dump_documents(doc.objects())


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


def export_objects(doc: Document, *, include_nodes: bool = False) -> list[dict]:
    """The real Kubernetes objects of the document, PodPath annotations removed.

    v1 Node objects are left out unless ``include_nodes``: applying them to a cluster would create Node
    objects that no kubelet backs (phantom nodes, NotReady forever)."""
    out = []
    for raw in doc:
        api = raw.get("apiVersion")
        if raw.get("kind") in CONFIG_KINDS or api == PODPATH_API or (
                isinstance(api, str) and api.startswith(NOT_APPLYABLE_GROUPS)):
            continue
        if not include_nodes and api == "v1" and raw.get("kind") == "Node":
            continue
        obj = copy.deepcopy(raw)
        _strip_podpath_annotations(obj)
        out.append(obj)
    return out


def export_manifests(doc: Document, *, include_nodes: bool = False) -> str:
    """Multi-document YAML that ``kubectl apply -f`` accepts: no PodPath kinds, annotations or config kinds,
    no Nodes unless ``include_nodes``; ``""`` when nothing is left."""
    objects = export_objects(doc, include_nodes=include_nodes)
    return dump_documents(objects) if objects else ""
