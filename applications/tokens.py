"""The nominee's review link: signed, expiring (APPLICATION_REVIEW_DAYS), on access.tokens.

Bound to the application (its id and the nominee's address) and to its submission: open while the application
waits for review in the round the link was made for. A decision closes it ("used"); after the learner resubmits,
the link of the earlier round is "used" too and a fresh one is emailed.
"""

from access.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "review_tokens"]


class NomineeReviewTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.applications.tokens.NomineeReviewTokenGenerator"
    days_setting = "APPLICATION_REVIEW_DAYS"
    open_state = "submitted"
    closed_state = "closed"

    def _identity(self, application) -> str:
        return f"{application.pk}:{application.achievement_id}:{application.nominee_email.lower()}:"

    def _state(self, application) -> str:
        if application.state == self.open_state:
            return f"{self.open_state}:{application.round}"
        return self.closed_state

    def _earlier_states(self, application) -> list[str]:
        rounds = range(1, application.round + (0 if application.state == self.open_state else 1))
        return [f"{self.open_state}:{n}" for n in rounds]


review_tokens = NomineeReviewTokenGenerator()
