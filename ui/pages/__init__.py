"""The main window's pages, one module each; every page subclasses :class:`ui.pages.page.Page`."""
