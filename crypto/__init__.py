"""All key handling and sealing; the only package that imports nacl (libsodium).

Small on purpose, so a reviewer can audit it in one sitting: :mod:`crypto.aead` (seal/open),
:mod:`crypto.kdf` (Argon2id), :mod:`crypto.keywrap` (vault key under a passphrase),
:mod:`crypto.identity` (key pairs, channel keys, safety number), :mod:`crypto.envelope` (v1
envelopes, as migration reads them, and the pairing frame), :mod:`crypto.envelope_v2` (protocol
v2 envelopes: sealed heads, keyed tags), :mod:`crypto.invite` (invite secrets),
:mod:`crypto.pake` (SPAKE2 for the short pairing code: the one user of the ``spake2`` package),
:mod:`crypto.hashing` (labelled BLAKE2b), :mod:`crypto.commitment` (commit, then reveal).
"""
