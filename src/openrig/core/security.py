"""Secrets: random tokens, their stored hashes, password hashing, derived keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with the library's RFC 9106 "low memory" defaults (64 MiB, t=3).
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("openrig-dummy-password-for-timing")


def use_fast_password_hashing() -> None:
    """Cheap argon2id parameters, for test suites only (hashing dominates them)."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash("openrig-dummy-password-for-timing")


def new_token(prefix: str, nbytes: int = 32) -> str:
    """A random bearer secret (256 bits by default) with a readable type prefix."""
    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"


def token_hash(token: str) -> str:
    """Stored form of a high-entropy token: SHA-256 is enough (no guessing attack)."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def derive(secret_key: str, *parts: str) -> str:
    """HMAC-SHA256 of ``parts`` under the instance secret, URL-safe hex."""
    message = "\x1f".join(parts).encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
