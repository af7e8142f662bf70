"""Private signing keys, encrypted at rest with Fernet.

The encryption keys come from SIGNING_KEY_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first, so
the encryption key itself can rotate). Without it, a key is derived with HKDF from DJANGO_SECRET_KEY, and
one more from each of DJANGO_SECRET_KEY_FALLBACKS: rotating the secret key with the old one as a fallback
keeps every stored key readable (new keys are encrypted with the current secret). The derived keys are
also tried after the configured ones, so an installation that starts setting SIGNING_KEY_ENCRYPTION_KEYS
(as `check --deploy` advises) still reads the keys it stored before. A key that none of them opens raises
SigningKeyUnreadable, which names the setting to fix, instead of a bare InvalidToken. Once a rotation is
done, `manage.py reencrypt_signing_keys` re-encrypts every key with the current one, and the old secret or
encryption key can go.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .openbadges import generate_private_key, private_key_from_bytes, private_key_to_bytes, public_key_bytes


class SigningKeyUnreadable(ImproperlyConfigured):
    """A stored private key that none of the configured encryption keys decrypts."""


def _derived(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"laurel-signing-keys", info=b"fernet").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=4)
def _fernet(configured: tuple[str, ...], secrets: tuple[str, ...]) -> MultiFernet:
    """Encrypts with the first key (the newest configured one, else the current secret's); decrypts with any."""
    return MultiFernet([Fernet(key.encode()) for key in configured] + [_derived(secret) for secret in secrets])


def fernet() -> MultiFernet:
    secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _fernet(tuple(settings.SIGNING_KEY_ENCRYPTION_KEYS), secrets)


def new_keypair() -> tuple[bytes, bytes]:
    """(public key bytes, encrypted private key bytes) of a fresh Ed25519 key."""
    private = generate_private_key()
    return public_key_bytes(private), fernet().encrypt(private_key_to_bytes(private))


UNREADABLE = (
    "An issuer's private signing key cannot be decrypted with the configured keys. If DJANGO_SECRET_KEY "
    "changed, put the previous value in DJANGO_SECRET_KEY_FALLBACKS; if SIGNING_KEY_ENCRYPTION_KEYS "
    "changed, keep the previous key after the new one (comma-separated, newest first)."
)


@lru_cache(maxsize=64)
def _decrypt(token: bytes, box: MultiFernet):
    try:
        return private_key_from_bytes(box.decrypt(token))
    except InvalidToken as exc:
        raise SigningKeyUnreadable(UNREADABLE) from exc


def reencrypt(encrypted: bytes | memoryview) -> bytes:
    """The same private key encrypted with the current encryption key, so older ones can be dropped."""
    try:
        return fernet().rotate(bytes(encrypted))
    except InvalidToken as exc:
        raise SigningKeyUnreadable(UNREADABLE) from exc


def private_key(encrypted: bytes | memoryview):
    return _decrypt(bytes(encrypted), fernet())
