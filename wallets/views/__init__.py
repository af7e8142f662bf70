"""Wallet pages, one module per concern. Thin: parse, call a selector or a service, render. Refusals are
pages that say why. urls.py routes to the modules; the package re-exports every view for other callers.
"""

from .account import (
    my_data,
    my_data_export,
    profile,
    profile_edit,
)
from .claims import (
    ALLAUTH_BACKEND,
    claim,
)
from .common import (
    FILE_POLICY,
    holder_only,
)
from .endorsements import (
    endorse,
    endorsement_ob2,
    endorsement_ob3,
    endorsement_request,
    endorsement_visibility,
)
from .evidence import (
    evidence_add,
    evidence_change,
    evidence_file,
)
from .imports import (
    external,
    external_image,
    import_credential,
)
from .sharing import (
    EMBED_POLICY,
    RedirectAnyScheme,
    embed,
    share,
)
from .wallet import (
    answer,
    collection,
    collection_add,
    collection_public,
    collections,
    detail,
    detail_context,
    home,
    visibility,
)

__all__ = [
    "FILE_POLICY",
    "holder_only",
    "detail_context",
    "home",
    "detail",
    "answer",
    "visibility",
    "collections",
    "collection",
    "collection_add",
    "collection_public",
    "evidence_add",
    "evidence_change",
    "evidence_file",
    "endorsement_request",
    "endorsement_visibility",
    "endorse",
    "endorsement_ob3",
    "endorsement_ob2",
    "profile_edit",
    "profile",
    "my_data",
    "my_data_export",
    "import_credential",
    "external",
    "external_image",
    "EMBED_POLICY",
    "RedirectAnyScheme",
    "share",
    "embed",
    "ALLAUTH_BACKEND",
    "claim",
]
