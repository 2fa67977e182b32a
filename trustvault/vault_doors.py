"""The vault's own doors, apart from entries and the partner: who this person is called, the
passphrase and key, the keychain, and what goes in and out as files (a part of
:class:`trustvault.actions.Actions`, which the faces use; split out to keep each module small).
"""

from pathlib import Path

from trustvault import keychain, remembered
from trustvault.atomic import atomic_write
from trustvault.errors import InvalidField, WrongPassphrase
from trustvault.names import display_name
from trustvault.queries import Queries
from trustvault.results import (
    CalendarExport,
    DataExport,
    ImportResult,
    RekeyResult,
    Renamed,
    Visibility,
)
from trustvault.storage.transaction import transaction
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["VaultDoors"]


class VaultDoors:
    """The vault's part of the one door; :class:`~trustvault.actions.Actions` sets these."""

    _vault: Vault
    _sync: SyncService
    queries: Queries

    def rename(self, name: str) -> Renamed:
        """Change the display name this person goes by, here and, when paired, on the partner's
        device (a ``profile`` op in the same transaction). The same rule as at creation
        (:func:`trustvault.names.display_name`); :class:`Renamed` says whether it is sent."""
        name = display_name(name)
        with transaction(self._vault.conn):
            self._vault.set_meta("name", name)
            sent = self._sync.tell_name(name)
        return Renamed(name, sent)

    def change_passphrase(self, current: str, new: str, *, kdf_profile: str = "moderate") -> None:
        """Re-wrap the vault key under ``new`` once ``current`` is proven (an open vault alone
        is not proof: it may have been opened with a remembered key, or left unlocked).

        The key itself stays, so an old copy of the key file (a backup, a synced copy) still
        opens the vault with the old passphrase: :meth:`rekey` is what stops that."""
        self._prove(current)
        self._vault.change_passphrase(new, kdf_profile=kdf_profile)

    def rekey(self, current: str, new: str, *, kdf_profile: str = "moderate") -> RekeyResult:
        """Re-encrypt the whole vault under a new random key wrapped by ``new``, once ``current``
        is proven: for "my passphrase may be known to someone". Old copies of the key file no
        longer open the vault; the pairing (its keys are inside the database) carries on.

        The key this device remembered is useless afterwards, so it is forgotten; the result
        says so, and the faces offer :meth:`remember_key` for the new one. Every other program
        that has the vault open must be closed first (:class:`~trustvault.errors.VaultBusy`).
        """
        self._prove(current)
        was_remembered = self.remembers_key()
        self._vault.rekey(new, kdf_profile=kdf_profile)
        keychain.forget_key(self._vault.vault_id)
        if was_remembered:
            remembered.set_remembered_vault_id(self._vault.folder, None)
        return RekeyResult(forgot_remembered_key=was_remembered)

    def _prove(self, passphrase: str) -> None:
        if not self._vault.has_key(Vault.unwrap_key(self._vault.folder, passphrase)):
            raise WrongPassphrase()

    def remember_key(self) -> bool:
        """Keep the key in the OS keychain; False (nothing stored anywhere) without one."""
        if not keychain.remember_key(self._vault.vault_id, self._vault.key):
            return False
        remembered.set_remembered_vault_id(self._vault.folder, self._vault.vault_id)
        return True

    @staticmethod
    def forget_key(folder: Path) -> bool:
        """Drop the key this device remembers for ``folder``; False when it remembered none."""
        vault_id = remembered.remembered_vault_id(folder)
        if vault_id is None:
            return False
        keychain.forget_key(vault_id)
        remembered.set_remembered_vault_id(folder, None)
        return True

    def remembers_key(self) -> bool:
        return remembered.remembered_vault_id(self._vault.folder) == self._vault.vault_id

    def import_calendar(
        self, data: bytes, *, share: bool, source: str = "the calendar file"
    ) -> ImportResult:
        """Add an .ics file's events, shared with the partner or private as the person chose
        (the faces ask first: :meth:`Queries.preview_calendar` says how many). Everything is
        checked before anything is written; events are then stored a batch per transaction
        (each with its sync ops), so another program writing the vault waits only briefly."""
        from trustvault import ics  # icalendar loads only when a file is imported or exported

        prepared = ics.prepare(self._vault, data, source)
        visibility = Visibility.SHARED if share else Visibility.PRIVATE
        added = ics.store(self._vault, prepared, visibility)
        return ImportResult(added, prepared.known, share, prepared.notes)

    def export_data(self, to: Path, *, fmt: str = "json") -> DataExport:
        """What this person wrote and, marked apart, their copies of what the partner shared,
        to ``to`` as JSON or a printable HTML page (owner-only, atomically; never into the sync
        folder). Not encrypted: the faces say so (:data:`trustvault.data_export.UNENCRYPTED`)."""
        from trustvault import data_export

        return data_export.write_export(self.queries, to, fmt)

    def export_calendar(self, *, neutral_titles: bool, to: Path | None = None) -> CalendarExport:
        """Every event as .ics bytes, written to ``to`` if given (atomically, owner-only).

        Neutral titles leak nothing but the times. The file is not encrypted: that is the point
        of an export, and the faces say so.
        """
        from trustvault import ics

        events = [e for e in self._vault.entries.all("event") if e.fields]  # not tombstones
        data = ics.export_ics(events, neutral_titles=neutral_titles)
        if to is not None:
            try:
                atomic_write(to, data, mode=0o600)
            except OSError as exc:
                raise InvalidField("file", f"cannot write {to}: {exc.strerror}") from None
        return CalendarExport(data, len(events))
