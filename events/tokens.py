"""Confirmation links of event claims: signed, expiring, single-use (access.tokens).

Bound to the claim (its id, event and address) and its state: once confirmed, the link no longer matches
("used"). It expires after EVENT_CONFIRM_DAYS.
"""

from access.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "confirm_tokens"]


class EventConfirmTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.events.tokens.EventConfirmTokenGenerator"
    days_setting = "EVENT_CONFIRM_DAYS"
    open_state = "pending"
    closed_state = "confirmed"

    def _identity(self, claim) -> str:
        return f"{claim.pk}:{claim.event_id}:{claim.email}:"


confirm_tokens = EventConfirmTokenGenerator()
