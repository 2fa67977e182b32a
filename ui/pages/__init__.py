"""The main window's pages, one module each (see notes/UI_CONTRACT.md)."""
