"""Reusable widgets: the basics every screen is built from (``basics``), form fields, the check-in
form, charts, the month grid. Nothing here imports a screen (tests/test_architecture.py)."""
