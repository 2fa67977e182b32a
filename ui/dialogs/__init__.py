"""Dialogs: entry creation and editing, history, sharing."""
