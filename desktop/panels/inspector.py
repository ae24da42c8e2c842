"""The inspector: the selected object's common fields as a form (from the kinds registry) and the whole
object as YAML. Edits go through the Editor (one undo step each); a value the document refuses stays in its
field, marked, with the validation message under it — never lost silently."""

from __future__ import annotations

import yaml
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.model import ObjectRef
from core.scenario.document import split_path
from core.scenario.errors import ScenarioError
from core.scenario.kinds import ref_label
from core.scenario.yaml_io import dump_documents
from desktop.editor.editor import EditRefused, get_path
from desktop.editor.kinds import Field, fields_for

ERROR_STYLE = "color: #D55E00;"


def _same_path(a: str, b: str) -> bool:
    try:
        return split_path(a) == split_path(b)
    except ValueError:
        return a == b


def format_value(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind == "labels":
        return ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    return str(value)


def parse_value(kind: str, text: str) -> object:
    """The typed value of a field's text; text that is not of the type is passed on as text, so validation
    names the problem (``spec.replicas: Invalid value: "three": must be an integer``)."""
    text = text.strip()
    if text == "":
        return None
    if kind in ("int", "intstr"):
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "labels":
        out = {}
        for part in text.split(","):
            if not part.strip():
                continue
            k, sep, v = part.partition("=")
            out[k.strip()] = v.strip() if sep else ""
        return out
    return text


class _DocumentUndoInFields(QObject):
    """Ctrl+Z in a field with nothing of its own to undo undoes the document: a QLineEdit claims Undo/Redo
    whatever its history, so after typing a value and Enter, Ctrl+Z did nothing (seen under Xvfb)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(obj, QLineEdit):
            if (event.matches(QKeySequence.StandardKey.Undo) and not obj.isUndoAvailable()) or \
                    (event.matches(QKeySequence.StandardKey.Redo) and not obj.isRedoAvailable()):
                return True  # not accepted: the window's Edit → Undo / Redo shortcut runs
        return False


class Inspector(QWidget):
    def __init__(self, session, editor, parent: QWidget | None = None):
        super().__init__(parent)
        self._undo_filter = _DocumentUndoInFields(self)
        self.setObjectName("inspector")
        self.session = session
        self.editor = editor
        self.ref: ObjectRef | None = None
        self.info: str = ""  # read-only text for a selection that is not a document object
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.header = QLabel(self.tr("Nothing selected"))
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.form_host = QScrollArea()
        self.form_host.setWidgetResizable(True)
        self.tabs.addTab(self.form_host, self.tr("Fields"))
        yaml_page = QWidget()
        yl = QVBoxLayout(yaml_page)
        yl.setContentsMargins(0, 0, 0, 0)
        self.yaml_edit = QPlainTextEdit()
        self.yaml_edit.setObjectName("inspector-yaml")
        self.yaml_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.yaml_message = QLabel()
        self.yaml_message.setWordWrap(True)
        self.yaml_message.setStyleSheet(ERROR_STYLE)
        self.apply_button = QPushButton(self.tr("Apply YAML"))
        self.apply_button.setToolTip(self.tr("Replace the object with this YAML (one undo step)"))
        self.apply_button.clicked.connect(self.apply_yaml)
        yl.addWidget(self.yaml_edit)
        yl.addWidget(self.yaml_message)
        yl.addWidget(self.apply_button)
        self.tabs.addTab(yaml_page, self.tr("YAML"))
        session.document_changed.connect(self.refresh)
        session.document_replaced.connect(lambda: self.show_refs([]))
        self.show_refs([])

    # -- what is shown --------------------------------------------------------------------------------------
    def show_refs(self, refs: list, info: str = "") -> None:
        doc_refs = [r for r in refs if isinstance(r, ObjectRef) and r in self.session.document]
        self.ref = doc_refs[0] if len(doc_refs) == 1 and len(refs) == 1 else None
        self.info = info
        self.refresh()

    def refresh(self) -> None:
        if self.ref is not None and self.ref not in self.session.document:
            self.ref = None
        self._build_form()
        if self.ref is None:
            self.yaml_edit.setPlainText("")
            self.yaml_edit.setReadOnly(True)
            self.apply_button.setEnabled(False)
        else:
            self.yaml_edit.setReadOnly(False)
            self.apply_button.setEnabled(True)
            self.yaml_edit.setPlainText(dump_documents([self.session.document.get(self.ref)]))
        self.yaml_message.setText("")

    def _build_form(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors, self.messages = {}, {}
        if self.ref is None:
            self.header.setText(self.info or self.tr("Nothing selected"))
            self.form_host.setWidget(page)
            return
        raw = self.session.document.get(self.ref)
        self.header.setText(f"<b>{self.ref.kind}</b> {self.ref.namespace + '/' if self.ref.namespace else ''}"
                            f"{self.ref.name}")
        diags = [d for d in self.session.diagnostics if d.object == ref_label(self.ref)]
        for f in fields_for(self.ref.kind):
            w = self._field_editor(f, get_path(raw, f.path))
            msg = QLabel()
            msg.setWordWrap(True)
            msg.setStyleSheet(ERROR_STYLE)
            mine = [d for d in diags if d.path and _same_path(d.path, f.path)]
            msg.setText("\n".join(f"{d.severity}: {d.message}" for d in mine))
            msg.setVisible(bool(mine))
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(1)
            bl.addWidget(w)
            bl.addWidget(msg)
            form.addRow(QCoreApplication.translate("Kinds", f.label), box)
            self.editors[f.path] = w
            self.messages[f.path] = msg
        others = [d for d in diags if not any(d.path and _same_path(d.path, f.path) for f in fields_for(self.ref.kind))]
        if others:
            rest = QLabel("\n".join(f"{d.severity}: {d.path + ': ' if d.path else ''}{d.message}" for d in others))
            rest.setWordWrap(True)
            rest.setStyleSheet(ERROR_STYLE)
            form.addRow(rest)
        self.form_host.setWidget(page)

    def _field_editor(self, f: Field, value: object) -> QWidget:
        if f.type == "bool":
            w = QCheckBox()
            w.setChecked(bool(value))
            w.toggled.connect(lambda on, f=f: self.commit(f, on if on else None))
        elif f.type == "choice":
            w = QComboBox()
            for c in f.choices:
                w.addItem(c if c else self.tr("(default)"), c)
            idx = w.findData(f.default if value is None and f.default else "" if value is None else str(value))
            if idx < 0:
                w.addItem(str(value), str(value))
                idx = w.count() - 1
            w.setCurrentIndex(idx)
            w.activated.connect(lambda _i, w=w, f=f: self.commit(f, w.currentData() or None))
        else:
            w = QLineEdit(format_value(f.type, value))
            w.installEventFilter(self._undo_filter)
            if value is None:
                allocated = self._allocated(f.path)
                if allocated:
                    w.setPlaceholderText(self.tr("allocated: %1").replace("%1", allocated))
            w.editingFinished.connect(lambda w=w, f=f: self._commit_text(f, w))
        w.setObjectName(f"field:{f.path}")
        w.setAccessibleName(QCoreApplication.translate("Kinds", f.label))
        return w

    def _allocated(self, path: str) -> str:
        """What the cluster gave a field left empty in the file (a Service's ClusterIP and nodePort, a Node's
        podCIDR: the canvas shows them, the form says where they came from)."""
        model = self.session.model
        ref = self.ref
        if model is not None and ref is not None and ref.kind == "Node" and path == "spec.podCIDR":
            from core.control.controlplane import assign_node_addresses  # noqa: PLC0415

            names = [n.name for n in model.nodes]
            if ref.name in names:
                return assign_node_addresses(model)[names.index(ref.name)][1]
            return ""
        if model is None or ref is None or ref.kind != "Service":
            return ""
        svc = next((s for s in model.services if s.namespace == (ref.namespace or "default") and s.name == ref.name),
                   None)
        if svc is None:
            return ""
        if path == "spec.clusterIP" and svc.cluster_ip:
            return str(svc.cluster_ip)
        if path == "spec.ports[0].nodePort" and svc.ports and svc.ports[0].node_port:
            return str(svc.ports[0].node_port)
        return ""

    def _commit_text(self, f: Field, w: QLineEdit) -> None:
        if not w.isModified():
            return
        w.setModified(False)
        self.commit(f, parse_value(f.type, w.text()))

    def commit(self, f: Field, value: object) -> bool:
        """Set a field through the Editor; a refused value stays in its editor with the reason under it."""
        ref = self.ref
        if ref is None:
            return False
        try:
            if f.path == "metadata.name":
                self.ref = self.editor.rename(ref, str(value or ""))
            else:
                self.editor.set_field(ref, f.path, value)
        except (ScenarioError, EditRefused, ValueError, KeyError) as exc:
            msgs = exc.diagnostics if isinstance(exc, ScenarioError) else []
            text = "\n".join(f"{d.path + ': ' if d.path and not _same_path(d.path, f.path) else ''}{d.message}"
                             for d in msgs) or str(exc)
            label = self.messages.get(f.path)
            if label is not None:
                label.setText(self.tr("Refused: %1").replace("%1", text))
                label.setVisible(True)
            w = self.editors.get(f.path)
            if w is not None:
                w.setStyleSheet("border: 2px solid #D55E00;")
            return False
        return True

    def focus_field(self, path: str) -> QWidget | None:
        """Show the field with this path (from the Problems dock) and give it the keyboard focus."""
        for p, w in self.editors.items():
            if path and _same_path(p, path):
                self.tabs.setCurrentIndex(0)
                w.setFocus()
                self.form_host.ensureWidgetVisible(w)
                return w
        if path:
            self.tabs.setCurrentIndex(1)  # not a form field: the YAML tab has every field
            self._find_in_yaml(path)
        return None

    def _find_in_yaml(self, path: str) -> None:
        try:
            keys = [k for k in split_path(path) if isinstance(k, str)]
        except ValueError:
            return
        if keys:
            self.yaml_edit.moveCursor(self.yaml_edit.textCursor().MoveOperation.Start)
            self.yaml_edit.find(f"{keys[-1]}:")

    def apply_yaml(self) -> bool:
        if self.ref is None:
            return False
        try:
            new = yaml.safe_load(self.yaml_edit.toPlainText())
            if not isinstance(new, dict):
                raise ValueError(self.tr("The YAML must be one mapping (a Kubernetes object)"))
            old_ref = self.ref
            from core.scenario.kinds import object_ref  # noqa: PLC0415

            self.ref = object_ref(new)
            self.editor.replace(old_ref, new)
        except (ScenarioError, ValueError, yaml.YAMLError) as exc:
            self.ref = old_ref if "old_ref" in locals() else self.ref
            self.yaml_message.setText(self.tr("Refused: %1").replace("%1", str(exc)))
            return False
        return True
