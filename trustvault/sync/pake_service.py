"""Inviting and joining with the short spoken code: the medium's side of :mod:`.pake_pairing`.

The inviter picks a free channel (on a relay, one whose hashed mailbox nobody holds), makes two
words, commits its side, then puts its SPAKE2 message. The joiner needs the same medium: the same
folder, or the relay's address (the code is too short to carry one). Network and folder I/O
happen outside the vault's transactions; blobs go out only after the commit they follow.
"""

from datetime import datetime, timedelta
from typing import Any

from crypto.pake import Side
from trustvault.errors import PairingError
from trustvault.storage.transaction import transaction
from trustvault.sync import pairing
from trustvault.sync.pair_state import PairState, load_identity, load_pair
from trustvault.sync.pake_pairing import (
    SHORT_TTL,
    Step,
    begin,
    blob_name,
    relay_join_token,
    relay_mailbox,
    step,
)
from trustvault.sync.short_code import ShortCode, new_code, parse_code, random_channel
from trustvault.sync.transport import Transport
from trustvault.sync.transports import check_apart, open_transport
from trustvault.vault import Vault

__all__ = ["invite_by_words", "join_by_words", "run_step"]

_FOLDER_CHANNELS = 99  # the folder is the couple's own: one digit or two is enough
_RELAY_TRIES = ((99, 4), (999, 4), (9999, 8))  # a relay is shared: widen on collisions


def invite_by_words(
    vault: Vault, spec: dict[str, Any], transport: Transport | None, ttl: timedelta = SHORT_TTL
) -> str:
    """Make a short code for ``spec`` (a folder, or a relay's ``url``); return its text."""
    pairing.check_can_invite(vault.conn)
    check_apart(spec, vault.folder)
    if spec.get("type") == "relay":
        code, spec = _claim_relay_channel(spec)
    else:
        code = new_code(random_channel(_FOLDER_CHANNELS))
    with transaction(vault.conn):
        load_identity(vault.conn)
        name, blob = begin(vault.conn, "inviter", code, spec, vault.clock(), ttl)
    # A burned exchange on the same channel leaves its confirmation behind for its peer: clear
    # the channel first, or the new joiner could read that old one and see a "wrong" code.
    stale = [blob_name(code.channel, k, s) for k in ("msg", "confirm", "keys") for s in Side]
    _put(transport, spec, name, blob, stale)
    return code.text


def join_by_words(
    vault: Vault, text: str, spec: dict[str, Any] | None, transport: Transport | None
) -> None:
    """Start the joiner's side: put its message and, if the inviter's is there, its confirmation."""
    code = parse_code(text)
    pairing.check_can_join(vault.conn)
    if spec is None:
        raise PairingError(
            "Choose the medium your partner invited through: the same sync folder (--folder) or"
            " the relay's address (--relay)."
        )
    if spec.get("type") == "relay":
        from trustvault.sync.relay_transport import join_mailbox

        url, mailbox = spec["url"], relay_mailbox(code.channel)
        try:
            creds = join_mailbox(url, mailbox, relay_join_token(code.channel))
        except PairingError:
            raise PairingError(
                f"The relay has no open invitation on channel {code.channel} (the number was"
                " wrong, the code expired, or another device used it): the code was wrong, or"
                " someone tried to guess it: make a new one."
            ) from None
        spec = {"type": "relay", "credentials": creds.to_json()}
    check_apart(spec, vault.folder)
    with transaction(vault.conn):
        load_identity(vault.conn)
        name, blob = begin(vault.conn, "joiner", code, spec, vault.clock())
    medium = transport or open_transport(spec)
    try:
        medium.put(name, blob)
        # The inviter's message is usually there already: answer it now with this side's
        # confirmation, which saves the inviter a round. Nothing of this side's keys moves yet.
        state = load_pair(vault.conn)
        assert state is not None
        done = run_step(vault, state, medium, vault.clock(), lambda: None)
        if done.refusal:
            raise PairingError(done.refusal)
    finally:
        if transport is None:
            medium.close()


def run_step(
    vault: Vault,
    state: PairState,
    transport: Transport,
    now: datetime,
    send_existing: Any,
) -> Step:
    """One step of the exchange in its own transaction, then its puts and deletes."""
    from trustvault.sync.pair_state import refresh

    with transaction(vault.conn):
        refresh(vault.conn, state)
        done = step(
            vault.conn,
            state,
            load_identity(vault.conn),
            vault.name,
            vault.device_id,
            transport.get,
            now,
            send_existing,
        )
    for name, blob in done.puts:
        transport.put(name, blob)
    for name in done.deletes:
        transport.delete(name)
    return done


def _claim_relay_channel(spec: dict[str, Any]) -> tuple[ShortCode, dict[str, Any]]:
    from trustvault.sync.relay_transport import MailboxTaken, create_mailbox

    for limit, tries in _RELAY_TRIES:
        for _ in range(tries):
            code = new_code(random_channel(limit))
            try:
                creds = create_mailbox(
                    spec["url"],
                    relay_join_token(code.channel),
                    spec.get("creation_token"),
                    mailbox_id=relay_mailbox(code.channel),
                )
            except MailboxTaken:
                continue
            return code, {"type": "relay", "credentials": creds.to_json()}
    raise PairingError("The relay has no free pairing channel now; try again in a while.")


def _put(
    transport: Transport | None, spec: dict[str, Any], name: str, blob: bytes, clear: list[str]
) -> None:
    medium = transport or open_transport(spec)
    try:
        for old in clear:
            medium.delete(old)
        medium.put(name, blob)
    finally:
        if transport is None:
            medium.close()
