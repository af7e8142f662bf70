"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

Signing, step by step (vc-di-eddsa, sections 3.3.x):

1. proof options = ``{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
   "created", "verificationMethod", "proofPurpose": "assertionMethod"}``;
2. proof configuration = proof options + the credential's ``@context``;
3. both the configuration and the credential (without ``proof``) are
   canonicalised with RDF Dataset Canonicalization (URDNA2015 / RDFC-1.0) as
   N-Quads, with the offline document loader;
4. hash data = sha256(canonical configuration) + sha256(canonical credential);
5. ``proofValue`` = ``"z"`` + base58btc(Ed25519 signature of the hash data).

Before signing, every property, ``type`` value and ``id`` is checked against
the contexts (see :func:`check_all_terms_defined`): JSON-LD silently drops
what the contexts do not define, and wallets/verifiers in safe mode (the DCC
verifier) reject such credentials.

Speed: the canonical hash of a proof configuration is cached by its exact
content (credentials signed in the same second by the same key share it), and
context processing is cached (see ``_jsonld``).  Nothing about the algorithm
changes; the tests check every fast-path signature with the DCC verifier.

Verifying is in ``proof_verify`` (it reuses the hashing steps below).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from cachetools import LRUCache
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld.jsonld import JsonLdError

from . import _jsonld
from .errors import SigningError, UndefinedTermsError
from .keys import (
    b58encode,
    did_key_verification_method,
    private_key_from_bytes,
    public_key_bytes,
)
from .loader import (
    DATA_INTEGRITY_V2_CONTEXT,
    VC_V2_CONTEXT,
    DocumentLoader,
    DocumentNotFoundError,
    default_loader,
    shipped_contexts,
)

__all__ = [
    "CRYPTOSUITE",
    "PROOF_TYPE",
    "CredentialSigner",
    "SigningError",
    "UndefinedTermsError",
    "canonicalize",
    "check_all_terms_defined",
    "sign_credential",
    "xsd_now",
]

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"

_XSD_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


# --- helpers -------------------------------------------------------------------


def xsd_now() -> str:
    """Current UTC time as an XSD dateTimeStamp with seconds precision (``2025-01-31T12:00:00Z``)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not _XSD_DATETIME.match(value):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _describe_exception(exc: BaseException) -> str:
    """A short reason for a pyld/loader failure (finds DocumentNotFoundError in the chain)."""
    seen = set()
    stack: list[Any] = [exc]
    innermost = exc
    while stack:
        cur = stack.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, DocumentNotFoundError):
            return f"context {cur.url!r} is not available offline (not shipped with Laurel)"
        if isinstance(cur, BaseException):
            innermost = cur
            stack.append(getattr(cur, "cause", None))
            stack.append(cur.__cause__)
            details = getattr(cur, "details", None)
            if isinstance(details, dict):
                stack.append(details.get("cause"))
    if isinstance(innermost, JsonLdError):
        return f"JSON-LD processing failed: {innermost.args[0] if innermost.args else innermost.type}"
    return f"JSON-LD processing failed: {innermost}"


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def canonicalize(document: Mapping[str, Any], *, loader: DocumentLoader | None = None) -> str:
    """URDNA2015 canonical N-Quads of ``document`` after the undefined-term check.

    Raises :class:`UndefinedTermsError` when the contexts do not define some
    property, type or id; :class:`~.loader.DocumentNotFoundError` (wrapped by
    pyld) for a context that is not shipped.
    """
    return _jsonld.checked_nquads(dict(document), loader)


def check_all_terms_defined(document: Mapping[str, Any], *, loader: DocumentLoader | None = None) -> list[str]:
    """Return the problems that would make JSON-LD drop data, as plain-English lines.

    An empty list means every property, every ``type`` value and every ``id``
    of ``document`` is defined by (or absolute under) its ``@context``.  Each
    line names the property and where it is, for example
    ``"property 'colour' is not defined by the @context (credentialSubject.achievement.colour)"``.
    A document that JSON-LD cannot process at all (an unshipped context, a
    protected term redefined...) yields one line saying why.
    """
    doc = dict(document)
    try:
        expanded = _jsonld.expand_with_sentinel(doc, loader)
    except (JsonLdError, DocumentNotFoundError) as exc:
        return [_describe_exception(exc)]
    return _jsonld.find_undefined(doc, expanded)


# --- proof configuration hash cache -----------------------------------------------

_CONFIG_HASHES: LRUCache = LRUCache(maxsize=1024)
_CONFIG_LOCK = threading.Lock()


def _proof_config_hash(proof_options: Mapping[str, Any], context: Any, loader: DocumentLoader) -> bytes:
    config = dict(proof_options)
    config["@context"] = context
    contexts = context if isinstance(context, list) else [context]
    cacheable = all(isinstance(c, str) and c in shipped_contexts() for c in contexts)
    key = None
    if cacheable:
        key = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        with _CONFIG_LOCK:
            hit = _CONFIG_HASHES.get(key)
        if hit is not None:
            return hit
    digest = _sha256(_jsonld.checked_nquads(config, loader))
    if key is not None:
        with _CONFIG_LOCK:
            _CONFIG_HASHES[key] = digest
    return digest


@lru_cache(maxsize=256)
def _did_key_method(public_key: bytes) -> str:
    return did_key_verification_method(public_key)


def _has_data_integrity_context(context: Any) -> bool:
    contexts = context if isinstance(context, list) else [context]
    return VC_V2_CONTEXT in contexts or DATA_INTEGRITY_V2_CONTEXT in contexts


# --- signing --------------------------------------------------------------------------


def _as_private_key(private_key: Ed25519PrivateKey | bytes) -> Ed25519PrivateKey:
    if isinstance(private_key, Ed25519PrivateKey):
        return private_key
    if isinstance(private_key, bytes | bytearray | memoryview):
        return private_key_from_bytes(bytes(private_key))
    raise TypeError("private_key must be an Ed25519PrivateKey or its 32 raw bytes")


def sign_credential(
    credential: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey | bytes,
    verification_method: str,
    created: str | None = None,
    loader: DocumentLoader | None = None,
) -> dict:
    """Return a copy of ``credential`` with an ``eddsa-rdfc-2022`` ``DataIntegrityProof`` added.

    ``proof`` is a one-element array: VC 2.0 allows an object or an array, but 1EdTech's published Open
    Badges 3.0 JSON schemas require an array (and their validator enforces it); the DCC verifier accepts both.

    :param credential: the unsigned credential (a JSON object with ``@context``);
        it must not already have a ``proof``.  It is not modified.  The result
        is a shallow copy: nested objects are shared with the input.
    :param private_key: ``Ed25519PrivateKey`` or its 32 raw bytes.
    :param verification_method: DID URL of the key, e.g. ``did:key:z6Mk...#z6Mk...``
        or ``did:web:example.org#key-1``; the issuer's id must be that DID.
    :param created: XSD dateTimeStamp for ``proof.created``; defaults to now (UTC, seconds).
    :param loader: document loader; defaults to the shipped contexts only.
    :raises UndefinedTermsError: a property/type/id is not defined by the contexts
        (the message names it).
    :raises SigningError: anything else that makes the credential unsignable.
    """
    key = _as_private_key(private_key)
    loader = loader or default_loader()
    if not isinstance(credential, Mapping):
        raise SigningError("a credential must be a JSON object")
    if "proof" in credential:
        raise SigningError("the credential already has a proof; sign the unsigned credential")
    context = credential.get("@context")
    if context is None:
        raise SigningError("the credential has no @context")
    if not _has_data_integrity_context(context):
        raise SigningError(
            f"@context must include {VC_V2_CONTEXT} or {DATA_INTEGRITY_V2_CONTEXT} "
            "so that DataIntegrityProof is defined"
        )
    if not isinstance(verification_method, str) or "#" not in verification_method:
        raise SigningError("verification_method must be a DID URL with a #fragment")
    if verification_method.startswith("did:key:"):
        expected = _did_key_method(public_key_bytes(key))
        if verification_method != expected:
            raise SigningError(
                f"verification method {verification_method!r} does not match the private key (expected {expected!r})"
            )
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id is not None and issuer_id != verification_method.split("#", 1)[0]:
        raise SigningError(
            f"the issuer id {issuer_id!r} is not the DID of the verification method "
            f"{verification_method!r}; verifiers would reject the proof"
        )
    if created is None:
        created = xsd_now()
    elif _parse_datetime(created) is None:
        raise SigningError(f"created {created!r} is not an XSD dateTimeStamp (e.g. 2025-01-31T12:00:00Z)")

    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    try:
        config_hash = _proof_config_hash(proof, context, loader)
        document_hash = _sha256(_jsonld.checked_nquads(dict(credential), loader))
    except UndefinedTermsError:
        raise
    except (JsonLdError, DocumentNotFoundError) as exc:
        raise SigningError(_describe_exception(exc)) from exc
    signature = key.sign(config_hash + document_hash)
    proof["proofValue"] = "z" + b58encode(signature)
    signed = dict(credential)
    signed["proof"] = [proof]
    return signed


class CredentialSigner:
    """Signs many credentials with one key; the fast path for bulk awards.

    ``created`` is taken once per :meth:`sign_many` call (so all credentials of
    a batch share one proof configuration and its cached hash).
    """

    def __init__(
        self,
        private_key: Ed25519PrivateKey | bytes,
        verification_method: str,
        *,
        loader: DocumentLoader | None = None,
    ):
        self.private_key = _as_private_key(private_key)
        self.verification_method = verification_method
        self.loader = loader or default_loader()

    def sign(self, credential: Mapping[str, Any], *, created: str | None = None) -> dict:
        """Sign one credential (see :func:`sign_credential`)."""
        return sign_credential(
            credential,
            private_key=self.private_key,
            verification_method=self.verification_method,
            created=created,
            loader=self.loader,
        )

    def sign_many(self, credentials: Iterable[Mapping[str, Any]], *, created: str | None = None) -> list[dict]:
        """Sign each credential with the same ``created`` time."""
        created = created or xsd_now()
        return [self.sign(c, created=created) for c in credentials]
