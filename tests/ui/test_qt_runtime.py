"""The Qt runtime the app is pinned to must not corrupt the interpreter.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference; on
CPython < 3.12 every emit drops one from ``True`` and a long session aborts with "bool_dealloc".
The lock file pins a release without the bug; this test fails if an upgrade brings it back.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()
    value = Signal(int)


def test_emitting_signals_keeps_reference_counts_of_singletons() -> None:
    probe = _Probe()
    before = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    for i in range(1000):
        probe.ping.emit()
        probe.value.emit(i)
    after = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    assert [a - b for a, b in zip(after, before, strict=True)] == [0, 0, 0]
