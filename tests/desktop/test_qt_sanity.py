"""The installed PySide6/CPython pair must not leak references to None or to the bools.

PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to ``None`` on every Qt call that returns
nothing (and to True/False on ``Signal.emit``); a plain loop of ``QGraphicsItem.setPos`` then aborts the
process with "Fatal Python error: none_dealloc". pyproject.toml pins the pair by environment markers; this
test fails on a leaking pair before the interpreter can die of it (3.12+ makes None immortal, where the
counts are constant anyway).
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGraphicsRectItem

CALLS = 10_000


class _Emitter(QObject):
    fired = Signal(bool)


def test_void_calls_keep_none_refcount(qapp):
    item = QGraphicsRectItem(0, 0, 10, 10)
    # Fewer calls than it takes to run None's count down to zero on a leaking build (about 4,000 here).
    before = sys.getrefcount(None)
    for i in range(1000):
        item.setPos(i, i)
    after = sys.getrefcount(None)
    assert abs(after - before) < 50, f"None refcount went {before} -> {after} over 1,000 void Qt calls"


def test_ten_thousand_void_calls_survive(qapp):
    item = QGraphicsRectItem(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for i in range(CALLS):
        item.setPos(i % 97, i % 89)
        item.setZValue(i % 7)
    assert abs(sys.getrefcount(None) - before) < 50


def test_signal_emit_keeps_bool_refcounts(qapp):
    emitter = _Emitter()
    seen = [0]

    def count(value: bool) -> None:
        seen[0] += 1

    emitter.fired.connect(count)
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for i in range(1000):
        emitter.fired.emit(bool(i % 2))
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert seen[0] == 1000
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50, (before, after)
