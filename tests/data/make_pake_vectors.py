"""Regenerate ``pake_vectors.json`` (run once; the file is committed and must not change).

    PYTHONPATH=. .venv/bin/python tests/data/make_pake_vectors.py > tests/data/pake_vectors.json

Drives the ``spake2`` package directly with the framing ``crypto/pake.py`` documents (password
``tv:pake:code:v1:`` + code, fixed side identities, a version byte before each message), with
each side's randomness drawn from a seeded SHA-256 stream, so the transcript is reproducible.
The confirmations and sealing keys are the labelled BLAKE2b subkeys of the shared key. Anything
that changes these values changes what two devices must agree on to pair.
"""

import hashlib
import itertools
import json
import sys
from collections.abc import Callable, Iterator

import spake2
from spake2 import SPAKE2_A, SPAKE2_B

from crypto.hashing import derive_subkey

IDS = {"idA": b"trustvault:pake:inviter:v1", "idB": b"trustvault:pake:joiner:v1"}
CASES = [
    ("4-purple-sausage", "4-purple-sausage", b"inviter seed 1", b"joiner seed 1"),
    ("17-tiger-vagabond", "17-tiger-vagabond", b"inviter seed 2", b"joiner seed 2"),
    ("4-purple-sausage", "4-purple-saturday", b"inviter seed 3", b"joiner seed 3"),  # wrong code
]


def stream(seed: bytes) -> Callable[[int], bytes]:
    blocks: Iterator[int] = (
        byte
        for n in itertools.count()
        for byte in hashlib.sha256(b"tv-pake-vector:%d:" % n + seed).digest()
    )
    return lambda size: bytes(next(blocks) for _ in range(size))


def main() -> None:
    out = []
    for code_a, code_b, seed_a, seed_b in CASES:
        a = SPAKE2_A(b"tv:pake:code:v1:" + code_a.encode(), entropy_f=stream(seed_a), **IDS)
        b = SPAKE2_B(b"tv:pake:code:v1:" + code_b.encode(), entropy_f=stream(seed_b), **IDS)
        msg_a, msg_b = b"\x01" + a.start(), b"\x01" + b.start()
        key_a, key_b = a.finish(msg_b[1:]), b.finish(msg_a[1:])
        case = {
            "inviter_code": code_a,
            "joiner_code": code_b,
            "inviter_seed": seed_a.decode(),
            "joiner_seed": seed_b.decode(),
            "inviter_message": msg_a.hex(),
            "joiner_message": msg_b.hex(),
            "inviter_key": key_a.hex(),
            "joiner_key": key_b.hex(),
        }
        for side, key in (("inviter", key_a), ("joiner", key_b)):
            case[f"{side}_confirmation"] = derive_subkey(
                key, b"tv:pake:confirm:" + side.encode() + b":v1"
            ).hex()
            case[f"{side}_sealing_key"] = derive_subkey(
                key, b"tv:pake:seal:" + side.encode() + b":v1"
            ).hex()
        out.append(case)
    doc = {
        "source": f"this project, spake2 {spake2.__version__} (Ed25519 group), 2026-12-01, by"
        " tests/data/make_pake_vectors.py; never regenerate",
        "stream": "entropy: concatenated SHA-256(b'tv-pake-vector:<n>:' + seed) for n = 0, 1, ...",
        "cases": out,
    }
    json.dump(doc, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
