"""A receipt's payload, word for word: what the partner applied, and in v2 this device's public.

v1: exactly ``{"through": N}``. v2: exactly ``{"through": N, "dh": "<64 lowercase hex>"}``, one
space after each colon and comma, where ``dh`` is the sender's current ratchet public
(:mod:`.ratchet_state`): a partner that only reads still steps the ratchet through its receipts.
``N`` is the head's sequence number; any other bytes are refused.
"""

import re

__all__ = ["payload", "read"]

_HEX = re.compile(rb"[0-9a-f]{64}")


def payload(through: int, public: bytes | None) -> bytes:
    """The receipt for ``through``; v2 when a ratchet ``public`` is given."""
    if public is None:
        return f'{{"through": {through}}}'.encode()
    return f'{{"through": {through}, "dh": "{public.hex()}"}}'.encode()


def read(seq: int, raw: bytes | None, fmt: int) -> tuple[int, bytes | None] | None:
    """(through, public or None for v1) if ``raw`` is word for word a receipt for ``seq`` in
    format ``fmt``; None otherwise."""
    if raw is None:
        return None
    if fmt < 2:
        return (seq, None) if raw == payload(seq, None) else None
    start = f'{{"through": {seq}, "dh": "'.encode()
    if not (raw.startswith(start) and raw.endswith(b'"}') and len(raw) == len(start) + 66):
        return None
    hex_part = raw[len(start) : -2]
    return (seq, bytes.fromhex(hex_part.decode())) if _HEX.fullmatch(hex_part) else None
