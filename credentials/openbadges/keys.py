"""Ed25519 keys, did:key and DID documents.

- ``did:key`` for an Ed25519 public key is ``"did:key:z" + base58btc(0xed 0x01 + key)``
  (the ``z6Mk...`` form), per the did:key method specification.
- A Multikey ``publicKeyMultibase`` is the same ``z6Mk...`` string.
- ``did:web`` documents list every key the issuer ever signed with, so that
  credentials signed before a key rotation keep verifying.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .loader import DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT

ED25519_PUB_MULTICODEC = b"\xed\x01"
ED25519_PRIV_MULTICODEC = b"\x80\x26"


class InvalidKeyError(ValueError):
    """A key, multibase string or DID that cannot be used as an Ed25519 key."""


# --- private keys ---------------------------------------------------------


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 private key (OS randomness)."""
    return Ed25519PrivateKey.generate()


def private_key_to_bytes(private_key: Ed25519PrivateKey) -> bytes:
    """The 32-byte raw private key (seed). Store it encrypted."""
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def private_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    """Load a private key from its 32 raw bytes."""
    if len(raw) != 32:
        raise InvalidKeyError(f"an Ed25519 private key is 32 bytes, got {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(bytes(raw))


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The 32-byte raw public key of a private or public key object."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _check_pub(pub: bytes) -> bytes:
    if isinstance(pub, Ed25519PrivateKey | Ed25519PublicKey):
        return public_key_bytes(pub)
    if len(pub) != 32:
        raise InvalidKeyError(f"an Ed25519 public key is 32 bytes, got {len(pub)}")
    return bytes(pub)


# --- multibase / did:key ----------------------------------------------------


_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_PAIRS = [a + b for a in _B58_ALPHABET for b in _B58_ALPHABET]


def b58encode(data: bytes) -> str:
    """base58btc of ``data``, as ``base58.b58encode(data).decode()`` (two digits a division: three times faster)."""
    n = int.from_bytes(data, "big")
    digits = []
    while n:
        n, pair = divmod(n, 3364)
        digits.append(_B58_PAIRS[pair])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits)).lstrip("1")


def public_key_multibase(pub: bytes) -> str:
    """Multikey ``publicKeyMultibase`` (``z6Mk...``) for a raw Ed25519 public key."""
    return "z" + b58encode(ED25519_PUB_MULTICODEC + _check_pub(pub))


def public_key_from_multibase(value: str) -> bytes:
    """Inverse of :func:`public_key_multibase`; checks the multicodec prefix."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise InvalidKeyError(f"{value!r} is not a base58btc multibase string (must start with 'z')")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as exc:
        raise InvalidKeyError(f"{value!r} is not valid base58btc") from exc
    if raw[:2] != ED25519_PUB_MULTICODEC:
        raise InvalidKeyError(f"{value!r} is not an Ed25519 public key (multicodec 0xed01)")
    if len(raw) != 34:
        raise InvalidKeyError(f"{value!r} does not hold a 32-byte key")
    return raw[2:]


def did_key_from_public_key(pub: bytes) -> str:
    """``did:key:z6Mk...`` for a raw 32-byte Ed25519 public key."""
    return "did:key:" + public_key_multibase(pub)


def public_key_from_did_key(did: str) -> bytes:
    """The raw public key inside a ``did:key`` (a DID URL with ``#fragment`` is accepted).

    If a fragment is present it must be the key's own multibase value, as
    did:key verification method ids always are.
    """
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise InvalidKeyError(f"{did!r} is not a did:key")
    base, _, fragment = did.partition("#")
    multibase = base[len("did:key:") :]
    pub = public_key_from_multibase(multibase)
    if fragment and fragment != multibase:
        raise InvalidKeyError(f"{did!r}: the fragment does not match the did:key")
    return pub


def did_key_verification_method(pub: bytes) -> str:
    """The verification method id ``did:key:z6Mk...#z6Mk...`` for a public key."""
    mb = public_key_multibase(pub)
    return f"did:key:{mb}#{mb}"


# --- DID documents ------------------------------------------------------------


def multikey(key_id: str, controller: str, pub: bytes) -> dict:
    """A ``Multikey`` verification method object."""
    return {
        "id": key_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase(pub),
    }


def did_key_document(did_or_pub: str | bytes) -> dict:
    """The DID document of an Ed25519 ``did:key`` (Multikey form, as the DCC resolver makes it)."""
    pub = public_key_from_did_key(did_or_pub) if isinstance(did_or_pub, str) else _check_pub(did_or_pub)
    did = did_key_from_public_key(pub)
    vm_id = did_key_verification_method(pub)
    return {
        "@context": [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
        "id": did,
        "verificationMethod": [multikey(vm_id, did, pub)],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityDelegation": [vm_id],
        "capabilityInvocation": [vm_id],
    }


def did_web_document(did: str, keys: Iterable[tuple[str, bytes]]) -> dict:
    """The ``did.json`` document for a ``did:web`` issuer.

    ``keys`` is an ordered list of ``(key_id, public_key)``; ``key_id`` is a
    fragment (``"key-1"``) or a full DID URL (``did + "#key-1"``).  Every key
    is listed as a verification method and in ``assertionMethod`` (old keys
    must keep verifying the credentials they signed); the last key is the
    current one and is also used for ``authentication`` and capability
    invocation.  Remove a key from the list only if what it signed must stop
    verifying (for instance after a key compromise).
    """
    if not did.startswith("did:web:"):
        raise InvalidKeyError(f"{did!r} is not a did:web")
    methods = []
    ids: list[str] = []
    for key_id, pub in keys:
        full_id = key_id if key_id.startswith("did:") else f"{did}#{key_id.lstrip('#')}"
        if not full_id.startswith(did + "#"):
            raise InvalidKeyError(f"key id {key_id!r} does not belong to {did}")
        if full_id in ids:
            raise InvalidKeyError(f"duplicate key id {full_id!r}")
        ids.append(full_id)
        methods.append(multikey(full_id, did, pub))
    if not methods:
        raise InvalidKeyError("a did:web document needs at least one key")
    current = ids[-1]
    return {
        "@context": [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": list(ids),
        "authentication": [current],
        "capabilityInvocation": [current],
    }


def did_web_url(did: str) -> str:
    """The HTTPS URL where a ``did:web`` document is published.

    ``did:web:example.org`` -> ``https://example.org/.well-known/did.json``;
    ``did:web:example.org:issuers:7`` -> ``https://example.org/issuers/7/did.json``;
    a ``%3A`` in the host part is a port separator.
    """
    if not did.startswith("did:web:"):
        raise InvalidKeyError(f"{did!r} is not a did:web")
    parts = did[len("did:web:") :].split("#", 1)[0].split(":")
    host = unquote(parts[0])
    path = "/".join(unquote(p) for p in parts[1:])
    if not host or "/" in host:
        raise InvalidKeyError(f"{did!r} has an invalid host")
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def did_web_from_url(origin: str, path: str = "") -> str:
    """``did:web`` identifier for a site (``https://host:port``) and an optional path."""
    from urllib.parse import quote, urlsplit

    parts = urlsplit(origin)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidKeyError(f"{origin!r} is not an http(s) origin")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    segments = [quote(s, safe="") for s in path.strip("/").split("/") if s]
    return ":".join(["did:web", host, *segments])


def public_key_from_did_document(document: dict, verification_method: str) -> bytes:
    """Find ``verification_method`` in a DID document and return its Ed25519 key.

    Checks that the method is listed under ``assertionMethod`` (the purpose of
    credential proofs).  Supports ``Multikey`` and ``Ed25519VerificationKey2020``
    (``publicKeyMultibase``).
    """
    did = document.get("id")
    vm_did = verification_method.split("#", 1)[0]
    if did != vm_did:
        raise InvalidKeyError(f"verification method {verification_method!r} is not in the document of {did}")

    def _full(ref: str) -> str:
        return f"{did}{ref}" if ref.startswith("#") else ref

    assertion = [_full(m if isinstance(m, str) else m.get("id", "")) for m in document.get("assertionMethod", [])]
    if verification_method not in assertion:
        raise InvalidKeyError(f"{verification_method!r} is not an assertionMethod of {did}")
    candidates = list(document.get("verificationMethod", []))
    candidates += [m for m in document.get("assertionMethod", []) if isinstance(m, dict)]
    for method in candidates:
        if _full(method.get("id", "")) == verification_method:
            if method.get("type") not in ("Multikey", "Ed25519VerificationKey2020"):
                raise InvalidKeyError(f"unsupported verification method type {method.get('type')!r}")
            return public_key_from_multibase(method.get("publicKeyMultibase", ""))
    raise InvalidKeyError(f"{verification_method!r} is not described in the document of {did}")
