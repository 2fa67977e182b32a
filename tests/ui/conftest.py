"""UI tests: apply the PySide6 reference-count guard before any test emits a signal.

``ui/__init__.py`` does this for the app, but under pytest ``ui`` can resolve as a namespace
package (``tests/ui`` has no ``__init__.py``), so that file may never run here.
"""

import ui.pyside_guard  # noqa: F401  (imported for its side effect)
