"""Verifying Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

The steps of signing (credentials.openbadges.proof) taken again from the credential: its proof options
and context canonicalised and hashed, the credential without its proof likewise, and the Ed25519 signature
of the two hashes checked against the verification method's public key (``did:key`` by default, or DID
documents the caller resolved). Dates (validFrom, validUntil) are checked too; status and schema are the
caller's (credentials.verification).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld.jsonld import JsonLdError

from . import _jsonld
from .errors import UndefinedTermsError
from .keys import InvalidKeyError, public_key_from_did_document, public_key_from_did_key
from .loader import DocumentLoader, DocumentNotFoundError, default_loader
from .proof import (
    CRYPTOSUITE,
    PROOF_PURPOSE,
    PROOF_TYPE,
    _describe_exception,
    _parse_datetime,
    _proof_config_hash,
    _sha256,
)

__all__ = ["VerificationResult", "did_document_resolver", "resolve_did_key", "verify_credential"]

PublicKeyResolver = Callable[[str], bytes]


@dataclass
class VerificationResult:
    """Outcome of :func:`verify_credential`.

    ``ok`` is True only when ``errors`` is empty.  ``errors`` are plain-English
    reasons, suitable for logs and (after translation) for a verification page.
    """

    ok: bool
    errors: list[str] = field(default_factory=list)
    verification_method: str | None = None

    def __bool__(self) -> bool:
        return self.ok


def resolve_did_key(verification_method: str) -> bytes:
    """Default public-key resolver: only ``did:key`` verification methods.

    Raises :class:`~.keys.InvalidKeyError` for anything else.
    """
    if not verification_method.startswith("did:key:"):
        raise InvalidKeyError(
            "verification method is not a did:key; pass resolve_public_key to verify other DID methods"
        )
    return public_key_from_did_key(verification_method)


def did_document_resolver(documents: Mapping[str, Mapping[str, Any]]) -> PublicKeyResolver:
    """A resolver for did:key plus the given DID documents (``{did: document}``).

    Use it for ``did:web`` issuers: fetch (or look up) ``did.json`` first, then
    pass it here; the key must be listed under ``assertionMethod``.
    """

    def resolve(verification_method: str) -> bytes:
        if verification_method.startswith("did:key:"):
            return public_key_from_did_key(verification_method)
        did = verification_method.split("#", 1)[0]
        document = documents.get(did)
        if document is None:
            raise InvalidKeyError(f"no DID document available for {did}")
        return public_key_from_did_document(dict(document), verification_method)

    return resolve


def _check_dates(credential: Mapping[str, Any], now: dt.datetime, errors: list[str]) -> None:
    for prop in ("validFrom", "issuanceDate"):
        if prop in credential:
            when = _parse_datetime(credential[prop])
            if when is None:
                errors.append(f"{prop} {credential[prop]!r} is not a valid date-time")
            elif now < when:
                errors.append(f"credential is not valid before {credential[prop]}")
    for prop in ("validUntil", "expirationDate"):
        if prop in credential:
            when = _parse_datetime(credential[prop])
            if when is None:
                errors.append(f"{prop} {credential[prop]!r} is not a valid date-time")
            elif now > when:
                errors.append(f"credential expired on {credential[prop]}")


def _is_supported(proof: Any) -> bool:
    return isinstance(proof, Mapping) and proof.get("type") == PROOF_TYPE and proof.get("cryptosuite") == CRYPTOSUITE


def verify_credential(
    credential: Mapping[str, Any],
    *,
    resolve_public_key: PublicKeyResolver | None = None,
    loader: DocumentLoader | None = None,
    check_dates: bool = True,
    now: dt.datetime | None = None,
) -> VerificationResult:
    """Verify the ``eddsa-rdfc-2022`` proof(s) of a credential (ours or a third party's).

    ``proof`` may be one object or an array (a proof set, VC 2.0).  With one
    proof, it must be a ``DataIntegrityProof`` with cryptosuite
    ``eddsa-rdfc-2022``.  With several, each of that kind is verified and all
    must pass; proofs of other kinds are skipped (at least one must be ours).

    Checks, each failure adding a plain-English reason to ``errors``: proof
    purpose ``assertionMethod``; a well-formed ``proofValue``; that the verification
    method's DID is the issuer; that every property is defined by the contexts
    (otherwise parts of the credential are not covered by the signature); the
    signature itself; and, unless ``check_dates`` is False, ``validFrom`` /
    ``validUntil`` against ``now``.  Status (revocation) is not checked here:
    see :mod:`.status_list`.

    :param resolve_public_key: ``verification_method -> 32-byte public key``;
        defaults to :func:`resolve_did_key` (did:key only).  Use
        :func:`did_document_resolver` for did:web.
    """
    resolver = resolve_public_key or resolve_did_key
    loader = loader or default_loader()
    if not isinstance(credential, Mapping):
        return VerificationResult(False, ["credential is not a JSON object"])
    proofs = credential.get("proof")
    if proofs is None or proofs == []:
        return VerificationResult(False, ["credential has no proof"])
    if not isinstance(proofs, list):
        proofs = [proofs]
    if len(proofs) > 1:
        if not all(isinstance(p, Mapping) for p in proofs):
            return VerificationResult(False, ["a proof of the proof set is not a JSON object"])
        proofs = [p for p in proofs if _is_supported(p)]
        if not proofs:
            return VerificationResult(
                False, [f"none of the credential's proofs is a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}"]
            )

    errors: list[str] = []
    if check_dates:
        _check_dates(credential, now or dt.datetime.now(dt.UTC), errors)
    methods: list[str | None] = []
    for number, proof in enumerate(proofs, 1):
        problems, vm = _verify_proof(credential, proof, resolver, loader)
        methods.append(vm)
        prefix = f"proof {number}: " if len(proofs) > 1 else ""
        errors.extend(prefix + problem for problem in problems)
    return VerificationResult(not errors, errors, methods[0])


def _verify_proof(
    credential: Mapping[str, Any], proof: Any, resolver: PublicKeyResolver, loader: DocumentLoader
) -> tuple[list[str], str | None]:
    """The problems of one proof of ``credential`` (empty when its signature verifies) and its method."""
    if not isinstance(proof, Mapping):
        return ["proof is not a JSON object"], None
    errors: list[str] = []
    vm = proof.get("verificationMethod")
    if proof.get("type") != PROOF_TYPE:
        errors.append(f"unsupported proof type {proof.get('type')!r} (expected {PROOF_TYPE})")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        errors.append(f"unknown cryptosuite {proof.get('cryptosuite')!r} (expected {CRYPTOSUITE})")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        errors.append(f"proof purpose is {proof.get('proofPurpose')!r}, expected {PROOF_PURPOSE}")
    if not isinstance(vm, str) or not vm:
        errors.append("proof has no verificationMethod")
        vm = None
    if "created" in proof and _parse_datetime(proof["created"]) is None:
        errors.append(f"proof created {proof['created']!r} is not an XSD dateTimeStamp")
    proof_value = proof.get("proofValue")
    signature = None
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        errors.append("proofValue is missing or not base58btc multibase ('z...')")
    else:
        try:
            signature = base58.b58decode(proof_value[1:])
        except ValueError:
            errors.append("proofValue is not valid base58btc")
        if signature is not None and len(signature) != 64:
            errors.append("proofValue does not hold a 64-byte Ed25519 signature")
            signature = None

    context = credential.get("@context")
    if context is None:
        errors.append("credential has no @context")
    proof_context = proof.get("@context")
    if proof_context is not None and context is not None:
        doc_ctx = context if isinstance(context, list) else [context]
        pr_ctx = proof_context if isinstance(proof_context, list) else [proof_context]
        if doc_ctx[: len(pr_ctx)] != pr_ctx:
            errors.append("proof @context does not match the start of the credential @context")

    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if vm is not None and issuer_id != vm.split("#", 1)[0]:
        errors.append(f"verification method {vm!r} does not belong to the issuer {issuer_id!r}")

    public_key = None
    if vm is not None:
        try:
            public_key = resolver(vm)
        except (InvalidKeyError, ValueError, LookupError) as exc:
            errors.append(str(exc))

    if errors or context is None:
        return errors, vm

    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    try:
        document_hash = _sha256(_jsonld.checked_nquads(unsecured, loader))
        config_hash = _proof_config_hash(config, context, loader)
    except UndefinedTermsError as exc:
        return [*exc.problems, "the credential has data that the signature does not cover"], vm
    except (JsonLdError, DocumentNotFoundError) as exc:
        return [_describe_exception(exc)], vm

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, config_hash + document_hash)
    except InvalidSignature:
        return ["signature does not match"], vm
    except ValueError as exc:
        return [f"invalid public key: {exc}"], vm
    return [], vm
