"""Save from the editor changes only what the user changed: one field edited in the inspector, a move, a delete
undone -- the file keeps every other byte (comments, key order, quoting, flow style), and undo after a save
followed by another save gives the original file back."""

from core.model import ObjectRef

WEB = ObjectRef("Deployment", "default", "web")


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines only in before, lines only in after), for files whose other lines are in the same order."""
    import difflib

    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_one_field_edited_then_saved_changes_only_that_line(editor_window):
    w = editor_window
    path = w.session.path
    before = path.read_text(encoding="utf-8")
    w.editor.set_field(WEB, "spec.replicas", 5)
    w.session.save()
    after = path.read_text(encoding="utf-8")
    lines = before.splitlines()
    index = lines.index("  replicas: 3", lines.index("  name: web"))
    assert after.splitlines() == lines[:index] + ["  replicas: 5"] + lines[index + 1:]
    assert after.startswith("# PodPath built-in demo")


def test_undo_after_save_and_save_again_gives_the_original_bytes(editor_window):
    w = editor_window
    path = w.session.path
    before = path.read_bytes()
    w.editor.set_field(WEB, "spec.template.spec.containers[0].image", "nginx:1.27")
    w.editor.set_field(WEB, "metadata.labels", {"tier": "front"})
    w.session.save()
    assert path.read_bytes() != before
    w.session.undo_stack.undo()
    w.session.undo_stack.undo()
    w.session.save()
    assert path.read_bytes() == before


def test_a_move_adds_only_the_position_lines(editor_window):
    w = editor_window
    path = w.session.path
    before = path.read_text(encoding="utf-8")
    w.editor.move({WEB: (120.4, 80.0)})
    w.session.save()
    removed, added = _changed_lines(before, path.read_text(encoding="utf-8"))
    assert removed == []
    assert added == ["  annotations:", "    podpath.dev/position: 120,80"]
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("  annotations:", lines.index("  name: web"))
    assert lines[at - 1] == "  name: web" and lines[at + 2] == "spec:"
    # a second move rewrites the value in place
    w.editor.move({WEB: (200, 90)})
    w.session.save()
    removed, added = _changed_lines(before, path.read_text(encoding="utf-8"))
    assert removed == [] and added == ["  annotations:", "    podpath.dev/position: 200,90"]


def test_delete_undone_puts_the_objects_own_text_back(editor_window, tmp_path):
    w = editor_window
    path = tmp_path / "commented.yaml"
    text = ("# lesson cluster\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1   # first\n"
            "  labels: {topology.kubernetes.io/zone: \"a\"}\n---\n# the second node\napiVersion: v1\nkind: Node\n"
            "metadata: {name: n2}  # flow\n")
    path.write_text(text, encoding="utf-8")
    assert w.open_path(path, ask=False)
    w.editor.delete([ObjectRef("Node", "", "n1")])
    w.session.save()
    assert path.read_text(encoding="utf-8") == "---\n# the second node\napiVersion: v1\nkind: Node\n" \
                                               "metadata: {name: n2}  # flow\n"
    w.session.undo_stack.undo()
    w.session.save()
    assert path.read_text(encoding="utf-8") == text


def test_rename_in_a_flow_mapping_keeps_the_flow_style(editor_window, tmp_path):
    w = editor_window
    path = tmp_path / "flow.yaml"
    text = "# nodes\napiVersion: v1\nkind: Node\nmetadata: {name: n2, labels: {a: b}}  # flow\n"
    path.write_text(text, encoding="utf-8")
    assert w.open_path(path, ask=False)
    w.editor.rename(ObjectRef("Node", "", "n2"), "n3")
    w.session.save()
    assert path.read_text(encoding="utf-8") == text.replace("name: n2", "name: n3")
