"""argon2id hashing for passwords and secret answers."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Hasher:
    """Wraps argon2-cffi with the configured parameters and a dummy hash for unknown accounts."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._ph = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        self._dummy: str | None = None

    def hash(self, secret: str) -> str:
        return self._ph.hash(secret)

    def verify(self, hashed: str, secret: str) -> bool:
        try:
            return self._ph.verify(hashed, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        return self._ph.check_needs_rehash(hashed)

    def verify_dummy(self, secret: str) -> None:
        """Spend the same time as a real verification, for an account that does not exist."""
        if self._dummy is None:
            self._dummy = self._ph.hash("dummy-password-for-timing")
        self.verify(self._dummy, secret)
