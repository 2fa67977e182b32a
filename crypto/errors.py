"""Errors raised by the crypto layer.

    CryptoError
     +-- AuthenticationError   a sealed record failed to verify (wrong key, tampered, truncated)
     +-- ParameterError        stored parameters are malformed or outside the accepted caps

Messages never contain key material or plaintext. The core maps these onto its user-facing errors.
"""

__all__ = ["AuthenticationError", "CryptoError", "ParameterError"]


class CryptoError(Exception):
    """Base of every error the crypto layer raises."""


class AuthenticationError(CryptoError):
    """Ciphertext did not authenticate: the key is wrong or the bytes were altered."""


class ParameterError(CryptoError):
    """Stored crypto parameters are malformed or out of the accepted range."""
