"""The crypto layer: sealing, labels, key wrap, KDF caps, hashing, with stored known answers.

Known-answer vectors live in ``tests/data/keywrap_vectors.json`` (see the README there); they pin
the key-file format, so a change that breaks them breaks every existing vault.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

import nacl.pwhash
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crypto import aead
from crypto.errors import AuthenticationError, CryptoError, ParameterError
from crypto.hashing import constant_time_equal, derive_subkey, digest, keyed_digest
from crypto.identity import channel_keys, check_public_key, generate_keypair
from crypto.kdf import PROFILES, SALT_BYTES, KdfParams, derive_key
from crypto.keywrap import (
    WrappedKey,
    WrongPassphraseError,
    new_vault_key,
    unwrap_vault_key,
    wrap_vault_key,
)
from crypto.random import random_bytes

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "keywrap_vectors.json").read_text(encoding="utf-8")
)
KEY = bytes(range(32))
INTERACTIVE = PROFILES["interactive"]


# -- sealing -----------------------------------------------------------------------------------


def test_seal_round_trip_and_size() -> None:
    sealed = aead.seal(KEY, b"the truth", b"tv:test")
    assert len(sealed) == len(b"the truth") + aead.OVERHEAD
    assert aead.open_sealed(KEY, sealed, b"tv:test") == b"the truth"


@given(st.binary(max_size=2048), st.binary(max_size=40), st.binary(max_size=40))
def test_seal_round_trip_any_input(plaintext: bytes, label: bytes, associated: bytes) -> None:
    sealed = aead.seal(KEY, plaintext, label, associated)
    assert aead.open_sealed(KEY, sealed, label, associated) == plaintext


def test_every_seal_uses_a_fresh_nonce() -> None:
    sealed = {aead.seal(KEY, b"same", b"tv:test") for _ in range(50)}
    assert len({s[: aead.NONCE_BYTES] for s in sealed}) == 50


@pytest.mark.parametrize(
    ("label", "associated"),
    [
        (b"tv:other", b""),  # another purpose
        (b"tv:test", b"x"),  # associated data added
        (b"tv:tes", b"t"),  # same concatenation, other split: the length prefix keeps them apart
        (b"", b"tv:test"),
    ],
)
def test_label_and_associated_data_are_bound(label: bytes, associated: bytes) -> None:
    sealed = aead.seal(KEY, b"bound", b"tv:test")
    with pytest.raises(AuthenticationError):
        aead.open_sealed(KEY, sealed, label, associated)


def test_wrong_key_fails() -> None:
    sealed = aead.seal(KEY, b"secret", b"tv:test")
    with pytest.raises(AuthenticationError):
        aead.open_sealed(bytes(32), sealed, b"tv:test")


def test_every_bit_flip_of_a_sealed_record_fails() -> None:
    sealed = aead.seal(KEY, b"sixteen byte msg", b"tv:test", b"ad")
    for i in range(len(sealed) * 8):
        damaged = bytearray(sealed)
        damaged[i // 8] ^= 1 << (i % 8)
        with pytest.raises(AuthenticationError):
            aead.open_sealed(KEY, bytes(damaged), b"tv:test", b"ad")


def test_every_truncation_and_extension_fails() -> None:
    sealed = aead.seal(KEY, b"sixteen byte msg", b"tv:test")
    for n in range(len(sealed)):
        with pytest.raises(AuthenticationError):
            aead.open_sealed(KEY, sealed[:n], b"tv:test")
    with pytest.raises(AuthenticationError):
        aead.open_sealed(KEY, sealed + b"\x00", b"tv:test")


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_keys_of_the_wrong_size_are_refused(size: int) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        aead.seal(bytes(size), b"x", b"tv:test")
    with pytest.raises(ValueError, match="32 bytes"):
        aead.open_sealed(bytes(size), bytes(64), b"tv:test")


def test_crypto_errors_share_one_base() -> None:
    assert issubclass(AuthenticationError, CryptoError)
    assert issubclass(ParameterError, CryptoError)
    assert issubclass(WrongPassphraseError, AuthenticationError)


# -- KDF parameters ----------------------------------------------------------------------------

FLOOR_OPS, FLOOR_MEM = INTERACTIVE
CEIL_OPS, CEIL_MEM = 10, nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE
SALT = bytes(SALT_BYTES)


@pytest.mark.parametrize(
    ("ops", "mem"),
    [(FLOOR_OPS, FLOOR_MEM), (CEIL_OPS, CEIL_MEM), (FLOOR_OPS, CEIL_MEM), (CEIL_OPS, FLOOR_MEM)],
)
def test_kdf_caps_accept_their_bounds(ops: int, mem: int) -> None:
    KdfParams(ops, mem, SALT).check()


@pytest.mark.parametrize(
    ("ops", "mem", "word"),
    [
        (FLOOR_OPS - 1, FLOOR_MEM, "opslimit"),
        (CEIL_OPS + 1, FLOOR_MEM, "opslimit"),
        (0, FLOOR_MEM, "opslimit"),
        (-1, FLOOR_MEM, "opslimit"),
        (FLOOR_OPS, FLOOR_MEM - 1, "memlimit"),
        (FLOOR_OPS, CEIL_MEM + 1, "memlimit"),
        (FLOOR_OPS, 1 << 40, "memlimit"),
    ],
)
def test_kdf_caps_refuse_past_floor_and_ceiling(ops: int, mem: int, word: str) -> None:
    params = KdfParams(ops, mem, SALT)
    with pytest.raises(ParameterError, match=word):
        params.check()
    with pytest.raises(ParameterError):
        derive_key("any passphrase", params)  # refused before any work is done


@pytest.mark.parametrize("length", [0, SALT_BYTES - 1, SALT_BYTES + 1, 32])
def test_kdf_salt_length_is_checked(length: int) -> None:
    with pytest.raises(ParameterError, match="salt"):
        KdfParams(FLOOR_OPS, FLOOR_MEM, bytes(length)).check()


def test_kdf_profiles() -> None:
    for profile, (ops, mem) in PROFILES.items():
        params = KdfParams.new(profile)
        assert (params.opslimit, params.memlimit) == (ops, mem)
        params.check()
    assert KdfParams.new("interactive").salt != KdfParams.new("interactive").salt
    with pytest.raises(ParameterError, match="profile"):
        KdfParams.new("fast")


# -- key wrap ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wrapped() -> tuple[bytes, WrappedKey]:
    key = new_vault_key()
    return key, wrap_vault_key("correct horse battery", key, KdfParams.new("interactive"))


def test_wrap_round_trip(wrapped: tuple[bytes, WrappedKey]) -> None:
    key, wk = wrapped
    assert len(key) == 32
    assert unwrap_vault_key("correct horse battery", wk) == key


def test_wrong_passphrase_is_told_apart(wrapped: tuple[bytes, WrappedKey]) -> None:
    with pytest.raises(WrongPassphraseError):
        unwrap_vault_key("correct horse batterY", wrapped[1])


def test_damaged_key_file_is_not_a_wrong_passphrase(wrapped: tuple[bytes, WrappedKey]) -> None:
    _, wk = wrapped
    damaged = bytearray(wk.sealed_key)
    damaged[-1] ^= 1
    with pytest.raises(AuthenticationError) as err:
        unwrap_vault_key(
            "correct horse battery", WrappedKey(wk.params, wk.key_check, bytes(damaged))
        )
    assert not isinstance(err.value, WrongPassphraseError)


def test_header_binds_the_parameters(wrapped: tuple[bytes, WrappedKey]) -> None:
    """Swapping in another wrap's sealed key under these parameters fails to open."""
    key, wk = wrapped
    other = wrap_vault_key("correct horse battery", key, KdfParams.new("interactive"))
    with pytest.raises(AuthenticationError):
        unwrap_vault_key(
            "correct horse battery", WrappedKey(wk.params, wk.key_check, other.sealed_key)
        )


@pytest.mark.parametrize("case", VECTORS["keywrap"], ids=lambda c: c["passphrase"])
def test_keywrap_known_answers(case: dict[str, Any]) -> None:
    params = KdfParams(case["opslimit"], case["memlimit"], bytes.fromhex(case["salt"]))
    master = derive_key(case["passphrase"], params)
    assert master.hex() == case["argon2id_key"]
    assert derive_subkey(master, b"tv:wrap:v1").hex() == case["wrap_key"]
    assert derive_subkey(master, b"tv:key-check:v1", 16).hex() == case["key_check"]
    stored = WrappedKey(params, bytes.fromhex(case["key_check"]), bytes.fromhex(case["sealed_key"]))
    assert unwrap_vault_key(case["passphrase"], stored).hex() == case["vault_key"]
    with pytest.raises(WrongPassphraseError):
        unwrap_vault_key(case["passphrase"] + " ", stored)


# -- hashing -----------------------------------------------------------------------------------


def _frame(part: bytes) -> bytes:
    return len(part).to_bytes(8, "big") + part


def test_hashing_known_answers() -> None:
    h = VECTORS["hashing"]
    assert digest(b"abc", b"tv:test").hex() == h["digest_abc_tv_test"]
    assert digest(b"", b"", 16).hex() == h["digest_empty_empty_16"]
    assert keyed_digest(KEY, b"abc", b"tv:test").hex() == h["keyed_digest_k32_abc_tv_test"]
    assert derive_subkey(KEY, b"tv:names:v1").hex() == h["subkey_k32_tv_names_v1"]


def test_hashing_matches_an_independent_blake2b() -> None:
    """The framing is what the docstrings say, checked against the standard library's BLAKE2b."""
    framed = _frame(b"tv:test") + _frame(b"abc")
    assert digest(b"abc", b"tv:test") == hashlib.blake2b(framed, digest_size=32).digest()
    assert (
        keyed_digest(KEY, b"abc", b"tv:test")
        == hashlib.blake2b(framed, digest_size=32, key=KEY).digest()
    )
    sub = hashlib.blake2b(_frame(b"tv:subkey:tv:x") + _frame(b""), digest_size=32, key=KEY)
    assert derive_subkey(KEY, b"tv:x") == sub.digest()


def test_a_label_hashed_again_gives_each_input_its_own_digest() -> None:
    """digest() reuses the state after each label: many inputs under one label, and the same
    label at two sizes, each match a BLAKE2b of their own, in any order."""
    inputs = [b"", b"a", b"abc" * 400, b"a"]
    for size in (32, 16, 32):
        for data in inputs:
            framed = _frame(b"tv:again") + _frame(data)
            assert (
                digest(data, b"tv:again", size)
                == hashlib.blake2b(framed, digest_size=size).digest()
            )


def test_hashing_domain_separation() -> None:
    assert digest(b"data", b"tv:a") != digest(b"data", b"tv:b")
    assert digest(b"bc", b"a") != digest(b"c", b"ab")  # label/data boundary is framed
    assert keyed_digest(KEY, b"data", b"tv:a") != keyed_digest(KEY, b"data", b"tv:b")
    assert keyed_digest(KEY, b"data", b"tv:a") != keyed_digest(bytes(32), b"data", b"tv:a")
    assert keyed_digest(KEY, b"", b"tv:subkey:tv:a") == derive_subkey(KEY, b"tv:a")
    assert derive_subkey(KEY, b"tv:names:v1") != derive_subkey(KEY, b"tv:chain:v1")
    assert keyed_digest(KEY, b"x", b"tv:a") != digest(b"x", b"tv:a")
    assert len(derive_subkey(KEY, b"tv:a", 16)) == 16


def test_keyed_digest_needs_a_real_key() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        keyed_digest(bytes(15), b"x", b"tv:a")


def test_constant_time_equal() -> None:
    a = random_bytes(32)
    assert constant_time_equal(a, bytes(a))
    assert not constant_time_equal(a, a[:-1] + bytes([a[-1] ^ 1]))
    assert not constant_time_equal(a, a[:31])
    assert not constant_time_equal(a, a + b"\x00")
    assert constant_time_equal(b"", b"")


def test_random_bytes() -> None:
    assert len(random_bytes(24)) == 24
    assert random_bytes(32) != random_bytes(32)
    assert random_bytes(0) == b""


# -- partner public keys -----------------------------------------------------------------------
# The small-order X25519 points (canonical ones, then non-canonical spellings of small-order
# points) from libsodium's has_small_order list (crypto_scalarmult/curve25519/ref10/
# x25519_ref10.c), and of points in general: u >= p, or the top bit set (RFC 7748 §5 masks it).
BAD_PUBLIC_KEYS = [
    pytest.param("00" * 32, id="zero"),
    pytest.param("01" + "00" * 31, id="one"),
    pytest.param(
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", id="order-8 a"
    ),
    pytest.param(
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", id="order-8 b"
    ),
    pytest.param("ec" + "ff" * 30 + "7f", id="p-1"),
    pytest.param("ed" + "ff" * 30 + "7f", id="p"),
    pytest.param("ee" + "ff" * 30 + "7f", id="p+1"),
    pytest.param(
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880", id="order-8 top bit"
    ),
    pytest.param("09" + "00" * 30 + "80", id="base point top bit"),
    pytest.param("ff" * 32, id="all ones"),
]


@pytest.mark.parametrize("hex_key", BAD_PUBLIC_KEYS)
def test_invalid_and_small_order_public_keys_are_refused(hex_key: str) -> None:
    public = bytes.fromhex(hex_key)
    with pytest.raises(ParameterError):
        check_public_key(public)
    with pytest.raises(ParameterError):  # a CryptoError, never nacl's own exception
        channel_keys(generate_keypair(), public)


@pytest.mark.parametrize("size", [0, 31, 33])
def test_public_keys_of_the_wrong_size_are_refused(size: int) -> None:
    with pytest.raises(ParameterError):
        check_public_key(bytes([9]) * size)


def test_generated_public_keys_and_the_base_point_are_accepted() -> None:
    check_public_key(bytes([9]) + bytes(31))
    for _ in range(200):
        check_public_key(generate_keypair().public)
