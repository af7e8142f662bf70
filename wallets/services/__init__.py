"""Every write of the wallets app: keyword-only, atomic, each with an audit entry; one module per concern.

The wallet never changes the issuer's Award except through credentials.services (accept, decline). Callers
import from the package (`from wallets.services import claim_accept`); the modules are its layout.
"""

from .account import (
    HANDLE,
    RESERVED_HANDLES,
    account_delete,
    account_export,
    profile_ensure,
    profile_update,
)
from .claims import (
    claim_accept,
    claim_accept_without_account,
    claim_account_create,
    claim_decline,
)
from .endorsements import (
    endorsement_decline,
    endorsement_give,
    endorsement_issue,
    endorsement_request,
    endorsement_set_hidden,
)
from .evidence import (
    MAX_EVIDENCE_PER_AWARD,
    evidence_add,
    evidence_delete,
    evidence_set_visibility,
)
from .imports import (
    external_credential_delete,
    external_credential_import,
    external_credential_update,
)
from .sharing import (
    share_event_record,
)
from .wallet import (
    MAX_COLLECTIONS,
    collection_add,
    collection_create,
    collection_delete,
    collection_move,
    collection_remove,
    collection_update,
    wallet_entry_ensure,
    wallet_entry_set_visibility,
)

__all__ = [
    "RESERVED_HANDLES",
    "HANDLE",
    "profile_ensure",
    "profile_update",
    "account_delete",
    "account_export",
    "claim_accept",
    "claim_accept_without_account",
    "claim_decline",
    "claim_account_create",
    "MAX_COLLECTIONS",
    "wallet_entry_ensure",
    "wallet_entry_set_visibility",
    "collection_create",
    "collection_update",
    "collection_delete",
    "collection_add",
    "collection_remove",
    "collection_move",
    "MAX_EVIDENCE_PER_AWARD",
    "evidence_add",
    "evidence_set_visibility",
    "evidence_delete",
    "endorsement_request",
    "endorsement_give",
    "endorsement_decline",
    "endorsement_issue",
    "endorsement_set_hidden",
    "share_event_record",
    "external_credential_import",
    "external_credential_update",
    "external_credential_delete",
]
