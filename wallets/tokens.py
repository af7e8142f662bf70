"""Endorsement links (no account needed): signed, expiring, single-use (access.tokens).

Bound to the endorsement's public id, the endorser's address and its state: once the endorser answered,
the link no longer matches ("used"). It expires after ENDORSEMENT_TOKEN_DAYS.
"""

from access.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "endorsement_tokens"]


class EndorsementTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.wallets.tokens.EndorsementTokenGenerator"
    days_setting = "ENDORSEMENT_TOKEN_DAYS"
    open_state = "requested"

    def _identity(self, endorsement) -> str:
        return f"{endorsement.public_id}{endorsement.endorser_email}"


endorsement_tokens = EndorsementTokenGenerator()
