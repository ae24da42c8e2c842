"""Saving an edited object rewrites only what changed in its own text (core.scenario.yaml_edit).

The expected texts below are written by hand: the file as a person would leave it after making the same
change in a text editor."""

import copy
import glob

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.scenario.document import Entry
from core.scenario.files import dumps_document, loads_document
from core.scenario.yaml_edit import leading_text, patch_text, reads_as, same
from core.scenario.yaml_io import parse_yaml, read_text

TEXT = """# header
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the name
  labels: {app: web, tier: "front"}
spec:
  # how many
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: 'nginx:1.25'  # pinned
          args:
            - "--port=80"
        - name: side
          image: busybox
          command: |
            echo hi
            sleep 1
# trailing
"""


def edited(change) -> dict:
    data = yaml.safe_load(TEXT)
    change(data)
    return data


def patched(change) -> str:
    new = edited(change)
    out = patch_text(TEXT, new)
    assert out is not None
    assert yaml.safe_load(out) == new
    return out


def test_scalar_edit_changes_that_value_only():
    out = patched(lambda d: d["spec"].__setitem__("replicas", 4))
    assert out == TEXT.replace("  replicas: 3\n", "  replicas: 4\n")


def test_quoting_and_end_of_line_comment_are_kept():
    out = patched(lambda d: d["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "nginx:1.26"))
    assert out == TEXT.replace("image: 'nginx:1.25'  # pinned", "image: 'nginx:1.26'  # pinned")
    out = patched(lambda d: d["metadata"]["labels"].__setitem__("tier", "back"))
    assert out == TEXT.replace('tier: "front"}', 'tier: "back"}')


def test_a_value_that_needs_quotes_gets_them():
    out = patched(lambda d: d["metadata"].__setitem__("name", "web: two"))
    assert out == TEXT.replace("  name: web   # the name", "  name: 'web: two'   # the name")
    out = patched(lambda d: d["metadata"]["labels"].__setitem__("app", "1,2"))
    assert out == TEXT.replace("{app: web,", "{app: '1,2',")


def test_new_field_goes_after_its_neighbour_in_the_files_indentation():
    out = patched(lambda d: d["metadata"].__setitem__("annotations", {"podpath.dev/position": "120,80"}))
    assert out == TEXT.replace('  labels: {app: web, tier: "front"}\n',
                               '  labels: {app: web, tier: "front"}\n  annotations:\n'
                               '    podpath.dev/position: 120,80\n')


def test_new_key_in_a_flow_mapping_stays_flow():
    out = patched(lambda d: d["metadata"]["labels"].__setitem__("zone", "a"))
    assert out == TEXT.replace('tier: "front"}', 'tier: "front", zone: a}')


def test_removed_field_takes_its_lines_and_nothing_else():
    out = patched(lambda d: d["spec"].pop("selector"))
    assert out == TEXT.replace("  selector:\n    matchLabels:\n      app: web\n", "")


def test_first_key_of_a_list_item_removed_moves_the_next_key_onto_the_dash():
    out = patched(lambda d: d["spec"]["template"]["spec"]["containers"][0].pop("name"))
    assert out == TEXT.replace("        - name: web\n          image:", "        - image:")


def test_list_items_added_and_removed_in_the_files_sequence_indent():
    out = patched(lambda d: d["spec"]["template"]["spec"]["containers"][0]["args"].append("--v=2"))
    assert out == TEXT.replace('            - "--port=80"\n', '            - "--port=80"\n            - --v=2\n')
    out = patched(lambda d: d["spec"]["template"]["spec"]["containers"].pop(1))
    assert out == TEXT.replace("        - name: side\n          image: busybox\n          command: |\n"
                               "            echo hi\n            sleep 1\n", "")
    out = patched(lambda d: d["spec"]["template"]["spec"]["containers"].append(
        {"name": "log", "image": "busybox", "ports": [{"containerPort": 9}]}))
    assert out == TEXT.replace("            sleep 1\n", "            sleep 1\n        - name: log\n"
                               "          image: busybox\n          ports:\n            - containerPort: 9\n")


def test_literal_block_stays_a_literal_block():
    out = patched(lambda d: d["spec"]["template"]["spec"]["containers"][1].__setitem__("command",
                                                                                         "echo bye\nsleep 2\n"))
    assert out == TEXT.replace("            echo hi\n            sleep 1\n", "            echo bye\n            sleep 2\n")


def test_scalar_becomes_a_mapping_below_its_key():
    out = patched(lambda d: d["spec"].__setitem__("replicas", {"min": 1, "max": [2, 3]}))
    assert out == TEXT.replace("  replicas: 3\n", "  replicas:\n    min: 1\n    max:\n      - 2\n      - 3\n")


def test_indentless_sequences_stay_indentless():
    text = "spec:\n  containers:\n  - name: a\n    image: x\n"
    out = patch_text(text, {"spec": {"containers": [{"name": "a", "image": "x"},
                                                    {"name": "b", "image": "y", "args": ["1"]}]}})
    assert out == text + "  - name: b\n    image: y\n    args:\n    - '1'\n"


def test_crlf_file_keeps_crlf():
    text = "a: 1\r\nb:\r\n  c: 2\r\n"
    out = patch_text(text, {"a": 1, "b": {"c": 2, "d": 3}})
    assert out == "a: 1\r\nb:\r\n  c: 2\r\n  d: 3\r\n"


def test_key_order_change_rewrites_that_mapping_only():
    out = patched(lambda d: d.__setitem__("metadata", {"labels": {"app": "web", "tier": "front"}, "name": "web"}))
    assert out.startswith("# header\n") and out.endswith("# trailing\n")
    assert "image: 'nginx:1.25'  # pinned" in out
    assert list(yaml.safe_load(out)["metadata"]) == ["labels", "name"]


def test_types_and_key_order_count_as_changes():
    assert not same(1, True) and not same(1, 1.0) and not same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert patch_text("a: 1\n", {"a": True}) == "a: true\n"
    assert patch_text("a: '1'\n", {"a": 1}) == "a: 1\n"


def test_aliases_are_not_patched():
    assert patch_text("a: &x {b: 1}\nc: *x\n", {"a": {"b": 2}, "c": {"b": 1}}) is None
    assert reads_as("a: 1\n", {"a": 1}) and not reads_as("a: 1\n---\nb: 2\n", {"a": 1})


# ------------------------------------------------------------------------------------------- real files
REAL = (sorted(glob.glob("tests/data/manifests/*.yaml")) + ["resources/scenarios/demo.yaml"]
        + sorted(glob.glob("resources/lessons/*.yaml")))


def _scalar_leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _scalar_leaves(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _scalar_leaves(v, (*path, i))
    else:
        yield path, obj


def _set(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return f"{value}-edited"


def _one_line(value) -> bool:
    """A value that the file certainly has on one line (a long string with spaces may be folded)."""
    return not isinstance(value, str) or (len(value) < 40 and not any(ch.isspace() for ch in value))


@pytest.mark.parametrize("path", [p for p in REAL if "argocd" not in p])
def test_one_field_of_each_object_of_real_files_changes_only_that_line(path):
    """For every object: change one one-line scalar (the last of the object, then one from its middle); the
    saved file differs from the original in exactly that field's line, and reads back as edited."""
    text = read_text(path)
    lines = text.splitlines()
    doc = loads_document(text, path)
    assert dumps_document(doc) == text
    checked = 0
    for index, entry in enumerate(doc.entries):
        leaves = [(p, v) for p, v in _scalar_leaves(entry.raw)
                  if p and _one_line(v) and "podpath.dev/format-version" not in p]
        for leaf_path, value in (leaves[-1], leaves[len(leaves) // 2]):
            line_no = entry.parsed.value_marks[leaf_path][0]
            new = copy.deepcopy(entry.raw)
            _set(new, leaf_path, _changed(value))
            again = loads_document(text, path)
            again.entries[index] = Entry(new, None, again.entries[index].group, again.entries[index].origin)
            out = dumps_document(again)
            out_lines = out.splitlines()
            assert len(out_lines) == len(lines), (path, leaf_path)
            diff = [i for i, (a, b) in enumerate(zip(lines, out_lines)) if a != b]
            assert diff == [line_no - 1], (path, leaf_path, [out_lines[i] for i in diff])
            assert [e.raw for e in loads_document(out, path).entries] == [e.raw for e in again.entries]
            checked += 1
    assert checked == 2 * len(doc.entries)


# ------------------------------------------------------------------------------------------- hypothesis
SAMPLES = {p: read_text(p) for p in ("tests/data/manifests/bookinfo.yaml", "tests/data/manifests/cassandra.yaml",
                                     "tests/data/manifests/tensorflow-serving.yaml", "resources/scenarios/demo.yaml",
                                     "resources/lessons/03-nodeport.yaml")}
SAMPLES["commented"] = TEXT

VALUES = st.one_of(st.integers(-5, 70000), st.booleans(), st.none(),
                   st.sampled_from(["x", "a: b", "yes", "1,2", "#no", "line1\nline2\n", "", " lead", "é", "- x"]),
                   st.dictionaries(st.sampled_from(["k", "name", "a b"]), st.integers(0, 9), max_size=2),
                   st.lists(st.sampled_from(["p", "q: 1", "80"]), max_size=2))


def _containers(obj, path=()):
    """Paths of every mapping and list inside ``obj``."""
    yield path, obj
    items = obj.items() if isinstance(obj, dict) else enumerate(obj)
    for k, v in items:
        if isinstance(v, (dict, list)):
            yield from _containers(v, (*path, k))


def _at(obj, path):
    for key in path:
        obj = obj[key]
    return obj


@st.composite
def edit_sequences(draw):
    name = draw(st.sampled_from(sorted(SAMPLES)))
    doc = loads_document(SAMPLES[name], name)
    edits = {}
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(doc.entries) - 1))
        obj = edits.setdefault(index, copy.deepcopy(doc.entries[index].raw))
        where = draw(st.sampled_from(list(_containers(obj))))
        target = where[1]
        action = draw(st.sampled_from(["set", "add", "remove"]))
        if isinstance(target, dict):
            keys = list(target)
            if action == "add" or not keys:
                target[draw(st.sampled_from(["new", "extra", "x.y/z"]))] = draw(VALUES)
            elif action == "remove":
                del target[draw(st.sampled_from(keys))]
            else:
                target[draw(st.sampled_from(keys))] = draw(VALUES)
        else:
            if action == "add" or not target:
                target.insert(draw(st.integers(0, len(target))), draw(VALUES))
            elif action == "remove":
                del target[draw(st.integers(0, len(target) - 1))]
            else:
                target[draw(st.integers(0, len(target) - 1))] = draw(VALUES)
    return name, edits


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_sequences())
def test_random_edits_save_and_reload_as_edited_and_leave_other_objects_byte_identical(case):
    name, edits = case
    text = SAMPLES[name]
    doc = loads_document(text, name)
    sources = [e.origin.source for e in doc.entries]
    for index, new in edits.items():
        e = doc.entries[index]
        doc.entries[index] = Entry(new, None, e.group, e.origin)
    out = dumps_document(doc)
    again = parse_yaml(out, name)  # as parsed: loading would refuse a random format-version
    assert len(again) == len(doc.entries)
    for a, b in zip(again, doc.entries):
        assert same(a.data, b.raw)
    for index, source in enumerate(sources):
        if index not in edits or same(edits[index], loads_document(text, name).entries[index].raw):
            assert source in out
    for index in edits:  # an edited object keeps the comments above it
        assert leading_text(sources[index]) in out


def test_multi_line_value_keeps_the_end_of_line_comment_on_its_key_line():
    """A comment after a one-line value stays on the key's line when the value becomes a literal block (it
    would otherwise become part of the block's text)."""
    assert patch_text("a: x  # c\nb: 1\n", {"a": "l1\nl2\n", "b": 1}) == "a: |  # c\n  l1\n  l2\nb: 1\n"
    assert patch_text("- x  # c\n- y\n", ["l1\nl2", "y"]) == "- |-  # c\n  l1\n  l2\n- y\n"
    assert patch_text("a:\nb: 1\n", {"a": "l1\nl2", "b": 1}) == "a: |-\n  l1\n  l2\nb: 1\n"
