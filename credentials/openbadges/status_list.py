"""Bitstring Status List (W3C vc-bitstring-status-list) for revocation.

- A list holds at least :data:`MIN_BITS` (131,072) bits = 16 KiB.
- Index 0 is the **most significant** bit of the first byte (``0x80``); index
  7 is ``0x01`` of the first byte, index 8 is ``0x80`` of the second byte.
- ``encodedList`` = ``"u"`` + base64url, no padding (multibase), of the
  GZIP-compressed bytes.
- Indexes are handed out at random (``secrets``) so that a list does not reveal
  how many credentials were issued, nor in which order.

The list credential built here is unsigned: sign it with
:func:`credentials.openbadges.proof.sign_credential` using the same issuer key
as the credentials that point to it (verifiers check that the issuers match).
"""

from __future__ import annotations

import base64
import gzip
import secrets
import zlib
from collections.abc import Container, Mapping
from typing import Any

from . import shapes
from .errors import StatusListError
from .loader import VC_V2_CONTEXT

MIN_BITS = 131_072
MAX_DECODED_BYTES = 16 * 1024 * 1024  # refuse gzip bombs when decoding third-party lists

STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
STATUS_LIST_TYPE = "BitstringStatusList"
STATUS_ENTRY_TYPE = "BitstringStatusListEntry"


class StatusList:
    """A mutable bitstring; ``list[i]`` is True when credential ``i`` is revoked."""

    __slots__ = ("_bits",)

    def __init__(self, size: int = MIN_BITS, *, data: bytes | bytearray | None = None):
        """A list of ``size`` bits, all clear; or wrap ``data`` (its length sets the size)."""
        if data is not None:
            self._bits = bytearray(data)
        else:
            if size < MIN_BITS:
                raise StatusListError(f"a status list holds at least {MIN_BITS} bits, not {size}")
            if size % 8:
                raise StatusListError("the size of a status list must be a multiple of 8 bits")
            self._bits = bytearray(size // 8)

    def __len__(self) -> int:
        return len(self._bits) * 8

    def _check(self, index: int) -> None:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("a status list index is an int")
        if not 0 <= index < len(self):
            raise IndexError(f"status list index {index} outside 0..{len(self) - 1}")

    def get(self, index: int) -> bool:
        """True when bit ``index`` is set."""
        self._check(index)
        return bool(self._bits[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool = True) -> None:
        """Set (revoke) or clear bit ``index``."""
        self._check(index)
        mask = 0x80 >> (index & 7)
        if value:
            self._bits[index >> 3] |= mask
        else:
            self._bits[index >> 3] &= ~mask & 0xFF

    __getitem__ = get

    def __setitem__(self, index: int, value: bool) -> None:
        self.set(index, value)

    def set_indexes(self) -> list[int]:
        """All indexes whose bit is set, ascending."""
        out = []
        for byte_index, byte in enumerate(self._bits):
            if byte:
                for bit in range(8):
                    if byte & (0x80 >> bit):
                        out.append(byte_index * 8 + bit)
        return out

    def to_bytes(self) -> bytes:
        """The raw bitstring (before compression)."""
        return bytes(self._bits)

    def encode(self) -> str:
        """The ``encodedList`` value: ``"u"`` + base64url-no-padding(gzip(bits))."""
        return encode_bits(self._bits)

    @classmethod
    def decode(cls, encoded_list: str) -> StatusList:
        """Parse an ``encodedList`` value (see :func:`decode_bits`)."""
        return cls(data=decode_bits(encoded_list))


def encode_bits(bits: bytes | bytearray) -> str:
    """``"u"`` + base64url-no-padding(gzip(bits)); gzip header time is 0 for stable output."""
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bits(encoded_list: str, *, max_bytes: int = MAX_DECODED_BYTES) -> bytes:
    """Decode an ``encodedList`` to the raw bitstring.

    Accepts the multibase ``"u"`` prefix (required by the Bitstring Status
    List spec) and, for older StatusList2021 lists, plain base64url.
    Refuses lists that inflate to more than ``max_bytes``.
    """
    if not isinstance(encoded_list, str) or not encoded_list:
        raise StatusListError("encodedList must be a non-empty string")
    body = encoded_list[1:] if encoded_list.startswith("u") else encoded_list
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError) as exc:
        raise StatusListError("encodedList is not base64url") from exc
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error as exc:
        raise StatusListError("encodedList is not GZIP-compressed") from exc
    if len(raw) > max_bytes:
        raise StatusListError(f"encodedList inflates to more than {max_bytes} bytes")
    if not inflater.eof:
        raise StatusListError("encodedList is truncated")
    return raw


def status_entry(list_url: str, index: int, *, status_purpose: str = "revocation") -> dict:
    """The ``credentialStatus`` value of a credential at ``index`` of the list at ``list_url``."""
    if index < 0:
        raise StatusListError("a status list index is not negative")
    return {
        "id": f"{list_url}#{index}",
        "type": STATUS_ENTRY_TYPE,
        "statusPurpose": status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    list_url: str,
    issuer: str | Mapping[str, Any],
    encoded_list: str,
    *,
    status_purpose: str = "revocation",
    valid_from: str | None = None,
    valid_until: str | None = None,
    name: str | None = None,
) -> dict:
    """The unsigned ``BitstringStatusListCredential`` served at ``list_url``.

    ``issuer`` is the issuer DID (or a profile dict with that ``id``): it must
    be the issuer of the credentials that point to this list.
    """
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
        "issuer": dict(issuer) if isinstance(issuer, Mapping) else issuer,
    }
    if name:
        credential["name"] = name
    if valid_from:
        credential["validFrom"] = valid_from
    if valid_until:
        credential["validUntil"] = valid_until
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": STATUS_LIST_TYPE,
        "statusPurpose": status_purpose,
        "encodedList": encoded_list,
    }
    return credential


def random_free_index(allocated: Container[int], size: int = MIN_BITS, *, tries: int = 64) -> int:
    """A random index in ``0..size-1`` not in ``allocated`` (indexes already handed out).

    Uses :mod:`secrets`.  After ``tries`` random draws hit allocated indexes
    (a nearly full list), picks uniformly among the remaining free indexes.
    Raises :class:`StatusListError` when the list is full.
    """
    for _ in range(tries):
        index = secrets.randbelow(size)
        if index not in allocated:
            return index
    free = [i for i in range(size) if i not in allocated]
    if not free:
        raise StatusListError("the status list is full; start a new list")
    return secrets.choice(free)


def entry_is_set(list_credential: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    """Read the bit that ``entry`` (a ``credentialStatus``) points to in a decoded list credential.

    Checks type, purpose and URL consistency; the caller verifies the list
    credential's proof and issuer first.  True means revoked/suspended.
    Raises :class:`StatusListError` for anything malformed, whatever its shape.
    """
    if not isinstance(list_credential, Mapping) or not isinstance(entry, Mapping):
        raise StatusListError("the status entry and the status list credential must be JSON objects")
    if entry.get("type") != STATUS_ENTRY_TYPE:
        raise StatusListError(f"credentialStatus type must be {STATUS_ENTRY_TYPE}")
    if entry.get("statusListCredential") != list_credential.get("id"):
        raise StatusListError("the status list credential is not the one the entry points to")
    try:
        types = shapes.strings(list_credential.get("type"), "type")
        subject = shapes.obj(list_credential.get("credentialSubject") or {}, "credentialSubject")
    except shapes.ShapeError as exc:
        raise StatusListError(f"the list credential's {exc}") from exc
    if STATUS_LIST_CREDENTIAL_TYPE not in types:
        raise StatusListError(f"the list credential is not a {STATUS_LIST_CREDENTIAL_TYPE}")
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise StatusListError("status purposes of the entry and the list differ")
    try:
        index = shapes.status_index(entry.get("statusListIndex"), "statusListIndex")
    except shapes.ShapeError as exc:
        raise StatusListError("statusListIndex is not an integer") from exc
    status = StatusList.decode(subject.get("encodedList", ""))
    try:
        return status.get(index)
    except IndexError as exc:
        raise StatusListError(str(exc)) from exc
