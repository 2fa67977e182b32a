"""Fuzz targets for what the partner's device (or the medium) hands this one to apply.

``apply``: lists of the partner's ops through the real :class:`OpApplier` on a real vault, inside
a transaction rolled back after each input. Only :class:`OpRefused` may come out of ``apply``,
and nothing out of ``prefetch`` or ``flush``.

``envelope``: a real paired couple syncing through a real folder. Alex's device sends ops that a
modified client could write (recorded in its real outbox, sealed with the real channel key), and
authentic envelopes with arbitrary payloads and headers, and the folder gets arbitrary files; then
Sam's device syncs. That sync may fail only with a one-line ``TrustVaultError``, and afterwards an
ordinary entry from Alex must still arrive: nothing the partner sends stops the sync for good.
"""

import contextlib
import json
import os
import shutil
from functools import cache
from typing import Any

from hypothesis import strategies as st

from crypto.envelope import Header, seal_envelope
from tests.fuzz.framework import Finding, Target, one_line_error
from tests.fuzz.op_inputs import json_values, op_lists, substitute
from tests.fuzz.scratch import Factory, scratch
from tests.helpers import PASSPHRASE
from tests.sync.sync_helpers import Couple, Template, copy_couple, make_couple, pair_up
from trustvault.errors import TrustVaultError
from trustvault.storage import outbox_store
from trustvault.storage.transaction import transaction
from trustvault.sync.apply import OpApplier, OpRefused
from trustvault.sync.folder_transport import SUFFIX
from trustvault.sync.ops import chain_step, op_digest
from trustvault.sync.pair_state import PairState, load_identity, load_pair, save_pair
from trustvault.vault import Vault

__all__ = ["APPLY", "ENVELOPE"]

PARTNER = "e" * 32
START = "2026-12-01T19:00"


# -- apply: the applier alone ---------------------------------------------------------------------


@cache
def _applying() -> tuple[Vault, dict[str, str]]:
    """A vault holding one entry of each interesting standing, and the placeholders' values."""
    vault = Vault.create(scratch("apply") / "vault", PASSPHRASE, "Sam", kdf_profile="interactive")
    store = vault.entries
    event = store.add("event", {"title": "ours", "start": START}, "shared")
    private = store.add("milestone", {"title": "ours"}, "private")
    agreement = store.add("agreement", {"title": "ours", "text": "ours"}, "shared")
    theirs = {
        "t": "version", "id": "0190" + "c" * 28, "kind": "milestone", "author": PARTNER,
        "created": "2026-11-01T09:00:00Z", "rev": 1, "editor": PARTNER,
        "updated": "2026-11-01T09:00:00Z", "fields": {"title": "theirs"},
    }  # fmt: skip
    with transaction(vault.conn):
        applier = OpApplier(store, PARTNER)
        applier.apply(theirs)
        applier.flush()
    names = {
        "@OWN_EVENT": event.id,
        "@OWN_PRIVATE": private.id,
        "@OWN_AGREEMENT": agreement.id,
        "@PARTNER_ENTRY": theirs["id"],
        "@PARTNER": PARTNER,
        "@OWN": vault.device_id,
    }
    return vault, names


def check_apply(value: list[dict[str, Any]]) -> None:
    vault, names = _applying()
    # What an envelope can carry: JSON text, read back as the inbox reads it.
    ops = json.loads(json.dumps(substitute(value, names)))
    vault.conn.execute("BEGIN IMMEDIATE")
    try:
        applier = OpApplier(vault.entries, PARTNER)
        applier.prefetch(ops)
        for op in ops:
            with contextlib.suppress(OpRefused):
                applier.apply(op)
        applier.flush()
    finally:
        vault.conn.execute("ROLLBACK")


APPLY = Target("apply", lambda: op_lists, check_apply, brief=30)


# -- envelope: a real sync through a real folder --------------------------------------------------

_NAME_CHARS = "abcdef0123456789-."
_sealed = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["E", "E", "E", "J", "A", "R", "\x00"]),
        "pair": st.sampled_from(["ours", "ours", "other"]),
        "sender": st.sampled_from(["partner", "partner", "self", 7]),
        "seq": st.sampled_from(["next", "next", "first", "last"]) | st.integers(0, 2**64 - 1),
        "payload": st.one_of(
            st.fixed_dictionaries(
                {
                    "ops": st.lists(
                        st.one_of(
                            op_lists.map(lambda ops: json.dumps(ops[0])),
                            st.fixed_dictionaries(
                                {
                                    "t": st.just("redacted"),
                                    "seq": json_values,
                                    "digest": json_values,
                                }
                            ),
                            json_values,
                        ),
                        max_size=3,
                    )
                    | json_values,
                    "chain": st.just("00" * 32) | json_values,
                },
                optional={"gen": st.integers(-1, 2**33) | json_values},
            ).map(lambda doc: json.dumps(doc).encode()),
            json_values.map(lambda v: json.dumps(v).encode()),
            st.binary(max_size=300),
        ),
    }
)
_files = st.fixed_dictionaries(
    {
        "name": st.text(_NAME_CHARS, min_size=1, max_size=20).map(lambda n: n + SUFFIX)
        | st.text(_NAME_CHARS + "_ ~#", min_size=1, max_size=20).filter(lambda n: n not in ".."),
        "data": st.binary(max_size=400),
    }
)
_deliveries = st.lists(
    st.one_of(
        op_lists.map(lambda ops: {"ops": ops}),
        _sealed.map(lambda s: {"sealed": s}),
        _files.map(lambda f: {"file": f}),
    ),
    min_size=1,
    max_size=4,
)


@cache
def _couple_template() -> tuple[Template, dict[str, str]]:
    """A couple paired once, each holding a few shared and private entries; Sam's view of them."""
    factory = Factory()
    root = scratch("couple")
    couple = make_couple(root, factory)  # type: ignore[arg-type]  # a TempPathFactory in tests
    pair_up(couple)
    event = couple.b.entries.add("event", {"title": "ours", "start": START}, "shared")
    private = couple.b.entries.add("milestone", {"title": "ours"}, "private")
    agreement = couple.b.entries.add("agreement", {"title": "ours", "text": "ours"}, "shared")
    theirs = couple.a.entries.add("milestone", {"title": "theirs"}, "shared")
    couple.settle(2)
    names = {
        "@OWN_EVENT": event.id,
        "@OWN_PRIVATE": private.id,
        "@OWN_AGREEMENT": agreement.id,
        "@PARTNER_ENTRY": theirs.id,
        "@PARTNER": couple.a.device_id,
        "@OWN": couple.b.device_id,
    }
    template = Template(root, couple.a.key, couple.b.key)
    couple.close()
    return template, names


def _record_as_modified_client(couple: Couple, bodies: list[dict[str, Any]]) -> None:
    """Put ops in Alex's real outbox as a client that writes whatever it likes would: the op
    text is any JSON object (escaped, so it can hold lone surrogates), seq and chain correct."""
    conn = couple.a.conn
    with transaction(conn):
        state = load_pair(conn)
        assert state is not None
        for body in bodies:
            seq = state.send_seq + 1
            op = {**body, "seq": seq, "salt": os.urandom(16).hex()}
            text = json.dumps(op, sort_keys=True, separators=(",", ":"))
            digest = op_digest(text)
            chain = chain_step(state.send_chain, seq, digest)
            outbox_store.add_op(conn, seq, None, str(body.get("t")), text, digest, chain)
            state.send_seq, state.send_chain = seq, chain
        save_pair(conn, state)


def _seal_as_partner(couple: Couple, sealed: dict[str, Any]) -> bytes:
    """An envelope sealed with Alex's real sending key, whatever its header and payload say."""
    state = load_pair(couple.a.conn)
    assert state is not None and state.pair_id is not None
    keys = state.keys(load_identity(couple.a.conn))
    own_role = 0 if keys.is_client else 1
    sender = {"partner": own_role, "self": 1 - own_role}.get(sealed["sender"], sealed["sender"])
    seq = _seq(state, sealed["seq"])
    pair = state.pair_id if sealed["pair"] == "ours" else bytes(16)
    header = Header(sealed["kind"].encode("latin-1"), pair, sender, seq)
    return seal_envelope(keys.send, header, sealed["payload"])


def _seq(state: PairState, choice: int | str) -> int:
    if isinstance(choice, int):
        return choice
    return {"next": state.send_seq + 1, "first": 1, "last": max(state.send_seq, 1)}[choice]


def check_envelope(value: list[dict[str, Any]]) -> None:
    template, names = _couple_template()
    folder = scratch("sync")
    couple = copy_couple(template, folder / "couple")
    try:
        _deliver(couple, substitute(value, names))
        try:
            couple.sb.sync()
        except TrustVaultError as exc:
            one_line_error(exc)
        good = couple.a.entries.add("milestone", {"title": "still syncing"}, "shared")
        try:
            couple.settle(2)
        except TrustVaultError as exc:
            raise Finding(f"a later sync failed: {type(exc).__name__}") from exc
        arrived = couple.b.entries.get(good.id) if couple.b.entries.exists(good.id) else None
        if arrived is None or arrived.fields.get("title") != "still syncing":
            raise Finding("a later ordinary entry from the partner never arrived")
    finally:
        couple.close()
        shutil.rmtree(folder)


def _deliver(couple: Couple, deliveries: list[dict[str, Any]]) -> None:
    for number, delivery in enumerate(deliveries):
        if "ops" in delivery:
            _record_as_modified_client(couple, delivery["ops"])
            couple.sa.sync()
        elif "sealed" in delivery:
            blob = _seal_as_partner(couple, delivery["sealed"])
            (couple.folder / f"fuzz{number}{SUFFIX}").write_bytes(blob)
        else:
            (couple.folder / delivery["file"]["name"]).write_bytes(delivery["file"]["data"])


ENVELOPE = Target("envelope", lambda: _deliveries, check_envelope, brief=4)
