"""Private signing keys, encrypted at rest with Fernet.

The encryption keys come from SIGNING_KEY_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first, so
the encryption key itself can rotate); without it, one key is derived from DJANGO_SECRET_KEY with HKDF.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .openbadges import generate_private_key, private_key_from_bytes, private_key_to_bytes, public_key_bytes


@lru_cache(maxsize=4)
def _fernet(configured: tuple[str, ...], secret: str) -> MultiFernet:
    if configured:
        return MultiFernet([Fernet(key.encode()) for key in configured])
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"laurel-signing-keys", info=b"fernet").derive(
        secret.encode()
    )
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SIGNING_KEY_ENCRYPTION_KEYS), settings.SECRET_KEY)


def new_keypair() -> tuple[bytes, bytes]:
    """(public key bytes, encrypted private key bytes) of a fresh Ed25519 key."""
    private = generate_private_key()
    return public_key_bytes(private), fernet().encrypt(private_key_to_bytes(private))


@lru_cache(maxsize=64)
def _decrypt(token: bytes):
    return private_key_from_bytes(fernet().decrypt(token))


def private_key(encrypted: bytes | memoryview):
    return _decrypt(bytes(encrypted))
