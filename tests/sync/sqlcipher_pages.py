"""Every page of a vault's database file and of its write-ahead log, decrypted with the vault key.

What someone holding the key (the partner, or whoever learns the passphrase) can read on disk,
beyond what SQL shows: free pages, deleted cells, stale log frames. Written from SQLCipher 4's
documented defaults, independently of SQLCipher's own reader, and every page's HMAC is checked,
so a page that decrypts proves the reader right and a wrong reader fails loudly instead of
finding nothing.

SQLCipher 4 page (``cipher_page_size`` 4096, reserve 80, ``cipher_plaintext_header_size`` 0)::

    page 1:  salt (16, clear) | AES-256-CBC(data) (4000) | IV (16) | HMAC-SHA512 (64)
    page n:                     AES-256-CBC(data) (4016) | IV (16) | HMAC-SHA512 (64)

    HMAC = HMAC-SHA512(hmac_key, ciphertext | IV | u32le(page number))

The vault key is a raw key (``x'…'``): it is the AES key itself, no PBKDF2. The HMAC key is still
derived, ``PBKDF2-HMAC-SHA512(aes_key, salt XOR 0x3a…, 2 iterations, 32 bytes)``, with the salt
from the first 16 bytes of the database file. A log is a 32-byte header, then frames of a
24-byte header (page number, u32 big-endian, first) and one page as the database file holds it.
"""

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = ["PAGE_SIZE", "Page", "database_pages", "find_words", "log_pages", "vault_pages"]

PAGE_SIZE = 4096
_RESERVE = 80  # IV 16 + HMAC-SHA512 64
_SALT = 16
_IV = 16
_WAL_HEADER = 32
_FRAME_HEADER = 24
_HMAC_SALT_MASK = 0x3A
_FAST_KDF_ITER = 2
_SQLITE_HEADER = b"SQLite format 3\x00"


class PageError(AssertionError):
    """A page whose HMAC does not verify: the reader (or the file) is wrong."""


@dataclass(frozen=True)
class Page:
    """One decrypted page: which file, where in it, which database page, its plaintext."""

    file: str
    offset: int
    number: int
    data: bytes


class _Keys:
    def __init__(self, key: bytes, salt: bytes) -> None:
        if len(key) != 32 or len(salt) != _SALT:
            raise ValueError("a 32-byte raw key and the file's 16-byte salt")
        self.aes = key
        hmac_salt = bytes(b ^ _HMAC_SALT_MASK for b in salt)
        self.hmac = hashlib.pbkdf2_hmac("sha512", key, hmac_salt, _FAST_KDF_ITER, 32)

    def decrypt(self, number: int, raw: bytes) -> bytes:
        """The page's plaintext; page 1 comes back with SQLite's header in place of the salt."""
        if len(raw) != PAGE_SIZE:
            raise PageError(f"page {number}: {len(raw)} bytes, not {PAGE_SIZE}")
        start = _SALT if number == 1 else 0
        end = PAGE_SIZE - _RESERVE
        ciphertext, iv = raw[start:end], raw[end : end + _IV]
        tag = raw[end + _IV :]
        expected = hmac.new(
            self.hmac, ciphertext + iv + number.to_bytes(4, "little"), hashlib.sha512
        ).digest()
        if not hmac.compare_digest(tag, expected):
            raise PageError(f"page {number}: HMAC does not verify")
        decryptor = Cipher(algorithms.AES(self.aes), modes.CBC(iv)).decryptor()
        plain = decryptor.update(ciphertext) + decryptor.finalize()
        return (_SQLITE_HEADER if number == 1 else b"") + plain


def _keys(db: Path, key: bytes) -> _Keys:
    with db.open("rb") as f:
        return _Keys(key, f.read(_SALT))


def database_pages(db: Path, key: bytes) -> Iterator[Page]:
    """Every page of the database file, in file order (free pages included)."""
    keys = _keys(db, key)
    data = db.read_bytes()
    if len(data) % PAGE_SIZE:
        raise PageError(f"{db.name}: {len(data)} bytes is not a whole number of pages")
    for offset in range(0, len(data), PAGE_SIZE):
        number = offset // PAGE_SIZE + 1
        yield Page(db.name, offset, number, keys.decrypt(number, data[offset : offset + PAGE_SIZE]))


def log_pages(db: Path, key: bytes) -> Iterator[Page]:
    """Every frame in the write-ahead log beside ``db``, stale ones (left from an earlier use of
    the file, or after the last commit) included; a torn frame at the end is skipped."""
    wal = db.with_name(db.name + "-wal")
    if not wal.exists():
        return
    data = wal.read_bytes()
    if not data:
        return
    keys = _keys(db, key)
    frame = _FRAME_HEADER + PAGE_SIZE
    for offset in range(_WAL_HEADER, len(data) - frame + 1, frame):
        number = int.from_bytes(data[offset : offset + 4], "big")
        raw = data[offset + _FRAME_HEADER : offset + frame]
        if number == 0 and not any(raw):
            continue  # never written (a log file SQLite extended ahead of its frames)
        yield Page(wal.name, offset, number, keys.decrypt(number, raw))


def vault_pages(db: Path, key: bytes) -> list[Page]:
    """Every page of the database file and of its log."""
    return [*database_pages(db, key), *log_pages(db, key)]


def _forms(word: str) -> list[bytes]:
    texts = {word, word.lower()}
    return [t.encode(enc) for t in sorted(texts) for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def find_words(pages: list[Page], words: list[str]) -> list[str]:
    """``"file@offset (page n): word"`` for each word found in a page, as written or lower-case
    (FTS5 stores terms folded), in UTF-8 and UTF-16."""
    found = []
    for page in pages:
        for word in words:
            if any(form in page.data for form in _forms(word)):
                found.append(f"{page.file}@{page.offset} (page {page.number}): {word}")
    return found
