"""DID authentication: verify an ``Ed25519Signature2020`` proof on a Verifiable Presentation.

A wallet (the DCC Learner Credential Wallet, in a VC-API exchange) proves that
it controls a DID by signing an otherwise empty presentation whose ``holder``
is that DID, with ``proofPurpose: "authentication"`` and the ``challenge`` and
``domain`` the exchange asked for.  The proof is the 2020-era Linked Data
suite that the wallet uses (W3C CCG "Ed25519Signature2020", as implemented by
``@digitalcredentials/ed25519-signature-2020`` on ``jsonld-signatures``):

1. proof options = the proof without ``proofValue`` (nor ``jws`` /
   ``signatureValue``), with the document's ``@context``;
2. the options and the presentation without ``proof`` are canonicalised with
   URDNA2015 (N-Quads, the offline loader, undefined terms refused: the
   JavaScript side runs jsonld.js in safe mode);
3. verify data = sha256(canonical options) + sha256(canonical presentation);
4. ``proofValue`` = ``"z"`` + base58btc(Ed25519 signature of the verify data),
   checked with the key of the ``did:key:z6Mk...#z6Mk...`` verification method.

Only ``did:key`` holders are accepted (that is what wallets use); the holder
must be the DID of the verification method.

    result = verify_presentation(vp, challenge=c, domain=d)
    if result.ok:
        holder_did = result.holder
    else:
        result.codes, result.errors   # {"challenge"}, ["the challenge ... does not match ..."]

:func:`verify_presentation` never raises for a bad presentation.  Each problem
has a ``code`` (for callers that map problems to responses) and a plain-English
``message``:

==============  ======================================================================
``malformed``   not a JSON object, no ``@context``, not a ``VerifiablePresentation``
``proof``       no proof, several proofs, wrong proof type, missing or bad ``proofValue``
``purpose``     ``proofPurpose`` is not ``authentication``
``challenge``   the proof's challenge is missing or is not the expected one
``domain``      the proof's domain is missing or is not the expected one
``key``         the verification method is not a usable ``did:key``
``holder``      ``holder`` is missing or is not the DID that signed
``jsonld``      the presentation cannot be canonicalised (unknown context, undefined term)
``signature``   the signature does not match
==============  ======================================================================
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld.jsonld import JsonLdError

from . import _jsonld
from .errors import UndefinedTermsError
from .keys import InvalidKeyError, public_key_from_did_key
from .loader import DocumentLoader, DocumentNotFoundError, default_loader
from .proof import _describe_exception, _parse_datetime, _sha256

__all__ = [
    "ED25519_2020_CONTEXT",
    "PROOF_PURPOSE",
    "PROOF_TYPE",
    "PresentationResult",
    "Problem",
    "verify_presentation",
]

PROOF_TYPE = "Ed25519Signature2020"
PROOF_PURPOSE = "authentication"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
PRESENTATION_TYPE = "VerifiablePresentation"


@dataclass(frozen=True)
class Problem:
    """One reason a presentation is refused: a stable ``code`` and a plain-English ``message``."""

    code: str
    message: str


@dataclass
class PresentationResult:
    """Outcome of :func:`verify_presentation`; ``ok`` only when there is no problem.

    ``holder`` is the authenticated DID (set only when ``ok``); ``verification_method``
    is the proof's, when present.
    """

    ok: bool
    problems: list[Problem] = field(default_factory=list)
    holder: str | None = None
    verification_method: str | None = None

    @property
    def errors(self) -> list[str]:
        return [p.message for p in self.problems]

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def __bool__(self) -> bool:
        return self.ok


def _holder_id(holder: Any) -> str | None:
    if isinstance(holder, str):
        return holder
    if isinstance(holder, Mapping) and isinstance(holder.get("id"), str):
        return holder["id"]
    return None


def _same(value: Any, expected: str) -> bool:
    return isinstance(value, str) and hmac.compare_digest(value.encode("utf-8"), expected.encode("utf-8"))


def _refuse(problems: list[Problem], vm: str | None = None) -> PresentationResult:
    return PresentationResult(False, problems, None, vm)


def verify_presentation(
    presentation: Mapping[str, Any],
    *,
    challenge: str,
    domain: str | None,
    loader: DocumentLoader | None = None,
) -> PresentationResult:
    """Check a DID-authentication presentation signed with ``Ed25519Signature2020``.

    :param presentation: the ``verifiablePresentation`` the wallet sent (parsed JSON).
    :param challenge: the challenge this verifier issued; the proof must carry exactly it.
    :param domain: the domain this verifier asked for; the proof must carry exactly it.
        ``None`` skips the domain check (as jsonld-signatures does when no domain is expected).
    :param loader: document loader; defaults to the shipped contexts only.
    :returns: a :class:`PresentationResult`; ``result.holder`` is the authenticated DID.
    """
    if not isinstance(challenge, str) or not challenge:
        raise ValueError("challenge must be a non-empty string")
    loader = loader or default_loader()
    if not isinstance(presentation, Mapping):
        return _refuse([Problem("malformed", "the presentation is not a JSON object")])

    problems: list[Problem] = []
    context = presentation.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if context is None:
        problems.append(Problem("malformed", "the presentation has no @context"))
    types = presentation.get("type")
    types = types if isinstance(types, list) else [types]
    if PRESENTATION_TYPE not in types:
        problems.append(Problem("malformed", "the presentation's type does not include VerifiablePresentation"))

    proof = presentation.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return _refuse([*problems, Problem("proof", "the presentation must have exactly one proof")])
        proof = proof[0]
    if proof is None:
        return _refuse([*problems, Problem("proof", "the presentation is not signed (no proof)")])
    if not isinstance(proof, Mapping):
        return _refuse([*problems, Problem("proof", "the proof is not a JSON object")])

    if proof.get("type") != PROOF_TYPE:
        problems.append(Problem("proof", f"unsupported proof type {proof.get('type')!r} (expected {PROOF_TYPE})"))
    if context is not None and ED25519_2020_CONTEXT not in contexts:
        problems.append(Problem("proof", f"the presentation's @context does not include {ED25519_2020_CONTEXT}"))
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        problems.append(
            Problem("purpose", f"proof purpose is {proof.get('proofPurpose')!r}, expected {PROOF_PURPOSE!r}")
        )
    if "challenge" not in proof:
        problems.append(Problem("challenge", "the proof has no challenge"))
    elif not _same(proof.get("challenge"), challenge):
        problems.append(Problem("challenge", "the proof's challenge does not match the challenge of this request"))
    if domain is not None:
        if "domain" not in proof:
            problems.append(Problem("domain", "the proof has no domain"))
        elif not _same(proof.get("domain"), domain):
            problems.append(
                Problem("domain", f"the proof's domain {proof.get('domain')!r} is not the expected {domain!r}")
            )
    if "created" in proof and _parse_datetime(proof["created"]) is None:
        problems.append(Problem("proof", f"proof created {proof['created']!r} is not an XSD dateTime"))

    signature = None
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        problems.append(Problem("proof", "proofValue is missing or not base58btc multibase ('z...')"))
    else:
        try:
            signature = base58.b58decode(proof_value[1:])
        except ValueError:
            problems.append(Problem("proof", "proofValue is not valid base58btc"))
        if signature is not None and len(signature) != 64:
            problems.append(Problem("proof", "proofValue does not hold a 64-byte Ed25519 signature"))
            signature = None

    vm = proof.get("verificationMethod")
    if isinstance(vm, Mapping):
        vm = vm.get("id")
    public_key = None
    if not isinstance(vm, str) or not vm:
        problems.append(Problem("key", "the proof has no verificationMethod"))
        vm = None
    elif not vm.startswith("did:key:") or "#" not in vm:
        problems.append(Problem("key", f"verification method {vm!r} is not a did:key URL (did:key:z6Mk...#z6Mk...)"))
    else:
        try:
            public_key = public_key_from_did_key(vm)
        except InvalidKeyError as exc:
            problems.append(Problem("key", str(exc)))

    holder = _holder_id(presentation.get("holder"))
    if holder is None:
        problems.append(Problem("holder", "the presentation has no holder"))
    elif vm is not None and holder != vm.split("#", 1)[0]:
        problems.append(
            Problem("holder", f"the holder {holder!r} is not the DID that signed ({vm.split('#', 1)[0]!r})")
        )

    if problems:
        return _refuse(problems, vm)

    unsecured = {k: v for k, v in presentation.items() if k != "proof"}
    options = {
        "@context": context,
        **{k: v for k, v in proof.items() if k not in ("proofValue", "jws", "signatureValue")},
    }
    try:
        options_hash = _sha256(_jsonld.checked_nquads(options, loader))
        document_hash = _sha256(_jsonld.checked_nquads(unsecured, loader))
    except UndefinedTermsError as exc:
        return _refuse(
            [Problem("jsonld", p) for p in exc.problems]
            + [Problem("jsonld", "the presentation has data that the signature does not cover")],
            vm,
        )
    except (JsonLdError, DocumentNotFoundError, TypeError, ValueError) as exc:
        return _refuse([Problem("jsonld", _describe_exception(exc))], vm)

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, options_hash + document_hash)
    except InvalidSignature:
        return _refuse([Problem("signature", "the presentation's signature does not match")], vm)
    return PresentationResult(True, [], holder, vm)
