"""Every write of the credentials app, one module a concern: permission-checked, atomic, audited; artefacts
are enqueued on commit.

Permissions (`access.require`, first thing): issuers `add_issuer` / `change_issuer` (a key rotation changes
the issuer), achievements `add_achievement` / `change_achievement`, issuing `add_award`, revoking
`revoke_award`, reissuing both `revoke_award` and `add_award`. actor=None is the system (commands, tasks,
events' verified claims, bulk jobs once started). Learners' own steps (accept, decline, receive in a
wallet) are checked by their callers (the claim token, the holder) and need no permission.

Modules: `issuers` (issuers and signing keys), `achievements`, `status_lists` (indexes, signing, the signed
lists), `issuing` (the `Recipient` value, award_issue, award_issue_many), `lifecycle` (revoke, reissue,
accept, decline, expire, a wallet receives). Import from this package: `from credentials.services import
award_issue, Recipient`.
"""

from .achievements import (
    achievement_save,
    achievement_validate,
    esco_alignment,
    esco_alignments_parse,
    esco_alignments_text,
)
from .issuers import (
    issuer_active_key,
    issuer_create,
    issuer_rotate_key,
    issuer_update,
    signing_keys_reencrypt,
)
from .issuing import Recipient, award_issue, award_issue_many
from .lifecycle import (
    award_accept,
    award_decline,
    award_expire_due,
    award_record_holder,
    award_reissue,
    award_revoke,
    award_sign_for_holder,
)
from .status_lists import status_list_signed

__all__ = [
    "Recipient",
    "achievement_save",
    "achievement_validate",
    "award_accept",
    "award_decline",
    "award_expire_due",
    "award_issue",
    "award_issue_many",
    "award_record_holder",
    "award_reissue",
    "award_revoke",
    "award_sign_for_holder",
    "esco_alignment",
    "esco_alignments_parse",
    "esco_alignments_text",
    "issuer_active_key",
    "issuer_create",
    "issuer_rotate_key",
    "issuer_update",
    "signing_keys_reencrypt",
    "status_list_signed",
]
