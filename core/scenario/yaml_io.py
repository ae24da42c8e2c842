"""Safe YAML in and out: documents as plain data plus the line:column of every key and value.

Only ``yaml.SafeLoader`` is used (compose, then our own construction of plain dicts/lists/scalars), so
no tag can run code. Refused with a clear message: files over ``MAX_BYTES``, non-UTF-8 bytes, alias
bombs (the fully expanded document would exceed ``MAX_NODES`` nodes; counted without expanding),
recursive aliases and nesting deeper than ``MAX_DEPTH``. Timestamps stay strings, as Kubernetes reads
them (YAML is turned into JSON there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from core.scenario.errors import Diagnostic, ScenarioError, format_value

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 1_000_000
MAX_DEPTH = 100

PathKey = tuple[str | int, ...]


@dataclass
class ParsedDoc:
    """One YAML document: its data and the 1-based (line, column) of values and keys by field path."""

    data: object
    value_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # problems that lose data if the document is saved as parsed (duplicate keys): (path, line, column, message)
    problems: list[tuple[PathKey, int, int, str]] = field(default_factory=list)
    # the file's own text of this document, with the comments and ``---`` before it (and, for the last one,
    # after it): saving an unedited object writes it back as the user wrote it
    source: str | None = None
    # the fingerprint (core.scenario.document) of ``data`` as parsed, before any migration: saving writes
    # ``source`` unchanged while the object's data still has it
    fingerprint: str | None = None

    @property
    def start(self) -> tuple[int, int]:
        return self.value_marks.get((), (1, 1))

    def __deepcopy__(self, memo: dict) -> ParsedDoc:
        """Not copied: what was loaded does not change after loading (a copied Document's entries share it; a
        List's marks would otherwise be copied once per item)."""
        return self


def _refuse(filename: str, message: str, line: int = 0, column: int = 0) -> ScenarioError:
    return ScenarioError(Diagnostic("error", message, filename, line, column))


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed nodes into plain data, recording marks; counts expansion to stop alias bombs.

    One builder per YAML document: ``sizes`` is keyed by ``id(node)``, which is only unique while the node
    is alive, so the cache must not outlive the document whose root keeps every one of its nodes alive (a
    cache shared across documents would hand a later document's nodes the sizes of dead ones)."""

    def __init__(self, filename: str, root: Node):
        self.filename = filename
        self.root = root  # keeps every node of this document alive while ``sizes`` refers to their ids
        self.constructor = yaml.constructor.SafeConstructor()
        self.sizes: dict[int, int] = {}

    def expanded_size(self, node: Node, depth: int = 0, active: set[int] | None = None) -> int:
        active = set() if active is None else active
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if key in active:
            raise _refuse(self.filename, "refused: recursive YAML alias (an anchor that contains itself)",
                          *_mark(node))
        if depth > MAX_DEPTH:
            raise _refuse(self.filename, f"refused: YAML nested deeper than {MAX_DEPTH} levels", *_mark(node))
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += self.expanded_size(child, depth + 1, active)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += self.expanded_size(k, depth + 1, active) + self.expanded_size(v, depth + 1, active)
        active.discard(key)
        self.sizes[key] = total
        return total

    def scalar(self, node: ScalarNode) -> object:
        if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
            return node.value
        if not node.tag.startswith("tag:yaml.org,2002:"):
            raise _refuse(self.filename, f"refused: YAML tag {node.tag!r} is not allowed (plain data only)",
                          *_mark(node))
        return self.constructor.construct_object(node, deep=True)

    def duplicate_keys(self, node: MappingNode, path: PathKey, doc: ParsedDoc) -> None:
        """Record keys written twice in one mapping (merge keys ``<<`` may be overridden, as YAML allows)."""
        first: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = key_node.value
            if key in first:
                line, col = _mark(key_node)
                doc.problems.append(((*path, key), line, col,
                                     f"mapping key {format_value(key)} already defined at line {first[key]}"))
            else:
                first[key] = _mark(key_node)[0]

    def build(self, node: Node, path: PathKey, doc: ParsedDoc) -> object:
        doc.value_marks[path] = _mark(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:omap",
                            "tag:yaml.org,2002:set"):
            raise _refuse(self.filename, f"refused: YAML tag {node.tag!r} is not allowed (plain data only)",
                          *_mark(node))
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i), doc) for i, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        self.duplicate_keys(node, path, doc)
        self.constructor.flatten_mapping(node)
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _refuse(self.filename, "refused: a mapping key must be a plain scalar, not a "
                              f"{'list' if isinstance(key_node, SequenceNode) else 'mapping'}", *_mark(key_node))
            key = key_text(self.scalar(key_node))
            doc.key_marks[(*path, key)] = _mark(key_node)
            out[key] = self.build(value_node, (*path, key), doc)
        return out


def key_text(value: object) -> str:
    """A mapping key as the documents hold it: a string (``1`` -> ``"1"``, ``null`` -> ``"null"``)."""
    if isinstance(value, str):
        return value
    key = yaml.safe_dump(value).splitlines()[0]
    return "null" if key == "..." else key


_SCALAR_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors
_SAFE = yaml.constructor.SafeConstructor()


def scalar_value(node: ScalarNode) -> object:
    """The value of a composed scalar as the loader builds it (timestamps and binary stay text); ValueError
    for a tag that is not plain data."""
    if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
        return node.value
    construct = _SCALAR_CONSTRUCTORS.get(node.tag) if node.tag.startswith("tag:yaml.org,2002:") else None
    if construct is None:
        raise ValueError(f"YAML tag {node.tag!r} is not plain data")
    return construct(_SAFE, node)


def parse_yaml(text: str, filename: str = "<string>") -> list[ParsedDoc]:
    """Parse every ``---`` document of ``text``; raise ScenarioError when the YAML is unreadable or unsafe."""
    if len(text) > MAX_BYTES:
        raise _refuse(filename, f"refused: file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if _FAST_LOADER is not None:
        try:
            return _compose(text, filename, _FAST_LOADER)
        except ScenarioError:
            raise
        except Exception:  # noqa: BLE001 -- any YAML problem: the pure-Python parser words it (below)
            pass
    try:
        return _compose(text, filename, yaml.SafeLoader)
    except ScenarioError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise _refuse(filename, f"YAML syntax error: {_one_line(problem)}", line, col) from None
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise _refuse(filename, f"YAML error: unacceptable character U+{char:04X}: {_one_line(exc.reason)} "
                      "(YAML allows printable characters, tab and line breaks)",
                      line, col) from None
    except yaml.YAMLError as exc:
        raise _refuse(filename, f"YAML error: {_one_line(str(exc))}") from None
    except RecursionError:
        raise _refuse(filename, f"refused: YAML nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise _refuse(filename, f"YAML error: {_one_line(str(exc))}") from None


# libyaml's safe loader composes the same nodes (same resolver, same marks) about ten times faster; it caps
# nesting at 1000 levels itself. Any error it finds is re-parsed by the pure-Python loader, whose messages
# the diagnostics use.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str, filename: str, loader) -> list[ParsedDoc]:
    docs: list[ParsedDoc] = []
    start = 0
    for node in yaml.compose_all(text, Loader=loader):
        if node is None or (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
            continue  # an empty document (``---`` alone, comments, ``null``): kubectl skips it too
        builder = _Builder(filename, node)
        size = builder.expanded_size(node)
        if size > MAX_NODES:
            raise _refuse(filename, f"refused: the document expands to {size} YAML nodes through aliases, "
                          f"more than the limit of {MAX_NODES} (alias bomb?)", *_mark(node))
        doc = ParsedDoc(None)
        doc.data = builder.build(node, (), doc)
        end = _line_end(text, node.end_mark.index)
        doc.source = text[start:end]
        start = end
        docs.append(doc)
    if docs and docs[-1].source is not None:
        docs[-1].source += text[start:]  # trailing comments stay with the last object
    return docs


def _line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding ``index`` (a node's end mark may sit
    in the middle of a line, e.g. after a flow mapping)."""
    if index > 0 and text[index - 1:index] == "\n":
        return index
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of character ``index`` of ``text``."""
    index = max(0, min(index, len(text)))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: str | Path) -> str:
    """Read a scenario file as UTF-8 text, refusing huge or binary files with a clear message."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _refuse(name, f"refused: file is {size} bytes, larger than the {MAX_BYTES // (1024 * 1024)} "
                          "MiB limit")
        raw = p.read_bytes()
    except ScenarioError:
        raise
    except IsADirectoryError:
        raise _refuse(name, "cannot read: is a directory, expected a YAML file") from None
    except OSError as exc:
        raise _refuse(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(name, f"refused: not a UTF-8 text file (byte {exc.start} is not valid UTF-8)") from None


def dump_documents(objects: list[object]) -> str:
    """Multi-document YAML of plain data, keys in their original order."""
    return yaml.safe_dump_all(objects, sort_keys=False, default_flow_style=False, allow_unicode=True,
                              explicit_start=False, width=100)



def write_atomic(path: str | Path, text: str) -> None:
    """Kept for existing callers: the same as ``core.scenario.writing.write_file`` (write into the path as
    editors do; WriteError on failure)."""
    from core.scenario.writing import write_file  # noqa: PLC0415

    write_file(path, text)
