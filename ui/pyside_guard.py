"""Guard against a PySide6 reference-count bug; imported by ``ui/__init__.py`` and the UI tests.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference, so every
emit from Python drops one from ``True``'s count. On CPython < 3.12 (where ``True`` is not
immortal) the interpreter aborts with "bool_dealloc" once the count reaches zero, after a few
thousand emits: a long session, or the test suite, dies. One probe emit detects the bug; if it is
present, ``True`` gets a reference count no session can use up. Harmless once PySide is fixed.
"""

import sys

__all__ = ["guard_true_refcount"]


def guard_true_refcount() -> bool:
    """Apply the guard if this PySide6 has the bug; returns True when it was needed."""
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    probe.ping.emit()
    if sys.getrefcount(True) >= before:
        return False
    import ctypes

    ctypes.c_ssize_t.from_address(id(True)).value += 1 << 40
    return True


guard_true_refcount()
