"""The Qt client. Importing it first applies the PySide6 guard in :mod:`ui.pyside_guard`."""

from ui import pyside_guard as _pyside_guard  # noqa: F401  (imported for its side effect)
