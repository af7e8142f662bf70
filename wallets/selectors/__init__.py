"""Reads of the wallets app for pages, exports and other apps (the VC-API exchange), with their joins; one
module per concern.

A learner's wallet = every award whose recipient_email is one of their verified addresses, plus the
credentials they imported. Nothing here writes. Callers import from the package.
"""

from .account import (
    profile_public,
    share_events_of,
)
from .cards import (
    ACHIEVEMENT_CARD_FIELDS,
    AWARD_CARD_FIELDS,
    CARD_FIELDS,
    FILTER_STATES,
    STATE_LABELS,
    Card,
    CardUrls,
    award_card,
    external_card,
)
from .endorsements import (
    endorsement_for_token,
    endorsement_public,
    endorsements_public_of,
)
from .evidence import (
    evidence_for_download,
    verification_additions,
)
from .imports import (
    external_for_owner,
    external_or_none,
)
from .membership import (
    HELD_STATES,
    WALLET_JOINS,
    NotInWallet,
    address_owner,
    award_or_none,
    award_owned_by,
    holder_awards,
    holds,
    public_entry,
    verified_emails,
)
from .wallet_page import (
    EXCHANGE_URL_NAME,
    PAGE_SIZE,
    Group,
    HolderView,
    RuleProgress,
    Wallet,
    collection_for_owner,
    collection_items,
    collection_public,
    collections_of,
    current_rules,
    earned_of,
    exchange_offer,
    holder_view,
    stacking_progress,
    wallet,
)

__all__ = [
    "CardUrls",
    "award_card",
    "external_card",
    "public_entry",
    "WALLET_JOINS",
    "HELD_STATES",
    "NotInWallet",
    "verified_emails",
    "address_owner",
    "holder_awards",
    "award_owned_by",
    "award_or_none",
    "holds",
    "CARD_FIELDS",
    "AWARD_CARD_FIELDS",
    "ACHIEVEMENT_CARD_FIELDS",
    "Card",
    "STATE_LABELS",
    "FILTER_STATES",
    "EXCHANGE_URL_NAME",
    "PAGE_SIZE",
    "Group",
    "RuleProgress",
    "Wallet",
    "wallet",
    "stacking_progress",
    "earned_of",
    "current_rules",
    "HolderView",
    "holder_view",
    "exchange_offer",
    "collection_items",
    "collection_public",
    "collection_for_owner",
    "collections_of",
    "verification_additions",
    "evidence_for_download",
    "profile_public",
    "share_events_of",
    "endorsements_public_of",
    "endorsement_public",
    "endorsement_for_token",
    "external_or_none",
    "external_for_owner",
]
