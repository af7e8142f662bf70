"""Open Badges 2.0 / 3.0 standards code for Laurel, in plain Python (no Django).

Modules:

- :mod:`.loader`       offline JSON-LD document loader (shipped contexts only)
- :mod:`.keys`         Ed25519 keys, did:key, Multikey, DID documents (did:key, did:web)
- :mod:`.proof`        ``eddsa-rdfc-2022`` Data Integrity proofs: sign, verify, term check
- :mod:`.status_list`  Bitstring Status List (revocation)
- :mod:`.baking`       baking/extracting PNG and SVG badge images
- :mod:`.ob3`          OpenBadgeCredential builders, email hashing
- :mod:`.ob2`          OB 2.0 recipient helper
- :mod:`.shapes`       shape checks of untrusted documents, bounded JSON parsing

The most used names are re-exported here.
"""

from .baking import BakedData, bake_png, bake_svg, extract_png, extract_svg
from .errors import BakingError, OpenBadgesError, SigningError, StatusListError, UndefinedTermsError
from .keys import (
    did_key_document,
    did_key_from_public_key,
    did_key_verification_method,
    did_web_document,
    generate_private_key,
    private_key_from_bytes,
    private_key_to_bytes,
    public_key_bytes,
    public_key_from_did_key,
    public_key_multibase,
)
from .loader import DocumentLoader, DocumentNotFoundError, default_loader
from .ob3 import build_credential, hash_email
from .proof import CredentialSigner, check_all_terms_defined, sign_credential
from .proof_verify import VerificationResult, verify_credential
from .status_list import StatusList, random_free_index, status_entry, status_list_credential

__all__ = [
    "BakedData",
    "BakingError",
    "CredentialSigner",
    "DocumentLoader",
    "DocumentNotFoundError",
    "OpenBadgesError",
    "SigningError",
    "StatusList",
    "StatusListError",
    "UndefinedTermsError",
    "VerificationResult",
    "bake_png",
    "bake_svg",
    "build_credential",
    "check_all_terms_defined",
    "default_loader",
    "did_key_document",
    "did_key_from_public_key",
    "did_key_verification_method",
    "did_web_document",
    "extract_png",
    "extract_svg",
    "generate_private_key",
    "hash_email",
    "private_key_from_bytes",
    "private_key_to_bytes",
    "public_key_bytes",
    "public_key_from_did_key",
    "public_key_multibase",
    "random_free_index",
    "sign_credential",
    "status_entry",
    "status_list_credential",
    "verify_credential",
]
