"""The Qt client (PySide6 Widgets). The only package that imports Qt."""
