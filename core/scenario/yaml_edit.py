"""Write an edited object back into its own YAML text, changing only what changed (as a person would).

``patch_text(source, new)`` takes the file's text of one YAML document (with the comments and ``---`` around
it) and the object as it is now, and returns that text with the smallest edits that make it read back as
``new``: a changed scalar is rewritten in place (its quoting kept where the value allows it), a removed field
takes its lines with it, a new field is written after its neighbour in the mapping's own indentation, and list
items are matched so that editing one item leaves the others alone. Everything not edited -- comments above
fields, end-of-line comments, key order, quoting, flow or block style, blank lines -- stays byte for byte.

When a part cannot be edited in place (a key order changed, a type changed from scalar to mapping, ...), only
that part is written anew, in the style of the file around it (its indentation step and whether lists are
indented under their key). Every result is parsed again and compared with ``new`` (types and key order
included); ``None`` means no faithful patch was found and the caller writes the object anew. Documents that
use anchors, aliases or merge keys are not patched (an edit could change what an alias means).
"""

from __future__ import annotations

import difflib
import json

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from core.scenario.yaml_io import key_text, scalar_value

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REPR = yaml.representer.SafeRepresenter(default_style=None, default_flow_style=False, sort_keys=False)
_SEQ = "tag:yaml.org,2002:seq"
_WIDTH = 1 << 30


class _Unsupported(Exception):
    """This part cannot be edited in place: the caller rewrites the enclosing node."""


def same(a: object, b: object) -> bool:
    """Equal as the file would be written: types (``1`` is not ``True`` or ``1.0``) and key order count."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def patch_text(source: str, new: object) -> str | None:
    """``source`` with the fewest text edits that make its one YAML document read as ``new``; None when no
    faithful patch exists (see the module docstring)."""
    try:
        nodes = [n for n in yaml.compose_all(source, Loader=_LOADER) if not _is_empty(n)]
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    if len(nodes) != 1:
        return None
    try:
        patcher = _Patcher(source, nodes[0])
        patcher.edit(nodes[0], new, _Ctx("root", 0))
        out = patcher.result()
    except (_Unsupported, yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None
    return out if reads_as(out, new) else None


def reads_as(text: str, new: object) -> bool:
    """Whether ``text`` holds exactly one YAML document whose data is ``new`` (types and key order included)."""
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=_LOADER) if not _is_empty(n)]
        if len(nodes) != 1:
            return False
        return same(_Data().of(nodes[0]), new)
    except (_Unsupported, yaml.YAMLError, ValueError, TypeError, RecursionError):
        return False


def leading_text(source: str) -> str:
    """The comments, blank lines and ``---`` before the first line of YAML content in ``source``."""
    pos = 0
    while pos < len(source):
        end = source.find("\n", pos)
        end = len(source) if end < 0 else end + 1
        stripped = source[pos:end].strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            break
        pos = end
    return source[:pos]


def _is_empty(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null")


class _Data:
    """Plain data of composed nodes, as the loader builds it; refuses aliases and merge keys."""

    def __init__(self):
        self.cache: dict[int, object] = {}
        self.seen: set[int] = set()

    def of(self, node: Node) -> object:
        key = id(node)
        if key in self.cache:
            return self.cache[key]
        if key in self.seen:
            raise _Unsupported("alias")
        self.seen.add(key)
        if isinstance(node, ScalarNode):
            value = scalar_value(node)
        elif isinstance(node, SequenceNode):
            value = [self.of(child) for child in node.value]
        elif isinstance(node, MappingNode):
            value = {}
            for k, v in node.value:
                if not isinstance(k, ScalarNode) or k.tag == "tag:yaml.org,2002:merge":
                    raise _Unsupported("complex or merge key")
                name = key_text(scalar_value(k))
                if name in value:
                    raise _Unsupported("duplicate key")
                value[name] = self.of(v)
        else:  # pragma: no cover - composed nodes are one of the three
            raise _Unsupported(type(node).__name__)
        self.cache[key] = value
        return value


class _Ctx:
    """Where a node sits: ``root``, the ``value`` of ``key`` in a mapping, or an ``item`` of a sequence whose
    dash is at column ``col``; ``col`` is the key's column for a value. ``flow``: inside ``[...]``/``{...}``."""

    __slots__ = ("kind", "col", "key", "flow")

    def __init__(self, kind: str, col: int, key: Node | None = None, flow: bool = False):
        self.kind, self.col, self.key, self.flow = kind, col, key, flow


# ------------------------------------------------------------------------------------------------ rendering
def _serialize(node: Node) -> str:
    return yaml.serialize(node, Dumper=yaml.SafeDumper, width=_WIDTH, allow_unicode=True)


def _inline(value: object, flow: bool, style: str | None = None) -> str:
    """One line of YAML for ``value`` (a scalar, or a collection in flow style); ``style`` asks for a quote
    style for strings (kept from the text being replaced) when the value allows it."""
    node = _REPR.represent_data(value)
    if isinstance(node, ScalarNode) and isinstance(value, str) and style in ("'", '"'):
        node.style = style
    if flow or not isinstance(node, ScalarNode):
        text = _serialize(SequenceNode(_SEQ, [node], flow_style=True)).rstrip("\n")
        text = text[1:-1]
    else:
        text = _serialize(node)
        if text.endswith("\n...\n"):
            text = text[:-5]
        text = text.rstrip("\n")
    if "\n" in text:  # a multi-line quoted string: double quotes with escapes keep it on one line
        node = _REPR.represent_data(value)
        node.style = '"'
        text = _serialize(SequenceNode(_SEQ, [node], flow_style=True)).rstrip("\n")[1:-1]
        if "\n" in text:
            raise _Unsupported("multi-line scalar")
    return text


def _literal(value: object) -> tuple[str, list[str]] | None:
    """A multi-line string as a literal block: (header such as ``|-``, content lines without indentation),
    or None when the string is not multi-line or a literal block cannot hold it as it is."""
    if not isinstance(value, str) or "\n" not in value.rstrip("\n"):
        return None
    node = _REPR.represent_data(value)
    node.style = "|"
    text = _serialize(node)
    if text.endswith("\n...\n"):
        text = text[:-4]
    header, _, body = text.partition("\n")
    if not header.startswith("|") or any(ch.isdigit() for ch in header):
        return None
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if any(line and not line.startswith("  ") for line in lines):
        return None
    return header, [line[2:] for line in lines]


class _Patcher:
    def __init__(self, text: str, root: Node):
        self.text = text
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[tuple[int, int, str]] = []
        self.data = _Data()
        self.data.of(root)  # refuses aliases and merge keys anywhere in the document
        self.step, self.seq_indent = 2, 0
        self._find_style(root)

    # -- text positions ---------------------------------------------------------------------------------
    def line_start(self, i: int) -> int:
        return self.text.rfind("\n", 0, i) + 1

    def line_end(self, i: int) -> int:
        """Where the line holding ``i`` ends (before its line break)."""
        nl = self.text.find("\n", i)
        if nl < 0:
            return len(self.text)
        return nl - 1 if nl > 0 and self.text[nl - 1] == "\r" else nl

    def next_line(self, i: int) -> tuple[int, str]:
        """Where text after the line holding ``i`` goes: (index, line break to put first when the file ends
        on that line without one)."""
        nl = self.text.find("\n", i)
        return (len(self.text), self.nl) if nl < 0 else (nl + 1, "")

    def first_on_line(self, i: int) -> bool:
        return self.text[self.line_start(i):i].strip() == ""

    def end(self, node: Node) -> int:
        """Just after the last character of the node's content (comments and line breaks after it excluded)."""
        if isinstance(node, ScalarNode):
            e = node.end_mark.index
            if node.style in ("|", ">"):
                while e > node.start_mark.index and self.text[e - 1] in " \t\r\n":
                    e -= 1
            return e
        if node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self.end(last[1] if isinstance(node, MappingNode) else last)

    def dash(self, item: Node) -> int:
        """The index of the ``-`` of a block sequence item that starts on the dash's line."""
        i = item.start_mark.index - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        if i < 0 or self.text[i] != "-":
            raise _Unsupported("item not on its dash line")
        return i

    def colon(self, key: Node) -> int:
        i = key.end_mark.index
        while i < len(self.text) and self.text[i] in " \t":
            i += 1
        if i >= len(self.text) or self.text[i] != ":":
            raise _Unsupported("no colon after the key")
        return i

    def _find_style(self, root: Node) -> None:
        """The file's indentation step for nested mappings and its sequence indent under a key (0: ``key:``
        then ``- item`` at the key's column, as kubectl and PyYAML write; 2: indented)."""
        found_step = found_seq = False
        stack = [root]
        while stack and not (found_step and found_seq):
            node = stack.pop()
            if isinstance(node, MappingNode) and not node.flow_style:
                for k, v in node.value:
                    if isinstance(v, MappingNode) and not v.flow_style and v.value and not found_step:
                        step = v.start_mark.column - k.start_mark.column
                        if step > 0 and v.start_mark.line > k.start_mark.line:
                            self.step, found_step = step, True
                    if isinstance(v, SequenceNode) and not v.flow_style and v.value and not found_seq:
                        try:
                            d = self.dash(v.value[0])
                        except _Unsupported:
                            continue
                        indent = (d - self.line_start(d)) - k.start_mark.column
                        if indent >= 0:
                            self.seq_indent, found_seq = indent, True
                    stack.append(v)
            elif isinstance(node, SequenceNode):
                stack.extend(reversed(node.value))

    # -- block rendering ---------------------------------------------------------------------------------
    def pair_lines(self, key: str, value: object, col: int) -> list[str]:
        """``key: value`` at column ``col`` as lines (each with its indentation)."""
        k = _inline(key, flow=False)
        pad = " " * col
        if isinstance(value, dict) and value:
            return [f"{pad}{k}:"] + self.block_lines(value, col + self.step)
        if isinstance(value, list) and value:
            return [f"{pad}{k}:"] + self.block_lines(value, col + self.seq_indent)
        lit = _literal(value)
        if lit is not None:
            return [f"{pad}{k}: {lit[0]}"] + [(" " * (col + 2) + line) if line else "" for line in lit[1]]
        return [f"{pad}{k}: {_inline(value, flow=False)}"]

    def item_lines(self, value: object, col: int) -> list[str]:
        """``- value`` with its dash at column ``col``."""
        pad = " " * col
        if (isinstance(value, (dict, list))) and value:
            inner = self.block_lines(value, col + 2)
            return [f"{pad}- {inner[0].lstrip()}"] + inner[1:]
        lit = _literal(value)
        if lit is not None:
            return [f"{pad}- {lit[0]}"] + [(" " * (col + 2) + line) if line else "" for line in lit[1]]
        return [f"{pad}- {_inline(value, flow=False)}"]

    def block_lines(self, value: object, col: int) -> list[str]:
        """A non-empty mapping or sequence in block style at column ``col``."""
        lines: list[str] = []
        if isinstance(value, dict):
            for k, v in value.items():
                lines += self.pair_lines(k, v, col)
        else:
            assert isinstance(value, list)
            for v in value:
                lines += self.item_lines(v, col)
        return lines

    def join(self, lines: list[str]) -> str:
        return self.nl.join(lines)

    # -- edits -----------------------------------------------------------------------------------------------
    def add(self, start: int, end: int, text: str) -> None:
        if start != end or text:
            self.edits.append((start, end, text))

    def result(self) -> str:
        out = self.text
        last = None
        # from the end of the text back; of two insertions at one place, the one made later (an outer
        # mapping's new key after an inner one's) goes after
        order = sorted(range(len(self.edits)), key=lambda i: (self.edits[i][0], self.edits[i][1], i), reverse=True)
        for start, end, text in (self.edits[i] for i in order):
            if last is not None and end > last:
                raise _Unsupported("overlapping edits")
            out = out[:start] + text + out[end:]
            last = start
        return out

    def edit(self, node: Node, new: object, ctx: _Ctx) -> None:
        if same(self.data.of(node), new):
            return
        mark = len(self.edits)
        try:
            if isinstance(node, MappingNode) and isinstance(new, dict) and new and node.value:
                self.edit_mapping(node, new, ctx)
                return
            if isinstance(node, SequenceNode) and isinstance(new, list) and new and node.value:
                self.edit_sequence(node, new, ctx)
                return
            if isinstance(node, ScalarNode) and not (isinstance(new, (dict, list)) and new):
                self.edit_scalar(node, new, ctx)
                return
        except _Unsupported:
            del self.edits[mark:]
        self.replace(node, new, ctx)

    def edit_scalar(self, node: ScalarNode, new: object, ctx: _Ctx) -> None:
        start, end = node.start_mark.index, self.end(node)
        lit = None if ctx.flow else _literal(new)
        if lit is not None and node.style in ("|", ">"):
            indent = self._block_indent(node, ctx)
            body = self.join((" " * indent + line) if line else "" for line in lit[1])
            self.add(start, end, lit[0] + self.nl + body)
            return
        if lit is not None:
            raise _Unsupported("a multi-line string replacing a one-line scalar: rewrite the owner")
        style = node.style if node.style in ("'", '"') else None
        text = _inline(new, ctx.flow, style)
        if start == end and start > 0 and self.text[start - 1] == ":":
            text = " " + text  # ``key:`` with no value
        self.add(start, end, text)

    def _block_indent(self, node: ScalarNode, ctx: _Ctx) -> int:
        """The indentation of an existing block scalar's content lines."""
        for line in self.text[node.start_mark.index:node.end_mark.index].split("\n")[1:]:
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return ctx.col + 2

    # mapping ------------------------------------------------------------------------------------------------
    def edit_mapping(self, node: MappingNode, new: dict, ctx: _Ctx) -> None:
        pairs = node.value
        old_keys = [key_text(scalar_value(k)) for k, _ in pairs]
        index = {k: i for i, k in enumerate(old_keys)}
        kept_new = [k for k in new if k in index]
        if kept_new != [k for k in old_keys if k in new]:
            raise _Unsupported("key order changed")
        flow = ctx.flow or bool(node.flow_style)
        removed = [i for i, k in enumerate(old_keys) if k not in new]
        if flow:
            for i in removed:
                self.remove_flow_pair(node, i, removed)
        else:
            for first, last in _runs(removed):
                self.remove_pairs(node, first, last)
        for k in kept_new:
            key_node, value_node = pairs[index[k]]
            child = _Ctx("value", key_node.start_mark.column, key_node, flow)
            self.edit(value_node, new[k], child)
        # new keys go after the kept key before them in ``new`` (or first)
        after: int | None = None
        group: list[str] = []
        for k in list(new) + [None]:
            if k is not None and k not in index:
                group.append(k)
                continue
            if group:
                self.insert_pairs(node, after, [(g, new[g]) for g in group], flow)
                group = []
            if k is not None:
                after = index[k]

    def remove_flow_pair(self, node: MappingNode, i: int, removed: list[int]) -> None:
        pairs = node.value
        if i + 1 < len(pairs) and i + 1 not in removed:
            self.add(pairs[i][0].start_mark.index, pairs[i + 1][0].start_mark.index, "")
        elif i > 0 and i - 1 not in removed:
            self.add(self.end(pairs[i - 1][1]), self.end(pairs[i][1]), "")
        else:
            raise _Unsupported("flow mapping loses neighbours")

    def remove_pairs(self, node: MappingNode, first: int, last: int) -> None:
        """Remove the block mapping's pairs ``first..last``: their whole lines, or -- when the first key shares
        its line with a dash (``- name: x``) -- up to the next kept key, which moves up onto that line."""
        pairs = node.value
        key = pairs[first][0]
        if self.first_on_line(key.start_mark.index):
            stop, _ = self.next_line(self.end(pairs[last][1]))
            self.add(self.line_start(key.start_mark.index), stop, "")
        elif last + 1 < len(pairs):
            self.add(key.start_mark.index, pairs[last + 1][0].start_mark.index, "")
        else:
            raise _Unsupported("every key of ``- key: ...`` removed")

    def insert_pairs(self, node: MappingNode, after: int | None, items: list[tuple[str, object]],
                     flow: bool) -> None:
        pairs = node.value
        if flow:
            if after != len(pairs) - 1:
                raise _Unsupported("flow mapping: new key not at the end")
            text = "".join(f", {_inline(k, True)}: {_inline(v, True)}" for k, v in items)
            self.add(self.end(pairs[-1][1]), self.end(pairs[-1][1]), text)
            return
        first_key = pairs[0][0]
        col = first_key.start_mark.column
        lines: list[str] = []
        for k, v in items:
            lines += self.pair_lines(k, v, col)
        if after is not None:
            pos, lead = self.next_line(self.end(pairs[after][1]))
            self.add(pos, pos, lead + self.join(lines) + ("" if lead else self.nl))
        elif self.first_on_line(first_key.start_mark.index):
            pos = self.line_start(first_key.start_mark.index)
            self.add(pos, pos, self.join(lines) + self.nl)
        else:  # ``- first: 1``: the new key takes the dash's line
            pos = first_key.start_mark.index
            self.add(pos, pos, lines[0].lstrip() + self.nl + self.join(lines[1:] + [" " * col]))

    # sequence -----------------------------------------------------------------------------------------------
    def edit_sequence(self, node: SequenceNode, new: list, ctx: _Ctx) -> None:
        items = node.value
        flow = ctx.flow or bool(node.flow_style)
        old = [self.data.of(item) for item in items]
        fp = _fingerprints(old + new)
        ops = difflib.SequenceMatcher(None, fp[:len(old)], fp[len(old):], autojunk=False).get_opcodes()
        removed: list[int] = []
        inserts: list[tuple[int | None, list[object]]] = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                continue
            n = min(i2 - i1, j2 - j1)
            for d in range(n):
                dash_col = self._dash_col(items[i1 + d], flow)
                self.edit(items[i1 + d], new[j1 + d], _Ctx("item", dash_col, None, flow))
            removed += range(i1 + n, i2)
            if j1 + n < j2:
                inserts.append((i1 + n - 1 if i1 + n > 0 else None, new[j1 + n:j2]))
        for i in removed:
            self.remove_item(node, i, removed, flow)
        for after, values in inserts:
            self.insert_items(node, after, values, flow)

    def _dash_col(self, item: Node, flow: bool) -> int:
        if flow:
            return item.start_mark.column
        d = self.dash(item)
        return d - self.line_start(d)

    def remove_item(self, node: SequenceNode, i: int, removed: list[int], flow: bool) -> None:
        items = node.value
        if flow:
            if i + 1 < len(items) and i + 1 not in removed:
                self.add(items[i].start_mark.index, items[i + 1].start_mark.index, "")
            elif i > 0 and i - 1 not in removed:
                self.add(self.end(items[i - 1]), self.end(items[i]), "")
            else:
                raise _Unsupported("flow sequence loses neighbours")
            return
        d = self.dash(items[i])
        if not self.first_on_line(d):
            raise _Unsupported("dash shares its line")
        stop, _ = self.next_line(self.end(items[i]))
        self.add(self.line_start(d), stop, "")

    def insert_items(self, node: SequenceNode, after: int | None, values: list, flow: bool) -> None:
        items = node.value
        if flow:
            if after is None:
                pos = items[0].start_mark.index
                self.add(pos, pos, "".join(f"{_inline(v, True)}, " for v in values))
            else:
                pos = self.end(items[after])
                self.add(pos, pos, "".join(f", {_inline(v, True)}" for v in values))
            return
        d0 = self.dash(items[0])
        if not self.first_on_line(d0):
            raise _Unsupported("dash shares its line")
        col = d0 - self.line_start(d0)
        lines: list[str] = []
        for v in values:
            lines += self.item_lines(v, col)
        if after is None:
            pos = self.line_start(d0)
            self.add(pos, pos, self.join(lines) + self.nl)
        else:
            pos, lead = self.next_line(self.end(items[after]))
            self.add(pos, pos, lead + self.join(lines) + ("" if lead else self.nl))

    # replacing a whole node ------------------------------------------------------------------------------------
    def replace(self, node: Node, new: object, ctx: _Ctx) -> None:
        """Write ``new`` in place of ``node`` (the fallback when it cannot be edited piece by piece)."""
        start, end = node.start_mark.index, self.end(node)
        if ctx.flow:
            self.add(start, end, _inline(new, True))
            return
        is_block = isinstance(new, (dict, list)) and bool(new)
        lit = None if is_block else _literal(new)
        if ctx.kind == "root":
            if is_block and node.start_mark.column == 0:
                self.add(self.line_start(start), self.line_end(end), self.join(self.block_lines(new, 0)))
            elif is_block or lit is not None:
                raise _Unsupported("root not at column 0")
            else:
                self.add(start, end, _inline(new, False))
            return
        if ctx.kind == "value":
            assert ctx.key is not None
            owner = self.colon(ctx.key)
            col = ctx.key.start_mark.column
            lines = (self.block_lines(new, col + (self.step if isinstance(new, dict) else self.seq_indent))
                     if is_block else None)
        else:
            owner = self.dash(node)  # refuses an item that does not start on its dash's line
            col = ctx.col
            lines = self.block_lines(new, col + 2) if is_block else None
        on_owner_line = self.line_start(start) == self.line_start(owner)
        if lit is not None:
            body = self.join((" " * (col + 2) + line) if line else "" for line in lit[1])
            if on_owner_line:  # the header replaces the value; an end-of-line comment stays after it
                self.add(start, end, (" " if start == end and self.text[start - 1] == ":" else "") + lit[0])
                stop = self.line_end(end)
                self.add(stop, stop, self.nl + body)
            else:
                self.add(owner + 1, owner + 1, " " + lit[0])
                self.add(self.line_start(start), self.line_end(end), body)
            return
        if lines is None:  # one line: a scalar, ``{}`` or ``[]``
            text = _inline(new, False)
            if on_owner_line:
                self.add(start, end, (" " + text) if start == end and self.text[start - 1] == ":" else text)
            else:
                self.add(owner + 1, owner + 1, " " + text)
                stop, _ = self.next_line(end)
                self.add(self.line_start(start), stop, "")
            return
        if not on_owner_line:
            self.add(self.line_start(start), self.line_end(end), self.join(lines))
        elif ctx.kind == "item":
            self.add(start, self.line_end(end), lines[0].lstrip() + self.nl + self.join(lines[1:])
                     if len(lines) > 1 else lines[0].lstrip())
        else:  # ``key: <inline>`` becomes ``key:`` with the block below (an end-of-line comment stays put)
            self.add(owner + 1, end, "")
            stop = self.line_end(end)
            self.add(stop, stop, self.nl + self.join(lines))


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted indices: [1, 2, 4] -> [(1, 2), (4, 4)]."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _fingerprints(values: list) -> list[str]:
    return [json.dumps(v, sort_keys=False, default=str, ensure_ascii=False) for v in values]
