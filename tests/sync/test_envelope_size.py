"""Envelopes are bounded by the bytes they seal, not by the characters of their text.

An emoji is one character and four bytes of UTF-8 (twelve once JSON escapes it as two
surrogates); a relay refuses envelopes by bytes (1 MiB by default, :class:`Limits`). Ops are
packed until the encoded payload reaches ``outbox.MAX_BYTES``, so an envelope of several ops pads
to 64 KiB at most; one op larger than that travels alone, and the longest text an entry may hold
still seals under the relay's default limit, whatever its characters.
"""

from pathlib import Path

import pytest

from crypto import envelope_v2
from crypto.envelope import HEADER_BYTES
from tests.sync.sync_helpers import paired_couple
from trustvault.entries.parsing import MAX_TEXT
from trustvault.relay.limits import Limits
from trustvault.storage import outbox_store

# v1: clear header, nonce and tag; v2: prefix, tag, sealed head, two nonces, body tag
SEALED_OVERHEAD = max(HEADER_BYTES + 24 + 16, envelope_v2.SEALED_OVERHEAD)
SEVERAL_OPS_MAX = 64 * 1024 + SEALED_OVERHEAD  # the padded payload, sealed


def test_an_envelope_of_several_ops_stays_within_64_kib_of_emoji(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = paired_couple(tmp_path / "couple", tmp_path_factory)
    try:
        for i in range(60):  # each about 1,300 characters: 4 KB in UTF-8
            body = {
                "title": f"Entry {i}",
                "body": "\N{GRINNING FACE}" * 1000,
                "occurred_on": "2026-10-01",
            }
            couple.a.entries.add("disclosure", body)
        couple.sa.sync()
        sealed = [
            (last - first + 1, len(blob))
            for _, blob, first, last in outbox_store.envelopes(couple.a.conn)
        ]
        assert max(ops for ops, _ in sealed) > 1, "nothing was packed together"
        assert max(size for _, size in sealed) <= SEVERAL_OPS_MAX
        couple.sb.sync()
        assert len(couple.b.entries.all("disclosure")) == 60
    finally:
        couple.close()


@pytest.mark.parametrize(
    "char",
    ["\N{GRINNING FACE}", '"', "\x01"],
    ids=["emoji", "quote", "control"],
)
def test_the_longest_text_seals_under_the_relays_default_limit(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, char: str
) -> None:
    """The characters that take the most bytes in the payload: an emoji (4 bytes), and a quote
    or a control character, which the op's JSON escapes and the payload's escapes again."""
    couple = paired_couple(tmp_path / "couple", tmp_path_factory)
    try:
        fields = {"title": "Long", "body": char * MAX_TEXT, "occurred_on": "2026-10-01"}
        entry = couple.a.entries.add("disclosure", fields)
        couple.sa.sync()
        (size,) = [len(blob) for _, blob, _, _ in outbox_store.envelopes(couple.a.conn)]
        assert size <= Limits().max_envelope_bytes
        couple.sb.sync()
        assert couple.b.entries.get(entry.id).fields["body"] == char * MAX_TEXT
    finally:
        couple.close()
