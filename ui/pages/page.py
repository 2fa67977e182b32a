"""What every page of the main window shares: its title, and how it follows the vault.

A page clears itself when the vault locks and reloads when it opens or changes. Most pages read
the whole vault (statistics, every agreement, every check-in), so a hidden page does not reload at
once: it notes that it is out of date and catches up the next time it is shown. Otherwise every
write and every sync would queue seconds of reads on the one vault thread of a 100,000-entry vault,
ahead of the person's next save. Pages that stay cheap and must be current while hidden (the
timeline answers searches; the partner page follows pairing) set ``reload_when_hidden``.
"""

from typing import ClassVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from ui.bridge import VaultBridge

__all__ = ["Page"]


class Page(QWidget):
    """Base of the sidebar's pages: subclasses set ``title`` and fill in the three hooks.

    ``refresh()`` reloads from the vault, ``clear()`` drops everything decrypted (the vault
    locked), ``new_entry()`` answers Ctrl+N. ``on_unlocked()`` runs instead of ``refresh()``
    when the vault has just opened; override it to reset more than the data (the calendar goes
    back to today).
    """

    title: ClassVar[str] = ""
    reload_when_hidden: ClassVar[bool] = False
    next_after_setup: ClassVar[bool] = False  # the page a new vault opens on (pairing)

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        # A page made while the vault is open catches up when first shown: its widgets do not
        # exist yet while this runs.
        self._stale = self._stale_since_unlock = bridge.is_unlocked
        bridge.unlocked.connect(self._vault_opened)
        bridge.changed.connect(self._vault_changed)
        bridge.locked.connect(self._vault_locked)

    # -- for subclasses --------------------------------------------------------------------

    # Each page overrides these (a QWidget cannot also take ABCMeta); calling the base class's
    # is a programming error, hence the raise.

    def refresh(self) -> None:
        """Reload what the page shows from the vault (it is open)."""
        raise NotImplementedError(type(self).__name__)

    def clear(self) -> None:
        """Forget everything read from the vault: it has been locked."""
        raise NotImplementedError(type(self).__name__)

    def new_entry(self) -> None:
        """Open the dialog for the kind of entry this page is about."""
        raise NotImplementedError(type(self).__name__)

    def on_unlocked(self) -> None:
        """The vault has just been opened: show it (by default, a refresh)."""
        self.refresh()

    # -- wiring ----------------------------------------------------------------------------

    def _vault_opened(self) -> None:
        self._reload(unlocked=True)

    def _vault_changed(self) -> None:
        self._reload(unlocked=False)

    def _reload(self, *, unlocked: bool) -> None:
        if self.reload_when_hidden or self.isVisible():
            self._run(unlocked)
            return
        self._stale = True
        self._stale_since_unlock |= unlocked

    def _run(self, unlocked: bool) -> None:
        if unlocked:
            self.on_unlocked()
        else:
            self.refresh()

    def _vault_locked(self) -> None:
        self._stale = self._stale_since_unlock = False
        self.clear()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            unlocked = self._stale_since_unlock
            self._stale = self._stale_since_unlock = False
            self._run(unlocked)
