"""What an attacker holding a stolen ratchet state can compute by stepping its root: shared by the
ratchet's unit tests and the seized-vault tests, so both try the same attack."""

from collections.abc import Iterable

import nacl.bindings as sodium

from crypto.ratchet import kdf_root

__all__ = ["stepped_chains"]


def stepped_chains(
    root: bytes, secret: bytes, publics: Iterable[bytes], steps: int = 2
) -> list[bytes]:
    """The chain keys reached from ``root`` by up to ``steps`` root steps, each with the DH output
    of ``secret`` (a stolen ratchet private; none when empty) and any public the medium carried,
    both public orders tried."""
    if not secret:
        return []
    mine = bytes(sodium.crypto_scalarmult_base(secret))
    shared = [(bytes(sodium.crypto_scalarmult(secret, p)), p) for p in publics]
    roots, chains = [root], []
    for _ in range(steps):
        grown = []
        for step_root in roots:
            for dh, public in shared:
                for order in (public + mine, mine + public):
                    new_root, chain_key = kdf_root(step_root, dh + order)
                    grown.append(new_root)
                    chains.append(chain_key)
        roots = grown
    return chains
