"""Small Open Badges 2.0 helpers shared with 3.0 (recipient hashing, context URL)."""

from __future__ import annotations

from .loader import OB_V2_CONTEXT
from .ob3 import hash_email, new_salt

__all__ = ["OB_V2_CONTEXT", "hash_email", "recipient"]


def recipient(email: str, salt: str | None = None) -> dict:
    """An OB 2.0 ``IdentityObject`` for a hashed email (a fresh salt if none is given).

    ``identity`` is ``"sha256$" + hex(sha256(lower(email) + salt))``, the same
    hash as OB 3.0's ``identityHash``.
    """
    salt = salt if salt is not None else new_salt()
    return {"type": "email", "hashed": True, "salt": salt, "identity": hash_email(email, salt)}
