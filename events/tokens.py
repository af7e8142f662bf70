"""Signed, expiring, single-use confirmation links of event claims, after django.contrib.auth.tokens.

Bound to the claim (its id, event and address) and its state: once confirmed, the link no longer matches
("used"). It expires after EVENT_CONFIRM_DAYS.
"""

from credentials.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "confirm_tokens"]


class EventConfirmTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.events.tokens.EventConfirmTokenGenerator"
    days_setting = "EVENT_CONFIRM_DAYS"

    def _identity(self, claim) -> str:
        return f"{claim.pk}:{claim.event_id}:{claim.email}:"

    def _state(self, claim) -> str:
        return "pending" if claim.state == "pending" else "confirmed"

    def _earlier_states(self, claim) -> list[str]:
        return ["pending"] if claim.state != "pending" else []


confirm_tokens = EventConfirmTokenGenerator()
