"""Claim links: signed, expiring, single-use (access.tokens).

A claim token is bound to the award's public id, the recipient's address and the award's state: once the
credential is accepted or declined the token no longer matches ("used"). It expires after CLAIM_TOKEN_DAYS.
"""

from access.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "claim_tokens"]


class ClaimTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.credentials.tokens.ClaimTokenGenerator"
    days_setting = "CLAIM_TOKEN_DAYS"
    open_state = "issued"

    def _identity(self, award) -> str:
        return f"{award.public_id}{award.recipient_email}"


claim_tokens = ClaimTokenGenerator()
