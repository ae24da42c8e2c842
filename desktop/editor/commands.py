"""Undo commands: one QUndoCommand per user action, holding ObjectRefs and serialized dicts only.

A ``DocCommand`` is a list of operations on the Document, applied in order by ``redo`` and reversed by
``undo``:

* ``("add", index, raw)``               -- insert ``raw`` at ``index``
* ``("remove", ref, index, raw)``       -- remove the object ``ref`` (``raw`` is what undo puts back)
* ``("replace", old_ref, old, new)``    -- replace the object (``new`` may rename it)

The first ``redo`` happens before the command is pushed (``apply``) so that an edit the document refuses
(a ScenarioError) is rolled back and never reaches the stack. Nudges (arrow-key moves of the same
objects) merge into one step.
"""

from __future__ import annotations

import copy

from PySide6.QtGui import QUndoCommand

from core.model import ObjectRef
from core.scenario.kinds import object_ref

NUDGE_ID = 1001


class DocCommand(QUndoCommand):
    def __init__(self, session, text: str, ops: list[tuple], merge_key: object = None):
        super().__init__(text)
        self._session = session
        self.ops = [copy.deepcopy(op) for op in ops]
        self.merge_key = merge_key
        self._applied = False  # set by apply(): the first redo() from push() is then skipped

    # -- applying ------------------------------------------------------------------------------------------
    def _do(self, op: tuple) -> None:
        doc = self._session.document
        if op[0] == "add":
            doc.add(op[2], op[1])
        elif op[0] == "remove":
            doc.remove(op[1])
        else:
            doc.replace(op[1], op[3])

    def _undo_op(self, op: tuple) -> None:
        doc = self._session.document
        if op[0] == "add":
            doc.remove(object_ref(op[2]))
        elif op[0] == "remove":
            doc.add(op[3], op[2])
        else:
            doc.replace(object_ref(op[3]), op[2])

    def apply(self) -> None:
        """Do every operation now; on failure undo the ones done and re-raise (nothing changes)."""
        done = []
        try:
            for op in self.ops:
                self._do(op)
                done.append(op)
        except Exception:
            for op in reversed(done):  # the document is back as it was: nothing to tell the views
                self._undo_op(op)
            raise
        self._applied = True
        self._session.flush()

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        for op in self.ops:
            self._do(op)
        self._session.flush()

    def undo(self) -> None:
        for op in reversed(self.ops):
            self._undo_op(op)
        self._session.flush()

    # -- merging nudges ---------------------------------------------------------------------------------------
    def id(self) -> int:
        return NUDGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, DocCommand) or other.merge_key != self.merge_key or self.merge_key is None:
            return False
        mine = {op[1]: i for i, op in enumerate(self.ops) if op[0] == "replace"}
        for op in other.ops:
            if op[0] != "replace" or op[1] not in mine:
                return False
        for op in other.ops:
            i = mine[op[1]]
            kind, ref, old, _new = self.ops[i]
            self.ops[i] = (kind, ref, old, copy.deepcopy(op[3]))
        return True


def replace_op(ref: ObjectRef, old: dict, new: dict) -> tuple:
    return ("replace", ref, copy.deepcopy(old), copy.deepcopy(new))
