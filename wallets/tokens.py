"""Signed, expiring, single-use endorsement links (no account needed), after django.contrib.auth.tokens.

Bound to the endorsement's public id, the endorser's address and its state: once the endorser answered,
the link no longer matches ("used"). It expires after ENDORSEMENT_TOKEN_DAYS.
"""

from credentials.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "endorsement_tokens"]


class EndorsementTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.wallets.tokens.EndorsementTokenGenerator"
    days_setting = "ENDORSEMENT_TOKEN_DAYS"

    def _identity(self, endorsement) -> str:
        return f"{endorsement.public_id}{endorsement.endorser_email}"

    def _state(self, endorsement) -> str:
        return "requested" if endorsement.state == "requested" else "answered"

    def _earlier_states(self, endorsement) -> list[str]:
        return ["requested"] if endorsement.state != "requested" else []


endorsement_tokens = EndorsementTokenGenerator()
